//! Runtime expressions, parameters and payloads as Rust: each expression the checker typed
//! becomes a field access, a pre-split JSON pointer or a call of the response's readers;
//! payloads become `rt::object([...])` trees.
//!
//! Generated functions keep their state in `cx` (inputs, run, the steps' outputs, the
//! workflows run), the response in `resp`, a typed body in `body` / `view`, and a called
//! workflow's outputs in `call`. An error is an `ErrorKind` raised with `?`; the run attaches
//! the workflow and step to it at one place (`Run::locate`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::body::Plan;
use super::{ident, ty_tokens};
use crate::ir::{self, Expr, TemplatePart, Value};
use crate::types::Ty;
use crate::yaml::serde_json_lite::Value as Json;

/// Whether a value of this type can be passed to `ParamValue`/`AsOperand` directly.
pub(super) fn scalar(ty: &Ty) -> bool {
    match ty {
        Ty::I64 | Ty::F64 | Ty::Bool | Ty::Str | Ty::U16 | Ty::Json | Ty::Enum(_) => true,
        Ty::Option(t) | Ty::InModule(_, t) => scalar(t),
        _ => false,
    }
}

/// `(tokens, is_place)`: a place expression (borrowable) or a computed value.
fn expr_tokens(e: &Expr, plan: &Plan) -> (TokenStream, bool) {
    match e {
        Expr::Input(path, _) => {
            let path = path.iter().map(|p| ident(p));
            (quote! { cx.inputs #( .#path )* }, true)
        }
        Expr::InputThroughOption { path, .. } => {
            // `Option<&T>` from the first optional field on, then the value cloned.
            let mut place = quote! { cx.inputs };
            let mut optional: Option<TokenStream> = None;
            for field in path {
                let f = ident(&field.ident);
                optional = match (optional.take(), field.optional) {
                    (None, false) => {
                        place = quote! { #place.#f };
                        None
                    }
                    (None, true) => Some(quote! { #place.#f.as_ref() }),
                    (Some(o), true) => Some(quote! { #o.and_then(|v| v.#f.as_ref()) }),
                    (Some(o), false) => Some(quote! { #o.map(|v| &v.#f) }),
                };
            }
            match optional {
                Some(o) => (quote! { #o.cloned() }, false),
                None => (place, true),
            }
        }
        Expr::At(inner, tokens) => {
            let value = borrowed(inner, plan);
            (quote! { rt::json_at(#value, &[ #( #tokens ),* ])? }, false)
        }
        Expr::Member { of, path, .. } => {
            // `Option<&T>` from the value to the member, then the member cloned.
            let value = borrowed(of, plan);
            let steps = path.iter().map(|access| match access {
                ir::Access::Field(field) => {
                    let field = ident(field);
                    quote! { .map(|v| &v.#field) }
                }
                ir::Access::Index(index) => quote! { .and_then(|v| v.get(#index)) },
                ir::Access::Key(key) => quote! { .and_then(|v| v.get(#key)) },
                ir::Access::Flatten => quote! { .and_then(|v| v.as_ref()) },
                ir::Access::Json(tokens) => {
                    let pointer: String = tokens
                        .iter()
                        .map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1")))
                        .collect();
                    quote! { .and_then(|v| v.pointer(#pointer)) }
                }
            });
            (
                quote! { ::std::option::Option::Some(#value) #( #steps )* .cloned() },
                false,
            )
        }
        Expr::JsonPath {
            of,
            query,
            singular,
        } => {
            let context = super::criteria::json_context(of, plan, false);
            let select = if *singular {
                quote! { rt::select_one }
            } else {
                quote! { rt::select_all }
            };
            (
                quote! {{
                    static QUERY: rt::JsonPathCache = rt::JsonPathCache::new();
                    #select(&QUERY, #query, #context)
                }},
                false,
            )
        }
        Expr::XPath { of, query } => {
            let context = super::criteria::xpath_context(of, plan);
            (
                quote! {{
                    ::std::thread_local! {
                        static QUERY: rt::XPathCache = const { rt::XPathCache::new() };
                    }
                    rt::xpath_select(&QUERY, #query, &#context)?
                }},
                false,
            )
        }
        Expr::StepOutput {
            step,
            id,
            field,
            ty,
            optional,
        } => {
            let (step, field) = (ident(step), ident(field));
            match (optional, ty) {
                (false, _) => (
                    quote! { rt::completed(&cx.progress.#step, #id)?.#field },
                    true,
                ),
                (true, Ty::Option(_)) => (
                    quote! { cx.progress.#step.as_ref().and_then(|outputs| outputs.#field.clone()) },
                    false,
                ),
                (true, _) => (
                    quote! { cx.progress.#step.as_ref().map(|outputs| outputs.#field.clone()) },
                    false,
                ),
            }
        }
        Expr::InputOr { path, ty, default } => {
            let path = path.iter().map(|p| ident(p));
            let fallback = default_tokens(ty, default);
            (
                quote! {
                    match cx.inputs #( .#path )* .clone() {
                        Some(given) => given,
                        None => #fallback,
                    }
                },
                false,
            )
        }
        Expr::InputJson(path, tokens) => {
            let path = path.iter().map(|p| ident(p));
            (
                quote! { rt::json_at(&cx.inputs #( .#path )*, &[ #( #tokens ),* ])? },
                false,
            )
        }
        Expr::WorkflowOutput {
            workflow, field, ..
        } => {
            let (id, module, field) = (&workflow.id, ident(&workflow.module), ident(field));
            (quote! { rt::ran(&cx.ran.#module, #id)?.1.#field }, true)
        }
        Expr::WorkflowInput {
            workflow, field, ..
        } => {
            let (id, module, field) = (&workflow.id, ident(&workflow.module), ident(field));
            (quote! { rt::ran(&cx.ran.#module, #id)?.0.#field }, true)
        }
        Expr::CallOutput(field, _) => {
            let field = ident(field);
            (quote! { call.#field }, true)
        }
        Expr::StatusCode => (quote! { resp.status() }, false),
        Expr::ResponseBody {
            tokens,
            pointer,
            ty,
        } => (plan.output(tokens, pointer, ty), false),
        Expr::ResponseHeader(name) => (quote! { resp.header_value(#name)? }, false),
        Expr::ResponseText => (quote! { resp.text() }, false),
        Expr::Url => (quote! { resp.request_url() }, false),
        Expr::SourceUrl(index) => (quote! { cx.client.core.base_url_text(#index) }, false),
        Expr::SelfUri(uri) => (quote! { #uri.to_owned() }, false),
        Expr::Method => (quote! { resp.request_method() }, false),
        Expr::RequestHeader(name) => (quote! { resp.request_header(#name)? }, false),
        Expr::RequestQuery(name) => (quote! { resp.request_query(#name)? }, false),
        Expr::RequestPath(index, name) => (quote! { resp.request_path(#index, #name)? }, false),
        Expr::RequestBody(tokens) => (quote! { resp.request_body_at(&[ #( #tokens ),* ]) }, false),
        // `msg`: the message a receive step took (`rt::message::Received`).
        Expr::MessagePayload {
            tokens,
            pointer,
            ty,
        } => {
            let t = ty_tokens(ty);
            (
                quote! { msg.payload_at::<#t>(&[ #( #tokens ),* ], #pointer)? },
                false,
            )
        }
        Expr::MessageHeader { name, ty } => {
            let t = ty_tokens(ty);
            (quote! { msg.header_at::<#t>(#name)? }, false)
        }
    }
}

/// A Rust value of type `ty` for a schema `default` (checked to fit by the type mapper).
fn default_tokens(ty: &Ty, default: &Json) -> TokenStream {
    match (ty, default) {
        (Ty::Enum(name), Json::Str(s)) => {
            let name = ident(name);
            quote! { rt::serde_json::from_value::<#name>(#s.into()).map_err(rt::ErrorKind::Encode)? }
        }
        (Ty::Str, Json::Str(s)) => quote! { String::from(#s) },
        (Ty::I64, Json::Int(i)) => quote! { #i },
        (Ty::F64, Json::Int(i)) => {
            #[allow(clippy::cast_precision_loss)]
            let f = Literal::f64_suffixed(*i as f64);
            quote! { #f }
        }
        (Ty::F64, Json::Float(f)) => {
            let f = Literal::f64_suffixed(if f.is_finite() { *f } else { 0.0 });
            quote! { #f }
        }
        (Ty::Bool, Json::Bool(b)) => quote! { #b },
        _ => quote! { Default::default() },
    }
}

/// The expression's value, owned (a place is cloned).
pub(super) fn owned(e: &Expr, plan: &Plan) -> TokenStream {
    match expr_tokens(e, plan) {
        (t, true) => quote! { #t.clone() },
        (t, false) => t,
    }
}

/// A reference to the expression's value.
pub(super) fn borrowed(e: &Expr, plan: &Plan) -> TokenStream {
    match expr_tokens(e, plan) {
        (t, true) => quote! { &#t },
        (t, false) => quote! { &(#t) },
    }
}

/// A JSON literal of the document.
fn json_lit(v: &Json) -> TokenStream {
    match v {
        Json::Null => quote! { rt::serde_json::Value::Null },
        Json::Bool(b) => quote! { #b.into() },
        Json::Int(i) => quote! { #i.into() },
        Json::Float(f) => {
            let f = Literal::f64_suffixed(if f.is_finite() { *f } else { 0.0 });
            quote! { #f.into() }
        }
        Json::Str(s) => quote! { #s.into() },
        Json::Array(items) => {
            let items = items.iter().map(json_lit);
            quote! { rt::serde_json::Value::Array(::std::vec![ #( #items ),* ]) }
        }
        Json::Object(entries) => {
            let members = entries.iter().map(|(k, v)| {
                let v = json_lit(v);
                quote! { (#k, #v) }
            });
            quote! { rt::object([ #( #members ),* ]) }
        }
    }
}

/// A string with embedded expressions.
pub(super) fn template(parts: &[TemplatePart], plan: &Plan) -> TokenStream {
    let parts = parts.iter().map(|p| match p {
        TemplatePart::Lit(l) => quote! { &#l },
        TemplatePart::Expr(e) => param_ref(e, plan),
    });
    quote! { rt::concat(&[ #( #parts ),* ]) }
}

/// The pieces of a template whose substitutions the runtime escapes (`[rt::Piece; N]`).
pub(super) fn escaped_template(parts: &[TemplatePart], plan: &Plan) -> TokenStream {
    let parts = parts.iter().map(|p| match p {
        TemplatePart::Lit(l) => quote! { rt::Piece::Lit(#l) },
        TemplatePart::Expr(e) => {
            let v = param_ref(e, plan);
            quote! { rt::Piece::Value(#v) }
        }
    });
    quote! { [ #( #parts ),* ] }
}

/// A JSON value for a payload.
pub(super) fn json_value(v: &Value, plan: &Plan) -> TokenStream {
    match v {
        Value::Lit(j) => json_lit(j),
        Value::Expr(e) => {
            let b = borrowed(e, plan);
            quote! { rt::to_json(#b)? }
        }
        Value::Template(parts) => {
            let t = template(parts, plan);
            quote! { #t.into() }
        }
        Value::Array(items) => {
            let items = items.iter().map(|i| json_value(i, plan));
            quote! { rt::serde_json::Value::Array(::std::vec![ #( #items ),* ]) }
        }
        Value::Object(entries) => {
            let members = entries.iter().map(|(k, v)| {
                let v = json_value(v, plan);
                quote! { (#k, #v) }
            });
            quote! { rt::object([ #( #members ),* ]) }
        }
    }
}

/// A `&impl ParamValue` for an expression.
fn param_ref(e: &Expr, plan: &Plan) -> TokenStream {
    let b = borrowed(e, plan);
    if scalar(&e.ty()) {
        b
    } else {
        quote! { &rt::to_json(#b)? }
    }
}

/// An `impl IntoParam` for a parameter value: a place is borrowed (the request keeps the
/// reference, no copy), a computed value is passed by value.
pub(super) fn param_value(v: &Value, plan: &Plan) -> TokenStream {
    match v {
        Value::Lit(Json::Str(s)) => quote! { #s },
        Value::Lit(Json::Int(i)) => quote! { &#i },
        Value::Lit(Json::Bool(b)) => quote! { &#b },
        Value::Expr(e) => {
            let ty = e.ty();
            match expr_tokens(e, plan) {
                (place, true) if scalar(&ty) => quote! { &#place },
                (value, false) if scalar(&ty) && names_enum(&ty) => quote! { rt::owned(&(#value)) },
                (value, false) if scalar(&ty) => value,
                _ => {
                    let b = borrowed(e, plan);
                    quote! { rt::to_json(#b)? }
                }
            }
        }
        Value::Template(parts) => template(parts, plan),
        other => json_value(other, plan),
    }
}

/// Whether the type is (an `Option` of) a generated enum, which is a parameter through
/// `ParamValue` only.
fn names_enum(ty: &Ty) -> bool {
    match ty {
        Ty::Enum(_) => true,
        Ty::Option(t) | Ty::InModule(_, t) => names_enum(t),
        _ => false,
    }
}

/// Runs workflow `id` with this workflow's inputs (matched by name) and keeps its inputs and
/// outputs for `$workflows.<id>.…` (`dependsOn`).
pub(super) fn run_by_name(workflow: &ir::WorkflowRef) -> TokenStream {
    run_workflow(workflow, None, &Plan::none())
}

/// Runs workflow `id` with `inputs` (an action's parameters, their values read through
/// `plan`), or with this workflow's inputs matched by name when there are none, and keeps its
/// inputs and outputs for `$workflows.<id>.…` (`dependsOn`, an action that runs a workflow).
pub(super) fn run_workflow(
    workflow: &ir::WorkflowRef,
    inputs: Option<&[(String, Value)]>,
    plan: &Plan,
) -> TokenStream {
    let (id, module) = (&workflow.id, ident(&workflow.module));
    let inputs = match inputs {
        None => quote! { rt::inputs_by_name(#id, cx.inputs)? },
        Some(inputs) => passed_inputs(id, inputs, plan),
    };
    quote! {
        let inputs: super::#module::Inputs = #inputs;
        let outputs = Box::pin(super::#module::__run_at_depth(cx.client, inputs.clone(), cx.run.child())).await?;
        cx.ran.#module = Some((inputs, outputs));
    }
}

/// The inputs of workflow `id` from the values passed to them by name (a call step's or an
/// action's parameters), checked against its `Inputs` at run time.
pub(super) fn passed_inputs(id: &str, inputs: &[(String, Value)], plan: &Plan) -> TokenStream {
    let members = inputs.iter().map(|(name, value)| {
        let v = json_value(value, plan);
        quote! { (#name, #v) }
    });
    quote! { rt::callee_inputs(#id, rt::object([ #( #members ),* ]))? }
}
