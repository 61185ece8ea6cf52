//! Arazzo 1.1 reading (issue 15 items 1, 2 and 6): the object model by version, `$self` and
//! identity-based references, 1.1's stricter expression grammar, and criteria by version.

mod support;

use arazzo_compiler::version::{CRITERIA_CHANGES, Version};
use support::ISSUE_API;

/// A document of `version` with `root` (extra top-level YAML), whose source `api` is
/// [`ISSUE_API`], with `workflows` (YAML list items).
fn doc(version: &str, root: &str, workflows: &str) -> String {
    format!(
        "arazzo: {version}\n{root}info: {{title: Tracker, version: 1.0.0}}\nsourceDescriptions: [{{name: api, url: ./api.json, type: openapi}}]\nworkflows:\n{workflows}"
    )
}

/// One workflow `w` whose one step `get` calls `getIssue`, with `extra` (YAML) in the step.
fn step(extra: &str) -> String {
    format!("- workflowId: w\n  steps:\n  - stepId: get\n    operationId: getIssue\n{extra}")
}

/// The errors of compiling `document` with `files` beside it, as `line:col: message` and
/// help; empty when it compiles.
fn errors_with(document: &str, files: &[(&str, &str)]) -> Vec<(String, Option<String>)> {
    let mut all = vec![("api.json", ISSUE_API)];
    all.extend_from_slice(files);
    match arazzo_compiler::expand_text(document, &all) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .map(|e| {
                (
                    format!("{}:{}:{}: {}", e.file, e.line, e.col, e.message),
                    e.help,
                )
            })
            .collect(),
    }
}

fn errors(document: &str) -> Vec<(String, Option<String>)> {
    errors_with(document, &[])
}

const UPGRADE: &str =
    "run `arazzo upgrade` on this document to move it to Arazzo 1.1.0, or remove it";

#[test]
fn self_is_read_in_a_1_1_document() {
    let document = doc(
        "1.1.0",
        "$self: https://example.com/workflows/tracker.arazzo.yaml\n",
        &step(""),
    );
    assert_eq!(errors(&document), Vec::new());
}

#[test]
fn a_1_1_field_in_a_1_0_document_points_at_upgrade() {
    let document = doc(
        "1.0.1",
        "$self: https://example.com/workflows/tracker.arazzo.yaml\n",
        &step(""),
    );
    assert_eq!(
        errors(&document),
        vec![(
            "document.arazzo.yaml:2:1: `$self` is Arazzo 1.1; this document is Arazzo 1.0"
                .to_owned(),
            Some(UPGRADE.to_owned())
        )]
    );
}

#[test]
fn a_1_1_value_in_a_1_0_document_points_at_upgrade() {
    let querystring = doc(
        "1.0.1",
        "",
        &step("    parameters: [{name: q, in: querystring, value: a=1}]\n"),
    );
    // Reported, and still read as a querystring parameter (which `getIssue` does not have).
    assert_eq!(
        errors(&querystring),
        vec![
            (
                "document.arazzo.yaml:9:25: operation `getIssue` has no querystring parameter `q`"
                    .to_owned(),
                Some("it declares no querystring parameters".to_owned())
            ),
            (
                "document.arazzo.yaml:9:32: `in: querystring` is Arazzo 1.1; this document is Arazzo 1.0"
                    .to_owned(),
                Some(UPGRADE.to_owned())
            )
        ]
    );
    let rfc9535 = doc(
        "1.0.1",
        "",
        &step(
            "    successCriteria:\n    - {context: $response.body, condition: '$.count', type: {type: jsonpath, version: rfc9535}}\n",
        ),
    );
    assert_eq!(
        errors(&rfc9535),
        vec![(
            "document.arazzo.yaml:10:87: `version: rfc9535` is Arazzo 1.1; this document is Arazzo 1.0"
                .to_owned(),
            Some(UPGRADE.to_owned())
        )]
    );
    // The same criterion is 1.1.
    assert_eq!(
        errors(&rfc9535.replace("arazzo: 1.0.1", "arazzo: 1.1.0")),
        Vec::new()
    );
}

#[test]
fn a_1_1_field_on_the_wrong_kind_of_step_is_located_not_an_unknown_field() {
    let document = doc(
        "1.1.0",
        "",
        "- workflowId: w
  steps:
  - stepId: first
    operationId: getIssue
  - stepId: get
    operationId: getIssue
    dependsOn: [first]
    timeout: 5000
    correlationId: abc
    outputs:
      state: {context: $response.body, selector: /state, type: jsonpointer}
",
    );
    assert_eq!(
        errors(&document),
        // `dependsOn`, `timeout` and the Selector Object are implemented; the AsyncAPI field
        // `correlationId` is read too, and on a step that calls an HTTP operation it is a
        // located error of its own, not an unknown field.
        vec![(
            "document.arazzo.yaml:13:20: `correlationId` applies only to AsyncAPI steps with `action: receive`, and step `get` is not one".to_owned(),
            Some("remove `correlationId`".to_owned())
        )]
    );
}

#[test]
fn self_must_be_a_uri_reference_without_a_fragment() {
    let with = |uri: &str| errors(&doc("1.1.0", &format!("$self: '{uri}'\n"), &step("")));
    assert_eq!(
        with("https://example.com/a.arazzo.yaml#top"),
        vec![(
            "document.arazzo.yaml:2:8: `$self` `https://example.com/a.arazzo.yaml#top` has a fragment (`#top`); a document's URI must not".to_owned(),
            Some("remove `#top`".to_owned())
        )]
    );
    assert_eq!(
        with("https://example.com/my flows.yaml"),
        vec![(
            "document.arazzo.yaml:2:8: `$self` `https://example.com/my flows.yaml` is not a URI reference (RFC 3986): ` ` is not allowed in a URI".to_owned(),
            Some("percent-encode it (`%20`)".to_owned())
        )]
    );
    assert_eq!(
        with("https://example.com/100%.yaml")[0].0,
        "document.arazzo.yaml:2:8: `$self` `https://example.com/100%.yaml` is not a URI reference (RFC 3986): `%` must be followed by two hexadecimal digits"
    );
    // A relative `$self` is a URI-reference too (Appendix B, "Resolving Relative `$self`").
    assert_eq!(with("workflows/tracker.arazzo.yaml"), Vec::new());
}

/// A 1.1 document with one workflow `shared_flow` calling `getIssue`.
fn shared(self_uri: &str, sources: &str) -> String {
    format!(
        "arazzo: 1.1.0\n$self: {self_uri}\ninfo: {{title: Shared, version: 1.0.0}}\nsourceDescriptions:\n- {{name: api, url: ./api.json, type: openapi}}\n{sources}workflows:\n- workflowId: shared_flow\n  steps:\n  - {{stepId: get, operationId: getIssue}}\n"
    )
}

/// A document whose sources are `sources` (YAML list items) and whose workflow `w` calls
/// `$sourceDescriptions.<callee>.shared_flow`.
fn caller(root: &str, sources: &str, callee: &str) -> String {
    format!(
        "arazzo: 1.1.0\n{root}info: {{title: Caller, version: 1.0.0}}\nsourceDescriptions:\n{sources}workflows:\n- workflowId: w\n  steps:\n  - {{stepId: call, workflowId: $sourceDescriptions.{callee}.shared_flow}}\n"
    )
}

#[test]
fn an_absolute_source_url_names_a_loaded_document_by_its_self() {
    // `billing` names `shared` by identity; the root loads `shared` by location.
    let billing = caller(
        "",
        "- {name: api, url: ./api.json, type: openapi}\n- {name: lib, url: 'https://example.com/lib/shared.arazzo.yaml', type: arazzo}\n",
        "lib",
    );
    let root = caller(
        "",
        "- {name: shared, url: ./shared.arazzo.yaml, type: arazzo}\n- {name: billing, url: ./billing.arazzo.yaml, type: arazzo}\n",
        "billing",
    )
    .replace("shared_flow", "w");
    let files = [
        (
            "shared.arazzo.yaml",
            shared("https://example.com/lib/shared.arazzo.yaml", ""),
        ),
        ("billing.arazzo.yaml", billing),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    assert_eq!(errors_with(&root, &files), Vec::new());
    // Named before it is loaded: `billing` first.
    let reordered = root.replace(
        "- {name: shared, url: ./shared.arazzo.yaml, type: arazzo}\n- {name: billing, url: ./billing.arazzo.yaml, type: arazzo}\n",
        "- {name: billing, url: ./billing.arazzo.yaml, type: arazzo}\n- {name: shared, url: ./shared.arazzo.yaml, type: arazzo}\n",
    );
    assert_eq!(errors_with(&reordered, &files), Vec::new());
}

#[test]
fn a_relative_source_url_resolves_against_self() {
    // Appendix B: `../lib/shared.arazzo.yaml` against `$self` is the `$self` of the document
    // loaded as `./shared.arazzo.yaml`; no file is read at `../lib/`.
    let root = caller(
        "$self: https://example.com/flows/root.arazzo.yaml\n",
        "- {name: local, url: ./shared.arazzo.yaml, type: arazzo}\n- {name: lib, url: ../lib/shared.arazzo.yaml, type: arazzo}\n",
        "lib",
    );
    let shared = shared("https://example.com/lib/shared.arazzo.yaml", "");
    assert_eq!(
        errors_with(&root, &[("shared.arazzo.yaml", &shared)]),
        Vec::new()
    );
}

#[test]
fn an_absolute_source_url_that_no_loaded_document_has_as_self_is_remote() {
    let root = caller(
        "",
        "- {name: lib, url: 'https://example.com/lib/shared.arazzo.yaml', type: arazzo}\n",
        "lib",
    );
    assert_eq!(
        errors(&root),
        vec![(
            "document.arazzo.yaml:4:20: source description `lib` has a remote URL; the compiler never fetches at build time".to_owned(),
            Some("download the file into the crate and give its relative path, or load a local document whose `$self` is this URL (through another source with a relative path)".to_owned())
        )]
    );
}

#[test]
fn identity_references_in_a_cycle_are_an_error() {
    let root = caller(
        "$self: https://example.com/root.arazzo.yaml\n",
        "- {name: lib, url: ./shared.arazzo.yaml, type: arazzo}\n",
        "lib",
    );
    let shared = shared(
        "https://example.com/shared.arazzo.yaml",
        "- {name: back, url: 'https://example.com/root.arazzo.yaml', type: arazzo}\n",
    );
    let found = errors_with(&root, &[("shared.arazzo.yaml", &shared)]);
    assert_eq!(
        found[0].0,
        "shared.arazzo.yaml:6:21: arazzo-type source `back` names a document that loads this one (`$self` `https://example.com/root.arazzo.yaml`): the documents refer to each other in a cycle",
        "{found:?}"
    );
}

#[test]
fn two_documents_with_one_self_are_an_error() {
    let root = caller(
        "$self: https://example.com/shared.arazzo.yaml\n",
        "- {name: lib, url: ./lib/shared.arazzo.yaml, type: arazzo}\n",
        "lib",
    );
    let shared = shared("https://example.com/shared.arazzo.yaml", "");
    assert_eq!(
        errors_with(
            &root,
            &[("lib/shared.arazzo.yaml", &shared), ("lib/api.json", ISSUE_API)]
        ),
        vec![(
            "lib/shared.arazzo.yaml:2:8: `$self` `https://example.com/shared.arazzo.yaml` is also the `$self` of `document.arazzo.yaml`".to_owned(),
            Some("give each document its own `$self`".to_owned())
        )]
    );
}

#[test]
fn a_1_1_document_gets_the_stricter_expression_grammar() {
    let outputs = "    outputs: {c: '$response.body#/co{u}nt'}\n";
    let v11 = errors(&doc("1.1.0", "", &step(outputs)));
    assert_eq!(
        v11,
        vec![(
            "document.arazzo.yaml:9:18: in Arazzo 1.1 a JSON pointer in a runtime expression may not hold `{` or `}`; `/co{u}nt` does".to_owned(),
            Some("a member whose name holds `{` or `}` cannot be named in a 1.1 pointer; point at the object that holds it".to_owned())
        )]
    );
    // 1.0's grammar allows the pointer (the body has no such member: another error).
    let v10 = errors(&doc("1.0.1", "", &step(outputs)));
    assert!(
        v10.iter().all(|(m, _)| !m.contains("Arazzo 1.1")),
        "{v10:?}"
    );
    let components = "- workflowId: w\n  outputs: {p: $components.inputs.page}\n  steps:\n  - {stepId: get, operationId: getIssue}\n";
    assert_eq!(
        errors(&doc("1.1.0", "", components))[0].0,
        "document.arazzo.yaml:6:16: in Arazzo 1.1 `$components.inputs` is not a runtime expression: only `parameters`, `successActions` and `failureActions` are"
    );
}

#[test]
fn the_self_expression_is_the_documents_self_in_1_1() {
    let outputs = "  outputs: {me: $self}\n";
    let workflows =
        format!("- workflowId: w\n{outputs}  steps:\n  - {{stepId: get, operationId: getIssue}}\n");
    assert_eq!(
        errors(&doc("1.0.1", "", &workflows)),
        vec![(
            "document.arazzo.yaml:6:17: the runtime expression `$self` is Arazzo 1.1; this document is Arazzo 1.0".to_owned(),
            Some(UPGRADE.to_owned())
        )]
    );
    assert_eq!(
        errors(&doc("1.1.0", "", &workflows)),
        vec![(
            "document.arazzo.yaml:6:17: `$self` is this document's `$self` field, which it does not have".to_owned(),
            Some("add `$self: <the document's URI>` at the top of the document".to_owned())
        )]
    );
    let with_self = doc(
        "1.1.0",
        "$self: https://example.com/tracker.arazzo.yaml\n",
        &workflows,
    );
    let expansion = arazzo_compiler::expand_text(&with_self, &[("api.json", ISSUE_API)])
        .expect("a 1.1 document with `$self` compiles");
    assert!(
        expansion
            .tokens
            .to_string()
            .contains("\"https://example.com/tracker.arazzo.yaml\""),
        "the output is the document's `$self`"
    );
}

#[test]
fn embedded_expressions_in_typed_conditions_follow_the_version() {
    let criterion = "    successCriteria:\n    - {context: $response.body#/title, condition: '^{$statusCode}', type: regex}\n";
    // 1.0: the braces are text of the pattern (here a repetition that does not compile).
    let v10 = errors(&doc("1.0.1", "", &step(criterion)));
    assert!(
        v10[0].0.contains("regex `^{$statusCode}` does not compile"),
        "{v10:?}"
    );
    // 1.1: a runtime expression substituted at run time (tests/embedded_conditions.rs).
    assert_eq!(errors(&doc("1.1.0", "", &step(criterion))), Vec::new());
}

#[test]
fn criteria_semantics_are_decided_by_version() {
    let (v10, v11) = (Version::V1_0.semantics(), Version::V1_1.semantics());
    assert!(!v10.embedded_expressions_in_typed_conditions);
    assert!(v11.embedded_expressions_in_typed_conditions);
    assert!(!v10.jsonpath_versions.contains(&"rfc9535"));
    assert!(v11.xpath_versions.contains(&"xpath-31"));
    assert_eq!(Version::parse("1.1.0"), Some(Version::V1_1));
    assert_eq!(Version::parse("1.0.1"), Some(Version::V1_0));
    assert_eq!(Version::parse("2.0.0"), None);
    // What `arazzo upgrade` must rewrite: the one rule whose meaning changed.
    let rewrites: Vec<&str> = CRITERIA_CHANGES
        .iter()
        .filter(|c| c.upgrade_rewrites)
        .map(|c| c.rule)
        .collect();
    assert_eq!(
        rewrites,
        ["embedded expressions in regex/jsonpath/xpath conditions"]
    );
}

#[test]
fn a_1_0_document_does_not_name_documents_by_identity() {
    // The same absolute URL that a 1.1 document resolves by `$self` stays remote in 1.0.
    let billing = caller(
        "",
        "- {name: api, url: ./api.json, type: openapi}\n- {name: lib, url: 'https://example.com/lib/shared.arazzo.yaml', type: arazzo}\n",
        "lib",
    )
    .replace("arazzo: 1.1.0", "arazzo: 1.0.1");
    let root = caller(
        "",
        "- {name: shared, url: ./shared.arazzo.yaml, type: arazzo}\n- {name: billing, url: ./billing.arazzo.yaml, type: arazzo}\n",
        "billing",
    )
    .replace("shared_flow", "w");
    let shared = shared("https://example.com/lib/shared.arazzo.yaml", "");
    let found = errors_with(
        &root,
        &[
            ("shared.arazzo.yaml", &shared),
            ("billing.arazzo.yaml", &billing),
        ],
    );
    assert_eq!(
        found[0].0,
        "billing.arazzo.yaml:5:20: source description `lib` has a remote URL; the compiler never fetches at build time",
        "{found:?}"
    );
}

#[test]
fn a_step_timeout_is_a_positive_number_of_milliseconds() {
    let with = |timeout: &str| {
        errors(&doc(
            "1.1.0",
            "",
            &step(&format!("    timeout: {timeout}\n")),
        ))
    };
    assert_eq!(with("5000"), Vec::new());
    let wrong = |at: &str| {
        vec![(
            format!(
                "document.arazzo.yaml:{at}: the `timeout` of step `get` must be a positive whole number of milliseconds"
            ),
            Some("write, for example, `timeout: 5000` for five seconds".to_owned()),
        )]
    };
    for bad in ["0", "-5", "'5s'", "1.5"] {
        assert_eq!(with(bad), wrong("9:14"), "{bad}");
    }
    // Arazzo 1.0 has no step timeout.
    assert_eq!(
        errors(&doc("1.0.1", "", &step("    timeout: 5000\n"))),
        vec![(
            "document.arazzo.yaml:9:5: step field `timeout` is Arazzo 1.1; this document is Arazzo 1.0".to_owned(),
            Some(UPGRADE.to_owned()),
        )]
    );
}

#[test]
fn a_step_timeout_bounds_the_request_in_the_generated_code() {
    let document = doc("1.1.0", "", &step("    timeout: 250\n"));
    let code = arazzo_compiler::expand_text(&document, &[("api.json", ISSUE_API)])
        .expect("compiles")
        .tokens
        .to_string();
    assert!(
        code.contains("req . timeout (:: std :: time :: Duration :: from_millis (250))"),
        "{code}"
    );
}

#[test]
fn a_timeout_on_a_step_that_calls_a_workflow_bounds_the_call() {
    let workflows = format!(
        "{}- workflowId: caller\n  steps:\n  - stepId: call\n    workflowId: w\n    timeout: 5000\n",
        step("")
    );
    let code =
        arazzo_compiler::expand_text(&doc("1.1.0", "", &workflows), &[("api.json", ISSUE_API)])
            .expect("compiles")
            .tokens
            .to_string();
    assert!(
        code.contains("rt :: within (limit , Box :: pin (super :: w :: __run_at_depth"),
        "{code}"
    );
    assert!(code.contains("Duration :: from_millis (5000u64)"), "{code}");
}
