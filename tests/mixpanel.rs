//! The seed workflow, end to end, against the Mixpanel emulator on 127.0.0.1.

use mixpanel_emulator::{EmulatorHandle, RecordedRequest};
use serde_json::json;

arazzo::arazzo_workflow!("workflows/mixpanel.yml");

const EVENT: &str = "Signup";

/// A builder pointed at the emulator, without credentials.
fn pointed_at(emulator: &EmulatorHandle) -> ClientBuilder {
    Client::builder()
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_ingestion_api(emulator.ingestion_base_url())
        .base_url_query_api(emulator.query_base_url())
}

/// A builder pointed at the emulator, with its service account for both basic-auth APIs.
fn client(emulator: &EmulatorHandle) -> ClientBuilder {
    let config = emulator.config();
    pointed_at(emulator)
        .identity_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .query_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
}

fn inputs(emulator: &EmulatorHandle, anon_id: &str) -> identity_resolve_and_track::Inputs {
    let today = mixpanel_emulator::today_utc();
    identity_resolve_and_track::Inputs {
        project_token: emulator.config().project_token.clone(),
        project_id: emulator.config().project_id,
        identified_id: "user-42".to_owned(),
        anon_id: anon_id.to_owned(),
        event_name: EVENT.to_owned(),
        from_date: today.clone(),
        to_date: today,
    }
}

fn query(request: &RecordedRequest) -> Vec<(&str, &str)> {
    request
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

#[tokio::test]
async fn seed_workflow_links_tracks_and_segments() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = client(&emulator).build().expect("client builds");
    let today = mixpanel_emulator::today_utc();

    let out = identity_resolve_and_track::run(&client, inputs(&emulator, "device-a"))
        .await
        .expect("workflow succeeds");
    assert_eq!(out.identity_status, 1);
    assert_eq!(out.track_status, 1);
    assert_eq!(out.values.len(), 1, "{:?}", out.values);
    assert_eq!(out.values[EVENT][&today], 1.0);

    let requests = emulator.requests();
    assert_eq!(requests.len(), 3, "{requests:#?}");
    let basic = Some((
        config.service_account_username.clone(),
        config.service_account_secret.clone(),
    ));

    let identity = &requests[0];
    assert_eq!(
        (identity.method.as_str(), identity.path.as_str()),
        ("POST", "/identity/create")
    );
    assert_eq!(query(identity), Vec::<(&str, &str)>::new());
    assert_eq!(identity.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        identity.json(),
        Some(
            json!({"$identified_id": "user-42", "$anon_id": "device-a", "$token": config.project_token})
        )
    );
    assert_eq!(identity.basic_auth, basic);

    let track = &requests[1];
    assert_eq!(
        (track.method.as_str(), track.path.as_str()),
        ("POST", "/track")
    );
    assert_eq!(
        query(track),
        vec![("token", config.project_token.as_str()), ("verbose", "1")]
    );
    assert_eq!(
        track.json(),
        Some(
            json!({"data": {"event": EVENT, "properties": {"distinct_id": "user-42", "token": config.project_token}}})
        )
    );
    assert_eq!(
        track.basic_auth, None,
        "the ingestion step authenticates with the token only"
    );

    let segment = &requests[2];
    assert_eq!(
        (segment.method.as_str(), segment.path.as_str()),
        ("GET", "/api/2.0/segmentation")
    );
    let project_id = config.project_id.to_string();
    assert_eq!(
        query(segment),
        vec![
            ("project_id", project_id.as_str()),
            ("event", EVENT),
            ("from_date", today.as_str()),
            ("to_date", today.as_str()),
            ("type", "unique"),
        ]
    );
    assert_eq!(segment.body, b"");
    assert_eq!(segment.basic_auth, basic);

    // A second device of the same user: the identity merge keeps the unique count at 1.
    let out = identity_resolve_and_track::run(&client, inputs(&emulator, "device-b"))
        .await
        .expect("second run succeeds");
    assert_eq!(out.values[EVENT][&today], 1.0);
    assert_eq!(emulator.events().len(), 2);
    assert_eq!(emulator.requests().len(), 6);
}

#[tokio::test]
async fn missing_credential_fails_before_any_request() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = Client::builder()
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_ingestion_api(emulator.ingestion_base_url())
        .base_url_query_api(emulator.query_base_url())
        .identity_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .build()
        .expect("client builds");
    let err = identity_resolve_and_track::run(&client, inputs(&emulator, "device-a"))
        .await
        .expect_err("query credentials are missing");
    match err.kind() {
        arazzo::ErrorKind::MissingCredential {
            source_name,
            scheme,
            builder_method,
        } => {
            assert_eq!(
                (*source_name, *scheme, *builder_method),
                ("queryApi", "basicAuth", "query_api_basic_auth")
            );
        }
        other => panic!("unexpected error {other:?}"),
    }
    assert_eq!(err.step(), Some("segmentEvent"));
    assert!(err.completed_steps().is_empty());
    assert!(emulator.requests().is_empty(), "nothing may be sent");
    assert!(err.to_string().contains("query_api_basic_auth"), "{err}");
}

#[tokio::test]
async fn rejected_token_stops_the_run_and_reports_completed_steps() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = client(&emulator).build().expect("client builds");
    let mut inputs = inputs(&emulator, "device-a");
    inputs.project_token = "wrong-token".to_owned();
    let err = identity_resolve_and_track::run(&client, inputs)
        .await
        .expect_err("the emulator rejects the token");
    assert_eq!(err.step(), Some("createIdentity"));
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet {
                status: 401,
                criterion: "$statusCode == 200",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.completed_steps().is_empty());
    assert_eq!(
        emulator.requests().len(),
        1,
        "the run stops at the failing step"
    );
}

#[tokio::test]
async fn wrong_service_account_fails_the_query_after_two_side_effects() {
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let config = emulator.config().clone();
    let client = client(&emulator)
        .query_api_basic_auth(&config.service_account_username, "not-the-secret")
        .build()
        .expect("client builds");
    let err = identity_resolve_and_track::run(&client, inputs(&emulator, "device-a"))
        .await
        .expect_err("segmentation refuses the credentials");
    assert_eq!(err.step(), Some("segmentEvent"));
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet { status: 401, .. }
        ),
        "{err:?}"
    );
    assert_eq!(err.completed_steps(), ["createIdentity", "trackForUser"]);
    let shown = err.to_string();
    assert!(
        shown.contains("completed steps: createIdentity, trackForUser"),
        "{shown}"
    );
    assert!(!shown.contains("not-the-secret"), "{shown}");
    assert!(!format!("{err:?}").contains("not-the-secret"));
}

#[tokio::test]
async fn invalid_base_url_is_a_build_error() {
    let err = Client::builder()
        .base_url_query_api("not a url")
        .build()
        .expect_err("invalid");
    assert!(matches!(err.kind(), arazzo::ErrorKind::Config(_)));
    assert!(err.to_string().contains("queryApi"), "{err}");
}

#[tokio::test]
async fn unreachable_server_is_a_transport_error() {
    // Bind and drop a listener to get a port that refuses connections.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = client(&emulator)
        .base_url_identity_api(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client builds");
    let err = identity_resolve_and_track::run(&client, inputs(&emulator, "device-a"))
        .await
        .expect_err("connection refused");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::Transport(_)),
        "{err:?}"
    );
    assert_eq!(err.step(), Some("createIdentity"));
}
