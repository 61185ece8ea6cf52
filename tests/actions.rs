//! Success and failure actions (Arazzo 1.0.1 §4.6.9 Success Action Object, §4.6.10 Failure
//! Action Object), run against a scripted HTTP server on 127.0.0.1. Each test asserts the exact
//! sequence of requests and the typed outcome.

mod support;

use std::time::Duration;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/actions/jobs.arazzo.yml");

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_jobs(url)
        .build()
        .expect("client builds")
}

fn job(state: &str) -> Reply {
    Reply::json(200, json!({ "state": state }))
}

#[tokio::test]
async fn goto_with_criteria_polls_until_done_then_continues() {
    let server = support::start(vec![
        job("pending"),
        job("pending"),
        job("done"),
        Reply::json(200, json!({"value": 42})),
    ])
    .await;
    let out = poll_until_done::run(
        &client(&server.url),
        poll_until_done::Inputs { id: "7".into() },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(
        server.paths(),
        ["/jobs/7", "/jobs/7", "/jobs/7", "/jobs/7/result"]
    );
}

#[tokio::test]
async fn end_with_criteria_stops_the_workflow_successfully() {
    let server = support::start(vec![job("failed"), Reply::json(200, json!({"value": 1}))]).await;
    let out = poll_until_done::run(
        &client(&server.url),
        poll_until_done::Inputs { id: "7".into() },
    )
    .await
    .expect("`end` is a successful end");
    assert_eq!(out.state, jobs::JobState::Failed);
    assert_eq!(
        server.paths(),
        ["/jobs/7"],
        "the step after `end` never runs"
    );
}

/// An `end` that may skip the step an output reads makes that output an `Option`: `None`
/// when the `end` applied, and the run succeeds ("context returns to the caller with
/// applicable outputs").
#[tokio::test]
async fn workflow_outputs_of_a_skipped_step_are_none() {
    let result = || Reply::json(200, json!({"value": 5}));
    let server = support::start(vec![job("done"), result(), job("failed")]).await;
    let out = end_before_fetch::run(
        &client(&server.url),
        end_before_fetch::Inputs { id: "7".into() },
    )
    .await
    .expect("both steps ran");
    assert_eq!((out.state, out.value), (jobs::JobState::Done, Some(5)));

    let out = end_before_fetch::run(
        &client(&server.url),
        end_before_fetch::Inputs { id: "8".into() },
    )
    .await
    .expect("`end` skipped `fetch`: its output is `None`");
    assert_eq!((out.state, out.value), (jobs::JobState::Failed, None));
    assert_eq!(server.paths(), ["/jobs/7", "/jobs/7/result", "/jobs/8"]);
}

/// §4.6.10: a step that got no response (here: a request timeout) has failed, and its failure
/// actions handle it like any failure; their criteria see status 0 and no body, so an action
/// that asks for a status does not apply and the timeout is the run's error.
#[tokio::test]
async fn failure_actions_handle_a_step_that_got_no_response() {
    let slow = || Reply::json(200, json!({"state": "done"})).after(Duration::from_millis(400));
    let quick_client = |url: &str| {
        Client::builder()
            .base_url_jobs(url)
            .request_timeout(Duration::from_millis(100))
            .build()
            .expect("client builds")
    };
    // A retry without criteria: the timed-out read is sent again and succeeds.
    let server = support::start(vec![slow(), job("done")]).await;
    let out = retry_on_any_failure::run(
        &quick_client(&server.url),
        retry_on_any_failure::Inputs { id: "1".into() },
    )
    .await
    .expect("the retry gets an answer");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(server.paths(), ["/jobs/1", "/jobs/1"]);

    // A retry only for `$statusCode == 503` does not apply to a timeout.
    let server = support::start(vec![slow(), job("done")]).await;
    let err = retry_when_busy::run(
        &quick_client(&server.url),
        retry_when_busy::Inputs { id: "1".into() },
    )
    .await
    .expect_err("no action applies");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::Timeout(t) if *t == Duration::from_millis(100)),
        "{err:?}"
    );
    assert_eq!(server.paths(), ["/jobs/1"]);
}

#[tokio::test]
async fn retry_waits_retry_after_and_succeeds() {
    let server = support::start(vec![Reply::status(503), Reply::status(503), job("done")]).await;
    let out = retry_when_busy::run(
        &client(&server.url),
        retry_when_busy::Inputs { id: "1".into() },
    )
    .await
    .expect("succeeds on the third attempt");
    assert_eq!(out.state, jobs::JobState::Done);
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for pair in seen.windows(2) {
        let gap = pair[1].at.duration_since(pair[0].at);
        assert!(
            gap >= Duration::from_millis(50),
            "retryAfter 0.05 s not honoured: {gap:?}"
        );
    }
}

#[tokio::test]
async fn retry_limit_exhausted_fails_with_the_criterion() {
    let server = support::start(vec![Reply::status(503)]).await;
    let err = retry_when_busy::run(
        &client(&server.url),
        retry_when_busy::Inputs { id: "1".into() },
    )
    .await
    .expect_err("always busy");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet {
                status: 503,
                criterion: "$statusCode == 200",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.step(), Some("read"));
    assert_eq!(server.seen().len(), 3, "one attempt plus retryLimit 2");
}

#[tokio::test]
async fn retry_after_header_overrules_the_action_delay() {
    // The action says 30 s; the server says 0 s (seconds form), then an HTTP date in the past.
    let past = "Wed, 21 Oct 2015 07:28:00 GMT";
    let server = support::start(vec![
        Reply::status(429).header("retry-after", "0"),
        job("done"),
    ])
    .await;
    let started = std::time::Instant::now();
    let out = retry_honours_header::run(
        &client(&server.url),
        retry_honours_header::Inputs { id: "1".into() },
    )
    .await
    .expect("retried at once");
    assert_eq!(out.state, jobs::JobState::Done);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "waited {:?}",
        started.elapsed()
    );

    let server = support::start(vec![
        Reply::status(503).header("retry-after", past),
        job("done"),
    ])
    .await;
    let started = std::time::Instant::now();
    retry_honours_header::run(
        &client(&server.url),
        retry_honours_header::Inputs { id: "1".into() },
    )
    .await
    .expect("retried at once");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn workflow_failure_actions_apply_to_steps_without_their_own() {
    let server = support::start(vec![Reply::status(500), job("done")]).await;
    let out = workflow_level_retry::run(
        &client(&server.url),
        workflow_level_retry::Inputs { id: "1".into() },
    )
    .await
    .expect("retried once by the workflow's failure action");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn goto_loops_end_at_the_step_budget() {
    let server = support::start(vec![job("pending")]).await;
    let client = Client::builder()
        .base_url_jobs(&server.url)
        .step_budget(5)
        .build()
        .expect("client builds");
    let err = loop_forever::run(&client, loop_forever::Inputs { id: "1".into() })
        .await
        .expect_err("the loop never ends by itself");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::StepBudgetExhausted(5)),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 5);
    assert_eq!(
        err.completed_steps().len(),
        5,
        "each pass of the loop completed"
    );
}

/// §4.6.6 Request Body Object (form-encoded and text payloads) and §4.6.11 Criterion Object
/// (`regex` and `jsonpath`).
#[tokio::test]
async fn form_body_typed_criteria_and_text_template() {
    let server = support::start(vec![
        Reply::json(200, json!({"access_token": "tok-1", "expires_in": 60})),
        Reply::status(201),
    ])
    .await;
    let out = form_token_and_note::run(
        &client(&server.url),
        form_token_and_note::Inputs {
            client_id: "c 1".into(),
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.token, "tok-1");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].path, "/token");
    assert_eq!(
        seen[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        seen[0].body,
        "grant_type=client_credentials&client_id=c+1&scope=read&scope=write"
    );
    assert_eq!(seen[1].content_type.as_deref(), Some("text/plain"));
    assert_eq!(seen[1].body, "token for c 1: tok-1");
}

#[tokio::test]
async fn jsonpath_criterion_fails_without_a_token() {
    let server = support::start(vec![Reply::json(200, json!({"error": "invalid_client"}))]).await;
    let err = form_token_and_note::run(
        &client(&server.url),
        form_token_and_note::Inputs {
            client_id: "c".into(),
        },
    )
    .await
    .expect_err("no access_token");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet {
                criterion: "$[?@.access_token]",
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn regex_criterion_fails_on_a_non_2xx_status() {
    let server = support::start(vec![Reply::json(401, json!({"access_token": "x"}))]).await;
    let err = form_token_and_note::run(
        &client(&server.url),
        form_token_and_note::Inputs {
            client_id: "c".into(),
        },
    )
    .await
    .expect_err("401");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet {
                criterion: "^2\\d\\d$",
                status: 401,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn url_method_and_request_values_are_readable_after_the_response() {
    let server = support::start(vec![
        job("done"),
        Reply::json(200, json!({"access_token": "t"})),
    ])
    .await;
    let out = echo_request::run(
        &client(&server.url),
        echo_request::Inputs { id: "a/b c".into() },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.url, format!("{}/jobs/a%2Fb%20c", server.url));
    assert_eq!(out.method, "GET");
    assert_eq!(out.id, "a/b c");
    assert_eq!(out.sent_type, "application/x-www-form-urlencoded");
    assert_eq!(
        out.base.trim_end_matches('/'),
        server.url,
        "$sourceDescriptions.jobs.url is the configured base URL"
    );
    assert_eq!(
        server.paths()[0],
        "/jobs/a%2Fb%20c",
        "a path parameter cannot change the path"
    );
}

/// OpenAPI 3 parameter serialization (§4.6.4 Parameter Object maps to the operation's
/// parameters): form+explode, form without explode, pipeDelimited.
#[tokio::test]
async fn array_query_parameters_follow_style_and_explode() {
    let server = support::start(vec![Reply::status(200)]).await;
    search::run(
        &client(&server.url),
        search::Inputs {
            tags: vec!["x y".into(), "z".into()],
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = server.seen();
    assert_eq!(
        seen[0].query.as_deref(),
        Some("tag=x+y&tag=z&ids=1%2C2&flags=a%7Cb")
    );
}

#[tokio::test]
async fn step_output_pointers_and_payload_replacements() {
    let server = support::start(vec![job("pending"), Reply::status(201)]).await;
    copy_job::run(
        &client(&server.url),
        copy_job::Inputs {
            id: "9".into(),
            priority: 5,
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = server.seen();
    assert_eq!(seen[1].path, "/jobs");
    let body: serde_json::Value = serde_json::from_str(&seen[1].body).expect("JSON body");
    assert_eq!(
        body,
        json!({"name": "copy of 9", "meta": {"state": "pending", "priority": 5, "tags": ["a", "replaced"]}})
    );
    // Key order is the document's.
    assert!(
        seen[1]
            .body
            .starts_with(r#"{"name":"copy of 9","meta":{"state":"pending","priority":5"#),
        "{}",
        seen[1].body
    );
}

#[tokio::test]
async fn action_criteria_can_be_jsonpath_queries() {
    let server = support::start(vec![job("pending"), job("done")]).await;
    let out = poll_with_jsonpath::run(
        &client(&server.url),
        poll_with_jsonpath::Inputs { id: "3".into() },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_hostile_retry_after_is_capped_by_max_retry_delay() {
    // The server asks for an hour; the client allows 50 ms.
    let server = support::start(vec![
        Reply::status(503).header("retry-after", "3600"),
        job("done"),
    ])
    .await;
    let client = Client::builder()
        .base_url_jobs(&server.url)
        .max_retry_delay(Duration::from_millis(50))
        .build()
        .expect("client builds");
    let started = std::time::Instant::now();
    retry_honours_header::run(&client, retry_honours_header::Inputs { id: "1".into() })
        .await
        .expect("retried after the capped delay");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(50) && waited < Duration::from_secs(10),
        "waited {waited:?}"
    );
}

#[tokio::test]
async fn goto_a_workflow_runs_it_and_ends_this_one() {
    let server = support::start(vec![
        job("pending"),
        job("done"),
        Reply::json(200, json!({"value": 1})),
    ])
    .await;
    let out = hand_off::run(&client(&server.url), hand_off::Inputs { id: "5".into() })
        .await
        .expect("workflow succeeds");
    assert_eq!(out.state, jobs::JobState::Pending);
    // peek, then poll-until-done (poll, fetch); this workflow's `never` step does not run.
    assert_eq!(server.paths(), ["/jobs/5", "/jobs/5", "/jobs/5/result"]);
}

#[tokio::test]
async fn failure_actions_first_applicable_wins() {
    // 503 → retry (once); 404 → `end` with the step's error.
    let server = support::start(vec![Reply::status(503), Reply::status(404)]).await;
    let err = failure_order::run(
        &client(&server.url),
        failure_order::Inputs { id: "1".into() },
    )
    .await
    .expect_err("ends on 404");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet { status: 404, .. }
        ),
        "{err:?}"
    );
    assert_eq!(server.paths(), ["/jobs/1", "/jobs/1"]);

    // 503, 503: the retry is exhausted, so the next applicable action (goto fallback) runs.
    let server = support::start(vec![
        Reply::status(503),
        Reply::status(503),
        Reply::status(200),
    ])
    .await;
    failure_order::run(
        &client(&server.url),
        failure_order::Inputs { id: "1".into() },
    )
    .await
    .expect("falls back");
    assert_eq!(
        server.paths(),
        ["/jobs/1", "/jobs/1", "/jobs/fallback/result"]
    );
}

#[tokio::test]
async fn actions_on_a_step_that_calls_a_workflow() {
    // The first call fails (500 on the callee's poll step), the retry succeeds, `end` stops
    // before `never`.
    let server = support::start(vec![
        Reply::status(500),
        job("done"),
        Reply::json(200, json!({"value": 1})),
    ])
    .await;
    let out = call_with_actions::run(
        &client(&server.url),
        call_with_actions::Inputs { id: "4".into() },
    )
    .await
    .expect("the retried call succeeds");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(server.paths(), ["/jobs/4", "/jobs/4", "/jobs/4/result"]);

    // Always failing: the retry is used up and the callee's error is the run's error.
    let server = support::start(vec![Reply::status(500)]).await;
    let err = call_with_actions::run(
        &client(&server.url),
        call_with_actions::Inputs { id: "4".into() },
    )
    .await
    .expect_err("both calls fail");
    assert_eq!(err.workflow(), Some("poll-until-done"), "{err}");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet { status: 500, .. }
        ),
        "{err:?}"
    );
    assert_eq!(server.seen().len(), 2);

    // A `regex` criterion on the call step is a regex, not a simple condition (§4.6.13): the
    // call succeeds, `x4` does not match `^[0-9]+$`, the retry calls again, and the run fails
    // naming the pattern.
    let result = || Reply::json(200, json!({"value": 1}));
    let server = support::start(vec![job("done"), result(), job("done"), result()]).await;
    let err = call_with_actions::run(
        &client(&server.url),
        call_with_actions::Inputs { id: "x4".into() },
    )
    .await
    .expect_err("the id is not numeric");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::CriterionNotMet("^[0-9]+$")),
        "{err:?}"
    );
    assert_eq!(
        server.paths(),
        ["/jobs/x4", "/jobs/x4/result", "/jobs/x4", "/jobs/x4/result"]
    );
}

/// §4.6.10 Failure Action Object: `retry` with a `workflowId` runs that workflow, then retries
/// the current step; §4.7 `$workflows.x.inputs.y` / `.outputs.y` read what that run took and gave.
#[tokio::test]
async fn retry_naming_a_workflow_runs_it_then_retries_the_step() {
    let server = support::start(vec![
        Reply::status(401),
        Reply::json(200, json!({"access_token": "t1"})),
        job("done"),
    ])
    .await;
    let out = read_with_refresh::run(
        &client(&server.url),
        read_with_refresh::Inputs {
            id: "7".into(),
            client_id: "c1".into(),
        },
    )
    .await
    .expect("workflow succeeds after the refresh");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(out.token, "t1");
    assert_eq!(out.refreshed_for, "c1");
    assert_eq!(server.paths(), ["/jobs/7", "/token", "/jobs/7"]);
    let seen = server.seen();
    assert_eq!(seen[1].body, "grant_type=client_credentials&client_id=c1");

    // The retry limit (one) is spent: a second 401 is the step's error.
    let server = support::start(vec![
        Reply::status(401),
        Reply::json(200, json!({"access_token": "t1"})),
        Reply::status(401),
    ])
    .await;
    let err = read_with_refresh::run(
        &client(&server.url),
        read_with_refresh::Inputs {
            id: "7".into(),
            client_id: "c1".into(),
        },
    )
    .await
    .expect_err("still unauthorized");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet { status: 401, .. }
        ),
        "{err:?}"
    );
    assert_eq!(server.paths(), ["/jobs/7", "/token", "/jobs/7"]);
}

/// §4.7: reading `$workflows.x.outputs.y` of a workflow this run did not run is a typed error,
/// never a default value.
#[tokio::test]
async fn reading_a_workflow_that_did_not_run_is_a_typed_error() {
    let server = support::start(vec![job("done")]).await;
    let err = read_with_refresh::run(
        &client(&server.url),
        read_with_refresh::Inputs {
            id: "7".into(),
            client_id: "c1".into(),
        },
    )
    .await
    .expect_err("refresh-token never ran");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::WorkflowNotRun("refresh-token")
        ),
        "{err:?}"
    );
    assert_eq!(server.paths(), ["/jobs/7"]);
}
