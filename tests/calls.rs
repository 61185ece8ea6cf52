//! Steps that call another workflow of the same document (Arazzo 1.0.1 §4.6.5, `workflowId`),
//! against the Mixpanel emulator on 127.0.0.1.

use std::collections::BTreeMap;

arazzo::arazzo_workflow!("tests/fixtures/calls.arazzo.yml");

/// A client for the emulator with identity credentials, and query credentials when asked.
fn client(emulator: &mixpanel_emulator::EmulatorHandle, query_credentials: bool) -> Client {
    let config = emulator.config();
    let builder = Client::builder()
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_query_api(emulator.query_base_url())
        .identity_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        );
    let builder = if query_credentials {
        builder.query_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
    } else {
        builder
    };
    builder.build().expect("client builds")
}

fn inputs(emulator: &mixpanel_emulator::EmulatorHandle) -> link_then_count::Inputs {
    link_then_count::Inputs {
        token: emulator.config().project_token.clone(),
        project_id: emulator.config().project_id,
        day: mixpanel_emulator::today_utc(),
    }
}

#[tokio::test]
async fn a_step_calls_a_workflow_and_reads_its_typed_outputs() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = client(&emulator, true);
    let out = link_then_count::run(&client, inputs(&emulator))
        .await
        .expect("workflow succeeds");
    let today = mixpanel_emulator::today_utc();
    // Typed through the call: the callee's outputs keep their types.
    let values: BTreeMap<String, BTreeMap<String, f64>> = out.values;
    assert_eq!(values["Signup"][&today], 0.0);
    let days: Vec<String> = out.days;
    assert_eq!(days, vec![today]);
    let paths: Vec<String> = emulator.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/identity/create", "/api/2.0/segmentation"]);
}

#[tokio::test]
async fn credentials_of_called_workflows_are_checked_before_the_first_request() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = client(&emulator, false);
    let err = link_then_count::run(&client, inputs(&emulator))
        .await
        .expect_err("the called workflow needs query credentials");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::MissingCredential {
                builder_method: "query_api_basic_auth",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.step(), Some("segmentEvent"));
    assert!(emulator.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn the_called_workflow_runs_on_its_own_too() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = Client::builder()
        .base_url_query_api(emulator.query_base_url())
        .query_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .build()
        .expect("client builds");
    let out = segment::run(
        &client,
        segment::Inputs {
            project_id: config.project_id,
            event_name: "Signup".into(),
            day: mixpanel_emulator::today_utc(),
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.days.len(), 1);
}

#[tokio::test]
async fn depends_on_runs_the_prerequisite_first_and_its_outputs_are_readable() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = client(&emulator, true);
    let today = mixpanel_emulator::today_utc();
    let out = after_segment::run(
        &client,
        after_segment::Inputs {
            token: config.project_token.clone(),
            project_id: config.project_id,
            event_name: "Signup".into(),
            day: today.clone(),
        },
    )
    .await
    .expect("workflow succeeds");
    let days: Vec<String> = out.days;
    assert_eq!(days, vec![today]);
    assert_eq!(out.status, 1);
    let paths: Vec<String> = emulator.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/api/2.0/segmentation", "/identity/create"],
        "the prerequisite runs first"
    );
}

/// Values that fit the callee's inputs without being of their exact types pass the compile-time
/// check and run: a text literal into a string enum, an integer into an optional number.
#[tokio::test]
async fn values_that_fit_a_callees_narrower_inputs_run() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = client(&emulator, true);
    let today = mixpanel_emulator::today_utc();
    let out = typed_call::run(
        &client,
        typed_call::Inputs {
            project_id: config.project_id,
            day: today.clone(),
        },
    )
    .await
    .expect("workflow succeeds");
    let weight: Option<f64> = out.weight;
    assert_eq!(weight, Some(config.project_id as f64));
    assert_eq!(out.days, vec![today]);
    let requests = emulator.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    let event = ("event".to_owned(), "Signup".to_owned());
    assert!(
        requests[0].query.contains(&event),
        "{:?}",
        requests[0].query
    );
}

/// A free-form value passed to a typed input is checked when the run builds the callee's
/// inputs: the error names the input, and nothing is sent.
#[tokio::test]
async fn a_free_form_value_that_does_not_fit_is_refused_naming_the_input() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = client(&emulator, true);
    let err = loose_call::run(
        &client,
        loose_call::Inputs {
            project_id: serde_json::json!("not a number"),
            day: mixpanel_emulator::today_utc(),
        },
    )
    .await
    .expect_err("a string for an integer input");
    match err.kind() {
        arazzo::ErrorKind::CalleeInputs {
            workflow, input, ..
        } => assert_eq!((*workflow, input.as_str()), ("segment", "/projectId")),
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("at input `projectId`"), "{err}");
    assert!(emulator.requests().is_empty(), "nothing may be sent");
}
