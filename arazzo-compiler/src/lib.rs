//! The Arazzo compiler: load → check → generate.
//!
//! An ordinary library (the `arazzo_workflow!` macro and the `arazzo` CLI are thin shells
//! around it), so every stage is testable without rustc:
//!
//! 1. **load** (`load.rs`): read the Arazzo document and every OpenAPI document it names (and
//!    the files their `$ref`s reach) into located YAML trees ([`yaml`]);
//! 2. **check** (`check/`): read the Arazzo and OpenAPI models (`arazzo.rs`, `openapi.rs`),
//!    resolve every step's operation, parameter, body and runtime expression ([`expr`],
//!    [`condition`]) against the OpenAPI documents, and type every value ([`types`]); all
//!    errors are collected, each with `file:line:col` and a suggestion ([`diag`]);
//! 3. **generate**: turn the checked program ([`ir`]) into Rust tokens ([`codegen`]).
//!
//! Only what other crates use is public: this API, the stages' shared vocabulary ([`ir`],
//! [`types`], [`names`], [`diag`], [`yaml`]), the grammars and the generator.
//!
//! ```
//! let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
//! let expansion = arazzo_compiler::expand(&arazzo_compiler::Request {
//!     path: "workflows/mixpanel.yml".into(),
//!     manifest_dir: dir.clone(),
//!     invoking_file: None,
//!     cwd: Some(dir),
//!     ..Default::default()
//! })
//! .expect("the seed workflow compiles");
//! assert!(expansion.tokens.to_string().contains("identity_resolve_and_track"));
//! ```
#![deny(missing_docs)]

mod arazzo;
mod asyncapi;
mod check;
pub mod codegen;
pub mod condition;
mod decode;
pub mod diag;
pub mod expr;
mod files;
mod fix;
pub mod ir;
mod library;
mod load;
pub mod names;
mod one_of;
mod openapi;
mod refs;
mod screen;
mod secrets;
mod selector;
mod stack;
mod swagger;
pub mod types;
mod upgrade;
mod uri;
pub mod version;
pub mod yaml;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

pub use diag::Diagnostic;
pub use load::normalize;
use load::{MemoryFile, Session};
pub use upgrade::{Upgrade, upgrade};

/// What to compile, and where the compiler runs.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The path as the user wrote it. Relative to `manifest_dir`, or, when it starts with
    /// `./` or `../`, relative to the directory of `invoking_file` (like `include_str!`).
    pub path: String,
    /// The crate's `CARGO_MANIFEST_DIR`.
    pub manifest_dir: PathBuf,
    /// The source file that invokes the macro, if known.
    pub invoking_file: Option<PathBuf>,
    /// The working directory, used to show paths relative to it in messages.
    pub cwd: Option<PathBuf>,
    /// Inputs to treat as secrets, by name: `input` (in every workflow) or `workflowId.input`.
    /// A name that matches no input is an error: a typo must not leave a secret printable.
    pub secrets: Vec<String>,
    /// Check the document's own structure and expressions only, reading none of its source
    /// descriptions (`arazzo check --skip-sources`): a remote `url` is no error, and a step's
    /// operation is unknown but fine, its response untyped. The program lacks those steps, so
    /// it is for checking: [`expand`] refuses it.
    ///
    /// ```
    /// let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus");
    /// let request = arazzo_compiler::Request {
    ///     // Its source description names a file that is not there.
    ///     path: "oai-examples-1.0.0/ExtendedParametersExample.arazzo.yaml".into(),
    ///     manifest_dir: dir,
    ///     skip_sources: true,
    ///     ..Default::default()
    /// };
    /// assert!(arazzo_compiler::compile(&request).is_ok());
    /// let refused = arazzo_compiler::expand(&request).unwrap_err();
    /// assert!(refused[0].message.contains("needs the sources"));
    /// ```
    pub skip_sources: bool,
}

/// The result of a successful compilation.
#[derive(Debug)]
pub struct Expansion {
    /// The generated Rust code.
    pub tokens: TokenStream,
    /// Every file that was read (absolute paths), for rebuild tracking.
    pub files: Vec<PathBuf>,
}

/// A checked document: what [`compile`] returns, before any code is generated.
#[derive(Debug)]
pub struct Compiled {
    /// The checked program: every workflow, step, expression and type, resolved.
    pub program: ir::Program,
    /// Every file that was read (absolute paths).
    pub files: Vec<PathBuf>,
}

/// Loads and checks the document named by `request`, without generating code: for tools that
/// inspect the checked workflows (the `arazzo` CLI's `list` and `graph`). [`expand`] is this
/// followed by [`codegen::generate`].
///
/// ```
/// let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
/// let compiled = arazzo_compiler::compile(&arazzo_compiler::Request {
///     path: "workflows/mixpanel.yml".into(),
///     manifest_dir: dir,
///     ..Default::default()
/// })
/// .expect("the seed workflow checks");
/// let workflow = &compiled.program.workflows[0];
/// assert_eq!(workflow.id, "identity-resolve-and-track");
/// assert_eq!(workflow.steps.len(), 3);
/// ```
pub fn compile(request: &Request) -> Result<Compiled, Vec<Diagnostic>> {
    checked(Session::new(request.cwd.clone(), None), request)
}

/// [`compile`], with the text of the files in `edited` (absolute paths) taken from there
/// instead of from the disk; every other file the documents reach is read from the disk.
/// What `arazzo fix` checks a document with before it writes it (or instead, for
/// `--dry-run`). An edit must not name files the disk's text does not reach.
///
/// ```
/// let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
/// let request = arazzo_compiler::Request {
///     path: "workflows/mixpanel.yml".into(),
///     manifest_dir: dir.clone(),
///     ..Default::default()
/// };
/// let text = std::fs::read_to_string(dir.join("workflows/mixpanel.yml")).unwrap();
/// let edited = text.replace("stepId: createIdentity", "stepId: createIdentty");
/// let errors = arazzo_compiler::compile_edited(
///     &request,
///     &[(dir.join("workflows/mixpanel.yml"), edited)],
/// )
/// .unwrap_err();
/// assert!(errors.iter().any(|e| e.message.contains("createIdentity")));
/// ```
pub fn compile_edited(
    request: &Request,
    edited: &[(PathBuf, String)],
) -> Result<Compiled, Vec<Diagnostic>> {
    let edited: Vec<(PathBuf, &str)> = edited
        .iter()
        .map(|(path, text)| (load::normalize(path), text.as_str()))
        .collect();
    // The files the documents reach, found by a run on the disk's text.
    let (_, reached) = checked_reading(Session::new(request.cwd.clone(), None), request);
    let mut memory: Vec<MemoryFile> = edited
        .iter()
        .map(|(path, text)| MemoryFile {
            path: path.clone(),
            text: (*text).to_owned(),
        })
        .collect();
    for path in reached {
        if edited.iter().any(|(p, _)| *p == path) {
            continue;
        }
        // A file that cannot be read is missing from memory, and reported as unreadable.
        if let Ok(text) = std::fs::read_to_string(&path) {
            memory.push(MemoryFile { path, text });
        }
    }
    checked(Session::new(request.cwd.clone(), Some(memory)), request)
}

/// Compiles the document named by `request` into Rust tokens, or returns every error found.
pub fn expand(request: &Request) -> Result<Expansion, Vec<Diagnostic>> {
    run(Session::new(request.cwd.clone(), None), request)
}

/// The path under which [`expand_text`] shows its document in messages.
pub const TEXT_DOCUMENT: &str = "document.arazzo.yaml";

/// Compiles an Arazzo document given as text, like [`expand`] but reading no file: the
/// documents it names (`sourceDescriptions[].url`, `$ref`s) are looked up in `files`, pairs of
/// (path relative to the document, text); any other is reported as unreadable. Messages show
/// the document as [`TEXT_DOCUMENT`]. For fuzzing and tools that hold documents in memory;
/// the [`Expansion::files`] it returns are these relative paths, so its tokens track no file.
///
/// ```
/// let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
///   "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}}}"#;
/// let doc = "
/// arazzo: 1.0.1
/// info: {title: Ping, version: 1.0.0}
/// sourceDescriptions: [{name: api, url: ./api.json, type: openapi}]
/// workflows:
/// - workflowId: ping
///   steps:
///   - stepId: one
///     operationId: pong
/// ";
/// let errors = arazzo_compiler::expand_text(doc, &[("api.json", api)]).unwrap_err();
/// assert_eq!(
///     errors[0].to_string(),
///     "document.arazzo.yaml:9:18: no source description defines operationId `pong`; \
///      did you mean `ping`?"
/// );
/// let fixed = doc.replace("pong", "ping");
/// assert!(arazzo_compiler::expand_text(&fixed, &[("api.json", api)]).is_ok());
/// ```
pub fn expand_text(document: &str, files: &[(&str, &str)]) -> Result<Expansion, Vec<Diagnostic>> {
    let (session, request) = text_session(document, files);
    run(session, &request)
}

/// [`expand_text`] without generating code, like [`compile`]: the checked program, for
/// tools and tests that inspect it (a message step, whose code cannot be generated yet, is
/// checked and lowered here).
///
/// ```
/// let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
///   "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}}}"#;
/// let doc = "
/// arazzo: 1.0.1
/// info: {title: Ping, version: 1.0.0}
/// sourceDescriptions: [{name: api, url: ./api.json, type: openapi}]
/// workflows:
/// - workflowId: ping
///   steps:
///   - stepId: one
///     operationId: ping
/// ";
/// let compiled = arazzo_compiler::compile_text(doc, &[("api.json", api)]).unwrap();
/// assert_eq!(compiled.program.workflows[0].steps[0].operation, "ping");
/// ```
pub fn compile_text(document: &str, files: &[(&str, &str)]) -> Result<Compiled, Vec<Diagnostic>> {
    let (session, request) = text_session(document, files);
    checked(session, &request)
}

/// The session and request of [`expand_text`] and [`compile_text`].
fn text_session(document: &str, files: &[(&str, &str)]) -> (Session, Request) {
    let memory = std::iter::once(MemoryFile {
        path: PathBuf::from(TEXT_DOCUMENT),
        text: document.to_owned(),
    })
    .chain(files.iter().map(|(path, text)| MemoryFile {
        path: load::normalize(Path::new(path)),
        text: (*text).to_owned(),
    }))
    .collect();
    let request = Request {
        path: TEXT_DOCUMENT.to_owned(),
        manifest_dir: PathBuf::new(),
        invoking_file: None,
        cwd: None,
        ..Default::default()
    };
    (Session::new(None, Some(memory)), request)
}

/// The stack of the thread that loads and checks a document. The checker recurses along
/// nested values and along chains of workflows that call workflows, whose length only
/// [`yaml::MAX_NODES`] bounds; an unoptimized build (a proc macro usually is one) needs about
/// a KiB per link. The memory is reserved, not committed: a document touches what it uses.
const CHECKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Loads and checks (generating nothing), on a large-stack thread.
fn checked(session: Session, request: &Request) -> Result<Compiled, Vec<Diagnostic>> {
    checked_reading(session, request).0
}

/// [`checked`], and every file it read, also when there are errors.
fn checked_reading(
    mut session: Session,
    request: &Request,
) -> (Result<Compiled, Vec<Diagnostic>>, Vec<PathBuf>) {
    let program = stack::with_stack(CHECKER_STACK_BYTES, || {
        load_and_check(&mut session, request)
    });
    let files: Vec<PathBuf> = session.files.paths().map(Path::to_path_buf).collect();
    let result = match program {
        Some(program) if !session.diags.has_errors() => Ok(Compiled {
            program,
            files: files.clone(),
        }),
        _ => {
            let mut diagnostics = session.diags.finish(&session.files);
            if diagnostics.is_empty() {
                diagnostics.push(Diagnostic {
                    file: request.path.clone(),
                    line: 0,
                    col: 0,
                    message: "the document could not be compiled".to_owned(),
                    help: None,
                    secret: None,
                    fix: None,
                });
            }
            Err(diagnostics)
        }
    };
    (result, files)
}

/// The pipeline up to the checked program: load, check, then mark the inputs the request
/// names secret.
fn load_and_check(session: &mut Session, request: &Request) -> Option<ir::Program> {
    session.skip_sources = request.skip_sources;
    let loaded = session.load(
        &request.path,
        &request.manifest_dir,
        request.invoking_file.as_deref(),
    )?;
    let mut program = check::check(
        &mut session.diags,
        &loaded.units,
        &session.trees,
        session.generate,
    );
    secrets::apply(
        &mut program,
        &request.secrets,
        &mut session.diags,
        &loaded.document,
    );
    Some(program)
}

/// Loads, checks and (when there is no error) generates. Generating stays on the caller's
/// thread: inside a proc macro, `proc_macro2` talks to the compiler from that thread only.
fn run(session: Session, request: &Request) -> Result<Expansion, Vec<Diagnostic>> {
    if request.skip_sources {
        return Err(vec![Diagnostic {
            file: request.path.clone(),
            line: 0,
            col: 0,
            message: "generating code needs the sources that `skip_sources` leaves unread"
                .to_owned(),
            help: Some("check with `skip_sources`, generate without it".to_owned()),
            secret: None,
            fix: None,
        }]);
    }
    let mut session = session;
    session.generate = true;
    let compiled = checked(session, request)?;
    Ok(Expansion {
        tokens: codegen::generate(&compiled.program, &compiled.files),
        files: compiled.files,
    })
}
