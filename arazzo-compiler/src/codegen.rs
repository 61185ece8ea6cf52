//! Code generation: the checked program becomes Rust tokens.
//!
//! Generated code names the runtime only as `::arazzo::__private::…`, so the user's crate
//! needs `arazzo` (and an async executor) and nothing else.

use std::path::PathBuf;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::condition::{Literal as CondLit, Op};
use crate::ir::{self, Cond, Expr, Operand, ParamIn, TemplatePart, Value};
use crate::openapi::Scheme;
use crate::types::{EnumDef, StructDef, Ty};
use crate::yaml::serde_json_lite::Value as Json;

/// An identifier from a name the compiler already sanitized; never panics.
fn ident(name: &str) -> Ident {
    let valid = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_";
    if valid {
        Ident::new(name, Span::call_site())
    } else {
        let cleaned: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
        format_ident!("x_{}", cleaned)
    }
}

fn doc(text: &str) -> TokenStream {
    if text.trim().is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|l| format!(" {l}"));
    quote! { #( #[doc = #lines] )* }
}

fn rt() -> TokenStream {
    quote! { ::arazzo::__private }
}

fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::I64 => quote! { i64 },
        Ty::F64 => quote! { f64 },
        Ty::Bool => quote! { bool },
        Ty::Str => quote! { ::std::string::String },
        Ty::U16 => quote! { u16 },
        Ty::Vec(t) => {
            let t = ty_tokens(t);
            quote! { ::std::vec::Vec<#t> }
        }
        Ty::Map(t) => {
            let t = ty_tokens(t);
            quote! { ::std::collections::BTreeMap<::std::string::String, #t> }
        }
        Ty::Option(t) => {
            let t = ty_tokens(t);
            quote! { ::std::option::Option<#t> }
        }
        Ty::Json => quote! { ::arazzo::__private::serde_json::Value },
        Ty::Named(n) | Ty::Enum(n) => {
            let n = ident(n);
            quote! { #n }
        }
        Ty::InModule(module, inner) => {
            let module = ident(module);
            let inner = ty_tokens(inner);
            quote! { super::#module::#inner }
        }
    }
}

/// Whether a value of this type can be passed to `ParamValue`/`AsOperand` directly.
fn scalar(ty: &Ty) -> bool {
    match ty {
        Ty::I64 | Ty::F64 | Ty::Bool | Ty::Str | Ty::U16 | Ty::Json | Ty::Enum(_) => true,
        Ty::Option(t) | Ty::InModule(_, t) => scalar(t),
        _ => false,
    }
}

fn upper(name: &str) -> String {
    name.to_ascii_uppercase()
}

pub use crate::names::BUILDER_METHODS;

/// Generates the whole document: tracking consts, `Client`, builder, one module per workflow.
pub fn generate(program: &ir::Program, files: &[PathBuf]) -> TokenStream {
    let rt = rt();
    let tracked = files
        .iter()
        .filter_map(|p| p.to_str())
        .map(|p| quote! { const _: &[u8] = include_bytes!(#p); });
    let client_doc = doc(&program.doc);
    let sources = program.sources.iter().map(|s| {
        let name = &s.name;
        let method = &s.base_url_method;
        let default = match &s.default_url {
            Some(u) => quote! { ::std::option::Option::Some(#u) },
            None => quote! { ::std::option::Option::None },
        };
        quote! { #rt::SourceSpec { name: #name, default_base_url: #default, base_url_method: #method } }
    });
    let schemes = program.schemes.iter().map(|s| {
        let source = s.source;
        let name = &s.name;
        let method = &s.method;
        let kind = match &s.kind {
            Scheme::Basic => quote! { #rt::SchemeKind::HttpBasic },
            Scheme::Bearer => quote! { #rt::SchemeKind::HttpBearer },
            Scheme::ApiKey { location, name } => {
                let loc = match location.as_str() {
                    "query" => quote! { #rt::ApiKeyLocation::Query },
                    "cookie" => quote! { #rt::ApiKeyLocation::Cookie },
                    _ => quote! { #rt::ApiKeyLocation::Header },
                };
                quote! { #rt::SchemeKind::ApiKey { location: #loc, name: #name } }
            }
            Scheme::Unsupported(_) => quote! { #rt::SchemeKind::HttpBasic },
        };
        quote! { #rt::SchemeSpec { source: #source, name: #name, kind: #kind, builder_method: #method } }
    });
    let base_url_methods = program.sources.iter().enumerate().map(|(i, s)| {
        let method = ident(&s.base_url_method);
        let text = format!(
            "Sets the base URL of source description `{}` (default: {}).",
            s.name,
            s.default_url.as_deref().map_or("none; it must be set".to_owned(), |u| format!("`{u}`"))
        );
        quote! {
            #[doc = #text]
            pub fn #method(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.core.base_url(#i, url.into());
                self
            }
        }
    });
    let credential_methods = program.schemes.iter().enumerate().map(|(i, s)| {
        let method = ident(&s.method);
        let source = &program.sources[s.source].name;
        let mut text = format!(
            "Credential for security scheme `{}` of source description `{source}`, required by {}.",
            s.name,
            s.operations.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", ")
        );
        if let Some(d) = &s.doc {
            text.push_str("\n\n");
            text.push_str(d.trim());
        }
        let text = doc(&text);
        match &s.kind {
            Scheme::Basic => quote! {
                #text
                pub fn #method(
                    mut self,
                    username: impl ::std::convert::Into<::std::string::String>,
                    password: impl ::std::convert::Into<::std::string::String>,
                ) -> Self {
                    self.core.credential(#i, #rt::Credential::Basic {
                        username: username.into(),
                        password: #rt::Secret::new(password),
                    });
                    self
                }
            },
            Scheme::Bearer => quote! {
                #text
                pub fn #method(mut self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.core.credential(#i, #rt::Credential::Bearer(#rt::Secret::new(token)));
                    self
                }
            },
            _ => quote! {
                #text
                pub fn #method(mut self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.core.credential(#i, #rt::Credential::ApiKey(#rt::Secret::new(key)));
                    self
                }
            },
        }
    });
    let workflows = program.workflows.iter().map(workflow);
    quote! {
        const _: () = {
            // Makes cargo rebuild this crate when any document changes.
            #( #tracked )*
        };

        #client_doc
        ///
        /// Built with [`Client::builder`]; cheap to clone (the connection pool is shared).
        #[derive(Clone, Debug)]
        pub struct Client {
            core: #rt::ClientCore,
        }

        static __ARAZZO_SOURCES: &[#rt::SourceSpec] = &[ #( #sources ),* ];
        static __ARAZZO_SCHEMES: &[#rt::SchemeSpec] = &[ #( #schemes ),* ];

        impl Client {
            /// Starts configuring a client: base URLs default to each source's first server.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { core: #rt::ClientCoreBuilder::new(__ARAZZO_SOURCES, __ARAZZO_SCHEMES) }
            }
        }

        /// Configures a [`Client`]: base URLs, credentials, timeouts and limits.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            core: #rt::ClientCoreBuilder,
        }

        impl ClientBuilder {
            /// Uses this `reqwest::Client` (connection pool, proxy and TLS settings) for all requests.
            pub fn http_client(mut self, client: #rt::reqwest::Client) -> Self {
                self.core.http_client(client);
                self
            }

            /// Sets the timeout of each request, from connecting to reading the whole body (default 30 s).
            pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.core.request_timeout(timeout);
                self
            }

            /// Sets the largest response body accepted, in bytes (default 8 MiB).
            pub fn max_body_bytes(mut self, limit: usize) -> Self {
                self.core.max_body_bytes(limit);
                self
            }

            /// Sets how many steps one run may execute before failing (default 1,000).
            pub fn step_budget(mut self, steps: usize) -> Self {
                self.core.step_budget(steps);
                self
            }

            /// Sets the longest wait before a retry, whatever `retryAfter` or a server's
            /// `Retry-After` say (default 60 s).
            pub fn max_retry_delay(mut self, delay: ::std::time::Duration) -> Self {
                self.core.max_retry_delay(delay);
                self
            }

            /// Bounds a whole run: every step, retry wait and called workflow (no bound by
            /// default). Past it the run fails with `ErrorKind::WorkflowTimeout`.
            pub fn workflow_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.core.workflow_timeout(timeout);
                self
            }

            /// Resends idempotent requests that failed in transport or got 429/503, with
            /// jittered exponential backoff (off by default; see [`::arazzo::RetryPolicy`]).
            pub fn retry_policy(mut self, policy: #rt::RetryPolicy) -> Self {
                self.core.retry_policy(policy);
                self
            }

            #( #base_url_methods )*
            #( #credential_methods )*

            /// Validates the configuration (base URLs) and builds the client.
            pub fn build(self) -> ::std::result::Result<Client, #rt::Error> {
                ::std::result::Result::Ok(Client { core: self.core.build()? })
            }
        }

        #( #workflows )*
    }
}

fn struct_def(def: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let struct_doc = doc(def.doc.as_deref().unwrap_or(""));
    let fields = def.fields.iter().map(|f| {
        let ident = ident(&f.ident);
        let ty = ty_tokens(&f.ty);
        let json = &f.json_name;
        let fdoc = doc(f.doc.as_deref().unwrap_or(""));
        let optional = if matches!(f.ty, Ty::Option(_)) {
            quote! { #[serde(default, skip_serializing_if = "::std::option::Option::is_none")] }
        } else {
            TokenStream::new()
        };
        quote! {
            #fdoc
            #[serde(rename = #json)]
            #optional
            pub #ident: #ty
        }
    });
    let derives = quote! { Clone, PartialEq, ::arazzo::__private::serde::Serialize, ::arazzo::__private::serde::Deserialize };
    if !def.fields.iter().any(|f| f.secret) {
        return quote! {
            #struct_doc
            #[derive(Debug, #derives)]
            #[serde(crate = "::arazzo::__private::serde")]
            pub struct #name {
                #( #fields, )*
            }
        };
    }
    // Secret fields show `***` in `Debug`, so they cannot leak through logs or panics.
    let shown = def.fields.iter().map(|f| {
        let field = ident(&f.ident);
        let label = &f.ident;
        if f.secret {
            quote! { .field(#label, &::std::format_args!("***")) }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    let label = &def.name;
    quote! {
        #struct_doc
        #[derive(#derives)]
        #[serde(crate = "::arazzo::__private::serde")]
        pub struct #name {
            #( #fields, )*
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #( #shown )* .finish()
            }
        }
    }
}

fn enum_def(def: &EnumDef) -> TokenStream {
    let rt = rt();
    let name = ident(&def.name);
    let enum_doc = doc(def.doc.as_deref().unwrap_or(""));
    let variants = def.variants.iter().map(|(v, json)| {
        let v = ident(v);
        let text = format!("`{json}`");
        quote! {
            #[doc = #text]
            #[serde(rename = #json)]
            #v
        }
    });
    let arms: Vec<TokenStream> = def
        .variants
        .iter()
        .map(|(v, json)| {
            let v = ident(v);
            quote! { #name::#v => #json }
        })
        .collect();
    quote! {
        #enum_doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::arazzo::__private::serde::Serialize, ::arazzo::__private::serde::Deserialize)]
        #[serde(crate = "::arazzo::__private::serde")]
        pub enum #name {
            #( #variants, )*
        }

        impl #name {
            /// The value as written in the schema.
            pub fn as_str(&self) -> &'static str {
                match self { #( #arms, )* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl #rt::ParamValue for #name {
            fn param_text(&self) -> ::std::option::Option<::std::borrow::Cow<'_, str>> {
                ::std::option::Option::Some(::std::borrow::Cow::Borrowed(self.as_str()))
            }
        }

        impl #rt::criteria::AsOperand for #name {
            fn as_operand(&self) -> #rt::criteria::Operand<'_> {
                #rt::criteria::Operand::Str(::std::borrow::Cow::Borrowed(self.as_str()))
            }
        }
    }
}

fn outputs_struct(name: &str, text: &str, outputs: &[ir::Output]) -> TokenStream {
    let def = StructDef {
        name: name.to_owned(),
        doc: Some(text.to_owned()),
        fields: outputs
            .iter()
            .map(|o| crate::types::Field {
                ident: o.ident.clone(),
                json_name: o.name.clone(),
                ty: o.expr.ty(),
                doc: Some(format!("`{}`: `{}`", o.name, o.source)),
                default: None,
                secret: false,
                required: true,
            })
            .collect(),
    };
    struct_def(&def)
}

fn workflow(wf: &ir::Workflow) -> TokenStream {
    let rt = rt();
    let module = ident(&wf.module);
    let id = &wf.id;
    let module_doc = doc(&format!(
        "Workflow `{id}`.{}",
        if wf.doc.is_empty() {
            String::new()
        } else {
            format!("\n\n{}", wf.doc)
        }
    ));
    let structs = wf.space.structs.iter().map(struct_def);
    let enums = wf.space.enums.iter().map(enum_def);
    let outputs_def = outputs_struct(
        "Outputs",
        &format!("Outputs of workflow `{id}`."),
        &wf.outputs,
    );
    // A step's description (the document's own words) follows the generated sentence.
    let described = |text: String, s: &ir::Step| {
        if s.doc.is_empty() {
            text
        } else {
            format!("{text}\n\n{}", s.doc)
        }
    };
    let step_structs = wf.steps.iter().map(|s| {
        outputs_struct(
            &s.outputs_struct,
            &described(format!("Outputs of step `{}`.", s.id), s),
            &s.outputs,
        )
    });
    let state_fields = wf.steps.iter().map(|s| {
        let f = ident(&s.ident);
        let t = ident(&s.outputs_struct);
        let d = doc(&described(
            format!("Outputs of step `{}`, once it has completed.", s.id),
            s,
        ));
        quote! {
            #d
            pub #f: ::std::option::Option<#t>
        }
    });
    let specs = wf.steps.iter().map(step_spec);
    let spec_refs: Vec<Ident> = wf
        .steps
        .iter()
        .map(|s| format_ident!("STEP_{}", upper(&s.ident)))
        .collect();
    let inputs_ty = ty_tokens(&wf.inputs);
    // Each step is its own `async fn`: rustc then lays out one small state machine per step
    // instead of one whose size and compile time grow with the square of the step count.
    let step_fns = wf.steps.iter().enumerate().map(|(i, s)| {
        let next = (i + 1 < wf.steps.len()).then_some(i + 1);
        let body = step_body(s, i, next);
        let name = format_ident!("__step_{}", i);
        quote! {
            async fn #name(
                client: &super::Client,
                inputs: &#inputs_ty,
                __run: &mut #rt::Run<'_>,
                __state: &mut Progress,
                __ran: &mut RanWorkflows,
            ) -> ::std::result::Result<::std::option::Option<usize>, #rt::Error> {
                use #rt::criteria::AsOperand as _;
                ::std::result::Result::Ok({ #body })
            }
        }
    });
    let arms = (0..wf.steps.len()).map(|i| {
        let name = format_ident!("__step_{}", i);
        quote! { #i => #name(client, &inputs, &mut __run, &mut __state, &mut __ran).await?, }
    });
    let out_fields = wf.outputs.iter().map(|o| {
        let f = ident(&o.ident);
        let v = owned(&o.expr, Ctx::Workflow);
        quote! { #f: #v }
    });
    let move_outputs = move_outputs(wf);
    let run_doc = doc(&format!(
        "Runs workflow `{id}`: {}.\n\nFails with an [`::arazzo::__private::Error`] naming the step, before sending anything when a credential is missing.",
        wf.steps
            .iter()
            .map(|s| format!("`{}`", s.id))
            .collect::<Vec<_>>()
            .join(", then ")
    ));
    let masks = secret_masks(wf);
    // Every workflow this one may run: prerequisites and called workflows.
    let callee_modules: Vec<Ident> = wf.ran.iter().map(|(_, m)| ident(m)).collect();
    let ran_fields = callee_modules
        .iter()
        .map(|m| quote! { #m: ::std::option::Option<(super::#m::Inputs, super::#m::Outputs)> });
    let prerequisites = wf
        .depends_on
        .iter()
        .map(|(id, module)| run_by_name(id, module, Ctx::Workflow));
    quote! {
        #module_doc
        #[allow(clippy::all, unused_variables, unused_mut, unused_imports)]
        pub mod #module {
            #( #structs )*
            #( #enums )*
            #outputs_def
            #( #step_structs )*

            #[derive(Default)]
            struct RanWorkflows {
                #( #ran_fields, )*
            }

            /// The outputs of the steps that have completed, one field per step: what a run has
            /// done so far. A failed run keeps it in its error: see [`Progress::of`].
            #[derive(Debug, Clone, Default, PartialEq)]
            #[non_exhaustive]
            pub struct Progress {
                #( #state_fields, )*
            }

            impl Progress {
                /// The outputs of the steps that completed before `error`, when `error` came
                /// from this workflow's [`run`] (each `Some` step ran: its side effects
                /// happened).
                pub fn of(error: &#rt::Error) -> ::std::option::Option<&Progress> {
                    error.progress::<Progress>()
                }
            }

            #( #specs )*

            #( #step_fns )*

            #run_doc
            pub async fn run(client: &super::Client, inputs: #inputs_ty) -> ::std::result::Result<Outputs, #rt::Error> {
                __run_at_depth(client, inputs, #rt::Nesting::TOP).await
            }

            /// Checks the credentials of every step this workflow (and the workflows it calls)
            /// may run. Used before the first request; not a public API.
            #[doc(hidden)]
            pub fn __preflight(run: &#rt::Run<'_>) -> ::std::result::Result<(), #rt::Error> {
                run.preflight(&[ #( &#spec_refs ),* ])?;
                #( super::#callee_modules::__preflight(run)?; )*
                ::std::result::Result::Ok(())
            }

            /// [`run`] for a call from another workflow, at `__nesting`; not a public API.
            #[doc(hidden)]
            pub async fn __run_at_depth(client: &super::Client, inputs: #inputs_ty, __nesting: #rt::Nesting) -> ::std::result::Result<Outputs, #rt::Error> {
                use #rt::criteria::AsOperand as _;
                let span = #rt::tracing::info_span!("arazzo.workflow", workflow = #id, depth = __nesting.depth());
                #rt::tracing::Instrument::instrument(async move {
                    let __top = __nesting.depth() == 0;
                    let mut __run = #rt::Run::nested(&client.core, #id, __nesting)?;
                    #( #masks )*
                    if __top {
                        __preflight(&__run)?;
                    }
                    let mut __state = Progress::default();
                    let __result: ::std::result::Result<Outputs, #rt::Error> = async {
                        let mut __ran = RanWorkflows::default();
                        #( { #prerequisites } )*
                        let mut __next: ::std::option::Option<usize> = ::std::option::Option::Some(0);
                        while let ::std::option::Option::Some(__index) = __next {
                            __next = match __index {
                                #( #arms )*
                                _ => ::std::option::Option::None,
                            };
                        }
                        #move_outputs
                        ::std::result::Result::Ok(Outputs { #( #out_fields, )* })
                    }.await;
                    // A failed run keeps what its completed steps returned.
                    __result.map_err(|e| e.with_progress(__state))
                }, span).await
            }
        }
    }
}

/// On success the steps' outputs are not needed any more: when every workflow output is a
/// distinct step output field, they are moved into `Outputs` instead of cloned. If a step did
/// not run, nothing is moved and the cloning path after this reports `StepNotRun`.
fn move_outputs(wf: &ir::Workflow) -> TokenStream {
    let mut steps: Vec<&str> = Vec::new();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for o in &wf.outputs {
        let Expr::StepOutput(step, _, field, _) = &o.expr else {
            return TokenStream::new();
        };
        if seen.contains(&(step.as_str(), field.as_str())) {
            return TokenStream::new();
        }
        seen.push((step, field));
        if !steps.contains(&step.as_str()) {
            steps.push(step);
        }
    }
    if steps.is_empty() {
        return TokenStream::new();
    }
    let step_idents: Vec<Ident> = steps.iter().map(|s| ident(s)).collect();
    let binds: Vec<Ident> = (0..steps.len())
        .map(|i| format_ident!("__taken_{}", i))
        .collect();
    let fields = wf.outputs.iter().filter_map(|o| {
        let Expr::StepOutput(step, _, field, _) = &o.expr else {
            return None;
        };
        let bind = &binds[steps.iter().position(|s| s == step)?];
        let (out, field) = (ident(&o.ident), ident(field));
        Some(quote! { #out: #bind.#field })
    });
    quote! {
        match ( #( __state.#step_idents.take(), )* ) {
            ( #( ::std::option::Option::Some(#binds), )* ) => {
                return ::std::result::Result::Ok(Outputs { #( #fields, )* });
            }
            ( #( #binds, )* ) => {
                #( __state.#step_idents = #binds; )*
            }
        }
    }
}

/// `__run.mask(…)` for each secret string input, so its value is masked in error excerpts and
/// logged URLs.
fn secret_masks(wf: &ir::Workflow) -> Vec<TokenStream> {
    wf.input_fields()
        .iter()
        .filter(|f| f.secret)
        .filter_map(|f| {
            let field = ident(&f.ident);
            match &f.ty {
                Ty::Str => Some(quote! { __run.mask(&inputs.#field); }),
                Ty::Option(inner) if matches!(**inner, Ty::Str) => Some(quote! {
                    if let ::std::option::Option::Some(__secret) = &inputs.#field {
                        __run.mask(__secret);
                    }
                }),
                _ => None,
            }
        })
        .collect()
}

fn step_spec(step: &ir::Step) -> TokenStream {
    let rt = rt();
    let name = format_ident!("STEP_{}", upper(&step.ident));
    let id = &step.id;
    let operation = &step.operation;
    let source = step.source;
    let method = &step.method;
    let segments = step.path.iter().map(|segment| {
        let pieces = segment.iter().map(|p| match p {
            ir::PathPiece::Lit(l) => quote! { #rt::PathPiece::Lit(#l) },
            ir::PathPiece::Param(i) => quote! { #rt::PathPiece::Param(#i) },
        });
        quote! { &[ #( #pieces ),* ] }
    });
    let path_params = step.path_params;
    let security = step.security.iter().map(|alt| quote! { &[ #( #alt ),* ] });
    let keeps_request = step.reads_request();
    quote! {
        static #name: #rt::StepSpec = #rt::StepSpec {
            id: #id,
            operation: #operation,
            source: #source,
            method: #method,
            path: &[ #( #segments ),* ],
            path_params: #path_params,
            security: &[ #( #security ),* ],
            keeps_request: #keeps_request,
        };
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    /// Inside a step: `__step` is in scope, and `__resp` after the response.
    Step,
    /// Workflow outputs: only inputs and step outputs.
    Workflow,
}

/// An `Error` from an `ErrorKind` expression, with the run's context: the current step's
/// inside a step, the workflow's otherwise.
fn ctx_error(ctx: Ctx, kind: &TokenStream) -> TokenStream {
    match ctx {
        Ctx::Step => quote! { __run.step_error(__step, #kind) },
        Ctx::Workflow => quote! { __run.workflow_error(#kind) },
    }
}

/// `.map_err(…)?` turning an `ErrorKind` into the run's `Error`.
fn map_err(ctx: Ctx) -> TokenStream {
    let error = ctx_error(ctx, &quote! { k });
    quote! { .map_err(|k| #error)? }
}

/// Runs workflow `id` with this workflow's inputs (matched by name) and keeps its outputs
/// (`dependsOn`, `goto` a workflow).
fn run_by_name(id: &str, module: &str, ctx: Ctx) -> TokenStream {
    let rt = rt();
    let module = ident(module);
    let err = map_err(ctx);
    let inputs_error = ctx_error(
        ctx,
        &quote! { #rt::ErrorKind::CalleeInputs { workflow: #id, source: e } },
    );
    quote! {
        let __inputs: super::#module::Inputs =
            #rt::serde_json::from_value(#rt::to_json(&inputs) #err).map_err(|e| #inputs_error)?;
        let __outputs = ::std::boxed::Box::pin(super::#module::__run_at_depth(
            client,
            ::std::clone::Clone::clone(&__inputs),
            __run.child(),
        ))
        .await?;
        __ran.#module = ::std::option::Option::Some((__inputs, __outputs));
    }
}

/// `(tokens, is_place)`: a place expression (borrowable) or a computed value.
fn expr_tokens(e: &Expr, ctx: Ctx) -> (TokenStream, bool) {
    let rt = rt();
    let err = map_err(ctx);
    match e {
        Expr::Input(path, _) => {
            let path = path.iter().map(|p| ident(p));
            (quote! { inputs #( .#path )* }, true)
        }
        Expr::At(inner, tokens) => {
            let value = borrowed(inner, ctx);
            (
                quote! { #rt::json_at(#value, &[ #( #tokens ),* ]) #err },
                false,
            )
        }
        Expr::StepOutput(step, id, field, _) => {
            let step = ident(step);
            let field = ident(field);
            let missing = ctx_error(ctx, &quote! { #rt::ErrorKind::StepNotRun(#id) });
            (
                quote! { __state.#step.as_ref().ok_or_else(|| #missing)?.#field },
                true,
            )
        }
        Expr::InputOr(path, ty, default) => {
            let path = path.iter().map(|p| ident(p));
            let fallback = default_tokens(ty, default, ctx);
            (
                quote! {
                    match ::std::clone::Clone::clone(&inputs #( .#path )*) {
                        ::std::option::Option::Some(__given) => __given,
                        ::std::option::Option::None => #fallback,
                    }
                },
                false,
            )
        }
        Expr::InputJson(path, tokens) => {
            let path = path.iter().map(|p| ident(p));
            (
                quote! { #rt::json_at(&inputs #( .#path )*, &[ #( #tokens ),* ]) #err },
                false,
            )
        }
        Expr::WorkflowOutput(id, module, field, _) => {
            let module = ident(module);
            let field = ident(field);
            let missing = ctx_error(ctx, &quote! { #rt::ErrorKind::WorkflowNotRun(#id) });
            (
                quote! { __ran.#module.as_ref().ok_or_else(|| #missing)?.1.#field },
                true,
            )
        }
        Expr::WorkflowInput(id, module, field, _) => {
            let module = ident(module);
            let field = ident(field);
            let missing = ctx_error(ctx, &quote! { #rt::ErrorKind::WorkflowNotRun(#id) });
            (
                quote! { __ran.#module.as_ref().ok_or_else(|| #missing)?.0.#field },
                true,
            )
        }
        Expr::CallOutput(field, _) => {
            let field = ident(field);
            (quote! { __call.#field }, true)
        }
        Expr::StatusCode => (quote! { __resp.status() }, false),
        Expr::ResponseBody(tokens, text, ty) => {
            let t = ty_tokens(ty);
            let expected = ty.rust();
            (
                quote! { __resp.extract::<#t>(&[ #( #tokens ),* ], #text, #expected) #err },
                false,
            )
        }
        Expr::ResponseHeader(name) => (quote! { __resp.header_value(#name) #err }, false),
        Expr::Url => (quote! { __resp.request_url() }, false),
        Expr::SourceUrl(index) => (
            quote! {
                client.core.base_url(#index).map(::std::string::ToString::to_string).unwrap_or_default()
            },
            false,
        ),
        Expr::Method => (quote! { __resp.request_method() }, false),
        Expr::RequestHeader(name) => (quote! { __resp.request_header(#name) #err }, false),
        Expr::RequestQuery(name) => (quote! { __resp.request_query(#name) #err }, false),
        Expr::RequestPath(index, name) => {
            (quote! { __resp.request_path(#index, #name) #err }, false)
        }
        Expr::RequestBody(tokens) => (
            quote! { __resp.request_body_at(&[ #( #tokens ),* ]) },
            false,
        ),
    }
}

/// A Rust literal of type `ty` for a schema `default` (checked to fit by the type mapper).
fn default_tokens(ty: &Ty, default: &Json, ctx: Ctx) -> TokenStream {
    let rt = rt();
    match (ty, default) {
        (Ty::Enum(name), Json::Str(s)) => {
            let name = ident(name);
            let err = map_err(ctx);
            quote! {
                #rt::serde_json::from_value::<#name>(#rt::serde_json::Value::String(::std::string::String::from(#s)))
                    .map_err(#rt::ErrorKind::Encode) #err
            }
        }
        (Ty::Str, Json::Str(s)) => quote! { ::std::string::String::from(#s) },
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
        _ => quote! { ::std::default::Default::default() },
    }
}

fn owned(e: &Expr, ctx: Ctx) -> TokenStream {
    match expr_tokens(e, ctx) {
        (t, true) => quote! { ::std::clone::Clone::clone(&#t) },
        (t, false) => t,
    }
}

fn borrowed(e: &Expr, ctx: Ctx) -> TokenStream {
    match expr_tokens(e, ctx) {
        (t, true) => quote! { &#t },
        (t, false) => quote! { &(#t) },
    }
}

fn json_lit(v: &Json) -> TokenStream {
    let rt = rt();
    match v {
        Json::Null => quote! { #rt::serde_json::Value::Null },
        Json::Bool(b) => quote! { #rt::serde_json::Value::Bool(#b) },
        Json::Int(i) => quote! { #rt::serde_json::Value::from(#i) },
        Json::Float(f) => {
            let f = Literal::f64_suffixed(if f.is_finite() { *f } else { 0.0 });
            quote! { #rt::serde_json::Value::from(#f) }
        }
        Json::Str(s) => quote! { #rt::serde_json::Value::String(::std::string::String::from(#s)) },
        Json::Array(items) => {
            let items = items.iter().map(json_lit);
            quote! { #rt::serde_json::Value::Array(::std::vec![ #( #items ),* ]) }
        }
        Json::Object(entries) => {
            let inserts = entries.iter().map(|(k, v)| {
                let v = json_lit(v);
                quote! { __map.insert(::std::string::String::from(#k), #v); }
            });
            quote! {{
                let mut __map = #rt::serde_json::Map::new();
                #( #inserts )*
                #rt::serde_json::Value::Object(__map)
            }}
        }
    }
}

fn template(parts: &[TemplatePart], ctx: Ctx) -> TokenStream {
    let rt = rt();
    let pushes = parts.iter().map(|p| match p {
        TemplatePart::Lit(l) => quote! { __text.push_str(#l); },
        TemplatePart::Expr(e) => {
            let v = param_ref(e, ctx);
            quote! {
                if let ::std::option::Option::Some(__part) = #rt::ParamValue::param_text(#v) {
                    __text.push_str(&__part);
                }
            }
        }
    });
    quote! {{
        let mut __text = ::std::string::String::new();
        #( #pushes )*
        __text
    }}
}

/// A JSON value for a payload.
fn json_value(v: &Value, ctx: Ctx) -> TokenStream {
    let rt = rt();
    let err = map_err(ctx);
    match v {
        Value::Lit(j) => json_lit(j),
        Value::Expr(e) => {
            let b = borrowed(e, ctx);
            quote! { #rt::to_json(#b) #err }
        }
        Value::Template(parts) => {
            let t = template(parts, ctx);
            quote! { #rt::serde_json::Value::String(#t) }
        }
        Value::Array(items) => {
            let items = items.iter().map(|i| json_value(i, ctx));
            quote! { #rt::serde_json::Value::Array(::std::vec![ #( #items ),* ]) }
        }
        Value::Object(entries) => {
            let inserts = entries.iter().map(|(k, v)| {
                let v = json_value(v, ctx);
                quote! { __map.insert(::std::string::String::from(#k), #v); }
            });
            quote! {{
                let mut __map = #rt::serde_json::Map::new();
                #( #inserts )*
                #rt::serde_json::Value::Object(__map)
            }}
        }
    }
}

/// A `&impl ParamValue` for an expression.
fn param_ref(e: &Expr, ctx: Ctx) -> TokenStream {
    let rt = rt();
    if scalar(&e.ty()) {
        borrowed(e, ctx)
    } else {
        let b = borrowed(e, ctx);
        let err = map_err(ctx);
        quote! { &#rt::to_json(#b) #err }
    }
}

/// A `&impl ParamValue` for a parameter value.
fn param_value(v: &Value, ctx: Ctx) -> TokenStream {
    match v {
        Value::Lit(Json::Str(s)) => quote! { #s },
        Value::Lit(Json::Int(i)) => quote! { &#i },
        Value::Lit(Json::Bool(b)) => quote! { &#b },
        Value::Expr(e) => param_ref(e, ctx),
        Value::Template(parts) => {
            let t = template(parts, ctx);
            quote! { &#t }
        }
        other => {
            let j = json_value(other, ctx);
            quote! { &#j }
        }
    }
}

fn operand(o: &Operand) -> TokenStream {
    let rt = rt();
    match o {
        Operand::Lit(CondLit::Null) => quote! { #rt::criteria::Operand::Null },
        Operand::Lit(CondLit::Bool(b)) => quote! { #rt::criteria::Operand::Bool(#b) },
        Operand::Lit(CondLit::Number(n)) => {
            let n = Literal::f64_suffixed(*n);
            quote! { #rt::criteria::Operand::Number(#n) }
        }
        Operand::Lit(CondLit::Str(s)) => {
            quote! { #rt::criteria::Operand::Str(::std::borrow::Cow::Borrowed(#s)) }
        }
        Operand::Expr(Expr::ResponseBody(tokens, _, _)) => {
            quote! { __resp.body_operand(&[ #( #tokens ),* ]) }
        }
        Operand::Expr(Expr::ResponseHeader(name)) => quote! { __resp.header_operand(#name) },
        Operand::Expr(e) if scalar(&e.ty()) => {
            let b = borrowed(e, Ctx::Step);
            quote! { (#b).as_operand() }
        }
        Operand::Expr(e) => {
            let b = borrowed(e, Ctx::Step);
            let err = map_err(Ctx::Step);
            quote! { #rt::criteria::Operand::Json(::std::borrow::Cow::Owned(#rt::to_json(#b) #err)) }
        }
    }
}

fn cond(c: &Cond) -> TokenStream {
    let rt = rt();
    match c {
        Cond::Or(a, b) => {
            let (a, b) = (cond(a), cond(b));
            quote! { (#a || #b) }
        }
        Cond::And(a, b) => {
            let (a, b) = (cond(a), cond(b));
            quote! { (#a && #b) }
        }
        Cond::Not(a) => {
            let a = cond(a);
            quote! { (!#a) }
        }
        Cond::Value(o) => {
            let o = operand(o);
            quote! { #rt::criteria::truthy(&#o) }
        }
        Cond::Cmp(a, op, b) => {
            let (a, b) = (operand(a), operand(b));
            let op = match op {
                Op::Eq => quote! { Eq },
                Op::Ne => quote! { Ne },
                Op::Lt => quote! { Lt },
                Op::Le => quote! { Le },
                Op::Gt => quote! { Gt },
                Op::Ge => quote! { Ge },
            };
            quote! { #rt::criteria::compare(&#a, #rt::criteria::CmpOp::#op, &#b) }
        }
    }
}

/// Builds the step's outputs struct, marks the step completed and keeps its outputs.
fn record_outputs(step: &ir::Step) -> TokenStream {
    let outputs_struct = ident(&step.outputs_struct);
    let fields = step.outputs.iter().map(|o| {
        let f = ident(&o.ident);
        let v = owned(&o.expr, Ctx::Step);
        quote! { #f: #v }
    });
    let state_field = ident(&step.ident);
    quote! {
        let __outputs = #outputs_struct { #( #fields, )* };
        __run.complete(__step);
        __state.#state_field = ::std::option::Option::Some(__outputs);
    }
}

/// The index of the step that runs next, as an `Option<usize>` expression.
fn next_step(next_index: Option<usize>) -> TokenStream {
    match next_index {
        Some(n) => quote! { ::std::option::Option::Some(#n) },
        None => quote! { ::std::option::Option::None },
    }
}

/// A step that calls another workflow of the document.
fn call_body(
    step: &ir::Step,
    call: &ir::Call,
    index: usize,
    next_index: Option<usize>,
) -> TokenStream {
    let rt = rt();
    let spec = format_ident!("STEP_{}", upper(&step.ident));
    let module = ident(&call.module);
    let callee = &call.workflow;
    let inserts = call.inputs.iter().map(|(name, value)| {
        let v = json_value(value, Ctx::Step);
        quote! { __map.insert(::std::string::String::from(#name), #v); }
    });
    // The first criterion that fails, if any.
    let checks = step.criteria.iter().map(|c| {
        let test = criterion_test(c);
        let text = &c.text;
        quote! {
            if !#test {
                ::std::option::Option::Some(#text)
            } else
        }
    });
    let failed = if step.criteria.is_empty() {
        quote! { ::std::option::Option::None }
    } else {
        quote! { #( #checks )* { ::std::option::Option::None } }
    };
    let record = record_outputs(step);
    let next = next_step(next_index);
    let no_response = quote! { ::std::option::Option::None };
    let on_success = actions_chain(&step.on_success, index, &next, true, &no_response);
    // Failure: a criterion is false, or the called workflow failed (its error is kept).
    let criterion_failure = actions_chain(
        &step.on_failure,
        index,
        &quote! { return ::std::result::Result::Err(__run.call_criterion_failed(__step, __criterion)) },
        false,
        &no_response,
    );
    let callee_failure = actions_chain(
        &step.on_failure,
        index,
        &quote! { return ::std::result::Result::Err(__error) },
        false,
        &no_response,
    );
    quote! {
        let __step = &#spec;
        __run.enter_step(__step)?;
        let __callee_inputs: super::#module::Inputs = {
            let mut __map = #rt::serde_json::Map::new();
            #( #inserts )*
            #rt::serde_json::from_value(#rt::serde_json::Value::Object(__map))
                .map_err(|e| __run.callee_inputs_error(__step, #callee, e))?
        };
        match ::std::boxed::Box::pin(super::#module::__run_at_depth(client, ::std::clone::Clone::clone(&__callee_inputs), __run.child())).await {
            ::std::result::Result::Ok(__call) => {
                __ran.#module = ::std::option::Option::Some((__callee_inputs, ::std::clone::Clone::clone(&__call)));
                let __failed: ::std::option::Option<&'static str> = #failed;
                match __failed {
                    ::std::option::Option::None => {
                        #record
                        #on_success
                    }
                    ::std::option::Option::Some(__criterion) => {
                        #criterion_failure
                    }
                }
            }
            ::std::result::Result::Err(__error) => {
                #callee_failure
            }
        }
    }
}

fn step_body(step: &ir::Step, index: usize, next_index: Option<usize>) -> TokenStream {
    if let Some(call) = &step.call {
        return call_body(step, call, index, next_index);
    }
    let rt = rt();
    let spec = format_ident!("STEP_{}", upper(&step.ident));
    let err = map_err(Ctx::Step);
    let params = step.params.iter().map(|p| {
        let v = param_value(&p.value, Ctx::Step);
        let name = &p.name;
        match p.location {
            ParamIn::Path(i) => quote! { __req.path_param(#i, #v); },
            ParamIn::Query => match p.list {
                Some((explode, delimiter)) => {
                    let json = json_value(&p.value, Ctx::Step);
                    quote! { __req.query_list(#name, &#json, #explode, #delimiter); }
                }
                None => quote! { __req.query(#name, #v); },
            },
            ParamIn::Header => quote! { __req.header(#name, #v) #err; },
            ParamIn::Cookie => quote! { __req.cookie(#name, #v); },
        }
    });
    let body = step
        .body
        .as_ref()
        .map(|(content_type, kind, value, replacements)| match kind {
            ir::BodyKind::Json => {
                let v = json_value(value, Ctx::Step);
                let replace = replacements.iter().map(|(tokens, value)| {
                    let value = json_value(value, Ctx::Step);
                    quote! { #rt::replace_at(&mut __body, &[ #( #tokens ),* ], #value) #err; }
                });
                let binding = if replacements.is_empty() {
                    quote! { let __body = #v; }
                } else {
                    quote! { let mut __body = #v; }
                };
                quote! {
                    #binding
                    #( #replace )*
                    __req.json_body(#content_type, &__body) #err;
                }
            }
            ir::BodyKind::Form => {
                let v = json_value(value, Ctx::Step);
                quote! {
                    let __body = #v;
                    __req.form_body(#content_type, &__body) #err;
                }
            }
            ir::BodyKind::Text => {
                let text = match value {
                    Value::Template(parts) => template(parts, Ctx::Step),
                    Value::Lit(Json::Str(s)) => quote! { ::std::string::String::from(#s) },
                    _ => quote! { ::std::string::String::new() },
                };
                quote! { __req.text_body(#content_type, #text); }
            }
        });
    // The first criterion that fails, if any (no criteria: the status must be 2xx).
    let failed = if step.criteria.is_empty() {
        quote! {
            if (200..300).contains(&__resp.status()) {
                ::std::option::Option::None
            } else {
                ::std::option::Option::Some("$statusCode is 2xx (no successCriteria given)")
            }
        }
    } else {
        let checks = step.criteria.iter().map(|c| {
            let test = criterion_test(c);
            let text = &c.text;
            quote! {
                if !#test {
                    ::std::option::Option::Some(#text)
                } else
            }
        });
        quote! { #( #checks )* { ::std::option::Option::None } }
    };
    let record = record_outputs(step);
    let next = next_step(next_index);
    let response = quote! { ::std::option::Option::Some(&__resp) };
    let on_success = actions_chain(&step.on_success, index, &next, true, &response);
    // Without an applicable failure action: the transport error if no response came, else
    // the criterion that failed.
    let on_failure = actions_chain(
        &step.on_failure,
        index,
        &quote! {
            return ::std::result::Result::Err(match __unanswered {
                ::std::option::Option::Some(__error) => __error,
                ::std::option::Option::None => __run.criterion_failed(__step, __criterion, &__resp),
            })
        },
        false,
        &response,
    );
    quote! {
        let __step = &#spec;
        __run.enter_step(__step)?;
        let mut __req = __run.request(__step);
        #( #params )*
        #body
        // `__unanswered`: the step got no response; its failure actions see status 0.
        let (__resp, __unanswered) = __run.send(__step, __req).await?;
        let __failed: ::std::option::Option<&'static str> = if __unanswered.is_some() {
            ::std::option::Option::Some("")
        } else {
            #failed
        };
        match __failed {
            ::std::option::Option::None => {
                #record
                #on_success
            }
            ::std::option::Option::Some(__criterion) => {
                #on_failure
            }
        }
    }
}

/// The Rust test of one criterion: a simple condition, or a regex / JSONPath match whose
/// pattern is compiled once into a `static`.
fn criterion_test(c: &ir::Criterion) -> TokenStream {
    let rt = rt();
    let text = &c.text;
    match &c.test {
        ir::Test::Simple(condition) => cond(condition),
        ir::Test::Regex(context) => {
            let context = operand(&Operand::Expr(context.clone()));
            quote! {{
                static __PATTERN: ::std::sync::OnceLock<::std::option::Option<#rt::regex::Regex>> =
                    ::std::sync::OnceLock::new();
                #rt::criteria::regex_matches(&__PATTERN, #text, &#context)
            }}
        }
        ir::Test::JsonPath(context) => {
            let value = match context {
                Expr::ResponseBody(tokens, _, _) => {
                    quote! { __resp.body_at(&[ #( #tokens ),* ]).ok().flatten().cloned() }
                }
                other => {
                    let b = borrowed(other, Ctx::Step);
                    let err = map_err(Ctx::Step);
                    quote! { ::std::option::Option::Some(#rt::to_json(#b) #err) }
                }
            };
            quote! {{
                static __QUERY: ::std::sync::OnceLock<::std::option::Option<#rt::serde_json_path::JsonPath>> =
                    ::std::sync::OnceLock::new();
                let __context: ::std::option::Option<#rt::serde_json::Value> = #value;
                #rt::criteria::jsonpath_matches(&__QUERY, #text, __context.as_ref())
            }}
        }
    }
}

/// The first applicable action wins: an `if … else if …` chain over the actions' criteria,
/// ending in `fallback` (the next step after a success, the step's error after a failure).
fn actions_chain(
    actions: &[ir::Action],
    current: usize,
    fallback: &TokenStream,
    success: bool,
    response: &TokenStream,
) -> TokenStream {
    let rt = rt();
    if actions.is_empty() {
        return fallback.clone();
    }
    let mut chain = quote! { { #fallback } };
    for (position, action) in actions.iter().enumerate().rev() {
        let tests: Vec<TokenStream> = action.criteria.iter().map(criterion_test).collect();
        let applies = if tests.is_empty() {
            quote! { true }
        } else {
            quote! { #( #tests )&&* }
        };
        let name = &action.name;
        let then = match &action.kind {
            ir::ActionKind::End if success => quote! {
                #rt::tracing::debug!(action = #name, "end");
                ::std::option::Option::None
            },
            ir::ActionKind::End => quote! {
                #rt::tracing::debug!(action = #name, "end after failure");
                #fallback
            },
            ir::ActionKind::GotoWorkflow(id, module) => {
                let run = run_by_name(id, module, Ctx::Step);
                quote! {
                    #rt::tracing::debug!(action = #name, workflow = #id, "goto workflow");
                    #run
                    ::std::option::Option::None
                }
            }
            ir::ActionKind::Goto(target) => quote! {
                #rt::tracing::debug!(action = #name, target = #target, "goto");
                ::std::option::Option::Some(#target)
            },
            ir::ActionKind::Retry {
                target,
                workflow,
                after,
                limit,
            } => {
                let target = target.unwrap_or(current);
                // `retry` naming a workflow runs it first, then retries this step.
                let first = workflow.as_ref().map(|(id, module)| {
                    let run = run_by_name(id, module, Ctx::Step);
                    quote! {
                        #rt::tracing::debug!(action = #name, workflow = #id, "run before retry");
                        #run
                    }
                });
                let after = match after {
                    Some(a) => {
                        let a = Literal::f64_suffixed(*a);
                        quote! { ::std::option::Option::Some(#a) }
                    }
                    None => quote! { ::std::option::Option::None },
                };
                // `position` identifies the action in this step's failure list.
                chain = quote! {
                    if (#applies) && __run.take_retry(__step, #position, #limit) {
                        #rt::tracing::debug!(action = #name, "retry");
                        __run.retry_delay(#after, #response).await;
                        #first
                        ::std::option::Option::Some(#target)
                    } else #chain
                };
                continue;
            }
        };
        chain = quote! {
            if #applies {
                #then
            } else #chain
        };
    }
    chain
}
