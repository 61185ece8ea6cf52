//! Success and failure actions (`onSuccess`, `onFailure`, `successActions`, `failureActions`,
//! `components.successActions` / `components.failureActions`): read and checked, then lowered
//! for each step: its own actions first, then its workflow's.

use super::workflow::missing_by_name;
use super::{Place, Scope, WorkflowChecker};
use crate::arazzo::{self, Document, SourceRef};
use crate::decode::{S, object, opt_str, req_str, string};
use crate::diag::{Diags, suggest};
use crate::files::Loc;
use crate::ir;
use crate::yaml::{Kind, Node};

/// What an action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionType {
    End,
    Goto,
    /// `retry` (failure actions only)
    Retry,
}

/// A checked action.
#[derive(Debug, Clone)]
pub struct Action {
    pub name: String,
    /// `type`.
    pub kind: ActionType,
    /// `stepId` target.
    pub step: Option<S>,
    /// `workflowId` target.
    pub workflow: Option<S>,
    /// `retryAfter` in seconds.
    pub retry_after: Option<f64>,
    pub retry_limit: Option<i64>,
    /// `criteria`: all must hold for the action to apply.
    pub criteria: Vec<arazzo::Criterion>,
    /// `parameters` (Arazzo 1.1): the inputs of the `workflowId` target, when given.
    pub parameters: Option<Vec<arazzo::Parameter>>,
    /// Where the action is written.
    pub loc: Loc,
}

/// Whether the list holds success or failure actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionList {
    /// Success actions.
    Success,
    /// Failure actions.
    Failure,
}

impl ActionList {
    fn component_key(self) -> &'static str {
        match self {
            ActionList::Success => "successActions",
            ActionList::Failure => "failureActions",
        }
    }
}

/// What an action may point at.
pub struct Targets<'a> {
    /// Step ids of the workflow the action belongs to.
    pub steps: &'a [&'a str],
    /// Workflow ids of the document.
    pub workflows: &'a [&'a str],
    /// Source description names of the document.
    pub sources: &'a [&'a str],
    /// The document, for the components actions reference.
    pub doc: &'a Document,
}

/// Reads and checks a list of actions; references to components are resolved.
pub fn check_list(
    diags: &mut Diags,
    nodes: &[Node],
    kind: ActionList,
    targets: &Targets<'_>,
) -> Vec<Action> {
    let mut out: Vec<Action> = Vec::new();
    for node in nodes {
        let resolved = match node.get("reference") {
            Some(reference) => match resolve_reference(diags, reference, kind, targets) {
                Some(target) => target,
                None => continue,
            },
            None => node,
        };
        if let Some(action) = read(diags, resolved, kind, targets) {
            if out.iter().any(|a| a.name == action.name) {
                diags.error(
                    action.loc,
                    format!("duplicate action name `{}` in this list", action.name),
                );
            }
            out.push(action);
        }
    }
    out
}

/// The component a `reference: $components.<kind>.<name>` action names.
fn resolve_reference<'a>(
    diags: &mut Diags,
    reference: &Node,
    kind: ActionList,
    targets: &Targets<'a>,
) -> Option<&'a Node> {
    let text = string(diags, reference, "`reference` of an action")?;
    let prefix = format!("$components.{}.", kind.component_key());
    let Some(name) = text.value.strip_prefix(&prefix) else {
        diags.error_help(
            text.loc,
            format!("`{}` must reference `{prefix}<name>`", text.value),
            None,
        );
        return None;
    };
    match targets.doc.component(kind.component_key(), name) {
        Some(node) => Some(node),
        None => {
            let names = targets.doc.component_names(kind.component_key());
            diags.error_help(
                text.loc,
                format!("unknown component `{}`", text.value),
                suggest(name, names).or_else(|| {
                    Some(format!(
                        "`components.{}` defines nothing",
                        kind.component_key()
                    ))
                }),
            );
            None
        }
    }
}

/// Reads and checks one action (a component already resolved).
fn read(diags: &mut Diags, node: &Node, kind: ActionList, targets: &Targets<'_>) -> Option<Action> {
    let allowed: &[&str] = match kind {
        ActionList::Success => &[
            "name",
            "type",
            "workflowId",
            "stepId",
            "criteria",
            "reference",
            "parameters",
        ],
        ActionList::Failure => &[
            "name",
            "type",
            "workflowId",
            "stepId",
            "retryAfter",
            "retryLimit",
            "criteria",
            "reference",
            "parameters",
        ],
    };
    let what = match kind {
        ActionList::Success => "a success action",
        ActionList::Failure => "a failure action",
    };
    let node = object(diags, node, what, allowed)?;
    let name = req_str(diags, node, "name", what);
    let type_node = req_str(diags, node, "type", what)?;
    let valid: &[&str] = match kind {
        ActionList::Success => &["end", "goto"],
        ActionList::Failure => &["end", "goto", "retry"],
    };
    let action_type = match type_node.as_str() {
        "end" => ActionType::End,
        "goto" => ActionType::Goto,
        "retry" if kind == ActionList::Failure => ActionType::Retry,
        other => {
            diags.error_help(
                type_node.loc,
                format!("`{other}` is not a {} type", what.trim_start_matches("a ")),
                suggest(other, valid.iter().copied()),
            );
            return None;
        }
    };
    let step = opt_str(diags, node, "stepId", what);
    let workflow = opt_str(diags, node, "workflowId", what);
    match (&action_type, &step, &workflow) {
        (ActionType::Goto, None, None) => {
            diags.error(
                node.loc,
                "a `goto` action needs a `stepId` or a `workflowId`",
            );
        }
        (_, Some(_), Some(_)) => {
            diags.error(
                node.loc,
                "an action may name a `stepId` or a `workflowId`, not both",
            );
        }
        (ActionType::End, Some(s), _) | (ActionType::End, _, Some(s)) => {
            diags.error(s.loc, "an `end` action takes no `stepId` or `workflowId`");
        }
        _ => {}
    }
    if let Some(step) = &step
        && !targets.steps.contains(&step.as_str())
    {
        diags.error_help(
            step.loc,
            format!("unknown step `{}` in this workflow", step.value),
            suggest(&step.value, targets.steps.iter().copied()),
        );
    }
    if let Some(workflow) = &workflow {
        check_workflow_ref(diags, workflow, targets.workflows, targets.sources);
    }
    let retry_after = number(diags, node.get("retryAfter"), "retryAfter", false);
    let retry_limit = number(diags, node.get("retryLimit"), "retryLimit", true).map(|n| n as i64);
    if action_type != ActionType::Retry {
        for key in ["retryAfter", "retryLimit"] {
            if let Some(n) = node.key_node(key) {
                diags.error(n.loc, format!("`{key}` only applies to `retry` actions"));
            }
        }
    }
    let parameters = read_parameters(diags, node, workflow.is_some());
    let mut criteria = Vec::new();
    if let Some(list) = node.get("criteria") {
        match list.as_seq() {
            Some(items) => criteria.extend(
                items
                    .iter()
                    .filter_map(|item| arazzo::read_criterion(diags, item)),
            ),
            None => diags.error(list.loc, "`criteria` must be a sequence"),
        }
    }
    Some(Action {
        name: name.map(|n| n.value).unwrap_or_default(),
        kind: action_type,
        step,
        workflow,
        retry_after,
        retry_limit,
        criteria,
        parameters,
        loc: node.loc,
    })
}

/// Reads an action's `parameters` (Arazzo 1.1): the inputs of its `workflowId` target
/// (`to_workflow`), never with `in`.
fn read_parameters(
    diags: &mut Diags,
    node: &Node,
    to_workflow: bool,
) -> Option<Vec<arazzo::Parameter>> {
    let key = node.key_node("parameters")?;
    if !to_workflow {
        diags.error_help(
            key.loc,
            "an action's `parameters` are the inputs of the workflow it runs, and this action names no `workflowId`",
            Some("remove `parameters`, or name the workflow to run with `workflowId`".to_owned()),
        );
        return None;
    }
    let Some(items) = node.get("parameters")?.as_seq() else {
        diags.error(key.loc, "`parameters` must be a sequence");
        return None;
    };
    let parameters: Vec<arazzo::Parameter> = items
        .iter()
        .filter_map(|item| arazzo::read_parameter(diags, item))
        .collect();
    for (n, p) in parameters.iter().enumerate() {
        if let Some(location) = &p.location {
            diags.error_help(
                location.loc,
                "an action's parameters are workflow inputs and take no `in`",
                Some("remove `in`".to_owned()),
            );
        }
        if let Some(name) = &p.name
            && parameters[..n]
                .iter()
                .any(|q| q.name.as_ref().is_some_and(|q| q.value == name.value))
        {
            diags.error(
                name.loc,
                format!("duplicate parameter `{}` in this action", name.value),
            );
        }
    }
    Some(parameters)
}

/// A non-negative number (`integer` demands a whole one).
fn number(diags: &mut Diags, node: Option<&Node>, key: &str, integer: bool) -> Option<f64> {
    let node = node?;
    #[allow(clippy::cast_precision_loss)]
    let value = match node.kind {
        Kind::Int(i) => i as f64,
        Kind::Float(f) if !integer => f,
        _ => {
            let expected = if integer {
                "a whole number"
            } else {
                "a number of seconds"
            };
            diags.error(
                node.loc,
                format!("`{key}` must be {expected}, found {}", node.kind_name()),
            );
            return None;
        }
    };
    if value < 0.0 || !value.is_finite() {
        diags.error(node.loc, format!("`{key}` must not be negative"));
        return None;
    }
    Some(value)
}

/// Checks a `workflowId` reference: a workflow of this document, or
/// `$sourceDescriptions.<name>.<workflowId>` naming an existing source.
pub fn check_workflow_ref(
    diags: &mut Diags,
    workflow: &S,
    workflows: &[&str],
    sources: &[&str],
) -> bool {
    if let SourceRef::Qualified { source, .. } = SourceRef::parse(&workflow.value) {
        if !sources.contains(&source) {
            diags.error_help(
                workflow.loc,
                format!("unknown source description `{source}`"),
                suggest(source, sources.iter().copied()),
            );
            return false;
        }
        return true;
    }
    if workflows.contains(&workflow.as_str()) {
        return true;
    }
    diags.error_help(
        workflow.loc,
        format!("unknown workflow `{}`", workflow.value),
        suggest(&workflow.value, workflows.iter().copied()),
    );
    false
}

/// A step's effective actions: its `own`, then the workflow's `shared` ones it does not
/// override by name.
pub(super) fn effective<'l>(
    own: &'l [Action],
    shared: &'l [Action],
) -> impl Iterator<Item = &'l Action> {
    let inherited = shared
        .iter()
        .filter(|action| !own.iter().any(|o| o.name == action.name));
    own.iter().chain(inherited)
}

/// A workflow's `successActions` and `failureActions`, read and checked once; each step runs
/// them after its own.
#[derive(Default)]
pub(super) struct SharedActions {
    success: Vec<Action>,
    failure: Vec<Action>,
    /// Whether reading them reported an error.
    pub(super) failed: bool,
}

impl WorkflowChecker<'_> {
    /// Reads and checks the workflow's `successActions` and `failureActions`.
    pub(super) fn read_shared_actions(&mut self) -> SharedActions {
        let wf = self.current;
        let errors_before = self.diags.len();
        let targets = self.names.targets(self.doc);
        let success = check_list(
            self.diags,
            &wf.success_actions,
            ActionList::Success,
            &targets,
        );
        let failure = check_list(
            self.diags,
            &wf.failure_actions,
            ActionList::Failure,
            &targets,
        );
        SharedActions {
            success,
            failure,
            failed: self.diags.len() != errors_before,
        }
    }

    /// Checks and lowers a step's effective actions: its own `onSuccess`/`onFailure`, then the
    /// workflow's `successActions`/`failureActions` (a step's own actions come first; they
    /// never remove the workflow's). `after` is the scope after the step's response.
    pub(super) fn step_actions(
        &mut self,
        step: &arazzo::Step,
        after: &Scope<'_>,
    ) -> (Vec<ir::Action>, Vec<ir::Action>) {
        let shared = std::mem::take(&mut self.shared_actions);
        let lowered = (
            self.lower_actions(
                &step.on_success,
                ActionList::Success,
                &shared.success,
                after,
            ),
            self.lower_actions(
                &step.on_failure,
                ActionList::Failure,
                &shared.failure,
                after,
            ),
        );
        self.shared_actions = shared;
        lowered
    }

    /// Reads and checks the actions `own` of a step, then lowers them followed by the
    /// workflow's `shared` ones that the step does not override: a step action with the name
    /// of a workflow action replaces it for this step ("the new definition will override it
    /// but can never remove it", Arazzo 1.0.1 Step Object `onSuccess`/`onFailure`).
    fn lower_actions(
        &mut self,
        own: &[Node],
        kind: ActionList,
        shared: &[Action],
        after: &Scope<'_>,
    ) -> Vec<ir::Action> {
        let targets = self.names.targets(self.doc);
        let own = check_list(self.diags, own, kind, &targets);
        effective(&own, shared)
            .filter_map(|action| self.lower_action(action, after))
            .collect()
    }

    /// Lowers one checked action; `None` when one of its criteria or its workflow does not
    /// check (the action's other criteria are not checked then).
    fn lower_action(&mut self, action: &Action, after: &Scope<'_>) -> Option<ir::Action> {
        let scope = Scope {
            place: Place::ActionCriterion,
            ..*after
        };
        let mut criteria = Vec::new();
        for criterion in &action.criteria {
            criteria.push(self.criterion(criterion, &scope)?);
        }
        let mut retry_workflow = None;
        let mut inputs = None;
        if let Some(workflow) = &action.workflow {
            let verb = match action.kind {
                ActionType::Retry => "retry",
                _ => "goto",
            };
            let (unit, target) = self.target_workflow(workflow)?;
            let Some(sig) = self.callees.get(&(unit, target.id.value.clone())) else {
                self.diags.error(
                    workflow.loc,
                    format!("`{verb}` workflow `{}` leads back to this workflow; recursive calls are not supported", target.id.value),
                );
                return None;
            };
            let callee = ir::WorkflowRef {
                id: target.id.value.clone(),
                module: sig.module.clone(),
            };
            if let Some(parameters) = &action.parameters {
                // Arazzo 1.1: the action's parameters are that workflow's inputs.
                let errors_before = self.diags.len();
                let who = format!("action `{}`", action.name);
                let scope = Scope {
                    place: Place::ActionParameter,
                    ..scope
                };
                let passed =
                    self.passed_inputs(parameters, &who, action.loc, target, Some(sig), &scope);
                if self.diags.len() != errors_before {
                    return None;
                }
                inputs = Some(passed);
            } else {
                // That workflow takes its inputs by name from this one's.
                let missing_inputs = missing_by_name(target, self.trees, scope.input_names);
                for missing in &missing_inputs {
                    self.diags.error(
                        workflow.loc,
                        format!(
                            "`{verb}` workflow `{}` needs input `{missing}`, which this workflow does not declare (it takes its inputs by name from this workflow's)",
                            target.id.value
                        ),
                    );
                }
                let how = format!("`{verb}` workflow `{}`", target.id.value);
                let fields = scope.space.fields(scope.inputs);
                if !self.check_by_name(workflow.loc, &how, sig, fields)
                    || !missing_inputs.is_empty()
                {
                    return None;
                }
            }
            if action.kind == ActionType::Goto {
                // Control passes to that workflow; this run ends when it does.
                return Some(ir::Action {
                    name: action.name.clone(),
                    kind: ir::ActionKind::GotoWorkflow(callee),
                    criteria,
                    inputs,
                });
            }
            // A retry runs that workflow, then this step again.
            retry_workflow = Some(callee);
        }
        let index = |s: &S| self.names.steps.iter().position(|id| *id == s.value);
        let kind = match action.kind {
            ActionType::End => ir::ActionKind::End,
            ActionType::Goto => ir::ActionKind::Goto(index(action.step.as_ref()?)?),
            ActionType::Retry => ir::ActionKind::Retry {
                target: match &action.step {
                    Some(s) => Some(index(s)?),
                    None => None,
                },
                workflow: retry_workflow,
                after: action.retry_after,
                limit: action
                    .retry_limit
                    .map_or(1, |l| u32::try_from(l).unwrap_or(u32::MAX)),
            },
        };
        Some(ir::Action {
            name: action.name.clone(),
            kind,
            criteria,
            inputs,
        })
    }
}

/// The workflows of this document that the actions of `wf` (its steps' own, its shared ones, and
/// the components they reference) name with `workflowId`.
pub(super) fn action_workflows<'d>(
    doc: &'d Document,
    wf: &'d arazzo::Workflow,
) -> impl Iterator<Item = &'d S> + 'd {
    let lists = wf
        .steps
        .iter()
        .flat_map(|s| s.on_success.iter().chain(&s.on_failure))
        .chain(wf.success_actions.iter().chain(&wf.failure_actions));
    lists
        .map(move |action| {
            // `reference: $components.<kind>.<name>` stands for that component.
            let referenced = action
                .get("reference")
                .and_then(Node::as_str)
                .and_then(|r| r.strip_prefix("$components."))
                .and_then(|r| r.split_once('.'))
                .and_then(|(kind, name)| doc.component(kind, name));
            referenced.unwrap_or(action)
        })
        .filter_map(|a| a.get("workflowId")?.as_str())
        .filter_map(|id| doc.workflows.iter().find(|w| w.id.value == id))
        .map(|w| &w.id)
}
