//! A step's `timeout` (Arazzo 1.1 Step Object): a request, or a called workflow, that takes
//! longer fails the step, into its failure actions; against a scripted HTTP server on
//! 127.0.0.1 whose answers come late.

mod support;

use std::time::Duration;

use arazzo::{ErrorKind, Outcome};
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

/// The called workflow's first answer comes at once, its second (to a `POST`) late.
async fn prompt_then_late() -> support::Scripted {
    support::start(vec![
        Reply::json(200, json!({"state": "done"})),
        Reply::status(201).after(Duration::from_secs(5)),
        Reply::json(200, json!({"state": "pending"})),
    ])
    .await
}

#[tokio::test]
async fn a_called_workflow_that_takes_too_long_fails_the_step_and_keeps_what_it_sent() {
    let server = prompt_then_late().await;
    let started = std::time::Instant::now();
    let err = call_in_time::run(&client(&server), call_in_time::Inputs { id: "7".into() })
        .await
        .expect_err("the called workflow's second answer comes after the step's timeout");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "abandoned at the timeout"
    );
    assert!(
        matches!(err.kind(), ErrorKind::StepTimeout(limit) if *limit == Duration::from_millis(300)),
        "{err}"
    );
    assert_eq!(err.workflow(), Some("call-in-time"));
    assert_eq!(err.step(), Some("call"));
    let sent: Vec<_> = err
        .sent_requests()
        .iter()
        .map(|r| (r.qualified_step(), r.path.as_str(), r.outcome))
        .collect();
    // The request in flight when the call was abandoned is kept: it may have taken effect.
    assert_eq!(
        sent,
        [
            (
                "read-unbounded/job".to_owned(),
                "/jobs/7",
                Outcome::Decoded(200)
            ),
            (
                "read-unbounded/create".to_owned(),
                "/jobs",
                Outcome::NoAnswer
            ),
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("the step did not complete within its timeout of 300 ms"),
        "{text}"
    );
    assert!(
        text.contains("step `read-unbounded/create` was sent but got no answer"),
        "{text}"
    );
}

#[tokio::test]
async fn a_called_workflow_that_takes_too_long_goes_to_the_failure_actions() {
    let server = prompt_then_late().await;
    let out = call_with_fallback::run(
        &client(&server),
        call_with_fallback::Inputs { id: "7".into() },
    )
    .await
    .expect("the failure action reads the cached copy");
    assert_eq!(out.called, None);
    assert_eq!(out.cached, Some(jobs::JobState::Pending));
    assert_eq!(server.paths(), ["/jobs/7", "/jobs", "/jobs/cached"]);
}

#[tokio::test]
async fn a_called_workflow_that_finishes_in_time_completes_the_step() {
    let server = support::start(vec![
        Reply::json(200, json!({"state": "done"})),
        Reply::status(201),
    ])
    .await;
    let out = call_in_time::run(&client(&server), call_in_time::Inputs { id: "7".into() })
        .await
        .expect("answered in time");
    assert_eq!(out.state, jobs::JobState::Done);
}
