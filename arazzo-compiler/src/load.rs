//! Stage 1, loading: the Arazzo document, every OpenAPI document it names and every file their
//! `$ref`s reach, read into located YAML trees ([`crate::refs::Trees`]); arazzo-type sources
//! bring in further Arazzo documents, depth first. Produces one [`Unit`] per Arazzo document.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Component, Path, PathBuf};

use crate::arazzo::{self, Document};
use crate::asyncapi::{self, AsyncApi};
use crate::diag::Diags;
use crate::files::{FileId, Files, Loc};
use crate::openapi::{self, OpenApi};
use crate::refs::{self, Broken, Ref, Trees};
use crate::yaml;

/// A loaded source description.
pub struct LoadedSource {
    pub name: String,
    /// The OpenAPI document, when it loaded.
    pub api: Option<OpenApi>,
    /// For an arazzo-type source: the index of its document among the [`Unit`]s.
    pub arazzo: Option<usize>,
    /// For an asyncapi-type source (Arazzo 1.1): the AsyncAPI document, when it loaded.
    pub asyncapi: Option<AsyncApi>,
}

impl LoadedSource {
    /// Whether its document loaded (of whatever type).
    pub fn loaded(&self) -> bool {
        self.api.is_some() || self.arazzo.is_some() || self.asyncapi.is_some()
    }
}

/// One Arazzo document and its sources: the document the macro names, or one that an
/// arazzo-type source description brings in.
pub struct Unit {
    pub doc: Document,
    /// Its source descriptions, in document order.
    pub sources: Vec<LoadedSource>,
    /// Prefix of its workflows' module names and of its sources' builder methods (the name of
    /// the arazzo-type source that brought it in); `None` for the document the macro names.
    pub prefix: Option<String>,
}

impl Unit {
    /// `name` as this unit's workflows and sources are named in generated code: prefixed with
    /// [`Unit::prefix`], if any.
    pub fn qualified(&self, name: &str) -> String {
        match &self.prefix {
            Some(prefix) => format!("{prefix}_{name}"),
            None => name.to_owned(),
        }
    }
}

/// What loading produces.
pub struct Loaded {
    /// Every Arazzo document, the one the request names first.
    pub units: Vec<Unit>,
    /// The path of the named document as messages show it.
    pub document: String,
}

/// A file given as text instead of read from disk ([`crate::expand_text`]).
pub struct MemoryFile {
    /// Its normalized path.
    pub path: PathBuf,
    pub text: String,
}

/// One compilation's state: what was read, and the errors found so far.
pub struct Session {
    /// Every file read.
    pub files: Files,
    /// Their parsed trees.
    pub trees: Trees,
    /// Errors of every stage.
    pub diags: Diags,
    /// Read no source description ([`crate::Request::skip_sources`]).
    pub skip_sources: bool,
    /// Code is generated from the checked program ([`crate::expand`]).
    pub generate: bool,
    cwd: Option<PathBuf>,
    /// Arazzo documents loaded so far: absolute path → unit index.
    documents: HashMap<PathBuf, usize>,
    /// When set, the only files there are; the disk is not read.
    memory: Option<Vec<MemoryFile>>,
    /// The base URIs (`$self`, resolved) of the Arazzo documents loaded so far → unit index.
    identities: HashMap<url::Url, usize>,
    /// Arazzo-type sources that name a document by its `$self`, matched once every document
    /// is loaded.
    by_identity: Vec<IdentityRef>,
}

/// An arazzo-type source that names a document by identity (Arazzo 1.1, "Identity-Based
/// Referencing"): its URI matches the `$self` of a loaded document, never a fetched one.
struct IdentityRef {
    /// The unit whose source it is, and the source's position among its sources.
    unit: usize,
    source: usize,
    /// The URI it names.
    uri: url::Url,
    description: arazzo::SourceDescription,
}

/// Whether unit `to` is `from` or loads it, through arazzo-type sources.
fn reaches(units: &[Unit], from: usize, to: usize) -> bool {
    let mut seen = vec![false; units.len()];
    let mut pending = vec![from];
    while let Some(unit) = pending.pop() {
        if unit == to {
            return true;
        }
        let (Some(u), Some(seen)) = (units.get(unit), seen.get_mut(unit)) else {
            continue;
        };
        if !std::mem::replace(seen, true) {
            pending.extend(u.sources.iter().filter_map(|s| s.arazzo));
        }
    }
    false
}

/// Whether a source URL is remote (the compiler reads local files only).
fn is_remote(url: &str) -> bool {
    url.contains("://") || url.starts_with("//")
}

/// `path` with `.` removed and `..` resolved lexically (no file system access), as the
/// compiler names files in diagnostics.
pub fn normalize(path: &Path) -> PathBuf {
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
    /// It is not a regular file (a device such as `/dev/zero`, a named pipe, a directory),
    /// which could be endless or block the build.
    NotAFile,
    /// It is not UTF-8: the line and column (1-based, in characters) of the first bad byte.
    NotUtf8(u32, u32),
}

impl Session {
    /// A session that shows paths relative to `cwd` and reads `memory` instead of the disk
    /// when given.
    pub fn new(cwd: Option<PathBuf>, memory: Option<Vec<MemoryFile>>) -> Session {
        Session {
            files: Files::default(),
            trees: Trees::default(),
            diags: Diags::default(),
            skip_sources: false,
            generate: false,
            cwd,
            documents: HashMap::new(),
            memory,
            identities: HashMap::new(),
            by_identity: Vec::new(),
        }
    }

    /// The text of a file: from the in-memory files when there are some, else from disk.
    fn read_text(&self, absolute: &Path) -> Result<String, ReadError> {
        if let Some(memory) = &self.memory {
            let MemoryFile { text, .. } =
                memory.iter().find(|f| f.path == absolute).ok_or_else(|| {
                    ReadError::Unreadable("no such file among the documents given".to_owned(), None)
                })?;
            if text.len() as u64 > MAX_FILE_BYTES {
                return Err(ReadError::TooLarge);
            }
            return Ok(text.clone());
        }
        let unreadable =
            |e: std::io::Error| ReadError::Unreadable(e.to_string(), similar_file(absolute));
        // Only regular files are read: opening a named pipe blocks, a device may never end.
        let metadata = std::fs::metadata(absolute).map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(ReadError::NotAFile);
        }
        // The size the file system reports is not trusted: at most one byte past the limit
        // is read.
        let mut bytes = Vec::new();
        std::fs::File::open(absolute)
            .and_then(|file| file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(unreadable)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(ReadError::TooLarge);
        }
        String::from_utf8(bytes).map_err(|e| {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            // Up to the bad byte everything is UTF-8, so lines and columns count characters.
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count().saturating_add(1);
            let column = text
                .rsplit('\n')
                .next()
                .map_or(0, |l| l.chars().count())
                .saturating_add(1);
            let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            ReadError::NotUtf8(at(line), at(column))
        })
    }

    /// How messages show a path: relative to the working directory when it is below it.
    fn display(&self, absolute: &Path) -> String {
        let shown = self
            .cwd
            .as_deref()
            .and_then(|cwd| absolute.strip_prefix(normalize(cwd)).ok())
            .unwrap_or(absolute);
        shown.to_string_lossy().replace('\\', "/")
    }

    /// Loads the document at `path` and every document it reaches. `path` is relative to
    /// `manifest_dir`, or, when it starts with `./` or `../`, to the directory of
    /// `invoking_file`.
    pub fn load(
        &mut self,
        path: &str,
        manifest_dir: &Path,
        invoking_file: Option<&Path>,
    ) -> Option<Loaded> {
        let absolute = self.document_path(path, manifest_dir, invoking_file)?;
        let display = self.display(&absolute);
        let root = self.read_yaml(&absolute, &display, None, "the Arazzo document")?;
        let mut units = Vec::new();
        self.load_document(root, &absolute, None, &mut units, &mut Vec::new())?;
        // Every reserved place was filled (a document that fails to read reserves none).
        let mut units: Vec<Unit> = units.into_iter().flatten().collect();
        self.match_identities(&mut units);
        Some(Loaded {
            units,
            document: display,
        })
    }

    /// The absolute path of the document the user wrote as `path` ([`Session::load`]).
    fn document_path(
        &mut self,
        path: &str,
        manifest_dir: &Path,
        invoking_file: Option<&Path>,
    ) -> Option<PathBuf> {
        if Path::new(path).is_absolute() {
            self.diags.file_error(
                path.to_owned(),
                "the path must be relative (to the crate's Cargo.toml, or to this source file when it starts with `./` or `../`)",
                None,
            );
            return None;
        }
        let file_relative = path.starts_with("./") || path.starts_with("../");
        let base = if file_relative {
            let Some(invoking) = invoking_file else {
                self.diags.file_error(
                    path.to_owned(),
                    "a path starting with `./` or `../` is relative to the invoking source file, which the compiler cannot see here",
                    Some("write the path relative to the crate's Cargo.toml instead".to_owned()),
                );
                return None;
            };
            let invoking = if invoking.is_absolute() {
                invoking.to_path_buf()
            } else {
                self.cwd.clone().unwrap_or_default().join(invoking)
            };
            invoking.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            manifest_dir.to_path_buf()
        };
        Some(normalize(&base.join(path)))
    }

    /// Reads an Arazzo document and, depth first, the documents its arazzo-type sources name;
    /// returns its index in `units`. `stack` holds the documents being loaded (a cycle is an
    /// error); a document reached twice is loaded once.
    fn load_document(
        &mut self,
        root: yaml::Node,
        absolute: &Path,
        prefix: Option<String>,
        units: &mut Vec<Option<Unit>>,
        stack: &mut Vec<PathBuf>,
    ) -> Option<usize> {
        let document = arazzo::read(&mut self.diags, &root)?;
        // The Arazzo document itself is a `$ref` target too (`#/components/inputs/x`).
        self.trees.roots.insert(root.loc.file, root);
        let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
        // Reserve this document's place before its sources take theirs.
        let index = units.len();
        units.push(None);
        self.documents.insert(absolute.to_path_buf(), index);
        stack.push(absolute.to_path_buf());
        let base = crate::uri::base(
            document.self_uri.as_ref().map(|s| s.value.as_str()),
            absolute,
        );
        if let Some(base) = &base
            && let Some(other) = self.identities.insert(base.clone(), index)
            && let Some(uri) = &document.self_uri
        {
            let other = self
                .documents
                .iter()
                .find(|(_, i)| **i == other)
                .map(|(path, _)| self.display(path))
                .unwrap_or_default();
            self.diags.error_help(
                uri.loc,
                format!("`$self` `{base}` is also the `$self` of `{other}`"),
                Some("give each document its own `$self`".to_owned()),
            );
        }
        let mut sources = Vec::new();
        for (position, source) in document.sources.iter().enumerate() {
            let mut asyncapi = None;
            let (api, arazzo) = if self.skip_sources {
                (None, None)
            } else if source.is_asyncapi() {
                asyncapi = self.load_asyncapi(&dir, source);
                (None, None)
            } else if source.is_arazzo() {
                let identity = (document.version == crate::version::Version::V1_1)
                    .then(|| self.identity_of(base.as_ref(), source))
                    .flatten();
                if let Some(uri) = identity {
                    self.by_identity.push(IdentityRef {
                        unit: index,
                        source: position,
                        uri,
                        description: source.clone(),
                    });
                    (None, None)
                } else {
                    (None, self.load_arazzo_source(&dir, source, units, stack))
                }
            } else {
                (self.load_source(&dir, source), None)
            };
            sources.push(LoadedSource {
                name: source.name.value.clone(),
                api,
                arazzo,
                asyncapi,
            });
        }
        stack.pop();
        units[index] = Some(Unit {
            doc: document,
            sources,
            prefix,
        });
        Some(index)
    }

    /// The URI an arazzo-type source names a document by, when it names one by identity: an
    /// absolute URI, or a relative one that, resolved against the document's `$self`, is the
    /// `$self` of a document already loaded. Any other source is a file relative to the
    /// document. Only 1.1 documents name documents by identity (a 1.0 one's absolute URL is
    /// remote, as it always was).
    fn identity_of(
        &self,
        base: Option<&url::Url>,
        source: &arazzo::SourceDescription,
    ) -> Option<url::Url> {
        let url = source.url.value.as_str();
        if crate::uri::is_absolute(url) {
            return crate::uri::resolve(None, url);
        }
        crate::uri::resolve(base, url).filter(|uri| self.identities.contains_key(uri))
    }

    /// Points every source that names a document by identity at the loaded document whose
    /// `$self` it matches; one that matches none is remote, one that closes a cycle an error.
    fn match_identities(&mut self, units: &mut [Unit]) {
        for reference in std::mem::take(&mut self.by_identity) {
            let Some(&target) = self.identities.get(&reference.uri) else {
                self.remote_url_error(&reference.description);
                continue;
            };
            if reaches(units, target, reference.unit) {
                self.diags.error(
                    reference.description.url.loc,
                    format!(
                        "arazzo-type source `{}` names a document that loads this one (`$self` `{}`): the documents refer to each other in a cycle",
                        reference.description.name.value, reference.uri
                    ),
                );
                continue;
            }
            if let Some(source) = units
                .get_mut(reference.unit)
                .and_then(|u| u.sources.get_mut(reference.source))
            {
                source.arazzo = Some(target);
            }
        }
    }

    /// Loads the Arazzo document an arazzo-type source names.
    fn load_arazzo_source(
        &mut self,
        dir: &Path,
        source: &arazzo::SourceDescription,
        units: &mut Vec<Option<Unit>>,
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
        if let Some(index) = self.documents.get(&absolute) {
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

    /// Reads and parses one file, reporting why it cannot be read. `at` is where the reference
    /// to it was written.
    fn read_yaml(
        &mut self,
        absolute: &Path,
        display: &str,
        at: Option<Loc>,
        what: &str,
    ) -> Option<yaml::Node> {
        match self.read_node(absolute, display, at.is_some(), what) {
            Ok(node) => Some(node),
            Err(Broken {
                at: inside,
                message,
                help,
            }) => {
                match inside.or(at) {
                    Some(loc) => self.diags.error_help(loc, message, help),
                    None => self.diags.file_error(display.to_owned(), message, help),
                }
                None
            }
        }
    }

    /// Reads and parses one file, or says why it cannot be. `referred` tells whether a
    /// reference to it will locate the message (else the message is shown after its path).
    fn read_node(
        &mut self,
        absolute: &Path,
        display: &str,
        referred: bool,
        what: &str,
    ) -> Result<yaml::Node, Broken> {
        let fail = |message: String, help: Option<String>| Broken {
            at: None,
            message,
            help,
        };
        if self.files.paths().count() >= MAX_FILES {
            return Err(fail(
                format!("more than {MAX_FILES} files are referenced"),
                None,
            ));
        }
        let text = match self.read_text(absolute) {
            Ok(text) => text,
            Err(ReadError::TooLarge) => {
                return Err(fail(
                    format!("{what} `{display}` is larger than {MAX_FILE_BYTES} bytes"),
                    None,
                ));
            }
            Err(ReadError::NotAFile) => {
                return Err(fail(
                    format!(
                        "{what} `{display}` is not a regular file (a device, a pipe or a directory)"
                    ),
                    None,
                ));
            }
            Err(ReadError::NotUtf8(line, col)) => {
                let id = self.files.add(absolute.to_path_buf(), display.to_owned());
                return Err(Broken {
                    at: Some(Loc {
                        file: id,
                        line,
                        col,
                    }),
                    message: format!(
                        "{what} is not UTF-8: this byte is not valid UTF-8 (save the file as UTF-8)"
                    ),
                    help: None,
                });
            }
            Err(ReadError::Unreadable(e, similar)) => {
                let help = similar.map(|p| format!("did you mean `{}`?", self.display(&p)));
                // With no referring node the message is prefixed by the path already.
                let message = if referred {
                    format!("cannot read {what} `{display}`: {e}")
                } else {
                    format!("cannot read {what}: {e}")
                };
                return Err(fail(message, help));
            }
        };
        let id = self.files.add(absolute.to_path_buf(), display.to_owned());
        yaml::parse(&text, id).map_err(|e| Broken {
            at: Some(Loc {
                file: id,
                line: e.line,
                col: e.col,
            }),
            message: e.message,
            help: None,
        })
    }

    /// Loads the OpenAPI document an openapi-type source names, and every file its `$ref`s
    /// reach.
    fn load_source(
        &mut self,
        dir: &Path,
        source: &arazzo::SourceDescription,
    ) -> Option<openapi::OpenApi> {
        let file = self.load_description(dir, source, "OpenAPI document")?;
        // A Swagger 2.0 document is read in the OpenAPI 3.0 shape it converts to.
        if let Some(converted) = crate::swagger::convert(&self.trees, file) {
            self.trees.roots.insert(file, converted);
        }
        openapi::read(&mut self.diags, &self.trees, file, source.url.loc)
    }

    /// Loads the AsyncAPI document an asyncapi-type source names, and every file its `$ref`s
    /// reach.
    fn load_asyncapi(
        &mut self,
        dir: &Path,
        source: &arazzo::SourceDescription,
    ) -> Option<AsyncApi> {
        let file = self.load_description(dir, source, "AsyncAPI document")?;
        asyncapi::read(&mut self.diags, &self.trees, file, source.url.loc)
    }

    /// Reads the API description (`what`: "OpenAPI document", "AsyncAPI document") a source
    /// names, relative to `dir`, and every file its `$ref`s reach: its file, or `None` when it
    /// is remote or cannot be read (reported).
    fn load_description(
        &mut self,
        dir: &Path,
        source: &arazzo::SourceDescription,
        what: &str,
    ) -> Option<FileId> {
        let url = source.url.value.as_str();
        if is_remote(url) {
            self.remote_url_error(source);
            return None;
        }
        let absolute = normalize(&dir.join(url));
        let display = self.display(&absolute);
        let root = self.read_yaml(&absolute, &display, Some(source.url.loc), what)?;
        let file = root.loc.file;
        self.trees.roots.insert(file, root);
        self.load_refs(file);
        Some(file)
    }

    fn remote_url_error(&mut self, source: &arazzo::SourceDescription) {
        self.diags.error_help(
            source.url.loc,
            format!(
                "source description `{}` has a remote URL; the compiler never fetches at build time",
                source.name.value
            ),
            Some(if source.is_arazzo() {
                "download the file into the crate and give its relative path, or load a local document whose `$self` is this URL (through another source with a relative path)".to_owned()
            } else {
                "download the file into the crate and give its relative path".to_owned()
            }),
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
            refs::refs(root, &mut refs);
            let Some(dir) = self
                .files
                .absolute(current)
                .and_then(Path::parent)
                .map(Path::to_path_buf)
            else {
                continue;
            };
            for Ref {
                text: reference, ..
            } in refs
            {
                let target = reference.split('#').next().unwrap_or_default();
                if target.is_empty() || self.trees.links.contains_key(&(current, target.to_owned()))
                {
                    continue;
                }
                // A file that cannot be loaded is an error only where the workflow reaches
                // it ([`Trees::broken_refs`]).
                let key = (current, target.to_owned());
                if self.trees.broken.contains_key(&key) {
                    continue;
                }
                if target.contains("://") {
                    self.trees.broken.insert(key, Broken {
                        at: None,
                        message: format!("`$ref: {reference}` is remote; the compiler never fetches at build time"),
                        help: Some("download the file into the crate and reference it by relative path".to_owned()),
                    });
                    continue;
                }
                let absolute = normalize(&dir.join(target));
                let id = match self.files.find(&absolute) {
                    Some(id) => id,
                    None => {
                        let display = self.display(&absolute);
                        let node =
                            match self.read_node(&absolute, &display, true, "referenced file") {
                                Ok(node) => node,
                                Err(broken) => {
                                    self.trees.broken.insert(key, broken);
                                    continue;
                                }
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
