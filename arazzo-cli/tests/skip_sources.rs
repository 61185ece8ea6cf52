//! `arazzo check --skip-sources`, run as a user would: a document whose sources are remote is
//! checked alone (its structure, references and expressions), its broken parts are reported
//! located, and on every document of the workspace it reports exactly the errors `check`
//! reports that need no source.

mod support;

use std::collections::BTreeSet;

use support::{arazzo, project, root};

/// A document with a remote OpenAPI source and a remote Arazzo source, using every construct
/// that needs no source: path parameters read back, regex and JSONPath criteria, actions,
/// outputs, a call to another workflow.
const REMOTE: &str = "arazzo: 1.0.1
info: {title: Remote, version: 1.0.0}
sourceDescriptions:
  - name: api
    url: https://example.com/openapi.yaml
    type: openapi
  - name: flows
    url: https://example.com/flows.arazzo.yaml
    type: arazzo
workflows:
  - workflowId: read
    inputs:
      type: object
      required: [id]
      properties:
        id: {type: string}
    steps:
      - stepId: get
        operationId: $sourceDescriptions.api.getThing
        parameters:
          - {name: id, in: path, value: $inputs.id}
        successCriteria:
          - condition: $statusCode == 200 && $request.path.id == $inputs.id
          - {context: $response.body, condition: '$.items[?(@.ok == true)]', type: jsonpath}
          - {context: $response.header.Etag, condition: '^W/', type: regex}
        onFailure:
          - {name: again, type: retry, retryAfter: 1, retryLimit: 2, stepId: get}
        outputs:
          name: $response.body#/name
      - stepId: other
        operationPath: '{$sourceDescriptions.api.url}#/paths/~1things/post'
        requestBody:
          contentType: application/json
          payload: {name: $steps.get.outputs.name}
        outputs:
          created: $response.body
      - stepId: call
        workflowId: $sourceDescriptions.flows.audit
        parameters:
          - {name: thing, value: $steps.other.outputs.created}
        successCriteria:
          - condition: $steps.get.outputs.name != null
    outputs:
      name: $steps.get.outputs.name
";

#[test]
fn a_document_with_remote_sources_checks_alone() {
    let dir = project(REMOTE);
    let (code, stdout, stderr) = arazzo(dir.path(), &["check", "--skip-sources", "w.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "1 document checked, no errors\n");
    // Without the flag the sources are needed, and remote.
    let (code, _, stderr) = arazzo(dir.path(), &["check", "w.arazzo.yaml"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("has a remote URL"), "{stderr}");
}

#[test]
fn broken_structure_and_expressions_are_located() {
    let broken = REMOTE
        .replace("'^W/'", "'^W/('")
        .replace("'$.items[?(@.ok == true)]'", "'$.items[?(@.ok =='")
        .replace("stepId: get}", "stepId: gett}")
        .replace(
            "payload: {name: $steps.get.outputs.name}",
            "payload: {name: $steps.get.outputs.nme}",
        )
        .replace("$request.path.id ==", "$request.path.ident ==")
        .replace(
            "$steps.get.outputs.name != null",
            "$steps.gt.outputs.name != null",
        )
        .replace(
            "    outputs:\n      name: $steps",
            "    outptus:\n      name: $steps",
        );
    let dir = project(&broken);
    let (code, stdout, _) = arazzo(
        dir.path(),
        &[
            "check",
            "--skip-sources",
            "--format",
            "json",
            "w.arazzo.yaml",
        ],
    );
    assert_eq!(code, 1);
    let errors: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect("JSON");
    let found: Vec<(u64, String)> = errors
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap_or(0),
                e["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let expected = [
        (23, "the operation's path has no parameter `ident`"),
        (24, "JSONPath `$.items[?(@.ok ==` does not parse"),
        (25, "regex `^W/(` does not compile"),
        (27, "`gett`"),
        (34, "step `get` has no output `nme`"),
        (42, "unknown step `gt`"),
        (43, "unknown field `outptus`"),
    ];
    for (line, message) in expected {
        assert!(
            found.iter().any(|(l, m)| *l == line && m.contains(message)),
            "no error `{message}` at line {line} in {found:#?}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

/// Every Arazzo document of the workspace (the specification's examples, the fixtures, the UI
/// cases), checked with and without `--skip-sources`.
fn documents() -> Vec<String> {
    let mut out = Vec::new();
    for dir in [
        "tests/corpus/oai-examples-1.0.0",
        "tests/ui",
        "tests/fixtures",
        "workflows",
    ] {
        let mut pending = vec![root().join(dir)];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("a directory").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                if text.starts_with("arazzo:") {
                    let relative = path.strip_prefix(root()).expect("below the root");
                    out.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_document_reports_only_errors_check_reports() {
    let diagnostics = |file: &str, extra: &[&str]| -> BTreeSet<_> {
        support::diagnostics(&root(), &[file], extra)
            .into_iter()
            .collect()
    };
    let files = documents();
    assert!(files.len() > 50, "{files:?}");
    let mut structural = 0;
    for file in &files {
        let full = diagnostics(file, &[]);
        let alone = diagnostics(file, &["--skip-sources"]);
        let extra: Vec<_> = alone.difference(&full).collect();
        assert!(
            extra.is_empty(),
            "{file}: only with --skip-sources: {extra:#?}"
        );
        // No source is read: nothing about one is reported.
        assert!(alone.iter().all(|(f, ..)| f == file), "{file}: {alone:#?}");
        structural += alone.len();
    }
    // The UI cases and the corpus's genuine mistakes are still found.
    assert!(structural > 50, "{structural}");
    let corpus = diagnostics(
        "tests/corpus/oai-examples-1.0.0/bnpl-arazzo.yaml",
        &["--skip-sources"],
    );
    assert_eq!(corpus.len(), 4, "{corpus:#?}");
}

#[test]
fn an_operation_of_an_arazzo_source_is_refused_unread() {
    let dir = project(&REMOTE.replace(
        "operationId: $sourceDescriptions.api.getThing",
        "operationId: $sourceDescriptions.flows.getThing",
    ));
    let (code, _, stderr) = arazzo(dir.path(), &["check", "--skip-sources", "w.arazzo.yaml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "source description `flows` is an Arazzo document, which has workflows, not operations"
        ) && stderr.contains("w.arazzo.yaml:19:22"),
        "{stderr}"
    );
}
