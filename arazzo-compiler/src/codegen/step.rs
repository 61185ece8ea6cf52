//! One `async fn` per step (rustc then lays out one small state machine per step instead of
//! one whose size grows with the square of the step count). An operation step builds its
//! request, sends it, finds the first criterion that fails, runs its failure actions or
//! records its outputs and runs its success actions; a step that calls a workflow does the
//! same around the call.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::body::Plan;
use super::criteria::{ActionSite, Sent, actions, first_failed};
use super::value::{escaped_template, json_value, owned, param_value, passed_inputs, template};
use super::{doc, ident, next_step};
use crate::ir::{self, ParamIn, Value};
use crate::types::Ty;
use crate::yaml::serde_json_lite::Value as Json;

/// The name of the `static` that describes the step to the runtime.
pub(super) fn spec_name(step: &ir::Step) -> Ident {
    format_ident!("STEP_{}", step.ident.to_ascii_uppercase())
}

/// The name of the step's function.
pub(super) fn fn_name(step: &ir::Step) -> Ident {
    ident(&step.ident)
}

/// The step's `static StepSpec`: its operation, path template and security.
pub(super) fn spec(step: &ir::Step) -> TokenStream {
    let name = spec_name(step);
    let (id, operation, method) = (&step.id, &step.operation, &step.method);
    let source = Literal::usize_unsuffixed(step.source);
    let segments = step.path.iter().map(|segment| {
        let pieces = segment.iter().map(|p| match p {
            ir::PathPiece::Lit(l) => quote! { Lit(#l) },
            ir::PathPiece::Param(i) => {
                let i = Literal::usize_unsuffixed(*i);
                quote! { Param(#i) }
            }
        });
        quote! { &[ #( rt::PathPiece::#pieces ),* ] }
    });
    let security = step.security.iter().map(|alt| {
        let alt = alt.iter().map(|i| Literal::usize_unsuffixed(*i));
        quote! { &[ #( #alt ),* ] }
    });
    let keeps_request = step.reads_request();
    let body = super::payload::body_static(step);
    quote! {
        #body
        static #name: rt::StepSpec = rt::StepSpec {
            id: #id,
            operation: #operation,
            source: #source,
            method: #method,
            path: &[ #( #segments ),* ],
            security: &[ #( #security ),* ],
            keeps_request: #keeps_request,
        };
    }
}

/// The step's function; `next` is the index of the step that follows it in the document.
pub(super) fn step_fn(
    step: &ir::Step,
    brokers: &[super::message::BrokerEntry],
    index: usize,
    next: Option<usize>,
) -> TokenStream {
    let name = fn_name(step);
    // The step's description is on its outputs struct.
    let fn_doc = doc(&format!(
        "Step `{}`; see [`{}`].",
        step.id, step.outputs_struct
    ));
    let body = match (&step.call, &step.message) {
        (Some(call), _) => call_body(step, call, index, next),
        (None, Some(message)) => super::message::body(step, message, brokers, index, next),
        (None, None) => operation_body(step, index, next),
    };
    let started = super::in_flight::started_param(step);
    quote! {
        #fn_doc
        async fn #name(cx: &mut Cx<'_> #started) -> Result<Option<usize>, rt::Error> {
            #body
        }
    }
}

/// Builds the outputs struct, marks the step completed and keeps its outputs.
pub(super) fn record_outputs(step: &ir::Step, plan: &Plan) -> TokenStream {
    let outputs_struct = ident(&step.outputs_struct);
    let fields = step.outputs.iter().map(|o| {
        let f = ident(&o.ident);
        let v = owned(&o.expr, plan);
        quote! { #f: #v }
    });
    let field = ident(&step.ident);
    // Outputs named secret are masked from now on, like configured credentials.
    let masks = step.outputs.iter().filter(|o| o.secret).filter_map(|o| {
        let f = ident(&o.ident);
        match o.expr.ty() {
            Ty::Str => Some(quote! { cx.run.mask(&outputs.#f); }),
            Ty::Option(inner) if matches!(*inner, Ty::Str) => Some(quote! {
                if let Some(secret) = &outputs.#f {
                    cx.run.mask(secret);
                }
            }),
            _ => None,
        }
    });
    quote! {
        let outputs = #outputs_struct { #( #fields, )* };
        #( #masks )*
        cx.run.complete(step, &outputs);
        cx.progress.#field = Some(outputs);
    }
}

/// A step that calls an operation.
fn operation_body(step: &ir::Step, index: usize, next: Option<usize>) -> TokenStream {
    let spec = spec_name(step);
    let plan = Plan::of(step);
    let params = step.params.iter().map(|p| {
        let v = param_value(&p.value, &plan);
        let name = &p.name;
        match p.location {
            ParamIn::Path(i) => {
                let i = Literal::usize_unsuffixed(i);
                quote! { req.path_param(#i, #v); }
            }
            ParamIn::Query => match p.list {
                Some(ir::ListStyle { explode, delimiter }) => {
                    let json = json_value(&p.value, &plan);
                    quote! { req.query_list(#name, &#json, #explode, #delimiter); }
                }
                None if p.secret => quote! { req.secret_query(#name, #v); },
                None => quote! { req.query(#name, #v); },
            },
            ParamIn::Querystring { raw } => quote! { req.query_string(#v, #raw); },
            ParamIn::Header if p.secret => quote! { req.secret_header(#name, #v)?; },
            ParamIn::Header => quote! { req.header(#name, #v)?; },
            ParamIn::Cookie => quote! { req.secret_cookie(#name, #v); },
        }
    });
    let request_body = step.body.as_ref().map(|body| {
        let (content_type, value, replacements) =
            (&body.content_type, &body.payload, &body.replacements);
        if let Some(statements) = super::payload::statements(step, body, &plan) {
            return statements;
        }
        match body.kind {
            ir::BodyKind::Json if replacements.is_empty() => {
                let v = json_value(value, &plan);
                quote! { req.json_body(#content_type, &#v)?; }
            }
            ir::BodyKind::Json => {
                let v = json_value(value, &plan);
                let replace = super::payload::replacements(replacements, &plan);
                quote! {
                    let mut payload = #v;
                    #replace
                    req.json_body(#content_type, &payload)?;
                }
            }
            ir::BodyKind::Form => {
                let v = json_value(value, &plan);
                quote! { req.form_body(#content_type, &#v)?; }
            }
            ir::BodyKind::Text(escape) => {
                let text = match value {
                    Value::Template(parts) => match escape {
                        ir::TextEscape::Raw => template(parts, &plan),
                        ir::TextEscape::Form => {
                            let t = escaped_template(parts, &plan);
                            quote! { rt::escaped(rt::Escape::Form, &#t)? }
                        }
                        ir::TextEscape::Xml => {
                            let t = escaped_template(parts, &plan);
                            quote! { rt::escaped(rt::Escape::Xml, &#t)? }
                        }
                    },
                    Value::Lit(Json::Str(s)) => quote! { String::from(#s) },
                    _ => quote! { String::new() },
                };
                quote! { req.text_body(#content_type, #text); }
            }
            ir::BodyKind::Xml(_) | ir::BodyKind::Multipart(_) | ir::BodyKind::Bytes => {
                TokenStream::new()
            }
        }
    });
    let pick_before = plan.pick(true);
    // A step with failure actions lets them handle a missing response too.
    let handles = !step.on_failure.is_empty();
    let send = if handles {
        quote! { send_or_unanswered }
    } else {
        quote! { send }
    };
    let failed = first_failed(&step.criteria, &plan, Sent::Request { handles });
    let site = ActionSite {
        index,
        plan: &plan,
        response: true,
    };
    let error = quote! { cx.run.step_failed(step, criterion, resp) };
    let on_failure = actions(
        &step.on_failure,
        &site,
        Some(&error),
        quote! { return Err(#error); },
    );
    let pick_after = plan.pick(false);
    let record = record_outputs(step, &plan);
    let next = next_step(next);
    let on_success = actions(&step.on_success, &site, None, quote! { Ok(#next) });
    let timeout = step.timeout_millis.map(|millis| {
        let millis = Literal::u64_unsuffixed(millis);
        quote! { req.timeout(::std::time::Duration::from_millis(#millis)); }
    });
    quote! {
        let step = &#spec;
        let mut req = cx.run.request(step)?;
        #timeout
        #( #params )*
        #request_body
        let resp = cx.run.#send(step, req).await?;
        #pick_before
        #failed
        if let Some(criterion) = failed {
            #on_failure
        }
        #pick_after
        #record
        #on_success
    }
}

/// A step that calls another workflow of the document.
fn call_body(step: &ir::Step, call: &ir::Call, index: usize, next: Option<usize>) -> TokenStream {
    let spec = spec_name(step);
    let plan = Plan::none();
    let module = ident(&call.module);
    let callee = &call.workflow;
    let inputs = passed_inputs(callee, &call.inputs, &plan);
    let call = quote! {
        Box::pin(super::#module::__run_at_depth(cx.client, inputs.clone(), cx.run.child()))
    };
    // The step's `timeout` bounds the whole call; past it the call is abandoned.
    let called = match step.timeout_millis {
        None => quote! { #call.await },
        Some(millis) => quote! {{
            let limit = ::std::time::Duration::from_millis(#millis);
            match rt::within(limit, #call).await {
                Some(called) => called,
                None => Err(cx.run.step_timed_out(step, limit)),
            }
        }},
    };
    // The step fails when the call fails or a criterion does not hold.
    let conclude = conclude(
        step,
        index,
        next,
        called,
        quote! { call },
        quote! { cx.ran.#module = Some((inputs, call.clone())); },
        None,
    );
    quote! {
        let step = &#spec;
        cx.run.enter_step(step)?;
        let inputs: super::#module::Inputs = #inputs;
        #conclude
    }
}

/// What follows a step that called a workflow or sent or received a message: `outcome`
/// (a `Result<_, rt::Error>`) bound as `binding` when it is `Ok`, then `on_ok`, the criteria,
/// then the outputs and success actions, or the failure actions. With `absent`, the failure
/// actions see `binding` too: what came when criteria failed, else `absent` (a receive step
/// that got no message: its `$message` values are missing, like an unanswered response's).
pub(super) fn conclude(
    step: &ir::Step,
    index: usize,
    next: Option<usize>,
    outcome: TokenStream,
    binding: TokenStream,
    on_ok: TokenStream,
    absent: Option<TokenStream>,
) -> TokenStream {
    let plan = Plan::none();
    let failed = first_failed(&step.criteria, &plan, Sent::Call);
    let site = ActionSite {
        index,
        plan: &plan,
        response: false,
    };
    let record = record_outputs(step, &plan);
    let next = next_step(next);
    let on_success = actions(&step.on_success, &site, None, quote! { return Ok(#next); });
    let on_failure = actions(
        &step.on_failure,
        &site,
        Some(&quote! { error }),
        quote! { Err(error) },
    );
    let failed_by_criterion = quote! { cx.run.call_criterion_failed(step, criterion) };
    let (bound, by_criterion, by_error) = match absent {
        None => (quote! { error }, failed_by_criterion, quote! { error }),
        Some(absent) => (
            quote! { (error, #binding) },
            quote! { (#failed_by_criterion, #binding) },
            quote! { (error, #absent) },
        ),
    };
    quote! {
        let #bound = match #outcome {
            Ok(#binding) => {
                #on_ok
                #failed
                match failed {
                    None => {
                        #record
                        #on_success
                    }
                    Some(criterion) => #by_criterion,
                }
            }
            Err(error) => #by_error,
        };
        #on_failure
    }
}
