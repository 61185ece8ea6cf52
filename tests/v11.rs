//! An Arazzo 1.1 document (issue 15): `$self`, and an arazzo-type source that names another
//! document by identity, its `$self` (Arazzo 1.1 §"Identity-Based Referencing"), never fetched:
//! the document with that `$self` is one this compilation loads from a local file. Run against
//! a scripted HTTP server on 127.0.0.1.

mod support;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/v11/main.arazzo.yml");

#[tokio::test]
async fn a_source_named_by_its_self_runs_the_local_document() {
    let server = support::start(vec![
        Reply::json(200, json!({"state": "done"})),
        Reply::json(200, json!({"value": 42})),
    ])
    .await;
    // The three documents name the same OpenAPI file, so they share one base URL.
    let client = Client::builder()
        .base_url_jobs(&server.url)
        .build()
        .expect("client builds");
    let out = read_result::run(&client, read_result::Inputs { id: "9".into() })
        .await
        .expect("workflow succeeds");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(out.value, 42);
    // `$outputs.body#/value` in the billing document: a pointer into a call's output.
    assert_eq!(out.again, Some(json!(42)));
    // `$self` as a value is the document's `$self`.
    assert_eq!(out.document, "https://example.com/flows/main.arazzo.yml");
    // The second request is the identity-referenced document's step.
    assert_eq!(server.paths(), ["/jobs/9", "/jobs/9/result"]);

    // The document named by identity is a module of its own, named after the source that
    // loaded it by location.
    let value = lib_fetch_result::run(&client, lib_fetch_result::Inputs { job_id: "7".into() })
        .await
        .expect("the shared workflow runs on its own");
    assert_eq!(value.value, 42);
    assert_eq!(server.paths()[2], "/jobs/7/result");
}
