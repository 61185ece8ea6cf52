//! Request bodies beyond JSON and forms (Arazzo 1.0.1 §4.6.6 Request Body Object: "the
//! `contentType` … SHOULD be used to determine how the payload is serialized"): XML written
//! per the OpenAPI `xml` objects, multipart/form-data parts, raw bytes and text, each
//! asserted as it arrives at a server on 127.0.0.1.

mod support;

use axum::extract::{FromRequest, Multipart};
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/payloads/payloads.arazzo.yml");

async fn client(url: &str) -> Client {
    Client::builder()
        .base_url_api(url)
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn an_xml_body_follows_the_schemas_xml_objects() {
    let server = support::start(vec![Reply::status(200)]).await;
    let client = client(&server.url).await;
    xml_pet::run(
        &client,
        xml_pet::Inputs {
            id: 7,
            name: "Rex \"the\" <dog>".into(),
            tag: "a\tb".into(),
            token: "tok&\"secret".into(),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert_eq!(seen.content_type.as_deref(), Some("application/xml"));
    assert_eq!(
        seen.body,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<pt:Pet xmlns:pt="urn:example:pets" id="7">"#,
            r#"<name>Rex &quot;the&quot; &lt;dog&gt;</name>"#,
            r#"<photos><photo>a.png</photo><photo>b&amp;c.png</photo></photos>"#,
            r#"<tag kind="animal"><label>&lt;cute&gt; &amp; &apos;small&apos;</label></tag>"#,
            "<tag><label>a\tb</label></tag>",
            r#"<note>tok&amp;&quot;secret</note>"#,
            "</pt:Pet>"
        )
    );
}

#[tokio::test]
async fn a_secret_echoed_in_its_xml_form_is_masked() {
    // The server answers 400 with the XML it received: the secret input, XML-escaped.
    let server = support::start(vec![Reply::raw(
        400,
        "application/xml",
        "<error><note>tok&amp;&quot;secret</note></error>",
    )])
    .await;
    let client = client(&server.url).await;
    let error = xml_pet::run(
        &client,
        xml_pet::Inputs {
            id: 1,
            name: "n".into(),
            tag: "t".into(),
            token: "tok&\"secret".into(),
        },
    )
    .await
    .expect_err("the criterion fails");
    let message = error.to_string();
    assert!(message.contains("<note>***</note>"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

/// Each part of a multipart request: (name, file name, content type, bytes).
async fn parts(seen: &support::Seen) -> Vec<(String, Option<String>, Option<String>, Vec<u8>)> {
    let request = axum::http::Request::builder()
        .header(
            "content-type",
            seen.content_type.clone().expect("a content type"),
        )
        .body(axum::body::Body::from(seen.bytes.clone()))
        .expect("request");
    let mut multipart = Multipart::from_request(request, &())
        .await
        .expect("a multipart body");
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.expect("a well-formed part") {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.expect("part bytes").to_vec();
        parts.push((name, file_name, content_type, bytes));
    }
    parts
}

#[tokio::test]
async fn a_multipart_body_has_text_json_and_file_parts() {
    let server = support::start(vec![Reply::status(200)]).await;
    let client = client(&server.url).await;
    upload::run(
        &client,
        upload::Inputs {
            title: "Q3 \"report\"".into(),
            count: 3,
            file: vec![0x00, 0xFF, b'\r', b'\n', b'-', b'-'],
            logo: Some(b"\x89PNG".to_vec()),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert!(
        seen.content_type
            .as_deref()
            .is_some_and(|ct| ct.starts_with("multipart/form-data; boundary=")),
        "{:?}",
        seen.content_type
    );
    let s = |t: &str| Some(t.to_owned());
    assert_eq!(
        parts(seen).await,
        vec![
            ("title".into(), None, None, b"Q3 \"report\"".to_vec()),
            ("count".into(), None, None, b"3".to_vec()),
            (
                "meta".into(),
                None,
                s("application/vnd.meta+json"),
                br#"{"by":"Q3 \"report\"","n":1}"#.to_vec()
            ),
            ("tags".into(), None, None, b"x".to_vec()),
            ("tags".into(), None, None, b"y".to_vec()),
            (
                "file".into(),
                s("file"),
                s("application/octet-stream"),
                vec![0x00, 0xFF, b'\r', b'\n', b'-', b'-']
            ),
            (
                "logo".into(),
                s("logo"),
                s("image/png"),
                b"\x89PNG".to_vec()
            ),
        ]
    );

    // An optional file left out is no part.
    upload::run(
        &client,
        upload::Inputs {
            title: "t".into(),
            count: 0,
            file: Vec::new(),
            logo: None,
        },
    )
    .await
    .expect("workflow succeeds");
    let names: Vec<String> = parts(&server.seen()[1])
        .await
        .into_iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(names, ["title", "count", "meta", "tags", "tags", "file"]);
}

#[tokio::test]
async fn an_octet_stream_body_is_the_bytes_as_given() {
    let server = support::start(vec![Reply::status(204)]).await;
    let client = client(&server.url).await;
    let data: Vec<u8> = vec![0x00, 0xFF, 0xFE, b'{', 0x80, 0x00];
    blob::run(
        &client,
        blob::Inputs {
            id: "b1".into(),
            data: data.clone(),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert_eq!(seen.method, "PUT");
    assert_eq!(seen.path, "/blobs/b1");
    assert_eq!(
        seen.content_type.as_deref(),
        Some("application/octet-stream")
    );
    assert_eq!(seen.bytes, data);
}

#[tokio::test]
async fn text_bodies_render_numbers_as_text() {
    // A text/plain response body is read as a `String` (criterion and output).
    let server = support::start(vec![Reply::raw(
        200,
        "text/plain; charset=utf-8",
        "stored: 42 items",
    )])
    .await;
    let client = client(&server.url).await;
    let outputs = note::run(
        &client,
        note::Inputs {
            count: 42,
            ratio: Some(0.5),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = server.seen();
    assert_eq!(seen[0].content_type.as_deref(), Some("text/plain"));
    assert_eq!(seen[0].body, "42");
    assert_eq!(
        seen[1].content_type.as_deref(),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(seen[1].body, "42 items at 0.5");
    let stored: &String = &outputs.stored;
    assert_eq!(stored, "stored: 42 items");
}
