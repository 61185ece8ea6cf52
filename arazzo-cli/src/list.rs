//! `arazzo list`: workflows with their typed inputs and outputs.

use std::fmt::Write as _;

use arazzo_compiler::ir::{Program, Workflow};
use arazzo_compiler::types::Ty;

/// One block per workflow: id, module, summary, inputs (Rust type, required or not) and
/// outputs (Rust type).
pub fn render(program: &Program) -> String {
    let mut out = String::new();
    for wf in &program.workflows {
        let summary = wf.doc.lines().next().unwrap_or_default();
        let _ = writeln!(out, "workflow {} (module `{}`)", wf.id, wf.module);
        if !summary.is_empty() {
            let _ = writeln!(out, "  {summary}");
        }
        let inputs = inputs(wf);
        if inputs.is_empty() {
            let _ = writeln!(out, "  inputs: none");
        } else {
            let _ = writeln!(out, "  inputs:");
            for (name, ty, required) in inputs {
                let required = if required { "required" } else { "optional" };
                let _ = writeln!(out, "    {name}: {ty} ({required})");
            }
        }
        if wf.outputs.is_empty() {
            let _ = writeln!(out, "  outputs: none");
        } else {
            let _ = writeln!(out, "  outputs:");
            for o in &wf.outputs {
                let _ = writeln!(out, "    {}: {} = {}", o.name, o.expr.ty().rust(), o.source);
            }
        }
        // A message step shows what it does: `confirm (receive reply of placeOrder on
        // confirm-order)`.
        let steps: Vec<String> = wf
            .steps
            .iter()
            .map(|s| match &s.message {
                Some(m) => format!(
                    "{} ({} on {})",
                    s.id,
                    s.operation,
                    m.address.as_deref().unwrap_or(&m.channel)
                ),
                None => s.id.clone(),
            })
            .collect();
        let _ = writeln!(out, "  steps: {}", steps.join(" → "));
    }
    out
}

/// (name in the document, Rust type, required) of each top-level input.
fn inputs(wf: &Workflow) -> Vec<(String, String, bool)> {
    if matches!(wf.inputs, Ty::Json) {
        return vec![("(any JSON)".to_owned(), Ty::Json.rust(), true)];
    }
    wf.input_fields()
        .iter()
        .map(|f| {
            // An optional input is shown by its value type; a required one that may be null
            // keeps its `Option`.
            let ty = match &f.ty {
                Ty::Option(inner) if !f.required => inner.rust(),
                other => other.rust(),
            };
            (f.json_name.clone(), ty, f.required)
        })
        .collect()
}
