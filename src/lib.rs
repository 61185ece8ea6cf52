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
//!
//! # Generated items
//!
//! For a document, the macro generates at the invocation site:
//!
//! | item | what |
//! |---|---|
//! | `Client` | cheap to clone; holds base URLs, credentials and the connection pool |
//! | `Client::builder()` → `ClientBuilder` | `base_url_<source>(url)` per source description (defaults to the OpenAPI `servers[0].url`); one credential method per security scheme the called operations declare, named `<source>_<scheme>` (`…_basic_auth(user, password)`, a bearer `token`, or an API `key`); `request_timeout` (30 s), `workflow_timeout` (none), `max_body_bytes` (8 MiB), `step_budget` (1,000), `max_retry_delay` (60 s), [`retry_policy`](RetryPolicy) (none), `http_client` (a configured [`reqwest::Client`]); `build()` |
//! | `mod <workflow_id>` | one per workflow, `snake_case` of its `workflowId` |
//! | `<workflow>::Inputs` | the workflow's `inputs` schema as a struct (serde, `Clone`, `PartialEq`) |
//! | `<workflow>::Outputs` | the workflow's `outputs`, each typed from the OpenAPI response schema |
//! | `<workflow>::run(&client, inputs)` | `async`, returns `Result<Outputs, Error>` |
//! | `<workflow>::Progress` | the typed outputs of the steps that completed and the requests sent (`sent_requests()`); `Progress::of(&err)` |
//!
//! Each generated item carries the document's `summary` and `description` as its doc comment,
//! so `cargo doc` documents your workflows. This runs the seed workflow against the project's
//! Mixpanel emulator on 127.0.0.1:
//!
//! ```
//! arazzo::arazzo_workflow!("workflows/mixpanel.yml");
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let (_addr, emulator) = mixpanel_emulator::start().await?;
//!     let config = emulator.config();
//!     let (user, secret) = (&config.service_account_username, &config.service_account_secret);
//!     let client = Client::builder()
//!         .base_url_identity_api(emulator.identity_base_url())
//!         .base_url_ingestion_api(emulator.ingestion_base_url())
//!         .base_url_query_api(emulator.query_base_url())
//!         .identity_api_basic_auth(user, secret)
//!         .query_api_basic_auth(user, secret)
//!         .request_timeout(std::time::Duration::from_secs(5))
//!         .build()?;
//!     let today = mixpanel_emulator::today_utc();
//!     let out = identity_resolve_and_track::run(&client, identity_resolve_and_track::Inputs {
//!         project_token: config.project_token.clone(),
//!         project_id: config.project_id,
//!         identified_id: "user-1".into(),
//!         anon_id: "device-1".into(),
//!         event_name: "Signup".into(),
//!         from_date: today.clone(),
//!         to_date: today.clone(),
//!     })
//!     .await?;
//!     assert_eq!((out.identity_status, out.track_status), (1, 1));
//!     assert_eq!(out.values["Signup"][&today], 1.0);
//!     Ok(())
//! }
//! ```
//!
//! # Cargo features
//!
//! - `xpath` (off by default): `xpath` criteria and `xpath` Selector Objects, compiled at build
//!   time and evaluated with xee-xpath (XPath 3.1). An `xpath` selector is an
//!   `Option<String>`, the string value of the first item selected. Without the feature each
//!   is a compile error that says how to enable it.
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
/// ```
/// arazzo::arazzo_workflow!("workflows/mixpanel.yml", secrets = ["projectToken"]);
///
/// fn main() {
///     let inputs = identity_resolve_and_track::Inputs {
///         project_token: "tok-7f3a9c".into(),
///         project_id: 1,
///         identified_id: "user-1".into(),
///         anon_id: "device-1".into(),
///         event_name: "Signup".into(),
///         from_date: "2026-11-01".into(),
///         to_date: "2026-11-29".into(),
///     };
///     let shown = format!("{inputs:?}");
///     assert!(shown.contains("project_token: ***"), "{shown}");
///     assert!(!shown.contains("tok-7f3a9c"));
/// }
/// ```
///
/// A name is `input` (that input of every workflow that has it) or `workflowId.input`. A name
/// that matches no input is a compile error, so a typo cannot leave a secret printable.
pub use arazzo_macros::arazzo_workflow;

pub use arazzo_runtime::{Error, ErrorKind, Outcome, RetryPolicy, Secret, SentRequest};

/// The hook of durable execution engines: every workflow module has `run_journaled(client,
/// inputs, &dyn Journal)` and a `Workflow` struct implementing [`Workflow`], whose HTTP
/// exchanges, messages and retry waits go through a [`Journal`] (see `docs/durable.md`).
pub use arazzo_runtime::{Effect, EffectError, Journal, Running, Workflow};

/// Message brokers for AsyncAPI send and receive steps: [`message::Broker`],
/// [`message::Subscription`], [`message::Message`]. The transports are cargo features of this
/// crate: `mqtt` (MQTT 5), `nats`, `amqp` (AMQP 0-9-1), `websocket` and `kafka`; see `docs/events.md`.
pub use arazzo_runtime::message;

/// The `reqwest` version the generated clients use, to pass a configured `reqwest::Client`
/// to a generated `ClientBuilder::http_client` (see [Generated items](crate#generated-items)).
///
/// ```
/// let http = arazzo::reqwest::Client::builder()
///     .user_agent("my-service/1.0")
///     .redirect(arazzo::reqwest::redirect::Policy::none())
///     .build()
///     .expect("a client without TLS configuration builds");
/// # drop(http);
/// ```
pub use arazzo_runtime::reqwest;

/// The `serde_json` the generated types use (`serde_json::Value` for free-form values), so a
/// crate can name those types without a `serde_json` dependency of its own.
///
/// ```
/// let anything: arazzo::serde_json::Value = arazzo::serde_json::json!({"plan": "pro"});
/// assert_eq!(anything["plan"], "pro");
/// ```
pub use serde_json;

/// Support for generated code; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use arazzo_runtime::*;
    pub use serde;
    pub use serde_json;
    pub use tracing;
}
