//! A scratch directory for tests that compile documents they generate.

#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};

/// The workspace root (where `workflows/`, `openapi/` and `tests/corpus/` live).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A directory under the system temp dir, removed when dropped. It mirrors the layout the
/// seed documents expect: `workflows/` for Arazzo documents, `openapi/` beside it, and the
/// corpus's OpenAPI documents next to the documents that name them (`./x.openapi.yaml`).
pub struct Scratch {
    root: PathBuf,
}

impl Scratch {
    /// A fresh scratch directory named after `name`, the process and a counter.
    pub fn new(name: &str) -> Scratch {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let root = std::env::temp_dir().join(format!(
            "arazzo-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("workflows")).expect("create scratch dir");
        std::fs::create_dir_all(root.join("openapi")).expect("create scratch dir");
        Scratch { root }
    }

    /// A scratch directory that also holds a copy of every OpenAPI document the seed and
    /// corpus documents name.
    pub fn with_sources(name: &str) -> Scratch {
        let scratch = Scratch::new(name);
        let ws = workspace();
        for (from, to) in [("openapi", "openapi"), (CORPUS, "workflows")] {
            for entry in std::fs::read_dir(ws.join(from)).expect("read dir") {
                let path = entry.expect("dir entry").path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if name.contains("openapi") || name == "animals.yaml" {
                    std::fs::copy(&path, scratch.root.join(to).join(name)).expect("copy");
                }
            }
        }
        scratch
    }

    /// Writes `bytes` to `relative` (inside the scratch directory).
    pub fn write(&self, relative: &str, bytes: &[u8]) {
        std::fs::write(self.root.join(relative), bytes).expect("write scratch file");
    }

    /// Compiles the document at `relative`.
    pub fn expand(
        &self,
        relative: &str,
    ) -> Result<arazzo_compiler::Expansion, Vec<arazzo_compiler::Diagnostic>> {
        arazzo_compiler::expand(&arazzo_compiler::Request {
            path: relative.to_owned(),
            manifest_dir: self.root.clone(),
            invoking_file: None,
            cwd: Some(self.root.clone()),
            ..Default::default()
        })
    }

    /// The scratch directory.
    pub fn path(&self) -> &Path {
        &self.root
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// Compiles the Arazzo document `doc` beside the OpenAPI document `api` (as
/// `workflows/doc.yml` and `workflows/api.yml` of a scratch directory named after `name`):
/// the generated code as text, or each diagnostic as `file:line:col: message`.
pub fn compile_with_api(name: &str, api: &str, doc: &str) -> Result<String, Vec<String>> {
    let scratch = Scratch::new(name);
    scratch.write("workflows/api.yml", api.as_bytes());
    scratch.write("workflows/doc.yml", doc.as_bytes());
    match scratch.expand("workflows/doc.yml") {
        Ok(expansion) => Ok(expansion.tokens.to_string()),
        Err(diagnostics) => Err(diagnostics.iter().map(ToString::to_string).collect()),
    }
}

/// The corpus directory, relative to the workspace root.
pub const CORPUS: &str = "tests/corpus/oai-examples-1.0.0";

/// The seed documents: the Mixpanel workflow and the corpus's Arazzo documents, as
/// (file name, text).
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let ws = workspace();
    let mut seeds = vec![(
        "mixpanel.yml".to_owned(),
        std::fs::read(ws.join("workflows/mixpanel.yml")).expect("read seed"),
    )];
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(ws.join(CORPUS))
        .expect("read corpus")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| {
            p.to_str()
                .is_some_and(|s| s.ends_with(".yaml") && s.contains("arazzo"))
        })
        .collect();
    corpus.sort();
    for path in corpus {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        seeds.push((name, std::fs::read(&path).expect("read seed")));
    }
    seeds
}

/// An OpenAPI description with one operation, `getIssue`, whose response has a string enum
/// `state` (`open`, `closed`), a string `title`, an integer `count` and a boolean `done`.
pub const ISSUE_API: &str = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "paths": {"/issue": {"get": {"operationId": "getIssue",
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
      {"type": "object", "properties": {
        "state": {"type": "string", "enum": ["open", "closed"]},
        "title": {"type": "string"},
        "count": {"type": "integer"},
        "done": {"type": "boolean"}}}}}}}}}}}"#;

/// An Arazzo document whose source `api` is [`ISSUE_API`], with `workflows` (YAML list items).
pub fn issue_doc(workflows: &str) -> String {
    format!(
        "arazzo: 1.0.1\ninfo: {{title: Tracker, version: 1.0.0}}\nsourceDescriptions: [{{name: api, url: ./api.json, type: openapi}}]\nworkflows:\n{workflows}"
    )
}

/// Compiles an [`issue_doc`] document.
pub fn expand_issue_doc(
    doc: &str,
) -> Result<arazzo_compiler::Expansion, Vec<arazzo_compiler::Diagnostic>> {
    arazzo_compiler::expand_text(doc, &[("api.json", ISSUE_API)])
}
