//! Runtime expressions embedded in `regex` and `jsonpath` conditions (Arazzo 1.1, "Runtime
//! Expressions in Conditions"): the values are substituted as text before the condition is
//! compiled and evaluated; a condition the substitution makes invalid fails the criterion.
//! Against a scripted HTTP server on 127.0.0.1.

mod support;

use arazzo::ErrorKind;
use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/v11/embedded.arazzo.yml");

async fn job(state: &str) -> support::Scripted {
    support::start(vec![Reply::json(200, json!({"state": state}))]).await
}

fn client(server: &support::Scripted) -> Client {
    Client::builder()
        .base_url_jobs(&server.url)
        .build()
        .expect("client builds")
}

/// The criterion that failed, when the run failed on one.
fn failed_criterion(err: &arazzo::Error) -> Option<&'static str> {
    match err.kind() {
        ErrorKind::CriteriaNotMet { criterion, .. } => Some(criterion),
        _ => None,
    }
}

#[tokio::test]
async fn a_regex_built_from_an_input_matches_or_fails() {
    let server = job("done").await;
    let out = state_matches::run(
        &client(&server),
        state_matches::Inputs {
            status_pattern: "pending|done".into(),
        },
    )
    .await
    .expect("`done` matches ^(pending|done)$");
    assert_eq!(out.state, jobs::JobState::Done);

    let server = job("done").await;
    let err = state_matches::run(
        &client(&server),
        state_matches::Inputs {
            status_pattern: "pending|failed".into(),
        },
    )
    .await
    .expect_err("`done` does not match ^(pending|failed)$");
    assert_eq!(
        failed_criterion(&err),
        Some("^({$inputs.statusPattern})$"),
        "{err}"
    );
    assert_eq!(err.step(), Some("read"));
}

#[tokio::test]
async fn an_input_that_makes_the_regex_invalid_fails_the_criterion() {
    // `^(()$` and a pattern too large for the regex engine's size limit.
    for hostile in ["(", "\\w{1000}{1000}"] {
        let server = job("done").await;
        let err = state_matches::run(
            &client(&server),
            state_matches::Inputs {
                status_pattern: hostile.into(),
            },
        )
        .await
        .expect_err("an invalid pattern never matches");
        assert_eq!(
            failed_criterion(&err),
            Some("^({$inputs.statusPattern})$"),
            "{hostile}: {err}"
        );
        assert_eq!(
            err.to_string(),
            "workflow `state-matches`, step `read` (operation `getJob`): success criterion `^({$inputs.statusPattern})$` not met (HTTP status 200, body: {\"state\":\"done\"}); no request took effect",
        );
    }
}

#[tokio::test]
async fn a_jsonpath_query_built_from_an_input_selects_or_fails() {
    let server = job("pending").await;
    let out = state_is::run(
        &client(&server),
        state_is::Inputs {
            expected: "pending".into(),
        },
    )
    .await
    .expect("the state is `pending`");
    assert_eq!(out.state, jobs::JobState::Pending);

    // `pending'` leaves a quote open: the query does not parse, so it fails. The last value
    // would select (its test holds) but nests parentheses deeper than the runtime parses
    // (arazzo_bounds::jsonpath_bounds), so it fails too.
    let deep = format!(
        "x' || {}@.state == 'pending'{} || @.state == 'y",
        "(".repeat(11),
        ")".repeat(11)
    );
    for expected in ["done", "pending'", deep.as_str()] {
        let server = job("pending").await;
        let err = state_is::run(
            &client(&server),
            state_is::Inputs {
                expected: expected.into(),
            },
        )
        .await
        .expect_err("not selected, or not a query");
        assert_eq!(
            failed_criterion(&err),
            Some("$[?@.state == '{$inputs.expected}']"),
            "{expected}: {err}"
        );
    }
}

#[tokio::test]
async fn a_jsonpath_query_compares_with_a_step_output() {
    let server = support::start(vec![
        Reply::json(200, json!({"state": "done"})),
        Reply::json(200, json!({"state": "done"})),
    ])
    .await;
    let out = same_state::run(&client(&server), same_state::Inputs {})
        .await
        .expect("both jobs are done");
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(server.paths(), ["/jobs/1", "/jobs/2"]);

    let server = support::start(vec![
        Reply::json(200, json!({"state": "done"})),
        Reply::json(200, json!({"state": "failed"})),
    ])
    .await;
    let err = same_state::run(&client(&server), same_state::Inputs {})
        .await
        .expect_err("the second job is in another state");
    assert_eq!(
        failed_criterion(&err),
        Some("$[?@.state == '{$steps.first.outputs.state}']"),
        "{err}"
    );
    assert_eq!(err.step(), Some("second"));
}

#[tokio::test]
async fn a_value_is_substituted_as_text_not_escaped() {
    // As the specification says, the value becomes text of the query: here it closes the
    // string literal and adds a test of its own (docs/limitations.md).
    let server = job("pending").await;
    let out = state_is::run(
        &client(&server),
        state_is::Inputs {
            expected: "x' || @.state == 'pending".into(),
        },
    )
    .await
    .expect("the substituted query is `$[?@.state == 'x' || @.state == 'pending']`");
    assert_eq!(out.state, jobs::JobState::Pending);
}
