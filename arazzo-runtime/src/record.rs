//! What a run sent, for errors to tell which side effects happened: one entry per request, in
//! order and across called workflows, with what came of it (no answer, answered, outputs
//! decoded). The outermost run owns the record and the workflows it calls write to it too, so
//! a request is recorded once however deep it was sent and however a failure travels up.

use std::ops::Range;

use crate::spec::StepSpec;

/// What came of a request a run sent.
///
/// ```
/// use arazzo_runtime::Outcome;
/// assert_eq!(Outcome::Answered(201).status(), Some(201));
/// assert_eq!(Outcome::NoAnswer.status(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Sent, but no complete answer arrived (the connection broke, the request timed out, the
    /// body was over the limit): the server may have received it and acted on it.
    NoAnswer,
    /// Answered with this HTTP status, but the step's outputs were not decoded (a success
    /// criterion failed, or an output did not decode): the step did not complete, though a
    /// 2xx answer means the request took effect.
    Answered(u16),
    /// Answered with this HTTP status and the step's outputs decoded: the step completed.
    Decoded(u16),
}

impl Outcome {
    /// The HTTP status of the answer, if one arrived.
    pub fn status(self) -> Option<u16> {
        match self {
            Outcome::NoAnswer => None,
            Outcome::Answered(status) | Outcome::Decoded(status) => Some(status),
        }
    }
}

/// A request a workflow run sent, and what came of it: see [`Error::sent_requests`].
///
/// It carries no header, query or body value (they may hold secrets); the path is the one
/// sent, percent-encoded, with the run's secrets masked.
///
/// [`Error::sent_requests`]: crate::Error::sent_requests
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SentRequest {
    /// The workflows from the one that was run down to the one whose step sent the request:
    /// `["triage"]` for a step of the workflow that was run, `["triage", "label-issue"]` for a
    /// step of a workflow that `triage` called.
    pub workflows: Vec<&'static str>,
    /// The `stepId` of the step that sent it.
    pub step: &'static str,
    /// The operation it called (its `operationId`, or method and path).
    pub operation: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The URL path as sent (percent-encoded), without the query string.
    pub path: String,
    /// What came of it.
    pub outcome: Outcome,
}

impl SentRequest {
    /// The step's name as errors show it: its `stepId` for a step of the workflow that was
    /// run, `workflowId/stepId` (each called workflow on the way) for a called workflow's.
    ///
    /// ```
    /// # use arazzo_runtime::{Error, ErrorKind};
    /// let err = Error::new(ErrorKind::StepBudgetExhausted(1));
    /// assert!(err.sent_requests().iter().all(|r| !r.qualified_step().is_empty()));
    /// ```
    pub fn qualified_step(&self) -> String {
        let mut name = String::new();
        for workflow in self.workflows.iter().skip(1) {
            name.push_str(workflow);
            name.push('/');
        }
        name.push_str(self.step);
        name
    }

    /// Whether HTTP says the request changes nothing (`GET`, `HEAD`, `OPTIONS`, `TRACE`: the
    /// safe methods of RFC 9110 §9.2.1), so no side effect needs reporting.
    pub(crate) fn is_safe(&self) -> bool {
        matches!(self.method, "GET" | "HEAD" | "OPTIONS" | "TRACE")
    }
}

/// One entry of the record: a run starting (`step` is `None`), or a request of one of its
/// steps.
struct Entry {
    /// How many calls deep the run is (0 for the workflow that was run).
    depth: usize,
    workflow: &'static str,
    step: Option<&'static StepSpec>,
    /// The URL path, in [`Record::paths`].
    path: Range<usize>,
    /// `None` while the request has not left the client.
    outcome: Option<Outcome>,
}

/// The record of one outermost run and every workflow it calls.
pub(crate) struct Record {
    entries: Vec<Entry>,
    /// The URL paths of the entries, one after another (one buffer, not one string each).
    paths: String,
    /// The values to mask wherever an error or a log would show them: the secret inputs and
    /// outputs of every run of the record and the credentials its documents sent themselves.
    /// A caller's secret stays masked in a callee whose own input is not marked secret, and a
    /// callee's in its caller.
    pub(crate) masked: Vec<String>,
}

impl std::fmt::Debug for Record {
    /// Counts only: the paths and the masked values may hold secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Record")
            .field("entries", &self.entries.len())
            .field("masked", &self.masked.len())
            .finish()
    }
}

impl Record {
    /// An empty record, with room for a typical run's requests so recording them rarely
    /// reallocates.
    pub(crate) fn new() -> Self {
        Record {
            entries: Vec::with_capacity(32),
            paths: String::with_capacity(512),
            masked: Vec::new(),
        }
    }

    /// Records that a run of `workflow` starts at `depth`; returns where its entries begin.
    pub(crate) fn start_run(&mut self, depth: usize, workflow: &'static str) -> usize {
        self.entries.push(Entry {
            depth,
            workflow,
            step: None,
            path: 0..0,
            outcome: None,
        });
        self.entries.len() - 1
    }

    /// Records the request of `step` to `path`, not sent yet.
    pub(crate) fn request(
        &mut self,
        depth: usize,
        workflow: &'static str,
        step: &'static StepSpec,
        path: &str,
    ) {
        let start = self.paths.len();
        self.paths.push_str(path);
        self.entries.push(Entry {
            depth,
            workflow,
            step: Some(step),
            path: start..self.paths.len(),
            outcome: None,
        });
    }

    /// Sets the outcome of the last request.
    pub(crate) fn set_outcome(&mut self, outcome: Outcome) {
        if let Some(entry) = self.entries.last_mut() {
            entry.outcome = Some(outcome);
        }
    }

    /// Forgets the last request when it never left the client (refused before sending).
    pub(crate) fn drop_unsent(&mut self) {
        if let Some(entry) = self.entries.last()
            && entry.step.is_some()
            && entry.outcome.is_none()
        {
            self.paths.truncate(entry.path.start);
            self.entries.pop();
        }
    }

    /// Records that the last request, when it has no outcome yet, was abandoned in flight (a
    /// called workflow stopped at its caller's step timeout): it may have reached the server.
    pub(crate) fn abandon_in_flight(&mut self) {
        if let Some(entry) = self.entries.last_mut()
            && entry.step.is_some()
            && entry.outcome.is_none()
        {
            entry.outcome = Some(Outcome::NoAnswer);
        }
    }

    /// Marks the outputs of `step`'s last request decoded, when that request, sent by the run
    /// at `depth`, is the last one recorded (a step that calls a workflow sent none itself).
    pub(crate) fn decoded(&mut self, depth: usize, step: &'static StepSpec) {
        if let Some(entry) = self.entries.last_mut()
            && entry.depth == depth
            && entry.step.is_some_and(|s| std::ptr::eq(s, step))
            && let Some(Outcome::Answered(status)) = entry.outcome
        {
            entry.outcome = Some(Outcome::Decoded(status));
        }
    }

    /// The requests recorded from entry `from` on (the start of a run: that run's and its
    /// callees'), with the secrets in their paths masked.
    pub(crate) fn sent(&self, from: usize, secrets: &[String]) -> Vec<SentRequest> {
        // The workflows from the outermost run down to the entry's, built from the start so
        // that a callee's requests name their callers too.
        let mut chain: Vec<&'static str> = Vec::new();
        let mut sent = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            let Some(step) = entry.step else {
                chain.truncate(entry.depth);
                chain.push(entry.workflow);
                continue;
            };
            let (true, Some(outcome), Some(path)) = (
                index >= from,
                entry.outcome,
                self.paths.get(entry.path.clone()),
            ) else {
                continue;
            };
            sent.push(SentRequest {
                workflows: chain.get(..=entry.depth).unwrap_or(&chain).to_vec(),
                step: step.id,
                operation: step.operation,
                method: step.method,
                path: crate::request::mask_encoded(path, secrets),
                outcome,
            });
        }
        sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static CREATE: StepSpec = StepSpec {
        id: "create",
        operation: "createIssue",
        source: 0,
        method: "POST",
        path: &[],
        security: &[],
        keeps_request: false,
    };
    static LABEL: StepSpec = StepSpec {
        id: "label",
        operation: "addLabel",
        source: 0,
        method: "POST",
        path: &[],
        security: &[],
        keeps_request: false,
    };

    #[test]
    fn requests_name_every_workflow_on_the_way_and_unsent_ones_are_forgotten() {
        let mut record = Record::new();
        record.start_run(0, "outer");
        record.request(0, "outer", &CREATE, "/issues");
        record.set_outcome(Outcome::Answered(201));
        record.decoded(0, &CREATE);
        let callee = record.start_run(1, "inner");
        // Refused before it left the client.
        record.request(1, "inner", &LABEL, "/issues/7/labels");
        record.drop_unsent();
        record.request(1, "inner", &LABEL, "/issues/secret-7/labels");
        record.set_outcome(Outcome::NoAnswer);
        // A step that calls a workflow marks nothing decoded.
        record.decoded(0, &LABEL);
        let secrets = ["secret-7".to_owned()];
        let all = record.sent(0, &secrets);
        assert_eq!(
            all.iter()
                .map(|r| (r.workflows.clone(), r.step, r.path.as_str(), r.outcome))
                .collect::<Vec<_>>(),
            [
                (vec!["outer"], "create", "/issues", Outcome::Decoded(201)),
                (
                    vec!["outer", "inner"],
                    "label",
                    "/issues/***/labels",
                    Outcome::NoAnswer
                ),
            ]
        );
        assert_eq!(all[1].qualified_step(), "inner/label");
        // The callee's own requests, still named with its caller.
        assert_eq!(record.sent(callee, &secrets), all[1..]);
    }
}
