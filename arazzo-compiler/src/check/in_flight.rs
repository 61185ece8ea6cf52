//! Receive steps that run in flight (Arazzo 1.1 step `dependsOn`, "a join point for in-flight
//! async work"): a receive step that a later step lists in its `dependsOn` does not hold the
//! run up where it is written. Reaching it starts it (its subscription is already armed, so
//! its message cannot be missed), the steps after it run, and it is waited for before the
//! first step that depends on it or reads its outputs, or before the workflow's outputs.
//! Its `timeout` counts from when it was reached; its actions apply where it is waited for.

use crate::arazzo;
use crate::ir::{self, MessageAction};

/// Marks the in-flight receive steps of a workflow (`steps`, lowered from `written`, one to
/// one) and, on every later step, the ones it waits for.
pub(super) fn plan(steps: &mut [ir::Step], written: &[arazzo::Step]) {
    let listed = |at: usize, id: &str| written[at].depends_on.iter().any(|d| d.value == id);
    for receive in 0..steps.len() {
        let is_receive = steps[receive]
            .message
            .as_ref()
            .is_some_and(|m| m.action == MessageAction::Receive);
        let id = steps[receive].id.clone();
        if !is_receive || !(receive + 1..steps.len()).any(|later| listed(later, &id)) {
            continue;
        }
        steps[receive].in_flight = true;
        for (later, step) in steps.iter_mut().enumerate().skip(receive + 1) {
            if listed(later, &id) || step.reads.contains(&id) {
                step.joins.push(receive);
            }
        }
    }
}
