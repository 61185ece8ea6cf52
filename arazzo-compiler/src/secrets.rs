//! Inputs the user declares secret by name (`arazzo_workflow!("…", secrets = ["token"])`).
//!
//! Schemas mark secrets with `format: password` or `writeOnly: true` ([`crate::types`]); a
//! document that does neither (Mixpanel's project token is a plain string) gets the same
//! treatment for the inputs the user lists. A name is either `input` (that input of every
//! workflow that has one), `workflowId.input` (that workflow's only) or `stepId.output` (that
//! output of every step with that id, a login token say: masked from the moment the response is
//! read). A name that matches nothing is an error: a typo must not leave a secret printable.

use crate::diag::{Diags, suggest};
use crate::ir::Program;

/// Marks the inputs named by `names` secret in every workflow of `program`; reports, against
/// `document` (the path as the user wrote it), each name that matches no input.
pub fn apply(program: &mut Program, names: &[String], diags: &mut Diags, document: &str) {
    for (index, name) in names.iter().enumerate() {
        // `workflowId.input`; a workflowId may itself contain dots, so the longest id that
        // prefixes the name wins, and otherwise the text before the first dot is the id.
        let qualified = program
            .workflows
            .iter()
            .filter_map(|wf| {
                let input = name.strip_prefix(wf.id.as_str())?.strip_prefix('.')?;
                Some((wf.id.clone(), input))
            })
            .max_by_key(|(id, _)| id.len());
        let (workflow, input) = match (&qualified, name.split_once('.')) {
            (Some((id, input)), _) => (Some(id.as_str()), *input),
            (None, Some((workflow, input))) => (Some(workflow), input),
            (None, None) => (None, name.as_str()),
        };
        if qualified.is_none()
            && let Some((step_id, output)) = name.split_once('.')
            && mark_step_output(program, step_id, output)
        {
            continue;
        }
        if let Some(id) = workflow
            && !program.workflows.iter().any(|wf| wf.id == id)
        {
            let help = suggest(id, program.workflows.iter().map(|wf| wf.id.as_str()));
            diags.secret_error(
                index,
                document,
                format!("`secrets` names `{name}`, but the document has no workflow `{id}` (nor a step `{id}` with that output)"),
                help,
            );
            continue;
        }
        let mut matched = false;
        for wf in program
            .workflows
            .iter_mut()
            .filter(|wf| workflow.is_none_or(|id| wf.id == id))
        {
            for field in wf
                .input_fields_mut()
                .iter_mut()
                .filter(|f| f.json_name == input)
            {
                field.mark_secret();
                matched = true;
            }
        }
        if !matched {
            let candidates = program
                .workflows
                .iter()
                .filter(|wf| workflow.is_none_or(|id| wf.id == id))
                .flat_map(|wf| wf.input_fields().iter().map(|f| f.json_name.as_str()));
            let place = workflow.map_or_else(
                || "of any workflow".to_owned(),
                |id| format!("of workflow `{id}`"),
            );
            diags.secret_error(
                index,
                document,
                format!("`secrets` names `{name}`, but `{input}` is no input {place}"),
                suggest(input, candidates),
            );
        }
    }
}

/// Marks output `output` of every step `step_id` secret; whether there was one.
fn mark_step_output(program: &mut Program, step_id: &str, output: &str) -> bool {
    let mut matched = false;
    for step in program
        .workflows
        .iter_mut()
        .flat_map(|wf| wf.steps.iter_mut())
        .filter(|s| s.id == step_id)
    {
        for o in step.outputs.iter_mut().filter(|o| o.name == output) {
            o.secret = true;
            matched = true;
        }
    }
    matched
}
