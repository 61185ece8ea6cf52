//! Payload and header templates with hostile values (Arazzo 1.0.1 §4.6.6 Request Body Object,
//! §4.8.20 runtime expressions embedded in strings with `{}`): a substituted value is escaped
//! for where it lands, so it can never change the structure of what is sent. A JSON template
//! is parsed as JSON with typed holes at compile time; form values are percent-encoded, XML
//! values escaped, header values with CR or LF refused; `text/plain` values are sent as they
//! are. Every assertion is on the bytes a server on 127.0.0.1 received.

mod support;

use arazzo::ErrorKind;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/templates/templates.arazzo.yml");

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_api(url)
        .build()
        .expect("client builds")
}

/// Runs the `json` workflow with this name and returns the body the server received.
async fn json_body(name: &str, tags: Option<Vec<String>>) -> String {
    let server = support::start(vec![Reply::status(200)]).await;
    let outputs = json::run(
        &client(&server.url),
        json::Inputs {
            name: name.to_owned(),
            id: 7,
            tags,
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert_eq!(seen.content_type.as_deref(), Some("application/json"));
    // The body is JSON whose `name` is the input, whatever it holds.
    let parsed: serde_json::Value = serde_json::from_str(&seen.body).expect("valid JSON");
    assert_eq!(parsed["name"], name);
    assert_eq!(outputs.sent, Some(serde_json::Value::from(name)));
    seen.body.clone()
}

#[tokio::test]
async fn a_json_template_escapes_values_in_strings_and_writes_whole_values_as_json() {
    let fixed = r#""fixed":"\"quoted\" \\ é""#;
    assert_eq!(
        json_body("O\"Brien", Some(vec!["a".into(), "b\"c".into()])).await,
        format!(
            r#"{{"name":"O\"Brien","greeting":"Hello, O\"Brien!","id":7,"tags":["a","b\"c"],{fixed}}}"#
        )
    );
    // A crafted value stays one string: no `admin` member is added.
    assert_eq!(
        json_body(r#"x", "admin": true, "y": ""#, None).await,
        format!(
            r#"{{"name":"x\", \"admin\": true, \"y\": \"","greeting":"Hello, x\", \"admin\": true, \"y\": \"!","id":7,"tags":null,{fixed}}}"#
        )
    );
    assert_eq!(
        json_body(r"C:\dir\\", None).await,
        format!(
            r#"{{"name":"C:\\dir\\\\","greeting":"Hello, C:\\dir\\\\!","id":7,"tags":null,{fixed}}}"#
        )
    );
    assert_eq!(
        json_body("a\u{0}\u{1f}\n\t\u{7f}b", None).await,
        format!(
            "{{\"name\":\"a\\u0000\\u001f\\n\\t\u{7f}b\",\"greeting\":\"Hello, a\\u0000\\u001f\\n\\t\u{7f}b!\",\"id\":7,\"tags\":null,{fixed}}}"
        )
    );
    assert_eq!(
        json_body("Zoë 😀 \u{2028}", None).await,
        format!(
            "{{\"name\":\"Zoë 😀 \u{2028}\",\"greeting\":\"Hello, Zoë 😀 \u{2028}!\",\"id\":7,\"tags\":null,{fixed}}}"
        )
    );
}

#[tokio::test]
async fn a_form_template_percent_encodes_its_values() {
    let server = support::start(vec![Reply::status(200)]).await;
    let client = client(&server.url);
    for name in ["a&admin=true", "50% + x=y\r\n"] {
        form::run(
            &client,
            form::Inputs {
                name: name.to_owned(),
            },
        )
        .await
        .expect("workflow succeeds");
    }
    let seen = server.seen();
    assert_eq!(
        seen[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[0].body, "name=a%26admin%3Dtrue&role=user");
    assert_eq!(seen[1].body, "name=50%25+%2B+x%3Dy%0D%0A&role=user");
    // Decoded as a form, the value is one field, exactly as given.
    let fields: Vec<(String, String)> = form_urlencoded::parse(seen[0].body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        fields,
        [
            ("name".to_owned(), "a&admin=true".to_owned()),
            ("role".to_owned(), "user".to_owned())
        ]
    );
}

#[tokio::test]
async fn an_xml_template_escapes_its_values_and_refuses_what_xml_cannot_carry() {
    let server = support::start(vec![Reply::status(200)]).await;
    let client = client(&server.url);
    xml::run(
        &client,
        xml::Inputs {
            name: "</name><admin>true</admin>".to_owned(),
        },
    )
    .await
    .expect("workflow succeeds");
    xml::run(
        &client,
        xml::Inputs {
            name: "O\"Brien & 'co'\tZoë".to_owned(),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = server.seen();
    assert_eq!(seen[0].content_type.as_deref(), Some("application/xml"));
    assert_eq!(
        seen[0].body,
        concat!(
            r#"<person kind="&lt;/name&gt;&lt;admin&gt;true&lt;/admin&gt;">"#,
            "<name>&lt;/name&gt;&lt;admin&gt;true&lt;/admin&gt;</name></person>"
        )
    );
    assert_eq!(
        seen[1].body,
        concat!(
            r#"<person kind="O&quot;Brien &amp; &apos;co&apos;&#9;Zoë">"#,
            "<name>O&quot;Brien &amp; &apos;co&apos;&#9;Zoë</name></person>"
        )
    );

    let err = xml::run(
        &client,
        xml::Inputs {
            name: "a\u{1}b".to_owned(),
        },
    )
    .await
    .expect_err("U+0001 cannot be XML");
    assert!(
        matches!(err.kind(), ErrorKind::InvalidPayload { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("U+0001"), "{err}");
    assert_eq!(server.seen().len(), 2, "nothing more may be sent");
}

#[tokio::test]
async fn a_text_plain_template_sends_its_values_as_they_are() {
    let server = support::start(vec![Reply::status(200)]).await;
    let hostile = "x\", \"admin\": true\r\n</name>&a=b";
    text::run(
        &client(&server.url),
        text::Inputs {
            name: hostile.to_owned(),
        },
    )
    .await
    .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert_eq!(seen.content_type.as_deref(), Some("text/plain"));
    assert_eq!(seen.body, format!("name: {hostile}"));
}

#[tokio::test]
async fn a_header_template_with_cr_or_lf_is_refused_before_sending() {
    let server = support::start(vec![Reply::status(200)]).await;
    let client = client(&server.url);
    header::run(
        &client,
        header::Inputs {
            name: "O\"Brien; <x> & 'y'".to_owned(),
        },
    )
    .await
    .expect("workflow succeeds");
    let sent = &server.seen()[0];
    let greeting = sent
        .headers
        .iter()
        .find(|(name, _)| name == "x-greeting")
        .map(|(_, value)| value.as_str());
    assert_eq!(greeting, Some("Hello O\"Brien; <x> & 'y'"));

    for hostile in ["x\r\nX-Admin: true", "x\nX-Admin: true", "x\rX-Admin: true"] {
        let err = header::run(
            &client,
            header::Inputs {
                name: hostile.to_owned(),
            },
        )
        .await
        .expect_err("CR/LF");
        assert!(
            matches!(err.kind(), ErrorKind::InvalidHeader { name, .. } if name == "X-Greeting"),
            "{err:?}"
        );
        assert!(!err.to_string().contains("X-Admin"), "{err}");
    }
    assert_eq!(server.seen().len(), 1, "nothing more may be sent");
}
