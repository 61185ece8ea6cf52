//! Success and failure actions (`onSuccess`, `onFailure`, `successActions`, `failureActions`,
//! `components.successActions` / `components.failureActions`): read and checked.

use crate::decode::{S, object, opt_str, string};
use crate::diag::{Diags, suggest};
use crate::files::Loc;
use crate::yaml::{Kind, Node};

/// What an action does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionType {
    /// `end`
    End,
    /// `goto`
    Goto,
    /// `retry` (failure actions only)
    Retry,
}

/// A checked action.
#[derive(Debug, Clone)]
pub struct Action {
    /// `name`.
    pub name: String,
    /// `type`.
    pub kind: ActionType,
    /// `stepId` target.
    pub step: Option<S>,
    /// `workflowId` target.
    pub workflow: Option<S>,
    /// `retryAfter` in seconds.
    pub retry_after: Option<f64>,
    /// `retryLimit`.
    pub retry_limit: Option<i64>,
    /// `criteria`: all must hold for the action to apply.
    pub criteria: Vec<crate::arazzo::Criterion>,
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
    /// The document's `components`.
    pub components: Option<&'a Node>,
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
    let list = targets
        .components
        .and_then(|c| c.get(kind.component_key()))
        .and_then(Node::as_map);
    let found = list.and_then(|l| l.iter().find(|(k, _)| k.as_str() == Some(name)));
    match found {
        Some((_, node)) => Some(node),
        None => {
            let names: Vec<&str> = list
                .map(|l| l.iter().filter_map(|(k, _)| k.as_str()).collect())
                .unwrap_or_default();
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

fn read(diags: &mut Diags, node: &Node, kind: ActionList, targets: &Targets<'_>) -> Option<Action> {
    let allowed: &[&str] = match kind {
        ActionList::Success => &[
            "name",
            "type",
            "workflowId",
            "stepId",
            "criteria",
            "reference",
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
        ],
    };
    let what = match kind {
        ActionList::Success => "a success action",
        ActionList::Failure => "a failure action",
    };
    let node = object(diags, node, what, allowed)?;
    let name = crate::decode::req_str(diags, node, "name", what);
    let type_node = crate::decode::req_str(diags, node, "type", what)?;
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
    let mut criteria = Vec::new();
    if let Some(list) = node.get("criteria") {
        match list.as_seq() {
            Some(items) => criteria.extend(
                items
                    .iter()
                    .filter_map(|item| crate::arazzo::read_criterion(diags, item)),
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
        loc: node.loc,
    })
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
    if let Some(rest) = workflow.value.strip_prefix("$sourceDescriptions.") {
        let source = rest.split('.').next().unwrap_or_default();
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
