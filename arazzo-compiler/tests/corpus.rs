//! The Arazzo Specification's own example documents (`tests/corpus/`, Apache-2.0, unchanged)
//! as real compiler input.
//!
//! Every diagnostic of every document is pinned in `tests/corpus/*.diagnostics` (update with
//! `EXPECTORATE=overwrite cargo test -p arazzo-compiler --test corpus` and review the diff), and
//! the genuine mistakes in the examples are asserted one by one below: the right line and
//! column, and the right suggestion.

use std::path::PathBuf;

const DIR: &str = "tests/corpus/oai-examples-1.0.0";
const DOCUMENTS: &[&str] = &[
    "ExtendedParametersExample.arazzo.yaml",
    "FAPI-PAR.arazzo.yaml",
    "LoginAndRetrievePets.arazzo.yaml",
    "bnpl-arazzo.yaml",
    "oauth.arazzo.yaml",
    "pet-coupons.arazzo.yaml",
];

fn diagnostics(name: &str) -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    match arazzo_compiler::expand(&arazzo_compiler::Request {
        path: format!("{DIR}/{name}"),
        manifest_dir: root.clone(),
        invoking_file: None,
        cwd: Some(root),
        ..Default::default()
    }) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(ToString::to_string).collect(),
    }
}

fn assert_reported(name: &str, expected: &str) {
    let all = diagnostics(name);
    let full = format!("{DIR}/{name}:{expected}");
    assert!(
        all.contains(&full),
        "{name}: expected\n  {full}\namong\n  {}",
        all.join("\n  ")
    );
}

#[test]
fn every_diagnostic_is_pinned() {
    for name in DOCUMENTS {
        let text = diagnostics(name).join("\n") + "\n";
        expectorate::assert_contents(format!("../tests/corpus/{name}.diagnostics"), &text);
    }
}

#[test]
fn fapi_par_operation_id_with_the_wrong_case() {
    assert_reported(
        "FAPI-PAR.arazzo.yaml",
        "102:22: source `auth-api` has no operation `PAR`; did you mean `Par`?",
    );
}

#[test]
fn login_and_retrieve_pets_operation_path_without_method_and_remote_source() {
    let name = "LoginAndRetrievePets.arazzo.yaml";
    assert_reported(
        name,
        "46:20: `/paths/~1pet~1findByStatus` does not point at an operation (expected \
         `/paths/<escaped path>/<method>`); add the HTTP method, e.g. `.../get`",
    );
    assert_reported(
        name,
        "10:8: source description `petStoreDescription` has a remote URL; the compiler never \
         fetches at build time; download the file into the crate and give its relative path",
    );
}

#[test]
fn bnpl_reads_outputs_that_do_not_exist() {
    let name = "bnpl-arazzo.yaml";
    // A step reading its own output as a request parameter.
    assert_reported(
        name,
        "231:16: `$steps.authenticateCustomerAndAuthorizeLoan.outputs.redirectAuthToken` reads \
         step `authenticateCustomerAndAuthorizeLoan`, which has not run at this point (a request value)",
    );
    // An output no step defines.
    for line in ["242:16", "253:16"] {
        assert_reported(
            name,
            &format!(
                "{line}: step `initiateBnplTransaction` has no output `loanTransactionId`; did you \
                 mean `loanTransactionResourceUrl`?"
            ),
        );
    }
    // `.outputs.` left out: the message gives the specification's spelling.
    assert_reported(
        name,
        "260:27: `$steps.retrieveFinalizedPaymentPlan.finalizedPaymentPlan` must have the form \
         `$steps.<stepId>.outputs.<name>`; write \
         `$steps.retrieveFinalizedPaymentPlan.outputs.finalizedPaymentPlan`",
    );
}

#[test]
fn pet_coupons_misnamed_parameters_and_status_of_a_workflow_step() {
    let name = "pet-coupons.arazzo.yaml";
    assert_reported(
        name,
        "26:19: operation `findPetsByTags` has no query parameter `pet_tags`; expected `tags`",
    );
    assert_reported(
        name,
        "40:19: operation `getPetCoupons` has no path parameter `pet_id`; did you mean `petId`?",
    );
    for line in ["56:24", "91:24"] {
        assert_reported(
            name,
            &format!(
                "{line}: `$statusCode` is only available after a step's response, not in a step \
                 that calls a workflow"
            ),
        );
    }
}

#[test]
fn extended_parameters_names_a_source_file_that_is_not_there() {
    let all = diagnostics("ExtendedParametersExample.arazzo.yaml");
    assert!(
        all.iter().any(
            |d| d.contains(":8:10: cannot read OpenAPI document") && d.contains("animals.yaml")
        ),
        "{all:#?}"
    );
}

#[test]
fn oauth_is_correct_and_compiles() {
    assert_eq!(diagnostics("oauth.arazzo.yaml"), Vec::<String>::new());
}
