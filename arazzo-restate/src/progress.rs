//! What the `progress` handler answers: the steps of a run that completed, with their outputs.

use serde::{Deserialize, Serialize};

/// The workflow state key under which a run keeps its completed steps.
pub(crate) const PROGRESS_KEY: &str = "arazzo.progress";

/// One completed step of a run, as the `progress` handler lists it: a JSON array of these in
/// the order the steps first completed, each step once, with the outputs of its latest
/// completion (a step that a `goto` or a `retry` ran again keeps its place).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompletedStep {
    /// The `workflowId` the step belongs to (a called workflow's steps are listed too).
    pub workflow: String,
    /// The step's `stepId`.
    pub step: String,
    /// The step's outputs, by name (an empty object for a step without outputs).
    pub outputs: serde_json::Value,
}
