//! `arazzo upgrade` keeps behaviour: the specification's OAuth example as published (Arazzo
//! 1.0.0, tests/corpus/oai-examples-1.0.0/) and as `arazzo upgrade` rewrites it (1.1.0,
//! tests/fixtures/upgraded/, kept identical to the tool's output by arazzo-cli's
//! tests/upgrade.rs) are compiled side by side and run against the same scripted server on
//! 127.0.0.1: the requests sent, the typed outputs and the errors must be the same.

mod support;

use serde_json::json;
use support::{Reply, Seen};

mod published {
    arazzo::arazzo_workflow!("tests/corpus/oai-examples-1.0.0/oauth.arazzo.yaml");
}

mod upgraded {
    arazzo::arazzo_workflow!("tests/fixtures/upgraded/oauth.arazzo.yaml");
}

/// What a request is, without when it was received.
fn request(seen: &Seen) -> (String, String, Option<String>, Option<String>, String) {
    (
        seen.method.clone(),
        seen.path.clone(),
        seen.query.clone(),
        seen.content_type.clone(),
        seen.body.clone(),
    )
}

type Requests = Vec<(String, String, Option<String>, Option<String>, String)>;

/// Runs `refresh-token-flow` of the published document against `replies`: the outcome as
/// text (the `Debug` of the typed outputs, or the error's message) and the requests sent.
async fn published_run(replies: Vec<Reply>) -> (String, Requests) {
    let server = support::start(replies).await;
    let client = published::Client::builder()
        .base_url_apim_auth(&server.url)
        .build()
        .expect("client builds");
    let inputs = published::refresh_token_flow::Inputs {
        my_client_id: Some("client".into()),
        my_client_secret: Some("s3cret".into()),
        my_redirect_uri: Some("https://app.example.com/back".into()),
    };
    let outcome = match published::refresh_token_flow::run(&client, inputs).await {
        Ok(out) => format!("{out:?}"),
        Err(e) => format!("error: {e}"),
    };
    (outcome, server.seen().iter().map(request).collect())
}

/// The same with the upgraded document.
async fn upgraded_run(replies: Vec<Reply>) -> (String, Requests) {
    let server = support::start(replies).await;
    let client = upgraded::Client::builder()
        .base_url_apim_auth(&server.url)
        .build()
        .expect("client builds");
    let inputs = upgraded::refresh_token_flow::Inputs {
        my_client_id: Some("client".into()),
        my_client_secret: Some("s3cret".into()),
        my_redirect_uri: Some("https://app.example.com/back".into()),
    };
    let outcome = match upgraded::refresh_token_flow::run(&client, inputs).await {
        Ok(out) => format!("{out:?}"),
        Err(e) => format!("error: {e}"),
    };
    (outcome, server.seen().iter().map(request).collect())
}

fn token(access: serde_json::Value) -> Reply {
    Reply::json(
        200,
        json!({"access_token": access, "refresh_token": "r-1", "expires_in": 3600, "code": "c-1"}),
    )
}

#[tokio::test]
async fn a_successful_run_sends_and_returns_the_same() {
    let replies = || {
        vec![
            token(json!("a-1")),
            token(json!("a-2")),
            token(json!("a-3")),
        ]
    };
    let (outcome, sent) = published_run(replies()).await;
    assert!(outcome.contains("a-3"), "{outcome}");
    assert_eq!(sent.len(), 3, "authorize, token, refresh: {sent:?}");
    assert_eq!(upgraded_run(replies()).await, (outcome, sent));
}

/// The refresh is refused: `$statusCode == 200` fails the run the same way.
#[tokio::test]
async fn a_failing_criterion_fails_the_same() {
    let replies = || {
        vec![
            token(json!("a-1")),
            token(json!("a-2")),
            Reply::json(401, json!({"error": "invalid_grant"})),
        ]
    };
    let (outcome, sent) = published_run(replies()).await;
    assert!(outcome.starts_with("error:"), "{outcome}");
    assert!(outcome.contains("$statusCode == 200"), "{outcome}");
    assert_eq!(upgraded_run(replies()).await, (outcome, sent));
}

/// The refresh answers `"access_token": null`. The example's JSONPath criterion
/// `$[?@.access_token != null]` filters the children of the body (RFC 9535, in both versions):
/// the string and number members have no `access_token`, which is not `null`, so it selects
/// them and passes. Both documents read it so, and return no access token.
#[tokio::test]
async fn the_jsonpath_criterion_reads_the_same() {
    let replies = || vec![token(json!("a-1")), token(json!("a-2")), token(json!(null))];
    let (outcome, sent) = published_run(replies()).await;
    assert!(outcome.contains("access_token: None"), "{outcome}");
    assert_eq!(upgraded_run(replies()).await, (outcome, sent));
}
