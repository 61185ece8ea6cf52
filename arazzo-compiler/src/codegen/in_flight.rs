//! Receive steps in flight ([`crate::check`]'s `in_flight` decides which): the run's
//! `Pending` (when each was reached), a `join_<step>` function per step that waits for it,
//! and the match arms that start them and wait for them.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::step::fn_name;
use super::{ident, next_step};
use crate::ir;

/// The in-flight steps of `wf`, with their indexes.
fn in_flight(wf: &ir::Workflow) -> impl Iterator<Item = (usize, &ir::Step)> {
    wf.steps.iter().enumerate().filter(|(_, s)| s.in_flight)
}

/// Whether `wf` has a receive step in flight (its `Cx` then has `pending`).
pub(super) fn any(wf: &ir::Workflow) -> bool {
    in_flight(wf).next().is_some()
}

fn join_name(step: &ir::Step) -> Ident {
    format_ident!("join_{}", step.ident)
}

/// `struct Pending` (the `Cx` field `pending`) and a `join_<step>` function per in-flight step.
pub(super) fn items(wf: &ir::Workflow) -> TokenStream {
    if !any(wf) {
        return TokenStream::new();
    }
    let fields = in_flight(wf).map(|(_, s)| {
        let field = ident(&s.ident);
        quote! { #field: Option<::std::time::Instant> }
    });
    let joins = in_flight(wf).map(|(index, s)| {
        let field = ident(&s.ident);
        let name = join_name(s);
        let step = fn_name(s);
        let after = next_step(wf.step_after(index));
        let text = format!(
            " Waits for step `{}`, in flight since the run reached it: `Some(next)` when its \
             actions lead elsewhere than the step after it.",
            s.id
        );
        quote! {
            #[doc = #text]
            async fn #name(cx: &mut Cx<'_>) -> Result<Option<Option<usize>>, rt::Error> {
                let Some(started) = cx.pending.#field.take() else {
                    return Ok(None);
                };
                let next = #step(cx, started).await?;
                Ok((next != #after).then_some(next))
            }
        }
    });
    quote! {
        /// When each receive step in flight was reached (its `timeout` counts from there).
        #[derive(Default)]
        struct Pending {
            #( #fields, )*
        }

        #( #joins )*
    }
}

/// The match arm body of step `index`: an in-flight step is started (after waiting for its
/// previous pass, if still pending); a step that waits for in-flight steps joins them first.
pub(super) fn arm(wf: &ir::Workflow, index: usize) -> TokenStream {
    let step = &wf.steps[index];
    let joins: Vec<Ident> = step
        .joins
        .iter()
        .chain(step.in_flight.then_some(&index))
        .map(|i| join_name(&wf.steps[*i]))
        .collect();
    let run = if step.in_flight {
        let field = ident(&step.ident);
        let after = next_step(wf.step_after(index));
        quote! {
            cx.pending.#field = Some(::std::time::Instant::now());
            #after
        }
    } else {
        let name = fn_name(step);
        quote! { #name(cx).await? }
    };
    if joins.is_empty() {
        return run;
    }
    quote! {
        'step: {
            #( if let Some(next) = #joins(cx).await? { break 'step next; } )*
            #run
        }
    }
}

/// After the steps: the receive steps still in flight complete before the outputs (one of
/// them may lead back into the steps); empty without any.
pub(super) fn join_all(wf: &ir::Workflow) -> TokenStream {
    let mut joined = quote! { break };
    for (_, step) in in_flight(wf).collect::<Vec<_>>().into_iter().rev() {
        let name = join_name(step);
        joined = quote! {
            match #name(cx).await? {
                Some(next) => next,
                None => #joined,
            }
        };
    }
    joined
}

/// The extra parameter of an in-flight step's function: when it was reached.
pub(super) fn started_param(step: &ir::Step) -> TokenStream {
    if step.in_flight {
        quote! { , started: ::std::time::Instant }
    } else {
        TokenStream::new()
    }
}

/// The limit a receive step waits for its message: its `timeout`, counted from when it was
/// reached for an in-flight one.
pub(super) fn receive_limit(step: &ir::Step, millis: u64) -> TokenStream {
    let millis = Literal::u64_unsuffixed(millis);
    if step.in_flight {
        quote! { ::std::time::Duration::from_millis(#millis).saturating_sub(started.elapsed()) }
    } else {
        quote! { ::std::time::Duration::from_millis(#millis) }
    }
}
