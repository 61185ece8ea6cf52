//! Criteria and the actions they choose: a success criterion becomes a Rust boolean
//! expression (typed comparisons, a regex or JSONPath compiled once into a `static`, an XPath
//! expression once per thread into a `thread_local!`), and a
//! step's actions become `if` statements that return the index of the step to run next.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::body::Plan;
use super::value::{borrowed, run_workflow, scalar};
use crate::condition::{Literal as CondLit, Op};
use crate::ir::{self, Cond, Expr, Operand};
use crate::types::Ty;

/// What a step did before its criteria are tested.
#[derive(Clone, Copy)]
pub(super) enum Sent {
    /// It sent a request; `handles`: its failure actions handle a step that got no response
    /// (they see status 0), so `resp` may be unanswered.
    Request {
        /// The step has failure actions.
        handles: bool,
    },
    /// It called a workflow.
    Call,
}

/// `let failed = …;`: the text of the first criterion that does not hold, if any
/// (`Some("")` stands for "no response").
pub(super) fn first_failed(criteria: &[ir::Criterion], plan: &Plan, sent: Sent) -> TokenStream {
    // `(test, text)` pairs: the first test that is true names the criterion that failed.
    let mut checks: Vec<(TokenStream, TokenStream)> = Vec::new();
    if let Sent::Request { handles: true } = sent {
        checks.push((quote! { !resp.answered() }, quote! { "" }));
    }
    for c in criteria {
        let text = &c.text;
        checks.push((fails(c, plan), quote! { #text }));
    }
    if criteria.is_empty() && matches!(sent, Sent::Request { .. }) {
        // No criteria: the status must be 2xx.
        checks.push((
            quote! { !(200..300).contains(&resp.status()) },
            quote! { "$statusCode is 2xx (no successCriteria given)" },
        ));
    }
    if checks.is_empty() {
        return quote! { let failed: Option<&str> = None; };
    }
    let (tests, texts): (Vec<_>, Vec<_>) = checks.into_iter().unzip();
    quote! {
        let failed = #( if #tests { Some(#texts) } else )* { None };
    }
}

/// The Rust test that a criterion does NOT hold (a negated comparison where that is exact).
fn fails(c: &ir::Criterion, plan: &Plan) -> TokenStream {
    if let ir::Test::Simple(Cond::Cmp(a, op, b)) = &c.test
        && let Some(test) = status_cmp(a, negate(*op), b)
    {
        return test;
    }
    let test = holds(c, plan);
    quote! { !#test }
}

/// A JSONPath query's context as an `Option<&serde_json::Value>`: the body is queried where
/// it lies (a body that is not JSON is `None` for a criterion, which then does not hold, and
/// an error for a selector, as for `$response.body#/p`); another context is converted to JSON
/// first.
pub(super) fn json_context(context: &Expr, plan: &Plan, criterion: bool) -> TokenStream {
    match context {
        Expr::ResponseBody { tokens, .. } if criterion => {
            quote! { resp.body_at(&[ #( #tokens ),* ]).ok().flatten() }
        }
        Expr::ResponseBody { tokens, .. } => quote! { resp.body_at(&[ #( #tokens ),* ])? },
        // A received message, read untyped like a response body (its schema's types are
        // generated only where a value is emitted).
        Expr::MessagePayload { tokens, .. } if criterion => {
            quote! { msg.payload_json(&[ #( #tokens ),* ]) }
        }
        Expr::MessageHeader { name, ty } if criterion => {
            let text = matches!(ty, Ty::Str | Ty::Enum(_))
                || matches!(ty, Ty::Option(inner) if matches!(**inner, Ty::Str | Ty::Enum(_)));
            quote! { msg.header_json(#name, #text).as_ref() }
        }
        other => {
            let b = borrowed(other, plan);
            quote! { Some(&rt::to_json(#b)?) }
        }
    }
}

/// The Rust test that a criterion holds.
pub(super) fn holds(c: &ir::Criterion, plan: &Plan) -> TokenStream {
    let text = &c.text;
    match &c.test {
        ir::Test::Simple(condition) => cond(condition, plan),
        ir::Test::Regex(typed) => {
            let context = operand(&Operand::Expr(typed.context.clone()), plan);
            match &typed.template {
                None => quote! {{
                    static PATTERN: ::std::sync::OnceLock<Option<rt::regex::Regex>> =
                        ::std::sync::OnceLock::new();
                    rt::criteria::regex_matches(&PATTERN, #text, &#context)
                }},
                Some(parts) => {
                    let pattern = condition_text(parts, plan);
                    quote! { rt::criteria::substituted_regex_matches(&#pattern, &#context) }
                }
            }
        }
        ir::Test::JsonPath(typed) => {
            let context = json_context(&typed.context, plan, true);
            match &typed.template {
                None => quote! {{
                    static QUERY: ::std::sync::OnceLock<Option<rt::serde_json_path::JsonPath>> =
                        ::std::sync::OnceLock::new();
                    rt::criteria::jsonpath_matches(&QUERY, #text, #context)
                }},
                Some(parts) => {
                    let query = condition_text(parts, plan);
                    quote! { rt::criteria::substituted_jsonpath_matches(&#query, #context) }
                }
            }
        }
        ir::Test::XPath(typed) => {
            let context = xpath_context(&typed.context, plan);
            match &typed.template {
                None => quote! {{
                    ::std::thread_local! {
                        static QUERY: rt::XPathCache = const { rt::XPathCache::new() };
                    }
                    rt::xpath_matches(&QUERY, #text, &#context)
                }},
                Some(parts) => {
                    let query = condition_text(parts, plan);
                    quote! { rt::substituted_xpath_matches(&#query, &#context) }
                }
            }
        }
    }
}

/// The context of an XPath criterion or selector as a criteria operand (its text is read as
/// XML): `$response.body` is the body's text whatever the media type (a step may accept JSON
/// and XML responses); another value as in a condition.
pub(super) fn xpath_context(context: &Expr, plan: &Plan) -> TokenStream {
    match context {
        Expr::ResponseText => quote! { resp.text_operand() },
        Expr::ResponseBody { tokens, .. } if tokens.is_empty() => quote! { resp.text_operand() },
        other => operand(&Operand::Expr(other.clone()), plan),
    }
}

/// The text of a condition with embedded expressions (a `String`): each value read as a
/// criterion operand (a response body value untyped, as a simple condition reads it) and
/// written as a template writes it (`rt::concat`; the operand's `ParamValue`).
fn condition_text(parts: &[ir::TemplatePart], plan: &Plan) -> TokenStream {
    let parts = parts.iter().map(|part| match part {
        ir::TemplatePart::Lit(text) => quote! { &#text },
        ir::TemplatePart::Expr(e) => {
            let value = operand(&Operand::Expr(e.clone()), plan);
            quote! { &#value }
        }
    });
    quote! { rt::concat(&[ #( #parts ),* ]) }
}

fn cond(c: &Cond, plan: &Plan) -> TokenStream {
    match c {
        Cond::Or(a, b) => {
            let (a, b) = (cond(a, plan), cond(b, plan));
            quote! { (#a || #b) }
        }
        Cond::And(a, b) => {
            let (a, b) = (cond(a, plan), cond(b, plan));
            quote! { (#a && #b) }
        }
        Cond::Not(a) => {
            let a = cond(a, plan);
            quote! { !(#a) }
        }
        Cond::Value(o) => {
            let o = operand(o, plan);
            quote! { rt::criteria::truthy(&#o) }
        }
        Cond::Cmp(a, op, b) => {
            if let Some(test) = status_cmp(a, *op, b) {
                return test;
            }
            let (a, b) = (operand(a, plan), operand(b, plan));
            let op = match op {
                Op::Eq => quote! { eq },
                Op::Ne => quote! { ne },
                Op::Lt => quote! { lt },
                Op::Le => quote! { le },
                Op::Gt => quote! { gt },
                Op::Ge => quote! { ge },
            };
            quote! { rt::criteria::#op(&#a, &#b) }
        }
    }
}

/// `$statusCode` compared with a whole number: plain integer comparison, which is exactly the
/// criteria semantics for two numbers (the status is never missing).
fn status_cmp(a: &Operand, op: Op, b: &Operand) -> Option<TokenStream> {
    let (op, number) = match (a, b) {
        (Operand::Expr(Expr::StatusCode), Operand::Lit(CondLit::Number(n))) => (op, *n),
        (Operand::Lit(CondLit::Number(n)), Operand::Expr(Expr::StatusCode)) => (flip(op), *n),
        _ => return None,
    };
    if number.fract() != 0.0 || !(0.0..=65535.0).contains(&number) {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let number = Literal::u16_unsuffixed(number as u16);
    let op = match op {
        Op::Eq => quote! { == },
        Op::Ne => quote! { != },
        Op::Lt => quote! { < },
        Op::Le => quote! { <= },
        Op::Gt => quote! { > },
        Op::Ge => quote! { >= },
    };
    Some(quote! { resp.status() #op #number })
}

/// The operator that holds exactly when `op` does not (for two numbers).
fn negate(op: Op) -> Op {
    match op {
        Op::Eq => Op::Ne,
        Op::Ne => Op::Eq,
        Op::Lt => Op::Ge,
        Op::Le => Op::Gt,
        Op::Gt => Op::Le,
        Op::Ge => Op::Lt,
    }
}

/// `a op b` written as `b op' a`.
fn flip(op: Op) -> Op {
    match op {
        Op::Lt => Op::Gt,
        Op::Le => Op::Ge,
        Op::Gt => Op::Lt,
        Op::Ge => Op::Le,
        other => other,
    }
}

fn operand(o: &Operand, plan: &Plan) -> TokenStream {
    match o {
        Operand::Lit(CondLit::Null) => quote! { rt::criteria::Operand::Null },
        Operand::Lit(CondLit::Bool(b)) => quote! { #b.into() },
        Operand::Lit(CondLit::Number(n)) => {
            let n = Literal::f64_suffixed(*n);
            quote! { #n.into() }
        }
        Operand::Lit(CondLit::Str(s)) => quote! { #s.into() },
        Operand::Expr(Expr::ResponseBody { tokens, .. }) => plan.operand(tokens),
        Operand::Expr(Expr::ResponseHeader(name)) => quote! { resp.header_operand(#name) },
        Operand::Expr(Expr::ResponseText) => quote! { resp.text_operand() },
        // A received message (`msg`), read untyped like a response body.
        Operand::Expr(Expr::MessagePayload { tokens, .. }) => {
            quote! { msg.payload_operand(&[ #( #tokens ),* ]) }
        }
        Operand::Expr(Expr::MessageHeader { name, .. }) => quote! { msg.header_operand(#name) },
        Operand::Expr(e) if scalar(&e.ty()) => {
            let b = borrowed(e, plan);
            quote! { rt::criteria::operand(#b) }
        }
        Operand::Expr(e) => {
            let b = borrowed(e, plan);
            quote! { rt::criteria::Operand::Json(::std::borrow::Cow::Owned(rt::to_json(#b)?)) }
        }
    }
}

/// What the actions of a step may use.
pub(super) struct ActionSite<'a> {
    /// The step's index (a `retry` without `stepId` retries it).
    pub(super) index: usize,
    /// How the step reads its body.
    pub(super) plan: &'a Plan,
    /// The step has a response (`resp`) that criteria and `Retry-After` may read.
    pub(super) response: bool,
}

/// The success or failure actions of a step, then `fallback`: `if` statements of which the
/// first whose criteria hold returns the step to run next (or the error). `failure` is the
/// expression of the step's error, which an `end` after a failure returns. An action without
/// criteria always applies: what would follow it is left out.
pub(super) fn actions(
    actions: &[ir::Action],
    site: &ActionSite<'_>,
    failure: Option<&TokenStream>,
    fallback: TokenStream,
) -> TokenStream {
    let mut out = TokenStream::new();
    for (position, action) in actions.iter().enumerate() {
        let (statement, always) = action_statement(position, action, site, failure);
        out.extend(statement);
        if always {
            return out;
        }
    }
    out.extend(fallback);
    out
}

/// One action as a statement, and whether it always applies (no criteria, no retry limit).
fn action_statement(
    position: usize,
    action: &ir::Action,
    site: &ActionSite<'_>,
    failure: Option<&TokenStream>,
) -> (TokenStream, bool) {
    let tests: Vec<TokenStream> = action
        .criteria
        .iter()
        .map(|c| holds(c, site.plan))
        .collect();
    let always = tests.is_empty();
    let name = &action.name;
    let body = match &action.kind {
        ir::ActionKind::End => match failure {
            None => quote! {
                rt::tracing::debug!(action = #name, "end");
                return Ok(None);
            },
            Some(error) => quote! {
                rt::tracing::debug!(action = #name, "end after failure");
                return Err(#error);
            },
        },
        ir::ActionKind::Goto(target) => {
            let target = Literal::usize_unsuffixed(*target);
            quote! {
                rt::tracing::debug!(action = #name, target = #target, "goto");
                return Ok(Some(#target));
            }
        }
        ir::ActionKind::GotoWorkflow(workflow) => {
            let run = run_workflow(workflow, action.inputs.as_deref(), site.plan);
            let id = &workflow.id;
            quote! {
                rt::tracing::debug!(action = #name, workflow = #id, "goto workflow");
                #run
                return Ok(None);
            }
        }
        ir::ActionKind::Retry {
            target,
            workflow,
            after,
            limit,
        } => {
            let target = Literal::usize_unsuffixed(target.unwrap_or(site.index));
            // `retry` naming a workflow runs it first, then retries the step.
            let first = workflow.as_ref().map(|workflow| {
                let run = run_workflow(workflow, action.inputs.as_deref(), site.plan);
                let id = &workflow.id;
                quote! {
                    rt::tracing::debug!(action = #name, workflow = #id, "run before retry");
                    #run
                }
            });
            let after = match after {
                Some(a) => {
                    let a = Literal::f64_suffixed(*a);
                    quote! { Some(#a) }
                }
                None => quote! { None },
            };
            let response = if site.response {
                quote! { Some(&resp) }
            } else {
                quote! { None }
            };
            // `position` identifies the action among the step's failure actions.
            let position = Literal::usize_unsuffixed(position);
            let limit = Literal::u32_unsuffixed(*limit);
            let retry = quote! { cx.run.take_retry(step, #position, #limit) };
            let tests = tests.iter().chain(std::iter::once(&retry));
            let statement = quote! {
                if #( #tests )&&* {
                    rt::tracing::debug!(action = #name, "retry");
                    cx.run.retry_delay(#after, #response).await?;
                    #first
                    return Ok(Some(#target));
                }
            };
            return (statement, false);
        }
    };
    if always {
        (body, true)
    } else {
        (quote! { if #( #tests )&&* { #body } }, false)
    }
}
