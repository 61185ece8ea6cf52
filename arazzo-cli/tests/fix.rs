//! `arazzo fix`, run as a user would on a document and a small `api.yaml` in a temporary
//! directory: each dialect form is rewritten as the specification spells it, genuine mistakes
//! are left alone, `--dry-run` writes nothing.

mod support;

use std::path::Path;

use support::arazzo;

const API: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /ping:
    get:
      operationId: ping
      parameters:
        - {name: q, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  user:
                    type: object
                    properties:
                      name: {type: string}
";

const HEAD: &str = "arazzo: 1.0.1
info: {title: Ping, version: 1.0.0}
sourceDescriptions:
  - name: api
    url: ./api.yaml
    type: openapi
workflows:
  - workflowId: ping
    steps:
";

/// All six forms: a plain `operationPath` (quoted by the fix), a double-quoted condition with
/// two wrong expressions (both fixed, the quotes kept).
const DIALECTS: &str = "      - stepId: one
        operationPath: api#/paths/~1ping/get
        outputs:
          token: $response.body.user.name
          lead: $response.body#/user
      - stepId: two
        operationId: api.ping
        parameters:
          - name: q
            in: query
            value: $steps.one.outputs.lead.name
        successCriteria:
          - condition: \"$response.headers.X-A == 'a' && $steps.one.token == 'b'\"
        outputs:
          id: $response.headers.X-Id
";

const FIXED: &str = "      - stepId: one
        operationPath: '{$sourceDescriptions.api.url}#/paths/~1ping/get'
        outputs:
          token: $response.body#/user/name
          lead: $response.body#/user
      - stepId: two
        operationId: $sourceDescriptions.api.ping
        parameters:
          - name: q
            in: query
            value: $steps.one.outputs.lead#/name
        successCriteria:
          - condition: \"$response.header.X-A == 'a' && $steps.one.outputs.token == 'b'\"
        outputs:
          id: $response.header.X-Id
";

/// A temporary directory holding `api.yaml` and `w.arazzo.yaml` with these steps.
fn project(steps: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("api.yaml"), API).expect("api.yaml");
    std::fs::write(dir.path().join("w.arazzo.yaml"), format!("{HEAD}{steps}")).expect("doc");
    dir
}

fn document(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("w.arazzo.yaml")).expect("the document")
}

#[test]
fn each_form_is_fixed_in_place_and_the_document_compiles() {
    let dir = project(DIALECTS);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt as _;
        let path = dir.path().join("w.arazzo.yaml");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        move || {
            let meta = std::fs::metadata(&path).expect("metadata");
            meta.permissions().mode() & 0o777
        }
    };
    let (code, stdout, stderr) = arazzo(dir.path(), &["fix", "w.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(document(dir.path()), format!("{HEAD}{FIXED}"));
    assert!(
        stderr.starts_with("w.arazzo.yaml: fixed 7 errors\n"),
        "{stderr}"
    );
    for line in [
        "  11:24: `api#/paths/~1ping/get` → `'{$sourceDescriptions.api.url}#/paths/~1ping/get'`",
        "  13:18: `$response.body.user.name` → `$response.body#/user/name`",
        "  16:22: `api.ping` → `$sourceDescriptions.api.ping`",
        "  20:20: `$steps.one.outputs.lead.name` → `$steps.one.outputs.lead#/name`",
        "  22:25: `$response.headers.X-A` → `$response.header.X-A`",
        "  24:15: `$response.headers.X-Id` → `$response.header.X-Id`",
    ] {
        assert!(stderr.contains(&format!("{line}\n")), "{line} in {stderr}");
    }
    assert!(
        stderr.ends_with("1 document checked, no errors\n"),
        "{stderr}"
    );
    #[cfg(unix)]
    assert_eq!(mode(), 0o640, "the file keeps its permissions");
    // The OpenAPI file is never rewritten.
    let api = std::fs::read_to_string(dir.path().join("api.yaml")).expect("api.yaml");
    assert_eq!(api, API);
    let (code, _, stderr) = arazzo(dir.path(), &["check", "w.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    // A second run changes nothing.
    let (code, stdout, stderr) = arazzo(dir.path(), &["fix", "w.arazzo.yaml"]);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.starts_with("w.arazzo.yaml: nothing to fix\n"),
        "{stderr}"
    );
    assert_eq!(document(dir.path()), format!("{HEAD}{FIXED}"));
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let dir = project(DIALECTS);
    let (code, stdout, stderr) = arazzo(dir.path(), &["fix", "--dry-run", "w.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(document(dir.path()), format!("{HEAD}{DIALECTS}"));
    assert!(
        stdout.starts_with("--- a/w.arazzo.yaml\n+++ b/w.arazzo.yaml\n@@ "),
        "{stdout}"
    );
    for line in [
        "-        operationPath: api#/paths/~1ping/get",
        "+        operationPath: '{$sourceDescriptions.api.url}#/paths/~1ping/get'",
        "-          id: $response.headers.X-Id",
        "+          id: $response.header.X-Id",
        "           lead: $response.body#/user",
    ] {
        assert!(
            stdout.contains(&format!("\n{line}\n")),
            "{line} in {stdout}"
        );
    }
    assert!(
        stderr.starts_with("w.arazzo.yaml: would fix 7 errors\n"),
        "{stderr}"
    );
    let entries = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(entries, 2, "no file is left behind");
}

#[test]
fn genuine_mistakes_are_left_untouched_and_reported() {
    // A typo'd step id, an output the step does not define, an operation no source has.
    let steps = "      - stepId: one
        operationId: ping
        outputs:
          token: $response.body#/user/name
      - stepId: two
        operationId: api.pong
        parameters:
          - name: q
            in: query
            value: $steps.onee.token
        outputs:
          y: $steps.one.tokn
          z: $steps.one.outputs.lead.name
";
    let dir = project(steps);
    let (code, stdout, stderr) = arazzo(dir.path(), &["fix", "w.arazzo.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(document(dir.path()), format!("{HEAD}{steps}"));
    assert!(
        stderr.starts_with("w.arazzo.yaml: nothing to fix\n"),
        "{stderr}"
    );
    assert!(stderr.contains("no source description defines operationId `api.pong`"));
    assert!(stderr.contains("`$steps.onee.token` must have the form"));
    assert!(stderr.contains("step `one` has no output `lead.name`"));
    assert!(!stderr.contains("fixable"), "{stderr}");
    assert!(stderr.ends_with("4 errors\n"), "{stderr}");
}

#[test]
fn a_dialect_beside_a_mistake_is_fixed_and_the_mistake_reported() {
    let steps = "      - stepId: one
        operationId: ping
        outputs:
          name: '$response.body.user.name'
          id: $response.header.X-Id
      - stepId: two
        operationId: pingg
";
    let dir = project(steps);
    let (code, _, stderr) = arazzo(dir.path(), &["fix", "w.arazzo.yaml"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        document(dir.path()),
        format!(
            "{HEAD}{}",
            steps.replace("body.user.name", "body#/user/name")
        )
    );
    assert!(
        stderr.starts_with("w.arazzo.yaml: fixed 1 error\n"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `ping`?"), "{stderr}");
    assert!(stderr.ends_with("1 error\n"), "{stderr}");
}

#[test]
fn check_marks_fixable_errors_and_json_carries_the_fix() {
    let dir = project(DIALECTS);
    let (code, _, stderr) = arazzo(dir.path(), &["check", "w.arazzo.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.matches("Note: fixable with `arazzo fix`").count(),
        6,
        "{stderr}"
    );
    let (_, stdout, _) = arazzo(dir.path(), &["check", "--format", "json", "w.arazzo.yaml"]);
    let parsed: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let header = parsed
        .as_array()
        .expect("an array")
        .iter()
        .find(|d| d["line"] == 24)
        .expect("the X-Id error");
    let text = format!("{HEAD}{DIALECTS}");
    let start = text.find("$response.headers.X-Id").expect("in the text");
    assert_eq!(
        header["fix"],
        serde_json::json!({
            "start": start,
            "end": start + "$response.headers.X-Id".len(),
            "replacement": "$response.header.X-Id",
        })
    );
}

#[test]
fn several_documents_are_fixed_each_in_its_own_file() {
    let dir = project(DIALECTS);
    let clean = format!("{HEAD}{FIXED}");
    std::fs::write(dir.path().join("clean.arazzo.yaml"), &clean).expect("second document");
    let (code, _, stderr) = arazzo(dir.path(), &["fix", "./w.arazzo.yaml", "clean.arazzo.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(document(dir.path()), clean);
    let second = std::fs::read_to_string(dir.path().join("clean.arazzo.yaml")).expect("read");
    assert_eq!(second, clean);
    assert!(
        stderr.contains("./w.arazzo.yaml: fixed 7 errors\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("clean.arazzo.yaml: nothing to fix\n"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("2 documents checked, no errors\n"),
        "{stderr}"
    );
}
