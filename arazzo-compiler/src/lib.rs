//! The Arazzo compiler: load → check → generate.
//!
//! An ordinary library (the `arazzo_workflow!` macro and the `arazzo` CLI are thin shells
//! around it), so every stage is testable without rustc:
//!
//! 1. **load**: read the Arazzo document and every OpenAPI document it names (and the files
//!    their `$ref`s reach) into a located YAML tree ([`yaml`]);
//! 2. **check**: read the Arazzo model ([`arazzo`]), resolve every step's operation,
//!    parameter, body and runtime expression against the OpenAPI documents, and type every
//!    value ([`check`], [`types`]); all errors are collected, each with `file:line:col` and a
//!    suggestion ([`diag`]);
//! 3. **generate**: turn the checked program ([`ir`]) into Rust tokens ([`codegen`]).
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

pub mod actions;
pub mod arazzo;
pub mod check;
pub mod codegen;
pub mod condition;
pub mod decode;
pub mod diag;
pub mod expr;
mod files;
pub mod ir;
pub mod names;
pub mod openapi;
pub mod secrets;
mod stack;
pub mod types;
pub mod yaml;

use std::path::{Component, Path, PathBuf};

use proc_macro2::TokenStream;

pub use diag::Diagnostic;
use diag::Diags;
use files::{FileId, Files, Loc};
use openapi::Trees;

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
    /// Inputs to treat as secrets, by name: `input` (in every workflow) or `workflowId.input`
    /// ([`secrets`]).
    pub secrets: Vec<String>,
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
    let memory = std::iter::once((PathBuf::from(TEXT_DOCUMENT), document.to_owned()))
        .chain(
            files
                .iter()
                .map(|(path, text)| (normalize(Path::new(path)), (*text).to_owned())),
        )
        .collect();
    let request = Request {
        path: TEXT_DOCUMENT.to_owned(),
        manifest_dir: PathBuf::new(),
        invoking_file: None,
        cwd: None,
        ..Default::default()
    };
    run(Session::new(None, Some(memory)), &request)
}

/// The stack of the thread that loads and checks a document. The checker recurses along
/// nested values and along chains of workflows that call workflows, whose length only
/// [`yaml::MAX_NODES`] bounds; an unoptimized build (a proc macro usually is one) needs about
/// a KiB per link. The memory is reserved, not committed: a document touches what it uses.
const CHECKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Loads and checks (generating nothing), on a large-stack thread.
fn checked(mut session: Session, request: &Request) -> Result<Compiled, Vec<Diagnostic>> {
    let program = stack::with_stack(CHECKER_STACK_BYTES, || session.compile(request));
    let files: Vec<PathBuf> = session.files.paths().map(Path::to_path_buf).collect();
    match program {
        Some(program) if !session.diags.has_errors() => Ok(Compiled { program, files }),
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
                });
            }
            Err(diagnostics)
        }
    }
}

/// Loads, checks and (when there is no error) generates. Generating stays on the caller's
/// thread: inside a proc macro, `proc_macro2` talks to the compiler from that thread only.
fn run(session: Session, request: &Request) -> Result<Expansion, Vec<Diagnostic>> {
    let compiled = checked(session, request)?;
    Ok(Expansion {
        tokens: codegen::generate(&compiled.program, &compiled.files),
        files: compiled.files,
    })
}

struct Session {
    files: Files,
    trees: Trees,
    diags: Diags,
    cwd: Option<PathBuf>,
    /// Arazzo documents loaded so far: (absolute path, unit index).
    documents: Vec<(PathBuf, usize)>,
    /// When set, the only files there are (normalized path, text); the disk is not read.
    memory: Option<Vec<(PathBuf, String)>>,
}

/// Whether a source URL is remote (the compiler reads local files only).
fn is_remote(url: &str) -> bool {
    url.contains("://") || url.starts_with("//")
}

/// Removes `.` and resolves `..` lexically (no file system access).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Limits that keep a hostile document from exhausting the compiler.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
const MAX_FILES: usize = 256;

/// Why a file could not be read.
enum ReadError {
    /// It is larger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// It cannot be read; the reason, and a file with a similar name, if any.
    Unreadable(String, Option<PathBuf>),
}

impl Session {
    fn new(cwd: Option<PathBuf>, memory: Option<Vec<(PathBuf, String)>>) -> Session {
        Session {
            files: Files::default(),
            trees: Trees::default(),
            diags: Diags::default(),
            cwd,
            documents: Vec::new(),
            memory,
        }
    }

    /// The text of a file: from the in-memory files when there are some, else from disk.
    fn read_text(&self, absolute: &Path) -> Result<String, ReadError> {
        if let Some(memory) = &self.memory {
            let (_, text) = memory.iter().find(|(p, _)| p == absolute).ok_or_else(|| {
                ReadError::Unreadable("no such file among the documents given".to_owned(), None)
            })?;
            if text.len() as u64 > MAX_FILE_BYTES {
                return Err(ReadError::TooLarge);
            }
            return Ok(text.clone());
        }
        if let Ok(m) = std::fs::metadata(absolute)
            && m.len() > MAX_FILE_BYTES
        {
            return Err(ReadError::TooLarge);
        }
        std::fs::read_to_string(absolute)
            .map_err(|e| ReadError::Unreadable(e.to_string(), similar_file(absolute)))
    }

    fn display(&self, absolute: &Path) -> String {
        let shown = self
            .cwd
            .as_deref()
            .and_then(|cwd| absolute.strip_prefix(normalize(cwd)).ok())
            .unwrap_or(absolute);
        shown.to_string_lossy().replace('\\', "/")
    }

    fn compile(&mut self, request: &Request) -> Option<ir::Program> {
        let path = Path::new(&request.path);
        if path.is_absolute() {
            self.diags.file_error(
                request.path.clone(),
                "the path must be relative (to the crate's Cargo.toml, or to this source file when it starts with `./` or `../`)",
                None,
            );
            return None;
        }
        let file_relative = request.path.starts_with("./") || request.path.starts_with("../");
        let base = if file_relative {
            let Some(invoking) = &request.invoking_file else {
                self.diags.file_error(
                    request.path.clone(),
                    "a path starting with `./` or `../` is relative to the invoking source file, which the compiler cannot see here",
                    Some("write the path relative to the crate's Cargo.toml instead".to_owned()),
                );
                return None;
            };
            let invoking = if invoking.is_absolute() {
                invoking.clone()
            } else {
                self.cwd.clone().unwrap_or_default().join(invoking)
            };
            invoking.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            request.manifest_dir.clone()
        };
        let absolute = normalize(&base.join(path));
        let display = self.display(&absolute);
        let root = self.read_yaml(&absolute, &display, None, "the Arazzo document")?;
        let mut units = Vec::new();
        self.load_document(root, &absolute, None, &mut units, &mut Vec::new())?;
        // Every reserved place was filled (a document that fails to read reserves none).
        let units: Vec<check::Unit> = units.into_iter().flatten().collect();
        let mut program = check::check(&mut self.diags, &units, &self.trees);
        secrets::apply(&mut program, &request.secrets, &mut self.diags, &display);
        Some(program)
    }

    /// Reads an Arazzo document and, depth first, the documents its arazzo-type sources name;
    /// returns its index in `units`. `stack` holds the documents being loaded (a cycle is an
    /// error); a document reached twice is loaded once.
    fn load_document(
        &mut self,
        root: yaml::Node,
        absolute: &Path,
        prefix: Option<String>,
        units: &mut Vec<Option<check::Unit>>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<usize> {
        let document = arazzo::read(&mut self.diags, &root)?;
        // The Arazzo document itself is a `$ref` target too (`#/components/inputs/x`).
        self.trees.roots.insert(root.loc.file, root);
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        // Reserve this document's place before its sources take theirs.
        let index = units.len();
        units.push(None);
        self.documents.push((absolute.to_path_buf(), index));
        stack.push(absolute.to_path_buf());
        let mut sources = Vec::new();
        for source in &document.sources {
            let is_arazzo = source.kind.as_ref().is_some_and(|k| k.value == "arazzo");
            let (api, arazzo) = if is_arazzo {
                (None, self.load_arazzo_source(&dir, source, units, stack))
            } else {
                (self.load_source(&dir, source), None)
            };
            sources.push(check::LoadedSource {
                name: source.name.value.clone(),
                api,
                arazzo,
            });
        }
        stack.pop();
        units[index] = Some(check::Unit {
            doc: document,
            sources,
            prefix,
        });
        Some(index)
    }

    /// Loads the Arazzo document an arazzo-type source names.
    fn load_arazzo_source(
        &mut self,
        dir: &Path,
        source: &arazzo::SourceDescription,
        units: &mut Vec<Option<check::Unit>>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<usize> {
        let url = source.url.value.as_str();
        if is_remote(url) {
            self.remote_url_error(source);
            return None;
        }
        let absolute = normalize(&dir.join(url));
        if let Some(start) = stack.iter().position(|p| *p == absolute) {
            let cycle: Vec<String> = stack[start..]
                .iter()
                .chain(std::iter::once(&absolute))
                .map(|p| self.display(p))
                .collect();
            self.diags.error(
                source.url.loc,
                format!(
                    "arazzo-type sources refer to each other in a cycle: {}",
                    cycle.join(" → ")
                ),
            );
            return None;
        }
        if let Some((_, index)) = self.documents.iter().find(|(p, _)| *p == absolute) {
            return Some(*index);
        }
        let display = self.display(&absolute);
        let root = self.read_yaml(&absolute, &display, Some(source.url.loc), "Arazzo document")?;
        self.load_document(
            root,
            &absolute,
            Some(source.name.value.clone()),
            units,
            stack,
        )
    }

    /// Reads and parses one file. `at` is where the reference to it was written.
    fn read_yaml(
        &mut self,
        absolute: &Path,
        display: &str,
        at: Option<Loc>,
        what: &str,
    ) -> Option<yaml::Node> {
        let report = |diags: &mut Diags, message: String, help: Option<String>| match at {
            Some(loc) => diags.error_help(loc, message, help),
            None => diags.file_error(display.to_owned(), message, help),
        };
        if self.files.paths().count() >= MAX_FILES {
            report(
                &mut self.diags,
                format!("more than {MAX_FILES} files are referenced"),
                None,
            );
            return None;
        }
        let text = match self.read_text(absolute) {
            Ok(text) => text,
            Err(ReadError::TooLarge) => {
                report(
                    &mut self.diags,
                    format!("{what} `{display}` is larger than {MAX_FILE_BYTES} bytes"),
                    None,
                );
                return None;
            }
            Err(ReadError::Unreadable(e, similar)) => {
                let help = similar.map(|p| format!("did you mean `{}`?", self.display(&p)));
                // With no referring node the message is prefixed by the path already.
                let message = match at {
                    Some(_) => format!("cannot read {what} `{display}`: {e}"),
                    None => format!("cannot read {what}: {e}"),
                };
                report(&mut self.diags, message, help);
                return None;
            }
        };
        let id = self.files.add(absolute.to_path_buf(), display.to_owned());
        match yaml::parse(&text, id) {
            Ok(node) => Some(node),
            Err(e) => {
                self.diags.error(
                    Loc {
                        file: id,
                        line: e.line,
                        col: e.col,
                    },
                    e.message,
                );
                None
            }
        }
    }

    fn load_source(
        &mut self,
        dir: &Path,
        source: &arazzo::SourceDescription,
    ) -> Option<openapi::OpenApi> {
        let url = source.url.value.as_str();
        if is_remote(url) {
            self.remote_url_error(source);
            return None;
        }
        let absolute = normalize(&dir.join(url));
        let display = self.display(&absolute);
        let root = self.read_yaml(
            &absolute,
            &display,
            Some(source.url.loc),
            "OpenAPI document",
        )?;
        let file = root.loc.file;
        self.trees.roots.insert(file, root);
        self.load_refs(file);
        openapi::read(&mut self.diags, &self.trees, file, source.url.loc)
    }

    fn remote_url_error(&mut self, source: &arazzo::SourceDescription) {
        self.diags.error_help(
            source.url.loc,
            format!(
                "source description `{}` has a remote URL; the compiler never fetches at build time",
                source.name.value
            ),
            Some("download the file into the crate and give its relative path".to_owned()),
        );
    }

    /// Loads every file reachable through `$ref` from `file`.
    fn load_refs(&mut self, file: FileId) {
        let mut pending = vec![file];
        while let Some(current) = pending.pop() {
            let Some(root) = self.trees.roots.get(&current) else {
                continue;
            };
            let mut refs = Vec::new();
            openapi::refs(root, &mut refs);
            let Some(dir) = self
                .files
                .absolute(current)
                .and_then(Path::parent)
                .map(Path::to_path_buf)
            else {
                continue;
            };
            for (reference, loc) in refs {
                let target = reference.split('#').next().unwrap_or_default();
                if target.is_empty() || self.trees.links.contains_key(&(current, target.to_owned()))
                {
                    continue;
                }
                if target.contains("://") {
                    self.diags.error_help(
                        loc,
                        format!("`$ref: {reference}` is remote; the compiler never fetches at build time"),
                        Some("download the file into the crate and reference it by relative path".to_owned()),
                    );
                    continue;
                }
                let absolute = normalize(&dir.join(target));
                let id = match self.files.find(&absolute) {
                    Some(id) => id,
                    None => {
                        let display = self.display(&absolute);
                        let Some(node) =
                            self.read_yaml(&absolute, &display, Some(loc), "referenced file")
                        else {
                            continue;
                        };
                        let id = node.loc.file;
                        self.trees.roots.insert(id, node);
                        pending.push(id);
                        id
                    }
                };
                self.trees.links.insert((current, target.to_owned()), id);
            }
        }
    }
}

/// The file in the same directory whose name is closest to the missing one.
fn similar_file(missing: &Path) -> Option<PathBuf> {
    let name = missing.file_name()?.to_str()?;
    let entries = std::fs::read_dir(missing.parent()?).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let other = e.file_name().to_str()?.to_owned();
            let score = strsim::jaro_winkler(name, &other);
            (score >= 0.8).then_some((score, e.path()))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, p)| p)
}
