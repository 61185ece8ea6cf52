//! The document's `Client` and `ClientBuilder`: the static tables of its sources and security
//! schemes, one base-URL method per source and one credential method per scheme. The fixed
//! methods (timeouts, limits, `build`) come from the runtime's `client_builder_methods!`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc, ident};
use crate::ir;
use crate::openapi::Scheme;

/// `Client`, `ClientBuilder` and their impls. The impls sit in an anonymous `const` block, so
/// their imports cannot clash with the user's names.
pub(super) fn client(
    program: &ir::Program,
    brokers: &[super::message::BrokerEntry],
) -> TokenStream {
    let (broker_table, broker_methods) = super::message::client_parts(brokers);
    let with_brokers = (!brokers.is_empty()).then(|| quote! { .with_brokers(BROKERS) });
    let broker_table = (!brokers.is_empty()).then_some(broker_table);
    let client_doc = doc(&program.doc);
    let sources = program.sources.iter().map(|s| {
        let name = &s.name;
        let method = &s.base_url_method;
        let default = match &s.default_url {
            Some(u) => quote! { Some(#u) },
            None => quote! { None },
        };
        quote! { SourceSpec { name: #name, default_base_url: #default, base_url_method: #method } }
    });
    let schemes = program.schemes.iter().map(scheme_spec);
    let base_url_methods = program.sources.iter().enumerate().map(|(i, s)| {
        let i = Literal::usize_unsuffixed(i);
        let method = ident(&s.base_url_method);
        let text = format!(
            " Sets the base URL of source description `{}` (default: {}).",
            s.name,
            s.default_url
                .as_deref()
                .map_or("none; it must be set".to_owned(), |u| format!("`{u}`"))
        );
        quote! {
            #[doc = #text]
            pub fn #method(mut self, url: impl Into<String>) -> Self {
                self.core.base_url(#i, url.into());
                self
            }
        }
    });
    let credential_methods = program
        .schemes
        .iter()
        .enumerate()
        .map(|(i, s)| credential_method(program, i, s));
    // Import only what the tables use: generated code must not warn.
    let mut specs = vec![quote! { SchemeSpec }, quote! { SourceSpec }];
    if !program.schemes.is_empty() {
        specs.insert(0, quote! { SchemeKind });
    }
    let mut options = Vec::new();
    if program.sources.iter().any(|s| s.default_url.is_none()) {
        options.push(quote! { None });
    }
    if program.sources.iter().any(|s| s.default_url.is_some()) {
        options.push(quote! { Some });
    }
    quote! {
        #client_doc
        ///
        /// Built with [`Client::builder`]; cheap to clone (the connection pool is shared).
        #[derive(Clone, Debug)]
        pub struct Client {
            core: ::arazzo::__private::ClientCore,
        }

        /// Configures a [`Client`]: base URLs, credentials, timeouts and limits.
        #[derive(Debug)]
        #[must_use]
        pub struct ClientBuilder {
            core: ::arazzo::__private::ClientCoreBuilder,
        }

        const _: () = {
            use ::arazzo::__private::{self as rt, #( #specs ),*};
            use ::std::{convert::Into, option::Option::{ #( #options ),* }, string::String};

            static SOURCES: &[SourceSpec] = &[ #( #sources ),* ];
            static SCHEMES: &[SchemeSpec] = &[ #( #schemes ),* ];
            #broker_table

            impl Client {
                /// Starts configuring a client: base URLs default to each source's first server.
                pub fn builder() -> ClientBuilder {
                    ClientBuilder { core: rt::ClientCoreBuilder::new(SOURCES, SCHEMES) #with_brokers }
                }
            }

            impl ClientBuilder {
                rt::client_builder_methods!(Client);
                #( #base_url_methods )*
                #( #credential_methods )*
                #( #broker_methods )*
            }
        };
    }
}

/// The runtime's description of one security scheme.
fn scheme_spec(s: &ir::SchemeUse) -> TokenStream {
    let source = Literal::usize_unsuffixed(s.source);
    let name = &s.name;
    let method = &s.method;
    let kind = match &s.kind {
        Scheme::Basic | Scheme::Unsupported(_) => quote! { SchemeKind::HttpBasic },
        Scheme::Bearer => quote! { SchemeKind::HttpBearer },
        Scheme::ApiKey { location, name } => {
            let location = match location.as_str() {
                "query" => quote! { Query },
                "cookie" => quote! { Cookie },
                _ => quote! { Header },
            };
            quote! { SchemeKind::ApiKey { location: rt::ApiKeyLocation::#location, name: #name } }
        }
    };
    quote! { SchemeSpec { source: #source, name: #name, kind: #kind, builder_method: #method } }
}

/// The builder method that sets the credential of scheme `index`.
fn credential_method(program: &ir::Program, index: usize, s: &ir::SchemeUse) -> TokenStream {
    let method = ident(&s.method);
    let source = program
        .sources
        .get(s.source)
        .map_or("", |s| s.name.as_str());
    let mut text = format!(
        "Credential for security scheme `{}` of source description `{source}`, required by {}.",
        s.name,
        s.operations
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(d) = &s.doc {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    let text = doc(&text);
    let index = Literal::usize_unsuffixed(index);
    let (params, set) = match &s.kind {
        Scheme::Basic => (
            quote! { username: impl Into<String>, password: impl Into<String> },
            quote! { basic(#index, username, password) },
        ),
        Scheme::Bearer => (
            quote! { token: impl Into<String> },
            quote! { bearer(#index, token) },
        ),
        _ => (
            quote! { key: impl Into<String> },
            quote! { api_key(#index, key) },
        ),
    };
    quote! {
        #text
        pub fn #method(mut self, #params) -> Self {
            self.core.#set;
            self
        }
    }
}
