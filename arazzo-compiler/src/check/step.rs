//! Checking a step: one that calls an operation, one that calls a workflow, and what can be
//! checked of one whose operation is unknown.

use super::request::PathTemplate;
use super::responses::{Accepted, accepted, response};
use super::{CalleeSig, Place, Scope, WorkflowChecker, doc_text};
use crate::arazzo::{self, Target};
use crate::decode::S;
use crate::diag::suggest;
use crate::expr::{self, Expr as Ast};
use crate::ir;
use crate::names;
use crate::openapi::{Operation, ParamIn};
use crate::selector::ExprOrSelector;

/// The parts of a step checked after its response or message ([`WorkflowChecker::judged`]).
pub(super) struct Judged {
    /// Its success criteria that check.
    pub criteria: Vec<ir::Criterion>,
    /// Its success actions.
    pub on_success: Vec<ir::Action>,
    /// Its failure actions.
    pub on_failure: Vec<ir::Action>,
    /// Its outputs, `None` when one does not check.
    pub outputs: Option<Vec<ir::Output>>,
}

impl<'a> WorkflowChecker<'a> {
    /// Checks and lowers a step. `scope` is where its request values are evaluated: the
    /// workflow's inputs and the outputs of the steps before it.
    pub(super) fn step(&mut self, step: &'a arazzo::Step, scope: &Scope<'_>) -> Option<ir::Step> {
        if let Some(target) = self.message_target(step) {
            return self.message_step(step, target, scope);
        }
        self.not_a_message_step(step);
        let resolved = match step.target.as_ref()? {
            Target::OperationId(id) => self.resolve_operation_id(id),
            Target::OperationPath(path) => self.resolve_operation_path(path),
            // An AsyncAPI step (handled above).
            Target::ChannelPath(_) => return None,
            Target::WorkflowId(id) => {
                let scope = Scope {
                    place: Place::CallStep,
                    ..*scope
                };
                return self.call_step(step, id, &scope);
            }
        };
        match resolved {
            Some((source, op)) => self.operation_step(step, source, op, scope),
            None => {
                // The operation may be in a path item that could not be read.
                for api in self.sources.iter().filter_map(|s| s.api.as_ref()) {
                    for (loc, message) in &api.broken_paths {
                        self.diags.error(*loc, message.clone());
                    }
                }
                self.loose_step(step, scope);
                None
            }
        }
    }

    /// Checks and lowers a step that calls `op` of the source at `source` (an index among this
    /// document's sources).
    fn operation_step(
        &mut self,
        step: &arazzo::Step,
        source: usize,
        op: &'a Operation,
        scope: &Scope<'_>,
    ) -> Option<ir::Step> {
        let label = op.label();
        let api = self.sources.get(source)?.api.as_ref()?;
        // From here on, the source is known by its client slot.
        let slot = self.slots.get(source).copied().flatten()?;
        let template = PathTemplate::parse(&op.path);
        let before = Scope {
            path_params: &template.params,
            ..*scope
        };
        let (mut params, bound, content_type) = self.parameters(step, api, op, &label, &before)?;
        let security = self.security(slot, api, op, &label, &bound, step)?;
        let body = self.body(step, op, &label, &before, content_type.as_ref());
        if let Some(Some(_)) = &body {
            // The body's content type is the header's: it is sent once, with the body.
            params.retain(|p| {
                !(p.location == ir::ParamIn::Header && p.name.eq_ignore_ascii_case("content-type"))
            });
        }
        let accepted = accepted(self.trees, &op.node, &step.success_criteria);
        self.unreadable_parts(op, &accepted);
        let after = Scope {
            response: Some(&accepted),
            place: Place::StepOutput,
            ..before
        };
        let Judged {
            criteria,
            on_success,
            on_failure,
            outputs,
        } = self.judged(step, &after);
        let summary = op
            .summary
            .as_deref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        Some(ir::Step {
            id: step.id.value.clone(),
            ident: String::new(),
            outputs_struct: String::new(),
            doc: doc_text(
                None,
                step.description.as_deref(),
                Some(&format!(
                    "Calls `{label}` ({} {}){summary}",
                    op.method, op.path
                )),
            ),
            source: slot,
            operation: label,
            method: op.method.clone(),
            path: template.segments,
            security,
            params,
            body: body?,
            criteria,
            outputs: outputs?,
            on_success,
            on_failure,
            timeout_millis: step.timeout.map(|t| t.millis),
            call: None,
            message: None,
            reads: Vec::new(),
            in_flight: false,
            joins: Vec::new(),
        })
    }

    /// Reports what could not be read of the parts of `op` a step uses: its parameters, its
    /// request body and the responses it accepts (a broken part of the OpenAPI document that
    /// no step uses is no error of this build).
    fn unreadable_parts(&mut self, op: &Operation, accepted: &Accepted<'_>) {
        for p in &op.problems {
            self.diags
                .error_help(p.loc, p.message.clone(), p.help.clone());
        }
        let responses = op.node.get("responses");
        let used = op
            .params
            .iter()
            .filter_map(|p| p.schema.as_ref())
            .chain(op.node.get("requestBody"))
            .chain(
                accepted
                    .keys()
                    .into_iter()
                    .filter_map(|key| responses.and_then(|r| response(r, key))),
            );
        for part in used {
            for e in self.trees.broken_refs(part) {
                self.diags.error_help(e.loc, e.message, e.help);
            }
        }
    }

    /// What a step decides once its response or message is known, checked in `after` (the
    /// scope of its outputs): its success criteria, its actions and its outputs.
    pub(super) fn judged(&mut self, step: &arazzo::Step, after: &Scope<'_>) -> Judged {
        let criteria = self.success_criteria(
            step,
            &Scope {
                place: Place::SuccessCriterion,
                ..*after
            },
        );
        let (on_success, on_failure) = self.step_actions(step, after);
        let outputs = self.outputs(&step.outputs, after);
        Judged {
            criteria,
            on_success,
            on_failure,
            outputs,
        }
    }

    /// The step's `successCriteria` that check, in `scope`.
    pub(super) fn success_criteria(
        &mut self,
        step: &arazzo::Step,
        scope: &Scope<'_>,
    ) -> Vec<ir::Criterion> {
        step.success_criteria
            .iter()
            .filter_map(|criterion| self.criterion(criterion, scope))
            .collect()
    }

    /// Checks what can be checked of a step whose operation is unknown (already reported):
    /// its expressions, criteria, outputs and actions, with the response untyped.
    fn loose_step(&mut self, step: &arazzo::Step, scope: &Scope<'_>) {
        let wf = self.current;
        // The operation's path is unknown: `$request.path.x` may read the path parameters the
        // step supplies.
        let path_params: Vec<String> = wf
            .parameters
            .iter()
            .chain(&step.parameters)
            .filter(|p| {
                p.location.as_ref().and_then(|l| ParamIn::parse(&l.value)) == Some(ParamIn::Path)
            })
            .filter_map(|p| p.name.as_ref().map(|n| n.value.clone()))
            .collect();
        let before = &Scope {
            path_params: &path_params,
            ..*scope
        };
        for p in wf.parameters.iter().chain(&step.parameters) {
            if let Some(value) = &p.value {
                let _ = self.value(value, before);
            }
        }
        if let Some(payload) = step.request_body.as_ref().and_then(|b| b.payload.as_ref()) {
            let _ = self.value(payload, before);
        }
        let untyped = Accepted::default();
        let after = Scope {
            response: Some(&untyped),
            place: Place::StepOutput,
            ..*before
        };
        for criterion in &step.success_criteria {
            let _ = self.criterion(criterion, &after);
        }
        let _ = self.outputs(&step.outputs, &after);
        let _ = self.step_actions(step, &after);
    }

    /// Checks and lowers a step that calls a workflow: the callee exists, parameters name its
    /// inputs, its required inputs are supplied, `$outputs.x` names its typed outputs.
    fn call_step(&mut self, step: &arazzo::Step, id: &S, scope: &Scope<'_>) -> Option<ir::Step> {
        let errors_before = self.diags.len();
        let Some((unit, callee)) = self.resolve_workflow(id) else {
            // A workflow of an arazzo-type source that was not read (`skip_sources`, or it
            // failed to load and was reported): what needs no callee is still checked.
            if self.diags.len() == errors_before {
                self.loose_call_step(step, scope);
            }
            return None;
        };
        let sig = self.callees.get(&(unit, callee.id.value.clone()));
        let inputs = self.call_inputs(step, callee, sig, scope);
        let outputs = self.call_outputs(step, callee, sig, scope);
        let criteria = self.success_criteria(step, scope);
        let (on_success, on_failure) = self.step_actions(step, scope);
        // A step whose own or inherited actions do not check is not lowered either.
        if self.diags.len() != errors_before || self.shared_actions.failed {
            return None;
        }
        let Some(sig) = sig else {
            // A callee with errors of its own was reported there; else this is a cycle.
            if self.failed.contains(&(unit, callee.id.value.clone())) {
                return None;
            }
            self.diags.error(
                id.loc,
                format!(
                    "workflow `{}` calls itself (directly or through other workflows); recursive calls are not supported",
                    callee.id.value
                ),
            );
            return None;
        };
        Some(ir::Step {
            id: step.id.value.clone(),
            ident: String::new(),
            outputs_struct: String::new(),
            doc: doc_text(
                None,
                step.description.as_deref(),
                Some(&format!("Calls workflow `{}`.", callee.id.value)),
            ),
            source: 0,
            operation: format!("workflow {}", callee.id.value),
            method: String::new(),
            path: Vec::new(),
            security: Vec::new(),
            params: Vec::new(),
            body: None,
            criteria,
            outputs,
            on_success,
            on_failure,
            timeout_millis: step.timeout.map(|t| t.millis),
            call: Some(ir::Call {
                workflow: callee.id.value.clone(),
                module: sig.module.clone(),
                inputs,
            }),
            message: None,
            reads: Vec::new(),
            in_flight: false,
            joins: Vec::new(),
        })
    }

    /// Checks what can be checked of a step whose callee is unknown: its parameter values,
    /// criteria, actions, and the outputs that do not read the callee's (`$outputs.x`).
    fn loose_call_step(&mut self, step: &arazzo::Step, scope: &Scope<'_>) {
        for value in step.parameters.iter().filter_map(|p| p.value.as_ref()) {
            let _ = self.value(value, scope);
        }
        let _ = self.success_criteria(step, scope);
        let _ = self.step_actions(step, scope);
        for (_, value) in &step.outputs {
            match value {
                ExprOrSelector::Selector(sel) => {
                    let _ = self.selector(sel, scope);
                }
                ExprOrSelector::Expr(value) => {
                    if !matches!(expr::parse(&value.value), Ok(Ast::Outputs { .. })) {
                        let _ = self.expr(super::At::whole(value), &value.value, scope);
                    }
                }
            }
        }
    }

    /// The inputs a step passes to the workflow it calls: its parameters (see
    /// [`Self::passed_inputs`]).
    fn call_inputs(
        &mut self,
        step: &arazzo::Step,
        callee: &arazzo::Workflow,
        sig: Option<&CalleeSig>,
        scope: &Scope<'_>,
    ) -> Vec<(String, ir::Value)> {
        let who = format!("step `{}`", step.id.value);
        self.passed_inputs(&step.parameters, &who, step.loc, callee, sig, scope)
    }

    /// The outputs of a step that calls `callee`: `$outputs.x` reads the callee's output `x`
    /// (typed when the callee is checked already, `sig`); other expressions read as anywhere.
    fn call_outputs(
        &mut self,
        step: &arazzo::Step,
        callee: &arazzo::Workflow,
        sig: Option<&CalleeSig>,
        scope: &Scope<'_>,
    ) -> Vec<ir::Output> {
        let callee_outputs: Vec<&str> = callee
            .outputs
            .iter()
            .map(|(n, _)| n.value.as_str())
            .collect();
        let mut outputs = Vec::new();
        let mut taken = Vec::new();
        for (name, value) in &step.outputs {
            let value = match value {
                ExprOrSelector::Expr(value) => value,
                ExprOrSelector::Selector(sel) => {
                    if let Some(expr) = self.selector(sel, scope) {
                        outputs.push(ir::Output {
                            name: name.value.clone(),
                            ident: names::unique(names::snake(&name.value), &mut taken),
                            expr,
                            source: sel.describe(),
                            secret: false,
                        });
                    }
                    continue;
                }
            };
            let expr = if let Ok(Ast::Outputs {
                name: output,
                pointer,
            }) = expr::parse(&value.value)
            {
                if !callee_outputs.contains(&output.as_str()) {
                    self.diags.error_help(
                        value.loc,
                        format!(
                            "workflow `{}` has no output `{output}` (read by output `{}`)",
                            callee.id.value, name.value
                        ),
                        suggest(&output, callee_outputs.iter().copied()).or_else(|| {
                            Some(format!("workflow `{}` defines no outputs", callee.id.value))
                        }),
                    );
                    continue;
                }
                sig.and_then(|sig| {
                    let field = sig.outputs.iter().find(|f| f.name == output)?;
                    let value =
                        ir::Expr::CallOutput(field.ident.clone(), field.ty.qualify(&sig.module));
                    Some(match pointer {
                        Some(pointer) => ir::Expr::At(Box::new(value), pointer.tokens),
                        None => value,
                    })
                })
            } else {
                self.expr(super::At::whole(value), &value.value, scope)
            };
            if let Some(expr) = expr {
                outputs.push(ir::Output {
                    name: name.value.clone(),
                    ident: names::unique(names::snake(&name.value), &mut taken),
                    expr,
                    source: value.value.clone(),
                    secret: false,
                });
            }
        }
        outputs
    }
}
