//! Stage 2, checking: resolve every reference of the loaded documents (steps, operations,
//! parameters, expressions, actions, workflows of other documents), type every value, and
//! lower the result to [`ir`]. Every problem is reported to [`Diags`], located, and checking
//! goes on, so that one run reports them all.
//!
//! One [`WorkflowChecker`] checks one workflow; its methods are split by Arazzo construct:
//! [`workflow`] (inputs, `dependsOn`, steps in order, outputs), [`step`], [`request`]
//! (parameters and bodies), [`resolve`] (what a step or action names, and security),
//! [`expr`] (values and runtime expressions), [`criteria`] and [`actions`]. [`order`] decides
//! the order documents and workflows are checked in; [`flow`] is a workflow's step graph
//! (which outputs a `goto` loop brings back, which steps a path to the end skips), which
//! [`depends`] checks a step's `dependsOn` against.

mod actions;
mod criteria;
mod depends;
mod expr;
mod flow;
mod in_flight;
mod inputs;
mod message;
mod message_expr;
mod message_target;
mod order;
mod payload;
mod pointer;
mod request;
mod resolve;
mod responses;
mod selector;
mod step;
mod template;
mod workflow;
mod xml_target;
mod xpath;

use std::collections::{HashMap, HashSet};

use crate::arazzo::{self, Document};
use crate::decode::S;
use crate::diag::{Diags, Fix};
use crate::files::{FileId, Loc};
use crate::ir;
use crate::library::{Library, SharedLibrary};
use crate::load::{LoadedSource, Unit};
use crate::names;
use crate::refs::Trees;
use crate::types::{EnumDef, StructDef, Ty, TypeSpace};
use crate::yaml::Written;
use actions::SharedActions;
use order::{call_order, unit_order};

/// Checks the documents and lowers them into one program; every problem goes to `diags`.
/// `units[0]` is the document the macro names; the others are reached through arazzo-type
/// source descriptions (and contain no cycle).
/// With `generating`, a message step (whose code cannot be generated yet) is an error.
pub fn check(diags: &mut Diags, units: &[Unit], trees: &Trees, generating: bool) -> ir::Program {
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
    let slots = client_slots(units, &mut program, &mut taken_methods);
    let modules = module_names(units);
    let workflow_modules: Vec<String> = modules.iter().flatten().cloned().collect();
    let library = Library::new(units, trees, &workflow_modules);
    // Workflows are checked callees first, so a step that calls a workflow sees the callee's
    // typed outputs.
    let mut callees: HashMap<(usize, String), CalleeSig> = HashMap::new();
    // Workflows checked with errors of their own: a call to one is no further error.
    let mut failed: HashSet<(usize, String)> = HashSet::new();
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
                names: Names::of(doc, workflow),
                shared_actions: SharedActions::default(),
                out_space: TypeSpace::default(),
                library: &library,
                hint: String::new(),
                scratch: TypeSpace::default(),
                callees: &callees,
                failed: &failed,
                diags: &mut *diags,
                trees,
                sources: &unit.sources,
                program: &mut program,
                taken_methods: &mut taken_methods,
                generating,
                reads: Vec::new(),
            };
            match checker.workflow(modules[unit_index][index].clone()) {
                Some(w) => {
                    callees.insert((unit_index, w.id.clone()), CalleeSig::of(&w));
                    lowered[unit_index][index] = Some(w);
                }
                None => {
                    failed.insert((unit_index, workflow.id.value.clone()));
                }
            }
        }
    }
    program.workflows = lowered.into_iter().flatten().flatten().collect();
    program.shared = std::mem::take(&mut *crate::library::lock(&library)).into_modules();
    program
}

/// The client slot (a base URL, an [`ir::Source`] added to `program`) of each source of each
/// unit; `None` for arazzo-type sources. Sources of different documents that name the same
/// file share one.
fn client_slots(
    units: &[Unit],
    program: &mut ir::Program,
    taken_methods: &mut Vec<String>,
) -> Vec<Vec<Option<usize>>> {
    let mut slot_files: Vec<Option<FileId>> = Vec::new();
    units
        .iter()
        .map(|unit| {
            unit.sources
                .iter()
                .map(|source| {
                    if source.arazzo.is_some() {
                        return None;
                    }
                    let file = source
                        .api
                        .as_ref()
                        .map(|a| a.file)
                        .or(source.asyncapi.as_ref().map(|a| a.file));
                    if let Some(shared) =
                        slot_files.iter().position(|f| file.is_some() && *f == file)
                    {
                        return Some(shared);
                    }
                    let name = unit.qualified(&source.name);
                    program.sources.push(ir::Source {
                        base_url_method: names::unique(
                            format!("base_url_{}", names::snake(&name)),
                            taken_methods,
                        ),
                        name,
                        default_url: source
                            .api
                            .as_ref()
                            .and_then(|a| a.server.clone())
                            .or_else(|| {
                                let server = source.asyncapi.as_ref()?.servers.first()?;
                                Some(format!(
                                    "{}://{}{}",
                                    server.protocol,
                                    server.host,
                                    server.pathname.as_deref().unwrap_or_default()
                                ))
                            })
                            .filter(|u| u.contains("://")),
                    });
                    slot_files.push(file);
                    Some(program.sources.len() - 1)
                })
                .collect()
        })
        .collect()
}

/// The module name of each workflow of each unit, unique, given in document order (the named
/// document first). A name that is also a crate's (`arazzo`, `tokio`, `std`, …) gets
/// `_workflow` appended: next to the user's code, a module `tokio` would make
/// `#[tokio::main]` ambiguous.
fn module_names(units: &[Unit]) -> Vec<Vec<String>> {
    let mut taken = Vec::new();
    units
        .iter()
        .map(|unit| {
            unit.doc
                .workflows
                .iter()
                .map(|w| {
                    let mut name = names::snake(&unit.qualified(&w.id.value));
                    if names::RESERVED_MODULES.contains(&name.as_str()) {
                        name.push_str("_workflow");
                    }
                    names::unique(name, &mut taken)
                })
                .collect()
        })
        .collect()
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
            doc,
        }
    }
}

/// A value other steps and workflows read by name: a workflow's input or output, a step's
/// output.
#[derive(Clone)]
struct FieldSig {
    /// The name in the document.
    name: String,
    /// The Rust field that holds it.
    ident: String,
    /// Its type, in the module of the workflow it belongs to.
    ty: Ty,
}

/// What a caller sees of a checked workflow.
struct CalleeSig {
    module: String,
    /// Top-level inputs (by JSON name).
    inputs: Vec<FieldSig>,
    outputs: Vec<FieldSig>,
    /// The enums of its module (what a text literal passed to an enum input may be).
    enums: Vec<EnumDef>,
    /// The structs of its module (what the members of an object passed to an input must be).
    structs: Vec<StructDef>,
}

impl CalleeSig {
    fn of(w: &ir::Workflow) -> Self {
        CalleeSig {
            module: w.module.clone(),
            inputs: w
                .input_fields()
                .iter()
                .map(|f| FieldSig {
                    name: f.json_name.clone(),
                    ident: f.ident.clone(),
                    ty: f.ty.clone(),
                })
                .collect(),
            outputs: w.outputs.iter().map(FieldSig::of_output).collect(),
            enums: w.space.enums.clone(),
            structs: w.space.structs.clone(),
        }
    }
}

impl FieldSig {
    fn of_output(o: &ir::Output) -> Self {
        FieldSig {
            name: o.name.clone(),
            ident: o.ident.clone(),
            ty: o.expr.ty(),
        }
    }
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

/// Checks one workflow of one document, and lowers it.
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
    /// What its actions and workflow references may name.
    names: Names<'a>,
    /// Its `successActions` and `failureActions`, checked once, lowered with each step.
    shared_actions: SharedActions,
    /// Workflows checked so far, by (unit, id).
    callees: &'a HashMap<(usize, String), CalleeSig>,
    /// The workflows already checked that have errors of their own.
    failed: &'a HashSet<(usize, String)>,
    /// Types generated for step outputs (merged into the workflow's space at the end).
    out_space: TypeSpace,
    /// The document's named schemas, typed once for every workflow.
    library: &'a SharedLibrary,
    /// Name hint for the type of the output being checked.
    hint: String,
    /// Types of values only compared in conditions (never emitted; enums checked against).
    scratch: TypeSpace,
    diags: &'a mut Diags,
    trees: &'a Trees,
    sources: &'a [LoadedSource],
    program: &'a mut ir::Program,
    taken_methods: &'a mut Vec<String>,
    /// Code will be generated from the program: a message step is refused (not yet).
    generating: bool,
    /// The steps whose outputs the step being checked reads (`$steps.<id>.outputs…`), by id.
    reads: Vec<String>,
}

/// Where a runtime expression is written: the YAML string that holds it and the expression's
/// place in that string's value, which is what a fix rewrites ([`crate::diag::Fix`]).
#[derive(Debug, Clone, Copy)]
struct At<'t> {
    /// The string's location (errors point here).
    loc: Loc,
    /// The string's whole value.
    value: &'t str,
    /// How the string is written, when its value can be located in the text; `None` also
    /// when the expression is not written as it is read (accessors folded into a pointer).
    written: Option<Written>,
    /// The byte offset of the expression in `value`.
    offset: usize,
}

impl<'t> At<'t> {
    /// A string that is one expression.
    fn whole(s: &'t S) -> At<'t> {
        At {
            loc: s.loc,
            value: &s.value,
            written: s.written,
            offset: 0,
        }
    }

    /// Where the expression at `offset` is written: its own line and column when the string
    /// is written on one line (plain, or quoted without escapes), else the string's location.
    fn own_loc(self) -> Loc {
        use crate::yaml::Style;
        let Some(written) = self.written else {
            return self.loc;
        };
        let before = self.value.get(..self.offset).unwrap_or_default();
        let (quote, doubled) = match written.style {
            Style::Plain => (0, 0),
            Style::DoubleQuoted => (1, 0),
            Style::SingleQuoted => (1, before.matches('\'').count()),
            Style::Block { .. } => return self.loc,
        };
        let delta = u32::try_from(quote + doubled + before.chars().count()).unwrap_or(0);
        Loc {
            col: self.loc.col.saturating_add(delta),
            ..self.loc
        }
    }

    /// The same string, for an expression at byte `offset` of its value (`None`: not
    /// locatable).
    fn inner(self, offset: Option<usize>) -> At<'t> {
        At {
            written: self.written.filter(|_| offset.is_some()),
            offset: offset.unwrap_or(0),
            ..self
        }
    }
}

impl WorkflowChecker<'_> {
    /// Runs `f` with its errors set aside; returns what it returns and whether it reported
    /// no error (a fix is offered only when what it writes checks cleanly).
    fn quietly<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> (T, bool) {
        let mut aside = Diags::default();
        std::mem::swap(self.diags, &mut aside);
        let out = f(self);
        std::mem::swap(self.diags, &mut aside);
        (out, aside.is_empty())
    }

    /// The fix that writes `spelled` over bytes `range` of the expression `text` written at
    /// `at`: only when `text` is what the string holds there and `spelled` resolves in
    /// `scope` without an error.
    fn respell(
        &mut self,
        at: At<'_>,
        text: &str,
        range: std::ops::Range<usize>,
        spelled: &str,
        scope: &Scope<'_>,
    ) -> Option<Fix> {
        at.written?;
        let end = at.offset.checked_add(text.len())?;
        if at.value.get(at.offset..end) != Some(text) || range.end > text.len() {
            return None;
        }
        let quiet = At {
            loc: at.loc,
            value: spelled,
            written: None,
            offset: 0,
        };
        let (resolved, clean) = self.quietly(|c| c.expr(quiet, spelled, scope).is_some());
        if !(resolved && clean) {
            return None;
        }
        crate::fix::edit(
            at.value,
            at.written,
            at.offset + range.start..at.offset + range.end,
            spelled,
        )
    }
}

/// What a step looks like to expressions in later steps.
#[derive(Clone)]
struct StepView {
    id: String,
    ident: String,
    outputs: Vec<FieldSig>,
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
    /// A parameter of a success or failure action (Arazzo 1.1): an input of the workflow it
    /// runs (its type is emitted, as an output's).
    ActionParameter,
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
            Place::ActionParameter => "an action parameter",
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
    /// Steps at or after this one whose outputs a `goto` loop may bring back from an earlier
    /// pass ([`flow::Flow::looped_into`]): readable here as `Option`s, `None` on the first pass.
    looped: &'s [StepView],
    /// Steps of the workflow that exist but are not readable here (later or the same step).
    later: &'s [String],
    /// The responses the step accepts, when the expression runs after the step's response.
    response: Option<&'s responses::Accepted<'s>>,
    /// Where the expression is written: decides what it may read, whether its type is emitted,
    /// and how messages name it.
    place: Place,
    /// After a message step (Arazzo 1.1): what `$message` reads (HTTP expressions are errors).
    message: Option<&'s message_expr::MessageScope<'s>>,
}

impl WorkflowChecker<'_> {
    /// Reports `what` as valid Arazzo this compiler does not support yet.
    fn unsupported(&mut self, loc: Loc, what: &str) {
        self.diags.error(
            loc,
            format!("{what} is valid Arazzo but not supported by this version of the compiler yet"),
        );
    }
}
