//! The one error type of generated workflows.

use std::any::Any;
use std::fmt;
use std::time::Duration;

use crate::record::{Outcome, SentRequest};

/// Why a workflow run (or building its client) failed.
///
/// Matching on the kind tells *what* went wrong; [`Error`] adds *where* (workflow, step,
/// operation) and *what already happened* (the steps that completed before the failure).
///
/// The enum is `#[non_exhaustive]`: a match needs a `_` arm.
///
/// ```
/// use arazzo_runtime::ErrorKind;
///
/// fn retry_later(kind: &ErrorKind) -> bool {
///     matches!(
///         kind,
///         ErrorKind::Transport(_)
///             | ErrorKind::Timeout(_)
///             | ErrorKind::CriteriaNotMet { status: 429 | 503, .. }
///     )
/// }
///
/// let throttled = ErrorKind::CriteriaNotMet {
///     criterion: "$statusCode == 200",
///     status: 429,
///     body: String::new(),
/// };
/// assert!(retry_later(&throttled));
/// assert_eq!(
///     throttled.to_string(),
///     "success criterion `$statusCode == 200` not met (HTTP status 429)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client configuration is invalid (for example a base URL that does not parse).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// An operation of the workflow needs a credential that the client was not given.
    /// Reported before the first request of the run is sent.
    #[error(
        "missing credential for security scheme `{scheme}` of source `{source_name}`; \
         set it with `ClientBuilder::{builder_method}`"
    )]
    MissingCredential {
        /// The source description that declares the scheme.
        source_name: &'static str,
        /// The security scheme's name in the OpenAPI document.
        scheme: &'static str,
        /// The generated builder method that supplies it.
        builder_method: &'static str,
    },
    /// The HTTP request could not be completed (connection refused, reset, TLS, ...).
    /// The URL is left out of the message so no query-string secret can leak.
    #[error("request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// No complete response arrived within the configured request timeout.
    #[error("no response within {0:?}")]
    Timeout(Duration),
    /// A success criterion of the step evaluated to false.
    #[error(
        "success criterion `{criterion}` not met (HTTP status {status}{})",
        body_suffix(body)
    )]
    CriteriaNotMet {
        /// The criterion as written in the document.
        criterion: &'static str,
        /// The response's HTTP status code.
        status: u16,
        /// A short, single-line, redacted excerpt of the response body (empty if none).
        body: String,
    },
    /// The response body was needed as JSON but is not valid JSON.
    #[error("response body is not valid JSON: {0}")]
    BodyNotJson(#[source] serde_json::Error),
    /// A value the workflow reads is absent: a response body member, or a response header,
    /// request header, query or path value.
    #[error("{}", missing_value(pointer))]
    MissingValue {
        /// The JSON pointer that was read in the response body (`/data/values`), or the name
        /// of the header or parameter.
        pointer: &'static str,
    },
    /// A value read from the response does not have the type the OpenAPI schema promises.
    #[error("response value at `{pointer}` does not match the schema: {reason}")]
    Decode {
        /// The JSON pointer of the exact member that failed (`/data/values/2026-11-29`): the
        /// pointer an output reads, followed by the path inside its value.
        pointer: String,
        /// What serde found, and what the schema's type expected; the run's secrets in it are
        /// masked (serde quotes the value it found).
        reason: String,
    },
    /// The response body is larger than the client's limit.
    #[error("response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The configured limit in bytes.
        limit: usize,
    },
    /// A header value would be invalid on the wire (for example it contains CR or LF).
    #[error("invalid value for header `{name}`: {reason}")]
    InvalidHeader {
        /// The header's name.
        name: String,
        /// Why the value was refused.
        reason: &'static str,
    },
    /// A request value could not be encoded (for example a map with non-string keys).
    #[error("cannot encode a request value: {0}")]
    Encode(#[source] serde_json::Error),
    /// The request cannot be built as the document asks (a path value `.` or `..`, a URL
    /// longer than the HTTP client accepts): nothing was sent, and it is never resent.
    #[error("the request cannot be built: {0}")]
    InvalidRequest(String),
    /// The request body cannot be built in the requested form.
    #[error("invalid request body: {0}")]
    InvalidBody(&'static str),
    /// A member of an XML or multipart payload cannot be written as the request body's
    /// schema says (an object where it says string, a character XML cannot carry, a file part
    /// that is not bytes). The message names the member and the kind of value, never the value.
    #[error("cannot write the request payload{}: {reason}", payload_at(pointer))]
    InvalidPayload {
        /// The JSON pointer of the member in the payload (empty for the payload itself).
        pointer: String,
        /// What the schema expected there.
        reason: String,
    },
    /// An `xpath` Selector Object could not be evaluated: its context is not an XML document
    /// (not text, not well-formed, nested too deep) or the expression raised an error.
    #[error("XPath selector `{query}` cannot be evaluated: {reason}")]
    XPath {
        /// The selector as written.
        query: &'static str,
        /// Why, as one line (an XPath error code and its description, or what is wrong with
        /// the document; never the document's content).
        reason: String,
    },
    /// The workflow read the outputs of a step that has not run in this execution.
    #[error("step `{0}` has not run, so its outputs cannot be read")]
    StepNotRun(&'static str),
    /// A success criterion of a step that calls a workflow evaluated to false.
    #[error("success criterion `{0}` not met")]
    CriterionNotMet(&'static str),
    /// The parameters of a step that calls a workflow do not fit that workflow's inputs (the
    /// compiler checks them where both sides are typed; free-form JSON is checked here).
    #[error(
        "the parameters do not fit the inputs of workflow `{workflow}`{}: {reason}",
        input_at(input)
    )]
    CalleeInputs {
        /// The called workflow.
        workflow: &'static str,
        /// The input that does not fit, as a JSON pointer into the inputs (`/count`,
        /// `/customer/name`); empty when serde names no member (a missing input, which the
        /// message names).
        input: String,
        /// What serde found; the run's secrets in it are masked (serde quotes the value).
        reason: String,
    },
    /// The workflow read the inputs or outputs of a workflow that has not run in this
    /// execution (`$workflows.<id>.…`).
    #[error("workflow `{0}` has not run, so its inputs and outputs cannot be read")]
    WorkflowNotRun(&'static str),
    /// Workflows called each other deeper than the runtime allows.
    #[error("workflow calls nested deeper than {0} levels")]
    CallDepthExceeded(usize),
    /// The run executed more steps than the client's step budget allows (a goto loop).
    #[error("step budget of {0} steps exhausted")]
    StepBudgetExhausted(usize),
    /// The whole run took longer than the client's workflow timeout. Nothing is sent after
    /// the deadline; a request in flight at the deadline is abandoned.
    #[error("workflow did not finish within {0:?}")]
    WorkflowTimeout(Duration),
    /// A step that calls a workflow did not complete within its `timeout` (Arazzo 1.1), so the
    /// call was abandoned: a failure of the step, which its failure actions may handle. A
    /// request the called workflow had in flight is recorded as sent without an answer.
    #[error("the step did not complete within its timeout of {} ms", .0.as_millis())]
    StepTimeout(Duration),
    /// A message-broker operation of an AsyncAPI step failed: connecting, sending, subscribing,
    /// or no matching message within the step's `timeout` ([`MessageError::Timeout`]).
    ///
    /// [`MessageError::Timeout`]: crate::message::MessageError::Timeout
    #[error("message broker: {0}")]
    Message(#[from] crate::message::MessageError),
    /// A step's effect (an HTTP exchange, a message) failed in a journaled run, as the
    /// [`Journal`](crate::Journal) returned it: a failure recorded in an earlier attempt of
    /// the run (its message), or one the engine reports.
    #[error("{0}")]
    Journaled(String),
}

/// A failed workflow run: what went wrong, where, and which requests had already been sent
/// and what came of them.
///
/// `Display` is one readable line, for example:
/// `workflow `identity-resolve-and-track`, step `segmentEvent` (operation `querySegmentation`):
/// success criterion `$statusCode == 200` not met (HTTP status 401); completed steps:
/// createIdentity, trackForUser`. It names every request that took effect without completing
/// its step (`step `createIssue` was answered 201 but its outputs were not decoded: the
/// request took effect`) or got no answer (`... was sent but got no answer: the server may
/// have received it`), at any depth of called workflows.
///
/// Match on [`Error::kind`] to decide what to do; [`Error::sent_requests`],
/// [`Error::completed_steps`] and the workflow module's `Progress::of(&error)` tell which side
/// effects already happened.
///
/// ```
/// use arazzo_runtime::{Error, ErrorKind};
///
/// fn should_page_someone(err: &Error) -> bool {
///     match err.kind() {
///         ErrorKind::Timeout(_) | ErrorKind::Transport(_) => false, // try again later
///         ErrorKind::CriteriaNotMet { status: 401 | 403, .. } => true, // credentials
///         _ => !err.completed_steps().is_empty(), // half done: a person decides
///     }
/// }
///
/// let err = Error::new(ErrorKind::Config("no base URL".into()));
/// assert_eq!(err.to_string(), "invalid client configuration: no base URL");
/// assert!(!should_page_someone(&err));
/// ```
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    workflow: Option<&'static str>,
    step: Option<&'static str>,
    operation: Option<&'static str>,
    completed_steps: Vec<&'static str>,
    /// The workflow that was run, when the failure happened in a workflow it called.
    called_from: Option<&'static str>,
    /// Every request the run sent, at any depth, and what came of it.
    sent: Vec<SentRequest>,
    /// The typed outputs of the steps that completed: the generated `Progress` of each
    /// workflow the failure passed through, innermost (the one that failed) first.
    progress: Vec<Box<dyn Any + Send + Sync>>,
}

impl Error {
    /// An error with no workflow context (for example from building the client).
    ///
    /// ```
    /// use arazzo_runtime::{Error, ErrorKind};
    /// let err = Error::new(ErrorKind::StepBudgetExhausted(1_000));
    /// assert_eq!(err.workflow(), None);
    /// assert!(matches!(err.into_kind(), ErrorKind::StepBudgetExhausted(1_000)));
    /// ```
    pub fn new(kind: ErrorKind) -> Self {
        Error(Box::new(Inner {
            kind,
            workflow: None,
            step: None,
            operation: None,
            completed_steps: Vec::new(),
            called_from: None,
            sent: Vec::new(),
            progress: Vec::new(),
        }))
    }

    pub(crate) fn in_workflow(
        kind: ErrorKind,
        workflow: &'static str,
        step: Option<(&'static str, &'static str)>,
        completed_steps: Vec<&'static str>,
    ) -> Self {
        Error(Box::new(Inner {
            kind,
            workflow: Some(workflow),
            step: step.map(|s| s.0),
            operation: step.map(|s| s.1),
            completed_steps,
            called_from: None,
            sent: Vec::new(),
            progress: Vec::new(),
        }))
    }

    /// Attaches the requests that the run of workflow `outermost` sent (the outermost run's
    /// error boundary does).
    pub(crate) fn with_sent(mut self, outermost: &'static str, sent: Vec<SentRequest>) -> Self {
        self.0.called_from = self
            .0
            .workflow
            .is_some_and(|w| w != outermost)
            .then_some(outermost);
        self.0.sent = sent;
        self
    }

    /// Attaches the typed outputs of the steps that completed in one workflow run. A failure
    /// in a called workflow passes through its callers, and each attaches its own, so every
    /// workflow on the way keeps its record. Used by generated code.
    #[doc(hidden)]
    pub fn with_progress<P: Any + Send + Sync>(mut self, progress: P) -> Self {
        self.0.progress.push(Box::new(progress));
        self
    }

    /// The typed outputs of the steps that completed before the failure in the run of one
    /// workflow: `P` is that workflow module's `Progress` struct (one `Option` per step, `Some`
    /// for each step that completed). Prefer that module's `Progress::of(&error)`.
    ///
    /// When the failure happened in a called workflow, both the caller's and the callee's
    /// `Progress` are kept; when `P` ran more than once on the way (it cannot call itself, but
    /// two of its callers may call it), the outermost run's is returned.
    ///
    /// `None` when no workflow run with `Progress` type `P` is part of the failure.
    ///
    /// ```
    /// use arazzo_runtime::{Error, ErrorKind};
    /// #[derive(Debug, PartialEq)]
    /// struct Progress { first: Option<i64> } // what a generated `Progress` looks like
    ///
    /// let err = Error::new(ErrorKind::StepBudgetExhausted(3))
    ///     .with_progress(Progress { first: Some(7) });
    /// assert_eq!(err.progress::<Progress>(), Some(&Progress { first: Some(7) }));
    /// assert_eq!(err.progress::<String>(), None);
    /// ```
    pub fn progress<P: Any>(&self) -> Option<&P> {
        self.0
            .progress
            .iter()
            .rev()
            .find_map(|p| p.downcast_ref::<P>())
    }

    /// Whether the step got no usable response (a transport error, a request timeout, a body
    /// over the limit): a failure of the step, which its failure actions may handle. A
    /// workflow timeout is not one: nothing may run after it.
    pub(crate) fn is_unanswered(&self) -> bool {
        matches!(
            self.0.kind,
            ErrorKind::Transport(_)
                | ErrorKind::Timeout(_)
                | ErrorKind::BodyTooLarge { .. }
                | ErrorKind::Journaled(_)
        )
    }

    /// What went wrong.
    ///
    /// ```
    /// use std::time::Duration;
    /// use arazzo_runtime::{Error, ErrorKind};
    /// let err = Error::new(ErrorKind::Timeout(Duration::from_secs(30)));
    /// assert!(matches!(err.kind(), ErrorKind::Timeout(t) if t.as_secs() == 30));
    /// ```
    pub fn kind(&self) -> &ErrorKind {
        &self.0.kind
    }

    /// Consumes the error, returning what went wrong.
    ///
    /// ```
    /// use arazzo_runtime::{Error, ErrorKind};
    /// let kind = Error::new(ErrorKind::CallDepthExceeded(32)).into_kind();
    /// assert_eq!(kind.to_string(), "workflow calls nested deeper than 32 levels");
    /// ```
    pub fn into_kind(self) -> ErrorKind {
        self.0.kind
    }

    /// The `workflowId` of the failed run, if the error happened during a run.
    pub fn workflow(&self) -> Option<&'static str> {
        self.0.workflow
    }

    /// The `stepId` of the step that failed, if the error belongs to one step.
    pub fn step(&self) -> Option<&'static str> {
        self.0.step
    }

    /// The operation the failing step calls (its `operationId`, or method and path).
    pub fn operation(&self) -> Option<&'static str> {
        self.0.operation
    }

    /// The steps of the failed workflow's run ([`Error::workflow`]) that completed before the
    /// failure, in execution order: their requests were answered and their outputs decoded (a
    /// step that calls a workflow: the call succeeded). Their side effects happened.
    ///
    /// A step whose request was answered but whose outputs were not decoded is not here, nor
    /// is a step of a caller of the failed workflow: [`Error::sent_requests`] lists every
    /// request of the whole run.
    pub fn completed_steps(&self) -> &[&'static str] {
        &self.0.completed_steps
    }

    /// Every request the run sent before the failure, in order, at any depth of called
    /// workflows, each with what came of it: [`Outcome::NoAnswer`] (the server may have
    /// received it), [`Outcome::Answered`] (a status, outputs not decoded: a 2xx answer took
    /// effect) or [`Outcome::Decoded`] (the step completed). Empty when nothing was sent.
    ///
    /// ```
    /// use arazzo_runtime::{Error, ErrorKind, Outcome};
    ///
    /// /// Whether running the workflow again could repeat a side effect.
    /// fn unsafe_to_rerun(err: &Error) -> bool {
    ///     err.sent_requests().iter().any(|r| {
    ///         r.method != "GET"
    ///             && matches!(
    ///                 r.outcome,
    ///                 Outcome::NoAnswer | Outcome::Answered(200..=299) | Outcome::Decoded(_)
    ///             )
    ///     })
    /// }
    ///
    /// let err = Error::new(ErrorKind::StepBudgetExhausted(3));
    /// assert!(err.sent_requests().is_empty());
    /// assert!(!unsafe_to_rerun(&err));
    /// ```
    pub fn sent_requests(&self) -> &[SentRequest] {
        &self.0.sent
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.0;
        if let Some(workflow) = inner.workflow {
            write!(f, "workflow `{workflow}`")?;
            if let Some(outermost) = inner.called_from {
                write!(f, " (called from `{outermost}`)")?;
            }
            if let Some(step) = inner.step {
                write!(f, ", step `{step}`")?;
            }
            if let Some(op) = inner.operation {
                write!(f, " (operation `{op}`)")?;
            }
            f.write_str(": ")?;
        }
        write!(f, "{}", inner.kind)?;
        if inner.workflow.is_some() {
            side_effects(f, &inner.sent)?;
        }
        Ok(())
    }
}

/// What the requests of a failed run did, for [`Error`]'s `Display`: the steps that completed,
/// then each request that took effect without completing its step or got no answer. HTTP's
/// safe methods (`GET`, ...) change nothing, and a non-2xx answer did not take effect, so
/// those are named only as completed steps.
fn side_effects(f: &mut fmt::Formatter<'_>, sent: &[SentRequest]) -> fmt::Result {
    if sent.is_empty() {
        return f.write_str("; no request was sent");
    }
    // A step that completed several times in a row (a `goto` loop, a polled step) is named
    // once, with how often: `listComments (×3)`.
    let mut completed: Vec<(String, usize)> = Vec::new();
    for step in sent
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Decoded(_)))
        .map(SentRequest::qualified_step)
    {
        match completed.last_mut() {
            Some((last, times)) if *last == step => *times += 1,
            _ => completed.push((step, 1)),
        }
    }
    let mut told = !completed.is_empty();
    if told {
        let named: Vec<String> = completed
            .iter()
            .map(|(step, times)| match times {
                1 => step.clone(),
                n => format!("{step} (×{n})"),
            })
            .collect();
        write!(f, "; completed steps: {}", named.join(", "))?;
    }
    for request in sent.iter().filter(|r| !r.is_safe()) {
        match request.outcome {
            Outcome::Answered(status @ 200..=299) => write!(
                f,
                "; step `{}` was answered {status} but its outputs were not decoded: the \
                 request took effect",
                request.qualified_step()
            )?,
            Outcome::NoAnswer => write!(
                f,
                "; step `{}` was sent but got no answer: the server may have received it",
                request.qualified_step()
            )?,
            _ => continue,
        }
        told = true;
    }
    if !told {
        f.write_str("; no request took effect")?;
    }
    Ok(())
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("workflow", &self.0.workflow)
            .field("step", &self.0.step)
            .field("operation", &self.0.operation)
            .field("completed_steps", &self.0.completed_steps)
            .field("sent_requests", &self.0.sent)
            // The outputs themselves may hold tokens: only say whether they are kept.
            .field("has_progress", &!self.0.progress.is_empty())
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0.kind)
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

/// `, body: …` for a non-empty excerpt, for [`ErrorKind::CriteriaNotMet`]'s message.
fn body_suffix(body: &str) -> String {
    if body.is_empty() {
        String::new()
    } else {
        format!(", body: {body}")
    }
}

/// Where in the payload an [`ErrorKind::InvalidPayload`] is: nothing for the payload itself.
/// Where in a callee's inputs [`ErrorKind::CalleeInputs`] failed, for its message.
fn input_at(pointer: &str) -> String {
    match pointer.strip_prefix('/') {
        Some(path) => format!(" at input `{path}`"),
        None => String::new(),
    }
}

fn payload_at(pointer: &str) -> String {
    if pointer.is_empty() {
        String::new()
    } else {
        format!(" at `{pointer}`")
    }
}

/// The message of [`ErrorKind::MissingValue`]: body pointers start with `/` (or are empty, the
/// whole body); anything else is a header or parameter name.
fn missing_value(pointer: &str) -> String {
    if pointer.is_empty() || pointer.starts_with('/') {
        format!("response body has no value at `{pointer}`")
    } else {
        format!("no header or parameter `{pointer}` to read")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(
        workflows: &[&'static str],
        step: &'static str,
        method: &'static str,
        outcome: Outcome,
    ) -> SentRequest {
        SentRequest {
            workflows: workflows.to_vec(),
            step,
            operation: step,
            method,
            path: format!("/{step}"),
            outcome,
        }
    }

    fn criteria_not_met(status: u16) -> ErrorKind {
        ErrorKind::CriteriaNotMet {
            criterion: "$statusCode == 200",
            status,
            body: String::new(),
        }
    }

    #[test]
    fn display_names_workflow_step_operation_and_completed_steps() {
        let err = Error::in_workflow(criteria_not_met(401), "wf", Some(("s2", "op2")), vec!["s1"])
            .with_sent(
                "wf",
                vec![
                    sent(&["wf"], "s1", "POST", Outcome::Decoded(201)),
                    sent(&["wf"], "s2", "POST", Outcome::Answered(401)),
                ],
            );
        assert_eq!(
            err.to_string(),
            "workflow `wf`, step `s2` (operation `op2`): success criterion `$statusCode == 200` \
             not met (HTTP status 401); completed steps: s1"
        );
        assert_eq!(err.completed_steps(), ["s1"]);
    }

    #[test]
    fn display_says_when_nothing_was_sent() {
        let err = Error::in_workflow(
            ErrorKind::StepBudgetExhausted(3),
            "wf",
            Some(("s1", "op1")),
            Vec::new(),
        );
        assert_eq!(
            err.to_string(),
            "workflow `wf`, step `s1` (operation `op1`): step budget of 3 steps exhausted; no \
             request was sent"
        );
    }

    #[test]
    fn display_names_a_2xx_answer_whose_outputs_were_not_decoded() {
        let err = Error::in_workflow(
            ErrorKind::MissingValue { pointer: "/id" },
            "wf",
            Some(("createIssue", "createIssue")),
            Vec::new(),
        )
        .with_sent(
            "wf",
            vec![sent(&["wf"], "createIssue", "POST", Outcome::Answered(201))],
        );
        let shown = err.to_string();
        assert!(
            shown.ends_with(
                "response body has no value at `/id`; step `createIssue` was answered 201 but \
                 its outputs were not decoded: the request took effect"
            ),
            "{shown}"
        );
        assert!(!shown.contains("no step completed"), "{shown}");
    }

    #[test]
    fn display_names_nested_steps_by_their_workflows_and_unanswered_requests() {
        let err = Error::in_workflow(
            ErrorKind::Timeout(Duration::from_secs(30)),
            "inner",
            Some(("comment", "addComment")),
            vec!["label"],
        )
        .with_sent(
            "outer",
            vec![
                sent(&["outer"], "read", "GET", Outcome::Decoded(200)),
                sent(&["outer", "inner"], "label", "PUT", Outcome::Decoded(200)),
                sent(&["outer", "inner"], "comment", "POST", Outcome::NoAnswer),
            ],
        );
        let shown = err.to_string();
        assert!(
            shown.starts_with("workflow `inner` (called from `outer`), step `comment`"),
            "{shown}"
        );
        assert!(
            shown.ends_with(
                "; completed steps: read, inner/label; step `inner/comment` was sent but got no \
                 answer: the server may have received it"
            ),
            "{shown}"
        );
    }

    #[test]
    fn display_counts_a_step_that_completed_several_times_in_a_row() {
        let page = || sent(&["wf"], "listComments", "GET", Outcome::Decoded(200));
        let err = Error::in_workflow(
            ErrorKind::StepBudgetExhausted(1000),
            "wf",
            Some(("listComments", "listComments")),
            Vec::new(),
        )
        .with_sent(
            "wf",
            vec![
                sent(&["wf"], "login", "POST", Outcome::Decoded(200)),
                page(),
                page(),
                page(),
                sent(&["wf"], "close", "PATCH", Outcome::Decoded(200)),
                page(),
            ],
        );
        let shown = err.to_string();
        assert!(
            shown.ends_with("; completed steps: login, listComments (×3), close, listComments"),
            "{shown}"
        );
    }

    #[test]
    fn display_keeps_quiet_about_safe_requests_and_refused_ones() {
        // A GET answered 200 whose criteria failed, then a POST answered 409: neither took
        // effect.
        let err = Error::in_workflow(
            criteria_not_met(409),
            "wf",
            Some(("create", "op")),
            Vec::new(),
        )
        .with_sent(
            "wf",
            vec![
                sent(&["wf"], "poll", "GET", Outcome::Answered(200)),
                sent(&["wf"], "poll", "GET", Outcome::NoAnswer),
                sent(&["wf"], "create", "POST", Outcome::Answered(409)),
            ],
        );
        assert!(
            err.to_string()
                .ends_with("(HTTP status 409); no request took effect"),
            "{err}"
        );
    }

    #[test]
    fn missing_values_say_whether_a_body_member_or_a_named_value_is_missing() {
        let body = ErrorKind::MissingValue {
            pointer: "/data/values",
        };
        assert_eq!(
            body.to_string(),
            "response body has no value at `/data/values`"
        );
        let header = ErrorKind::MissingValue { pointer: "x-rate" };
        assert_eq!(
            header.to_string(),
            "no header or parameter `x-rate` to read"
        );
    }

    #[test]
    fn error_is_small() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }
}
