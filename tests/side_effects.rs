//! A failed run says which requests took effect: a 2xx answer whose outputs do not decode, the
//! steps of a called workflow that completed before it failed, and a request sent without an
//! answer. Real servers on 127.0.0.1: the scripted axum server of `support`, and a raw TCP
//! listener that closes the connection mid-response.

mod support;

use arazzo::{ErrorKind, Outcome, SentRequest};
use serde_json::json;
use support::Reply;
use tokio::io::AsyncWriteExt as _;

arazzo::arazzo_workflow!("tests/fixtures/side_effects/tracker.arazzo.yml");

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_tracker(url)
        .build()
        .expect("client")
}

/// Runs `open-issue` against `url`, which must make it fail.
async fn open_issue_fails(url: &str) -> arazzo::Error {
    let inputs = open_issue::Inputs {
        title: "Crash on start".into(),
    };
    open_issue::run(&client(url), inputs)
        .await
        .expect_err("the run fails")
}

/// What `summary` shows for `open-issue`'s one request.
fn create_issue(
    outcome: Outcome,
) -> (
    Vec<&'static str>,
    &'static str,
    &'static str,
    &'static str,
    Outcome,
) {
    (
        vec!["open-issue"],
        "createIssue",
        "POST",
        "/issues",
        outcome,
    )
}

/// The requests as `(workflows, step, method, path, outcome)`, for comparing in one assert.
fn summary(sent: &[SentRequest]) -> Vec<(Vec<&str>, &str, &str, &str, Outcome)> {
    sent.iter()
        .map(|r| {
            (
                r.workflows.clone(),
                r.step,
                r.method,
                r.path.as_str(),
                r.outcome,
            )
        })
        .collect()
}

#[tokio::test]
async fn a_2xx_answer_whose_outputs_do_not_decode_is_reported_as_taking_effect() {
    // The issue is created, but its id is not the integer the schema promises.
    let server = support::start(vec![Reply::json(201, json!({"id": "ISSUE-7"}))]).await;
    let err = open_issue_fails(&server.url).await;
    assert!(matches!(err.kind(), ErrorKind::Decode { .. }), "{err:?}");
    assert_eq!(
        summary(err.sent_requests()),
        [create_issue(Outcome::Answered(201))]
    );
    // Answered is not completed: its outputs were not decoded.
    assert!(err.completed_steps().is_empty());
    let shown = err.to_string();
    assert!(
        shown.ends_with(
            "; step `createIssue` was answered 201 but its outputs were not decoded: the \
             request took effect"
        ),
        "{shown}"
    );
    assert!(!shown.contains("no step completed"), "{shown}");
    // The run's `Progress` says the same: no outputs, one answered request.
    let progress = open_issue::Progress::of(&err).expect("progress");
    assert_eq!(progress.create_issue, None);
    assert_eq!(progress.sent_requests(), err.sent_requests());
}

#[tokio::test]
async fn a_called_workflow_that_fails_reports_what_its_steps_did_to_the_caller() {
    // `triage` reads issue 3, creates issue 7, then calls `label-and-comment`, which labels
    // issue 7 and fails to comment on it.
    let server = support::start(vec![
        Reply::json(200, json!({"title": "Crash on start"})),
        Reply::json(201, json!({"id": 7})),
        Reply::json(200, json!({"labels": ["triaged"]})),
        Reply::json(500, json!({"error": "comments are down"})),
    ])
    .await;
    let err = triage::run(
        &client(&server.url),
        triage::Inputs {
            issue_id: 3,
            title: "Follow-up".into(),
        },
    )
    .await
    .expect_err("the comment fails");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { status: 500, .. }),
        "{err:?}"
    );
    assert_eq!(
        (err.workflow(), err.step()),
        (Some("label-and-comment"), Some("addComment"))
    );
    let callee = vec!["triage", "label-and-comment"];
    assert_eq!(
        summary(err.sent_requests()),
        [
            (
                vec!["triage"],
                "readIssue",
                "GET",
                "/issues/3",
                Outcome::Decoded(200)
            ),
            (
                vec!["triage"],
                "createIssue",
                "POST",
                "/issues",
                Outcome::Decoded(201)
            ),
            (
                callee.clone(),
                "addLabel",
                "POST",
                "/issues/7/labels",
                Outcome::Decoded(200)
            ),
            (
                callee.clone(),
                "addComment",
                "POST",
                "/issues/7/comments",
                Outcome::Answered(500)
            ),
        ]
    );
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "workflow `label-and-comment` (called from `triage`), step `addComment` (operation \
             `addComment`)"
        ),
        "{shown}"
    );
    assert!(
        shown.ends_with("; completed steps: readIssue, createIssue, label-and-comment/addLabel"),
        "{shown}"
    );
    // The caller's `Progress` has the created issue and every request, its callee's included;
    // the callee's has its own requests, named with the caller.
    let outer = triage::Progress::of(&err).expect("caller progress");
    assert_eq!(outer.create_issue.as_ref().map(|o| o.issue_id), Some(7));
    assert!(outer.label.is_none());
    assert_eq!(outer.sent_requests(), err.sent_requests());
    let inner = label_and_comment::Progress::of(&err).expect("callee progress");
    assert_eq!(
        inner.add_label.as_ref().map(|o| o.labels.clone()),
        Some(vec!["triaged".to_owned()])
    );
    assert_eq!(inner.add_comment, None);
    assert_eq!(inner.sent_requests(), &err.sent_requests()[2..]);
    assert_eq!(
        inner.sent_requests()[0].qualified_step(),
        "label-and-comment/addLabel"
    );
}

#[tokio::test]
async fn a_request_sent_without_an_answer_may_have_been_received() {
    // The server reads the request, starts the answer and closes the connection.
    let url = support::raw_server(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"id\":")
            .await;
    })
    .await;
    let err = open_issue_fails(&url).await;
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert_eq!(
        summary(err.sent_requests()),
        [create_issue(Outcome::NoAnswer)]
    );
    let shown = err.to_string();
    assert!(
        shown.ends_with(
            "; step `createIssue` was sent but got no answer: the server may have received it"
        ),
        "{shown}"
    );
}

#[tokio::test]
async fn a_refused_connection_sent_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let err = open_issue_fails(&url).await;
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert!(err.sent_requests().is_empty());
    assert!(err.to_string().ends_with("; no request was sent"), "{err}");
}
