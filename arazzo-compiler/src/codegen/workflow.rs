//! One module per workflow: its types, `Progress`, the per-run state `Cx`, the steps'
//! functions and `run`, which drives them: a loop over step indexes (ready for `goto` and
//! `retry`), one error boundary that gives every error the run's context, and the workflow's
//! outputs.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::body::Plan;
use super::step::{spec, spec_name, step_fn};
use super::types::{enum_def, outputs_struct, struct_def, union_def};
use super::value::{owned, run_by_name};
use super::{doc, ident, ty_tokens};
use crate::ir::{self, Expr};
use crate::types::Ty;

/// The module of workflow `wf`.
pub(super) fn workflow(wf: &ir::Workflow, brokers: &[super::message::BrokerEntry]) -> TokenStream {
    let module = ident(&wf.module);
    let id = &wf.id;
    let module_doc = doc(&if wf.doc.is_empty() {
        format!("Workflow `{id}`.")
    } else {
        format!("Workflow `{id}`.\n\n{}", wf.doc)
    });
    let structs = wf.space.structs.iter().map(|def| {
        if def.name == "Inputs" && def.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            let mut def = def.clone();
            def.doc = Some(format!("Inputs of workflow `{id}`."));
            struct_def(&def)
        } else {
            struct_def(def)
        }
    });
    let enums = wf.space.enums.iter().map(enum_def);
    let unions = wf.space.unions.iter().map(union_def);
    let outputs = outputs_struct(
        "Outputs",
        &format!("Outputs of workflow `{id}`."),
        &wf.outputs,
    );
    let step_structs = wf.steps.iter().map(|s| {
        let text = if s.doc.is_empty() {
            format!("Outputs of step `{}`.", s.id)
        } else {
            format!("Outputs of step `{}`.\n\n{}", s.id, s.doc)
        };
        outputs_struct(&s.outputs_struct, &text, &s.outputs)
    });
    let progress = progress(wf);
    let state = state(wf);
    let specs = wf.steps.iter().map(spec);
    let step_fns = wf
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| step_fn(s, brokers, i, wf.step_after(i)));
    let arm = super::message::arm_fn(wf, brokers);
    let run = run(wf, arm.is_some());
    quote! {
        #module_doc
        #[allow(clippy::all, unused_variables, unused_mut, unused_imports, unused_parens, non_camel_case_types)]
        pub mod #module {
            use ::arazzo::__private as rt;

            #( #structs )*
            #( #enums )*
            #( #unions )*
            #outputs
            #( #step_structs )*
            #progress
            #state
            #run
            #arm
            #( #specs )*
            #( #step_fns )*
        }
    }
}

/// `Progress`: one `Option` per step, the outputs of the steps that completed, and the
/// requests the run sent with what came of each.
fn progress(wf: &ir::Workflow) -> TokenStream {
    let fields = wf.steps.iter().map(|s| {
        let field = ident(&s.ident);
        let ty = ident(&s.outputs_struct);
        let text = format!(
            " Outputs of step `{}`, once it has completed (answered, outputs decoded).",
            s.id
        );
        quote! {
            #[doc = #text]
            pub #field: Option<#ty>
        }
    });
    quote! {
        /// What a run has done so far: one field per step with the outputs of the steps that
        /// completed, and [`Progress::sent_requests`], every request sent with what came of
        /// it. A failed run keeps it in its error: see [`Progress::of`].
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct Progress {
            #( #fields, )*
            // No step's field ends in `_`.
            sent_: Vec<rt::SentRequest>,
        }

        impl Progress {
            /// The outputs of the steps that completed before `error`, when `error` came from
            /// this workflow's [`run`] (each `Some` step ran: its side effects happened).
            pub fn of(error: &rt::Error) -> Option<&Progress> {
                error.progress::<Progress>()
            }

            /// The requests this run sent, its called workflows' included, in order, with what
            /// came of each: no answer, answered (a status, outputs not decoded) or decoded.
            pub fn sent_requests(&self) -> &[rt::SentRequest] {
                &self.sent_
            }
        }
    }
}

/// `Cx`, the state one run hands from step to step, and `Ran`, the inputs and outputs of the
/// workflows it ran (`dependsOn`, steps and actions that run workflows), for
/// `$workflows.<id>.…`.
fn state(wf: &ir::Workflow) -> TokenStream {
    let inputs = ty_tokens(&wf.inputs);
    let receives = wf.steps.iter().any(|s| {
        s.message
            .as_ref()
            .is_some_and(|m| m.action == ir::MessageAction::Receive)
    });
    let (armed_field, armed_struct) = if receives {
        (quote! { armed: Armed, }, super::message::armed_struct(wf))
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let (pending_field, pending) = if super::in_flight::any(wf) {
        (quote! { pending: Pending, }, super::in_flight::items(wf))
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let ran = wf.ran.iter().map(|w| {
        let m = ident(&w.module);
        quote! { #m: Option<(super::#m::Inputs, super::#m::Outputs)> }
    });
    if wf.ran.is_empty() {
        return quote! {
            /// The state of one run.
            struct Cx<'a> {
                client: &'a super::Client,
                inputs: &'a #inputs,
                run: rt::Run<'a>,
                progress: Progress,
                #armed_field
                #pending_field
            }
            #armed_struct
            #pending
        };
    }
    quote! {
        /// The state of one run.
        struct Cx<'a> {
            client: &'a super::Client,
            inputs: &'a #inputs,
            run: rt::Run<'a>,
            progress: Progress,
            ran: Ran,
            #armed_field
            #pending_field
        }
        #armed_struct
        #pending

        /// The workflows this run ran, with their inputs and outputs.
        #[derive(Default)]
        struct Ran {
            #( #ran, )*
        }
    }
}

/// `run`, the entry point, and what nested calls and other workflows' preflight use.
fn run(wf: &ir::Workflow, armed: bool) -> TokenStream {
    let id = &wf.id;
    let inputs = ty_tokens(&wf.inputs);
    let run_doc = doc(&format!(
        "Runs workflow `{id}`: {}.\n\nFails with an [`Error`](::arazzo::Error) naming the step; \
         before sending anything when a credential is missing.",
        wf.steps
            .iter()
            .map(|s| format!("`{}`", s.id))
            .collect::<Vec<_>>()
            .join(", then ")
    ));
    let specs: Vec<Ident> = wf.steps.iter().map(spec_name).collect();
    let callees: Vec<Ident> = wf.ran.iter().map(|w| ident(&w.module)).collect();
    let preflight = if callees.is_empty() {
        quote! { run.preflight(&[ #( &#specs ),* ]) }
    } else {
        quote! {
            run.preflight(&[ #( &#specs ),* ])?;
            #( super::#callees::__preflight(run)?; )*
            Ok(())
        }
    };
    let masks = secret_masks(wf);
    let prerequisites = wf.depends_on.iter().map(run_by_name);
    let arms = (0..wf.steps.len()).map(|i| {
        let run = super::in_flight::arm(wf, i);
        let i = Literal::usize_unsuffixed(i);
        quote! { #i => #run, }
    });
    let outputs = workflow_outputs(wf);
    let ran_init = (!wf.ran.is_empty()).then(|| quote! { ran: Ran::default(), });
    let armed_init = armed.then(|| quote! { armed: Armed::default(), });
    let pending_init = super::in_flight::any(wf).then(|| quote! { pending: Pending::default(), });
    // Receive steps' subscriptions are armed before the step that may cause their message.
    let arm = armed.then(|| quote! { arm(cx).await?; });
    let steps_loop = quote! {
        while let Some(index) = next {
            #arm
            next = match index {
                #( #arms )*
                _ => None,
            };
        }
    };
    let steps_loop = if super::in_flight::any(wf) {
        let join_all = super::in_flight::join_all(wf);
        quote! {
            let mut next = Some(0);
            loop {
                #steps_loop
                // Receive steps still in flight complete before the outputs.
                next = #join_all;
            }
        }
    } else {
        quote! {
            let mut next = Some(0);
            #steps_loop
        }
    };
    quote! {
        #run_doc
        pub async fn run(client: &super::Client, inputs: #inputs) -> Result<Outputs, rt::Error> {
            __run_at_depth(client, inputs, rt::Nesting::TOP).await
        }

        rt::journaled_workflow!(#id, #inputs);

        /// Checks that the client has the credentials of every step this workflow (and the
        /// workflows it runs) may run; not a public API.
        #[doc(hidden)]
        pub fn __preflight(run: &rt::Run<'_>) -> Result<(), rt::Error> {
            #preflight
        }

        /// [`run`] for a call from another workflow, at `nesting`; not a public API.
        #[doc(hidden)]
        pub async fn __run_at_depth(client: &super::Client, inputs: #inputs, nesting: rt::Nesting<'_>) -> Result<Outputs, rt::Error> {
            let mut run = rt::Run::start(&client.core, #id, nesting, __preflight)?;
            #( #masks )*
            let span = run.span();
            let mut cx = Cx { client, inputs: &inputs, run, progress: Progress::default(), #ran_init #armed_init #pending_init };
            let result = rt::tracing::Instrument::instrument(steps(&mut cx), span).await;
            // A failed run keeps what its completed steps returned and what it sent.
            result.map_err(|error| {
                let error = cx.run.locate(error);
                cx.progress.sent_ = cx.run.sent_requests();
                error.with_progress(cx.progress)
            })
        }

        /// The steps, from the first until one ends the workflow, then the outputs.
        async fn steps(cx: &mut Cx<'_>) -> Result<Outputs, rt::Error> {
            #( #prerequisites )*
            #steps_loop
            cx.run.leave_steps();
            #outputs
        }
    }
}

/// `run.mask(…)` for each secret string input, so its value is masked in error excerpts and
/// logged URLs.
fn secret_masks(wf: &ir::Workflow) -> Vec<TokenStream> {
    wf.input_fields()
        .iter()
        .filter(|f| f.secret)
        .filter_map(|f| {
            let field = ident(&f.ident);
            match &f.ty {
                Ty::Str => Some(quote! { run.mask(&inputs.#field); }),
                Ty::Option(inner) if matches!(**inner, Ty::Str) => Some(quote! {
                    if let Some(secret) = &inputs.#field {
                        run.mask(secret);
                    }
                }),
                _ => None,
            }
        })
        .collect()
}

/// The workflow's outputs. On success the steps' outputs are not needed any more: when every
/// workflow output is a distinct field of the outputs of a step that every successful run
/// runs, they are moved out instead of cloned (when a step did not run after all, nothing is
/// moved and the error names it). An output of a step a path skips is an `Option`.
fn workflow_outputs(wf: &ir::Workflow) -> TokenStream {
    let plan = Plan::none();
    let cloned = || {
        let fields = wf.outputs.iter().map(|o| {
            let f = ident(&o.ident);
            let v = owned(&o.expr, &plan);
            quote! { #f: #v }
        });
        quote! { Ok(Outputs { #( #fields, )* }) }
    };
    let mut steps: Vec<(&str, &str)> = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for o in &wf.outputs {
        let Expr::StepOutput {
            step,
            id,
            field,
            optional: false,
            ..
        } = &o.expr
        else {
            return cloned();
        };
        if seen.contains(&(step.as_str(), field.as_str())) {
            return cloned();
        }
        seen.push((step, field));
        if !steps.iter().any(|(s, _)| s == step) {
            steps.push((step, id));
        }
    }
    if steps.is_empty() {
        return cloned();
    }
    let step_fields: Vec<Ident> = steps.iter().map(|(s, _)| ident(s)).collect();
    let fields = wf.outputs.iter().filter_map(|o| {
        let Expr::StepOutput { step, field, .. } = &o.expr else {
            return None;
        };
        let (out, step, field) = (ident(&o.ident), ident(step), ident(field));
        Some(quote! { #out: #step.#field })
    });
    // The first step that did not run (the last one when all others did).
    let (tests, ids): (Vec<Ident>, Vec<&str>) = steps
        .iter()
        .take(steps.len() - 1)
        .map(|(step, id)| (ident(step), *id))
        .unzip();
    let last = steps.last().map_or("", |(_, id)| *id);
    quote! {
        let progress = &mut cx.progress;
        match ( #( progress.#step_fields.take(), )* ) {
            ( #( Some(#step_fields), )* ) => Ok(Outputs { #( #fields, )* }),
            ( #( #step_fields, )* ) => {
                ( #( progress.#step_fields, )* ) = ( #( #step_fields, )* );
                #( rt::completed(&progress.#tests, #ids)?; )*
                Err(rt::ErrorKind::StepNotRun(#last).into())
            }
        }
    }
}
