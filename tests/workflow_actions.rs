//! Workflow-level `successActions`, `components.successActions` and `end` (Arazzo 1.0.1 Workflow
//! Object, Step Object `onSuccess`, Success Action Object, Components Object, Reusable Object),
//! run against a scripted HTTP server on 127.0.0.1. Every step reads `/jobs/<stepId>`, so the
//! paths the server saw are the steps that ran, in order; each test asserts them and the typed
//! outputs.
//!
//! What the specification says, and what these tests hold the implementation to:
//!
//! - Workflow `successActions`: "A list of success actions that are applicable for all steps
//!   described under this workflow. These success actions can be overridden at the step level
//!   but cannot be removed there."
//! - Step `onSuccess`: "If multiple success actions have similar `criteria`, the first
//!   sequential action matching the criteria SHALL be the action executed. If a success action
//!   is already defined at the Workflow, the new definition will override it but can never
//!   remove it."
//! - Success Action `end`: "The workflow ends, and context returns to the caller with
//!   applicable outputs".
//!
//! The specification does not order a step's actions against the workflow's when their names
//! differ; this implementation considers the step's own first (README, "What runs"), and
//! `step_success_actions_come_before_the_workflows` pins that.

mod support;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/actions/workflow-actions.arazzo.yml");

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_jobs(url)
        .build()
        .expect("client builds")
}

fn job(state: &str) -> Reply {
    Reply::json(200, json!({ "state": state }))
}

/// `/jobs/<id>` for each id.
fn paths(ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| format!("/jobs/{id}")).collect()
}

async fn run_shared(replies: Vec<Reply>) -> (jobs::JobState, Vec<String>) {
    let server = support::start(replies).await;
    let out = shared_success_actions::run(&client(&server.url), shared_success_actions::Inputs {})
        .await
        .expect("workflow succeeds");
    (out.first, server.paths())
}

/// A workflow's success actions apply to a step with no `onSuccess` of its own: the `goto` on
/// `first` (done → `last`), and the `end` on `third`, a later step (failed → stop).
#[tokio::test]
async fn workflow_success_actions_apply_to_steps_without_their_own() {
    let (first, seen) = run_shared(vec![job("done"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Done);
    assert_eq!(
        seen,
        paths(&["first", "last"]),
        "`skipAhead` sent `first` straight to `last`"
    );

    let (first, seen) = run_shared(vec![job("pending"), job("pending"), job("failed")]).await;
    assert_eq!(first, jobs::JobState::Pending);
    assert_eq!(
        seen,
        paths(&["first", "second", "third"]),
        "`stopIfFailed` ended the run after `third`; `last` never ran"
    );
}

/// A failed job satisfies both workflow actions (`stopIfFailed`: state is failed;
/// `skipAhead`: state is not pending). The first listed, `end`, is the one executed.
#[tokio::test]
async fn first_matching_success_action_wins() {
    let (first, seen) = run_shared(vec![job("failed"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Failed);
    assert_eq!(
        seen,
        paths(&["first"]),
        "`end` (listed first) wins over `goto last`"
    );
}

/// `second` is done: its own `toThird` and the workflow's `skipAhead` (→ `last`) both apply;
/// the step's own is executed, so `third` runs.
#[tokio::test]
async fn step_success_actions_come_before_the_workflows() {
    let (_, seen) = run_shared(vec![
        job("pending"),
        job("done"),
        job("pending"),
        job("pending"),
    ])
    .await;
    assert_eq!(seen, paths(&["first", "second", "third", "last"]));
}

/// "can be overridden at the step level but cannot be removed there": `second` has its own
/// `onSuccess`, which does not apply to a failed job; the workflow's `stopIfFailed` still does.
#[tokio::test]
async fn a_step_with_its_own_success_actions_keeps_the_workflows() {
    let (_, seen) = run_shared(vec![job("pending"), job("failed"), job("pending")]).await;
    assert_eq!(
        seen,
        paths(&["first", "second"]),
        "the workflow's `end` applied to `second`"
    );
}

async fn run_override(replies: Vec<Reply>) -> (jobs::JobState, Vec<String>) {
    let server = support::start(replies).await;
    let out = override_by_name::run(&client(&server.url), override_by_name::Inputs {})
        .await
        .expect("workflow succeeds");
    (out.first, server.paths())
}

/// The step's `skipAhead` (end when failed) applies to `first`; the workflow's `skipAhead`
/// (goto `last` when done) still applies to `middle`, which has no actions of its own.
#[tokio::test]
async fn a_same_named_step_action_applies_and_the_workflows_stays_for_other_steps() {
    let (first, seen) = run_override(vec![job("failed"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Failed);
    assert_eq!(seen, paths(&["first"]), "the step's `end` applied");

    let (_, seen) = run_override(vec![job("pending"), job("done"), job("pending")]).await;
    assert_eq!(
        seen,
        paths(&["first", "middle", "last"]),
        "the workflow's `goto last` applied to `middle`, skipping `extra`"
    );
}

/// Step `onSuccess`: "If a success action is already defined at the Workflow, the new
/// definition will override it". `first` redefines `skipAhead` (end when failed), so for
/// `first` the workflow's `skipAhead` (goto `last` when done) is replaced, like a workflow
/// parameter a step redefines: a done job applies no action and the steps run in order.
#[tokio::test]
async fn a_same_named_step_action_replaces_the_workflows_for_that_step() {
    let (first, seen) = run_override(vec![job("done"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Done);
    assert_eq!(
        seen,
        paths(&["first", "middle", "extra", "last"]),
        "the workflow's `skipAhead` was overridden for `first`"
    );
}

async fn run_reusable(replies: Vec<Reply>) -> (jobs::JobState, Vec<String>) {
    let server = support::start(replies).await;
    let out =
        reusable_success_actions::run(&client(&server.url), reusable_success_actions::Inputs {})
            .await
            .expect("workflow succeeds");
    (out.first, server.paths())
}

/// `reference: $components.successActions.<name>` from a step's `onSuccess` (`jumpToLast`,
/// for `first` only) and from the workflow's `successActions` (`endWhenFailed`, every step).
#[tokio::test]
async fn component_success_actions_by_reference() {
    // The step's reference: done → `last`.
    let (first, seen) = run_reusable(vec![job("done"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Done);
    assert_eq!(seen, paths(&["first", "last"]));

    // The workflow's reference applies to `middle`: failed → end.
    let (first, seen) = run_reusable(vec![job("pending"), job("failed"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Pending);
    assert_eq!(seen, paths(&["first", "middle"]));

    // ... and to `first`, next to the step's own reference.
    let (first, seen) = run_reusable(vec![job("failed"), job("pending")]).await;
    assert_eq!(first, jobs::JobState::Failed);
    assert_eq!(seen, paths(&["first"]));

    // `jumpToLast` belongs to `first` only: a done `middle` is followed by `extra`.
    let (_, seen) = run_reusable(vec![job("pending"), job("done"), job("pending")]).await;
    assert_eq!(seen, paths(&["first", "middle", "extra", "last"]));
}

/// A workflow-level `end` ends the run successfully; the outputs, which read only the step
/// that ran, are returned typed. Without the `end` both steps run.
#[tokio::test]
async fn a_workflow_end_returns_outputs_of_the_steps_that_ran() {
    let server = support::start(vec![job("failed"), job("pending")]).await;
    let out = end_early::run(
        &client(&server.url),
        end_early::Inputs { id: "check".into() },
    )
    .await
    .expect("`end` is a successful end");
    assert_eq!(out.checked, jobs::JobState::Failed);
    assert_eq!(server.paths(), paths(&["check"]), "`confirm` never ran");

    let server = support::start(vec![job("pending"), job("done")]).await;
    let out = end_early::run(
        &client(&server.url),
        end_early::Inputs { id: "check".into() },
    )
    .await
    .expect("no `end`");
    assert_eq!(out.checked, jobs::JobState::Pending);
    assert_eq!(server.paths(), paths(&["check", "confirm"]));
}

/// When the outputs read a step the `end` may skip, that output is an `Option`: the run
/// succeeds with `None` for it ("context returns to the caller with applicable outputs") and
/// sends nothing more.
#[tokio::test]
async fn a_workflow_end_before_a_step_the_outputs_read_returns_none_for_it() {
    let server = support::start(vec![job("failed"), job("done")]).await;
    let out = end_early_reading_skipped::run(
        &client(&server.url),
        end_early_reading_skipped::Inputs { id: "check".into() },
    )
    .await
    .expect("`end` is a successful end");
    assert_eq!((out.checked, out.confirmed), (jobs::JobState::Failed, None));
    assert_eq!(server.paths(), paths(&["check"]));

    // Both steps run: both outputs are returned.
    let server = support::start(vec![job("done"), job("pending")]).await;
    let out = end_early_reading_skipped::run(
        &client(&server.url),
        end_early_reading_skipped::Inputs { id: "check".into() },
    )
    .await
    .expect("no `end`");
    assert_eq!(
        (out.checked, out.confirmed),
        (jobs::JobState::Done, Some(jobs::JobState::Pending))
    );
    assert_eq!(server.paths(), paths(&["check", "confirm"]));
}

/// "The workflow ends, and context returns to the caller with applicable outputs": an `end`
/// in a called workflow ends only that workflow; the caller gets its outputs and goes on.
#[tokio::test]
async fn an_end_in_a_called_workflow_returns_to_the_caller() {
    let server = support::start(vec![job("failed"), job("done")]).await;
    let out = call_then_continue::run(
        &client(&server.url),
        call_then_continue::Inputs { id: "check".into() },
    )
    .await
    .expect("the caller continues after the callee's `end`");
    assert_eq!(out.checked, jobs::JobState::Failed);
    assert_eq!(out.after, jobs::JobState::Done);
    assert_eq!(
        server.paths(),
        paths(&["check", "after"]),
        "the callee's `confirm` never ran; the caller's `after` did"
    );
}
