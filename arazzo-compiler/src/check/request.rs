//! Checking what a step sends: parameters (the workflow's and the step's, component
//! references resolved) and the request body.

use super::payload;
use super::{Scope, WorkflowChecker};
use crate::arazzo;
use crate::decode::S;
use crate::diag::{closest, one_of, suggest};
use crate::expr;
use crate::files::Loc;
use crate::ir;
use crate::openapi::{OpenApi, Operation, Param, ParamIn, ParamKey, Scheme, media_base};
use crate::selector::{SelectorKind, read_selector_type};
use crate::types::Ty;
use crate::yaml::{Kind, Node, serde_json_lite};

/// An operation's path template, e.g. `/users/{id}/events`, split into segments.
pub(super) struct PathTemplate {
    /// Each segment's literal text and parameter references (`/` alone has no segment).
    pub(super) segments: Vec<Vec<ir::PathPiece>>,
    /// The parameter names, in order of first appearance; [`ir::PathPiece::Param`] indexes them.
    pub(super) params: Vec<String>,
}

impl PathTemplate {
    /// Splits a path template at `/` and `{…}`.
    pub(super) fn parse(path: &str) -> PathTemplate {
        let mut params: Vec<String> = Vec::new();
        let mut segments = Vec::new();
        for segment in path.trim_start_matches('/').split('/') {
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
                let index = params.iter().position(|n| *n == name).unwrap_or_else(|| {
                    params.push(name);
                    params.len() - 1
                });
                pieces.push(ir::PathPiece::Param(index));
                rest = &rest[close + 1..];
            }
            if !rest.is_empty() {
                pieces.push(ir::PathPiece::Lit(rest.to_owned()));
            }
            segments.push(pieces);
        }
        if path == "/" {
            segments.clear();
        }
        PathTemplate { segments, params }
    }
}

/// What an operation declares of a parameter a step supplies.
struct Declared<'o> {
    /// Where it goes.
    location: ParamIn,
    /// The operation's parameter; `None` for the parameter of an API key.
    param: Option<&'o Param>,
}

impl<'a> WorkflowChecker<'a> {
    /// Checks and lowers the parameters a step sends: its workflow's, overridden by its own,
    /// each against `op`'s; reports the required ones it leaves out. Returns them with the
    /// keys of those sent and the `Content-Type` header given, if any (a literal: it must
    /// agree with the request body, which is checked with it), or `None` when a value does not
    /// check (the step is not checked further).
    pub(super) fn parameters(
        &mut self,
        step: &arazzo::Step,
        api: &OpenApi,
        op: &Operation,
        label: &str,
        scope: &Scope<'_>,
    ) -> Option<(Vec<ir::Param>, Vec<ParamKey>, Option<S>)> {
        let (supplied, unresolved_reference) = self.supplied_parameters(step);
        let credentials: Vec<ParamKey> = op
            .security
            .iter()
            .flatten()
            .filter_map(|name| api.scheme(name))
            .filter_map(Scheme::api_key_param)
            .collect();
        // Declared parameters a rejected (misspelled or misplaced) one was evidently meant to
        // be: they are not reported missing as well.
        let mut meant: Vec<ParamKey> = Vec::new();
        let mut params = Vec::new();
        let mut bound: Vec<ParamKey> = Vec::new();
        let mut content_type: Option<S> = None;
        for p in &supplied {
            let Some(name) = &p.name else { continue };
            let declared = match self.declared(step, op, label, p, name, &credentials) {
                Ok(declared) => declared,
                Err(meant_key) => {
                    meant.extend(meant_key);
                    continue;
                }
            };
            let Some(value_node) = &p.value else { continue };
            let value = self.value(value_node, scope)?;
            if let ir::Value::Expr(e) = &value
                && is_bytes(&e.ty())
            {
                self.diags.error_help(
                    value_node.loc,
                    format!("parameter `{}` cannot carry a binary value (`{}`)", name.value, e.ty().rust()),
                    Some("binary inputs (`format: binary`) go in a request body: `application/octet-stream`, another binary type, or a multipart file field".to_owned()),
                );
                continue;
            }
            if let (Some(q), ir::Value::Lit(lit)) = (declared.param, &value) {
                self.check_literal_against_schema(
                    value_node.loc,
                    &name.value,
                    lit,
                    q.schema.as_ref(),
                );
            }
            if declared.location == ParamIn::Querystring
                && matches!(
                    &value,
                    ir::Value::Object(_)
                        | ir::Value::Array(_)
                        | ir::Value::Lit(
                            serde_json_lite::Value::Object(_) | serde_json_lite::Value::Array(_)
                        )
                )
            {
                self.diags.error_help(
                    value_node.loc,
                    format!("the value of querystring parameter `{}` must be a string: the whole query string", name.value),
                    Some("write it serialized, e.g. `a=1&b=2`".to_owned()),
                );
                // Not reported missing as well.
                meant.extend(declared.param.map(Param::key));
                continue;
            }
            if declared.location == ParamIn::Header
                && name.value.eq_ignore_ascii_case("content-type")
            {
                match &value {
                    ir::Value::Lit(serde_json_lite::Value::Str(text)) => {
                        content_type = Some(S {
                            value: text.clone(),
                            loc: value_node.loc,
                            written: None,
                        });
                    }
                    _ => {
                        self.diags.error_help(
                            value_node.loc,
                            format!("parameter `{}` must be a literal media type", name.value),
                            Some("the content type decides how the request body is encoded, so it is fixed when the workflow is compiled: write it as text, e.g. `application/json`".to_owned()),
                        );
                        continue;
                    }
                }
            }
            if declared.location == ParamIn::Path && value.reads_looped_output() {
                self.diags.error_help(
                    value_node.loc,
                    format!(
                        "path parameter `{}` reads a step output that has no value on the first pass of the loop",
                        name.value
                    ),
                    Some("a path needs every value: read it from a step before the loop, or send the loop's value as a query parameter, which is left out while it has none".to_owned()),
                );
                // Not reported missing as well.
                meant.extend(declared.param.map(Param::key));
                continue;
            }
            let location = match declared.location {
                ParamIn::Path => match scope.path_params.iter().position(|n| *n == name.value) {
                    Some(i) => ir::ParamIn::Path(i),
                    None => continue,
                },
                ParamIn::Query => ir::ParamIn::Query,
                ParamIn::Querystring => ir::ParamIn::Querystring {
                    // Without `content` the format is not known: sent as written too.
                    raw: declared.param.is_none_or(|q| {
                        q.content
                            .first()
                            .is_none_or(|m| media_matches("application/x-www-form-urlencoded", m))
                    }),
                },
                ParamIn::Header => ir::ParamIn::Header,
                ParamIn::Cookie => ir::ParamIn::Cookie,
            };
            let key = ParamKey {
                name: name.value.clone(),
                location: declared.location,
            };
            let secret = declared.location == ParamIn::Cookie
                || (declared.location == ParamIn::Header
                    && name.value.eq_ignore_ascii_case("authorization"))
                || credentials.contains(&key);
            bound.push(key);
            let is_array = match &value {
                ir::Value::Array(_) => true,
                ir::Value::Expr(e) => {
                    matches!(e.ty(), Ty::Vec(_))
                        || matches!(e.ty(), Ty::Option(t) if matches!(*t, Ty::Vec(_)))
                }
                _ => false,
            };
            // An API key's parameter is serialized as a declared one with no `style` would be.
            let list = (is_array && location == ir::ParamIn::Query).then(|| {
                declared.param.map_or(
                    ir::ListStyle {
                        explode: true,
                        delimiter: ",",
                    },
                    Param::query_array,
                )
            });
            params.push(ir::Param {
                name: name.value.clone(),
                location,
                value,
                list,
                secret,
            });
        }
        if !unresolved_reference {
            for q in op.params.iter().filter(|q| q.required) {
                let key = q.key();
                if !bound.contains(&key) && !meant.contains(&key) {
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
        }
        Some((params, bound, content_type))
    }

    /// The parameters a step supplies: its workflow's, then its own, component references
    /// resolved, a later one replacing an earlier one of the same name and `in`. The flag says
    /// whether a reference did not resolve (reported): it may have been meant to supply any
    /// parameter.
    fn supplied_parameters(&mut self, step: &arazzo::Step) -> (Vec<arazzo::Parameter>, bool) {
        let wf = self.current;
        let mut supplied: Vec<arazzo::Parameter> = Vec::new();
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
            let key = |q: &arazzo::Parameter| {
                (
                    q.name.as_ref().map(|n| n.value.clone()),
                    q.location.as_ref().map(|l| l.value.clone()),
                )
            };
            supplied.retain(|q| key(q) != key(&p));
            supplied.push(p);
        }
        (supplied, unresolved_reference)
    }

    /// Where the supplied parameter `p` (named `name`) goes, by what `op` declares or an API
    /// key among its `credentials`. When `op` declares no such parameter, the error is
    /// reported, and the declared parameter `p` was evidently meant to be, if any, returned.
    fn declared<'o>(
        &mut self,
        step: &arazzo::Step,
        op: &'o Operation,
        label: &str,
        p: &arazzo::Parameter,
        name: &S,
        credentials: &[ParamKey],
    ) -> Result<Declared<'o>, Option<ParamKey>> {
        let Some(written) = &p.location else {
            let declared = op.params.iter().find(|q| q.name == name.value);
            let hint = declared.map(|q| format!("add `in: {}`", q.location));
            self.diags.error_help(
                p.loc,
                format!("parameter `{}` needs `in` (path, query, header or cookie) because step `{}` calls an operation", name.value, step.id.value),
                hint,
            );
            return Err(declared.map(Param::key));
        };
        // An `in` that is no location was reported when the document was read; the messages
        // below still show it as written.
        let location = ParamIn::parse(&written.value);
        let declared = op
            .params
            .iter()
            .find(|q| q.name == name.value && Some(q.location) == location);
        let is_credential = location.is_some_and(|location| {
            credentials.contains(&ParamKey {
                name: name.value.clone(),
                location,
            })
        });
        // `Accept`, `Content-Type` and `Authorization` are headers of every operation: OpenAPI
        // ignores their declarations (content negotiation, the request body and the security
        // schemes own them), which is no reason to refuse them in a workflow.
        if location == Some(ParamIn::Header) && is_reserved_header(&name.value) {
            return Ok(Declared {
                location: ParamIn::Header,
                param: None,
            });
        }
        if let (Some(location), true) = (location, declared.is_some() || is_credential) {
            return Ok(Declared {
                location,
                param: declared,
            });
        }
        let same_name = op.params.iter().find(|q| q.name == name.value);
        let mut meant = same_name.map(Param::key);
        let (message, help) = match same_name {
            Some(q) => (
                format!(
                    "operation `{label}` declares `{}` as a {} parameter, not {}",
                    name.value, q.location, written.value
                ),
                Some(format!("write `in: {}`", q.location)),
            ),
            None => {
                let candidates: Vec<&str> = op
                    .params
                    .iter()
                    .filter(|q| Some(q.location) == location)
                    .map(|q| q.name.as_str())
                    .collect();
                if let (Some(closest), Some(location)) =
                    (closest(&name.value, &candidates), location)
                {
                    meant = Some(ParamKey {
                        name: closest.to_owned(),
                        location,
                    });
                }
                (
                    format!(
                        "operation `{label}` has no {} parameter `{}`",
                        written.value, name.value
                    ),
                    suggest(&name.value, candidates)
                        .or_else(|| Some(format!("it declares no {} parameters", written.value))),
                )
            }
        };
        self.diags.error_help(name.loc, message, help);
        Err(meant)
    }

    /// The component parameter a `reference` names (`$components.parameters.x`), with the
    /// referencing parameter's `value` overriding the component's.
    pub(super) fn component_parameter(
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
        let Some(node) = doc.component("parameters", name) else {
            let names = doc.component_names("parameters");
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

    /// Checks and lowers the step's `requestBody` against what `op` accepts and the
    /// `Content-Type` header parameter `header` the step gives, if any (which must agree with
    /// `requestBody.contentType`, and selects the encoding without one); `Some(None)` when the
    /// step sends none, `None` when it does not check.
    pub(super) fn body(
        &mut self,
        step: &arazzo::Step,
        op: &Operation,
        label: &str,
        scope: &Scope<'_>,
        header: Option<&S>,
    ) -> Option<Option<ir::Body>> {
        let Some(body) = &step.request_body else {
            if op.body_required {
                self.diags.error_help(
                    step.loc,
                    format!("operation `{label}` requires a request body and step `{}` has no `requestBody`", step.id.value),
                    Some(format!(
                        "add `requestBody` with `contentType` {}",
                        one_of(&op.body_content.iter().map(String::as_str).collect::<Vec<_>>())
                    )),
                );
            }
            return Some(None);
        };
        let accepted: Vec<&str> = op.body_content.iter().map(String::as_str).collect();
        if let (Some(header), Some(ct)) = (header, &body.content_type)
            && !same_media(&header.value, &ct.value)
        {
            self.diags.error_help(
                header.loc,
                format!(
                    "header `Content-Type` `{}` disagrees with the `requestBody.contentType` `{}` of step `{}`",
                    header.value, ct.value, step.id.value
                ),
                Some(format!("write `{}` in both, or leave the `Content-Type` parameter out (the request body's content type is sent)", ct.value)),
            );
            return None;
        }
        let content_type = match body.content_type.as_ref().or(header) {
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
                .map_or_else(|| "application/json".to_owned(), |a| concrete(a)),
        };
        // The header is sent as given (with its parameters, such as `charset`).
        let content_type = header.map_or(content_type, |h| h.value.clone());
        let mut replacements = Vec::new();
        let mut xpath_targets = Vec::new();
        for r in &body.replacements {
            let fields: &[&str] = if self.doc.is_1_1() {
                &["target", "targetSelectorType", "value"]
            } else {
                &["target", "value"]
            };
            let Some(r) = crate::decode::object(self.diags, r, "a payload replacement", fields)
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
            let kind = match r.get("targetSelectorType") {
                Some(t) => match read_selector_type(self.diags, t, "a payload replacement") {
                    Some(kind) => kind,
                    None => continue,
                },
                // Arazzo 1.1: without a type, a target in an XML payload is XPath.
                None if self.doc.is_1_1() && payload::is_xml(&content_type) => {
                    SelectorKind::XPath(None)
                }
                None => SelectorKind::JsonPointer,
            };
            match kind {
                SelectorKind::JsonPointer => {}
                SelectorKind::JsonPath(_) => {
                    if self.jsonpath(&target).is_none() {
                        continue;
                    }
                    if target.value.trim() == "$" {
                        self.diags.error(
                            target.loc,
                            "a replacement `target` must select inside the payload, not its root",
                        );
                        continue;
                    }
                    replacements.push(ir::Replacement {
                        target: ir::ReplacementTarget::JsonPath(target.value),
                        value,
                    });
                    continue;
                }
                SelectorKind::XPath(_) => {
                    // Followed through the XML description once the payload's kind is known.
                    xpath_targets.push((target, value));
                    continue;
                }
            }
            match expr::parse_pointer(&target.value) {
                Ok(p) if !p.tokens.is_empty() => replacements.push(ir::Replacement {
                    target: ir::ReplacementTarget::Pointer(p.tokens),
                    value,
                }),
                Ok(_) => self.diags.error(
                    target.loc,
                    "a replacement `target` must point inside the payload, not at its root",
                ),
                Err(e) => self.diags.error_help(target.loc, e.message, e.help),
            }
        }
        let Some(payload) = &body.payload else {
            return Some(Some(ir::Body {
                content_type,
                kind: ir::BodyKind::Text(ir::TextEscape::Raw),
                payload: ir::Value::Lit(serde_json_lite::Value::Str(String::new())),
                replacements,
            }));
        };
        let value = self.value(payload, scope)?;
        let (kind, value) = self.body_kind(op, &content_type, payload, value)?;
        if let ir::BodyKind::Xml(root) = &kind {
            for (target, value) in xpath_targets {
                match super::xml_target::pointer(root, &target.value) {
                    Ok(tokens) => replacements.push(ir::Replacement {
                        target: ir::ReplacementTarget::Pointer(tokens),
                        value,
                    }),
                    Err(message) => self.diags.error(target.loc, message),
                }
            }
        } else if let Some((target, _)) = xpath_targets.first() {
            self.diags.error_help(
                target.loc,
                format!("an `xpath` replacement target needs an XML payload; this one is `{content_type}`"),
                Some("in a JSON payload, write a JSON pointer (`/a/b`) or use `targetSelectorType: jsonpath`".to_owned()),
            );
            return None;
        }
        let structured = matches!(kind, ir::BodyKind::Json | ir::BodyKind::Xml(_));
        if !replacements.is_empty() && !structured {
            self.diags.error(
                body.loc,
                "`replacements` apply to JSON and XML payloads only",
            );
            return None;
        }
        Some(Some(ir::Body {
            content_type,
            kind,
            payload: value,
            replacements,
        }))
    }

    /// How a payload of `content_type` is encoded, and the value sent (a scalar literal or
    /// expression for a text or binary type becomes its text); `None` when it cannot be
    /// (reported).
    fn body_kind(
        &mut self,
        op: &Operation,
        content_type: &str,
        payload: &Node,
        value: ir::Value,
    ) -> Option<(ir::BodyKind, ir::Value)> {
        use serde_json_lite::Value as J;
        let structured = matches!(
            value,
            ir::Value::Object(_) | ir::Value::Array(_) | ir::Value::Lit(J::Array(_) | J::Object(_))
        );
        let expr_ty = match &value {
            ir::Value::Expr(e) => Some(e.ty()),
            _ => None,
        };
        let bytes = expr_ty.as_ref().is_some_and(is_bytes);
        if let ir::Value::Template(parts) = value {
            return self.template_body(content_type, payload, parts);
        }
        if let ir::Value::Lit(J::Str(_)) = value {
            // A string payload without placeholders is the body as written, whatever the type.
            return Some((ir::BodyKind::Text(ir::TextEscape::Raw), value));
        }
        if is_json(content_type) {
            return Some((ir::BodyKind::Json, value));
        }
        if media_matches("application/x-www-form-urlencoded", content_type) {
            if !matches!(value, ir::Value::Object(_) | ir::Value::Expr(_)) {
                self.diags.error(
                    payload.loc,
                    "a form-encoded payload must be a mapping of field names to values",
                );
                return None;
            }
            return Some((ir::BodyKind::Form, value));
        }
        let media = op.body_media_for(content_type);
        if payload::is_multipart(content_type) {
            if !matches!(value, ir::Value::Object(_) | ir::Value::Expr(_)) || bytes {
                self.diags.error_help(
                    payload.loc,
                    "a multipart/form-data payload must be a mapping of field names to values",
                    Some("write one field per part, e.g. `payload: {file: $inputs.file, title: Report}`".to_owned()),
                );
                return None;
            }
            let fields = payload::multipart_fields(
                self.trees,
                media.and_then(|m| m.schema.as_ref()),
                media.and_then(|m| m.encoding.as_ref()),
            );
            return Some((ir::BodyKind::Multipart(fields), value));
        }
        if bytes {
            return Some((ir::BodyKind::Bytes, value));
        }
        if payload::is_xml(content_type) {
            if !structured && expr_ty.is_none() {
                self.diags.error_help(
                    payload.loc,
                    format!("an XML payload (`{content_type}`) must be a mapping or sequence (written as XML per the request body's schema), a runtime expression, or a string sent as written"),
                    Some("write the payload as a mapping, or as a string holding the XML".to_owned()),
                );
                return None;
            }
            let root = payload::xml_root(self.trees, media.and_then(|m| m.schema.as_ref()));
            return Some((ir::BodyKind::Xml(root), value));
        }
        // Text and binary types: a single value is sent as its text.
        let renders = expr_ty.as_ref().is_none_or(Ty::renders_as_text);
        if structured || !renders {
            let binary = !payload::is_text(content_type);
            let help = if binary {
                "give a string, or one runtime expression of a binary input (`type: string, format: binary`), whose bytes are sent as they are"
            } else {
                "write the payload as a string; `{$…}` in it substitutes values (numbers render as text)"
            };
            let what = if structured {
                "a structured payload".to_owned()
            } else {
                format!(
                    "a payload of type `{}`",
                    expr_ty.as_ref().map_or_else(String::new, Ty::rust)
                )
            };
            self.diags.error_help(
                payload.loc,
                format!("{what} cannot be sent as `{content_type}`"),
                Some(help.to_owned()),
            );
            return None;
        }
        let value = match value {
            ir::Value::Expr(e) => ir::Value::Template(vec![ir::TemplatePart::Expr(e)]),
            ir::Value::Lit(J::Int(i)) => ir::Value::Lit(J::Str(i.to_string())),
            ir::Value::Lit(J::Float(f)) => ir::Value::Lit(J::Str(f.to_string())),
            ir::Value::Lit(J::Bool(b)) => ir::Value::Lit(J::Str(b.to_string())),
            ir::Value::Lit(J::Null) => ir::Value::Lit(J::Str(String::new())),
            other => other,
        };
        Some((ir::BodyKind::Text(ir::TextEscape::Raw), value))
    }

    /// A string payload with `{$…}` placeholders: for a JSON content type, parsed as JSON
    /// with typed holes and sent as a JSON body (a located error when its text is not JSON);
    /// for a form or XML type, the text as written with each substitution encoded as a form
    /// value or escaped as XML; for any other type, the text with the values as they are.
    fn template_body(
        &mut self,
        content_type: &str,
        payload: &Node,
        parts: Vec<ir::TemplatePart>,
    ) -> Option<(ir::BodyKind, ir::Value)> {
        let escape = if is_json(content_type) {
            let sources: Vec<String> = match &payload.kind {
                Kind::Str(text) => expr::template(text)
                    .ok()
                    .flatten()
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|p| match p {
                        expr::Part::Expr(_, source) => Some(source),
                        expr::Part::Lit(_) => None,
                    })
                    .collect(),
                _ => Vec::new(),
            };
            return match super::template::json_template(parts, &sources) {
                Ok(value) => Some((ir::BodyKind::Json, value)),
                Err(e) => {
                    self.diags.error_help(payload.loc, e.message, Some(e.help));
                    None
                }
            };
        } else if media_matches("application/x-www-form-urlencoded", content_type) {
            ir::TextEscape::Form
        } else if payload::is_xml(content_type) {
            ir::TextEscape::Xml
        } else {
            ir::TextEscape::Raw
        };
        Some((ir::BodyKind::Text(escape), ir::Value::Template(parts)))
    }

    /// Reports a literal parameter value that the parameter's `enum` does not allow.
    pub(super) fn check_literal_against_schema(
        &mut self,
        loc: Loc,
        name: &str,
        lit: &serde_json_lite::Value,
        schema: Option<&Node>,
    ) {
        use serde_json_lite::Value as J;
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
}

/// Whether a value of this type is bytes (`Vec<u8>`, or an `Option` of it).
fn is_bytes(ty: &Ty) -> bool {
    matches!(ty, Ty::Bytes) || matches!(ty, Ty::Option(inner) if **inner == Ty::Bytes)
}

/// The media type a request is sent with when the operation accepts `accepted`: a range is no
/// content type, so `*/*` and `application/*` send JSON and `text/*` plain text.
fn concrete(accepted: &str) -> String {
    let base = media_base(accepted);
    if base == "*/*" || base == "application/*" {
        "application/json".to_owned()
    } else if base == "text/*" {
        "text/plain".to_owned()
    } else {
        accepted.to_owned()
    }
}

/// Whether a media type is JSON (`application/json` or `…+json`), parameters ignored.
pub(super) fn is_json(media: &str) -> bool {
    let m = media_base(media);
    m == "application/json" || m.ends_with("+json")
}

/// Whether `name` is one of the headers an OpenAPI document cannot declare (`Accept`,
/// `Content-Type`, `Authorization`, in any case) and every operation takes.
pub(crate) fn is_reserved_header(name: &str) -> bool {
    ["accept", "content-type", "authorization"]
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

/// Whether media types `a` and `b` are the same type (parameters and case aside).
fn same_media(a: &str, b: &str) -> bool {
    media_base(a) == media_base(b)
}

/// Whether the media type `given` is one an operation that accepts `accepted` (which may be a
/// `type/*` or `*/*` range) takes.
pub(super) fn media_matches(accepted: &str, given: &str) -> bool {
    let (a, g) = (media_base(accepted), media_base(given));
    a == g || a == "*/*" || (a.ends_with("/*") && g.starts_with(a.trim_end_matches('*')))
}
