//! The `arazzo_workflow!` procedural macro.
//!
//! A thin shim: it reads the path literal, asks `arazzo-compiler` to load, check and generate,
//! and turns each diagnostic into a `compile_error!` spanned on the literal. Use it through
//! the `arazzo` crate, which documents it.
#![deny(missing_docs)]

use proc_macro::TokenStream;

/// Compiles an Arazzo document into a typed client and one module per workflow.
///
/// See the `arazzo` crate's documentation of `arazzo_workflow!` for the full contract.
#[proc_macro]
pub fn arazzo_workflow(input: TokenStream) -> TokenStream {
    let literal = match syn::parse::<syn::LitStr>(input) {
        Ok(literal) => literal,
        Err(e) => {
            return syn::Error::new(
                e.span(),
                "expected the path of an Arazzo document as a string literal, e.g. \
                 `arazzo_workflow!(\"workflows/mixpanel.yml\")`",
            )
            .to_compile_error()
            .into();
        }
    };
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return syn::Error::new(
            literal.span(),
            "CARGO_MANIFEST_DIR is not set; build with cargo",
        )
        .to_compile_error()
        .into();
    };
    let request = arazzo_compiler::Request {
        path: literal.value(),
        manifest_dir: manifest_dir.into(),
        invoking_file: proc_macro::Span::call_site().local_file(),
        cwd: std::env::current_dir().ok(),
    };
    match arazzo_compiler::expand(&request) {
        Ok(expansion) => expansion.tokens.into(),
        Err(diagnostics) => {
            let mut errors = diagnostics
                .iter()
                .map(|d| syn::Error::new(literal.span(), d.to_string()));
            let Some(mut first) = errors.next() else {
                return TokenStream::new();
            };
            for e in errors {
                first.combine(e);
            }
            first.to_compile_error().into()
        }
    }
}
