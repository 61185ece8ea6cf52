//! `POST /track`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use mixpanel_emulator::StoredEvent;
use serde_json::{Value, json};

use crate::common::{client, event, ok_body, post_json, send, start, status_error, track};

const TOKEN: &str = "emulator-project-token";
/// 2026-11-02T12:00:00Z.
const NOON: i64 = 1_793_620_800;

fn properties(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn unix_now() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    i64::try_from(now.expect("after 1970").as_secs()).expect("fits")
}

#[tokio::test]
async fn verbose_success_stores_the_event() {
    let emulator = start().await;
    let data = json!({"event": "Signup", "properties": {
        "distinct_id": "user-1", "time": NOON, "$insert_id": "ins-1", "token": TOKEN, "plan": "pro"
    }});
    let reply = track(&emulator, data.clone()).await;
    assert_eq!((reply.status, reply.json()), (200, ok_body()));
    assert_eq!(
        emulator.events(),
        vec![StoredEvent {
            event: "Signup".to_owned(),
            distinct_id: "user-1".to_owned(),
            time: NOON,
            insert_id: Some("ins-1".to_owned()),
            properties: properties(data["properties"].clone()),
        }]
    );
}

#[tokio::test]
async fn without_verbose_the_body_is_1_or_0() {
    let emulator = start().await;
    let base = emulator.ingestion_base_url();
    let body = json!({"data": event("Signup", "user-1", NOON)});
    let reply = post_json(&base, &format!("/track?token={TOKEN}"), &body).await;
    assert_eq!((reply.status, reply.text()), (200, "1".to_owned()));

    let reply = post_json(
        &base,
        &format!("/track?token={TOKEN}&verbose=0&ip=1"),
        &body,
    )
    .await;
    assert_eq!((reply.status, reply.text()), (200, "1".to_owned()));

    let reply = post_json(&base, "/track?token=wrong", &body).await;
    assert_eq!((reply.status, reply.text()), (401, "0".to_owned()));

    let reply = post_json(
        &base,
        &format!("/track?token={TOKEN}"),
        &json!({"nodata": 1}),
    )
    .await;
    assert_eq!((reply.status, reply.text()), (400, "0".to_owned()));
    assert_eq!(emulator.events().len(), 2);
}

#[tokio::test]
async fn wrong_or_missing_token_is_401() {
    let emulator = start().await;
    let base = emulator.ingestion_base_url();
    let body = json!({"data": event("Signup", "user-1", NOON)});
    let reply = post_json(&base, "/track?token=wrong&verbose=1", &body).await;
    assert_eq!(
        (reply.status, reply.json()),
        (401, status_error("invalid token"))
    );

    let reply = post_json(&base, "/track?verbose=1", &body).await;
    assert_eq!(
        (reply.status, reply.json()),
        (401, status_error("missing token query parameter"))
    );

    let disagreeing = json!([
        event("Signup", "user-1", NOON),
        {"event": "Signup", "properties": {"distinct_id": "user-2", "token": "other"}},
    ]);
    let reply = track(&emulator, disagreeing).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            401,
            status_error("data[1].properties.token does not match the project token")
        )
    );
    assert!(
        emulator.events().is_empty(),
        "a refused batch stores nothing"
    );
}

#[tokio::test]
async fn a_batch_is_stored_in_order_or_refused_whole() {
    let emulator = start().await;
    let batch = json!([
        event("Signup", "a", NOON),
        event("Login", "b", NOON + 1),
        event("Signup", "c", NOON + 2),
    ]);
    let reply = track(&emulator, batch).await;
    assert_eq!((reply.status, reply.json()), (200, ok_body()));
    let stored: Vec<(String, String, i64)> = emulator
        .events()
        .into_iter()
        .map(|e| (e.event, e.distinct_id, e.time))
        .collect();
    assert_eq!(
        stored,
        vec![
            ("Signup".to_owned(), "a".to_owned(), NOON),
            ("Login".to_owned(), "b".to_owned(), NOON + 1),
            ("Signup".to_owned(), "c".to_owned(), NOON + 2),
        ]
    );

    let bad_batch =
        json!([event("Signup", "d", NOON), {"event": "Signup", "properties": {"time": NOON}}]);
    let reply = track(&emulator, bad_batch).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            400,
            status_error("missing required field data[1].properties.distinct_id")
        )
    );
    assert_eq!(emulator.events().len(), 3);

    let too_many = Value::Array(
        (0..2001)
            .map(|i| event("Bulk", &format!("u{i}"), NOON))
            .collect(),
    );
    let reply = track(&emulator, too_many).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            400,
            status_error("a batch holds at most 2000 events, this one has 2001")
        )
    );
    let full = Value::Array(
        (0..2000)
            .map(|i| event("Bulk", &format!("u{i}"), NOON))
            .collect(),
    );
    assert_eq!(track(&emulator, full).await.status, 200);
    assert_eq!(emulator.events().len(), 2003);
}

#[tokio::test]
async fn malformed_events_are_400() {
    let emulator = start().await;
    let cases = [
        (
            json!("text"),
            "data must be an event object or an array of event objects",
        ),
        (json!([1]), "data[0] must be an object"),
        (
            json!({"properties": {"distinct_id": "a"}}),
            "missing required field data.event",
        ),
        (
            json!({"event": 3, "properties": {"distinct_id": "a"}}),
            "data.event must be a string",
        ),
        (
            json!({"event": "", "properties": {"distinct_id": "a"}}),
            "data.event must not be empty",
        ),
        (
            json!({"event": "e"}),
            "missing required field data.properties",
        ),
        (
            json!({"event": "e", "properties": []}),
            "data.properties must be an object",
        ),
        (
            json!({"event": "e", "properties": {"distinct_id": 5}}),
            "data.properties.distinct_id must be a string",
        ),
        (
            json!({"event": "e", "properties": {"distinct_id": "a", "time": "noon"}}),
            "data.properties.time must be a number (unix seconds)",
        ),
        (
            json!({"event": "e", "properties": {"distinct_id": "a", "time": -5}}),
            "data.properties.time must not be negative",
        ),
        (
            json!({"event": "e", "properties": {"distinct_id": "a", "$insert_id": 1}}),
            "data.properties.$insert_id must be a string",
        ),
        (
            json!({"event": "e", "properties": {"distinct_id": "a", "token": 1}}),
            "data.properties.token must be a string",
        ),
    ];
    for (data, message) in cases {
        let reply = track(&emulator, data.clone()).await;
        assert_eq!(
            (reply.status, reply.json()),
            (400, status_error(message)),
            "{data}"
        );
    }
    let url = format!(
        "{}/track?token={TOKEN}&verbose=1",
        emulator.ingestion_base_url()
    );
    let reply = send(
        client()
            .post(&url)
            .header("content-type", "application/json")
            .body("[1,"),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            400,
            status_error("malformed JSON body: EOF while parsing a value at line 1 column 3")
        )
    );
    let reply = send(client().post(&url).body("[]")).await;
    assert_eq!(
        (reply.status, reply.json()),
        (400, status_error("the body must be a JSON object"))
    );
    assert!(emulator.events().is_empty());
}

#[tokio::test]
async fn form_encoded_base64_data_is_accepted() {
    let emulator = start().await;
    let data = json!([event("Signup", "a", NOON), event("Signup", "b", NOON)]);
    // Standard base64 can hold `+`, `/` and `=`; all are percent-encoded, as a form encoder does.
    let encoded = STANDARD.encode(serde_json::to_vec(&data).expect("serializable"));
    let form = format!(
        "data={}",
        encoded
            .replace('+', "%2B")
            .replace('/', "%2F")
            .replace('=', "%3D")
    );
    let url = format!(
        "{}/track?token={TOKEN}&verbose=1",
        emulator.ingestion_base_url()
    );
    let reply = send(
        client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone()),
    )
    .await;
    assert_eq!((reply.status, reply.json()), (200, ok_body()));
    let ids: Vec<String> = emulator
        .events()
        .into_iter()
        .map(|e| e.distinct_id)
        .collect();
    assert_eq!(ids, vec!["a".to_owned(), "b".to_owned()]);

    let recorded = emulator.requests().pop().expect("recorded");
    assert_eq!(
        recorded.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(recorded.body, form.into_bytes());

    let reply = send(
        client()
            .post(&url)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=utf-8",
            )
            .body("data=%%%"),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (400, status_error("form field data is not valid base64"))
    );
    let reply = send(
        client()
            .post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("verbose=1"),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (400, status_error("missing form field data"))
    );
    assert_eq!(emulator.events().len(), 2);
}

#[tokio::test]
async fn insert_id_deduplicates() {
    let emulator = start().await;
    let with_insert = |distinct_id: &str, insert_id: &str| json!({"event": "Signup", "properties": {"distinct_id": distinct_id, "time": NOON, "$insert_id": insert_id}});
    assert_eq!(track(&emulator, with_insert("a", "x1")).await.status, 200);
    assert_eq!(
        track(&emulator, with_insert("a", "x1")).await.status,
        200,
        "a duplicate is still a success"
    );
    assert_eq!(
        track(
            &emulator,
            json!([with_insert("a", "x2"), with_insert("a", "x2")])
        )
        .await
        .status,
        200
    );
    assert_eq!(
        track(&emulator, with_insert("b", "x1")).await.status,
        200,
        "another user"
    );
    assert_eq!(
        track(&emulator, event("Signup", "a", NOON)).await.status,
        200
    );
    assert_eq!(
        track(&emulator, event("Signup", "a", NOON)).await.status,
        200,
        "no insert id: kept"
    );
    let stored: Vec<(String, Option<String>)> = emulator
        .events()
        .into_iter()
        .map(|e| (e.distinct_id, e.insert_id))
        .collect();
    assert_eq!(
        stored,
        vec![
            ("a".to_owned(), Some("x1".to_owned())),
            ("a".to_owned(), Some("x2".to_owned())),
            ("b".to_owned(), Some("x1".to_owned())),
            ("a".to_owned(), None),
            ("a".to_owned(), None),
        ]
    );
}

#[tokio::test]
async fn missing_time_is_the_arrival_time_and_milliseconds_are_converted() {
    let emulator = start().await;
    let before = unix_now();
    let data = json!([
        {"event": "e", "properties": {"distinct_id": "a"}},
        {"event": "e", "properties": {"distinct_id": "a", "time": NOON * 1000 + 999}},
    ]);
    assert_eq!(track(&emulator, data).await.status, 200);
    let after = unix_now();
    let events = emulator.events();
    assert!((before..=after).contains(&events[0].time), "{events:?}");
    assert_eq!(events[1].time, NOON);
    assert!(
        !events[0].properties.contains_key("time"),
        "properties stay as sent"
    );
}
