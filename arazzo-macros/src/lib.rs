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
    let args = match syn::parse::<Args>(input) {
        Ok(args) => args,
        Err(e) => return e.to_compile_error().into(),
    };
    let literal = &args.path;
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
        secrets: args.secrets.iter().map(syn::LitStr::value).collect(),
        skip_sources: false,
    };
    let expanded = {
        let _fallback = Fallback::force();
        arazzo_compiler::expand(&request)
    };
    match expanded {
        // Built in the fallback, the tokens cross into the compiler as one string.
        Ok(expansion) => expansion.tokens.into(),
        Err(diagnostics) => {
            // An error about a `secrets` name points at that name; the others at the path.
            let mut errors =
                diagnostics
                    .iter()
                    .map(|d| match d.secret.and_then(|i| args.secrets.get(i)) {
                        Some(name) => {
                            let help = d
                                .help
                                .as_deref()
                                .map_or(String::new(), |h| format!("; {h}"));
                            syn::Error::new(name.span(), format!("{}{help}", d.message))
                        }
                        None => syn::Error::new(literal.span(), format!("{d}{}", fixable(d))),
                    });
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

/// Builds tokens in `proc_macro2`'s own implementation while it lives, instead of the
/// compiler's. Every generated token has the call-site span, so nothing is lost; but each
/// token built through the compiler's implementation is a call across the proc-macro bridge,
/// and an unoptimized macro (as proc macros are in a debug build) makes thousands of them. The
/// fallback builds the expansion in this process and hands it over as one string, which
/// rustc parses: about a quarter less time in the macro for the two documents of
/// `cargo bench --bench build_time -- two`. Restored on drop
/// (also on a panic), so the input and the error paths keep the literal's span.
struct Fallback;

impl Fallback {
    fn force() -> Fallback {
        proc_macro2::fallback::force();
        Fallback
    }
}

impl Drop for Fallback {
    fn drop(&mut self) {
        proc_macro2::fallback::unforce();
    }
}

/// ` (fixable with `arazzo fix`)` after the message of an error that has a fix (a form another
/// runner accepts, which the help spells as the specification does).
fn fixable(d: &arazzo_compiler::Diagnostic) -> &'static str {
    if d.fix.is_some() {
        " (fixable with `arazzo fix`)"
    } else {
        ""
    }
}

/// The macro's arguments: `"path"` and, optionally, `secrets = ["name", …]`.
struct Args {
    path: syn::LitStr,
    secrets: Vec<syn::LitStr>,
}

impl syn::parse::Parse for Args {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let path: syn::LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the path of an Arazzo document as a string literal, e.g. \
                 `arazzo_workflow!(\"workflows/mixpanel.yml\")`",
            )
        })?;
        let mut secrets = None;
        while input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
            let key: syn::Ident = input.parse()?;
            if key != "secrets" {
                return Err(syn::Error::new(
                    key.span(),
                    format!("unknown argument `{key}`; the only one is `secrets = [\"input\", …]`"),
                ));
            }
            if secrets.is_some() {
                return Err(syn::Error::new(key.span(), "`secrets` is given twice"));
            }
            input.parse::<syn::Token![=]>()?;
            let list;
            syn::bracketed!(list in input);
            let names =
                list.parse_terminated(<syn::LitStr as syn::parse::Parse>::parse, syn::Token![,])?;
            secrets = Some(names.into_iter().collect());
        }
        if !input.is_empty() {
            return Err(input.error("expected `,` followed by `secrets = [\"input\", …]`"));
        }
        Ok(Args {
            path,
            secrets: secrets.unwrap_or_default(),
        })
    }
}
