//! Durable runs of generated Arazzo workflows on [Restate](https://restate.dev).
//!
//! A generated `run` lives in one process: if it dies between two steps, the caller cannot
//! tell which side effects happened, and running again repeats them. Served through this
//! crate, each workflow is a Restate workflow service: every HTTP exchange and message of a
//! run is a journaled action, every retry wait a durable timer, so a run that is interrupted
//! (a crash, a deploy) resumes on any instance of the service where it stopped, without
//! sending a completed step's request again.
//!
//! ```no_run
//! arazzo::arazzo_workflow!("../../workflows/mixpanel.yml");
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = Client::builder()
//!         .identity_api_basic_auth("service-account", "secret")
//!         .query_api_basic_auth("service-account", "secret")
//!         .build()?;
//!     arazzo_restate::Endpoint::new()
//!         .workflow::<identity_resolve_and_track::Workflow>(client)
//!         .serve("127.0.0.1:9080")
//!         .await?;
//!     Ok(())
//! }
//! ```
//!
//! Then register the endpoint with Restate (`POST /deployments` on its admin port with
//! `{"uri": "http://127.0.0.1:9080"}`) and start runs through its ingress:
//! `POST /identity-resolve-and-track/<run key>/run` with the workflow's `Inputs` as JSON
//! answers its `Outputs`; `POST …/<run key>/progress` lists the steps completed so far.
//! The guide, with what is journaled and how to scale out: `docs/durable.md`.

mod endpoint;
mod error;
mod journal;
mod options;
mod progress;
mod service;

pub use endpoint::Endpoint;
pub use error::Error;
pub use options::{WorkflowOptions, default_effect_retry};
pub use progress::CompletedStep;
/// Restate's retry policy for journaled actions, for [`WorkflowOptions::effect_retry`].
pub use restate_sdk::context::RunRetryPolicy;
/// Restate's options for one handler (`run`, `progress`), for [`ServiceOptions::handler`].
pub use restate_sdk::endpoint::HandlerOptions;
/// Restate's service options (retention, timeouts), for [`WorkflowOptions::service_options`].
pub use restate_sdk::endpoint::ServiceOptions;
