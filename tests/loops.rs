//! `goto` loops that read their own outputs (cursor pagination, polling) and `end` actions
//! that skip steps the workflow's outputs read, run against a scripted HTTP server on
//! 127.0.0.1 (tests/fixtures/loops).
//!
//! - A step in a loop reads the outputs of the previous pass: `Option`s, `None` on the first
//!   pass; a `None` query parameter or header is left out of the request.
//! - A missing value compares as `null`: `$response.body#/next == null` holds on the last page,
//!   where `next` is absent.
//! - Arazzo 1.0.1, Success Action `end`: "The workflow ends, and context returns to the caller
//!   with applicable outputs": outputs of a step an `end` may skip are `Option`s, `None` then.

mod support;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/loops/loops.arazzo.yml");

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_tracker(url)
        .build()
        .expect("client builds")
}

fn page(comments: &[&str], next: Option<&str>) -> Reply {
    match next {
        Some(next) => Reply::json(200, json!({ "comments": comments, "next": next })),
        None => Reply::json(200, json!({ "comments": comments })),
    }
}

/// Three pages: the first request has no cursor, each next one sends the cursor the previous
/// page returned, and the page without `next` ends the loop (the latest pass's outputs win).
#[tokio::test]
async fn a_cursor_loop_pages_until_next_is_absent() {
    let server = support::start(vec![
        page(&["a", "b"], Some("c2")),
        page(&["c"], Some("c3")),
        page(&["d"], None),
        // A fourth request would be a loop that does not stop.
        Reply::status(500),
    ])
    .await;
    let out = read_comments::run(&client(&server.url), read_comments::Inputs { issue: 7 })
        .await
        .expect("three pages");
    assert_eq!(out.last_page, ["d"]);
    let seen = server.seen();
    let requests: Vec<(String, Option<String>)> =
        seen.into_iter().map(|s| (s.path, s.query)).collect();
    assert_eq!(
        requests,
        [
            ("/issues/7/comments".to_owned(), None),
            (
                "/issues/7/comments".to_owned(),
                Some("cursor=c2".to_owned())
            ),
            (
                "/issues/7/comments".to_owned(),
                Some("cursor=c3".to_owned())
            ),
        ]
    );
}

/// A `next: null` page ends the loop too (`null` and missing compare alike).
#[tokio::test]
async fn a_null_cursor_ends_the_loop() {
    let server = support::start(vec![
        page(&["a"], Some("c2")),
        Reply::json(200, json!({ "comments": ["b"], "next": null })),
        Reply::status(500),
    ])
    .await;
    let out = read_comments::run(&client(&server.url), read_comments::Inputs { issue: 1 })
        .await
        .expect("two pages");
    assert_eq!(out.last_page, ["b"]);
    assert_eq!(server.seen().len(), 2);
}

fn job(status: &str, polls: i64) -> Reply {
    Reply::json(200, json!({ "status": status, "polls": polls }))
}

/// The job is polled while `status != 'done'`; each poll sends the status the previous one
/// saw as a header, which the first poll leaves out.
#[tokio::test]
async fn a_polling_loop_goes_back_until_the_job_is_done() {
    let server = support::start(vec![
        Reply::json(202, json!({ "id": "j1" })),
        job("queued", 1),
        job("running", 2),
        job("done", 3),
        Reply::status(500),
    ])
    .await;
    let out = wait_for_job::run(&client(&server.url), wait_for_job::Inputs {})
        .await
        .expect("the job finishes");
    assert_eq!((out.status.as_str(), out.polls), ("done", 3));
    let seen = server.seen();
    assert_eq!(
        seen.iter().map(|s| s.path.as_str()).collect::<Vec<_>>(),
        ["/jobs", "/jobs/j1", "/jobs/j1", "/jobs/j1"]
    );
    let last_status: Vec<Option<&str>> = seen
        .iter()
        .skip(1)
        .map(|s| {
            s.headers
                .iter()
                .find(|(name, _)| name == "x-last-status")
                .map(|(_, value)| value.as_str())
        })
        .collect();
    assert_eq!(last_status, [None, Some("queued"), Some("running")]);
}

/// An `end` before the step an output reads: the run succeeds and that output is `None`; the
/// output of the step every run passes through keeps its plain type.
#[tokio::test]
async fn an_end_returns_the_outputs_that_apply() {
    let server = support::start(vec![Reply::json(200, json!({ "state": "closed" }))]).await;
    let out = close_issue::run(&client(&server.url), close_issue::Inputs { issue: 3 })
        .await
        .expect("`end` is a successful end");
    let state_before: String = out.state_before;
    let closed_at: Option<String> = out.closed_at;
    assert_eq!((state_before.as_str(), closed_at), ("closed", None));
    assert_eq!(server.paths(), ["/issues/3"]);

    let server = support::start(vec![
        Reply::json(200, json!({ "state": "open" })),
        Reply::json(200, json!({ "closedAt": "2026-11-29" })),
    ])
    .await;
    let out = close_issue::run(&client(&server.url), close_issue::Inputs { issue: 3 })
        .await
        .expect("both steps run");
    assert_eq!(out.closed_at.as_deref(), Some("2026-11-29"));
    assert_eq!(server.paths(), ["/issues/3", "/issues/3/close"]);
}

/// A caller sees the callee's skippable output as an `Option`, through `$outputs` and
/// `$workflows.<id>.outputs` alike.
#[tokio::test]
async fn a_caller_sees_skippable_outputs_as_options() {
    let server = support::start(vec![Reply::json(200, json!({ "state": "closed" }))]).await;
    let out = close_and_report::run(&client(&server.url), close_and_report::Inputs { issue: 4 })
        .await
        .expect("the callee ends early, successfully");
    let (closed_at, same): (Option<String>, Option<String>) = (out.closed_at, out.same_closed_at);
    assert_eq!((closed_at, same), (None, None));

    let server = support::start(vec![
        Reply::json(200, json!({ "state": "open" })),
        Reply::json(200, json!({ "closedAt": "today" })),
    ])
    .await;
    let out = close_and_report::run(&client(&server.url), close_and_report::Inputs { issue: 4 })
        .await
        .expect("the callee closes the issue");
    assert_eq!(
        (out.closed_at.as_deref(), out.same_closed_at.as_deref()),
        (Some("today"), Some("today"))
    );
}
