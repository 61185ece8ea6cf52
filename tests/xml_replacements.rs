//! Payload replacements in an XML payload (Arazzo 1.1, Payload Replacement Object): a target
//! without `targetSelectorType` is XPath when the payload is XML, and each XPath target is
//! followed through the request body schema's `xml` objects to the member of the value the
//! document is written from (tests/fixtures/v11/xml_replacements.arazzo.yml), then sent to a
//! server on 127.0.0.1.

mod support;

use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/v11/xml_replacements.arazzo.yml");

#[tokio::test]
async fn xpath_targets_replace_attributes_items_and_nested_elements() {
    let server = support::start(vec![Reply::status(200)]).await;
    let client = Client::builder()
        .base_url_api(&server.url)
        .build()
        .expect("client builds");
    let inputs = relabel::Inputs {
        id: 42,
        label: "<small>".into(),
    };
    relabel::run(&client, inputs)
        .await
        .expect("workflow succeeds");
    let seen = &server.seen()[0];
    assert_eq!(seen.content_type.as_deref(), Some("application/xml"));
    assert_eq!(
        seen.body,
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<pt:Pet xmlns:pt="urn:example:pets" id="42">"#,
            "<name>Template</name>",
            "<photos><photo>a.png</photo><photo>c.png</photo></photos>",
            r#"<tag kind="animal"><label>&lt;small&gt; &amp; co</label></tag>"#,
            "</pt:Pet>"
        )
    );
}
