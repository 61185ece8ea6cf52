//! How one workflow is served: its service name, the retry bound of its effects, Restate's
//! service options, and an observer of completed steps.

use std::sync::Arc;
use std::time::Duration;

use restate_sdk::context::RunRetryPolicy;
use restate_sdk::endpoint::ServiceOptions;

use crate::journal::StepObserver;
use crate::progress::CompletedStep;

/// Options for one served workflow; [`Default`] serves it under its `workflowId`.
#[derive(Clone, Default)]
pub struct WorkflowOptions {
    pub(crate) name: Option<String>,
    pub(crate) effect_retry: Option<RunRetryPolicy>,
    pub(crate) service: Option<ServiceOptions>,
    pub(crate) observer: Option<Arc<StepObserver>>,
}

impl WorkflowOptions {
    /// Options that serve the workflow under its `workflowId`, with
    /// [`default_effect_retry`] for its effects.
    pub fn new() -> Self {
        Self::default()
    }

    /// Serves the workflow as the Restate service `name` instead of its `workflowId` (to run
    /// two versions side by side, or a `workflowId` that is not a valid service name).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How Restate retries an effect that failed retryably (a transport error or a timeout):
    /// once the policy is exhausted, the failure is journaled as terminal and the step fails
    /// as it would without Restate (its `onFailure` actions still apply).
    pub fn effect_retry(mut self, policy: RunRetryPolicy) -> Self {
        self.effect_retry = Some(policy);
        self
    }

    /// Restate's options for the service (retention, timeouts, the invocation retry policy,
    /// ingress visibility).
    pub fn service_options(mut self, options: ServiceOptions) -> Self {
        self.service = Some(options);
        self
    }

    /// Calls `observer` each time a step completes, after the effects the step ran are durable
    /// in Restate's journal. On a replay (after a crash or a suspension) it is called again for
    /// the replayed steps.
    pub fn on_step_completed(
        mut self,
        observer: impl Fn(&CompletedStep) + Send + Sync + 'static,
    ) -> Self {
        self.observer = Some(Arc::new(observer));
        self
    }
}

/// The retry policy of effects when [`WorkflowOptions::effect_retry`] is not set: a first
/// retry after 200 ms, doubling up to 5 s between attempts, at most 8 attempts and 60 s in
/// all; then the failure is terminal.
pub fn default_effect_retry() -> RunRetryPolicy {
    RunRetryPolicy::new()
        .initial_delay(Duration::from_millis(200))
        .exponentiation_factor(2.0)
        .max_delay(Duration::from_secs(5))
        .max_attempts(8)
        .max_duration(Duration::from_secs(60))
}
