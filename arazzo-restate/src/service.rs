//! One generated workflow as a Restate workflow service: the `run` handler runs it on a
//! [`RestateJournal`], the shared `progress` handler lists its completed steps.
//!
//! `#[restate_sdk::workflow]` writes these impls for a hand-written trait; a generated
//! workflow is a type parameter, and its service name is chosen at run time, so they are
//! written out here.

use std::marker::PhantomData;
use std::sync::Arc;

use arazzo::Workflow;
use restate_sdk::context::RunRetryPolicy;
use restate_sdk::discovery::{self, HandlerName, HandlerType, InputPayload, OutputPayload};
use restate_sdk::endpoint::{self, ContextInternal};
use restate_sdk::errors::{HandlerError, TerminalError};
use restate_sdk::serde::Json;
use restate_sdk::service::macro_support::{ServiceBoxFuture, service_definition};
use restate_sdk::service::{IntoServiceDefinition, Service, ServiceDefinition};

use crate::error::Error;
use crate::journal::{RestateJournal, StepObserver};
use crate::options::{WorkflowOptions, default_effect_retry};
use crate::progress::{CompletedStep, PROGRESS_KEY};

/// The handler that runs the workflow, once per workflow key.
const RUN: &str = "run";
/// The shared handler that answers the run's completed steps while it is in flight.
const PROGRESS: &str = "progress";

/// A generated workflow `W` served as a Restate workflow service.
pub(crate) struct DurableWorkflow<W: Workflow> {
    discovery: discovery::Service,
    shared: Arc<Shared<W>>,
}

/// What every invocation of the service reads.
struct Shared<W: Workflow> {
    client: W::Client,
    effect_retry: RunRetryPolicy,
    observer: Option<Arc<StepObserver>>,
    _workflow: PhantomData<fn() -> W>,
}

impl<W: Workflow> DurableWorkflow<W> {
    /// The service `name`, or the reason it cannot be described to Restate.
    pub(crate) fn new(
        name: String,
        client: W::Client,
        options: WorkflowOptions,
    ) -> Result<Self, Error> {
        let discovery = discovery::Service {
            ty: discovery::ServiceType::Workflow,
            name: discovery::ServiceName::try_from(name.clone())
                .map_err(|_| Error::ServiceName { name })?,
            handlers: vec![
                handler(
                    RUN,
                    HandlerType::Workflow,
                    InputPayload::from_metadata::<Json<W::Inputs>>(),
                    OutputPayload::from_metadata::<Json<W::Outputs>>(),
                )?,
                handler(
                    PROGRESS,
                    HandlerType::Shared,
                    InputPayload::empty(),
                    OutputPayload::from_metadata::<Json<Vec<CompletedStep>>>(),
                )?,
            ],
            documentation: Some(format!("The Arazzo workflow `{}`.", W::ID)),
            metadata: Default::default(),
            abort_timeout: None,
            inactivity_timeout: None,
            journal_retention: None,
            idempotency_retention: None,
            enable_lazy_state: None,
            ingress_private: None,
            retry_policy_initial_interval: None,
            retry_policy_max_interval: None,
            retry_policy_max_attempts: None,
            retry_policy_exponentiation_factor: None,
            retry_policy_on_max_attempts: None,
        };
        Ok(Self {
            discovery,
            shared: Arc::new(Shared {
                client,
                effect_retry: options.effect_retry.unwrap_or_else(default_effect_retry),
                observer: options.observer,
                _workflow: PhantomData,
            }),
        })
    }
}

impl<W: Workflow> Service for DurableWorkflow<W> {
    type Future = ServiceBoxFuture;

    fn handle(&self, ctx: ContextInternal) -> Self::Future {
        let shared = Arc::clone(&self.shared);
        Box::pin(async move {
            match ctx.handler_name() {
                RUN => {
                    let (Json(inputs), _) = ctx.input::<Json<W::Inputs>>().await;
                    let journal = RestateJournal::new(
                        ctx.clone(),
                        shared.effect_retry.clone(),
                        shared.observer.as_deref(),
                    );
                    let outcome = W::run_journaled(&shared.client, inputs, &journal)
                        .await
                        .map(Json)
                        // Effects were retried by Restate already: what fails the run now is
                        // final (a criterion, an exhausted retry, a decoding error).
                        .map_err(|error| HandlerError::from(TerminalError::new(error.to_string())));
                    ctx.handle_handler_result(outcome);
                }
                PROGRESS => {
                    let ((), _) = ctx.input::<()>().await;
                    let completed = ctx
                        .get::<Json<Vec<CompletedStep>>>(PROGRESS_KEY)
                        .await
                        .map(|state| Json(state.map(Json::into_inner).unwrap_or_default()))
                        .map_err(HandlerError::from);
                    ctx.handle_handler_result(completed);
                }
                other => {
                    return Err(endpoint::Error::unknown_handler(ctx.service_name(), other));
                }
            }
            ctx.end();
            Ok(())
        })
    }
}

impl<W: Workflow> IntoServiceDefinition for DurableWorkflow<W> {
    fn into_service_definition(self) -> ServiceDefinition {
        let discovery = self.discovery.clone();
        // The one public way to a definition whose name is not a type's (the macros use it).
        service_definition(self, discovery)
    }
}

/// A handler of the service, described for Restate's discovery.
fn handler(
    name: &str,
    ty: HandlerType,
    input: InputPayload,
    output: OutputPayload,
) -> Result<discovery::Handler, Error> {
    Ok(discovery::Handler {
        name: HandlerName::try_from(name.to_owned())
            .map_err(|error| Error::Manifest(error.to_string()))?,
        input: Some(input),
        output: Some(output),
        ty: Some(ty),
        documentation: None,
        metadata: Default::default(),
        abort_timeout: None,
        inactivity_timeout: None,
        journal_retention: None,
        idempotency_retention: None,
        workflow_completion_retention: None,
        enable_lazy_state: None,
        ingress_private: None,
        retry_policy_initial_interval: None,
        retry_policy_max_interval: None,
        retry_policy_max_attempts: None,
        retry_policy_exponentiation_factor: None,
        retry_policy_on_max_attempts: None,
    })
}
