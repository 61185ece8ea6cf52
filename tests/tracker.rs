//! The issue-tracker workflows of `examples/tracker.rs`, end to end against the tracker server on
//! 127.0.0.1: every request the server saw, in order, and the typed outputs.

#[path = "../examples/support/tracker_server.rs"]
mod tracker_server;

use tracker_server::{PASSWORD, Shared, TOKEN, USER};

arazzo::arazzo_workflow!(
    "examples/workflows/tracker.arazzo.yml",
    secrets = ["password"]
);

async fn client(state: &Shared) -> Client {
    let addr = tracker_server::serve(state.clone()).await.expect("serve");
    Client::builder()
        .base_url_tracker(format!("http://{addr}"))
        .build()
        .expect("client")
}

fn inputs(password: &str) -> triage_issue::Inputs {
    triage_issue::Inputs {
        username: USER.into(),
        password: password.into(),
        title: "Export drops the last comment".into(),
        labels: vec!["bug".into(), "export".into()],
        comment: "Reproduced with five comments.".into(),
    }
}

/// Takes the same issue through every step: the token from the login goes out as a bearer
/// header on every later request (the server answers 401 otherwise), the called workflow labels
/// and comments, the job is polled until done, and the comments are read two at a time with the
/// cursor of the previous page (none on the first).
#[tokio::test]
async fn triage_runs_every_step_with_the_session_token() {
    let state = Shared::default();
    let client = client(&state).await;
    let out = triage_issue::run(&client, inputs(PASSWORD))
        .await
        .expect("run");

    let log = state.lock().log.clone();
    assert_eq!(
        log,
        [
            "POST /login → 200",
            "POST /issues → 201",
            "POST /issues/101/labels → 200",
            "POST /issues/101/comments → 201",
            "POST /issues/101/exports → 202",
            "GET /jobs/job-101 → 200",
            "GET /jobs/job-101 → 200",
            "GET /jobs/job-101 → 200",
            "GET /issues/101/comments?limit=2 → 200",
            "GET /issues/101/comments?limit=2&cursor=2 → 200",
            "GET /issues/101/comments?limit=2&cursor=4 → 200",
            "PATCH /issues/101 → 200",
        ]
    );
    assert_eq!(out.created.number, 101);
    assert_eq!(out.created.state, tracker::State::Open);
    assert_eq!(out.closed.state, tracker::State::Closed);
    assert_eq!(out.labels, ["bug", "export"]);
    assert_eq!(
        out.export_url.as_deref(),
        Some("https://files.example/job-101.pdf")
    );
    let last: Vec<&str> = out.last_comments.iter().map(|c| c.body.as_str()).collect();
    assert_eq!(last, ["Reproduced with five comments."]);
}

/// A wrong password fails the first step; nothing else is sent, and neither the password nor
/// anything that looks like the token shows in the error.
#[tokio::test]
async fn a_wrong_password_stops_at_the_login_and_stays_masked() {
    let state = Shared::default();
    let client = client(&state).await;
    let wrong = "not the password";
    let err = triage_issue::run(&client, inputs(wrong))
        .await
        .expect_err("the login fails");

    assert_eq!(err.step(), Some("login"));
    assert_eq!(state.lock().log, ["POST /login → 401"]);
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(wrong), "password shown: {shown}");
        assert!(!shown.contains(TOKEN), "token shown: {shown}");
    }
}
