//! The runtime against servers that fail, throttle, lie and hang, and against hostile input:
//! every failure is a typed error naming what went wrong, nothing is sent that should not be,
//! and no secret reaches `Debug`, `Display` or tracing output. Real servers on 127.0.0.1: the
//! scripted axum server of `support`, and raw TCP listeners for misbehaviour HTTP servers do
//! not produce (a reset mid-body, a 100 MB body).

mod support;

use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arazzo::ErrorKind;
use serde_json::json;
use support::Reply;
use tokio::io::AsyncWriteExt as _;

arazzo::arazzo_workflow!("tests/fixtures/hostile/items.arazzo.yml");

/// The same document, with inputs its schemas do not mark listed as secrets by name.
mod listed {
    arazzo::arazzo_workflow!(
        "tests/fixtures/hostile/items.arazzo.yml",
        secrets = ["read-item.id", "note", "read-then-two.id", "read-count.id"],
    );
}

const TOKEN: &str = "bearer-token-7f3a9c";
const API_KEY: &str = "query-key-51be02";
const PASSWORD: &str = "correct-horse-battery";

fn builder(url: &str) -> ClientBuilder {
    Client::builder()
        .base_url_items(url)
        .items_bearer(TOKEN)
        .items_key(API_KEY)
}

fn read(id: &str) -> read_item::Inputs {
    read_item::Inputs {
        id: id.to_owned(),
        note: None,
    }
}

#[tokio::test]
async fn a_500_is_criteria_not_met_with_a_redacted_body_excerpt() {
    let server = support::start(vec![Reply::json(
        500,
        json!({"error": "boom", "session_token": "abc123", "echo": TOKEN}),
    )])
    .await;
    let client = builder(&server.url).build().expect("client");
    let err = read_item::run(&client, read("1")).await.expect_err("500");
    let ErrorKind::CriteriaNotMet { status, body, .. } = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 500);
    assert!(body.contains("boom"), "{body}");
    // A secret-looking member and the client's own credential are masked.
    assert!(!body.contains("abc123") && !body.contains(TOKEN), "{body}");
    assert!(body.contains("\"session_token\":\"***\""), "{body}");
}

#[tokio::test]
async fn a_slow_response_hits_the_request_timeout() {
    let server = support::start(vec![
        Reply::json(200, json!({"name": "late"})).after(Duration::from_secs(5)),
    ])
    .await;
    let client = builder(&server.url)
        .request_timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = read_item::run(&client, read("1")).await.expect_err("slow");
    assert!(
        matches!(err.kind(), ErrorKind::Timeout(t) if *t == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(err.step(), Some("read"));
}

#[tokio::test]
async fn the_workflow_timeout_bounds_the_whole_run_and_keeps_progress() {
    let server = support::start(vec![
        Reply::json(200, json!({"name": "one"})).after(Duration::from_millis(150)),
        Reply::json(200, json!({"name": "two"})).after(Duration::from_millis(150)),
    ])
    .await;
    let client = builder(&server.url)
        .workflow_timeout(Duration::from_millis(250))
        .build()
        .expect("client");
    let err = read_two::run(
        &client,
        read_two::Inputs {
            first: "1".into(),
            second: "2".into(),
        },
    )
    .await
    .expect_err("too slow overall");
    assert!(
        matches!(err.kind(), ErrorKind::WorkflowTimeout(t) if *t == Duration::from_millis(250)),
        "{err:?}"
    );
    assert_eq!(err.step(), Some("second"));
    assert_eq!(err.completed_steps(), ["first"]);
    // The typed outputs of the step that completed are kept in the error.
    let progress = read_two::Progress::of(&err).expect("progress");
    assert_eq!(
        progress.first.as_ref().map(|o| o.name.as_str()),
        Some("one")
    );
    assert_eq!(progress.second, None);
    // Another workflow's `Progress` is not this one.
    assert!(read_item::Progress::of(&err).is_none());
}

#[tokio::test]
async fn a_failure_in_a_called_workflow_keeps_the_progress_of_caller_and_callee() {
    // `read-then-two` reads, then calls `read-two`, whose second read fails.
    let server = support::start(vec![
        Reply::json(200, json!({"name": "outer"})),
        Reply::json(200, json!({"name": "inner"})),
        Reply::json(500, json!({"error": "boom"})),
    ])
    .await;
    let client = builder(&server.url).build().expect("client");
    let err = read_then_two::run(&client, read_then_two::Inputs { id: "7".into() })
        .await
        .expect_err("the callee's second read fails");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { status: 500, .. }),
        "{err:?}"
    );
    // The caller's record: its own read completed, the call did not.
    let outer = read_then_two::Progress::of(&err).expect("caller progress");
    assert_eq!(outer.read.as_ref().map(|o| o.name.as_str()), Some("outer"));
    assert!(outer.two.is_none());
    // The callee's record: its first read completed (a side effect the caller must know of).
    let inner = read_two::Progress::of(&err).expect("callee progress");
    assert_eq!(inner.first.as_ref().map(|o| o.name.as_str()), Some("inner"));
    assert_eq!(inner.second, None);
    assert_eq!(server.paths(), ["/items/7", "/items/7", "/items/7"]);
}

#[tokio::test]
async fn optional_security_sends_the_credential_when_configured_and_nothing_otherwise() {
    // `security: [{bearer: []}, {}]`: the bearer alternative comes first.
    let server = support::start(vec![Reply::status(200)]).await;
    let with_token = builder(&server.url).build().expect("client");
    read_public::run(&with_token, read_public::Inputs { id: "1".into() })
        .await
        .expect("read with a token");
    let without = Client::builder()
        .base_url_items(&server.url)
        .build()
        .expect("client without credentials");
    read_public::run(&without, read_public::Inputs { id: "2".into() })
        .await
        .expect("no credential is needed");
    let seen = server.seen();
    let auth = |i: usize| {
        seen[i]
            .headers
            .iter()
            .find(|(name, _)| name == "authorization")
            .map(|(_, value)| value.clone())
    };
    assert_eq!(auth(0), Some(format!("Bearer {TOKEN}")));
    assert_eq!(auth(1), None);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let client = builder(&url).build().expect("client");
    let err = read_item::run(&client, read("1"))
        .await
        .expect_err("refused");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
    assert!(err.completed_steps().is_empty());
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    let url = support::raw_server(|mut stream| async move {
        let _ = stream
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"name\":",
            )
            .await;
        // Dropping the stream closes the connection with 990 bytes still owed.
    })
    .await;
    let client = builder(&url).build().expect("client");
    let err = read_item::run(&client, read("1")).await.expect_err("reset");
    assert!(matches!(err.kind(), ErrorKind::Transport(_)), "{err:?}");
}

/// Any `Duration` a user can pass works: one too long to be a point in time is no deadline
/// (it used to panic with "overflow when adding duration to instant").
#[tokio::test]
async fn the_longest_durations_mean_no_bound() {
    let server = support::start(vec![Reply::json(200, json!({"name": "a"}))]).await;
    let client = builder(&server.url)
        .workflow_timeout(Duration::MAX)
        .request_timeout(Duration::MAX)
        .max_retry_delay(Duration::MAX)
        .build()
        .expect("client");
    let out = read_item::run(&client, read("1")).await.expect("runs");
    assert_eq!(out.name, "a");
}

/// A base URL with a user name or password is refused, and the message does not show it.
#[test]
fn a_base_url_with_a_password_is_refused() {
    let err = builder("http://svc:s3cret-pass@127.0.0.1:9/api")
        .build()
        .expect_err("userinfo");
    assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
    assert!(!err.to_string().contains("s3cret"), "{err}");
    assert!(err.to_string().contains("user name or password"), "{err}");
}

/// A cookie value cannot add or shadow a cookie: `;`, `,`, quotes and spaces are
/// percent-encoded (RFC 6265 `cookie-octet`), so `x; sess=ATTACKER` stays one value.
#[tokio::test]
async fn cookie_values_cannot_add_cookies() {
    let server = support::start(vec![Reply::json(200, json!({"name": "a"}))]).await;
    let client = builder(&server.url).build().expect("client");
    read_with_pref::run(
        &client,
        read_with_pref::Inputs {
            id: "1".into(),
            pref: "x; sess=ATTACKER, \"q\" \\ 100%".into(),
        },
    )
    .await
    .expect("runs");
    let seen = server.seen();
    let cookie = seen[0]
        .headers
        .iter()
        .find(|(name, _)| name == "cookie")
        .map(|(_, value)| value.clone())
        .expect("a cookie header");
    assert_eq!(
        cookie,
        "pref=x%3B%20sess=ATTACKER%2C%20%22q%22%20%5C%20100%25"
    );
}

/// A path value is always one segment: CR, LF and TAB are encoded, not dropped (`adm\nin`
/// used to become `admin`), and `.` or `..` (which a URL resolves, so `/items/../details`
/// would have become `GET /items/details`... and worse) is refused before anything is sent.
#[tokio::test]
async fn a_path_value_stays_one_segment() {
    let server = support::start(vec![Reply::json(200, json!({"name": "a"}))]).await;
    let client = builder(&server.url).build().expect("client");
    read_item::run(&client, read("adm\nin\t/x"))
        .await
        .expect("runs");
    assert_eq!(server.paths(), ["/items/adm%0Ain%09%2Fx"]);
    for id in [".", ".."] {
        let err = read_item::run(&client, read(id)).await.expect_err(id);
        assert!(
            matches!(err.kind(), ErrorKind::InvalidRequest(_)),
            "{err:?}"
        );
        assert_eq!(err.step(), Some("read"));
    }
    assert_eq!(server.paths().len(), 1, "nothing more was sent");
}

/// A URL longer than the HTTP client sends is refused before sending and classified as such:
/// not a transport failure, so the retry policy does not resend it.
#[tokio::test]
async fn a_request_that_cannot_be_built_is_not_resent() {
    let server = support::start(vec![Reply::json(200, json!({"name": "a"}))]).await;
    let policy =
        arazzo::RetryPolicy::new(3).backoff(Duration::from_millis(1), Duration::from_millis(5));
    let client = builder(&server.url)
        .retry_policy(policy)
        .build()
        .expect("client");
    let err = read_item::run(&client, read(&"x".repeat(70_000)))
        .await
        .expect_err("too long");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidRequest(_)),
        "{err:?}"
    );
    assert!(server.paths().is_empty(), "{:?}", server.paths());
}

/// A secret echoed back is masked in the form the server echoes it in: here JSON-escaped (a
/// password with a quote and a backslash), which literal matching used to miss.
#[tokio::test]
async fn an_echoed_secret_is_masked_in_every_encoding() {
    let password = "pa\"ss\\word-77";
    let server = support::start(vec![Reply::json(500, json!({"you sent": password}))]).await;
    let client = builder(&server.url).build().expect("client");
    let err = login_and_search::run(
        &client,
        login_and_search::Inputs {
            user: "ann".into(),
            password: password.into(),
            q: "lamps".into(),
        },
    )
    .await
    .expect_err("500");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("***"), "{shown}");
    assert!(
        !shown.contains("ss\\\\word") && !shown.contains("word-77"),
        "{shown}"
    );
}

/// An 8 MiB error body is excerpted while it is read, not parsed whole and copied.
#[tokio::test]
async fn a_large_error_body_is_excerpted_in_passing() {
    let body = format!("[{}0]", "0,".repeat(4 * 1024 * 1024 - 2));
    let server = support::start(vec![Reply::raw(500, "application/json", &body)]).await;
    let client = builder(&server.url).build().expect("client");
    let err = read_item::run(&client, read("1")).await.expect_err("500");
    match err.kind() {
        ErrorKind::CriteriaNotMet {
            status: 500, body, ..
        } => {
            assert!(body.starts_with("[0,0,0") && body.ends_with('…'), "{body}");
            assert!(body.chars().count() <= 201, "{body}");
        }
        other => panic!("{other:?}"),
    }
}

/// A secret echoed in a field of the wrong type is masked in the decoding error, whose
/// message quotes the value it found (it appeared verbatim in `{err}` and `{err:?}`).
#[tokio::test]
async fn a_secret_echoed_in_a_mistyped_field_is_masked() {
    let id = "top-secret-id-42";
    let server = support::start(vec![Reply::json(
        200,
        json!({"name": "a", "stats": {"tags": [], "count": id}}),
    )])
    .await;
    let client = listed::Client::builder()
        .base_url_items(&server.url)
        .items_bearer(TOKEN)
        .items_key(API_KEY)
        .build()
        .expect("client");
    let err = listed::read_count::run(&client, listed::read_count::Inputs { id: id.into() })
        .await
        .expect_err("a string for an integer");
    assert!(
        matches!(err.kind(), ErrorKind::Decode { pointer, .. } if pointer == "/stats/count"),
        "{err:?}"
    );
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("top-secret"), "{shown}");
    assert!(shown.contains("***"), "{shown}");
}

#[tokio::test]
async fn invalid_json_is_body_not_json() {
    let server = support::start(vec![Reply::raw(200, "application/json", "{\"name\": ")]).await;
    let client = builder(&server.url).build().expect("client");
    let err = read_item::run(&client, read("1"))
        .await
        .expect_err("invalid");
    assert!(matches!(err.kind(), ErrorKind::BodyNotJson(_)), "{err:?}");
}

/// Typed decoding (a struct for the pointers a step reads, no JSON tree): a value of the wrong
/// type is a `Decode` error at the exact member, an absent required one `MissingValue`, and
/// members nobody reads are skipped, whatever they hold.
#[tokio::test]
async fn typed_decoding_names_the_exact_member_that_does_not_fit() {
    let server = support::start(vec![
        Reply::json(
            200,
            json!({"name": "a", "extra": [{"deep": [null]}], "stats": {"tags": ["x", "y"]}}),
        ),
        Reply::json(200, json!({"name": "a", "stats": {"tags": ["x", 5]}})),
        Reply::json(200, json!({"stats": {"tags": []}})),
        Reply::json(200, json!(["not", "an", "object"])),
        Reply::json(200, json!({"name": "a", "stats": "not an object"})),
    ])
    .await;
    let client = builder(&server.url).build().expect("client");
    let inputs = || read_tags::Inputs { id: "1".into() };
    let out = read_tags::run(&client, inputs()).await.expect("fits");
    assert_eq!(
        (out.name.as_str(), out.tags),
        ("a", vec!["x".to_owned(), "y".to_owned()])
    );
    let err = read_tags::run(&client, inputs())
        .await
        .expect_err("5 is no string");
    match err.kind() {
        ErrorKind::Decode { pointer, reason } => {
            assert_eq!(pointer, "/stats/tags/1");
            assert!(reason.contains("expected a string"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.step(), Some("read"));
    assert!(err.to_string().contains("`/stats/tags/1`"), "{err}");
    for expected in ["/name", "/name", "/stats/tags"] {
        let err = read_tags::run(&client, inputs())
            .await
            .expect_err("missing");
        assert!(
            matches!(err.kind(), ErrorKind::MissingValue { pointer } if *pointer == expected),
            "{expected}: {err:?}"
        );
    }
}

/// A criterion reads the body as sent: a numeric string compares as a number (Arazzo's
/// rule), and only the output that reads it as an integer fails, at its pointer.
#[tokio::test]
async fn criteria_on_a_typed_body_see_the_values_as_sent() {
    let server = support::start(vec![
        Reply::json(200, json!({"name": "a", "stats": {"count": 3, "tags": []}})),
        Reply::json(200, json!({"name": "a", "stats": {"count": 0, "tags": []}})),
        Reply::json(
            200,
            json!({"name": "a", "stats": {"count": "5", "tags": []}}),
        ),
        Reply::raw(200, "application/json", "{\"stats\": "),
    ])
    .await;
    let client = builder(&server.url).build().expect("client");
    let inputs = || read_counted::Inputs { id: "1".into() };
    let out = read_counted::run(&client, inputs()).await.expect("count 3");
    assert_eq!(out.count, Some(3));
    let err = read_counted::run(&client, inputs())
        .await
        .expect_err("count 0");
    assert!(
        matches!(
            err.kind(),
            ErrorKind::CriteriaNotMet {
                criterion: "$response.body#/stats/count >= 1",
                ..
            }
        ),
        "{err:?}"
    );
    let err = read_counted::run(&client, inputs())
        .await
        .expect_err("\"5\"");
    assert!(
        matches!(err.kind(), ErrorKind::Decode { pointer, .. } if pointer == "/stats/count"),
        "{err:?}"
    );
    // Not JSON: the criterion reads nothing, so it does not hold.
    let err = read_counted::run(&client, inputs())
        .await
        .expect_err("not JSON");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_100_mb_body_is_refused_by_its_length_or_while_streaming() {
    const HUNDRED_MB: usize = 100 * 1024 * 1024;
    // Announced: refused from the header, before any of the body is read.
    let announced = support::raw_server(|mut stream| async move {
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {HUNDRED_MB}\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes()).await;
        let chunk = vec![b' '; 64 * 1024];
        for _ in 0..(HUNDRED_MB / chunk.len()) {
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = builder(&announced).build().expect("client");
    let err = read_item::run(&client, read("1")).await.expect_err("huge");
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit } if *limit == 8 * 1024 * 1024),
        "{err:?}"
    );

    // Chunked, no length: the client stops reading at its limit, so memory stays bounded.
    let streamed = support::raw_server(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b' '; 64 * 1024];
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk,
            b"\r\n".to_vec(),
        ]
        .concat();
        for _ in 0..(HUNDRED_MB / (64 * 1024)) {
            if stream.write_all(&framed).await.is_err() {
                return;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n").await;
    })
    .await;
    let client = builder(&streamed)
        .max_body_bytes(1024 * 1024)
        .build()
        .expect("client");
    let err = read_item::run(&client, read("1")).await.expect_err("huge");
    assert!(
        matches!(err.kind(), ErrorKind::BodyTooLarge { limit } if *limit == 1024 * 1024),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_redirect_to_another_port_is_not_followed_so_credentials_stay_home() {
    let elsewhere = support::start(vec![Reply::json(200, json!({"name": "stolen"}))]).await;
    let server = support::start(vec![
        Reply::status(307).header("location", format!("{}/items/1", elsewhere.url)),
    ])
    .await;
    let client = builder(&server.url).build().expect("client");
    let err = read_item::run(&client, read("1"))
        .await
        .expect_err("3xx is not 200");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { status: 307, .. }),
        "{err:?}"
    );
    assert_eq!(server.paths(), ["/items/1"]);
    let sent = &server.seen()[0];
    assert!(
        sent.headers
            .iter()
            .any(|(k, v)| k == "authorization" && v == &format!("Bearer {TOKEN}"))
    );
    assert!(
        elsewhere.seen().is_empty(),
        "the other origin got a request"
    );
}

#[tokio::test]
async fn header_injection_is_refused_before_sending() {
    let server = support::start(vec![Reply::json(200, json!({"name": "x"}))]).await;
    let client = builder(&server.url).build().expect("client");
    let err = read_item::run(
        &client,
        read_item::Inputs {
            id: "1".into(),
            note: Some("hello\r\nX-Admin: true".into()),
        },
    )
    .await
    .expect_err("CR/LF");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidHeader { name, .. } if name == "X-Note"),
        "{err:?}"
    );
    assert!(server.seen().is_empty(), "nothing may be sent");

    // A credential that cannot be a header value is refused when the client is built, never
    // silently left out of a request.
    let err = Client::builder()
        .base_url_items(&server.url)
        .items_bearer("tok\r\nX-Admin: true")
        .build()
        .expect_err("CR/LF in the token");
    assert!(matches!(err.kind(), ErrorKind::Config(_)), "{err:?}");
    assert!(err.to_string().contains("items_bearer"), "{err}");
    assert!(!err.to_string().contains("X-Admin"), "{err}");
}

#[tokio::test]
async fn path_traversal_stays_inside_one_path_segment() {
    let server = support::start(vec![Reply::json(200, json!({"name": "x"}))]).await;
    let client = builder(&server.url).build().expect("client");
    read_item::run(&client, read("../admin?x=1#frag"))
        .await
        .expect("the server answers 200 for any item");
    let seen = server.seen();
    assert_eq!(seen[0].path, "/items/..%2Fadmin%3Fx=1%23frag");
    assert_eq!(seen[0].query, None);
}

#[tokio::test]
async fn the_retry_policy_resends_idempotent_requests_only() {
    let policy =
        arazzo::RetryPolicy::new(2).backoff(Duration::from_millis(1), Duration::from_millis(5));
    // GET: 503, 429 (Retry-After: 0), then 200.
    let server = support::start(vec![
        Reply::status(503),
        Reply::status(429).header("retry-after", "0"),
        Reply::json(200, json!({"name": "third time"})),
    ])
    .await;
    let client = builder(&server.url)
        .retry_policy(policy)
        .build()
        .expect("client");
    let out = read_item::run(&client, read("1")).await.expect("recovers");
    assert_eq!(out.name, "third time");
    assert_eq!(server.paths(), ["/items/1", "/items/1", "/items/1"]);

    // The policy's limit is spent: the third 503 reaches the workflow.
    let server = support::start(vec![Reply::status(503)]).await;
    let client = builder(&server.url)
        .retry_policy(policy)
        .build()
        .expect("client");
    let err = read_item::run(&client, read("1")).await.expect_err("503");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(server.paths().len(), 3);

    // A POST is never resent behind the document's back.
    let server = support::start(vec![Reply::status(503), Reply::status(201)]).await;
    let client = builder(&server.url)
        .retry_policy(policy)
        .build()
        .expect("client");
    let err = create_item::run(&client, create_item::Inputs { name: "n".into() })
        .await
        .expect_err("503 once");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { status: 503, .. }),
        "{err:?}"
    );
    assert_eq!(server.paths(), ["/items"]);

    // A reset connection is resent too.
    let attempts = Arc::new(Mutex::new(0));
    let counter = attempts.clone();
    let url = support::raw_server(move |mut stream| {
        let counter = counter.clone();
        async move {
            let first = {
                let mut n = counter.lock().unwrap_or_else(|e| e.into_inner());
                *n += 1;
                *n == 1
            };
            if !first {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"name\":\"r\"}")
                    .await;
            }
        }
    })
    .await;
    let client = builder(&url).retry_policy(policy).build().expect("client");
    let out = read_item::run(&client, read("1"))
        .await
        .expect("second try");
    assert_eq!(out.name, "r");
    assert_eq!(*attempts.lock().unwrap_or_else(|e| e.into_inner()), 2);
}

/// A `tracing` writer that keeps everything written, for assertions.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Captures every `tracing` event of this thread until the guard drops.
    fn install() -> (Captured, tracing::subscriber::DefaultGuard) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    /// Everything written so far.
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
    }
}

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_stay_out_of_debug_display_and_tracing() {
    let (captured, _guard) = Captured::install();

    // The login answers; the search fails, with the key echoed in its body.
    let server = support::start(vec![
        Reply::json(200, json!({"session": "s"})),
        Reply::json(403, json!({"detail": format!("bad key {API_KEY}")})),
    ])
    .await;
    let client = builder(&server.url).build().expect("client");
    let inputs = login_and_search::Inputs {
        user: "ann".into(),
        password: PASSWORD.into(),
        q: "lamps".into(),
    };
    let shown = format!("{inputs:?} {client:?}");
    assert!(shown.contains("***") && shown.contains("ann"), "{shown}");
    let err = login_and_search::run(&client, inputs)
        .await
        .expect_err("403");
    assert!(
        matches!(err.kind(), ErrorKind::CriteriaNotMet { status: 403, .. }),
        "{err:?}"
    );
    // The password was sent, and the key went in the query string, as the documents say.
    let seen = server.seen();
    assert!(seen[0].body.contains(PASSWORD));
    assert_eq!(
        seen[1].query.as_deref(),
        Some(&*format!("q=lamps&api_key={API_KEY}"))
    );

    let logs = captured.text();
    assert!(
        logs.contains("arazzo.step"),
        "tracing saw the steps: {logs}"
    );
    assert!(logs.contains("api_key=***"), "{logs}");
    for text in [
        format!("{err}"),
        format!("{err:?}"),
        format!("{client:?}"),
        shown,
        logs,
    ] {
        for secret in [TOKEN, API_KEY, PASSWORD] {
            assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
        }
    }
    let _ = std::io::stdout().flush();
}

#[tokio::test]
async fn inputs_listed_as_secrets_are_masked_in_debug_errors_and_logged_urls() {
    const ID: &str = "item-id-secret-42";
    const NOTE: &str = "note-secret-99";
    let (captured, _guard) = Captured::install();

    // The server echoes both secrets back in a failure body.
    let server = support::start(vec![Reply::json(
        404,
        json!({"message": format!("no item {ID} ({NOTE})")}),
    )])
    .await;
    let client = listed::Client::builder()
        .base_url_items(&server.url)
        .items_bearer(TOKEN)
        .build()
        .expect("client");
    let inputs = listed::read_item::Inputs {
        id: ID.to_owned(),
        note: Some(NOTE.to_owned()),
    };
    let shown = format!("{inputs:?}");
    assert_eq!(shown, r#"Inputs { id: ***, note: *** }"#);
    let err = listed::read_item::run(&client, inputs)
        .await
        .expect_err("404");
    let ErrorKind::CriteriaNotMet { status, body, .. } = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(*status, 404);
    assert_eq!(body, r#"{"message":"no item *** (***)"}"#);
    // Both were sent as the document says.
    let seen = server.seen();
    assert_eq!(seen[0].path, format!("/items/{ID}"));

    let logs = captured.text();
    assert!(logs.contains("/items/***"), "{logs}");
    for text in [format!("{err}"), format!("{err:?}"), logs] {
        for secret in [ID, NOTE] {
            assert!(!text.contains(secret), "`{secret}` leaked into: {text}");
        }
    }

    // `read-item.id` names one workflow's input: the same name elsewhere stays printable.
    let other = listed::read_two::Inputs {
        first: "a".into(),
        second: "b".into(),
    };
    assert_eq!(
        format!("{other:?}"),
        r#"Inputs { first: "a", second: "b" }"#
    );
}

#[tokio::test]
async fn a_callers_secret_stays_masked_inside_the_workflow_it_calls() {
    // `read-then-two.id` is listed secret; `read-two`, which it calls with that id, has no
    // secret inputs of its own. Its failure body echoes the id.
    const ID: &str = "caller-secret-id-77";
    let server = support::start(vec![
        Reply::json(200, json!({"name": "outer"})),
        Reply::json(200, json!({"name": "inner"})),
        Reply::json(500, json!({"message": format!("cannot read {ID}")})),
    ])
    .await;
    let client = listed::Client::builder()
        .base_url_items(&server.url)
        .items_bearer(TOKEN)
        .build()
        .expect("client");
    let err =
        listed::read_then_two::run(&client, listed::read_then_two::Inputs { id: ID.to_owned() })
            .await
            .expect_err("the callee's second read fails");
    assert_eq!(err.workflow(), Some("read-two"));
    let ErrorKind::CriteriaNotMet { body, .. } = err.kind() else {
        panic!("{err:?}");
    };
    assert_eq!(body, r#"{"message":"cannot read ***"}"#);
    assert!(!format!("{err} {err:?}").contains(ID));
}
