//! One Rust type per named schema, shared by every step and workflow that reads it, against a
//! tracker on 127.0.0.1: `createIssue` and `closeIssue` both answer `tracker::Issue`, so one
//! user function takes either; a state the schema does not list arrives as `Other`, and the
//! run that already created and closed the issue succeeds.

mod support;

use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/shared_types/shared_types.arazzo.yml");

/// What a user writes once for every issue the workflows read.
fn show(issue: &tracker::Issue) -> String {
    let assignee = issue
        .assignee
        .as_ref()
        .map_or("nobody", |u| u.login.as_str());
    format!(
        "#{} {} [{}] ({assignee})",
        issue.id, issue.title, issue.state
    )
}

fn issue(state: &str) -> serde_json::Value {
    serde_json::json!({"id": 7, "title": "Broken", "state": state, "assignee": {"login": "ada"}})
}

/// A client of `server`, and the outputs of `open-and-close` run with it.
async fn open_and_close(server: &support::Scripted) -> (Client, open_and_close::Outputs) {
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds");
    let inputs = open_and_close::Inputs {
        title: "Broken".into(),
    };
    let outputs = open_and_close::run(&client, inputs)
        .await
        .expect("a value added by the server later does not fail the run");
    (client, outputs)
}

#[tokio::test]
async fn two_steps_and_two_workflows_answer_one_issue_type() {
    let server = support::start(vec![
        Reply::json(201, issue("open")),
        Reply::json(200, issue("closed")),
        Reply::json(
            200,
            serde_json::json!({"issue": issue("closed"), "items": []}),
        ),
    ])
    .await;
    let (client, outputs) = open_and_close(&server).await;
    assert_eq!(show(&outputs.created), "#7 Broken [open] (ada)");
    assert_eq!(show(&outputs.closed), "#7 Broken [closed] (ada)");
    assert_eq!(outputs.closed.state, tracker::IssueState_2::Closed);
    let comments = read_comments::run(&client, read_comments::Inputs { id: 7 })
        .await
        .expect("workflow succeeds");
    let read: Option<&tracker::Issue> = comments.issue.as_ref();
    assert_eq!(read, Some(&outputs.closed));
    assert_eq!(
        server.paths(),
        ["/issues", "/issues/7/close", "/issues/7/comments"]
    );
}

#[tokio::test]
async fn a_state_the_schema_does_not_list_is_kept_as_other() {
    let server = support::start(vec![
        Reply::json(201, issue("triaged")),
        Reply::json(200, issue("archived")),
    ])
    .await;
    let (_, outputs) = open_and_close(&server).await;
    assert_eq!(
        outputs.created.state,
        tracker::IssueState_2::Other("triaged".to_owned())
    );
    assert_eq!(show(&outputs.closed), "#7 Broken [archived] (ada)");
    // Serialized back, the value is the server's text.
    assert_eq!(
        serde_json::to_value(&outputs.closed.state).expect("serializes"),
        serde_json::json!("archived")
    );
    assert_eq!(server.paths(), ["/issues", "/issues/7/close"]);
}

#[tokio::test]
async fn a_one_of_of_objects_is_an_enum_of_its_alternatives() {
    let server = support::start(vec![Reply::json(
        200,
        serde_json::json!([{"text": "first!"}, {"label": "bug"}]),
    )])
    .await;
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds");
    let outputs = read_events::run(&client, read_events::Inputs { id: 7 })
        .await
        .expect("workflow succeeds");
    let texts: Vec<String> = outputs
        .events
        .iter()
        .map(|event| match event {
            tracker::Event::Commented(c) => format!("said {}", c.text),
            tracker::Event::Labelled(l) => format!("labelled {}", l.label),
        })
        .collect();
    assert_eq!(texts, ["said first!", "labelled bug"]);
}

#[tokio::test]
async fn a_value_that_fits_no_alternative_is_a_decode_error() {
    let server = support::start(vec![Reply::json(
        200,
        serde_json::json!([{"colour": "red"}]),
    )])
    .await;
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds");
    let error = read_events::run(&client, read_events::Inputs { id: 7 })
        .await
        .expect_err("the event is neither a comment nor a label");
    assert!(
        matches!(error.kind(), arazzo::ErrorKind::Decode { .. }),
        "{error}"
    );
}
