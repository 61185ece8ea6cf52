//! A step's `dependsOn` (Arazzo 1.1): the steps that must have completed before it runs.
//!
//! Steps run in document order, the order Arazzo 1.1 recommends for workflows without
//! asynchronous steps, and `goto` targets are step indexes: nothing is reordered. So a
//! dependency on a step of this workflow must come earlier in the list, and every path of
//! the step graph to the dependent step must pass through its dependency's success (a `goto`
//! may not jump over it); otherwise the error names the step to move. Implicit dependencies
//! (`$steps.x.outputs`) are checked where expressions are: a later step's outputs only inside
//! a `goto` loop. A dependency on a step of another workflow (`$workflows.<id>.steps.<step>`,
//! `$sourceDescriptions.<name>.<id>.steps.<step>`) needs that workflow to have run before the
//! step: in this workflow's own `dependsOn` (run before the first step), or called by an
//! earlier step that every path to the dependent step passes through.

use super::WorkflowChecker;
use super::actions::check_workflow_ref;
use super::flow::Flow;
use crate::arazzo;
use crate::decode::S;
use crate::diag::suggest;

/// What one `dependsOn` entry names.
enum Dependency<'t> {
    /// A step of this workflow, by `stepId`.
    Local(&'t str),
    /// Step `step` of the workflow that `workflow` references (a `workflowId` of this
    /// document, or `$sourceDescriptions.<name>.<workflowId>`).
    Other { workflow: &'t str, step: &'t str },
    /// A runtime expression of neither form.
    Malformed,
}

impl<'t> Dependency<'t> {
    fn parse(text: &'t str) -> Dependency<'t> {
        if !text.starts_with('$') {
            return Dependency::Local(text);
        }
        let Some((workflow, step)) = text.rsplit_once(".steps.") else {
            return Dependency::Malformed;
        };
        let workflow = match workflow.strip_prefix("$workflows.") {
            Some(id) => id,
            None if workflow.starts_with("$sourceDescriptions.") => workflow,
            None => return Dependency::Malformed,
        };
        if workflow.is_empty() || step.is_empty() {
            return Dependency::Malformed;
        }
        Dependency::Other { workflow, step }
    }
}

impl WorkflowChecker<'_> {
    /// Checks the `dependsOn` of every step of the current workflow against its step graph.
    pub(super) fn step_dependencies(&mut self, flow: &Flow) {
        let wf = self.current;
        for (index, step) in wf.steps.iter().enumerate() {
            for (n, dependency) in step.depends_on.iter().enumerate() {
                if step.depends_on[..n]
                    .iter()
                    .any(|d| d.value == dependency.value)
                {
                    self.diags.error_help(
                        dependency.loc,
                        format!(
                            "step `{}` lists `{}` twice in `dependsOn`",
                            step.id.value, dependency.value
                        ),
                        Some("remove the repeated entry".to_owned()),
                    );
                    continue;
                }
                match Dependency::parse(&dependency.value) {
                    Dependency::Local(id) => self.local_dependency(flow, index, step, id, dependency),
                    Dependency::Other { workflow, step: id } => {
                        self.other_dependency(flow, index, workflow, id, dependency);
                    }
                    Dependency::Malformed => self.diags.error_help(
                        dependency.loc,
                        format!("`{}` is not a step reference", dependency.value),
                        Some("write a `stepId` of this workflow, `$workflows.<workflowId>.steps.<stepId>`, or `$sourceDescriptions.<name>.<workflowId>.steps.<stepId>`".to_owned()),
                    ),
                }
            }
        }
    }

    /// Checks that step `id` of this workflow comes before `step` (at `index`) and that no
    /// path to `step` skips it.
    fn local_dependency(
        &mut self,
        flow: &Flow,
        index: usize,
        step: &arazzo::Step,
        id: &str,
        dependency: &S,
    ) {
        let steps = &self.current.steps;
        let Some(at) = steps.iter().position(|s| s.id.value == id) else {
            self.diags.error_help(
                dependency.loc,
                format!("unknown step `{id}` in this workflow"),
                suggest(id, self.names.steps.iter().copied()),
            );
            return;
        };
        let this = &step.id.value;
        if at == index {
            self.diags.error_help(
                dependency.loc,
                format!("step `{this}` depends on itself"),
                Some(format!("remove `{id}` from its `dependsOn`")),
            );
        } else if at > index {
            // A cycle has at least one such forward edge: it is reported there, once.
            match cycle(steps, index, at) {
                Some(cycle) => self.diags.error_help(
                    dependency.loc,
                    format!("cyclic step dependencies: {}", cycle.join(" → ")),
                    Some("remove one of these `dependsOn` entries".to_owned()),
                ),
                None => self.diags.error_help(
                    dependency.loc,
                    format!("step `{this}` depends on `{id}`, which comes after it; steps run in document order"),
                    Some(format!("move step `{id}` before step `{this}`")),
                ),
            }
        } else if flow.reaches_without(index, at) {
            self.diags.error_help(
                dependency.loc,
                format!("step `{this}` depends on `{id}`, but a `goto` or failure action can reach `{this}` without `{id}` having succeeded"),
                Some(format!("make every path to `{this}` pass through `{id}`, or remove the dependency")),
            );
        }
    }

    /// Checks a dependency of the step at `index` on step `id` of the workflow `workflow`
    /// references: the step exists, and that workflow has run before: this workflow's own
    /// `dependsOn` runs it, or an earlier step that every path passes through calls it.
    fn other_dependency(
        &mut self,
        flow: &Flow,
        index: usize,
        workflow: &str,
        id: &str,
        dependency: &S,
    ) {
        let reference = S {
            value: workflow.to_owned(),
            loc: dependency.loc,
            written: None,
        };
        if !check_workflow_ref(
            self.diags,
            &reference,
            &self.names.workflows,
            &self.names.sources,
        ) {
            return;
        }
        let Some((_, target)) = self.target_workflow(&reference) else {
            return;
        };
        if !target.steps.iter().any(|s| s.id.value == id) {
            let ids = target.steps.iter().map(|s| s.id.value.as_str());
            self.diags.error_help(
                dependency.loc,
                format!("unknown step `{id}` in workflow `{}`", target.id.value),
                suggest(id, ids),
            );
            return;
        }
        let wf = self.current;
        let prerequisite = wf.depends_on.iter().any(|d| d.value == workflow);
        let called = wf.steps[..index].iter().enumerate().any(|(at, s)| {
            matches!(&s.target, Some(arazzo::Target::WorkflowId(w)) if w.value == workflow)
                && !flow.reaches_without(index, at)
        });
        if !prerequisite && !called {
            let this = &wf.steps[index].id.value;
            self.diags.error_help(
                dependency.loc,
                format!(
                    "step `{this}` depends on a step of workflow `{}`, which has not run before it",
                    target.id.value
                ),
                Some(format!(
                    "add `{workflow}` to the `dependsOn` of workflow `{}` (it then runs before the first step), or call it in an earlier step",
                    wf.id.value
                )),
            );
        }
    }
}

/// The cycle through the explicit dependencies that leads from step `to` back to step `from`
/// (as step ids, `from` first and last), if there is one.
fn cycle(steps: &[arazzo::Step], from: usize, to: usize) -> Option<Vec<String>> {
    let index = |id: &str| steps.iter().position(|s| s.id.value == id);
    // Depth-first from `to` over `dependsOn`, remembering how each step was reached.
    let mut came_from: Vec<Option<usize>> = vec![None; steps.len()];
    let mut stack = vec![to];
    let mut seen = vec![false; steps.len()];
    while let Some(at) = stack.pop() {
        if std::mem::replace(seen.get_mut(at)?, true) {
            continue;
        }
        for next in steps[at].depends_on.iter().filter_map(|d| index(&d.value)) {
            if next == from {
                let mut path = vec![at];
                let mut back = at;
                while let Some(prev) = came_from[back] {
                    path.push(prev);
                    back = prev;
                }
                let mut ids = vec![steps[from].id.value.clone()];
                ids.extend(path.iter().rev().map(|i| steps[*i].id.value.clone()));
                ids.push(steps[from].id.value.clone());
                return Some(ids);
            }
            if !seen[next] {
                came_from[next] = Some(at);
                stack.push(next);
            }
        }
    }
    None
}
