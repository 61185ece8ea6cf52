//! Routing, body limits, request recording and the handle's lifecycle.

use std::time::{Duration, Instant};

use mixpanel_emulator::{Config, RecordedRequest};
use serde_json::json;

use crate::common::{client, identify, send, start, start_with, status_error, track};

#[tokio::test]
async fn unknown_paths_are_404_json() {
    let emulator = start().await;
    let reply = send(client().get(format!("{}/engage", emulator.ingestion_base_url()))).await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json(),
        status_error(
            "no endpoint at /engage (the emulator serves POST /identity/create, POST /track and GET /api/2.0/segmentation)"
        )
    );
    let reply = send(client().get(format!(
        "{}/funnels?project_id=1",
        emulator.query_base_url()
    )))
    .await;
    assert_eq!(reply.status, 404);
    assert_eq!(
        reply.json(),
        json!({
            "request": "/api/2.0/funnels?project_id=1",
            "error": "no endpoint at /api/2.0/funnels (the emulator serves POST /identity/create, POST /track and GET /api/2.0/segmentation)"
        })
    );
}

#[tokio::test]
async fn wrong_methods_are_405_with_allow() {
    let emulator = start().await;
    let base = emulator.ingestion_base_url();
    let reply = send(client().get(format!("{base}/track?verbose=1"))).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("POST"));
    assert_eq!(
        reply.json(),
        status_error("method GET is not allowed on /track; use POST")
    );

    let reply = send(client().get(format!("{base}/track"))).await;
    assert_eq!(
        (reply.status, reply.text()),
        (405, "0".to_owned()),
        "terse without verbose=1"
    );

    let reply = send(client().put(format!("{base}/identity/create"))).await;
    assert_eq!(reply.status, 405);
    assert_eq!(
        reply.json(),
        status_error("method PUT is not allowed on /identity/create; use POST")
    );

    let reply = send(client().post(format!("{}/segmentation", emulator.query_base_url()))).await;
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET"));
    assert_eq!(
        reply.json(),
        json!({"request": "/api/2.0/segmentation", "error": "method POST is not allowed on /api/2.0/segmentation; use GET"})
    );
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let emulator = start_with(Config {
        max_body_bytes: 1024,
        ..Config::default()
    })
    .await;
    let url = format!(
        "{}/track?token=emulator-project-token&verbose=1",
        emulator.ingestion_base_url()
    );
    let big = format!("{{\"data\": \"{}\"}}", "x".repeat(4096));
    let reply = send(client().post(&url).body(big)).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            413,
            status_error("request body exceeds the limit of 1024 bytes")
        )
    );
    let recorded = emulator.requests();
    assert_eq!(recorded.len(), 1);
    assert!(recorded[0].body.is_empty(), "an oversized body is not kept");

    // The connection is still usable and a body at the cap is fine.
    let exact = format!("{{\"data\": \"{}\"}}", "x".repeat(1024 - 12));
    assert_eq!(exact.len(), 1024);
    let reply = send(client().post(&url).body(exact)).await;
    assert_eq!(
        reply.status, 400,
        "read in full, then refused for its content"
    );
}

#[tokio::test]
async fn a_body_over_the_default_10_mib_cap_gets_413_not_a_reset() {
    let emulator = start().await;
    let url = format!(
        "{}/track?token=emulator-project-token&verbose=1",
        emulator.ingestion_base_url()
    );
    let reply = send(client().post(&url).body(vec![b' '; 12 * 1024 * 1024])).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            413,
            status_error("request body exceeds the limit of 10485760 bytes")
        )
    );
}

#[tokio::test]
async fn requests_are_recorded_exactly_including_failures() {
    let emulator = start().await;
    let config = emulator.config().clone();
    assert_eq!(identify(&emulator, "device-a", "user-1").await.status, 200);
    let data = json!({"event": "Signup", "properties": {"distinct_id": "user-1"}});
    assert_eq!(track(&emulator, data.clone()).await.status, 200);
    let url = format!(
        "{}/segmentation?project_id=1&event=Sign%20up+now&from_date=2026-11-01&to_date=2026-11-01&where=a%3Db&on=x&on=y",
        emulator.query_base_url()
    );
    let reply = send(
        client()
            .get(&url)
            .basic_auth("who", Some("what:ever"))
            .header("x-trace", "abc"),
    )
    .await;
    assert_eq!(reply.status, 401);

    let requests = emulator.requests();
    assert_eq!(requests.len(), 3);
    let basic = Some((
        config.service_account_username.clone(),
        config.service_account_secret.clone(),
    ));

    let identity = &requests[0];
    assert_eq!(
        (identity.method.as_str(), identity.path.as_str()),
        ("POST", "/identity/create")
    );
    assert_eq!(
        (identity.raw_query.as_deref(), identity.query.len()),
        (None, 0)
    );
    assert_eq!(identity.basic_auth, basic);
    assert_eq!(identity.content_type.as_deref(), Some("application/json"));
    assert_eq!(
        identity.json(),
        Some(
            json!({"$identified_id": "user-1", "$anon_id": "device-a", "$token": config.project_token})
        )
    );

    let tracked = &requests[1];
    assert_eq!(
        (tracked.method.as_str(), tracked.path.as_str()),
        ("POST", "/track")
    );
    assert_eq!(
        tracked.query,
        vec![
            ("token".to_owned(), config.project_token.clone()),
            ("verbose".to_owned(), "1".to_owned())
        ]
    );
    assert_eq!(
        tracked.raw_query.as_deref(),
        Some("token=emulator-project-token&verbose=1")
    );
    assert_eq!(tracked.query_param("verbose"), Some("1"));
    assert_eq!(tracked.query_param("ip"), None);
    assert_eq!(tracked.basic_auth, None);
    assert_eq!(
        tracked.body,
        serde_json::to_vec(&json!({"data": data})).expect("serializable")
    );

    let query = &requests[2];
    assert_eq!(
        (query.method.as_str(), query.path.as_str()),
        ("GET", "/api/2.0/segmentation")
    );
    let pairs: Vec<(&str, &str)> = query
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("project_id", "1"),
            ("event", "Sign up now"),
            ("from_date", "2026-11-01"),
            ("to_date", "2026-11-01"),
            ("where", "a=b"),
            ("on", "x"),
            ("on", "y"),
        ]
    );
    assert_eq!(
        query.query_param("on"),
        Some("x"),
        "the first of repeated parameters"
    );
    assert_eq!(
        query.raw_query.as_deref(),
        Some(
            "project_id=1&event=Sign%20up+now&from_date=2026-11-01&to_date=2026-11-01&where=a%3Db&on=x&on=y"
        )
    );
    assert_eq!(
        query.basic_auth,
        Some(("who".to_owned(), "what:ever".to_owned()))
    );
    assert_eq!(query.header("X-Trace"), Some("abc"));
    assert!(
        query
            .headers
            .iter()
            .any(|(name, value)| name == "x-trace" && value == "abc")
    );
    assert!(
        query
            .headers
            .iter()
            .all(|(name, _)| *name == name.to_lowercase())
    );
    assert_eq!(
        (
            query.content_type.as_deref(),
            query.body.as_slice(),
            query.json()
        ),
        (None, &b""[..], None)
    );

    emulator.clear_requests();
    assert_eq!(emulator.requests(), Vec::<RecordedRequest>::new());
    assert_eq!(emulator.events().len(), 1, "clearing requests keeps events");
}

/// Whether a TCP connection to `addr` is refused within `patience`.
async fn refused_within(addr: std::net::SocketAddr, patience: Duration) -> bool {
    let deadline = Instant::now() + patience;
    loop {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn shutdown_stops_the_server_for_every_clone() {
    let (addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let clone = emulator.clone();
    assert_eq!(identify(&emulator, "a", "u").await.status, 200);
    tokio::time::timeout(Duration::from_secs(10), emulator.shutdown())
        .await
        .expect("shutdown finishes");
    assert!(
        refused_within(addr, Duration::ZERO).await,
        "no longer listening"
    );
    assert_eq!(
        clone.identities().len(),
        1,
        "a clone still reads the memory"
    );
    clone.shutdown().await;
}

#[tokio::test]
async fn dropping_the_last_handle_stops_the_server() {
    let (addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let clone = emulator.clone();
    drop(emulator);
    assert!(
        !refused_within(addr, Duration::from_millis(200)).await,
        "a clone keeps it alive"
    );
    drop(clone);
    assert!(
        refused_within(addr, Duration::from_secs(5)).await,
        "stopped after the last drop"
    );
}

#[test]
fn today_utc_is_an_iso_date() {
    let today = mixpanel_emulator::today_utc();
    let bytes = today.as_bytes();
    assert_eq!(bytes.len(), 10, "{today}");
    assert!(bytes.iter().enumerate().all(|(i, b)| if i == 4 || i == 7 {
        *b == b'-'
    } else {
        b.is_ascii_digit()
    }));
}
