//! A step's `timeout` (Arazzo 1.1 Step Object): a request that takes longer fails the step,
//! into its failure actions; against a scripted HTTP server on 127.0.0.1 whose first answer
//! comes late.

mod support;

use std::time::Duration;

use arazzo::ErrorKind;
use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/v11/timeout.arazzo.yml");

/// The late answer, then a prompt one.
async fn late_then_prompt() -> support::Scripted {
    support::start(vec![
        Reply::json(200, json!({"state": "done"})).after(Duration::from_secs(5)),
        Reply::json(200, json!({"state": "pending"})),
    ])
    .await
}

fn client(server: &support::Scripted) -> Client {
    Client::builder()
        .base_url_jobs(&server.url)
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn a_step_that_takes_too_long_fails_into_its_failure_actions() {
    let server = late_then_prompt().await;
    let out = read_with_fallback::run(
        &client(&server),
        read_with_fallback::Inputs { id: "7".into() },
    )
    .await
    .expect("the failure action reads the cached copy");
    assert_eq!(out.fresh, None);
    assert_eq!(out.cached, Some(jobs::JobState::Pending));
    assert_eq!(server.paths(), ["/jobs/7", "/jobs/cached"]);
}

#[tokio::test]
async fn a_step_that_takes_too_long_without_failure_actions_is_a_timeout() {
    let server = late_then_prompt().await;
    let err = read_in_time::run(&client(&server), read_in_time::Inputs { id: "7".into() })
        .await
        .expect_err("the answer comes after the step's timeout");
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(limit) if *limit == Duration::from_millis(200)),
        "{err}"
    );
    assert_eq!(err.step(), Some("fresh"));
}

#[tokio::test]
async fn a_prompt_answer_is_read_as_usual() {
    let server = support::start(vec![Reply::json(200, json!({"state": "done"}))]).await;
    let out = read_in_time::run(&client(&server), read_in_time::Inputs { id: "7".into() })
        .await
        .expect("answered in time");
    assert_eq!(out.state, jobs::JobState::Done);
}
