//! Workflows of another Arazzo document (Arazzo 1.0.1 §4.3 Source Description Object with
//! `type: arazzo`; §4.6.5 Step Object `workflowId: $sourceDescriptions.<name>.<workflowId>`;
//! §4.6.2 Workflow Object `dependsOn`), run against a scripted HTTP server on 127.0.0.1.

mod support;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/sources/main.arazzo.yml");

#[tokio::test]
async fn workflows_of_an_arazzo_source_run_as_prerequisites_and_calls() {
    let server = support::start(vec![
        Reply::json(200, json!({"access_token": "t"})),
        Reply::json(200, json!({"state": "done"})),
        Reply::json(200, json!({"value": 42})),
        Reply::json(200, json!({"access_token": "t"})),
    ])
    .await;
    // Both documents name the same OpenAPI file, so they share one base URL.
    let client = Client::builder()
        .base_url_jobs(&server.url)
        .build()
        .expect("client builds");
    let out = read_result::run(
        &client,
        read_result::Inputs {
            id: "9".into(),
            client_id: "c".into(),
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(out.value, 42);
    assert_eq!(out.where_.trim_end_matches('/'), server.url);
    assert_eq!(server.paths(), ["/token", "/jobs/9", "/jobs/9/result"]);
    assert_eq!(
        server.seen()[0].body,
        "grant_type=client_credentials&client_id=c"
    );

    // The other document's workflows are modules of their own, named after the source.
    let token = shared_login::run(
        &client,
        shared_login::Inputs {
            client_id: "d".into(),
        },
    )
    .await
    .expect("the shared workflow runs on its own");
    assert_eq!(token.token, "t");
}
