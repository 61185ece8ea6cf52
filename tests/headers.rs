//! Header parameters OpenAPI does not let a document declare (`Authorization`, `Accept`,
//! `Content-Type`), sent by a workflow on operations of a server on 127.0.0.1: a token the
//! workflow obtains at login travels as its own bearer header, with no builder credential and
//! never beside one of the runtime's.

mod support;

use support::{Reply, Seen};

arazzo::arazzo_workflow!("tests/fixtures/headers/headers.arazzo.yml");

/// The values of header `name` (lower case) a request carried.
fn header<'s>(seen: &'s Seen, name: &str) -> Vec<&'s str> {
    seen.headers
        .iter()
        .filter(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

#[tokio::test]
async fn a_login_token_is_sent_as_the_bearer_header_with_accept_and_content_type() {
    let server = support::start(vec![
        Reply::json(200, serde_json::json!({"token": "tok-41f2"})),
        Reply::json(201, serde_json::json!({"id": 7})),
    ])
    .await;
    // No credential: the document supplies `Authorization` itself.
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds without a credential");
    let outputs = login_and_create::run(
        &client,
        login_and_create::Inputs {
            user: "ada".into(),
            password: "pw".into(),
            title: "Broken".into(),
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(outputs.id, 7);
    let seen = server.seen();
    assert_eq!(header(&seen[0], "authorization"), Vec::<&str>::new());
    let create = &seen[1];
    assert_eq!(create.path, "/issues");
    assert_eq!(header(create, "authorization"), ["Bearer tok-41f2"]);
    // The document's Accept replaces the client's default `*/*`.
    assert_eq!(header(create, "accept"), ["application/vnd.tracker+json"]);
    assert_eq!(
        header(create, "content-type"),
        ["application/json; charset=utf-8"]
    );
    assert_eq!(create.body, r#"{"title":"Broken"}"#);
}

#[tokio::test]
async fn a_content_type_parameter_selects_the_form_encoding() {
    let server = support::start(vec![Reply::json(201, serde_json::json!({"id": 1}))]).await;
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds");
    form_by_header::run(
        &client,
        form_by_header::Inputs {
            token: "raw-token".into(),
            title: "a b&c".into(),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert_eq!(header(seen, "authorization"), ["raw-token"]);
    assert_eq!(
        header(seen, "content-type"),
        ["application/x-www-form-urlencoded"]
    );
    assert_eq!(seen.body, "title=a+b%26c");
}

#[tokio::test]
async fn a_workflow_authorization_parameter_stands_for_oauth_and_basic_credentials() {
    let server = support::start(vec![Reply::json(200, serde_json::json!({"title": "t"}))]).await;
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds without a credential");
    let outputs = show_with_session::run(
        &client,
        show_with_session::Inputs {
            session: "s-1".into(),
            id: 3,
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(outputs.title.as_deref(), Some("t"));
    let seen = &server.seen()[0];
    assert_eq!(seen.path, "/issues/3");
    assert_eq!(header(seen, "authorization"), ["Session s-1"]);
}

#[tokio::test]
async fn a_login_token_echoed_by_a_failing_server_is_masked() {
    const TOKEN: &str = "tok-9c1e5d";
    // The login answers a token; creating the issue answers 500 with the token echoed, bare
    // and in the header form it was sent in.
    let server = support::start(vec![
        Reply::json(200, serde_json::json!({"token": TOKEN})),
        Reply::raw(
            500,
            "text/plain",
            &format!("rejected {TOKEN}; header was Bearer {TOKEN}"),
        ),
    ])
    .await;
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .build()
        .expect("client builds");
    let error = login_and_create::run(
        &client,
        login_and_create::Inputs {
            user: "ada".into(),
            password: "pw".into(),
            title: "t".into(),
        },
    )
    .await
    .expect_err("the server fails");
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(
        display.contains("rejected ***; header was ***"),
        "{display}"
    );
    assert!(!display.contains(TOKEN), "{display}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("***"), "{debug}");
    // The token did reach the server, once, in the document's header.
    assert_eq!(
        header(&server.seen()[1], "authorization"),
        [format!("Bearer {TOKEN}").as_str()]
    );
}
