//! `POST /identity/create`.

use serde_json::json;

use crate::common::{client, identify, ok_body, post_json, send, start, status_error};

#[tokio::test]
async fn create_links_and_repeating_the_same_link_is_idempotent() {
    let emulator = start().await;
    let reply = identify(&emulator, "device-a", "user-1").await;
    assert_eq!((reply.status, reply.json()), (200, ok_body()));
    assert_eq!(reply.header("content-type"), Some("application/json"));

    let again = identify(&emulator, "device-a", "user-1").await;
    assert_eq!((again.status, again.json()), (200, ok_body()));

    let second_device = identify(&emulator, "device-b", "user-1").await;
    assert_eq!(
        (second_device.status, second_device.json()),
        (200, ok_body())
    );
    assert_eq!(
        emulator.identities(),
        vec![
            ("device-a".to_owned(), "user-1".to_owned()),
            ("device-b".to_owned(), "user-1".to_owned()),
        ]
    );
}

#[tokio::test]
async fn reset_forgets_links_so_an_anon_id_can_be_linked_anew() {
    let emulator = start().await;
    assert_eq!(identify(&emulator, "device-a", "user-1").await.status, 200);
    emulator.reset();
    assert!(emulator.identities().is_empty());
    assert!(emulator.requests().is_empty());
    // Before the reset this would be refused: device-a belonged to user-1.
    assert_eq!(identify(&emulator, "device-a", "user-2").await.status, 200);
    assert_eq!(
        emulator.identities(),
        vec![("device-a".to_owned(), "user-2".to_owned())]
    );
}

#[tokio::test]
async fn linking_an_anon_id_to_a_second_user_is_refused() {
    let emulator = start().await;
    assert_eq!(identify(&emulator, "device-a", "user-1").await.status, 200);
    let reply = identify(&emulator, "device-a", "user-2").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        status_error("$anon_id is already linked to a different $identified_id ('user-1')")
    );

    let reply = identify(&emulator, "user-1", "user-3").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        status_error("$anon_id is already an identified id and cannot be linked to another user")
    );

    let reply = identify(&emulator, "device-z", "device-a").await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        status_error(
            "$identified_id is an anonymous id already linked to 'user-1'; link to 'user-1' instead"
        )
    );

    let reply = identify(&emulator, "same", "same").await;
    assert_eq!(
        (reply.status, reply.json()),
        (400, status_error("$anon_id and $identified_id must differ"))
    );
    assert_eq!(
        emulator.identities(),
        vec![("device-a".to_owned(), "user-1".to_owned())]
    );
}

#[tokio::test]
async fn without_authorization_header_the_token_suffices() {
    let emulator = start().await;
    let body = json!({"$identified_id": "u", "$anon_id": "a", "$token": "emulator-project-token"});
    let reply = post_json(&emulator.identity_base_url(), "/identity/create", &body).await;
    assert_eq!((reply.status, reply.json()), (200, ok_body()));
    assert_eq!(
        emulator.identities(),
        vec![("a".to_owned(), "u".to_owned())]
    );
}

#[tokio::test]
async fn wrong_or_missing_token_is_401() {
    let emulator = start().await;
    let base = emulator.identity_base_url();
    let cases = [
        (
            json!({"$identified_id": "u", "$anon_id": "a", "$token": "nope"}),
            "invalid $token",
        ),
        (
            json!({"$identified_id": "u", "$anon_id": "a"}),
            "missing $token",
        ),
        (
            json!({"$identified_id": "u", "$anon_id": "a", "$token": 7}),
            "$token must be a string",
        ),
    ];
    for (body, message) in cases {
        let reply = post_json(&base, "/identity/create", &body).await;
        assert_eq!(
            (reply.status, reply.json()),
            (401, status_error(message)),
            "{body}"
        );
    }
    assert!(emulator.identities().is_empty());
}

#[tokio::test]
async fn malformed_body_or_fields_are_400() {
    let emulator = start().await;
    let url = format!("{}/identity/create", emulator.identity_base_url());
    let reply = send(
        client()
            .post(&url)
            .header("content-type", "application/json")
            .body("{nope"),
    )
    .await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            400,
            status_error("malformed JSON body: key must be a string at line 1 column 2")
        )
    );
    let reply = send(client().post(&url).body("")).await;
    assert_eq!(
        (reply.status, reply.json()),
        (
            400,
            status_error("malformed JSON body: EOF while parsing a value at line 1 column 0")
        )
    );

    let token = "emulator-project-token";
    let cases = [
        (
            json!(["not", "an", "object"]),
            "the body must be a JSON object",
        ),
        (
            json!({"$anon_id": "a", "$token": token}),
            "missing required field $identified_id",
        ),
        (
            json!({"$identified_id": "u", "$token": token}),
            "missing required field $anon_id",
        ),
        (
            json!({"$identified_id": 5, "$anon_id": "a", "$token": token}),
            "$identified_id must be a string",
        ),
        (
            json!({"$identified_id": "u", "$anon_id": "", "$token": token}),
            "$anon_id must not be empty",
        ),
    ];
    for (body, message) in cases {
        let reply = post_json(&emulator.identity_base_url(), "/identity/create", &body).await;
        assert_eq!(
            (reply.status, reply.json()),
            (400, status_error(message)),
            "{body}"
        );
    }
    assert!(emulator.identities().is_empty());
}

#[tokio::test]
async fn bad_basic_auth_is_401_even_with_the_right_token() {
    let emulator = start().await;
    let url = format!("{}/identity/create", emulator.identity_base_url());
    let body = serde_json::to_vec(
        &json!({"$identified_id": "u", "$anon_id": "a", "$token": "emulator-project-token"}),
    )
    .expect("serializable");
    let wrong_secret = client()
        .post(&url)
        .basic_auth("emulator-service-account", Some("wrong"))
        .body(body.clone());
    let bearer = client()
        .post(&url)
        .header("authorization", "Bearer abc")
        .body(body);
    for request in [wrong_secret, bearer] {
        let reply = send(request).await;
        assert_eq!(
            (reply.status, reply.json()),
            (
                401,
                status_error(
                    "Authorization header does not hold valid service account credentials"
                )
            )
        );
    }
    assert!(emulator.identities().is_empty());
}
