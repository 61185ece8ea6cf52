//! The `arazzo` binary, run as a user would, from the workspace root: on the seed, on broken
//! documents and on the corpus. Outputs are pinned in `tests/snapshots/` (regenerate with
//! `EXPECTORATE=overwrite cargo test -p arazzo-cli`).

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `arazzo args…` in the workspace root: (exit code, stdout, stderr).
fn arazzo(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_arazzo"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn corpus() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("tests/corpus/oai-examples-1.0.0"))
        .expect("corpus")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.contains("arazzo"))
        .map(|n| format!("tests/corpus/oai-examples-1.0.0/{n}"))
        .collect();
    files.sort();
    files
}

#[test]
fn check_accepts_the_seed() {
    let (code, stdout, stderr) = arazzo(&["check", "workflows/mixpanel.yml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(stderr, "1 document checked, no errors\n");
}

#[test]
fn check_shows_every_error_with_its_source() {
    let (code, stdout, stderr) = arazzo(&["check", "tests/ui/several_errors.yml"]);
    assert_eq!(code, 1);
    assert_eq!(stdout, "");
    expectorate::assert_contents("tests/snapshots/check_several_errors.txt", &stderr);
}

#[test]
fn check_json_lists_the_corpus_diagnostics() {
    let files = corpus();
    let mut args = vec!["check", "--format", "json"];
    args.extend(files.iter().map(String::as_str));
    let (code, stdout, _) = arazzo(&args);
    assert_eq!(code, 1, "the corpus has genuine mistakes");
    let parsed: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let pretty = serde_json::to_string_pretty(&parsed).expect("pretty");
    expectorate::assert_contents("tests/snapshots/check_corpus.json", &format!("{pretty}\n"));
    // The same diagnostics as the compiler's own corpus test pins (one copy of every check).
    let first = &parsed[0];
    for key in ["file", "line", "column", "message", "suggestion", "fix"] {
        assert!(first.get(key).is_some(), "{key} in {first}");
    }
}

#[test]
fn check_of_a_missing_file_fails() {
    let (code, _, stderr) = arazzo(&["check", "workflows/nope.yml"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("cannot read the Arazzo document"),
        "{stderr}"
    );
}

#[test]
fn expand_prints_formatted_rust() {
    let (code, stdout, stderr) = arazzo(&["expand", "workflows/mixpanel.yml"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("pub mod identity_resolve_and_track {"));
    assert!(
        stdout.contains("    pub async fn run(\n"),
        "formatted by prettyplease"
    );
}

#[test]
fn list_shows_inputs_and_outputs_with_types() {
    let (code, stdout, stderr) = arazzo(&["list", "workflows/mixpanel.yml"]);
    assert_eq!(code, 0, "{stderr}");
    expectorate::assert_contents("tests/snapshots/list_mixpanel.txt", &stdout);
    let (code, stdout, _) = arazzo(&["list", "tests/fixtures/actions/jobs.arazzo.yml"]);
    assert_eq!(code, 0);
    expectorate::assert_contents("tests/snapshots/list_jobs.txt", &stdout);
    // Required but nullable keeps its `Option`; optional shows the value type.
    let (code, stdout, stderr) = arazzo(&[
        "list",
        "arazzo-cli/tests/fixtures/required_nullable.arazzo.yml",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("    note: Option<String> (required)\n")
            && stdout.contains("    trace: String (optional)\n"),
        "{stdout}"
    );
}

#[test]
fn graph_draws_mermaid_and_dot() {
    let (code, stdout, stderr) = arazzo(&["graph", "workflows/mixpanel.yml"]);
    assert_eq!(code, 0, "{stderr}");
    expectorate::assert_contents("tests/snapshots/graph_mixpanel.mmd", &stdout);
    let (code, stdout, stderr) = arazzo(&[
        "graph",
        "tests/fixtures/actions/jobs.arazzo.yml",
        "--format",
        "dot",
        "--workflow",
        "failure-order",
    ]);
    assert_eq!(code, 0, "{stderr}");
    expectorate::assert_contents("tests/snapshots/graph_failure_order.dot", &stdout);
    let (code, stdout, _) = arazzo(&[
        "graph",
        "tests/fixtures/actions/jobs.arazzo.yml",
        "--workflow",
        "read-with-refresh",
    ]);
    assert_eq!(code, 0);
    expectorate::assert_contents("tests/snapshots/graph_read_with_refresh.mmd", &stdout);
}

#[test]
fn graph_of_an_unknown_workflow_names_the_known_ones() {
    let (code, _, stderr) = arazzo(&["graph", "workflows/mixpanel.yml", "--workflow", "nope"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(
            "no workflow `nope` in workflows/mixpanel.yml; it has: identity-resolve-and-track"
        ),
        "{stderr}"
    );
}

#[test]
fn graph_svg_needs_graphviz_and_says_so() {
    let out = std::env::temp_dir().join(format!("arazzo-cli-{}.svg", std::process::id()));
    let target = out.to_string_lossy().into_owned();
    let (code, _, stderr) = arazzo(&["graph", "workflows/mixpanel.yml", "--svg", &target]);
    let has_dot = Command::new("dot").arg("-V").output().is_ok();
    if has_dot {
        assert_eq!(code, 0, "{stderr}");
        let svg = std::fs::read_to_string(&out).expect("svg written");
        assert!(svg.contains("<svg"));
        let _ = std::fs::remove_file(&out);
    } else {
        assert_eq!(code, 1);
        assert!(
            stderr.contains("Graphviz `dot` is not installed"),
            "{stderr}"
        );
    }
}

/// The specification's pet-purchase example (Arazzo 1.1), corrected: an HTTP login and
/// search, then a message sent to `placeOrder` and its reply received.
const PET_PURCHASE: &str = "tests/fixtures/asyncapi/pet-purchase.arazzo.yaml";

#[test]
fn check_accepts_the_corrected_pet_purchase_example() {
    for extra in [&[][..], &["--skip-sources"][..]] {
        let mut args = vec!["check"];
        args.extend_from_slice(extra);
        args.push(PET_PURCHASE);
        let (code, stdout, stderr) = arazzo(&args);
        assert_eq!(code, 0, "{extra:?}: {stderr}");
        assert_eq!(stdout, "");
        assert_eq!(stderr, "1 document checked, no errors\n");
    }
}

#[test]
fn check_locates_the_mistakes_of_the_specification_s_pet_purchase_example() {
    // The example as the specification prints it, with local copies of its two sources.
    let file = "tests/fixtures/asyncapi/spec-example.arazzo.yaml";
    let (code, stdout, _) = arazzo(&["check", "--format", "json", file]);
    assert_eq!(code, 1);
    let parsed: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let found: Vec<String> = parsed
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {} ({})",
                d["file"].as_str().unwrap_or_default(),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or_default(),
                d["suggestion"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let at = |line: u32, col: u32| format!("{file}:{line}:{col}");
    assert_eq!(
        found,
        [
            format!(
                "{}: unknown source description `petstoreDescription` (did you mean `petStoreDescription`?)",
                at(33, 18)
            ),
            format!(
                "{}: unknown source description `petstoreDescription` (did you mean `petStoreDescription`?)",
                at(52, 20)
            ),
            format!(
                "{}: `operationPath` names an operation of an OpenAPI document; `asyncOrderApiDescription` is an AsyncAPI source, whose operations are named by `operationId` (and channels by `channelPath`) (write `operationId: $sourceDescriptions.asyncOrderApiDescription.placeOrder`)",
                at(71, 20)
            ),
            format!(
                "{}: the message `placeOrder.message` of operation `placeOrder` declares no header `orderCorrelationId` (did you mean `orderRequestId`?)",
                at(74, 13)
            ),
            format!(
                "{}: AsyncAPI source `asyncOrderApiDescription` has no operation `confirmOrder` (operation `placeOrder` replies on channel `confirm-order`: to receive its reply write `operationId: $sourceDescriptions.asyncOrderApiDescription.placeOrder` with `action: receive`)",
                at(83, 20)
            ),
            format!(
                "{}: `operationPath` names an operation of an OpenAPI document; `asyncOrderApiDescription` is an AsyncAPI source, whose operations are named by `operationId` (and channels by `channelPath`) (write `operationId: $sourceDescriptions.asyncOrderApiDescription.<operationId>`, or `channelPath: '{{$sourceDescriptions.asyncOrderApiDescription.url}}#/channels/<channel>'`)",
                at(83, 20)
            ),
            format!(
                "{}: `$message.payload.orderId`: a place in the payload is a JSON pointer after `#` (write `$message.payload#/orderId`)",
                at(88, 16)
            ),
        ]
    );
}

#[test]
fn list_and_graph_show_message_steps() {
    let (code, stdout, stderr) = arazzo(&["list", PET_PURCHASE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  steps: loginStep → getPetStep → purchasePetStep (send placeOrder on place-order) → confirmPetPurchaseStep (receive reply of placeOrder on confirm-order)\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .contains("    orderId: Option<i64> = $steps.confirmPetPurchaseStep.outputs.orderId\n"),
        "{stdout}"
    );
    let (code, stdout, stderr) = arazzo(&["graph", PET_PURCHASE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains(r#"w0s3["confirmPetPurchaseStep<br/>receive reply of placeOrder (asyncOrderApiDescription)<br/>channel confirm-order"]"#),
        "{stdout}"
    );
}

#[test]
fn expand_generates_message_steps() {
    let (code, stdout, stderr) = arazzo(&["expand", PET_PURCHASE]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("pub fn broker_async_order_api_description_local_kafka("),
        "{stdout}"
    );
    assert!(
        stdout.contains("async fn confirm_pet_purchase_step("),
        "{stdout}"
    );
}
