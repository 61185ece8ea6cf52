//! Checking: resolve every reference of the document, type every value, lower to [`ir`].

use std::collections::HashMap;

use crate::actions;
use crate::arazzo::{self, CriterionKind, Document, Target};
use crate::condition;
use crate::decode::S;
use crate::diag::{Diags, closest, one_of, suggest};
use crate::expr::{self, Expr as Ast, Source as AstSource};
use crate::files::FileId;
use crate::files::Loc;
use crate::ir;
use crate::load::{LoadedSource, Unit};
use crate::names;
use crate::openapi::{OpenApi, Operation, Scheme};
use crate::refs::Trees;
use crate::types::{self, PointerTy, Ty, TypeSpace};
use crate::yaml::{Kind, Node};

/// Checks the documents and lowers them into one program; every problem goes to `diags`.
/// `units[0]` is the document the macro names; the others are reached through arazzo-type
/// source descriptions (and contain no cycle).
pub fn check(diags: &mut Diags, units: &[Unit], trees: &Trees) -> ir::Program {
    let Some(main) = units.first() else {
        return ir::Program::default();
    };
    let mut program = ir::Program {
        doc: doc_text(
            Some(&main.doc.info.title),
            main.doc.info.summary.as_deref(),
            main.doc.info.description.as_deref(),
        ),
        ..ir::Program::default()
    };
    // A source's or scheme's builder method may not take the name of one the builder has.
    let mut taken_methods: Vec<String> = names::BUILDER_METHODS
        .iter()
        .map(|m| (*m).to_owned())
        .collect();
    // Each OpenAPI source gets a client slot (a base URL); sources of different documents that
    // name the same file share one.
    let mut slot_files: Vec<Option<FileId>> = Vec::new();
    let slots: Vec<Vec<Option<usize>>> = units
        .iter()
        .map(|unit| {
            unit.sources
                .iter()
                .map(|source| {
                    if source.arazzo.is_some() {
                        return None;
                    }
                    let file = source.api.as_ref().map(|a| a.file);
                    if let Some(shared) =
                        slot_files.iter().position(|f| file.is_some() && *f == file)
                    {
                        return Some(shared);
                    }
                    let name = match &unit.prefix {
                        Some(prefix) => format!("{prefix}_{}", source.name),
                        None => source.name.clone(),
                    };
                    program.sources.push(ir::Source {
                        base_url_method: names::unique(
                            format!("base_url_{}", names::snake(&name)),
                            &mut taken_methods,
                        ),
                        name,
                        default_url: source
                            .api
                            .as_ref()
                            .and_then(|a| a.server.clone())
                            .filter(|u| u.contains("://")),
                    });
                    slot_files.push(file);
                    Some(program.sources.len() - 1)
                })
                .collect()
        })
        .collect();
    // Module names in document order, the named document first; workflows are checked
    // callees first, so a step that calls a workflow sees the callee's typed outputs.
    let mut module_names = Vec::new();
    let modules: Vec<Vec<String>> = units
        .iter()
        .map(|unit| {
            unit.doc
                .workflows
                .iter()
                .map(|w| {
                    let name = match &unit.prefix {
                        Some(prefix) => format!("{prefix}_{}", w.id.value),
                        None => w.id.value.clone(),
                    };
                    names::unique(names::snake(&name), &mut module_names)
                })
                .collect()
        })
        .collect();
    let mut callees: HashMap<(usize, String), CalleeSig> = HashMap::new();
    let mut lowered: Vec<Vec<Option<ir::Workflow>>> = units
        .iter()
        .map(|u| u.doc.workflows.iter().map(|_| None).collect())
        .collect();
    for unit_index in unit_order(units) {
        let unit = &units[unit_index];
        let doc = &unit.doc;
        for index in call_order(doc) {
            let workflow = &doc.workflows[index];
            let mut checker = WorkflowChecker {
                doc,
                unit: unit_index,
                units,
                slots: &slots[unit_index],
                current: workflow,
                out_space: TypeSpace::default(),
                hint: String::new(),
                scratch: TypeSpace::default(),
                callees: &callees,
                diags: &mut *diags,
                trees,
                sources: &unit.sources,
                program: &mut program,
                taken_methods: &mut taken_methods,
            };
            if let Some(w) = checker.workflow(doc, workflow, modules[unit_index][index].clone()) {
                callees.insert((unit_index, w.id.clone()), CalleeSig::of(&w));
                lowered[unit_index][index] = Some(w);
            }
        }
    }
    program.workflows = lowered.into_iter().flatten().flatten().collect();
    program
}

/// Unit indexes in an order where every document comes after the documents it refers to.
fn unit_order(units: &[Unit]) -> Vec<usize> {
    post_order(units.len(), |i| {
        units[i]
            .sources
            .iter()
            .filter_map(|s| s.arazzo)
            .filter(|j| *j < units.len())
            .collect()
    })
}

/// The nodes `0..n` in depth-first post-order along `edges` (each node after the nodes it
/// reaches, cycles cut where they close), without recursion: chains of any length cost heap,
/// not stack.
fn post_order(n: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    let mut seen = vec![false; n];
    let mut out = Vec::with_capacity(n);
    // (node, its successors, how many of them were visited)
    let mut stack: Vec<(usize, Vec<usize>, usize)> = Vec::new();
    for root in 0..n {
        if std::mem::replace(&mut seen[root], true) {
            continue;
        }
        stack.push((root, edges(root), 0));
        while let Some((node, next, done)) = stack.last_mut() {
            match next.get(*done).copied() {
                Some(j) => {
                    *done += 1;
                    if j < n && !std::mem::replace(&mut seen[j], true) {
                        stack.push((j, edges(j), 0));
                    }
                }
                None => {
                    out.push(*node);
                    stack.pop();
                }
            }
        }
    }
    out
}

/// The names actions and workflow references may point at.
struct Names<'d> {
    steps: Vec<&'d str>,
    workflows: Vec<&'d str>,
    sources: Vec<&'d str>,
}

impl<'d> Names<'d> {
    fn of(doc: &'d Document, wf: &'d arazzo::Workflow) -> Self {
        Names {
            steps: wf.steps.iter().map(|s| s.id.value.as_str()).collect(),
            workflows: doc.workflows.iter().map(|w| w.id.value.as_str()).collect(),
            sources: doc.sources.iter().map(|s| s.name.value.as_str()).collect(),
        }
    }

    fn targets<'n>(&'n self, doc: &'d Document) -> actions::Targets<'n> {
        actions::Targets {
            steps: &self.steps,
            workflows: &self.workflows,
            sources: &self.sources,
            components: doc.components.as_ref(),
        }
    }
}

/// What a caller sees of a checked workflow.
struct CalleeSig {
    module: String,
    /// Top-level inputs: (JSON name, field ident, type in the callee's module).
    inputs: Vec<(String, String, Ty)>,
    /// Outputs: (name, field ident, type in the callee's module).
    outputs: Vec<(String, String, Ty)>,
}

impl CalleeSig {
    fn of(w: &ir::Workflow) -> Self {
        CalleeSig {
            module: w.module.clone(),
            inputs: w
                .input_fields()
                .iter()
                .map(|f| (f.json_name.clone(), f.ident.clone(), f.ty.clone()))
                .collect(),
            outputs: w
                .outputs
                .iter()
                .map(|o| (o.name.clone(), o.ident.clone(), o.expr.ty()))
                .collect(),
        }
    }
}

/// Workflow indexes in an order where every workflow comes after the workflows it calls
/// (depth-first post-order); a call cycle is left to the checker to report.
fn call_order(doc: &Document) -> Vec<usize> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, w) in doc.workflows.iter().enumerate() {
        index.entry(w.id.value.as_str()).or_insert(i);
    }
    post_order(doc.workflows.len(), |i| {
        let wf = &doc.workflows[i];
        wf.steps
            .iter()
            .filter_map(|s| match &s.target {
                Some(Target::WorkflowId(id)) => Some(id),
                _ => None,
            })
            .chain(&wf.depends_on)
            .chain(action_workflows(doc, wf))
            .filter_map(|id| index.get(id.value.as_str()).copied())
            .collect()
    })
}

/// The workflows of this document that the actions of `wf` (its steps' own, its shared ones, and
/// the components they reference) name with `workflowId`.
fn action_workflows<'d>(
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
                .and_then(|(kind, name)| doc.components.as_ref()?.get(kind)?.get(name));
            referenced.unwrap_or(action)
        })
        .filter_map(|a| a.get("workflowId")?.as_str())
        .filter_map(|id| doc.workflows.iter().find(|w| w.id.value == id))
        .map(|w| &w.id)
}

/// `title`, `summary` and `description` joined as a doc comment.
fn doc_text(title: Option<&str>, summary: Option<&str>, description: Option<&str>) -> String {
    [title, summary, description]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

struct WorkflowChecker<'a> {
    doc: &'a Document,
    /// The index of `doc` among `units`.
    unit: usize,
    /// Every document of the program.
    units: &'a [Unit],
    /// The client slot of each of this document's sources (`None` for arazzo-type sources).
    slots: &'a [Option<usize>],
    /// The workflow being checked.
    current: &'a arazzo::Workflow,
    /// Workflows checked so far, by (unit, id).
    callees: &'a HashMap<(usize, String), CalleeSig>,
    /// Types generated for step outputs (merged into the workflow's space at the end).
    out_space: TypeSpace,
    /// Name hint for the type of the output being checked.
    hint: String,
    /// Types of values only compared in conditions (never emitted; enums checked against).
    scratch: TypeSpace,
    diags: &'a mut Diags,
    trees: &'a Trees,
    sources: &'a [LoadedSource],
    program: &'a mut ir::Program,
    taken_methods: &'a mut Vec<String>,
}

/// What a step looks like to expressions in later steps.
struct StepView {
    id: String,
    ident: String,
    outputs: Vec<(String, String, Ty)>,
}

/// Where an expression is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A parameter or payload value of a request.
    RequestValue,
    /// A parameter or criterion of a step that calls a workflow.
    CallStep,
    /// A step output (its type is emitted as generated structs).
    StepOutput,
    /// A success criterion of a step.
    SuccessCriterion,
    /// A criterion of a success or failure action.
    ActionCriterion,
    /// A workflow output.
    WorkflowOutput,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Place::RequestValue => "a request value",
            Place::CallStep => "a step that calls a workflow",
            Place::StepOutput => "a step output",
            Place::SuccessCriterion => "a success criterion",
            Place::ActionCriterion => "an action criterion",
            Place::WorkflowOutput => "a workflow output",
        })
    }
}

/// Where an expression is evaluated.
struct Scope<'s> {
    /// Path parameter names of the step's operation, in template order.
    path_params: &'s [String],
    /// False when the inputs schema could not be read (already reported): no cascades.
    inputs_known: bool,
    inputs: &'s Ty,
    space: &'s TypeSpace,
    input_names: &'s [String],
    /// Steps whose outputs are readable here.
    earlier: &'s [StepView],
    /// Steps of the workflow that exist but are not readable here (later or the same step).
    later: &'s [String],
    /// The 2xx response schema when the expression runs after the step's response.
    response: Option<Option<&'s Node>>,
    /// Where the expression is written: decides what it may read, whether its type is emitted,
    /// and how messages name it.
    place: Place,
}

impl<'a> WorkflowChecker<'a> {
    fn workflow(
        &mut self,
        doc: &Document,
        wf: &arazzo::Workflow,
        module_name: String,
    ) -> Option<ir::Workflow> {
        let mut space = TypeSpace::new(&[
            "Outputs",
            "Client",
            "ClientBuilder",
            "Progress",
            "RanWorkflows",
        ]);
        let errors_before = self.diags.len();
        let (inputs, input_names) = self.inputs(wf, &mut space);
        // Unknown only when reading the schema failed (names stay empty): then `$inputs.x`
        // errors would be mere cascades.
        let inputs_known = self.diags.len() == errors_before || !input_names.is_empty();
        let names = Names::of(doc, wf);
        let targets = names.targets(doc);
        let success = actions::check_list(
            self.diags,
            &wf.success_actions,
            actions::ActionList::Success,
            &targets,
        );
        let failure = actions::check_list(
            self.diags,
            &wf.failure_actions,
            actions::ActionList::Failure,
            &targets,
        );
        // Executed through each step (after the step's own actions); checked here once.
        let _ = (success, failure);
        let mut depends_on = Vec::new();
        for dependency in &wf.depends_on {
            if !actions::check_workflow_ref(
                self.diags,
                dependency,
                &names.workflows,
                &names.sources,
            ) {
                continue;
            }
            let Some((unit, target)) = self.target_workflow(dependency) else {
                continue;
            };
            // The prerequisite takes its inputs, by name, from this workflow's inputs.
            let missing_inputs = missing_by_name(target, &input_names);
            for missing in &missing_inputs {
                self.diags.error(
                    dependency.loc,
                    format!(
                        "workflow `{}` depends on `{}`, whose required input `{missing}` it does not declare (prerequisites take their inputs by name from the dependent workflow's)",
                        wf.id.value, target.id.value
                    ),
                );
            }
            match self.callees.get(&(unit, target.id.value.clone())) {
                Some(sig) => depends_on.push((target.id.value.clone(), sig.module.clone())),
                None => self.diags.error(
                    dependency.loc,
                    format!(
                        "workflow `{}` depends on itself (directly or through other workflows)",
                        wf.id.value
                    ),
                ),
            }
        }
        let all_ids: Vec<String> = wf.steps.iter().map(|s| s.id.value.clone()).collect();
        let mut views: Vec<StepView> = Vec::new();
        let mut steps = Vec::new();
        let mut step_idents = Vec::new();
        // Reserve every step's outputs struct name first, so output types cannot take them.
        let outputs_structs: Vec<String> = wf
            .steps
            .iter()
            .map(|s| space.reserve(&format!("{}Outputs", names::pascal(&s.id.value))))
            .collect();
        self.out_space = TypeSpace::new(&space.taken());
        for (index, step) in wf.steps.iter().enumerate() {
            let ident = names::unique(names::snake(&step.id.value), &mut step_idents);
            let outputs_struct = outputs_structs[index].clone();
            self.hint = names::pascal(&step.id.value);
            let later: Vec<String> = all_ids[index..].to_vec();
            let lowered = self.step(
                doc,
                wf,
                step,
                inputs_known,
                &inputs,
                &space,
                &input_names,
                &views,
                &later,
            );
            let mut view = StepView {
                id: step.id.value.clone(),
                ident: ident.clone(),
                outputs: Vec::new(),
            };
            if let Some(mut s) = lowered {
                s.ident = ident;
                s.outputs_struct = outputs_struct;
                view.outputs = s
                    .outputs
                    .iter()
                    .map(|o| (o.name.clone(), o.ident.clone(), o.expr.ty()))
                    .collect();
                steps.push(s);
            } else {
                // Keep later references checkable even when this step had errors.
                let mut taken = Vec::new();
                view.outputs = step
                    .outputs
                    .iter()
                    .map(|(n, _)| {
                        (
                            n.value.clone(),
                            names::unique(names::snake(&n.value), &mut taken),
                            Ty::Json,
                        )
                    })
                    .collect();
            }
            views.push(view);
        }
        let scope = Scope {
            path_params: &[],
            inputs_known,
            inputs: &inputs,
            space: &space,
            input_names: &input_names,
            earlier: &views,
            later: &[],
            response: None,
            place: Place::WorkflowOutput,
        };
        let outputs = self.outputs(&wf.outputs, &scope);
        space.absorb(std::mem::take(&mut self.out_space));
        let module = module_name;
        let mut ran = depends_on.clone();
        let calls = steps
            .iter()
            .filter_map(|s: &ir::Step| s.call.as_ref())
            .map(|c| (&c.workflow, &c.module));
        let gotos = steps
            .iter()
            .flat_map(|s| s.on_success.iter().chain(&s.on_failure))
            .filter_map(|a| match &a.kind {
                ir::ActionKind::GotoWorkflow(id, module)
                | ir::ActionKind::Retry {
                    workflow: Some((id, module)),
                    ..
                } => Some((id, module)),
                _ => None,
            });
        for (id, module) in calls.chain(gotos) {
            if !ran.iter().any(|(_, known)| known == module) {
                ran.push((id.clone(), module.clone()));
            }
        }
        Some(ir::Workflow {
            id: wf.id.value.clone(),
            module,
            doc: doc_text(None, wf.summary.as_deref(), wf.description.as_deref()),
            space,
            inputs,
            steps,
            outputs: outputs?,
            depends_on,
            ran,
        })
    }

    fn unsupported(&mut self, loc: Loc, what: &str) {
        self.diags.error(
            loc,
            format!("{what} is valid Arazzo but not supported by this version of the compiler yet"),
        );
    }

    /// The `Inputs` struct from the workflow's `inputs` schema, and the input names.
    fn inputs(&mut self, wf: &arazzo::Workflow, space: &mut TypeSpace) -> (Ty, Vec<String>) {
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
                let names: Vec<&str> = self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.get("inputs"))
                    .and_then(Node::as_map)
                    .map(|m| m.iter().filter_map(|(k, _)| k.as_str()).collect())
                    .unwrap_or_default();
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
        match types::schema_ty(self.trees, space, schema, "Inputs") {
            ty @ Ty::Named(_) => (ty, names),
            _ => (empty(space), names),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn step(
        &mut self,
        doc: &Document,
        wf: &arazzo::Workflow,
        step: &arazzo::Step,
        inputs_known: bool,
        inputs: &Ty,
        space: &TypeSpace,
        input_names: &[String],
        earlier: &[StepView],
        later: &[String],
    ) -> Option<ir::Step> {
        let loose = Scope {
            path_params: &[],
            inputs_known,
            inputs,
            space,
            input_names,
            earlier,
            later,
            response: None,
            place: Place::RequestValue,
        };
        let resolved = match step.target.as_ref()? {
            Target::OperationId(id) => self.resolve_operation_id(doc, id),
            Target::OperationPath(path) => self.resolve_operation_path(path),
            Target::WorkflowId(id) => {
                let scope = Scope {
                    place: Place::CallStep,
                    ..loose
                };
                return self.workflow_step(wf, step, id, &scope);
            }
        };
        let Some((source_index, op)) = resolved else {
            self.loose_step(wf, step, &loose);
            return None;
        };
        let label = op
            .id
            .clone()
            .unwrap_or_else(|| format!("{} {}", op.method, op.path));
        let sources: &'a [LoadedSource] = self.sources;
        let api = sources.get(source_index)?.api.as_ref()?;
        // From here on, the source is known by its client slot.
        let source_index = self.slots.get(source_index).copied().flatten()?;
        // Path template → segments and parameter indexes.
        let mut path_names: Vec<String> = Vec::new();
        let mut path = Vec::new();
        for segment in op.path.trim_start_matches('/').split('/') {
            let mut pieces = Vec::new();
            let mut rest = segment;
            while let Some(open) = rest.find('{') {
                let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                    break;
                };
                if open > 0 {
                    pieces.push(ir::PathPiece::Lit(rest[..open].to_owned()));
                }
                let name = rest[open + 1..close].to_owned();
                let index = path_names
                    .iter()
                    .position(|n| *n == name)
                    .unwrap_or_else(|| {
                        path_names.push(name);
                        path_names.len() - 1
                    });
                pieces.push(ir::PathPiece::Param(index));
                rest = &rest[close + 1..];
            }
            if !rest.is_empty() {
                pieces.push(ir::PathPiece::Lit(rest.to_owned()));
            }
            path.push(pieces);
        }
        if op.path == "/" {
            path.clear();
        }
        let before = Scope {
            path_params: &path_names,
            inputs_known,
            inputs,
            space,
            input_names,
            earlier,
            later,
            response: None,
            place: Place::RequestValue,
        };
        // Parameters: the workflow's, overridden by the step's.
        let mut supplied: Vec<arazzo::Parameter> = Vec::new();
        // An unresolvable `reference` (reported) may have been meant to supply any parameter.
        let mut unresolved_reference = false;
        for p in wf.parameters.iter().chain(&step.parameters) {
            let p = match &p.reference {
                Some(r) => match self.component_parameter(r, p.value.as_ref()) {
                    Some(resolved) => resolved,
                    None => {
                        unresolved_reference = true;
                        continue;
                    }
                },
                None => p.clone(),
            };
            let p = &p;
            let key = |q: &arazzo::Parameter| {
                (
                    q.name.as_ref().map(|n| n.value.clone()),
                    q.location.as_ref().map(|l| l.value.clone()),
                )
            };
            supplied.retain(|q| key(q) != key(p));
            supplied.push(p.clone());
        }
        let api_key_params: Vec<(String, String)> = op
            .security
            .iter()
            .flatten()
            .filter_map(|name| api.schemes.iter().find(|(n, _)| n == name))
            .filter_map(|(_, s)| match s {
                Scheme::ApiKey { location, name } => Some((name.clone(), location.clone())),
                _ => None,
            })
            .collect();
        // Declared parameters a rejected (misspelled or misplaced) one was evidently meant to
        // be: they are not reported missing as well.
        let mut meant: Vec<(String, String)> = Vec::new();
        let mut params = Vec::new();
        let mut bound_keys: Vec<(String, String)> = Vec::new();
        for p in supplied {
            let Some(name) = &p.name else { continue };
            let Some(location) = &p.location else {
                let declared = op.params.iter().find(|q| q.name == name.value);
                if let Some(q) = declared {
                    meant.push((q.name.clone(), q.location.clone()));
                }
                let hint = declared.map(|q| format!("add `in: {}`", q.location));
                self.diags.error_help(
                    p.loc,
                    format!("parameter `{}` needs `in` (path, query, header or cookie) because step `{}` calls an operation", name.value, step.id.value),
                    hint,
                );
                continue;
            };
            let declared = op
                .params
                .iter()
                .find(|q| q.name == name.value && q.location == location.value);
            let is_credential = api_key_params
                .iter()
                .any(|(n, l)| *n == name.value && *l == location.value);
            if declared.is_none() && !is_credential {
                let same_name = op.params.iter().find(|q| q.name == name.value);
                if let Some(q) = same_name {
                    meant.push((q.name.clone(), q.location.clone()));
                }
                let (message, help) = match same_name {
                    Some(q) => (
                        format!(
                            "operation `{label}` declares `{}` as a {} parameter, not {}",
                            name.value, q.location, location.value
                        ),
                        Some(format!("write `in: {}`", q.location)),
                    ),
                    None => {
                        let candidates: Vec<&str> = op
                            .params
                            .iter()
                            .filter(|q| q.location == location.value)
                            .map(|q| q.name.as_str())
                            .collect();
                        if let Some(closest) = closest(&name.value, &candidates) {
                            meant.push((closest.to_owned(), location.value.clone()));
                        }
                        (
                            format!(
                                "operation `{label}` has no {} parameter `{}`",
                                location.value, name.value
                            ),
                            suggest(&name.value, candidates).or_else(|| {
                                Some(format!("it declares no {} parameters", location.value))
                            }),
                        )
                    }
                };
                self.diags.error_help(name.loc, message, help);
                continue;
            }
            let Some(value_node) = &p.value else { continue };
            let value = self.value(value_node, &before)?;
            if let (Some(q), ir::Value::Lit(lit)) = (declared, &value) {
                self.check_literal_against_schema(
                    value_node.loc,
                    &name.value,
                    lit,
                    q.schema.as_ref(),
                );
            }
            let location_ir = match location.value.as_str() {
                "path" => match path_names.iter().position(|n| *n == name.value) {
                    Some(i) => ir::ParamIn::Path(i),
                    None => continue,
                },
                "query" => ir::ParamIn::Query,
                "header" => ir::ParamIn::Header,
                _ => ir::ParamIn::Cookie,
            };
            bound_keys.push((name.value.clone(), location.value.clone()));
            let is_array = match &value {
                ir::Value::Array(_) => true,
                ir::Value::Expr(e) => {
                    matches!(e.ty(), Ty::Vec(_))
                        || matches!(e.ty(), Ty::Option(t) if matches!(*t, Ty::Vec(_)))
                }
                _ => false,
            };
            // OpenAPI 3 query serialization: style form (default, explode true), spaceDelimited,
            // pipeDelimited.
            let list = (is_array && location_ir == ir::ParamIn::Query).then(|| {
                let style = declared.and_then(|q| q.style.as_deref()).unwrap_or("form");
                let explode = declared.and_then(|q| q.explode).unwrap_or(style == "form");
                let delimiter = match style {
                    "spaceDelimited" => " ",
                    "pipeDelimited" => "|",
                    _ => ",",
                };
                (explode, delimiter)
            });
            params.push(ir::Param {
                name: name.value.clone(),
                location: location_ir,
                value,
                list,
            });
        }
        for q in op
            .params
            .iter()
            .filter(|q| q.required && !unresolved_reference)
        {
            let key = (q.name.clone(), q.location.clone());
            if !bound_keys.contains(&key) && !meant.contains(&key) {
                self.diags.error_help(
                    step.loc,
                    format!(
                        "step `{}` does not supply required {} parameter `{}` of operation `{label}`",
                        step.id.value, q.location, q.name
                    ),
                    Some(format!("add `- name: {}` with `in: {}` and a `value` to `parameters`", q.name, q.location)),
                );
            }
        }
        let security = self.security(source_index, api, op, &label, &bound_keys, step)?;
        let body = self.body(step, op, &label, &before);
        let after = Scope {
            response: Some(response_schema(self.trees, &op.node)),
            place: Place::StepOutput,
            ..before
        };
        let mut criteria = Vec::new();
        for criterion in &step.success_criteria {
            if criterion.kind != CriterionKind::Simple {
                if let Some(c) = self.typed_criterion(criterion, &after) {
                    criteria.push(c);
                }
                continue;
            }
            let in_criterion = Scope {
                place: Place::SuccessCriterion,
                ..after
            };
            if let Some(c) = self.condition(&criterion.condition, &in_criterion) {
                criteria.push(ir::Criterion {
                    text: criterion.condition.value.clone(),
                    test: ir::Test::Simple(c),
                });
            }
        }
        let (on_success, on_failure) = self.step_actions(wf, step, &after);
        let outputs = self.outputs(&step.outputs, &after);
        Some(ir::Step {
            id: step.id.value.clone(),
            ident: String::new(),
            outputs_struct: String::new(),
            doc: doc_text(
                None,
                step.description.as_deref(),
                Some(&format!(
                    "Calls `{label}` ({} {}){}",
                    op.method,
                    op.path,
                    op.summary
                        .as_deref()
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default()
                )),
            ),
            source: source_index,
            operation: label,
            method: op.method.clone(),
            path,
            path_params: path_names.len(),
            security,
            params,
            body: body?,
            criteria,
            outputs: outputs?,
            on_success,
            on_failure,
            call: None,
        })
    }

    /// The component parameter a `reference` names (`$components.parameters.x`), with the
    /// referencing parameter's `value` overriding the component's.
    fn component_parameter(
        &mut self,
        reference: &S,
        value: Option<&Node>,
    ) -> Option<arazzo::Parameter> {
        let doc = self.doc;
        let Some(name) = reference.value.strip_prefix("$components.parameters.") else {
            self.diags.error(
                reference.loc,
                format!(
                    "`{}` must reference `$components.parameters.<name>`",
                    reference.value
                ),
            );
            return None;
        };
        let list = doc
            .components
            .as_ref()
            .and_then(|c| c.get("parameters"))
            .and_then(Node::as_map);
        let Some((_, node)) = list.and_then(|l| l.iter().find(|(k, _)| k.as_str() == Some(name)))
        else {
            let names: Vec<&str> = list
                .map(|l| l.iter().filter_map(|(k, _)| k.as_str()).collect())
                .unwrap_or_default();
            self.diags.error_help(
                reference.loc,
                format!("unknown component `{}`", reference.value),
                suggest(name, names)
                    .or_else(|| Some("`components.parameters` defines nothing".to_owned())),
            );
            return None;
        };
        let mut parameter = arazzo::read_parameter(self.diags, node)?;
        if let Some(value) = value {
            parameter.value = Some(value.clone());
        }
        Some(parameter)
    }

    /// Checks what can be checked of a step whose operation is unknown (already reported):
    /// its expressions, criteria, outputs and actions, with the response untyped.
    fn loose_step(&mut self, wf: &arazzo::Workflow, step: &arazzo::Step, before: &Scope<'_>) {
        for p in wf.parameters.iter().chain(&step.parameters) {
            if let Some(value) = &p.value {
                let _ = self.value(value, before);
            }
        }
        if let Some(payload) = step.request_body.as_ref().and_then(|b| b.payload.as_ref()) {
            let _ = self.value(payload, before);
        }
        let after = Scope {
            response: Some(None),
            place: Place::StepOutput,
            ..*before
        };
        for criterion in &step.success_criteria {
            if criterion.kind == CriterionKind::Simple {
                let _ = self.condition(&criterion.condition, &after);
            }
        }
        let _ = self.outputs(&step.outputs, &after);
        let _ = self.step_actions(wf, step, &after);
    }

    /// Checks a `regex`/`jsonpath`/`xpath` criterion as far as this compiler can: the context
    /// is a valid expression and a regex compiles; evaluating them comes later.
    fn typed_criterion(
        &mut self,
        criterion: &arazzo::Criterion,
        after: &Scope<'_>,
    ) -> Option<ir::Criterion> {
        let context = criterion.context.as_ref()?; // a missing context was reported while reading
        let scope = Scope {
            place: Place::SuccessCriterion,
            ..*after
        };
        let context = self.expr(context.loc, &context.value, &scope);
        let text = &criterion.condition.value;
        let typed = match &criterion.kind {
            CriterionKind::Regex => {
                if let Err(e) = regex_syntax::Parser::new().parse(text) {
                    let detail = e.to_string();
                    let last = detail.lines().last().unwrap_or(&detail).trim();
                    let last = last.strip_prefix("error: ").unwrap_or(last);
                    self.diags.error(
                        criterion.condition.loc,
                        format!("regex `{text}` does not compile: {last}"),
                    );
                    return None;
                }
                ir::Test::Regex(context?)
            }
            CriterionKind::JsonPath(_) => {
                if let Err(e) = serde_json_path::JsonPath::parse(text) {
                    self.diags.error(
                        criterion.condition.loc,
                        format!(
                            "JSONPath `{text}` does not parse (RFC 9535): {}",
                            e.to_string().lines().next().unwrap_or_default()
                        ),
                    );
                    return None;
                }
                ir::Test::JsonPath(context?)
            }
            _ => {
                self.diags.error_help(
                    criterion.loc,
                    "`xpath` criteria are not supported: no maintained XPath 1.0 crate exists for Rust",
                    Some("test the XML body with a `regex` criterion instead".to_owned()),
                );
                return None;
            }
        };
        Some(ir::Criterion {
            text: text.clone(),
            test: typed,
        })
    }

    /// Checks and lowers a step's effective actions: its own `onSuccess`/`onFailure`, then the
    /// workflow's `successActions`/`failureActions` (a step's own actions come first; they
    /// never remove the workflow's).
    fn step_actions(
        &mut self,
        wf: &arazzo::Workflow,
        step: &arazzo::Step,
        after: &Scope<'_>,
    ) -> (Vec<ir::Action>, Vec<ir::Action>) {
        let doc = self.doc;
        let names = Names::of(doc, wf);
        let targets = names.targets(doc);
        let mut lowered = (Vec::new(), Vec::new());
        for (kind, own, shared) in [
            (
                actions::ActionList::Success,
                &step.on_success,
                &wf.success_actions,
            ),
            (
                actions::ActionList::Failure,
                &step.on_failure,
                &wf.failure_actions,
            ),
        ] {
            let mut list = actions::check_list(self.diags, own, kind, &targets);
            list.extend(actions::check_list(self.diags, shared, kind, &targets));
            for action in list {
                if let Some(a) = self.lower_action(&action, &names.steps, after) {
                    match kind {
                        actions::ActionList::Success => lowered.0.push(a),
                        actions::ActionList::Failure => lowered.1.push(a),
                    }
                }
            }
        }
        lowered
    }

    fn lower_action(
        &mut self,
        action: &actions::Action,
        step_ids: &[&str],
        after: &Scope<'_>,
    ) -> Option<ir::Action> {
        let scope = Scope {
            place: Place::ActionCriterion,
            ..*after
        };
        let mut criteria = Vec::new();
        for criterion in &action.criteria {
            let lowered = if criterion.kind == CriterionKind::Simple {
                self.condition(&criterion.condition, &scope)
                    .map(|cond| ir::Criterion {
                        text: criterion.condition.value.clone(),
                        test: ir::Test::Simple(cond),
                    })
            } else {
                self.typed_criterion(criterion, &scope)
            };
            criteria.push(lowered?);
        }
        let mut retry_workflow = None;
        if let Some(workflow) = &action.workflow {
            let verb = match action.kind {
                actions::ActionType::Retry => "retry",
                _ => "goto",
            };
            let (unit, target) = self.target_workflow(workflow)?;
            // That workflow takes its inputs by name from this one's.
            let missing_inputs = missing_by_name(target, scope.input_names);
            for missing in &missing_inputs {
                self.diags.error(
                    workflow.loc,
                    format!(
                        "`{verb}` workflow `{}` needs input `{missing}`, which this workflow does not declare (it takes its inputs by name from this workflow's)",
                        target.id.value
                    ),
                );
            }
            let Some(sig) = self.callees.get(&(unit, target.id.value.clone())) else {
                self.diags.error(
                    workflow.loc,
                    format!("`{verb}` workflow `{}` leads back to this workflow; recursive calls are not supported", target.id.value),
                );
                return None;
            };
            if !missing_inputs.is_empty() {
                return None;
            }
            let callee = (target.id.value.clone(), sig.module.clone());
            if action.kind == actions::ActionType::Goto {
                // Control passes to that workflow; this run ends when it does.
                return Some(ir::Action {
                    name: action.name.clone(),
                    kind: ir::ActionKind::GotoWorkflow(callee.0, callee.1),
                    criteria,
                });
            }
            // A retry runs that workflow, then this step again.
            retry_workflow = Some(callee);
        }
        let index = |s: &S| step_ids.iter().position(|id| *id == s.value);
        let kind = match action.kind {
            actions::ActionType::End => ir::ActionKind::End,
            actions::ActionType::Goto => ir::ActionKind::Goto(index(action.step.as_ref()?)?),
            actions::ActionType::Retry => ir::ActionKind::Retry {
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
        })
    }

    /// The workflow a `workflowId` reference names, already checked by
    /// [`actions::check_workflow_ref`]: one of this document, or
    /// `$sourceDescriptions.<name>.<workflowId>` of an arazzo-type source. Returns the unit
    /// that holds it.
    fn target_workflow(&mut self, reference: &S) -> Option<(usize, &'a arazzo::Workflow)> {
        let doc: &'a Document = self.doc;
        let Some(rest) = reference.value.strip_prefix("$sourceDescriptions.") else {
            let found = doc
                .workflows
                .iter()
                .find(|w| w.id.value == reference.value)?;
            return Some((self.unit, found));
        };
        let Some((source, id)) = rest.split_once('.') else {
            self.diags.error(
                reference.loc,
                format!(
                    "`{}` must have the form `$sourceDescriptions.<name>.<workflowId>`",
                    reference.value
                ),
            );
            return None;
        };
        let index = doc.sources.iter().position(|s| s.name.value == source)?;
        let Some(unit) = self.sources.get(index).and_then(|s| s.arazzo) else {
            if doc.sources[index]
                .kind
                .as_ref()
                .is_some_and(|k| k.value == "arazzo")
            {
                // Its document did not load; that error is reported already.
                return None;
            }
            self.diags.error_help(
                reference.loc,
                format!("source description `{source}` is not an Arazzo document, so it has no workflow `{id}`"),
                Some(format!("give `{source}` `type: arazzo`, or name a workflow of this document")),
            );
            return None;
        };
        let units: &'a [Unit] = self.units;
        let other = &units.get(unit)?.doc;
        match other.workflows.iter().find(|w| w.id.value == id) {
            Some(found) => Some((unit, found)),
            None => {
                self.diags.error_help(
                    reference.loc,
                    format!("source description `{source}` has no workflow `{id}`"),
                    suggest(id, other.workflows.iter().map(|w| w.id.value.as_str())),
                );
                None
            }
        }
    }

    /// Checks and lowers a step that calls a workflow: the callee exists, parameters name its
    /// inputs, its required inputs are supplied, `$outputs.x` names its typed outputs.
    fn workflow_step(
        &mut self,
        wf: &arazzo::Workflow,
        step: &arazzo::Step,
        id: &S,
        scope: &Scope<'_>,
    ) -> Option<ir::Step> {
        let doc = self.doc;
        let names = Names::of(doc, wf);
        let errors_before = self.diags.len();
        if !actions::check_workflow_ref(self.diags, id, &names.workflows, &names.sources) {
            return None;
        }
        let (unit, callee) = self.target_workflow(id)?;
        let schema = callee.inputs.as_ref();
        let inputs: Vec<&str> = schema
            .and_then(|s| s.get("properties"))
            .and_then(Node::as_map)
            .map(|p| p.iter().filter_map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default();
        let required: Vec<String> = schema.map(types::required).unwrap_or_default();
        let mut supplied = Vec::new();
        let mut call_inputs = Vec::new();
        for p in &step.parameters {
            let Some(name) = &p.name else { continue };
            if inputs.contains(&name.as_str()) {
                supplied.push(name.value.clone());
            } else {
                // A misspelled input is not reported missing as well.
                if let Some(meant) = closest(&name.value, &inputs) {
                    supplied.push(meant.to_owned());
                }
                self.diags.error_help(
                    name.loc,
                    format!(
                        "workflow `{}` has no input `{}`",
                        callee.id.value, name.value
                    ),
                    suggest(&name.value, inputs.iter().copied()).or_else(|| {
                        Some(format!("workflow `{}` declares no inputs", callee.id.value))
                    }),
                );
            }
            if let Some(value) = &p.value
                && let Some(v) = self.value(value, scope)
            {
                call_inputs.push((name.value.clone(), v));
            }
        }
        for r in required.iter().filter(|r| !supplied.contains(r)) {
            self.diags.error(
                step.loc,
                format!(
                    "step `{}` does not supply required input `{r}` of workflow `{}`",
                    step.id.value, callee.id.value
                ),
            );
        }
        let sig = self.callees.get(&(unit, callee.id.value.clone()));
        let callee_outputs: Vec<&str> = callee
            .outputs
            .iter()
            .map(|(n, _)| n.value.as_str())
            .collect();
        let mut outputs = Vec::new();
        let mut taken = Vec::new();
        for (name, value) in &step.outputs {
            let expr = if let Ok(Ast::Outputs(output)) = expr::parse(&value.value) {
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
                    let (_, field, ty) = sig.outputs.iter().find(|(n, _, _)| *n == output)?;
                    Some(ir::Expr::CallOutput(field.clone(), ty.qualify(&sig.module)))
                })
            } else {
                self.expr(value.loc, &value.value, scope)
            };
            if let Some(expr) = expr {
                outputs.push(ir::Output {
                    name: name.value.clone(),
                    ident: names::unique(names::snake(&name.value), &mut taken),
                    expr,
                    source: value.value.clone(),
                });
            }
        }
        let mut criteria = Vec::new();
        for criterion in &step.success_criteria {
            if criterion.kind != CriterionKind::Simple {
                if let Some(c) = self.typed_criterion(criterion, scope) {
                    criteria.push(c);
                }
            } else if let Some(cond) = self.condition(&criterion.condition, scope) {
                criteria.push(ir::Criterion {
                    text: criterion.condition.value.clone(),
                    test: ir::Test::Simple(cond),
                });
            }
        }
        let (on_success, on_failure) = self.step_actions(wf, step, scope);
        if self.diags.len() != errors_before {
            return None;
        }
        let Some(sig) = sig else {
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
            path_params: 0,
            security: Vec::new(),
            params: Vec::new(),
            body: None,
            criteria,
            outputs,
            on_success,
            on_failure,
            call: Some(ir::Call {
                workflow: callee.id.value.clone(),
                module: sig.module.clone(),
                inputs: call_inputs,
            }),
        })
    }

    fn resolve_operation_id(&mut self, doc: &Document, id: &S) -> Option<(usize, &'a Operation)> {
        let sources: &'a [LoadedSource] = self.sources;
        let text = id.value.as_str();
        if let Some(rest) = text.strip_prefix("$sourceDescriptions.") {
            let Some((source, op_id)) = rest.split_once('.') else {
                self.diags.error(
                    id.loc,
                    format!(
                        "`{text}` must have the form `$sourceDescriptions.<name>.<operationId>`"
                    ),
                );
                return None;
            };
            let Some(index) = sources.iter().position(|s| s.name == source) else {
                self.diags.error_help(
                    id.loc,
                    format!("unknown source description `{source}`"),
                    suggest(source, doc.sources.iter().map(|s| s.name.value.as_str())),
                );
                return None;
            };
            if sources[index].arazzo.is_some() {
                self.diags.error_help(
                    id.loc,
                    format!("source description `{source}` is an Arazzo document, which has workflows, not operations"),
                    Some(format!("call one of its workflows with `workflowId: $sourceDescriptions.{source}.<workflowId>`")),
                );
                return None;
            }
            let api = sources[index].api.as_ref()?;
            return match api.operation(op_id) {
                Some(op) => Some((index, op)),
                None => {
                    self.diags.error_help(
                        id.loc,
                        format!("source `{source}` has no operation `{op_id}`"),
                        suggest(op_id, api.operations.iter().filter_map(|o| o.id.as_deref())),
                    );
                    None
                }
            };
        }
        let found: Vec<(usize, &Operation)> = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                s.api
                    .as_ref()
                    .and_then(|a| a.operation(text))
                    .map(|op| (i, op))
            })
            .collect();
        match found.as_slice() {
            [one] => Some(*one),
            [] => {
                if sources
                    .iter()
                    .any(|s| s.api.is_none() && s.arazzo.is_none())
                {
                    // A source failed to load (already reported); the operation may be there.
                    return None;
                }
                let all: Vec<&str> = self
                    .sources
                    .iter()
                    .filter_map(|s| s.api.as_ref())
                    .flat_map(|a| a.operations.iter().filter_map(|o| o.id.as_deref()))
                    .collect();
                self.diags.error_help(
                    id.loc,
                    format!("no source description defines operationId `{text}`"),
                    suggest(text, all),
                );
                None
            }
            many => {
                let spellings: Vec<String> = many
                    .iter()
                    .map(|(i, _)| format!("$sourceDescriptions.{}.{text}", sources[*i].name))
                    .collect();
                self.diags.error_help(
                    id.loc,
                    format!(
                        "operationId `{text}` is ambiguous: {} sources define it",
                        many.len()
                    ),
                    Some(format!(
                        "qualify it as {}",
                        one_of(&spellings.iter().map(String::as_str).collect::<Vec<_>>())
                    )),
                );
                None
            }
        }
    }

    fn resolve_operation_path(&mut self, path: &S) -> Option<(usize, &'a Operation)> {
        let sources: &'a [LoadedSource] = self.sources;
        let text = path.value.as_str();
        let parsed = text
            .strip_prefix("{$sourceDescriptions.")
            .and_then(|r| r.split_once(".url}#"));
        let Some((source, pointer)) = parsed else {
            self.diags.error(path.loc, format!("`{text}` must have the form `{{$sourceDescriptions.<name>.url}}#/paths/<escaped path>/<method>`"));
            return None;
        };
        let Some(index) = sources.iter().position(|s| s.name == source) else {
            self.diags.error_help(
                path.loc,
                format!("unknown source description `{source}`"),
                suggest(source, sources.iter().map(|s| s.name.as_str())),
            );
            return None;
        };
        let pointer = match expr::parse_pointer(pointer) {
            Ok(p) => p,
            Err(e) => {
                self.diags.error_help(path.loc, e.message, e.help);
                return None;
            }
        };
        // The pointer's shape can be checked even when the source did not load.
        if !matches!(pointer.tokens.as_slice(), [paths, _, _] if paths == "paths") {
            let help = match pointer.tokens.as_slice() {
                [paths, _] if paths == "paths" => {
                    Some("add the HTTP method, e.g. `.../get`".to_owned())
                }
                _ => None,
            };
            self.diags.error_help(
                path.loc,
                format!(
                    "`{}` does not point at an operation (expected `/paths/<escaped path>/<method>`)",
                    pointer.text
                ),
                help,
            );
            return None;
        }
        if sources[index].arazzo.is_some() {
            self.diags.error(
                path.loc,
                format!("source description `{source}` is an Arazzo document, which has no paths"),
            );
            return None;
        }
        let api = sources[index].api.as_ref()?;
        match pointer.tokens.as_slice() {
            [paths, p, method] if paths == "paths" => {
                let found = api
                    .operations
                    .iter()
                    .find(|o| o.path == *p && o.method.eq_ignore_ascii_case(method));
                match found {
                    Some(op) => Some((index, op)),
                    None => {
                        let candidates: Vec<String> = api
                            .operations
                            .iter()
                            .filter(|o| o.path == *p)
                            .map(|o| o.method.to_ascii_lowercase())
                            .collect();
                        let help = if candidates.is_empty() {
                            suggest(p, api.operations.iter().map(|o| o.path.as_str()))
                        } else {
                            suggest(method, candidates.iter().map(String::as_str))
                        };
                        self.diags.error_help(
                            path.loc,
                            format!("source `{source}` has no operation at `{}`", pointer.text),
                            help,
                        );
                        None
                    }
                }
            }
            _ => {
                self.diags.error(path.loc, format!("`{}` does not point at an operation (expected `/paths/<escaped path>/<method>`)", pointer.text));
                None
            }
        }
    }

    fn security(
        &mut self,
        source: usize,
        api: &OpenApi,
        op: &Operation,
        label: &str,
        bound: &[(String, String)],
        step: &arazzo::Step,
    ) -> Option<Vec<Vec<usize>>> {
        if op.security.is_empty() {
            return Some(Vec::new());
        }
        let mut alternatives = Vec::new();
        let mut unsupported = Vec::new();
        for alternative in &op.security {
            let mut indexes = Vec::new();
            let mut usable = true;
            for name in alternative {
                let Some((_, scheme)) = api.schemes.iter().find(|(n, _)| n == name) else {
                    unsupported.push(format!(
                        "`{name}` (not defined in components.securitySchemes)"
                    ));
                    usable = false;
                    continue;
                };
                match scheme {
                    Scheme::ApiKey {
                        location,
                        name: param,
                    } if bound.iter().any(|(n, l)| n == param && l == location) => {
                        // The step sends the key itself as a parameter.
                    }
                    Scheme::Unsupported(kind) => {
                        unsupported.push(format!("`{name}` ({kind})"));
                        usable = false;
                    }
                    _ => indexes.push(self.scheme_index(source, name, scheme, api, label)),
                }
            }
            if usable {
                if indexes.is_empty() {
                    // An alternative that needs no credential always applies: the ones before
                    // it are tried first (the runtime picks the first whose credentials are
                    // configured), the ones after it are never reached.
                    if alternatives.is_empty() {
                        return Some(Vec::new());
                    }
                    alternatives.push(indexes);
                    break;
                }
                alternatives.push(indexes);
            }
        }
        if alternatives.is_empty() {
            self.diags.error(
                step.loc,
                format!(
                    "operation `{label}` requires security this runtime cannot apply: {}",
                    unsupported.join(", ")
                ),
            );
            return None;
        }
        Some(alternatives)
    }

    fn scheme_index(
        &mut self,
        source: usize,
        name: &str,
        scheme: &Scheme,
        api: &OpenApi,
        label: &str,
    ) -> usize {
        if let Some(i) = self
            .program
            .schemes
            .iter()
            .position(|s| s.source == source && s.name == name)
        {
            if !self.program.schemes[i]
                .operations
                .iter()
                .any(|o| o == label)
            {
                self.program.schemes[i].operations.push(label.to_owned());
            }
            return i;
        }
        let source_name = &self.program.sources[source].name;
        let method = names::unique(
            format!("{}_{}", names::snake(source_name), names::snake(name)),
            self.taken_methods,
        );
        let doc = self
            .trees
            .roots
            .get(&api.file)
            .and_then(|r| r.get("components"))
            .and_then(|c| c.get("securitySchemes"))
            .and_then(|s| s.get(name))
            .and_then(|s| s.get("description"))
            .and_then(Node::as_str)
            .map(str::to_owned);
        self.program.schemes.push(ir::SchemeUse {
            source,
            name: name.to_owned(),
            kind: scheme.clone(),
            method,
            doc,
            operations: vec![label.to_owned()],
        });
        self.program.schemes.len() - 1
    }

    fn body(
        &mut self,
        step: &arazzo::Step,
        op: &Operation,
        label: &str,
        scope: &Scope<'_>,
    ) -> Option<Option<ir::Body>> {
        let Some(body) = &step.request_body else {
            if op.body_required {
                self.diags.error_help(
                    step.loc,
                    format!("operation `{label}` requires a request body and step `{}` has no `requestBody`", step.id.value),
                    Some(format!(
                        "add `requestBody` with `contentType` {}",
                        one_of(&op.body_content.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>())
                    )),
                );
            }
            return Some(None);
        };
        let accepted: Vec<&str> = op.body_content.iter().map(|(c, _)| c.as_str()).collect();
        let content_type = match &body.content_type {
            Some(ct) => {
                if !accepted.is_empty() && !accepted.iter().any(|a| media_matches(a, &ct.value)) {
                    self.diags.error_help(
                        ct.loc,
                        format!(
                            "operation `{label}` does not accept content type `{}`",
                            ct.value
                        ),
                        Some(format!("it accepts {}", one_of(&accepted))),
                    );
                    return None;
                }
                ct.value.clone()
            }
            None => accepted
                .iter()
                .find(|a| is_json(a))
                .or(accepted.first())
                .map_or_else(|| "application/json".to_owned(), |a| (*a).to_owned()),
        };
        let mut replacements = Vec::new();
        for r in &body.replacements {
            let Some(r) =
                crate::decode::object(self.diags, r, "a payload replacement", &["target", "value"])
            else {
                continue;
            };
            let target = crate::decode::req_str(self.diags, r, "target", "a payload replacement");
            let Some(value) = r.get("value") else {
                self.diags.error(
                    r.loc,
                    "a payload replacement is missing required field `value`",
                );
                continue;
            };
            let (Some(target), Some(value)) = (target, self.value(value, scope)) else {
                continue;
            };
            match expr::parse_pointer(&target.value) {
                Ok(p) if !p.tokens.is_empty() => replacements.push((p.tokens, value)),
                Ok(_) => self.diags.error(
                    target.loc,
                    "a replacement `target` must point inside the payload, not at its root",
                ),
                Err(e) => self.diags.error_help(target.loc, e.message, e.help),
            }
        }
        let Some(payload) = &body.payload else {
            return Some(Some((
                content_type,
                ir::BodyKind::Text,
                ir::Value::Lit(crate::yaml::serde_json_lite::Value::Str(String::new())),
                replacements,
            )));
        };
        let value = self.value(payload, scope)?;
        let is_text = matches!(
            value,
            ir::Value::Template(_) | ir::Value::Lit(crate::yaml::serde_json_lite::Value::Str(_))
        );
        let kind = if is_text {
            // A string payload is the body as written (`{$…}` substituted), whatever the type.
            ir::BodyKind::Text
        } else if is_json(&content_type) {
            ir::BodyKind::Json
        } else if media_matches("application/x-www-form-urlencoded", &content_type) {
            if !matches!(value, ir::Value::Object(_) | ir::Value::Expr(_)) {
                self.diags.error(
                    payload.loc,
                    "a form-encoded payload must be a mapping of field names to values",
                );
                return None;
            }
            ir::BodyKind::Form
        } else {
            self.unsupported(
                payload.loc,
                &format!(
                    "a structured payload for content type `{content_type}` (write it as a string)"
                ),
            );
            return None;
        };
        if !replacements.is_empty() && kind != ir::BodyKind::Json {
            self.diags
                .error(body.loc, "`replacements` apply to JSON payloads only");
            return None;
        }
        Some(Some((content_type, kind, value, replacements)))
    }

    fn check_literal_against_schema(
        &mut self,
        loc: Loc,
        name: &str,
        lit: &crate::yaml::serde_json_lite::Value,
        schema: Option<&Node>,
    ) {
        use crate::yaml::serde_json_lite::Value as J;
        let Some(schema) = schema.and_then(|s| self.trees.resolve(s).ok()) else {
            return;
        };
        let Some(values) = schema.get("enum").and_then(Node::as_seq) else {
            return;
        };
        let text = match lit {
            J::Str(s) => s.clone(),
            J::Int(i) => i.to_string(),
            J::Bool(b) => b.to_string(),
            _ => return,
        };
        let allowed: Vec<String> = values
            .iter()
            .map(|v| match &v.kind {
                Kind::Str(s) => s.clone(),
                Kind::Int(i) => i.to_string(),
                Kind::Bool(b) => b.to_string(),
                _ => String::new(),
            })
            .collect();
        if !allowed.contains(&text) {
            self.diags.error_help(
                loc,
                format!("`{text}` is not an allowed value of parameter `{name}`"),
                suggest(&text, allowed.iter().map(String::as_str)),
            );
        }
    }

    /// A literal, expression or template value (recursively for objects and arrays).
    fn value(&mut self, node: &Node, scope: &Scope<'_>) -> Option<ir::Value> {
        match &node.kind {
            Kind::Str(text) if expr::is_expression(text) => {
                Some(ir::Value::Expr(self.expr(node.loc, text, scope)?))
            }
            Kind::Str(text) => match expr::template(text) {
                Ok(None) => Some(ir::Value::Lit(node.to_json())),
                Ok(Some(parts)) => {
                    let mut out = Vec::new();
                    let mut ok = true;
                    for part in parts {
                        match part {
                            expr::Part::Lit(l) => out.push(ir::TemplatePart::Lit(l)),
                            expr::Part::Expr(_, source) => {
                                match self.expr(node.loc, &source, scope) {
                                    Some(e) => out.push(ir::TemplatePart::Expr(e)),
                                    None => ok = false,
                                }
                            }
                        }
                    }
                    ok.then_some(ir::Value::Template(out))
                }
                Err(e) => {
                    self.diags.error_help(node.loc, e.message, e.help);
                    None
                }
            },
            Kind::Map(entries) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (k, v) in entries {
                    match self.value(v, scope) {
                        Some(v) => out.push((crate::yaml::serde_json_lite::key_text(k), v)),
                        None => ok = false,
                    }
                }
                ok.then_some(ir::Value::Object(out))
            }
            Kind::Seq(items) => {
                let mut out = Vec::new();
                let mut ok = true;
                for item in items {
                    match self.value(item, scope) {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                ok.then_some(ir::Value::Array(out))
            }
            _ => Some(ir::Value::Lit(node.to_json())),
        }
    }

    fn outputs(&mut self, outputs: &[(S, S)], scope: &Scope<'_>) -> Option<Vec<ir::Output>> {
        let mut out = Vec::new();
        let mut taken = Vec::new();
        let mut ok = true;
        for (name, value) in outputs {
            if !expr::is_expression(&value.value) {
                self.diags.error(
                    value.loc,
                    format!(
                        "output `{}` must be a runtime expression (starting with `$`)",
                        name.value
                    ),
                );
                ok = false;
                continue;
            }
            let step_hint = std::mem::take(&mut self.hint);
            self.hint = format!("{step_hint}{}", names::pascal(&name.value));
            let checked = self.expr(value.loc, &value.value, scope);
            self.hint = step_hint;
            match checked {
                Some(e) => out.push(ir::Output {
                    name: name.value.clone(),
                    ident: names::unique(names::snake(&name.value), &mut taken),
                    expr: e,
                    source: value.value.clone(),
                }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn condition(&mut self, text: &S, scope: &Scope<'_>) -> Option<ir::Cond> {
        let parsed = match condition::parse(&text.value) {
            Ok(c) => c,
            Err(e) => {
                self.diags.error_help(
                    text.loc,
                    format!("invalid condition `{}`: {}", text.value, e.message),
                    e.help,
                );
                return None;
            }
        };
        self.lower_cond(text.loc, &parsed, scope)
    }

    fn lower_cond(
        &mut self,
        loc: Loc,
        cond: &condition::Cond,
        scope: &Scope<'_>,
    ) -> Option<ir::Cond> {
        Some(match cond {
            condition::Cond::Or(a, b) => {
                let (a, b) = (
                    self.lower_cond(loc, a, scope),
                    self.lower_cond(loc, b, scope),
                );
                ir::Cond::Or(Box::new(a?), Box::new(b?))
            }
            condition::Cond::And(a, b) => {
                let (a, b) = (
                    self.lower_cond(loc, a, scope),
                    self.lower_cond(loc, b, scope),
                );
                ir::Cond::And(Box::new(a?), Box::new(b?))
            }
            condition::Cond::Not(a) => ir::Cond::Not(Box::new(self.lower_cond(loc, a, scope)?)),
            condition::Cond::Value(o) => ir::Cond::Value(self.operand(loc, o, scope)?),
            condition::Cond::Cmp(a, op, b) => {
                let (a, b) = (self.operand(loc, a, scope), self.operand(loc, b, scope));
                let (a, b) = (a?, b?);
                self.check_comparable(loc, &a, &b, scope);
                ir::Cond::Cmp(a, *op, b)
            }
        })
    }

    fn operand(
        &mut self,
        loc: Loc,
        operand: &condition::Operand,
        scope: &Scope<'_>,
    ) -> Option<ir::Operand> {
        match operand {
            condition::Operand::Lit(l) => Some(ir::Operand::Lit(l.clone())),
            condition::Operand::Expr(_, text) => {
                Some(ir::Operand::Expr(self.expr(loc, text, scope)?))
            }
        }
    }

    /// Comparing a number-typed value with a non-numeric string literal can never be true.
    fn check_comparable(&mut self, loc: Loc, a: &ir::Operand, b: &ir::Operand, scope: &Scope<'_>) {
        use condition::Literal;
        for (x, y) in [(a, b), (b, a)] {
            let (ir::Operand::Expr(e), ir::Operand::Lit(Literal::Str(s))) = (x, y) else {
                continue;
            };
            let ty = e.ty();
            if ty.is_numeric() && s.trim().parse::<f64>().is_err() {
                self.diags.error_help(
                    loc,
                    format!(
                        "this condition compares a number ({}) with the text '{s}', which can never be equal",
                        ty.rust()
                    ),
                    Some("compare with a number literal".to_owned()),
                );
                return;
            }
            if let Some(name) = enum_name(&ty) {
                let def = [
                    &scope.space.enums,
                    &self.out_space.enums,
                    &self.scratch.enums,
                ]
                .into_iter()
                .flatten()
                .find(|d| d.name == name);
                if let Some(def) = def
                    && !def.variants.iter().any(|(_, v)| v.eq_ignore_ascii_case(s))
                {
                    let values: Vec<&str> = def.variants.iter().map(|(_, v)| v.as_str()).collect();
                    self.diags.error_help(
                        loc,
                        format!(
                            "this condition compares a value that can only be {} with '{s}'",
                            one_of(&values)
                        ),
                        suggest(s, values.iter().copied()),
                    );
                    return;
                }
            }
        }
    }

    /// Parses and resolves one runtime expression in `scope`.
    fn expr(&mut self, loc: Loc, text: &str, scope: &Scope<'_>) -> Option<ir::Expr> {
        let parsed = match expr::parse(text) {
            Ok(e) => e,
            Err(e) => {
                self.diags.error_help(loc, e.message, e.help);
                return None;
            }
        };
        match parsed {
            Ast::Inputs { name, path } => {
                if !scope.inputs_known {
                    return None;
                }
                if !scope.input_names.contains(&name) {
                    let help = suggest(&name, scope.input_names.iter().map(String::as_str))
                        .or_else(|| Some("this workflow declares no inputs".to_owned()));
                    self.diags
                        .error_help(loc, format!("unknown input `{name}` in `{text}`"), help);
                    return None;
                }
                let mut idents = Vec::new();
                let mut ty = scope.inputs.clone();
                let segments: Vec<&String> = std::iter::once(&name).chain(&path).collect();
                for (i, segment) in segments.iter().enumerate() {
                    let Ty::Named(struct_name) = &ty else {
                        // JSON, a map or an array: walk the rest of the path at run time.
                        let walkable = |t: &Ty| matches!(t, Ty::Json | Ty::Map(_) | Ty::Vec(_));
                        if walkable(&ty) || matches!(&ty, Ty::Option(t) if walkable(t)) {
                            let rest = segments[i..].iter().map(|s| (*s).clone()).collect();
                            return Some(ir::Expr::InputJson(idents, rest));
                        }
                        let read = segments[..i].iter().map(|s| s.as_str()).collect::<Vec<_>>();
                        self.diags.error(
                            loc,
                            format!(
                                "`{text}` reads property `{segment}` of input `{}`, which is a `{}` and has no properties",
                                read.join("."),
                                ty.rust()
                            ),
                        );
                        return None;
                    };
                    let def = scope
                        .space
                        .structs
                        .iter()
                        .find(|s| s.name == *struct_name)?;
                    let Some(field) = def.fields.iter().find(|f| f.json_name == **segment) else {
                        self.diags.error_help(
                            loc,
                            format!("input `{name}` has no property `{segment}`"),
                            suggest(segment, def.fields.iter().map(|f| f.json_name.as_str())),
                        );
                        return None;
                    };
                    idents.push(field.ident.clone());
                    ty = field.ty.clone();
                    if i + 1 == segments.len()
                        && let (Some(default), Ty::Option(inner)) = (&field.default, &ty)
                    {
                        return Some(ir::Expr::InputOr(
                            idents,
                            (**inner).clone(),
                            default.clone(),
                        ));
                    }
                }
                Some(ir::Expr::Input(idents, ty))
            }
            Ast::Steps {
                step,
                output,
                pointer,
            } => {
                let Some(view) = scope.earlier.iter().find(|v| v.id == step) else {
                    if scope.later.contains(&step) {
                        self.diags.error(
                            loc,
                            format!("`{text}` reads step `{step}`, which has not run at this point ({})", scope.place),
                        );
                    } else {
                        let all = scope
                            .earlier
                            .iter()
                            .map(|v| v.id.as_str())
                            .chain(scope.later.iter().map(String::as_str));
                        self.diags.error_help(
                            loc,
                            format!("unknown step `{step}` in `{text}`"),
                            suggest(&step, all),
                        );
                    }
                    return None;
                };
                let Some((_, field, ty)) = view.outputs.iter().find(|(n, _, _)| *n == output)
                else {
                    let help = suggest(&output, view.outputs.iter().map(|(n, _, _)| n.as_str()))
                        .or_else(|| Some(format!("step `{step}` defines no outputs")));
                    self.diags.error_help(
                        loc,
                        format!("step `{step}` has no output `{output}`"),
                        help,
                    );
                    return None;
                };
                let value = ir::Expr::StepOutput(
                    view.ident.clone(),
                    view.id.clone(),
                    field.clone(),
                    ty.clone(),
                );
                Some(match pointer {
                    Some(pointer) => ir::Expr::At(Box::new(value), pointer.tokens),
                    None => value,
                })
            }
            Ast::StatusCode | Ast::Response(_) | Ast::Request(_) | Ast::Url | Ast::Method
                if scope.response.is_none() =>
            {
                self.diags.error(
                    loc,
                    format!(
                        "`{text}` is only available after a step's response, not in {}",
                        scope.place
                    ),
                );
                None
            }
            Ast::StatusCode => Some(ir::Expr::StatusCode),
            Ast::Response(AstSource::Header(name)) => {
                Some(ir::Expr::ResponseHeader(name.to_ascii_lowercase()))
            }
            Ast::Response(AstSource::Body(pointer)) => {
                let pointer = pointer.unwrap_or(expr::Pointer {
                    text: String::new(),
                    tokens: Vec::new(),
                });
                let schema = scope.response.flatten();
                let ty = match schema {
                    None => Ty::Json.optional(),
                    Some(schema) => match types::follow(self.trees, schema, &pointer.tokens) {
                        PointerTy::Found(node, optional) => {
                            // Outputs get generated types; elsewhere (criteria) only the
                            // shape matters and nothing is emitted.
                            let ty = if scope.place == Place::StepOutput {
                                let hint = self.hint.clone();
                                types::schema_ty(self.trees, &mut self.out_space, node, &hint)
                            } else {
                                types::schema_ty(self.trees, &mut self.scratch, node, "Value")
                            };
                            if optional { ty.optional() } else { ty }
                        }
                        PointerTy::Unknown => Ty::Json.optional(),
                        PointerTy::Impossible(token, names) => {
                            let help = suggest(&token, names.iter().map(String::as_str))
                                .or_else(|| Some("the schema allows no property there".to_owned()));
                            self.diags.error_help(
                                loc,
                                format!("`{text}`: the response schema has no `{token}` at this point of the pointer"),
                                help,
                            );
                            return None;
                        }
                    },
                };
                Some(ir::Expr::ResponseBody(pointer.tokens, pointer.text, ty))
            }
            Ast::Url => Some(ir::Expr::Url),
            Ast::Method => Some(ir::Expr::Method),
            Ast::Request(AstSource::Header(name)) => {
                Some(ir::Expr::RequestHeader(name.to_ascii_lowercase()))
            }
            Ast::Request(AstSource::Query(name)) => Some(ir::Expr::RequestQuery(name)),
            Ast::Request(AstSource::Path(name)) => {
                match scope.path_params.iter().position(|p| *p == name) {
                    Some(index) => Some(ir::Expr::RequestPath(index, name)),
                    None => {
                        self.diags.error_help(
                            loc,
                            format!("the operation's path has no parameter `{name}`"),
                            suggest(&name, scope.path_params.iter().map(String::as_str))
                                .or_else(|| Some("its path has no parameters".to_owned())),
                        );
                        None
                    }
                }
            }
            Ast::Response(AstSource::Query(_) | AstSource::Path(_)) => {
                self.diags.error_help(
                    loc,
                    format!("`{text}`: a response has no query or path parameters"),
                    Some("read `$response.header.<name>` or `$response.body#/…`".to_owned()),
                );
                None
            }
            Ast::Request(AstSource::Body(pointer)) => Some(ir::Expr::RequestBody(
                pointer.map(|p| p.tokens).unwrap_or_default(),
            )),
            Ast::Workflows {
                workflow,
                outputs,
                name,
                pointer,
            } => {
                let doc = self.doc;
                let Some(target) = doc.workflows.iter().find(|w| w.id.value == workflow) else {
                    self.diags.error_help(
                        loc,
                        format!("unknown workflow `{workflow}` in `{text}`"),
                        suggest(&workflow, doc.workflows.iter().map(|w| w.id.value.as_str())),
                    );
                    return None;
                };
                let names: Vec<&str> = if outputs {
                    target
                        .outputs
                        .iter()
                        .map(|(n, _)| n.value.as_str())
                        .collect()
                } else {
                    target
                        .inputs
                        .as_ref()
                        .and_then(|s| s.get("properties"))
                        .and_then(Node::as_map)
                        .map(|p| p.iter().filter_map(|(k, _)| k.as_str()).collect())
                        .unwrap_or_default()
                };
                if !names.contains(&name.as_str()) {
                    let what = if outputs { "output" } else { "input" };
                    self.diags.error_help(
                        loc,
                        format!("workflow `{workflow}` has no {what} `{name}`"),
                        suggest(&name, names.iter().copied()),
                    );
                    return None;
                }
                // Readable when this run runs that workflow: a `dependsOn` prerequisite or a
                // step that calls it (a run-time error if it has not run yet).
                let runs_it = self.current.depends_on.iter().any(|d| d.value == workflow)
                    || self.current.steps.iter().any(|s| {
                        matches!(&s.target, Some(Target::WorkflowId(id)) if id.value == workflow)
                    })
                    || action_workflows(self.doc, self.current).any(|id| id.value == workflow);
                if !runs_it {
                    self.diags.error_help(
                        loc,
                        format!(
                            "`{text}` reads workflow `{workflow}`, which this workflow never runs"
                        ),
                        Some(format!(
                            "add `{workflow}` to `dependsOn`, or call it from a step"
                        )),
                    );
                    return None;
                }
                let sig = self.callees.get(&(self.unit, workflow.clone()))?;
                let list = if outputs { &sig.outputs } else { &sig.inputs };
                let Some((_, field, ty)) = list.iter().find(|(n, _, _)| *n == name) else {
                    // Declared, but its schema is free-form: there is no typed field to read.
                    self.unsupported(
                        loc,
                        &format!(
                            "the expression `{text}` (the workflow's inputs are not a typed object)"
                        ),
                    );
                    return None;
                };
                let parts = (workflow.clone(), sig.module.clone(), field.clone());
                let value = if outputs {
                    ir::Expr::WorkflowOutput(parts.0, parts.1, parts.2, ty.qualify(&sig.module))
                } else {
                    ir::Expr::WorkflowInput(parts.0, parts.1, parts.2, ty.qualify(&sig.module))
                };
                Some(match pointer {
                    Some(pointer) => ir::Expr::At(Box::new(value), pointer.tokens),
                    None => value,
                })
            }
            Ast::Components { kind, name } => {
                let list = self
                    .doc
                    .components
                    .as_ref()
                    .and_then(|c| c.get(&kind))
                    .and_then(Node::as_map);
                let names: Vec<&str> = list
                    .map(|l| l.iter().filter_map(|(k, _)| k.as_str()).collect())
                    .unwrap_or_default();
                if !names.contains(&name.as_str()) {
                    self.diags.error_help(
                        loc,
                        format!("unknown component `$components.{kind}.{name}`"),
                        suggest(&name, names.iter().copied())
                            .or_else(|| Some(format!("`components.{kind}` defines nothing"))),
                    );
                    return None;
                }
                let (field, how) = if kind == "inputs" {
                    ("`$ref`", format!("$ref: '#/components/inputs/{name}'"))
                } else {
                    (
                        "`reference`",
                        format!("reference: $components.{kind}.{name}"),
                    )
                };
                self.diags.error_help(
                    loc,
                    format!("`{text}` names a component, which has no value at run time; components are used through {field}"),
                    Some(format!("write `{how}` where the component belongs")),
                );
                None
            }
            Ast::SourceDescriptions { name, rest } => {
                let doc = self.doc;
                let Some(index) = doc.sources.iter().position(|s| s.name.value == name) else {
                    self.diags.error_help(
                        loc,
                        format!("unknown source description `{name}` in `{text}`"),
                        suggest(&name, doc.sources.iter().map(|s| s.name.value.as_str())),
                    );
                    return None;
                };
                if rest == "url" {
                    // The base URL the client uses for that source (servers[0] or the override).
                    if let Some(slot) = self.slots.get(index).copied().flatten() {
                        return Some(ir::Expr::SourceUrl(slot));
                    }
                    self.diags.error(
                        loc,
                        format!("source description `{name}` is an Arazzo document; it has no base URL for `{text}` to read"),
                    );
                    return None;
                }
                self.diags.error_help(
                    loc,
                    format!("`{text}` has no value at run time: of a source description, only its `url` has one"),
                    Some(format!("write `$sourceDescriptions.{name}.url`, or name `{rest}` with `operationId`/`workflowId` on a step")),
                );
                None
            }
            Ast::Outputs(_) => {
                self.diags.error(
                    loc,
                    format!(
                        "`{text}` reads the outputs of a called workflow; it is only valid in the outputs of a step that calls a workflow"
                    ),
                );
                None
            }
        }
    }
}

/// The required inputs of `target` that are not among `inputs`: what a workflow run with the
/// inputs of another, by name (`dependsOn`, `goto` a workflow), would lack.
fn missing_by_name(target: &arazzo::Workflow, inputs: &[String]) -> Vec<String> {
    let required = target
        .inputs
        .as_ref()
        .map(types::required)
        .unwrap_or_default();
    required
        .into_iter()
        .filter(|r| !inputs.contains(r))
        .collect()
}

/// The enum a type is (directly or inside `Option`), if any.
fn enum_name(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Enum(name) => Some(name),
        Ty::Option(inner) => enum_name(inner),
        _ => None,
    }
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json")
}

fn media_matches(accepted: &str, given: &str) -> bool {
    let base = |m: &str| m.split(';').next().unwrap_or(m).trim().to_ascii_lowercase();
    let (a, g) = (base(accepted), base(given));
    a == g || a == "*/*" || (a.ends_with("/*") && g.starts_with(a.trim_end_matches('*')))
}

/// The JSON schema of the operation's success response: the first of 200, 201, …, 2XX,
/// default that has a JSON body. `None` when there is none to type against.
fn response_schema<'a>(trees: &'a Trees, op: &'a Node) -> Option<&'a Node> {
    let responses = op.get("responses")?.as_map()?;
    let mut keys: Vec<(&str, &Node)> = responses
        .iter()
        .filter_map(|(k, v)| Some((k.as_str()?, v)))
        .collect();
    keys.sort_by_key(|(k, _)| match *k {
        k if k.len() == 3 && k.starts_with('2') && k.chars().all(|c| c.is_ascii_digit()) => {
            (0, k.to_owned())
        }
        "2XX" | "2xx" => (1, String::new()),
        "default" => (2, String::new()),
        _ => (3, String::new()),
    });
    for (key, response) in keys {
        if !(key.starts_with('2') || key == "default") {
            continue;
        }
        let response = trees.resolve(response).ok()?;
        let content = response.get("content")?.as_map()?;
        if let Some((_, media)) = content
            .iter()
            .find(|(k, _)| k.as_str().is_some_and(is_json))
        {
            return media.get("schema");
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::post_order;

    #[test]
    fn post_order_puts_every_node_after_what_it_reaches() {
        // 0 → 1 → 2, 0 → 2, 3 alone.
        let edges = [vec![1, 2], vec![2], vec![], vec![]];
        assert_eq!(post_order(4, |i| edges[i].clone()), [2, 1, 0, 3]);
    }

    #[test]
    fn post_order_cuts_cycles_and_ignores_unknown_nodes() {
        // 0 → 1 → 0, 1 → 9 (out of range).
        let edges = [vec![1], vec![0, 9]];
        assert_eq!(post_order(2, |i| edges[i].clone()), [1, 0]);
    }

    #[test]
    fn post_order_follows_a_million_long_chain_without_recursion() {
        let n = 1_000_000;
        let order = post_order(n, |i| if i + 1 < n { vec![i + 1] } else { vec![] });
        assert_eq!(order.first(), Some(&(n - 1)));
        assert_eq!(order.last(), Some(&0));
    }
}
