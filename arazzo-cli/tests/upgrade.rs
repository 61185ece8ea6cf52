//! `arazzo upgrade`, run as a user would on documents in a temporary directory: 1.0 documents
//! become 1.1.0 with only the version edited, the specification's examples check the same
//! afterwards, what 1.1 reads differently is listed, a 1.1 document is left alone.

mod support;

use std::path::Path;

use support::{arazzo, diagnostics, project, root};

/// A 1.0 document with comments, a JSONPath criterion, a regex criterion that embeds a runtime
/// expression and a step id 1.1's expressions cannot name.
const OLD: &str = "# The pet store, as of 2024.
arazzo: 1.0.1 # the version we wrote it for
info: {title: Pets, version: 1.0.0}
sourceDescriptions:
  - name: api
    url: https://example.com/openapi.yaml
    type: openapi
workflows:
  - workflowId: pets
    steps:
      - stepId: find.pets   # dotted
        operationId: findPets
        successCriteria:
          - context: $response.body
            condition: $[?(@.name)]
            type: jsonpath
          - context: $response.header.Etag
            condition: '^{$inputs.tag}$'
            type: regex
";

fn document(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("w.arazzo.yaml")).expect("the document")
}

#[test]
fn only_the_version_changes_and_changed_meanings_are_listed() {
    let dir = project(OLD);
    let (code, stdout, stderr) = arazzo(dir.path(), &["upgrade", "w.arazzo.yaml"]);
    assert_eq!(code, 1, "two things need a manual fix: {stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        document(dir.path()),
        OLD.replace("arazzo: 1.0.1 #", "arazzo: 1.1.0 #"),
        "comments, layout and criteria kept (JSONPath means RFC 9535 in both versions)"
    );
    assert!(
        stderr.starts_with(
            "w.arazzo.yaml: upgraded from 1.0.1 to 1.1.0\n  2:9: `1.0.1` → `1.1.0`\n\
             w.arazzo.yaml: 2 things to fix by hand:\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("  11:17: stepId `find.pets`: Arazzo 1.1's runtime expressions"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  18:24: Arazzo 1.1 replaces each `{$…}` in this condition"),
        "{stderr}"
    );
    // The upgraded document checks as it did, but for the condition listed for a manual fix:
    // 1.0 reads `{$inputs.tag}` as text of the regex (which then does not compile), 1.1 as an
    // embedded expression, checked where it is written (the workflow has no input `tag`).
    let after = diagnostics(dir.path(), &["w.arazzo.yaml"], &["--skip-sources"]);
    let before = project(OLD);
    let before = diagnostics(before.path(), &["w.arazzo.yaml"], &["--skip-sources"]);
    let at = |d: &[(String, u64, u64, String)]| -> Vec<(String, u64, u64)> {
        d.iter().map(|(f, l, c, _)| (f.clone(), *l, *c)).collect()
    };
    assert_eq!(at(&before), [("w.arazzo.yaml".to_owned(), 18, 24)]);
    assert_eq!(at(&after), [("w.arazzo.yaml".to_owned(), 18, 27)]);
    assert!(
        before[0]
            .3
            .starts_with("regex `^{$inputs.tag}$` does not compile")
    );
    assert!(after[0].3.contains("`$inputs.tag`"), "{after:?}");
    // Upgrading again changes nothing.
    let (code, _, stderr) = arazzo(dir.path(), &["upgrade", "w.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr,
        "w.arazzo.yaml: already Arazzo 1.1.0, nothing to upgrade\n"
    );
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let text = OLD
        .replace("find.pets", "findPets")
        .replace("{$inputs.tag}", "W/");
    let dir = project(&text);
    let (code, stdout, stderr) = arazzo(dir.path(), &["upgrade", "--dry-run", "w.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(document(dir.path()), text);
    assert!(
        stdout.starts_with("--- a/w.arazzo.yaml\n+++ b/w.arazzo.yaml\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "-arazzo: 1.0.1 # the version we wrote it for\n+arazzo: 1.1.0 # the version we wrote it for\n"
        ),
        "{stdout}"
    );
    assert_eq!(
        stderr,
        "w.arazzo.yaml: would upgrade from 1.0.1 to 1.1.0\n  2:9: `1.0.1` → `1.1.0`\n"
    );
}

#[test]
fn a_document_of_another_version_is_refused_located() {
    let dir = project(&OLD.replace("1.0.1", "2.0.0"));
    let (code, _, stderr) = arazzo(dir.path(), &["upgrade", "w.arazzo.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("rewrites Arazzo 1.0.x documents; this one is not")
            && stderr.contains("w.arazzo.yaml:2:9"),
        "{stderr}"
    );
    assert_eq!(document(dir.path()), OLD.replace("1.0.1", "2.0.0"));
    // A missing document is reported, and the others still upgraded.
    let dir = project(
        &OLD.replace("find.pets", "findPets")
            .replace("{$inputs.tag}", "W/"),
    );
    let (code, _, stderr) = arazzo(dir.path(), &["upgrade", "nope.yaml", "w.arazzo.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("nope.yaml: cannot read the document: ")
            && stderr.contains("w.arazzo.yaml: upgraded from 1.0.1 to 1.1.0"),
        "{stderr}"
    );
    let dir = project("openapi: 3.1.0\n");
    let (code, _, stderr) = arazzo(dir.path(), &["upgrade", "w.arazzo.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("it has no `arazzo` field"), "{stderr}");
}

#[test]
fn the_specification_examples_check_the_same_after_upgrading() {
    let corpus = root().join("tests/corpus/oai-examples-1.0.0");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut documents = Vec::new();
    for entry in std::fs::read_dir(&corpus).expect("the corpus").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        std::fs::copy(entry.path(), dir.path().join(&name)).expect("a copy");
        if name.contains("arazzo") {
            documents.push(name);
        }
    }
    documents.sort();
    assert_eq!(documents.len(), 6);
    let documents: Vec<&str> = documents.iter().map(String::as_str).collect();
    let before = diagnostics(dir.path(), &documents, &[]);
    let before_alone = diagnostics(dir.path(), &documents, &["--skip-sources"]);
    assert!(!before.is_empty(), "the corpus has genuine mistakes");
    let mut args = vec!["upgrade"];
    args.extend(&documents);
    let (code, _, stderr) = arazzo(dir.path(), &args);
    assert_eq!(code, 0, "{stderr}");
    for name in &documents {
        let old = std::fs::read_to_string(corpus.join(name)).expect("the original");
        let new = std::fs::read_to_string(dir.path().join(name)).expect("the upgrade");
        assert_eq!(new, old.replacen("arazzo: 1.0.0", "arazzo: 1.1.0", 1));
    }
    assert_eq!(diagnostics(dir.path(), &documents, &[]), before);
    assert_eq!(
        diagnostics(dir.path(), &documents, &["--skip-sources"]),
        before_alone
    );
}

/// tests/fixtures/upgraded/ holds what `arazzo upgrade` makes of the specification's OAuth
/// example (and the OpenAPI file it names, unchanged); the root crate's tests/upgrade_same.rs
/// runs both versions and compares what they do.
#[test]
fn the_upgraded_fixture_is_what_upgrade_writes() {
    let corpus = root().join("tests/corpus/oai-examples-1.0.0");
    let fixture = root().join("tests/fixtures/upgraded");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let name = "oauth.arazzo.yaml";
    std::fs::copy(corpus.join(name), dir.path().join(name)).expect("a copy");
    let (code, _, stderr) = arazzo(dir.path(), &["upgrade", name]);
    assert_eq!(code, 0, "{stderr}");
    let read = |path: std::path::PathBuf| std::fs::read_to_string(path).expect("a file");
    assert_eq!(read(dir.path().join(name)), read(fixture.join(name)));
    let api = "oauth.openapi.yaml";
    assert_eq!(read(corpus.join(api)), read(fixture.join(api)));
}
