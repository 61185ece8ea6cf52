//! The compiler as a library: the seed expands, every UI case fails with located messages.

use std::path::PathBuf;

mod support;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn expand(path: &str) -> Result<arazzo_compiler::Expansion, Vec<arazzo_compiler::Diagnostic>> {
    let root = root();
    arazzo_compiler::expand(&arazzo_compiler::Request {
        path: path.to_owned(),
        manifest_dir: root.clone(),
        invoking_file: None,
        cwd: Some(root),
        ..Default::default()
    })
}

#[test]
fn seed_expands_and_tracks_every_file_it_read() {
    let expansion = expand("workflows/mixpanel.yml").expect("the seed compiles");
    let names: Vec<String> = expansion
        .files
        .iter()
        .filter_map(|p| p.file_name()?.to_str().map(str::to_owned))
        .collect();
    assert_eq!(
        names,
        [
            "mixpanel.yml",
            "mixpanel-identity-openapi.yml",
            "mixpanel-ingestion-openapi.yml",
            "mixpanel-query-openapi.yml"
        ]
    );
    let code = expansion.tokens.to_string();
    for file in &expansion.files {
        let path = file.to_str().expect("utf-8 path");
        assert!(
            code.contains(&format!("include_bytes ! ({path:?})")),
            "{path} is not tracked"
        );
    }
    for expected in [
        "pub mod identity_resolve_and_track",
        "pub struct Inputs",
        "pub project_id : i64",
        "pub identity_status : i64",
        "pub fn query_api_basic_auth",
        "pub fn base_url_query_api",
    ] {
        assert!(code.contains(expected), "missing `{expected}`");
    }
    // The track step sends the token itself, so no ingestion credential is asked for.
    assert!(!code.contains("ingestion_api_project_token"));
}

#[test]
fn valid_ui_document_compiles() {
    expand("tests/ui/valid_document.yml").expect("valid");
}

#[test]
fn every_ui_document_fails_with_located_messages() {
    let dir = root().join("tests/ui");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/ui") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        if !name.ends_with(".yml") || name == "valid_document.yml" {
            continue;
        }
        let diagnostics = expand(&format!("tests/ui/{name}")).expect_err(&name);
        for d in &diagnostics {
            assert!(d.line > 0 && d.col > 0, "{name}: unlocated {d}");
            assert!(d.file == format!("tests/ui/{name}"), "{name}: {d}");
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} cases");
}

#[test]
fn several_errors_are_reported_together() {
    let diagnostics = expand("tests/ui/several_errors.yml").expect_err("broken");
    let text: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 3, "{text:#?}");
    assert!(
        text[0].contains("no source description defines operationId `trackEvents`"),
        "{text:#?}"
    );
    assert!(text[0].ends_with("did you mean `trackEvent`?"), "{text:#?}");
    assert!(text[1].contains("unknown input `projectID`"), "{text:#?}");
    assert!(text[2].contains("unknown step `trackEvnt`"), "{text:#?}");
}

#[test]
fn paths_must_be_relative_and_exist() {
    let d = expand("/etc/passwd").expect_err("absolute");
    assert!(d[0].message.contains("must be relative"), "{}", d[0]);
    let d = expand("workflows/mixpanl.yml").expect_err("typo");
    assert_eq!(
        d[0].help.as_deref(),
        Some("did you mean `workflows/mixpanel.yml`?")
    );
    let d = expand("./x.yml").expect_err("no invoking file");
    assert!(d[0].message.contains("invoking source file"), "{}", d[0]);
}

#[test]
fn arazzo_sources_bring_their_workflows_and_sources_into_one_client() {
    let expansion = expand("tests/fixtures/sources/only-shared.arazzo.yml").expect("compiles");
    let code = expansion.tokens.to_string();
    // The other document's workflows are modules named after the source that brought them in.
    for module in [
        "pub mod fetch",
        "pub mod shared_login",
        "pub mod shared_fetch_result",
    ] {
        assert!(code.contains(module), "{module}");
    }
    // Its OpenAPI source is not one of this document's, so its base URL method is prefixed.
    assert!(code.contains("pub fn base_url_shared_api"));
    let read: Vec<String> = expansion
        .files
        .iter()
        .filter_map(|f| f.file_name()?.to_str().map(str::to_owned))
        .collect();
    assert_eq!(
        read,
        [
            "only-shared.arazzo.yml",
            "shared.arazzo.yml",
            "jobs.openapi.yml"
        ]
    );
}

/// `secrets` names: `input`, `workflowId.input`, and workflowIds that contain dots.
#[test]
fn secrets_name_inputs_plainly_or_by_workflow_even_with_dots_in_its_id() {
    let scratch = support::Scratch::with_sources("secrets");
    let seed = std::fs::read_to_string(root().join("workflows/mixpanel.yml")).expect("seed");
    scratch.write(
        "workflows/dotted.yml",
        seed.replace(
            "workflowId: identity-resolve-and-track",
            "workflowId: identity.resolve",
        )
        .as_bytes(),
    );
    let expand = |secrets: &[&str]| {
        arazzo_compiler::expand(&arazzo_compiler::Request {
            path: "workflows/dotted.yml".to_owned(),
            manifest_dir: scratch.path().to_path_buf(),
            cwd: Some(scratch.path().to_path_buf()),
            secrets: secrets.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        })
    };
    // `Debug` of a secret field prints `***`: the generated impl names the field.
    let masked = |secrets: &[&str]| {
        let tokens = expand(secrets).expect("compiles").tokens.to_string();
        tokens.contains("field (\"project_token\" , & :: std :: format_args ! (\"***\"))")
    };
    assert!(!masked(&[]));
    assert!(masked(&["projectToken"]));
    assert!(masked(&["identity.resolve.projectToken"]));
    let errors = expand(&["identity.resolve.projectTokn"]).expect_err("typo");
    assert_eq!(
        errors[0].message,
        "`secrets` names `identity.resolve.projectTokn`, but `projectTokn` is no input of \
         workflow `identity.resolve`"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `projectToken`?")
    );
}

/// The names the checker keeps source and scheme methods off are exactly the methods of the
/// runtime's `client_builder_methods!`, which every generated builder expands.
#[test]
fn builder_methods_the_checker_reserves_are_generated() {
    let tokens = expand("workflows/mixpanel.yml")
        .expect("the seed compiles")
        .tokens
        .to_string();
    assert!(tokens.contains("rt :: client_builder_methods ! (Client)"));
    let runtime = std::fs::read_to_string(root().join("arazzo-runtime/src/client.rs"))
        .expect("runtime source");
    let start = runtime
        .find("macro_rules! client_builder_methods")
        .expect("the macro");
    let body = &runtime[start..];
    let body = &body[..body.find("\n}\n").expect("end of the macro")];
    let mut defined: Vec<&str> = body
        .match_indices("pub fn ")
        .filter_map(|(i, _)| body[i + 7..].split('(').next())
        .collect();
    let mut reserved = arazzo_compiler::codegen::BUILDER_METHODS.to_vec();
    defined.sort_unstable();
    reserved.sort_unstable();
    assert_eq!(defined, reserved);
}

/// Every public item of the generated code has a doc comment, so a user's
/// `#![deny(missing_docs)]` holds, whether or not the document describes it.
#[test]
fn every_public_generated_item_is_documented() {
    fn documented(attrs: &[syn::Attribute]) -> bool {
        attrs.iter().any(|a| a.path().is_ident("doc"))
    }
    fn public(vis: &syn::Visibility) -> bool {
        matches!(vis, syn::Visibility::Public(_))
    }
    fn check(items: &[syn::Item], path: &str, missing: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Struct(s) if public(&s.vis) => {
                    if !documented(&s.attrs) {
                        missing.push(format!("{path}::{}", s.ident));
                    }
                    for f in &s.fields {
                        if public(&f.vis) && !documented(&f.attrs) {
                            missing.push(format!("{path}::{}::{:?}", s.ident, f.ident));
                        }
                    }
                }
                syn::Item::Enum(e) if public(&e.vis) && !documented(&e.attrs) => {
                    missing.push(format!("{path}::{}", e.ident));
                }
                syn::Item::Fn(f) if public(&f.vis) && !documented(&f.attrs) => {
                    missing.push(format!("{path}::{}", f.sig.ident));
                }
                syn::Item::Mod(m) if public(&m.vis) => {
                    if !documented(&m.attrs) {
                        missing.push(format!("{path}::{}", m.ident));
                    }
                    if let Some((_, inner)) = &m.content {
                        check(inner, &format!("{path}::{}", m.ident), missing);
                    }
                }
                _ => {}
            }
        }
    }
    for document in [
        "workflows/mixpanel.yml",
        "benches/fixtures/twenty.arazzo.yml",
        "tests/fixtures/actions/jobs.arazzo.yml",
        "tests/ui-pass/type_mappings.yml",
    ] {
        let tokens = expand(document).expect("compiles").tokens;
        let file: syn::File = syn::parse2(tokens).expect("parses");
        let mut missing = Vec::new();
        check(&file.items, document, &mut missing);
        assert!(missing.is_empty(), "undocumented: {missing:#?}");
    }
}

/// A workflow named like a crate (`arazzo`, `tokio`, `std`, …) gets a module that cannot shadow
/// it in the user's code: `arazzo_workflow`, not `arazzo` (which made `arazzo::…` ambiguous).
#[test]
fn workflows_named_like_crates_get_modules_that_do_not_shadow_them() {
    let scratch = support::Scratch::with_sources("crate-names");
    let seed = std::fs::read_to_string(root().join("workflows/mixpanel.yml")).expect("seed");
    for (id, module) in [
        ("arazzo", "arazzo_workflow"),
        ("tokio", "tokio_workflow"),
        ("std", "std_workflow"),
    ] {
        scratch.write(
            "workflows/named.yml",
            seed.replace(
                "workflowId: identity-resolve-and-track",
                &format!("workflowId: {id}"),
            )
            .as_bytes(),
        );
        let tokens = scratch
            .expand("workflows/named.yml")
            .expect("compiles")
            .tokens;
        let file: syn::File = syn::parse2(tokens).expect("parses");
        let modules: Vec<String> = file
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Mod(m) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(modules, [module], "{id}");
    }
}

/// A called workflow whose `inputs` is a `$ref` to `components.inputs` is read through it: its
/// inputs are known to the calling step, `$workflows.<id>.inputs` and `dependsOn` (they used to
/// read the raw `{$ref: …}` and report "declares no inputs").
#[test]
fn a_called_workflows_inputs_are_read_through_their_ref() {
    let scratch = support::Scratch::with_sources("callee-inputs-ref");
    let calls =
        std::fs::read_to_string(root().join("tests/fixtures/calls.arazzo.yml")).expect("fixture");
    let inline = "  inputs:\n    type: object\n    required: [projectId, eventName, day]\n    properties:\n      projectId:\n        type: integer\n      eventName:\n        type: string\n      day:\n        type: string\n  steps:\n  - stepId: segmentEvent\n";
    assert!(calls.contains(inline), "the fixture changed");
    let mut doc = calls
        .replacen(
            inline,
            "  inputs:\n    $ref: '#/components/inputs/segmentInputs'\n  steps:\n  - stepId: segmentEvent\n",
            1,
        )
        .replace("../../openapi/", "../openapi/");
    doc.push_str("components:\n  inputs:\n    segmentInputs:\n      type: object\n      required: [projectId, eventName, day]\n      properties:\n        projectId:\n          type: integer\n        eventName:\n          type: string\n        day:\n          type: string\n");
    scratch.write("workflows/calls.yml", doc.as_bytes());
    if let Err(errors) = scratch.expand("workflows/calls.yml") {
        panic!("{errors:#?}");
    }
}

/// Input names may contain dots (`tab.export`, `Configuration.RetryCount`): `$inputs.tab.export`
/// reads that input, the longest declared name first, and what follows are its properties.
#[test]
fn input_names_with_dots() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/ping": {"get": {"operationId": "ping",
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}},
                       {"name": "n", "in": "query", "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok"}}}}}}"#;
    let doc = "
arazzo: 1.0.1
info: {title: Ping, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.json, type: openapi}]
workflows:
- workflowId: ping
  inputs:
    type: object
    required: [Configuration.Retry, tab]
    properties:
      tab.export: {type: string}
      tab: {type: object, properties: {export: {type: integer}}}
      Configuration.Retry: {type: object, properties: {Count: {type: integer}}}
  steps:
  - stepId: one
    operationId: ping
    parameters:
    - {name: q, in: query, value: $inputs.tab.export}
    - {name: n, in: query, value: $inputs.Configuration.Retry.Count}
";
    let expansion = arazzo_compiler::expand_text(doc, &[("api.json", api)])
        .unwrap_or_else(|e| panic!("{e:#?}"));
    let tokens = expansion.tokens.to_string();
    assert!(tokens.contains("cx . inputs . tab_export"), "{tokens}");
    assert!(
        tokens.contains("cx . inputs . configuration_retry . count"),
        "{tokens}"
    );
    let unknown = doc.replace("$inputs.tab.export}", "$inputs.tab.exprt}");
    let errors = arazzo_compiler::expand_text(&unknown, &[("api.json", api)]).expect_err("typo");
    assert!(
        errors[0].message.contains("no property `exprt`"),
        "{errors:#?}"
    );
}

/// `workflowId` and `stepId` SHOULD match `[A-Za-z0-9_\-]+` (Arazzo 1.0.1): one that does not is
/// accepted, its Rust names sanitized (`Plan a Trip` → module `plan_a_trip`).
#[test]
fn ids_outside_the_recommended_pattern_are_accepted() {
    let scratch = support::Scratch::with_sources("id-pattern");
    let seed = std::fs::read_to_string(root().join("workflows/mixpanel.yml")).expect("seed");
    scratch.write(
        "workflows/trip.yml",
        seed.replace(
            "workflowId: identity-resolve-and-track",
            "workflowId: Plan a Trip",
        )
        .as_bytes(),
    );
    let tokens = scratch
        .expand("workflows/trip.yml")
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .tokens
        .to_string();
    assert!(tokens.contains("pub mod plan_a_trip"), "{tokens}");
    assert!(tokens.contains("\"Plan a Trip\""));
}

/// `operationPath: $sourceDescriptions.api#/paths/~1ping/get` (the runtime expression naming
/// the source, without braces or `.url`, as published examples write it) means the same as
/// the specification's `{$sourceDescriptions.api.url}#/paths/~1ping/get`.
#[test]
fn operation_paths_naming_the_source_itself() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}}}"#;
    let doc = |path: &str| {
        format!(
            "arazzo: 1.0.1\ninfo: {{title: Ping, version: 1.0.0}}\nsourceDescriptions: [{{name: api, url: ./api.json, type: openapi}}]\nworkflows:\n- workflowId: ping\n  steps:\n  - stepId: one\n    operationPath: '{path}'\n"
        )
    };
    for path in [
        "{$sourceDescriptions.api.url}#/paths/~1ping/get",
        "$sourceDescriptions.api#/paths/~1ping/get",
    ] {
        if let Err(e) = arazzo_compiler::expand_text(&doc(path), &[("api.json", api)]) {
            panic!("{path}: {e:#?}");
        }
    }
    let errors = arazzo_compiler::expand_text(
        &doc("$sourceDescriptions.apx#/paths/~1ping/get"),
        &[("api.json", api)],
    )
    .expect_err("unknown source");
    assert!(errors[0].message.contains("apx"), "{errors:#?}");
}

/// A workflow that calls, or depends on, a workflow with an error of its own gets no second
/// error: it used to be reported as calling or depending on itself.
#[test]
fn a_callees_error_is_reported_once() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}}}"#;
    let doc = "
arazzo: 1.0.1
info: {title: Ping, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.json, type: openapi}]
workflows:
- workflowId: broken
  steps:
  - {stepId: one, operationId: ping}
  outputs: {x: $steps.one.outputs.pong}
- workflowId: caller
  dependsOn: [broken]
  steps:
  - {stepId: call, workflowId: broken}
";
    let errors = arazzo_compiler::expand_text(doc, &[("api.json", api)]).expect_err("no output");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("pong"), "{errors:#?}");
}

/// Forms other runners accept are not Arazzo and stay errors, but each message gives the
/// specification's spelling of exactly what was meant.
#[test]
fn dialects_get_the_specifications_form() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/ping": {"get": {"operationId": "ping",
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
          {"type": "object", "properties": {"user": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}}}}}}}"#;
    let head = "arazzo: 1.0.1\ninfo: {title: Ping, version: 1.0.0}\nsourceDescriptions: [{name: api, url: ./api.json, type: openapi}]\nworkflows:\n- workflowId: ping\n  steps:\n";
    let first = "  - stepId: one\n    operationId: ping\n    outputs: {token: $response.body#/user/name, lead: $response.body#/user}\n";
    for (step, help) in [
        (
            "  - stepId: two\n    operationId: ping\n    outputs: {y: '$response.body.user.name'}\n",
            "write `$response.body#/user/name`",
        ),
        (
            "  - stepId: two\n    operationId: ping\n    outputs: {y: '$response.headers.X-Id'}\n",
            "write `$response.header.X-Id`",
        ),
        (
            "  - stepId: two\n    operationId: ping\n    parameters: [{name: q, in: query, value: $steps.one.token}]\n",
            "write `$steps.one.outputs.token`",
        ),
        (
            "  - stepId: two\n    operationId: ping\n    parameters: [{name: q, in: query, value: $steps.one.outputs.lead.name}]\n",
            "write `$steps.one.outputs.lead#/name`",
        ),
        (
            "  - stepId: two\n    operationId: api.ping\n",
            "write `$sourceDescriptions.api.ping`",
        ),
        (
            "  - stepId: two\n    operationPath: 'api#/paths/~1ping/get'\n",
            "write `{$sourceDescriptions.api.url}#/paths/~1ping/get`",
        ),
    ] {
        let doc = format!("{head}{first}{step}");
        let errors = arazzo_compiler::expand_text(&doc, &[("api.json", api)]).expect_err(help);
        assert!(
            errors.iter().any(|e| e.help.as_deref() == Some(help)),
            "{help}: {errors:#?}"
        );
    }
}

/// `doc` with every fix of `errors` applied (non-overlapping ones, from the end).
fn apply_fixes(doc: &str, errors: &[arazzo_compiler::Diagnostic]) -> String {
    let mut fixes: Vec<&arazzo_compiler::diag::Fix> =
        errors.iter().filter_map(|e| e.fix.as_ref()).collect();
    fixes.sort_by_key(|f| std::cmp::Reverse(f.range.start));
    let mut out = doc.to_owned();
    let mut end = usize::MAX;
    for fix in fixes {
        if fix.range.end <= end {
            out.replace_range(fix.range.clone(), &fix.replacement);
            end = fix.range.start;
        }
    }
    out
}

/// Each dialect form carries the edit that writes the specification's form in its place, and
/// the edited document compiles; genuine mistakes carry none.
#[test]
fn dialect_fixes_rewrite_exactly_the_wrong_text() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/ping": {"get": {"operationId": "ping",
        "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
          {"type": "object", "properties": {"user": {"type": "object", "properties": {"name": {"type": "string"}}}}}}}}}}}}}"#;
    let head = "arazzo: 1.0.1\ninfo: {title: Ping, version: 1.0.0}\nsourceDescriptions: [{name: api, url: ./api.json, type: openapi}]\nworkflows:\n- workflowId: ping\n  steps:\n  - stepId: one\n    operationId: ping\n    outputs: {token: $response.body#/user/name, lead: $response.body#/user}\n";
    for (step, wrong, right) in [
        (
            "    outputs: {y: '$response.body.user.name'}\n",
            "'$response.body.user.name'",
            "'$response.body#/user/name'",
        ),
        (
            "    outputs:\n      y: $response.headers.X-Id\n",
            "y: $response.headers.X-Id",
            "y: $response.header.X-Id",
        ),
        (
            "    parameters: [{name: q, in: query, value: \"id {$steps.one.token}\"}]\n",
            "\"id {$steps.one.token}\"",
            "\"id {$steps.one.outputs.token}\"",
        ),
        (
            "    parameters: [{name: q, in: query, value: $steps.one.outputs.lead.name}]\n",
            "value: $steps.one.outputs.lead.name}",
            "value: $steps.one.outputs.lead#/name}",
        ),
        (
            "    successCriteria:\n    - condition: \"$response.headers.X-A == 'a' && $steps.one.token == 'b'\"\n",
            "\"$response.headers.X-A == 'a' && $steps.one.token == 'b'\"",
            "\"$response.header.X-A == 'a' && $steps.one.outputs.token == 'b'\"",
        ),
        (
            "    successCriteria:\n    - condition: |\n        $statusCode == 200 &&\n        $steps.one.outputs.lead.name == 'x'\n",
            "        $steps.one.outputs.lead.name == 'x'",
            "        $steps.one.outputs.lead#/name == 'x'",
        ),
    ] {
        let step = format!("  - stepId: two\n    operationId: ping\n{step}");
        let doc = format!("{head}{step}");
        let mut fixed = doc.clone();
        for _ in 0..4 {
            match arazzo_compiler::expand_text(&fixed, &[("api.json", api)]) {
                Ok(_) => break,
                Err(errors) => {
                    assert!(
                        errors.iter().any(|e| e.fix.is_some()),
                        "{fixed}: {errors:#?}"
                    );
                    fixed = apply_fixes(&fixed, &errors);
                }
            }
        }
        assert!(doc.contains(wrong), "{doc}");
        assert_eq!(fixed, doc.replace(wrong, right), "{doc}");
        arazzo_compiler::expand_text(&fixed, &[("api.json", api)])
            .unwrap_or_else(|e| panic!("{fixed}: {e:#?}"));
    }
    // Operations: the plain operationPath gets quoted.
    let head_only = head.replace(
        "  - stepId: one\n    operationId: ping\n    outputs: {token: $response.body#/user/name, lead: $response.body#/user}\n",
        "",
    );
    for (step, right) in [
        (
            "  - stepId: one\n    operationPath: api#/paths/~1ping/get\n",
            "  - stepId: one\n    operationPath: '{$sourceDescriptions.api.url}#/paths/~1ping/get'\n",
        ),
        (
            "  - stepId: one\n    operationId: api.ping\n",
            "  - stepId: one\n    operationId: $sourceDescriptions.api.ping\n",
        ),
    ] {
        let doc = format!("{head_only}{step}");
        let errors =
            arazzo_compiler::expand_text(&doc, &[("api.json", api)]).expect_err("a dialect");
        let fixed = apply_fixes(&doc, &errors);
        assert_eq!(fixed, format!("{head_only}{right}"));
        arazzo_compiler::expand_text(&fixed, &[("api.json", api)])
            .unwrap_or_else(|e| panic!("{fixed}: {e:#?}"));
    }
    // Genuine mistakes: a typo'd step, an unknown output, an unknown operation, a path that
    // names no operation, a source that does not exist.
    for step in [
        "  - stepId: two\n    operationId: ping\n    outputs: {y: $steps.onee.token}\n",
        "  - stepId: two\n    operationId: ping\n    outputs: {y: $steps.one.tokn}\n",
        "  - stepId: two\n    operationId: ping\n    outputs: {y: $steps.one.outputs.leed.name}\n",
        "  - stepId: two\n    operationId: api.pong\n",
        "  - stepId: two\n    operationId: apx.ping\n",
        "  - stepId: two\n    operationPath: api#/paths/~1pong/get\n",
        "  - stepId: two\n    operationPath: apx#/paths/~1ping/get\n",
    ] {
        let doc = format!("{head}{step}");
        let errors =
            arazzo_compiler::expand_text(&doc, &[("api.json", api)]).expect_err("a mistake");
        assert!(
            errors.iter().all(|e| e.fix.is_none()),
            "{step}: {errors:#?}"
        );
    }
}

/// A step that accepts 200 or 201 reads a pointer that only the 201 schema declares: checked
/// against every response the step accepts, typed from their union (an `Option` where some
/// lack it); a pointer that none declares stays an error naming them; a step that accepts a
/// 404 is typed from the 404 schema.
#[test]
fn pointers_are_checked_against_every_accepted_response() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/things": {"post": {"operationId": "make", "responses": {
        "200": {"description": "found", "content": {"application/json": {"schema": {
          "type": "object", "required": ["id"],
          "properties": {"id": {"type": "string"}}}}}},
        "201": {"description": "made", "content": {"application/json": {"schema": {
          "type": "object", "required": ["id", "links"],
          "properties": {"id": {"type": "string"},
            "links": {"type": "object", "required": ["self"],
              "properties": {"self": {"type": "string"}}}}}}}},
        "404": {"description": "gone", "content": {"application/json": {"schema": {
          "type": "object", "required": ["reason"],
          "properties": {"reason": {"type": "integer"}}}}}}}}}}}"#;
    let doc = |criteria: &str, output: &str| {
        format!(
            "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions: [{{name: api, url: api.json, type: openapi}}]
workflows:
  - workflowId: w
    steps:
      - stepId: make
        operationId: make
        successCriteria: [{{condition: '{criteria}'}}]
        outputs: {{value: '{output}'}}
    outputs: {{value: $steps.make.outputs.value}}
"
        )
    };
    let tokens = |criteria: &str, output: &str| {
        arazzo_compiler::expand_text(&doc(criteria, output), &[("api.json", api)])
            .unwrap_or_else(|e| panic!("{criteria} / {output}: {e:#?}"))
            .tokens
            .to_string()
    };
    let either = "$statusCode == 200 || $statusCode == 201";
    assert!(
        tokens(either, "$response.body#/links/self").contains("pub value : Option < String >"),
        "only 201 declares links"
    );
    assert!(
        tokens(either, "$response.body#/id").contains("pub value : String"),
        "both declare id as a string"
    );
    assert!(
        tokens("$statusCode == 201", "$response.body#/links/self").contains("pub value : String"),
        "the 201 schema alone"
    );
    assert!(
        tokens("$statusCode == 404", "$response.body#/reason").contains("pub value : i64"),
        "a step that accepts a 404 reads the 404 schema"
    );
    let errors =
        arazzo_compiler::expand_text(&doc(either, "$response.body#/reason"), &[("api.json", api)])
            .expect_err("neither 200 nor 201 declares reason");
    assert!(
        errors[0]
            .message
            .contains("by any response the step accepts (200, 201)"),
        "{errors:#?}"
    );
    // Without criteria about the status, the step accepts the 2xx responses.
    let errors = arazzo_compiler::expand_text(
        &doc("$response.body#/id != null", "$response.body#/reason"),
        &[("api.json", api)],
    )
    .expect_err("reason is a 404 field");
    assert!(errors[0].message.contains("(200, 201)"), "{errors:#?}");
}

/// `$ref` is a reference only where OpenAPI has Reference and Schema Objects: inside an
/// `example`, an Example Object's `value` or an `x-…` extension it is data. A reference that
/// cannot be loaded is an error only where a step reaches it.
#[test]
fn refs_are_followed_only_where_they_are_references_and_reached() {
    let api = r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {
        "/team": {"get": {"operationId": "team",
          "x-codeSamples": [{"lang": "sh", "source": {"$ref": "samples/a.md"}}],
          "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "object", "required": ["lead"], "properties": {
              "lead": {"type": "string"},
              "example": {"$ref": "people.json#/Person"}}},
            "example": {"members": [{"$ref": "https://x/Users/1"}]},
            "examples": {"one": {"value": {"$ref": "https://x/Users/2"}},
                         "two": {"$ref": "#/components/examples/two"}}}}}}}},
        "/broken": {"get": {"operationId": "broken",
          "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "missing.json#/Thing"}}}}}}},
        "/remote": {"get": {"operationId": "remote",
          "parameters": [{"$ref": "https://example.com/params.json#/p"}],
          "responses": {"200": {"description": "ok"}}}}},
      "components": {"examples": {"two": {"value": {"$ref": "not/a/file"}}}}}"##;
    let people = r#"{"Person": {"type": "object", "required": ["name"],
      "properties": {"name": {"type": "string"}}}}"#;
    let doc = |operation: &str, output: &str| {
        format!(
            "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions: [{{name: api, url: api.json, type: openapi}}]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: {operation}
        outputs: {{value: '{output}'}}
"
        )
    };
    let files = [("api.json", api), ("people.json", people)];
    // The operation with data `$ref`s compiles, and the property named `example` is a
    // reference (to another file) that types the output.
    let tokens = arazzo_compiler::expand_text(&doc("team", "$response.body#/example/name"), &files)
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .tokens
        .to_string();
    assert!(tokens.contains("pub value : Option < String >"), "{tokens}");
    // The broken operations are not used: no error from them.
    // Used, each is an error at its `$ref`.
    let errors = arazzo_compiler::expand_text(&doc("broken", "$response.body"), &files)
        .expect_err("missing file");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].message.contains("cannot read referenced file")
            && errors[0].message.contains("missing.json"),
        "{errors:#?}"
    );
    assert_eq!(errors[0].line, 14, "{errors:#?}");
    let errors = arazzo_compiler::expand_text(&doc("remote", "$statusCode"), &files)
        .expect_err("remote parameter");
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("is remote") && e.line == 16),
        "{errors:#?}"
    );
}

/// A `$schema` annotation at the top of a JSON Arazzo document is not allowed by the
/// specification's schema; the message says so and how to keep it.
#[test]
fn a_schema_annotation_gets_its_own_help() {
    let api = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
      "paths": {"/ping": {"get": {"operationId": "ping", "responses": {"200": {"description": "ok"}}}}}}"#;
    let doc = r#"{"$schema": "https://spec.openapis.org/arazzo/1.0/schema/2024-08-01",
      "arazzo": "1.0.1", "info": {"title": "t", "version": "1"},
      "sourceDescriptions": [{"name": "api", "url": "api.json", "type": "openapi"}],
      "workflows": [{"workflowId": "w", "steps": [{"stepId": "s", "operationId": "ping"}]}]}"#;
    let errors = arazzo_compiler::expand_text(doc, &[("api.json", api)]).expect_err("$schema");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        errors[0].help.as_deref(),
        Some("remove it, or keep it as the extension `x-schema`")
    );
    let fixed = doc.replace("\"$schema\"", "\"x-schema\"");
    arazzo_compiler::expand_text(&fixed, &[("api.json", api)]).unwrap_or_else(|e| panic!("{e:#?}"));
}

/// A step whose criteria accept only a status the operation does not declare reads its
/// `default` (error) response: the help names the declared success statuses, the real fix.
#[test]
fn criteria_that_accept_no_declared_status_say_so() {
    let api = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
      "paths": {"/users": {"post": {"operationId": "create", "responses": {
        "201": {"description": "made", "content": {"application/json": {"schema": {
          "type": "object", "properties": {"id": {"type": "string"}}}}}},
        "default": {"description": "error", "content": {"application/json": {"schema": {
          "type": "object", "properties": {"message": {"type": "string"}}}}}}}}}}}"#;
    let doc = |status: u16| {
        format!(
            "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions: [{{name: api, url: api.json, type: openapi}}]
workflows:
  - workflowId: w
    steps:
      - stepId: create
        operationId: create
        successCriteria: [{{condition: '$statusCode == {status}'}}]
        outputs: {{id: '$response.body#/id'}}
"
        )
    };
    let errors = arazzo_compiler::expand_text(&doc(200), &[("api.json", api)])
        .expect_err("200 is not declared");
    let help = errors[0].help.as_deref().unwrap_or_default();
    assert!(
        help.contains("the operation's success status is 201"),
        "{errors:#?}"
    );
    arazzo_compiler::expand_text(&doc(201), &[("api.json", api)])
        .unwrap_or_else(|e| panic!("{e:#?}"));
}

/// An operation that accepts any media type (`*/*`, common in generated descriptions) takes a
/// structured payload as JSON: a range is no content type to send.
#[test]
fn a_media_range_sends_json() {
    let api = r#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
      "paths": {"/proxy": {"post": {"operationId": "proxy",
        "requestBody": {"content": {"*/*": {"schema": {"type": "object"}}}},
        "responses": {"200": {"description": "ok"}}}}}}"#;
    let doc = "arazzo: 1.0.1
info: {title: t, version: '1'}
sourceDescriptions: [{name: api, url: api.json, type: openapi}]
workflows:
  - workflowId: w
    steps:
      - stepId: s
        operationId: proxy
        requestBody:
          payload: {name: Rex}
";
    let tokens = arazzo_compiler::expand_text(doc, &[("api.json", api)])
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .tokens
        .to_string();
    assert!(
        tokens.contains("json_body (\"application/json\""),
        "{tokens}"
    );
}
