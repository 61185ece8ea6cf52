//! [`arazzo::Journal`] on a Restate invocation: each effect a journaled `ctx.run`, each wait a
//! durable timer, each completed step an entry of the `progress` state.

use std::sync::Mutex;
use std::time::Duration;

use arazzo::{Effect, EffectError, Journal};
use restate_sdk::context::{RunFuture, RunRetryPolicy};
use restate_sdk::endpoint::ContextInternal;
use restate_sdk::errors::{HandlerError, TerminalError};
use restate_sdk::serde::Json;

use crate::progress::{CompletedStep, PROGRESS_KEY};

/// Called after a step completed (and, for a step that sent a request or message, after its
/// outcome is durable in Restate's journal). Also called again for replayed steps.
pub(crate) type StepObserver = dyn Fn(&CompletedStep) + Send + Sync;

/// The journal of one run: a Restate workflow invocation's context. Effects and timers are
/// created when the runtime asks for them and awaited at once, in the run's order, which is
/// what Restate's replay matches entries by.
pub(crate) struct RestateJournal<'o> {
    ctx: ContextInternal,
    /// How Restate retries an effect that failed retryably, before the failure is terminal.
    effect_retry: RunRetryPolicy,
    /// The steps completed so far, written whole to the `progress` state after each step.
    completed: Mutex<Vec<CompletedStep>>,
    observer: Option<&'o StepObserver>,
}

impl<'o> RestateJournal<'o> {
    pub(crate) fn new(
        ctx: ContextInternal,
        effect_retry: RunRetryPolicy,
        observer: Option<&'o StepObserver>,
    ) -> Self {
        Self {
            ctx,
            effect_retry,
            completed: Mutex::new(Vec::new()),
            observer,
        }
    }
}

/// A retryable effect failure, handed to Restate so that it retries the effect.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Retryable(String);

/// What the runtime sees of a failure Restate journaled as terminal: it will not be retried.
fn terminal_failure(terminal: TerminalError) -> EffectError {
    EffectError {
        message: terminal.message().to_owned(),
        retryable: false,
    }
}

impl Journal for RestateJournal<'_> {
    fn effect<'a>(&'a self, name: &'a str, effect: Effect<'a, Vec<u8>>) -> Effect<'a, Vec<u8>> {
        let run = self
            .ctx
            .run(move || async move {
                effect.await.map_err(|EffectError { message, retryable }| {
                    if retryable {
                        HandlerError::from(Retryable(message))
                    } else {
                        HandlerError::from(TerminalError::new(message))
                    }
                })
            })
            .name(name)
            .retry_policy(self.effect_retry.clone());
        Box::pin(async move { run.await.map_err(terminal_failure) })
    }

    fn sleep<'a>(&'a self, duration: Duration) -> Effect<'a, ()> {
        let timer = self.ctx.sleep(duration);
        Box::pin(async move { timer.await.map_err(terminal_failure) })
    }

    fn step_completed(
        &self,
        workflow: &'static str,
        step: &'static str,
        outputs: &serde_json::Value,
    ) {
        let step = CompletedStep {
            workflow: workflow.to_owned(),
            step: step.to_owned(),
            outputs: outputs.clone(),
        };
        {
            let mut completed = self
                .completed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // A step that runs again (a `goto` loop, a `retry`) replaces its entry, so the state
            // written per step stays as small as the document, however long the run.
            match completed
                .iter_mut()
                .find(|done| done.workflow == step.workflow && done.step == step.step)
            {
                Some(done) => done.outputs = step.outputs.clone(),
                None => completed.push(step.clone()),
            }
            // Workflow state is journaled like any other command: a replay writes it again,
            // with the same value, in the same place.
            self.ctx.set(PROGRESS_KEY, Json(&*completed));
        }
        if let Some(observer) = self.observer {
            observer(&step);
        }
    }
}
