//! The bodies of the fuzz targets, kept in a plain library so that a stable test
//! (`arazzo-compiler/tests/fuzz_corpus.rs`, which includes this file) replays the seed corpus
//! in `fuzz/corpus/load/` without libFuzzer or nightly.

/// The OpenAPI documents a fuzzed document can name, under the relative paths the seed
/// documents use, so that inputs derived from the seeds get past source resolution.
pub const SOURCES: &[(&str, &str)] = &[
    (
        "../openapi/mixpanel-identity-openapi.yml",
        include_str!("../../openapi/mixpanel-identity-openapi.yml"),
    ),
    (
        "../openapi/mixpanel-ingestion-openapi.yml",
        include_str!("../../openapi/mixpanel-ingestion-openapi.yml"),
    ),
    (
        "../openapi/mixpanel-query-openapi.yml",
        include_str!("../../openapi/mixpanel-query-openapi.yml"),
    ),
    (
        "./FAPI-PAR.openapi.yaml",
        include_str!("../../tests/corpus/oai-examples-1.0.0/FAPI-PAR.openapi.yaml"),
    ),
    (
        "./oauth.openapi.yaml",
        include_str!("../../tests/corpus/oai-examples-1.0.0/oauth.openapi.yaml"),
    ),
    (
        "./pet-coupons.openapi.yaml",
        include_str!("../../tests/corpus/oai-examples-1.0.0/pet-coupons.openapi.yaml"),
    ),
    (
        "./bnpl-openapi.yaml",
        include_str!("../../tests/corpus/oai-examples-1.0.0/bnpl-openapi.yaml"),
    ),
];

/// Compiles `data` as an Arazzo document (invalid UTF-8 replaced by U+FFFD) against
/// [`SOURCES`], reading no file, and checks that every diagnostic is well formed. Panics only
/// when the compiler misbehaves.
pub fn load(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(diagnostics) = arazzo_compiler::expand_text(&text, SOURCES) {
        assert!(!diagnostics.is_empty(), "an error without diagnostics");
        for d in &diagnostics {
            assert!(!d.message.is_empty() && !d.file.is_empty(), "{d:?}");
            assert_eq!(d.line == 0, d.col == 0, "half a position: {d}");
        }
    }
}
