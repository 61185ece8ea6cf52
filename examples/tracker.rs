//! The workflows people write, on a small issue tracker: log in and send the session token as a
//! bearer header, open an issue, call a workflow that labels and comments on it, poll an export
//! job until it is done, read the discussion page by page with a cursor, close the issue.
//!
//! ```sh
//! cargo run --example tracker
//! ```
//!
//! The workflows are in `examples/workflows/tracker.arazzo.yml`; this program serves the
//! tracker on 127.0.0.1 (`examples/support/tracker_server.rs`) and prints every request it saw.

#[path = "support/tracker_server.rs"]
mod tracker_server;

use std::time::Duration;

// The password is masked wherever it could show (errors, `Debug`); the session token needs no
// entry here: a value sent as `Authorization` is masked wherever it flows.
arazzo::arazzo_workflow!(
    "examples/workflows/tracker.arazzo.yml",
    secrets = ["password"]
);

/// One issue, whichever step returned it: every step that answers with the API's `Issue`
/// schema gives the same Rust type.
fn show(when: &str, issue: &tracker::Issue) {
    println!(
        "{when}: #{} {:?} ({:?}), labels {:?}",
        issue.number, issue.title, issue.state, issue.labels
    );
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = tracker_server::Shared::default();
    let addr = tracker_server::serve(state.clone()).await?;
    // No credential on the builder: the workflow logs in and sends the token itself.
    let client = Client::builder()
        .base_url_tracker(format!("http://{addr}"))
        .workflow_timeout(Duration::from_secs(30))
        .build()?;

    let out = triage_issue::run(
        &client,
        triage_issue::Inputs {
            username: tracker_server::USER.into(),
            password: tracker_server::PASSWORD.into(),
            title: "Export drops the last comment".into(),
            labels: vec!["bug".into(), "export".into()],
            comment: "Reproduced with five comments.".into(),
        },
    )
    .await?;

    for line in &state.lock().log {
        println!("{line}");
    }
    show("created", &out.created);
    show("closed", &out.closed);
    println!("labels after triage: {:?}", out.labels);
    println!(
        "export: {}",
        out.export_url.as_deref().unwrap_or("(no URL)")
    );
    let last: Vec<&str> = out.last_comments.iter().map(|c| c.body.as_str()).collect();
    println!("last page of comments: {last:?}");
    Ok(())
}
