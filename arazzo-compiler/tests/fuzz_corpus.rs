//! Replays the fuzz targets' seed corpus (`fuzz/corpus/load/`) through the fuzz target's own
//! body on stable Rust, so that every test run exercises what `scripts/fuzz.sh` starts from.
//! A panic fails the test; the file that caused it is named first.

#[path = "../../fuzz/src/lib.rs"]
mod fuzz_body;

use std::path::PathBuf;

#[test]
fn the_seed_corpus_replays_without_a_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/load");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the seed corpus")
        .map(|e| e.expect("dir entry").path())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 10, "only {} seed inputs", inputs.len());
    for path in &inputs {
        let data = std::fs::read(path).expect("read seed");
        let run = std::panic::catch_unwind(|| fuzz_body::load(&data));
        if let Err(panic) = run {
            eprintln!("the compiler panicked on {}", path.display());
            std::panic::resume_unwind(panic);
        }
    }
}

/// The seed workflow compiles from memory exactly as it does from disk.
#[test]
fn the_seed_compiles_from_memory() {
    let text = include_str!("../../workflows/mixpanel.yml");
    let expansion = arazzo_compiler::expand_text(text, fuzz_body::SOURCES).expect("compiles");
    assert!(
        expansion
            .tokens
            .to_string()
            .contains("identity_resolve_and_track")
    );
    assert_eq!(expansion.files.len(), 4);
}

/// A source that is not among the documents given is reported, not read from disk.
#[test]
fn text_documents_read_no_file() {
    let text = include_str!("../../workflows/mixpanel.yml");
    let errors = arazzo_compiler::expand_text(text, &[]).expect_err("no sources");
    let first = errors[0].to_string();
    assert!(
        first.starts_with(&format!(
            "{}:15:8: cannot read OpenAPI document `../openapi/mixpanel-identity-openapi.yml`",
            arazzo_compiler::TEXT_DOCUMENT
        )),
        "{first}"
    );
}
