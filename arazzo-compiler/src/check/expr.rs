//! Checking values and runtime expressions: literals, templates and `$…` expressions resolved
//! against what is readable where they are written, and typed.

use super::actions::action_workflows;
use super::responses::Accepted;
use super::{At, Place, Scope, WorkflowChecker};
use crate::arazzo::Target;
use crate::decode::S;
use crate::diag::{closest, one_of, suggest};
use crate::expr::{self, Expr as Ast, Source as AstSource};
use crate::files::Loc;
use crate::ir;
use crate::names;
use crate::selector::ExprOrSelector;
use crate::types::{self, PointerTy, Ty};
use crate::version::{self, Version};
use crate::yaml::{Kind, Node, serde_json_lite};

impl WorkflowChecker<'_> {
    /// A literal, expression or template value (recursively for objects and arrays).
    pub(super) fn value(&mut self, node: &Node, scope: &Scope<'_>) -> Option<ir::Value> {
        match &node.kind {
            Kind::Str(text) if expr::is_expression(text) => {
                let at = At {
                    loc: node.loc,
                    value: text,
                    written: node.written,
                    offset: 0,
                };
                Some(ir::Value::Expr(self.expr(at, text, scope)?))
            }
            Kind::Str(text) => {
                let whole = At {
                    loc: node.loc,
                    value: text,
                    written: node.written,
                    offset: 0,
                };
                Some(match self.template(whole, scope, false)? {
                    None => ir::Value::Lit(node.to_json()),
                    Some(parts) => ir::Value::Template(parts),
                })
            }
            Kind::Map(_) if self.doc.is_1_1() && crate::selector::is_selector(node) => {
                let sel = crate::selector::read_selector(self.diags, node)?;
                Some(ir::Value::Expr(self.selector(&sel, scope)?))
            }
            Kind::Map(entries) => {
                let mut out = Vec::new();
                let mut ok = true;
                for (k, v) in entries {
                    match self.value(v, scope) {
                        Some(v) => out.push((serde_json_lite::key_text(k), v)),
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

    /// The parts of a string with embedded `{$…}` expressions (a template), each expression
    /// checked in `scope` (and located at its own column of `whole` when `own_columns`);
    /// `Some(None)` when the string embeds none, `None` when it does not check (reported,
    /// with a respelling fix where one applies).
    pub(super) fn template(
        &mut self,
        whole: At<'_>,
        scope: &Scope<'_>,
        own_columns: bool,
    ) -> Option<Option<Vec<ir::TemplatePart>>> {
        let text = whole.value;
        let parts = match expr::template(text) {
            Ok(None) => return Some(None),
            Ok(Some(parts)) => parts,
            Err(e) => {
                let loc = match expr::template_error_offset(text) {
                    Some(offset) if own_columns => At { offset, ..whole }.own_loc(),
                    _ => whole.loc,
                };
                let fix = e.respelling.and_then(|r| {
                    let (range, spelled) = (r.range, r.text);
                    self.respell(whole, text, range, &spelled, scope)
                });
                self.diags.error_fix(loc, e.message, e.help, fix);
                return None;
            }
        };
        let mut out = Vec::new();
        let mut ok = true;
        // The parts are the text in order: a literal as written, an expression between `{`
        // and `}`.
        let mut offset = 0;
        for part in parts {
            match part {
                expr::Part::Lit(l) => {
                    offset += l.len();
                    out.push(ir::TemplatePart::Lit(l));
                }
                expr::Part::Expr(_, source) => {
                    let mut at = At {
                        offset: offset + 1,
                        ..whole
                    };
                    if own_columns {
                        at.loc = at.own_loc();
                    }
                    offset += source.len() + 2;
                    match self.expr(at, &source, scope) {
                        Some(e) => out.push(ir::TemplatePart::Expr(e)),
                        None => ok = false,
                    }
                }
            }
        }
        ok.then_some(Some(out))
    }

    /// Checks and lowers `outputs` (name → runtime expression); `None` when one does not
    /// check.
    pub(super) fn outputs(
        &mut self,
        outputs: &[(S, ExprOrSelector)],
        scope: &Scope<'_>,
    ) -> Option<Vec<ir::Output>> {
        let mut out = Vec::new();
        let mut taken = Vec::new();
        let mut ok = true;
        for (name, value) in outputs {
            let value = match value {
                ExprOrSelector::Expr(value) => value,
                ExprOrSelector::Selector(sel) => {
                    match self.selector(sel, scope) {
                        Some(e) => out.push(ir::Output {
                            name: name.value.clone(),
                            ident: names::unique(names::snake(&name.value), &mut taken),
                            expr: e,
                            source: sel.describe(),
                            secret: false,
                        }),
                        None => ok = false,
                    }
                    continue;
                }
            };
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
            let checked = self.expr(At::whole(value), &value.value, scope);
            self.hint = step_hint;
            match checked {
                Some(e) => out.push(ir::Output {
                    name: name.value.clone(),
                    ident: names::unique(names::snake(&name.value), &mut taken),
                    expr: e,
                    source: value.value.clone(),
                    secret: false,
                }),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// `$self` (Arazzo 1.1), written at `loc`: the document's `$self` URI, as written.
    fn self_expr(&mut self, loc: Loc) -> Option<ir::Expr> {
        if self.doc.version == Version::V1_0 {
            version::too_new(
                self.diags,
                loc,
                "the runtime expression `$self`",
                Version::V1_0,
            );
            return None;
        }
        let Some(uri) = &self.doc.self_uri else {
            self.diags.error_help(
                loc,
                "`$self` is this document's `$self` field, which it does not have",
                Some("add `$self: <the document's URI>` at the top of the document".to_owned()),
            );
            return None;
        };
        Some(ir::Expr::SelfUri(uri.value.clone()))
    }

    /// Parses and resolves one runtime expression, `text`, written at `at`, in `scope`.
    pub(super) fn expr(&mut self, at: At<'_>, text: &str, scope: &Scope<'_>) -> Option<ir::Expr> {
        let loc = at.loc;
        let parsed = match expr::parse(text) {
            Ok(e) => e,
            Err(e) => {
                let fix = e
                    .respelling
                    .and_then(|r| self.respell(at, text, r.range, &r.text, scope));
                self.diags.error_fix(loc, e.message, e.help, fix);
                return None;
            }
        };
        if self.doc.version == Version::V1_1
            && let Err(e) = expr::check_strict(&parsed)
        {
            self.diags.error_help(loc, e.message, e.help);
            return None;
        }
        if scope.message.is_some()
            && matches!(
                parsed,
                Ast::StatusCode | Ast::Response(_) | Ast::Request(_) | Ast::Url | Ast::Method
            )
        {
            self.diags.error_help(
                loc,
                format!("`{text}` reads an HTTP request or response, and this step sends or receives a message"),
                Some("read the received message with `$message.payload#/…` or `$message.header.<name>` (in a step with `action: receive`)".to_owned()),
            );
            return None;
        }
        match parsed {
            Ast::Message(source) => self.message_expr(loc, text, source, scope),
            Ast::Inputs { name, path } => self.input_expr(loc, text, name, path, scope),
            Ast::Steps {
                step,
                output,
                pointer,
            } => self.step_output_expr(at, text, step, output, pointer, scope),
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
                self.response_body_expr(loc, text, pointer, scope)
            }
            Ast::Url => Some(ir::Expr::Url),
            Ast::Method => Some(ir::Expr::Method),
            Ast::SelfUri => self.self_expr(loc),
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
            } => self.workflow_expr(loc, text, workflow, outputs, name, pointer),
            Ast::Components { kind, name } => self.component_expr(loc, text, kind, name),
            Ast::SourceDescriptions { name, rest } => self.source_expr(loc, text, name, rest),
            Ast::Outputs { .. } => {
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

    /// `$inputs.<name>[.<property>…]`: a field of the `Inputs` struct, walked into JSON where
    /// the type stops being a struct.
    fn input_expr(
        &mut self,
        loc: Loc,
        text: &str,
        name: String,
        path: Vec<String>,
        scope: &Scope<'_>,
    ) -> Option<ir::Expr> {
        if !scope.inputs_known {
            return None;
        }
        // Input names may contain dots (`tab.export`, `Configuration.RetryCount`): the longest
        // declared name the dotted path starts with is the input, the rest its properties.
        let (name, path) = match (1..=path.len()).rev().find_map(|k| {
            let joined = std::iter::once(name.as_str())
                .chain(path[..k].iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(".");
            scope.input_names.contains(&joined).then_some((joined, k))
        }) {
            Some((joined, k)) => (joined, path[k..].to_vec()),
            None => (name, path),
        };
        if !scope.input_names.contains(&name) {
            let help = suggest(&name, scope.input_names.iter().map(String::as_str))
                .or_else(|| Some("this workflow declares no inputs".to_owned()));
            self.diags
                .error_help(loc, format!("unknown input `{name}` in `{text}`"), help);
            return None;
        }
        let mut idents = Vec::new();
        let mut fields: Vec<ir::InputField> = Vec::new();
        let mut through_option = false;
        let mut ty = scope.inputs.clone();
        let segments: Vec<&String> = std::iter::once(&name).chain(&path).collect();
        for (i, segment) in segments.iter().enumerate() {
            // Properties of an optional object: read through the `Option`.
            if i > 0
                && let Ty::Option(inner) = &ty
                && matches!(**inner, Ty::Named(_))
            {
                through_option = true;
                ty = (**inner).clone();
            }
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
            fields.push(ir::InputField {
                ident: field.ident.clone(),
                optional: matches!(field.ty, Ty::Option(_)),
            });
            ty = field.ty.clone();
            if through_option {
                continue;
            }
            if i + 1 == segments.len()
                && let (Some(default), Ty::Option(inner)) = (&field.default, &ty)
            {
                return Some(ir::Expr::InputOr {
                    path: idents,
                    ty: (**inner).clone(),
                    default: default.clone(),
                });
            }
        }
        if through_option {
            return Some(ir::Expr::InputThroughOption {
                path: fields,
                ty: ty.optional(),
            });
        }
        Some(ir::Expr::Input(idents, ty))
    }

    /// `$steps.<id>.outputs.<name>[#pointer]`: an output of an earlier step, or of a step whose
    /// outputs may be missing here (`scope.looped`), as an `Option`.
    fn step_output_expr(
        &mut self,
        at: At<'_>,
        text: &str,
        step: String,
        output: String,
        pointer: Option<expr::Pointer>,
        scope: &Scope<'_>,
    ) -> Option<ir::Expr> {
        let loc = at.loc;
        let found = scope
            .earlier
            .iter()
            .map(|v| (v, false))
            .chain(scope.looped.iter().map(|v| (v, true)))
            .find(|(v, _)| v.id == step);
        let Some((view, optional)) = found else {
            if scope.later.contains(&step) {
                self.diags.error(
                    loc,
                    format!(
                        "`{text}` reads step `{step}`, which has not run at this point ({})",
                        scope.place
                    ),
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
        let Some(field) = view.outputs.iter().find(|f| f.name == output) else {
            // `outputs.lead.company` where `lead` is an output: a place inside an output is a
            // JSON pointer after `#`.
            let inside = view.outputs.iter().find_map(|f| {
                let rest = output.strip_prefix(f.name.as_str())?.strip_prefix('.')?;
                let after = pointer.as_ref().map_or("", |p| p.text.as_str());
                Some(format!(
                    "$steps.{step}.outputs.{}#/{}{after}",
                    f.name,
                    crate::expr::pointer_of(rest)
                ))
            });
            let fix = inside
                .as_ref()
                .and_then(|spelled| self.respell(at, text, 0..text.len(), spelled, scope));
            let help = inside
                .map(|spelled| format!("write `{spelled}`"))
                .or_else(|| suggest(&output, view.outputs.iter().map(|f| f.name.as_str())))
                .or_else(|| Some(format!("step `{step}` defines no outputs")));
            self.diags.error_fix(
                loc,
                format!("step `{step}` has no output `{output}`"),
                help,
                fix,
            );
            return None;
        };
        self.reads.push(view.id.clone());
        let value = ir::Expr::StepOutput {
            step: view.ident.clone(),
            id: view.id.clone(),
            field: field.ident.clone(),
            ty: field.ty.clone(),
            optional,
        };
        match pointer {
            Some(pointer) => self.typed_pointer(loc, text, value, pointer.tokens),
            None => Some(value),
        }
    }

    /// `$response.body[#pointer]`, typed by the response schema where it has one.
    fn response_body_expr(
        &mut self,
        loc: Loc,
        text: &str,
        pointer: Option<expr::Pointer>,
        scope: &Scope<'_>,
    ) -> Option<ir::Expr> {
        let pointer = pointer.unwrap_or(expr::Pointer {
            text: String::new(),
            tokens: Vec::new(),
        });
        if pointer.tokens.is_empty() && scope.response.is_some_and(Accepted::text) {
            return Some(ir::Expr::ResponseText);
        }
        let ty = match scope.response {
            Some(accepted) => {
                self.response_pointer_ty(loc, text, &pointer.tokens, accepted, scope)?
            }
            None => Ty::Json.optional(),
        };
        Some(ir::Expr::ResponseBody {
            tokens: pointer.tokens,
            pointer: pointer.text,
            ty,
        })
    }

    /// The type of the value at `tokens` in the body of a response the step accepts: checked
    /// against every accepted response's schema. A pointer that some declare and others do not
    /// (or a response without a JSON body) reads an `Option`; where they give different types,
    /// or any says nothing, the value is untyped. `None` (reported) when no accepted response
    /// declares it.
    fn response_pointer_ty(
        &mut self,
        loc: Loc,
        text: &str,
        tokens: &[String],
        accepted: &Accepted<'_>,
        scope: &Scope<'_>,
    ) -> Option<Ty> {
        let mut found: Vec<(&Node, bool)> = Vec::new();
        let mut undeclared: Vec<(String, Vec<String>)> = Vec::new();
        for schema in accepted.schemas() {
            match types::follow(self.trees, schema, tokens) {
                PointerTy::Found(node, optional) => found.push((node, optional)),
                PointerTy::Unknown => return Some(Ty::Json.optional()),
                PointerTy::Impossible(token, names) => undeclared.push((token, names)),
            }
        }
        let Some(&(first, _)) = found.first() else {
            let Some((token, names)) = undeclared.into_iter().next() else {
                // No accepted response declares a JSON body: nothing to type against.
                return Some(Ty::Json.optional());
            };
            self.undeclared_pointer(loc, text, token, &names, accepted);
            return None;
        };
        let optional = accepted.some_without_body()
            || !undeclared.is_empty()
            || found.iter().any(|(_, optional)| *optional);
        let same = found.iter().all(|(node, _)| node.loc == first.loc);
        // Outputs and action parameters get generated types; elsewhere (criteria) only the
        // shape matters and nothing is emitted.
        let emitted = matches!(scope.place, Place::StepOutput | Place::ActionParameter);
        let ty = if same && emitted {
            let hint = self.hint.clone();
            types::schema_ty(self.trees, &mut self.out_space, first, &hint)
        } else {
            let mut tys = found
                .iter()
                .map(|(node, _)| types::schema_ty(self.trees, &mut self.scratch, node, "Value"));
            let ty = tys.next().unwrap_or(Ty::Json);
            // Different schemas agree only on types that generate nothing.
            if same || (ty.is_plain() && tys.all(|t| t == ty)) {
                ty
            } else {
                Ty::Json
            }
        };
        Some(if optional { ty.optional() } else { ty })
    }

    /// Reports a response-body pointer through a property no accepted response declares.
    fn undeclared_pointer(
        &mut self,
        loc: Loc,
        text: &str,
        token: String,
        names: &[String],
        accepted: &Accepted<'_>,
    ) {
        // What is true: the schema does not declare it (a server may still send it, but the
        // document promises nothing about it).
        let declared: Vec<&str> = names.iter().map(String::as_str).collect();
        let lists = match declared.as_slice() {
            [] => "declares no properties there".to_owned(),
            ["<array index>"] => "has an array there (the token must be an index)".to_owned(),
            few if few.len() <= 8 => format!("lists {}", one_of(few)),
            many => format!(
                "lists {} properties, among them {}",
                many.len(),
                one_of(&many[..5])
            ),
        };
        let message = match accepted.keys().as_slice() {
            [] | [_] => format!(
                "`{text}`: `{token}` is not declared by the response schema at this point of the pointer, which {lists}"
            ),
            keys => format!(
                "`{text}`: `{token}` is not declared at this point of the pointer by any response the step accepts ({}); the first {lists}",
                keys.join(", ")
            ),
        };
        let help = match &accepted.undeclared {
            // The pointer read the `default` (error) response because the criteria accept
            // no status the operation declares: that is the mistake to fix.
            Some(success) => Some(format!(
                "the step's success criteria accept no status the operation declares, so its `default` response stands for them; the operation's success {} {}: check `$statusCode` in the criteria",
                if success.len() == 1 {
                    "status is"
                } else {
                    "statuses are"
                },
                success.join(", ")
            )),
            None => closest(&token, &declared).map(|c| format!("did you mean `{c}`?")),
        };
        self.diags.error_help(loc, message, help);
    }

    /// `$workflows.<id>.(inputs|outputs).<name>[#pointer]`: readable when this workflow runs
    /// that one.
    fn workflow_expr(
        &mut self,
        loc: Loc,
        text: &str,
        workflow: String,
        outputs: bool,
        name: String,
        pointer: Option<expr::Pointer>,
    ) -> Option<ir::Expr> {
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
            target.input_names(self.trees)
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
        let runs_it =
            self.current.depends_on.iter().any(|d| d.value == workflow)
                || self.current.steps.iter().any(
                    |s| matches!(&s.target, Some(Target::WorkflowId(id)) if id.value == workflow),
                )
                || action_workflows(self.doc, self.current).any(|id| id.value == workflow);
        if !runs_it {
            self.diags.error_help(
                loc,
                format!("`{text}` reads workflow `{workflow}`, which this workflow never runs"),
                Some(format!(
                    "add `{workflow}` to `dependsOn`, or call it from a step"
                )),
            );
            return None;
        }
        let sig = self.callees.get(&(self.unit, workflow.clone()))?;
        let list = if outputs { &sig.outputs } else { &sig.inputs };
        let Some(field) = list.iter().find(|f| f.name == name) else {
            // Declared, but its schema is free-form: there is no typed field to read.
            self.unsupported(
                loc,
                &format!("the expression `{text}` (the workflow's inputs are not a typed object)"),
            );
            return None;
        };
        let workflow = ir::WorkflowRef {
            id: workflow,
            module: sig.module.clone(),
        };
        let (field, ty) = (field.ident.clone(), field.ty.qualify(&sig.module));
        let value = if outputs {
            ir::Expr::WorkflowOutput {
                workflow,
                field,
                ty,
            }
        } else {
            ir::Expr::WorkflowInput {
                workflow,
                field,
                ty,
            }
        };
        Some(match pointer {
            Some(pointer) => ir::Expr::At(Box::new(value), pointer.tokens),
            None => value,
        })
    }

    /// `$components.<kind>.<name>`, which has no value at run time: always an error.
    fn component_expr(
        &mut self,
        loc: Loc,
        text: &str,
        kind: String,
        name: String,
    ) -> Option<ir::Expr> {
        let names = self.doc.component_names(&kind);
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

    /// `$sourceDescriptions.<name>.url`: the base URL the client uses for that source.
    fn source_expr(
        &mut self,
        loc: Loc,
        text: &str,
        name: String,
        rest: String,
    ) -> Option<ir::Expr> {
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
}
