//! One workflow run: preflight checks, the step budget, retries, and the context (workflow,
//! step, completed steps, the requests sent) that every error of the run carries.

use std::time::{Duration, Instant};

use crate::client::ClientCore;
use crate::error::{Error, ErrorKind};
use crate::journal::Journal;
use crate::record::{Record, SentRequest};
use crate::request::Request;
use crate::response::Response;
use crate::spec::StepSpec;

/// Runs `call` (a called workflow) for at most `limit`, a step's `timeout`: `None` when it
/// did not finish in time, and is dropped. What it sent stays in the caller's record;
/// [`Run::step_timed_out`] then records a request it had in flight.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// use std::time::Duration;
/// let slow = tokio::time::sleep(Duration::from_secs(5));
/// assert_eq!(arazzo_runtime::within(Duration::from_millis(10), slow).await, None);
/// assert_eq!(arazzo_runtime::within(Duration::from_secs(5), async { 7 }).await, Some(7));
/// # });
/// ```
pub async fn within<F: std::future::Future>(limit: Duration, call: F) -> Option<F::Output> {
    tokio::time::timeout(limit, call).await.ok()
}

/// How deeply workflows may call workflows.
pub const MAX_CALL_DEPTH: usize = 32;

/// Where a run sits among nested workflow calls: how deep, the deadline of the outermost run
/// (from the client's workflow timeout), which called workflows share, and the outermost
/// run's record of requests and secrets, which called workflows write to (so a caller's secret
/// stays masked in a callee, and the caller sees every request a callee sent), and the
/// [`Journal`] of a journaled run, which called workflows use too.
pub struct Nesting<'a> {
    depth: usize,
    deadline: Option<Instant>,
    record: Option<&'a mut Record>,
    journal: Option<&'a dyn Journal>,
}

impl std::fmt::Debug for Nesting<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nesting")
            .field("depth", &self.depth)
            .field("journaled", &self.journal.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> Nesting<'a> {
    /// The outermost run: depth 0, its deadline not yet started.
    pub const TOP: Nesting<'static> = Nesting {
        depth: 0,
        deadline: None,
        record: None,
        journal: None,
    };

    /// The outermost run of a journaled run: its effects and waits go through `journal`.
    pub fn journaled(journal: &'a dyn Journal) -> Nesting<'a> {
        Nesting {
            journal: Some(journal),
            ..Nesting::TOP
        }
    }

    /// How many calls deep the run is (0 for the workflow the user ran).
    pub fn depth(&self) -> usize {
        self.depth
    }
}

/// The state of one workflow run.
pub struct Run<'c> {
    pub(crate) core: &'c ClientCore,
    pub(crate) workflow: &'static str,
    /// How many calls deep the run is (0 for the workflow the user ran).
    pub(crate) depth: usize,
    deadline: Option<Instant>,
    /// The requests sent and the values to mask: this run's own record when it is the
    /// outermost, else its caller's.
    pub(crate) record: Log<'c>,
    /// Where this run's entries begin in the record.
    first: usize,
    completed: Vec<&'static str>,
    /// The step being executed, which errors without a context of their own are located at.
    current: Option<&'static StepSpec>,
    executed: usize,
    /// Retries used, per (step, failure action index).
    retries: Vec<(&'static str, usize, u32)>,
    /// Where effects and waits go in a journaled run.
    pub(crate) journal: Option<&'c dyn Journal>,
}

impl std::fmt::Debug for Run<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("workflow", &self.workflow)
            .field("depth", &self.depth)
            .field("completed", &self.completed)
            .field("current", &self.current.map(|s| s.id))
            .field("journaled", &self.journal.is_some())
            .finish_non_exhaustive()
    }
}

/// The record a run writes to: its own (the outermost run), or its caller's.
#[derive(Debug)]
pub(crate) enum Log<'c> {
    Own(Record),
    Callers(&'c mut Record),
}

impl std::ops::Deref for Log<'_> {
    type Target = Record;
    fn deref(&self) -> &Record {
        match self {
            Log::Own(record) => record,
            Log::Callers(record) => record,
        }
    }
}

impl std::ops::DerefMut for Log<'_> {
    fn deref_mut(&mut self) -> &mut Record {
        match self {
            Log::Own(record) => record,
            Log::Callers(record) => record,
        }
    }
}

impl<'c> Run<'c> {
    /// Starts a run of `workflow` on `core`.
    pub fn new(core: &'c ClientCore, workflow: &'static str) -> Self {
        // A timeout too long to be a point in time (`Duration::MAX`) is no deadline.
        let deadline = core
            .workflow_timeout
            .and_then(|t| Instant::now().checked_add(t));
        Run::at(core, workflow, 0, deadline, Log::Own(Record::new()), None)
    }

    /// A run of `workflow` at `depth`, recording in `record`.
    fn at(
        core: &'c ClientCore,
        workflow: &'static str,
        depth: usize,
        deadline: Option<Instant>,
        mut record: Log<'c>,
        journal: Option<&'c dyn Journal>,
    ) -> Self {
        let first = record.start_run(depth, workflow);
        Run {
            core,
            workflow,
            depth,
            deadline,
            record,
            first,
            // Room for a typical run's steps, so recording them rarely reallocates.
            completed: Vec::with_capacity(16),
            current: None,
            executed: 0,
            retries: Vec::new(),
            journal,
        }
    }

    /// Masks `value` (a secret input or output, or a credential the document sent itself)
    /// wherever an error excerpt or a logged URL would show it, as the client's credentials
    /// are: in this run, its callers and the workflows it calls.
    pub fn mask(&mut self, value: &str) {
        // A workflow called in a loop masks the same inputs on every call: keep one of each.
        if !self.record.masked.iter().any(|m| m == value) {
            self.record.masked.push(value.to_owned());
        }
    }

    /// Every value to mask: the client's credentials and the values masked ([`Run::mask`]) in
    /// this run, its callers and the workflows they called, except those shorter than
    /// [`MIN_MASKED_LEN`] (masking them would garble unrelated text).
    ///
    /// Each comes in every form the runtime itself may have sent it in, which a server may
    /// echo: as it is, JSON-escaped (in a JSON payload), XML-escaped (in an XML payload),
    /// percent-encoded (in a path, a query string or a cookie), and, for HTTP basic, the
    /// base64 of `user:password`.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut all: Vec<String> = Vec::new();
        for secret in self
            .core
            .secrets()
            .into_iter()
            .chain(self.record.masked.iter().cloned())
        {
            if secret.len() < MIN_MASKED_LEN {
                continue;
            }
            let json = serde_json::to_string(&secret).unwrap_or_default();
            let forms = [
                json.get(1..json.len().saturating_sub(1))
                    .unwrap_or_default()
                    .to_owned(),
                crate::request::encode_segment(&secret),
                form_urlencoded::byte_serialize(secret.as_bytes()).collect(),
                // In an XML payload (`&amp;`, `&lt;`, quotes as entities).
                quick_xml::escape::escape(secret.as_str()).into_owned(),
            ];
            for form in forms {
                if form != secret && form.len() >= MIN_MASKED_LEN && !all.contains(&form) {
                    all.push(form);
                }
            }
            if !all.contains(&secret) {
                all.push(secret);
            }
        }
        // The longest first: a form that contains another is masked whole.
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
        all
    }

    /// Checks, before anything is sent, that every step that may run has the credentials
    /// its operation requires.
    pub fn preflight(&self, steps: &[&'static StepSpec]) -> Result<(), Error> {
        for step in steps {
            if self.pick_security(step).is_none() {
                // Name the first scheme of the first alternative that is not configured.
                let missing = step
                    .security
                    .first()
                    .and_then(|alt| alt.iter().find(|i| self.core.credential(**i).is_none()))
                    .and_then(|i| self.core.schemes.get(*i));
                if let Some(scheme) = missing {
                    let source_name = self.core.sources.get(scheme.source).map_or("?", |s| s.name);
                    return Err(self.step_error(
                        step,
                        ErrorKind::MissingCredential {
                            source_name,
                            scheme: scheme.name,
                            builder_method: scheme.builder_method,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    /// Starts a run of `workflow` at `nesting` ([`Nesting::TOP`], or [`Run::child`] of the
    /// calling run): called workflows share the outermost run's deadline and record.
    pub fn nested(
        core: &'c ClientCore,
        workflow: &'static str,
        nesting: Nesting<'c>,
    ) -> Result<Self, Error> {
        let Some(record) = nesting.record else {
            let mut run = Run::new(core, workflow);
            run.journal = nesting.journal;
            return Ok(run);
        };
        let depth = nesting.depth;
        let run = Run::at(
            core,
            workflow,
            depth,
            nesting.deadline,
            Log::Callers(record),
            nesting.journal,
        );
        if depth > MAX_CALL_DEPTH {
            return Err(run.workflow_error(ErrorKind::CallDepthExceeded(MAX_CALL_DEPTH)));
        }
        Ok(run)
    }

    /// The nesting of a workflow this run calls, which records its requests in this run's
    /// record.
    pub fn child(&mut self) -> Nesting<'_> {
        Nesting {
            depth: self.depth + 1,
            deadline: self.deadline,
            record: Some(&mut self.record),
            journal: self.journal,
        }
    }

    /// The requests this run and the workflows it called sent, with what came of each, in
    /// order (for its `Progress`).
    pub fn sent_requests(&self) -> Vec<SentRequest> {
        self.record.sent(self.first, &self.secrets())
    }

    /// Time left before the workflow deadline: `None` without a workflow timeout, or the
    /// `WorkflowTimeout` error once it has passed.
    pub(crate) fn remaining(&self) -> Result<Option<Duration>, ErrorKind> {
        let Some(deadline) = self.deadline else {
            return Ok(None);
        };
        match deadline.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(Some(left)),
            _ => Err(self.timeout_error()),
        }
    }

    pub(crate) fn timeout_error(&self) -> ErrorKind {
        ErrorKind::WorkflowTimeout(self.core.workflow_timeout.unwrap_or_default())
    }

    /// The error of `step`, which calls a workflow that did not finish within the step's
    /// `timeout` of `limit` ([`within`] gave up on it): [`ErrorKind::StepTimeout`]. A request
    /// the called workflow had in flight is kept in the record as sent without an answer.
    pub fn step_timed_out(&mut self, step: &'static StepSpec, limit: Duration) -> Error {
        self.record.abandon_in_flight();
        self.step_error(step, ErrorKind::StepTimeout(limit))
    }

    /// The error for a success criterion of a step that calls a workflow.
    pub fn call_criterion_failed(&self, step: &'static StepSpec, criterion: &'static str) -> Error {
        self.step_error(step, ErrorKind::CriterionNotMet(criterion))
    }

    /// Starts a run of `workflow` at `nesting` like [`Run::nested`]; the outermost run first
    /// checks with `preflight` that every step it may run has its credentials.
    pub fn start(
        core: &'c ClientCore,
        workflow: &'static str,
        nesting: Nesting<'c>,
        preflight: fn(&Run<'_>) -> Result<(), Error>,
    ) -> Result<Self, Error> {
        let top = nesting.depth == 0;
        let run = Run::nested(core, workflow, nesting)?;
        if top {
            preflight(&run)?;
        }
        Ok(run)
    }

    /// The `arazzo.workflow` span of this run (workflow and call depth).
    pub fn span(&self) -> tracing::Span {
        tracing::info_span!(
            "arazzo.workflow",
            workflow = self.workflow,
            depth = self.depth
        )
    }

    /// Gives `error` this run's context when it has none yet: an error of the step being
    /// executed names the step, one before the first step or after the last the workflow
    /// only. The one error boundary of generated code: an error that already names its
    /// workflow (a called workflow's) is kept as it is. The outermost run adds every request
    /// sent, at any depth, and what came of it.
    pub fn locate(&self, error: Error) -> Error {
        let error = if error.workflow().is_some() {
            error
        } else {
            match self.current {
                Some(step) => self.step_error(step, error.into_kind()),
                None => self.workflow_error(error.into_kind()),
            }
        };
        if self.depth == 0 {
            error.with_sent(self.workflow, self.sent_requests())
        } else {
            error
        }
    }

    /// Marks the end of the steps: errors from here on (the workflow's outputs) belong to the
    /// workflow, not to the step that ran last.
    pub fn leave_steps(&mut self) {
        self.current = None;
    }

    /// Starts `step`: counts it against the client's step budget and the workflow deadline.
    pub fn enter_step(&mut self, step: &'static StepSpec) -> Result<(), Error> {
        self.current = Some(step);
        if let Err(kind) = self.remaining() {
            return Err(self.step_error(step, kind));
        }
        self.executed += 1;
        if self.executed > self.core.step_budget {
            return Err(
                self.step_error(step, ErrorKind::StepBudgetExhausted(self.core.step_budget))
            );
        }
        Ok(())
    }

    /// Whether the retry action `action` of `step` may retry once more (at most `limit` times
    /// in this run); counts the retry when it may.
    pub fn take_retry(&mut self, step: &'static StepSpec, action: usize, limit: u32) -> bool {
        match self
            .retries
            .iter_mut()
            .find(|(s, a, _)| *s == step.id && *a == action)
        {
            Some((_, _, used)) if *used >= limit => false,
            Some((_, _, used)) => {
                *used += 1;
                true
            }
            None if limit == 0 => false,
            None => {
                self.retries.push((step.id, action, 1));
                true
            }
        }
    }

    /// Waits before a retry: the response's `Retry-After` (seconds or an HTTP date) when there
    /// is a response that has one, else the action's `retryAfter` (seconds); never longer than the client's
    /// `max_retry_delay`, so a hostile server cannot park the run. In a journaled run the
    /// wait is the journal's (a durable timer); its failure ends the run.
    pub async fn retry_delay(
        &self,
        retry_after: Option<f64>,
        response: Option<&Response>,
    ) -> Result<(), Error> {
        let delay = crate::transport::retry_delay_for(
            response.and_then(|r| r.header("retry-after")),
            retry_after,
            std::time::SystemTime::now(),
        )
        .min(self.core.max_retry_delay);
        // Never wait past the workflow deadline: the next step then fails with the timeout.
        let delay = match self.remaining() {
            Ok(Some(left)) => delay.min(left),
            Ok(None) => delay,
            Err(_) => Duration::ZERO,
        };
        tracing::debug!(delay_ms = delay.as_millis() as u64, "waiting before retry");
        if delay.is_zero() {
            return Ok(());
        }
        match self.journal {
            None => {
                tokio::time::sleep(delay).await;
                Ok(())
            }
            Some(journal) => journal
                .sleep(delay)
                .await
                .map_err(|e| self.workflow_error(crate::journal::replayed_failure(e))),
        }
    }

    /// Starts `step` ([`Run::enter_step`]) and returns its new, empty request.
    pub fn request<'a>(&mut self, step: &'static StepSpec) -> Result<Request<'a>, Error> {
        self.enter_step(step)?;
        Ok(Request::new(step))
    }

    /// Records that `step` completed with `outputs`: its request succeeded and its outputs
    /// were decoded. A journaled run tells its journal, with the run's secrets masked in the
    /// outputs.
    pub fn complete<O: serde::Serialize>(&mut self, step: &'static StepSpec, outputs: &O) {
        self.completed.push(step.id);
        self.record.decoded(self.depth, step);
        if let Some(journal) = self.journal {
            let mut outputs = serde_json::to_value(outputs).unwrap_or(serde_json::Value::Null);
            crate::secret::mask_json(&mut outputs, &self.secrets());
            journal.step_completed(self.workflow, step.id, &outputs);
        }
    }

    /// Attaches the run's context (workflow, step, completed steps) to an error kind.
    pub fn step_error(&self, step: &'static StepSpec, kind: ErrorKind) -> Error {
        Error::in_workflow(
            self.masked(kind),
            self.workflow,
            Some((step.id, step.operation)),
            self.completed.clone(),
        )
    }

    /// Attaches the run's context to an error that belongs to no single step.
    pub fn workflow_error(&self, kind: ErrorKind) -> Error {
        Error::in_workflow(
            self.masked(kind),
            self.workflow,
            None,
            self.completed.clone(),
        )
    }

    /// `kind` with the run's secrets masked in the values serde quotes in its messages (a
    /// secret echoed in a field of the wrong type, or passed to a callee's input of another
    /// type).
    fn masked(&self, mut kind: ErrorKind) -> ErrorKind {
        if let ErrorKind::Decode { reason, .. } | ErrorKind::CalleeInputs { reason, .. } = &mut kind
        {
            for secret in self.secrets() {
                *reason = reason.replace(secret.as_str(), "***");
            }
        }
        kind
    }

    /// The error of a step that failed and that no failure action handled: the transport
    /// error when no response came, else the success criterion that was not met.
    pub fn step_failed(
        &self,
        step: &'static StepSpec,
        criterion: &'static str,
        response: Response,
    ) -> Error {
        if let Some(error) = response.unanswered {
            return error;
        }
        self.step_error(
            step,
            ErrorKind::CriteriaNotMet {
                criterion,
                status: response.status,
                body: response.excerpt(&self.secrets()),
            },
        )
    }

    pub(crate) fn pick_security(&self, step: &StepSpec) -> Option<&'static [usize]> {
        if step.security.is_empty() {
            return Some(&[]);
        }
        step.security
            .iter()
            .find(|alt| alt.iter().all(|i| self.core.credential(*i).is_some()))
            .copied()
    }
}

/// The outputs of step `step` when it has completed in this run (`$steps.<step>.outputs.…`),
/// else [`ErrorKind::StepNotRun`].
pub fn completed<'a, T>(outputs: &'a Option<T>, step: &'static str) -> Result<&'a T, ErrorKind> {
    outputs.as_ref().ok_or(ErrorKind::StepNotRun(step))
}

/// The inputs and outputs of workflow `workflow` when it ran in this run
/// (`$workflows.<workflow>.…`), else [`ErrorKind::WorkflowNotRun`].
pub fn ran<'a, T>(run: &'a Option<T>, workflow: &'static str) -> Result<&'a T, ErrorKind> {
    run.as_ref().ok_or(ErrorKind::WorkflowNotRun(workflow))
}

/// Secrets shorter than this are not masked in text (see [`Run::secrets`]).
pub(crate) const MIN_MASKED_LEN: usize = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_in_the_values_serde_quotes() {
        static STEP: StepSpec = StepSpec {
            id: "call",
            operation: "callee",
            source: 0,
            method: "GET",
            path: &[],
            security: &[],
            keeps_request: false,
        };
        let core = crate::client::ClientCoreBuilder::new(&[], &[])
            .build()
            .expect("builds");
        let mut run = Run::new(&core, "wf");
        run.mask("hunter2-pass");
        // A caller's secret passed to a callee's integer input.
        let kind = crate::json::callee_inputs::<i64>("callee", serde_json::json!("hunter2-pass"))
            .expect_err("a string for an integer");
        let error = run.step_error(&STEP, kind);
        // The run itself, and the nesting it hands a callee, count masked values only.
        let shown = format!("{run:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        let shown = format!("{:?}", run.child());
        assert!(!shown.contains("hunter2"), "{shown}");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }

    #[test]
    fn secrets_shorter_than_four_characters_are_not_masked() {
        let core = crate::client::ClientCoreBuilder::new(&[], &[])
            .build()
            .expect("builds");
        let mut run = Run::new(&core, "wf");
        run.mask("abc");
        run.mask("long-secret");
        assert_eq!(run.secrets(), ["long-secret"]);
        run.mask("pa ss\"word");
        let secrets = run.secrets();
        for form in [
            "pa ss\"word",
            "pa ss\\\"word",
            "pa%20ss%22word",
            "pa+ss%22word",
            "pa ss&quot;word",
        ] {
            assert!(secrets.iter().any(|s| s == form), "{form}: {secrets:?}");
        }
    }
}
