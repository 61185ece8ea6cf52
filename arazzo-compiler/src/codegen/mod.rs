//! Stage 3, generate: the checked program ([`crate::ir`]) becomes Rust tokens.
//!
//! Generated code reads like code a person would write on the runtime: everything that is the
//! same in every document or step (the fixed builder methods, sending a request, attaching an
//! error's context, decoding a body) is a runtime function, so what is generated is what is
//! particular to the document. It names the runtime only as `::arazzo::__private` (imported as
//! `rt` inside each workflow module), so the user's crate needs `arazzo` and an executor.
//!
//! - [`client`]: `Client`, `ClientBuilder` and the static tables of sources and schemes;
//! - [`types`]: the structs and enums of inputs and outputs, and the modules of named schemas;
//! - [`workflow`]: one module per workflow: `run`, its state, its outputs;
//! - [`step`]: one `async fn` per step: request, criteria, outputs, actions;
//! - [`body`]: typed decoding of the response bodies steps read;
//! - [`criteria`]: conditions and the actions they choose;
//! - [`message`]: AsyncAPI send and receive steps, the brokers and early subscriptions;
//! - [`payload`]: XML, multipart and byte request bodies;
//! - [`value`]: runtime expressions, parameters and payloads.

mod body;
mod client;
mod criteria;
mod in_flight;
mod message;
mod payload;
mod step;
mod types;
mod value;
mod workflow;

use std::path::PathBuf;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir;
use crate::types::Ty;

pub use crate::names::BUILDER_METHODS;

/// Generates the whole document: file tracking, `Client`, builder, one module per workflow.
pub fn generate(program: &ir::Program, files: &[PathBuf]) -> TokenStream {
    let tracked = files
        .iter()
        .filter_map(|p| p.to_str())
        .map(|p| quote! { const _: &[u8] = include_bytes!(#p); });
    let brokers = message::brokers(program);
    let client = client::client(program, &brokers);
    let shared = program.shared.iter().map(types::shared_module);
    let workflows = program
        .workflows
        .iter()
        .map(|wf| workflow::workflow(wf, &brokers));
    quote! {
        // Makes cargo rebuild this crate when any document changes.
        #( #tracked )*
        #client
        #( #shared )*
        #( #workflows )*
    }
}

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

/// `#[doc = …]` lines, each with a leading space (`/// text` once printed).
fn doc(text: &str) -> TokenStream {
    if text.trim().is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|l| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        }
    });
    quote! { #( #[doc = #lines] )* }
}

/// The Rust type. Inside workflow modules the prelude's names are free: the type mapper keeps
/// generated types off them.
fn ty_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::I64 => quote! { i64 },
        Ty::F64 => quote! { f64 },
        Ty::Bool => quote! { bool },
        Ty::Str => quote! { String },
        Ty::U16 => quote! { u16 },
        Ty::Vec(t) => {
            let t = ty_tokens(t);
            quote! { Vec<#t> }
        }
        Ty::Map(t) => {
            let t = ty_tokens(t);
            quote! { ::std::collections::BTreeMap<String, #t> }
        }
        Ty::Option(t) => {
            let t = ty_tokens(t);
            quote! { Option<#t> }
        }
        Ty::Json => quote! { rt::serde_json::Value },
        Ty::Bytes => quote! { Vec<u8> },
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

/// `Some(n)` / `None` for the index of the step that runs next.
fn next_step(next: Option<usize>) -> TokenStream {
    match next {
        Some(n) => {
            let n = Literal::usize_unsuffixed(n);
            quote! { Some(#n) }
        }
        None => quote! { None },
    }
}
