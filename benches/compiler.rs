//! How fast the compiler expands a document (issue 7, measure 3): load + check + generate,
//! in-process, no rustc.
//!
//! ```sh
//! cargo bench --bench compiler
//! ```
//!
//! - `seed`: `workflows/mixpanel.yml` and its three OpenAPI documents, read from disk;
//! - `synthetic`: generated documents of 10, 100 and 1,000 steps, each step calling its own
//!   operation of an OpenAPI document of matching size, expanded from memory.
//!
//! `scripts/bench-build.sh` measures the other half: `cargo build` of a crate that invokes the
//! macro on the 1,000-step document.

use std::path::PathBuf;

use divan::Bencher;

mod synthetic;

fn main() {
    divan::main();
}

/// The seed, read from disk as the macro reads it.
#[divan::bench(sample_count = 100)]
fn seed(bencher: Bencher) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let request = arazzo_compiler::Request {
        path: "workflows/mixpanel.yml".to_owned(),
        manifest_dir: root.clone(),
        cwd: Some(root),
        ..Default::default()
    };
    bencher.bench(|| arazzo_compiler::expand(&request).expect("the seed compiles"));
}

/// A document of `steps` steps against an OpenAPI document of as many operations.
#[divan::bench(args = [10, 100, 1000], sample_count = 20)]
fn synthetic(bencher: Bencher, steps: usize) {
    let doc = synthetic::arazzo(steps);
    let api = synthetic::openapi(steps);
    let files = [(synthetic::OPENAPI_FILE, api.as_str())];
    bencher.bench(|| arazzo_compiler::expand_text(&doc, &files).expect("the document compiles"));
}
