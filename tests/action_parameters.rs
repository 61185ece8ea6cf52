//! Arazzo 1.1 action `parameters` and step-level `dependsOn`, run against a scripted HTTP
//! server on 127.0.0.1 (tests/fixtures/actions/deps.arazzo.yml). The paths the server saw are
//! the requests sent, in order: a workflow run by an action asks for the job its parameters
//! name, and dependent steps run after what they depend on.
//!
//! What the specification (1.1.0) says, and what these tests hold the implementation to:
//!
//! - Success/Failure Action `parameters`: "A list of parameters that MUST be passed to a
//!   workflow as referenced by `workflowId`."
//! - Failure Action `retry`: "If a `stepId` or `workflowId` are specified, then the reference
//!   is executed and the context is returned, after which the current step is retried."
//! - Step `dependsOn`: "A list of steps that MUST be completed before this step can be
//!   executed"; "Tools supporting only sequential execution MUST execute steps in an order
//!   that satisfies both explicit (`dependsOn`) and implicit (output reference) dependencies."

mod support;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/actions/deps.arazzo.yml");

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_jobs(url)
        .build()
        .expect("client builds")
}

fn job(state: &str) -> Reply {
    Reply::json(200, json!({ "state": state }))
}

fn result(value: i64) -> Reply {
    Reply::json(200, json!({ "value": value }))
}

/// Runs `watch` for job `alpha` against a server answering `replies`: its outputs and the
/// paths the server saw.
async fn watch_alpha(replies: Vec<Reply>) -> (watch::Outputs, Vec<String>) {
    let server = support::start(replies).await;
    let inputs = watch::Inputs {
        name: "alpha".into(),
    };
    let out = watch::run(&client(&server.url), inputs)
        .await
        .expect("workflow succeeds");
    (out, server.paths())
}

/// `goto` a workflow with `parameters`: the target runs with the job the response names.
#[tokio::test]
async fn a_goto_passes_its_parameters_to_the_workflow_it_runs() {
    let (out, paths) = watch_alpha(vec![job("done"), result(7)]).await;
    assert_eq!(paths, ["/jobs/alpha", "/jobs/done/result"]);
    assert_eq!(out.state, jobs::JobState::Done);
    assert_eq!(out.result, 7);
}

/// `retry` with a workflow and `parameters`: the workflow runs with them, then the step again.
#[tokio::test]
async fn a_retry_runs_the_workflow_with_its_parameters_before_the_step_again() {
    let (out, paths) = watch_alpha(vec![Reply::status(503), result(3), job("pending")]).await;
    assert_eq!(
        paths,
        ["/jobs/alpha", "/jobs/busy-alpha/result", "/jobs/alpha"]
    );
    assert_eq!(out.state, jobs::JobState::Pending);
    assert_eq!(out.result, 3);
}

/// Each step runs after the steps it depends on, and the step of `warm-up` it depends on ran
/// before the first step.
#[tokio::test]
async fn steps_run_after_what_they_depend_on() {
    let server = support::start(vec![job("done"), job("done"), job("done"), job("failed")]).await;
    let out = ordered::run(&client(&server.url), ordered::Inputs {})
        .await
        .expect("workflow succeeds");
    assert_eq!(
        server.paths(),
        ["/jobs/warm", "/jobs/first", "/jobs/second", "/jobs/third"]
    );
    assert_eq!(out.state, jobs::JobState::Failed);
}
