//! The endpoint Restate calls: the generated workflows it serves, and the HTTP/2 server.

use std::future::Future;

use arazzo::Workflow;
use restate_sdk::endpoint::Builder;
use restate_sdk::http_server::HttpServer;
use restate_sdk::service::IntoServiceDefinition;
use tokio::net::{TcpListener, ToSocketAddrs};

use crate::error::Error;
use crate::options::WorkflowOptions;
use crate::service::DurableWorkflow;

/// A Restate service endpoint serving generated workflows, one line per workflow:
///
/// ```no_run
/// arazzo::arazzo_workflow!("../../workflows/mixpanel.yml");
///
/// # async fn serve(client: Client) -> Result<(), arazzo_restate::Error> {
/// arazzo_restate::Endpoint::new()
///     .workflow::<identity_resolve_and_track::Workflow>(client)
///     .serve("127.0.0.1:9080")
///     .await
/// # }
/// # fn main() {}
/// ```
///
/// Each workflow is a Restate workflow service named after its `workflowId`, with a `run`
/// handler (input the workflow's `Inputs` as JSON, output its `Outputs`) and a shared
/// `progress` handler (the [`CompletedStep`](crate::CompletedStep)s so far). Register the
/// endpoint's address with Restate's admin API (`POST /deployments`).
#[derive(Default)]
pub struct Endpoint {
    builder: Builder,
    names: Vec<String>,
    /// The first mistake in the services given, reported by [`build`](Self::build).
    error: Option<Error>,
}

impl Endpoint {
    /// An endpoint that serves no workflow yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves the generated workflow `W` (a module's `Workflow`) as the Restate service named
    /// after its `workflowId`, running its requests with `client`.
    pub fn workflow<W: Workflow>(self, client: W::Client) -> Self {
        self.workflow_with::<W>(client, WorkflowOptions::default())
    }

    /// Serves `W` with `options` (a service name, the effects' retry policy, Restate's
    /// service options, a step observer).
    pub fn workflow_with<W: Workflow>(
        mut self,
        client: W::Client,
        mut options: WorkflowOptions,
    ) -> Self {
        if self.error.is_some() {
            return self;
        }
        let name = options.name.take().unwrap_or_else(|| W::ID.to_owned());
        if self.names.contains(&name) {
            self.error = Some(Error::DuplicateService { name });
            return self;
        }
        let service = options.service.take();
        match DurableWorkflow::<W>::new(name.clone(), client, options) {
            Ok(workflow) => {
                let mut definition = workflow.into_service_definition();
                if let Some(service) = service {
                    definition = definition.options(service);
                }
                self.builder = self.builder.bind(definition);
                self.names.push(name);
            }
            Err(error) => self.error = Some(error),
        }
        self
    }

    /// The Restate endpoint, to serve it another way (a custom server, AWS Lambda).
    pub fn build(self) -> Result<restate_sdk::endpoint::Endpoint, Error> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.builder.build()),
        }
    }

    /// Serves the workflows on `addr` over HTTP/2 until the process receives Ctrl-C.
    pub async fn serve(self, addr: impl ToSocketAddrs + ToString) -> Result<(), Error> {
        let listener = TcpListener::bind(&addr)
            .await
            .map_err(|source| Error::Bind {
                addr: addr.to_string(),
                source,
            })?;
        self.serve_listener(listener, std::future::pending::<()>())
            .await
    }

    /// Serves the workflows on `listener` until `shutdown` completes or the process receives
    /// Ctrl-C.
    pub async fn serve_listener(
        self,
        listener: TcpListener,
        shutdown: impl Future,
    ) -> Result<(), Error> {
        let endpoint = self.build()?;
        HttpServer::new(endpoint)
            .serve_with_cancel(listener, async {
                tokio::select! {
                    _ = shutdown => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            })
            .await;
        Ok(())
    }
}
