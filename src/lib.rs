//! Arazzo workflows compiled to typed Rust.
//!
//! [`arazzo_workflow!`] reads an [Arazzo 1.0.1](https://spec.openapis.org/arazzo/v1.0.1)
//! document and the OpenAPI documents it names *while your crate compiles*, checks every step
//! reference, operation, parameter and runtime expression, and generates:
//!
//! - a `Client` for the document, with a builder that takes a base URL per source description
//!   and a credential per security scheme the called operations declare;
//! - one module per workflow (`snake_case` of its `workflowId`) holding typed `Inputs`, typed
//!   `Outputs` (typed from the OpenAPI response schemas) and `async fn run`.
//!
//! A mistake in the document is a compile error that starts with `file:line:col:` of the
//! offending YAML node and suggests the fix.
//!
//! ```no_run
//! arazzo::arazzo_workflow!("workflows/mixpanel.yml");
//!
//! #[tokio::main]
//! async fn main() -> Result<(), arazzo::Error> {
//!     let client = Client::builder()
//!         .identity_api_basic_auth("service-account", "secret")
//!         .query_api_basic_auth("service-account", "secret")
//!         .build()?;
//!     let out = identity_resolve_and_track::run(&client, identity_resolve_and_track::Inputs {
//!         project_token: "token".into(),
//!         project_id: 42,
//!         identified_id: "user-1".into(),
//!         anon_id: "device-1".into(),
//!         event_name: "Signup".into(),
//!         from_date: "2026-11-01".into(),
//!         to_date: "2026-11-29".into(),
//!     })
//!     .await?;
//!     let status: i64 = out.track_status; // typed from the OpenAPI response schema
//!     println!("track status {status}");
//!     Ok(())
//! }
//! ```
#![deny(missing_docs)]

/// Compiles an Arazzo document into Rust items at the call site.
///
/// The argument is a string literal naming the document:
///
/// - relative to the crate's `Cargo.toml` (`"workflows/mixpanel.yml"`), or
/// - relative to the invoking source file when it starts with `./` or `../`
///   (`"./fixtures/flow.yml"`), like `include_str!`.
///
/// Absolute paths are rejected so that a crate builds the same on every machine. Source
/// descriptions' `url`s are resolved relative to the Arazzo document and must be local
/// files: the compiler never fetches anything at build time.
///
/// Invoke it once per module, at module level (not inside a function body): it defines
/// `Client`, `ClientBuilder` and one module per workflow. Every file it reads is tracked, so
/// editing the document or an OpenAPI file it names rebuilds the crate.
///
/// # Secret inputs
///
/// An input whose schema says `format: password` or `writeOnly: true` is a secret: `Debug` of
/// the generated `Inputs` prints `***` for it, and a string value of it is masked (`***`) in the
/// body excerpts that errors carry. Inputs the document does not mark can be listed by name:
///
/// ```ignore
/// arazzo::arazzo_workflow!("workflows/mixpanel.yml", secrets = ["projectToken"]);
/// ```
///
/// A name is `input` (that input of every workflow that has it) or `workflowId.input`. A name
/// that matches no input is a compile error, so a typo cannot leave a secret printable.
pub use arazzo_macros::arazzo_workflow;

pub use arazzo_runtime::{Error, ErrorKind, RetryPolicy, Secret};

/// The `reqwest` version the generated clients use, for [`ClientBuilder::http_client`]-style
/// injection of a configured `reqwest::Client`.
///
/// [`ClientBuilder::http_client`]: crate#generated-items
pub use arazzo_runtime::reqwest;

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use arazzo_runtime::*;
    pub use serde;
    pub use serde_json;
    pub use tracing;
}
