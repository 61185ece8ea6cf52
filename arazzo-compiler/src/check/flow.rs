//! The step graph of a workflow: which step may run after which. Nodes are the steps and
//! a successful end; a step that succeeds falls through to the next one (past the last one:
//! the end) unless an action without criteria ends the workflow or jumps, and every action
//! adds an edge to where it leads (`goto` a step, `retry`, `end` and `goto` a workflow after
//! a success: the end). Conditional actions add their edge and keep the fall-through.
//!
//! Two questions are answered here, and only here: whether a step may read the outputs of a
//! step at or after it in document order (a `goto` loop brings the run back after that step
//! ran: pagination, polling), and whether a step may be skipped on the way to a successful
//! end (then what reads its outputs after the steps is an `Option`).

use super::WorkflowChecker;
use super::actions::{Action, ActionList, ActionType, check_list, effective};
use crate::arazzo;
use crate::diag::Diags;

/// The step graph of one workflow.
#[derive(Debug, Default)]
pub(super) struct Flow {
    /// For each step, where the run may go after it succeeded (`steps.len()`: the end).
    success: Vec<Vec<usize>>,
    /// For each step, where the run may go after it failed (a failure never ends well).
    failure: Vec<Vec<usize>>,
    /// For each node (the steps, then the end), the steps with an edge to it.
    sources: Vec<Vec<usize>>,
}

impl Flow {
    /// The graph of the steps whose success and failure actions (their own, then the
    /// workflow's) are `actions`; actions name their target step by id among `ids`.
    fn of(ids: &[&str], actions: &[(Vec<Action>, Vec<Action>)]) -> Flow {
        let end = ids.len();
        let index = |action: &Action| {
            let step = action.step.as_ref()?;
            ids.iter().position(|id| *id == step.value)
        };
        let mut flow = Flow::default();
        for (i, (on_success, on_failure)) in actions.iter().enumerate() {
            let mut success = Vec::new();
            let mut falls_through = true;
            for action in on_success {
                success.push(match action.kind {
                    // A `goto` a workflow runs it and ends this run.
                    ActionType::Goto => index(action).unwrap_or(end),
                    // (`retry` after a success is an error reported where actions are read.)
                    ActionType::End | ActionType::Retry => end,
                });
                if action.criteria.is_empty() {
                    falls_through = false;
                    break;
                }
            }
            if falls_through {
                success.push(i + 1);
            }
            let failure = on_failure
                .iter()
                .filter_map(|action| match action.kind {
                    // A workflow run after a failure ends this run successfully.
                    ActionType::Goto => Some(index(action).unwrap_or(end)),
                    ActionType::Retry => Some(index(action).unwrap_or(i)),
                    ActionType::End => None,
                })
                .collect();
            flow.success.push(success);
            flow.failure.push(failure);
        }
        flow.index_sources();
        flow
    }

    /// Fills `sources` from the edges.
    fn index_sources(&mut self) {
        let mut sources = vec![Vec::new(); self.success.len() + 1];
        for (from, (success, failure)) in self.success.iter().zip(&self.failure).enumerate() {
            for to in success.iter().chain(failure) {
                if let Some(list) = sources.get_mut(*to) {
                    list.push(from);
                }
            }
        }
        self.sources = sources;
    }

    /// Whether the graph has a loop: an edge back to the same or an earlier step. Without one
    /// no step reads itself or a later step.
    pub(super) fn has_loop(&self) -> bool {
        self.success
            .iter()
            .zip(&self.failure)
            .enumerate()
            .any(|(i, (success, failure))| success.iter().chain(failure).any(|j| *j <= i))
    }

    /// The steps at or after `reader` whose outputs a step at `reader` may read: those after
    /// whose success a run can come back to `reader` (a `goto` loop).
    pub(super) fn looped_into(&self, reader: usize) -> Vec<usize> {
        // The nodes from which `reader` can be reached: one walk against the edges.
        let n = self.success.len();
        let mut reaches = vec![false; n + 1];
        let mut stack = vec![reader];
        while let Some(node) = stack.pop() {
            if reaches.get(node) != Some(&false) {
                continue;
            }
            reaches[node] = true;
            stack.extend(self.sources.get(node).into_iter().flatten().copied());
        }
        (reader..n)
            .filter(|step| {
                self.success
                    .get(*step)
                    .into_iter()
                    .flatten()
                    .any(|to| reaches.get(*to) == Some(&true))
            })
            .collect()
    }

    /// Whether a run can end successfully without `step` succeeding in it: then its outputs
    /// may be missing when the workflow's outputs are read.
    pub(super) fn may_skip(&self, step: usize) -> bool {
        self.reaches_without(self.success.len(), step)
    }

    /// Whether a run can reach `node` (a step, or `steps.len()`: the end) without `step`
    /// succeeding first: a walk from the first step that leaves `step` only by its failure
    /// edges. A step-level `dependsOn` needs every path to the dependent step to pass through
    /// its dependency's success.
    pub(super) fn reaches_without(&self, node: usize, step: usize) -> bool {
        let end = self.success.len();
        let mut seen = vec![false; end + 1];
        let mut stack = vec![0];
        while let Some(at) = stack.pop() {
            if at == node {
                return true;
            }
            if at >= end || std::mem::replace(&mut seen[at], true) {
                continue;
            }
            stack.extend(self.failure.get(at).into_iter().flatten().copied());
            if at != step {
                stack.extend(self.success.get(at).into_iter().flatten().copied());
            }
        }
        false
    }
}

impl WorkflowChecker<'_> {
    /// The current workflow's step graph, from its steps' effective actions. Problems in the
    /// actions are reported where the actions are lowered, not here.
    pub(super) fn flow(&self) -> Flow {
        let wf = self.current;
        let targets = self.names.targets(self.doc);
        let mut quiet = Diags::default();
        let shared_success = check_list(
            &mut quiet,
            &wf.success_actions,
            ActionList::Success,
            &targets,
        );
        let shared_failure = check_list(
            &mut quiet,
            &wf.failure_actions,
            ActionList::Failure,
            &targets,
        );
        let actions: Vec<(Vec<Action>, Vec<Action>)> = wf
            .steps
            .iter()
            .map(|step: &arazzo::Step| {
                let success =
                    check_list(&mut quiet, &step.on_success, ActionList::Success, &targets);
                let failure =
                    check_list(&mut quiet, &step.on_failure, ActionList::Failure, &targets);
                (
                    effective(&success, &shared_success).cloned().collect(),
                    effective(&failure, &shared_failure).cloned().collect(),
                )
            })
            .collect();
        Flow::of(&self.names.steps, &actions)
    }
}

#[cfg(test)]
mod tests {
    use super::Flow;

    /// A flow from (success, failure) edges per step.
    fn flow(edges: &[(&[usize], &[usize])]) -> Flow {
        let mut flow = Flow {
            success: edges.iter().map(|(s, _)| s.to_vec()).collect(),
            failure: edges.iter().map(|(_, f)| f.to_vec()).collect(),
            sources: Vec::new(),
        };
        flow.index_sources();
        flow
    }

    #[test]
    fn a_straight_line_skips_nothing_and_loops_nowhere() {
        let f = flow(&[(&[1], &[]), (&[2], &[]), (&[3], &[])]);
        assert!(!f.may_skip(0) && !f.may_skip(1) && !f.may_skip(2));
        assert!(!f.has_loop());
        assert!(f.looped_into(0).is_empty() && f.looped_into(1).is_empty());
    }

    #[test]
    fn a_goto_back_lets_the_loop_read_itself_and_later_steps() {
        // 0, then 1 pages (goto 1 or falls through), 2 polls back to 0 on failure.
        let f = flow(&[(&[1], &[]), (&[1, 2], &[]), (&[3], &[0])]);
        assert!(f.has_loop());
        // 2 only goes back after failing: its outputs never come back.
        assert_eq!(f.looped_into(1), [1]);
        // 2 fails back to 0 after 0 and 1 ran.
        assert_eq!(f.looped_into(0), [0, 1]);
        assert!(f.looped_into(2).is_empty());
    }

    #[test]
    fn an_end_makes_later_steps_skippable() {
        // 0 ends when a criterion holds, else falls through to 1.
        let f = flow(&[(&[2, 1], &[]), (&[2], &[])]);
        assert!(!f.may_skip(0));
        assert!(f.may_skip(1));
    }

    #[test]
    fn a_failure_goto_skips_the_failed_step() {
        // 0 fails over to 1, which ends.
        let f = flow(&[(&[1], &[1]), (&[2], &[])]);
        assert!(f.may_skip(0));
        assert!(!f.may_skip(1));
    }

    #[test]
    fn a_goto_past_a_step_reaches_what_follows_it_without_it() {
        // 0 jumps to 2 when a criterion holds, else falls through to 1.
        let f = flow(&[(&[2, 1], &[]), (&[2], &[]), (&[3], &[])]);
        assert!(f.reaches_without(2, 1));
        assert!(!f.reaches_without(2, 0));
        assert!(!f.reaches_without(1, 0));
    }
}
