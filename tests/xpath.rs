//! XPath criteria and Selector Objects (feature `xpath`) end to end, against a server on
//! 127.0.0.1 that answers `application/xml`: a criterion that holds, one that fails and routes
//! to `onFailure`, selectors typed `Option<String>`, an Arazzo 1.0 document, and bodies that
//! are not usable XML (malformed, nested too deep), which fail the criterion or the selector
//! with a typed error and never crash.

mod support;

use std::time::{Duration, Instant};

use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/xpath/xpath.arazzo.yml");

/// Arazzo 1.0.1: `xpath` criteria with `version: xpath-10` and without a version.
mod v10 {
    arazzo::arazzo_workflow!("tests/fixtures/xpath/xpath10.arazzo.yml");
}

const ORDER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Order id="7">
  <Status>open</Status>
  <Customer><Email>ada@example.com</Email></Customer>
  <Item sku="A1">3</Item>
  <Item sku="B2">1</Item>
</Order>"#;

fn xml(body: &str) -> Reply {
    Reply::raw(200, "application/xml", body)
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_shop(url)
        .request_timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

#[tokio::test]
async fn criteria_hold_and_selectors_read_string_values() {
    let server = support::start(vec![xml(ORDER)]).await;
    let out = read::run(&client(&server.url), read::Inputs { order_id: 7 })
        .await
        .expect("the order is open");
    // Selectors are typed Option<String>: the string value of the first item selected.
    let status: Option<String> = out.status;
    assert_eq!(status.as_deref(), Some("open"));
    assert_eq!(out.email.as_deref(), Some("ada@example.com"));
    // Nothing selected: None.
    assert_eq!(out.gift, None);
    // An atomic result: its string value.
    assert_eq!(out.items.as_deref(), Some("2"));
    // A workflow output selecting from a step output that holds the XML text.
    assert_eq!(out.first_sku.as_deref(), Some("A1"));
    assert_eq!(server.paths(), ["/orders/7"]);
}

#[tokio::test]
async fn a_failing_criterion_routes_to_on_failure() {
    let closed = ORDER.replace("<Status>open</Status>", "<Status>closed</Status>");
    let server = support::start(vec![xml(&closed), Reply::status(204)]).await;
    reopen::run(&client(&server.url), reopen::Inputs { order_id: 7 })
        .await
        .expect("a closed order is reopened");
    assert_eq!(server.paths(), ["/orders/7", "/orders/7/reopen"]);

    // Open: the success criterion holds and `onSuccess` ends the workflow.
    let server = support::start(vec![xml(ORDER)]).await;
    reopen::run(&client(&server.url), reopen::Inputs { order_id: 7 })
        .await
        .expect("an open order ends the workflow");
    assert_eq!(server.paths(), ["/orders/7"]);

    // Neither open nor closed: no failure action applies, the step fails with the criterion.
    let cancelled = ORDER.replace("<Status>open</Status>", "<Status>cancelled</Status>");
    let server = support::start(vec![xml(&cancelled)]).await;
    let err = reopen::run(&client(&server.url), reopen::Inputs { order_id: 7 })
        .await
        .expect_err("a cancelled order fails");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet {
                criterion: "/Order/Status = 'open'",
                status: 200,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.step(), Some("order"));
    assert_eq!(server.paths(), ["/orders/7"]);
}

#[tokio::test]
async fn an_arazzo_1_0_document_evaluates_xpath_criteria() {
    let server = support::start(vec![xml(ORDER)]).await;
    let client = v10::Client::builder()
        .base_url_shop(&server.url)
        .build()
        .expect("client builds");
    v10::check::run(&client, v10::check::Inputs { order_id: 7 })
        .await
        .expect("both criteria hold");

    // One item only: `count(/Order/Item) = 2` is false.
    let one = ORDER.replace("<Item sku=\"B2\">1</Item>", "");
    let server = support::start(vec![xml(&one)]).await;
    let client = v10::Client::builder()
        .base_url_shop(&server.url)
        .build()
        .expect("client builds");
    let err = v10::check::run(&client, v10::check::Inputs { order_id: 7 })
        .await
        .expect_err("the count criterion fails");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::CriteriaNotMet {
                criterion: "count(/Order/Item) = 2",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn malformed_xml_fails_the_criterion_and_the_selector() {
    for body in [
        "<Order><Status>open</Status>",
        "{\"Order\": {\"Status\": \"open\"}}",
        "",
        "<!DOCTYPE Order [<!ENTITY s \"open\">]><Order><Status>&s;</Status></Order>",
    ] {
        let server = support::start(vec![xml(body)]).await;
        let err = read::run(&client(&server.url), read::Inputs { order_id: 7 })
            .await
            .expect_err("not an XML document");
        assert!(
            matches!(
                err.kind(),
                arazzo::ErrorKind::CriteriaNotMet {
                    criterion: "/Order/Status = 'open'",
                    status: 200,
                    ..
                }
            ),
            "{body}: {err:?}"
        );

        // A selector on it is an XPath error of the step.
        let server = support::start(vec![xml(body)]).await;
        let err = pick::run(&client(&server.url), pick::Inputs { order_id: 7 })
            .await
            .expect_err("not an XML document");
        match err.kind() {
            arazzo::ErrorKind::XPath { query, reason } => {
                assert_eq!(*query, "/Order/Status");
                assert!(
                    reason.contains("not a well-formed XML document"),
                    "{reason}"
                );
            }
            other => panic!("{body}: {other:?}"),
        }
        assert_eq!(err.step(), Some("order"));
    }
}

#[tokio::test]
async fn deep_nesting_fails_quickly_without_crashing() {
    let depth = 100_000;
    let deep = format!(
        "<Order>{}x{}</Order>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    let started = Instant::now();
    let server = support::start(vec![xml(&deep)]).await;
    let err = read::run(&client(&server.url), read::Inputs { order_id: 7 })
        .await
        .expect_err("too deep");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::CriteriaNotMet { .. }),
        "{err:?}"
    );
    let server = support::start(vec![xml(&deep)]).await;
    let err = pick::run(&client(&server.url), pick::Inputs { order_id: 7 })
        .await
        .expect_err("too deep");
    match err.kind() {
        arazzo::ErrorKind::XPath { reason, .. } => {
            assert!(reason.contains("deeper than"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    // Within the limit, the document is evaluated.
    let nested = format!(
        "<Order><Status>open</Status>{}{}</Order>",
        "<a>".repeat(400),
        "</a>".repeat(400)
    );
    let server = support::start(vec![xml(&nested)]).await;
    let out = pick::run(&client(&server.url), pick::Inputs { order_id: 7 })
        .await
        .expect("400 levels are evaluated");
    assert_eq!(out.status.as_deref(), Some("open"));
}
