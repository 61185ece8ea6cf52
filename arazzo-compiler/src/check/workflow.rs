//! Checking a workflow: its inputs, `dependsOn`, steps in order, outputs.

use super::flow::Flow;
use super::{FieldSig, Place, Scope, StepView, WorkflowChecker, doc_text};

use crate::arazzo;
use crate::diag::suggest;
use crate::ir;
use crate::names;
use crate::refs::Trees;
use crate::types::{self, Field, Ty, TypeSpace};
use crate::yaml::Node;

/// A workflow's inputs, as its expressions see them.
struct Inputs {
    /// The generated `Inputs` struct (an empty one when there are none).
    ty: Ty,
    /// The input names.
    names: Vec<String>,
    /// False when the inputs schema could not be read (already reported): then `$inputs.x`
    /// errors would be mere cascades.
    known: bool,
}

impl<'a> WorkflowChecker<'a> {
    /// Checks and lowers the workflow, whose generated module is `module`.
    pub(super) fn workflow(&mut self, module: String) -> Option<ir::Workflow> {
        let wf = self.current;
        let mut space = TypeSpace::new(crate::names::RESERVED_TYPES);
        let errors_before = self.diags.len();
        let (ty, names) = self.inputs(&mut space);
        // Unknown only when reading the schema failed (names stay empty).
        let known = self.diags.len() == errors_before || !names.is_empty();
        let inputs = Inputs { ty, names, known };
        // Run with each step (after the step's own actions); read and checked here once.
        self.shared_actions = self.read_shared_actions();
        let depends_on = self.depends_on(&inputs.names, space.fields(&inputs.ty));
        let flow = self.flow();
        self.step_dependencies(&flow);
        let (steps, views) = self.steps(&mut space, &inputs, &flow);
        // The outputs of a step that some path to a successful end skips are `Option`s (asked
        // only of the steps the outputs read: each answer walks the graph).
        let read: Vec<String> = wf
            .outputs
            .iter()
            .filter_map(|(_, value)| match crate::expr::parse(&value.expr().value) {
                Ok(crate::expr::Expr::Steps { step, .. }) => Some(step),
                _ => None,
            })
            .collect();
        let (mut always, mut skippable) = (Vec::new(), Vec::new());
        for (index, view) in views.into_iter().enumerate() {
            match read.contains(&view.id) && flow.may_skip(index) {
                true => skippable.push(view),
                false => always.push(view),
            }
        }
        let scope = Scope {
            path_params: &[],
            inputs_known: inputs.known,
            inputs: &inputs.ty,
            space: &space,
            input_names: &inputs.names,
            earlier: &always,
            looped: &skippable,
            later: &[],
            response: None,
            message: None,
            place: Place::WorkflowOutput,
        };
        let outputs = self.outputs(&wf.outputs, &scope);
        space.absorb(std::mem::take(&mut self.out_space));
        let ran = ran(&depends_on, &steps);
        Some(ir::Workflow {
            id: wf.id.value.clone(),
            module,
            doc: doc_text(None, wf.summary.as_deref(), wf.description.as_deref()),
            space,
            inputs: inputs.ty,
            steps,
            outputs: outputs?,
            depends_on,
            ran,
        })
    }

    /// The workflows of `dependsOn` that check. A prerequisite takes its inputs, by name,
    /// from this workflow's `input_names` (typed `fields`).
    fn depends_on(&mut self, input_names: &[String], fields: &[Field]) -> Vec<ir::WorkflowRef> {
        let wf = self.current;
        let mut depends_on = Vec::new();
        for dependency in &wf.depends_on {
            let Some((unit, target)) = self.resolve_workflow(dependency) else {
                continue;
            };
            for missing in missing_by_name(target, self.trees, input_names) {
                self.diags.error(
                    dependency.loc,
                    format!(
                        "workflow `{}` depends on `{}`, whose required input `{missing}` it does not declare (prerequisites take their inputs by name from the dependent workflow's)",
                        wf.id.value, target.id.value
                    ),
                );
            }
            match self.callees.get(&(unit, target.id.value.clone())) {
                Some(sig) => {
                    let how = format!(
                        "workflow `{}` depends on `{}`",
                        wf.id.value, target.id.value
                    );
                    self.check_by_name(dependency.loc, &how, sig, fields);
                    depends_on.push(ir::WorkflowRef {
                        id: target.id.value.clone(),
                        module: sig.module.clone(),
                    });
                }
                // A prerequisite with errors of its own was reported there.
                None if self.failed.contains(&(unit, target.id.value.clone())) => {}
                None => self.diags.error(
                    dependency.loc,
                    format!(
                        "workflow `{}` depends on itself (directly or through other workflows)",
                        wf.id.value
                    ),
                ),
            }
        }
        depends_on
    }

    /// Checks the steps in order, each seeing the outputs of the ones before it, and those of
    /// the steps at or after it that a `goto` loop brings back. Returns the steps that check,
    /// and what every step looks like to the workflow's outputs.
    ///
    /// The types of a loop's outputs are known only once its steps are checked: when the
    /// workflow has a loop, the steps are checked twice, first quietly with the loop's outputs
    /// untyped (to learn their types), then for real.
    fn steps(
        &mut self,
        space: &mut TypeSpace,
        inputs: &Inputs,
        flow: &Flow,
    ) -> (Vec<ir::Step>, Vec<StepView>) {
        if !flow.has_loop() {
            return self.steps_once(space, inputs, flow, &[]);
        }
        let untyped: Vec<StepView> = self.current.steps.iter().map(untyped_view).collect();
        let (mut first_space, scratch) = (space.clone(), self.scratch.clone());
        let ((_, typed), _) =
            self.quietly(|c| c.steps_once(&mut first_space, inputs, flow, &untyped));
        self.scratch = scratch;
        self.steps_once(space, inputs, flow, &typed)
    }

    /// [`Self::steps`], once: `loop_views` are what the steps that loops bring back look like
    /// (indexed like the steps; empty when the workflow has no loop).
    fn steps_once(
        &mut self,
        space: &mut TypeSpace,
        inputs: &Inputs,
        flow: &Flow,
        loop_views: &[StepView],
    ) -> (Vec<ir::Step>, Vec<StepView>) {
        let wf = self.current;
        let all_ids: Vec<String> = wf.steps.iter().map(|s| s.id.value.clone()).collect();
        let mut views: Vec<StepView> = Vec::new();
        let mut steps = Vec::new();
        let mut step_idents: Vec<String> = names::RESERVED_FNS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        // Reserve every step's outputs struct name first, so output types cannot take them.
        let outputs_structs: Vec<String> = wf
            .steps
            .iter()
            .map(|s| space.reserve(&format!("{}Outputs", names::pascal(&s.id.value))))
            .collect();
        self.out_space =
            TypeSpace::responses(&space.taken(), Some(std::sync::Arc::clone(self.library)));
        for ((index, step), outputs_struct) in wf.steps.iter().enumerate().zip(outputs_structs) {
            let ident = names::unique(names::snake(&step.id.value), &mut step_idents);
            self.hint = names::pascal(&step.id.value);
            let looped: Vec<StepView> = match loop_views {
                [] => Vec::new(),
                views => flow
                    .looped_into(index)
                    .into_iter()
                    .filter_map(|looped| views.get(looped).cloned())
                    .collect(),
            };
            let scope = Scope {
                path_params: &[],
                inputs_known: inputs.known,
                inputs: &inputs.ty,
                space,
                input_names: &inputs.names,
                earlier: &views,
                looped: &looped,
                later: &all_ids[index..],
                response: None,
                message: None,
                place: Place::RequestValue,
            };
            self.reads.clear();
            let lowered = self.step(step, &scope);
            let outputs = match lowered {
                Some(mut s) => {
                    s.reads = std::mem::take(&mut self.reads);
                    s.ident = ident.clone();
                    s.outputs_struct = outputs_struct;
                    let outputs = s.outputs.iter().map(FieldSig::of_output).collect();
                    steps.push(s);
                    outputs
                }
                // Keep later references checkable even when this step had errors.
                None => untyped_view(step).outputs,
            };
            views.push(StepView {
                id: step.id.value.clone(),
                ident,
                outputs,
            });
        }
        self.reply_addresses(&mut steps);
        if steps.len() == wf.steps.len() {
            super::in_flight::plan(&mut steps, &wf.steps);
        }
        (steps, views)
    }

    /// The `Inputs` struct from the workflow's `inputs` schema, and the input names.
    fn inputs(&mut self, space: &mut TypeSpace) -> (Ty, Vec<String>) {
        let wf = self.current;
        let empty = |space: &mut TypeSpace| {
            let name = space.reserve("Inputs");
            space.structs.push(types::StructDef {
                name: name.clone(),
                doc: Some("This workflow takes no inputs.".to_owned()),
                fields: Vec::new(),
            });
            Ty::Named(name)
        };
        let Some(schema) = &wf.inputs else {
            return (empty(space), Vec::new());
        };
        let schema = match self.trees.resolve(schema) {
            Ok(resolved) => resolved,
            Err(e) => {
                let at = schema.get("$ref").map_or(schema.loc, |r| r.loc);
                let names = self.doc.component_names("inputs");
                let wrong = schema
                    .get("$ref")
                    .and_then(Node::as_str)
                    .unwrap_or_default();
                let wrong = wrong.rsplit('/').next().unwrap_or(wrong);
                self.diags
                    .error_help(at, format!("`inputs`: {e}"), suggest(wrong, names));
                return (empty(space), Vec::new());
            }
        };
        if schema.as_map().is_none() {
            self.diags.error(
                schema.loc,
                format!(
                    "`inputs` must be a JSON Schema object, found {}",
                    schema.kind_name()
                ),
            );
            return (empty(space), Vec::new());
        }
        let props = schema
            .get("properties")
            .and_then(Node::as_map)
            .unwrap_or(&[]);
        let names: Vec<String> = props
            .iter()
            .filter_map(|(k, _)| k.as_str().map(str::to_owned))
            .collect();
        for required in schema.get("required").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(r) = required.as_str()
                && !names.iter().any(|n| n == r)
            {
                self.diags.error_help(
                    required.loc,
                    format!("required input `{r}` is not among the input properties"),
                    suggest(r, names.iter().map(String::as_str)),
                );
            }
        }
        space.binary_as_bytes = true;
        let ty = types::schema_ty(self.trees, space, schema, "Inputs");
        space.binary_as_bytes = false;
        match ty {
            ty @ Ty::Named(_) => (ty, names),
            _ => (empty(space), names),
        }
    }
}

/// What a step looks like before (or without) checking it: its outputs, untyped.
fn untyped_view(step: &arazzo::Step) -> StepView {
    let mut taken = Vec::new();
    StepView {
        id: step.id.value.clone(),
        ident: names::snake(&step.id.value),
        outputs: step
            .outputs
            .iter()
            .map(|(n, _)| FieldSig {
                name: n.value.clone(),
                ident: names::unique(names::snake(&n.value), &mut taken),
                ty: Ty::Json,
            })
            .collect(),
    }
}

/// The required inputs of `target` that are not among `inputs`: what a workflow run with the
/// inputs of another, by name (`dependsOn`, `goto` a workflow), would lack.
pub(super) fn missing_by_name(
    target: &arazzo::Workflow,
    trees: &Trees,
    inputs: &[String],
) -> Vec<String> {
    target
        .required_inputs(trees)
        .into_iter()
        .filter(|r| !inputs.contains(r))
        .collect()
}

/// The workflows a run of this one runs, whose inputs and outputs it keeps for
/// `$workflows.x.…`, as (workflowId, module): its prerequisites, then those its steps call or
/// its actions go to or retry, each once.
fn ran(depends_on: &[ir::WorkflowRef], steps: &[ir::Step]) -> Vec<ir::WorkflowRef> {
    let mut ran = depends_on.to_vec();
    let calls = steps
        .iter()
        .filter_map(|s| s.call.as_ref())
        .map(|c| ir::WorkflowRef {
            id: c.workflow.clone(),
            module: c.module.clone(),
        });
    let gotos = steps
        .iter()
        .flat_map(|s| s.on_success.iter().chain(&s.on_failure))
        .filter_map(|a| match &a.kind {
            ir::ActionKind::GotoWorkflow(workflow)
            | ir::ActionKind::Retry {
                workflow: Some(workflow),
                ..
            } => Some(workflow.clone()),
            _ => None,
        });
    for workflow in calls.chain(gotos) {
        if !ran.iter().any(|known| known.module == workflow.module) {
            ran.push(workflow);
        }
    }
    ran
}
