//! The Arazzo 1.1 conformance document (tests/fixtures/v11/conformance/warehouse.arazzo.yml):
//! every 1.1 construct this project supports besides AsyncAPI steps, in one document, compiled
//! by the macro and run against a scripted HTTP server on 127.0.0.1. The server's record of
//! what it was sent is the evidence: each construct changes a request or an output, and every
//! request and typed output is asserted whole.

mod support;

use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/v11/conformance/warehouse.arazzo.yml");

fn inputs() -> restock_open_orders::Inputs {
    restock_open_orders::Inputs {
        status: "open".into(),
        limit: 2,
        minimum: 5,
        minimum_total: 2,
    }
}

fn search() -> Reply {
    Reply::json(
        200,
        json!({"orders": [{"id": 7, "total": 3}, {"id": 8, "total": 1}]}),
    )
}

fn invoice() -> Reply {
    Reply::raw(
        200,
        "application/xml",
        "<invoice><order>7</order><number>INV-7</number></invoice>",
    )
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url_shop(url)
        .build()
        .expect("client builds")
}

fn order() -> Reply {
    Reply::json(
        200,
        json!({
            "id": 7,
            "customer": {"email": "ada@example.com"},
            "items": [{"sku": "A-1", "qty": 0}, {"sku": "B-2", "qty": 1}]
        }),
    )
}

#[tokio::test]
async fn every_construct_changes_what_is_sent_and_returned() {
    let server = support::start(vec![
        search(),
        order(),
        invoice(),
        // The stock service is busy once: the retry action runs the mailer first.
        Reply::status(503),
        Reply::json(202, json!({"id": "n-1"})),
        Reply::json(200, json!({"sku": "A-1", "count": 4})),
        Reply::status(204),
        // The call step's workflow, then the `goto`'s.
        Reply::json(202, json!({"id": "n-2"})),
        Reply::json(202, json!({"id": "n-3"})),
    ])
    .await;
    let out = restock_open_orders::run(&client(&server.url), inputs())
        .await
        .expect("the workflow succeeds");

    // Typed outputs: a JSONPath selector's nodes, JSON pointer selectors on a response body
    // typed from its schema (`count` an integer, `email` a string), a `#` pointer after an
    // output and a JSON pointer selector on an output, typed through the output's type (an
    // `Option`: an index or a member may find nothing), an XPath selector's string, a called
    // workflow's output, and `$self`.
    assert_eq!(out.ids, vec![json!(7), json!(8)]);
    let count: i64 = out.count;
    assert_eq!(count, 4);
    let email: String = out.email;
    assert_eq!(email, "ada@example.com");
    let first_sku: Option<String> = out.first_sku;
    assert_eq!(first_sku.as_deref(), Some("A-1"));
    let contact: Option<String> = out.contact;
    assert_eq!(contact.as_deref(), Some("ada@example.com"));
    let invoice: Option<String> = out.invoice;
    assert_eq!(invoice.as_deref(), Some("INV-7"));
    assert_eq!(out.notification, "n-2");
    assert_eq!(
        out.document,
        "https://example.com/flows/warehouse.arazzo.yml"
    );

    let seen = server.seen();
    let sent: Vec<(&str, &str, Option<&str>)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str(), s.query.as_deref()))
        .collect();
    assert_eq!(
        sent,
        [
            // `in: querystring`: the whole query string from one templated value.
            ("GET", "/orders", Some("status=open&limit=2")),
            // A JSON pointer selector's value as a path parameter.
            ("GET", "/orders/7", None),
            // An XML body, checked with an XPath criterion that embeds an output.
            ("GET", "/invoices/7", None),
            // A JSONPath selector's value as a path parameter; `dependsOn: [order]`.
            ("GET", "/stock/A-1", None),
            // The retry's workflow, named by identity, with the action's parameters.
            ("POST", "/notifications", None),
            ("GET", "/stock/A-1", None),
            ("POST", "/restock", None),
            // The call step (with a timeout), then the goto's workflow, named by location,
            // with the action's parameters.
            ("POST", "/notifications", None),
            ("POST", "/notifications", None),
        ]
    );
    let body = |i: usize| -> serde_json::Value {
        serde_json::from_str(&seen[i].body).expect("a JSON body")
    };
    assert_eq!(body(4), json!({"message": "stock busy for order 7"}));
    // The payload: a selector in it, a JSONPath replacement on every line, a JSON pointer
    // replacement (an Expression Type Object) with a template.
    assert_eq!(
        body(6),
        json!({
            "order": 7,
            "items": [{"sku": "A-1", "qty": 5}, {"sku": "B-2", "qty": 5}],
            "contact": "ada@example.com",
            "note": "restocked from 4"
        })
    );
    assert_eq!(body(7), json!({"message": "invoice INV-7 restocked"}));
    assert_eq!(body(8), json!({"message": "order 7 restocked"}));
}

/// The conditions that embed runtime expressions decide with the values substituted: a
/// higher `minimumTotal` fails the search's JSONPath criterion; an invoice for another order
/// fails the XPath criterion; a stock answer for another article fails the regex criterion.
#[tokio::test]
async fn embedded_expressions_decide_the_criteria() {
    let server = support::start(vec![search()]).await;
    let demanding = restock_open_orders::Inputs {
        minimum_total: 4,
        ..inputs()
    };
    let err = restock_open_orders::run(&client(&server.url), demanding)
        .await
        .expect_err("no order has a total of 4");
    assert!(err.to_string().contains("{$inputs.minimumTotal}"), "{err}");

    let other_invoice = Reply::raw(
        200,
        "application/xml",
        "<invoice><order>8</order><number>INV-8</number></invoice>",
    );
    let server = support::start(vec![search(), order(), other_invoice]).await;
    let err = restock_open_orders::run(&client(&server.url), inputs())
        .await
        .expect_err("the invoice is another order's");
    assert!(err.to_string().contains("`invoice`"), "{err}");
    assert!(err.to_string().contains("/invoice/order"), "{err}");

    let other_sku = Reply::json(200, json!({"sku": "B-2", "count": 4}));
    let server = support::start(vec![search(), order(), invoice(), other_sku]).await;
    let err = restock_open_orders::run(&client(&server.url), inputs())
        .await
        .expect_err("the stock is another article's");
    assert!(err.to_string().contains("`stock`"), "{err}");
    assert!(err.to_string().contains("outputs.items#/0/sku"), "{err}");
}

/// `timeout` on the call step: a mailer slower than 2 s fails the step; the request it had
/// in flight is reported as sent without an answer.
#[tokio::test]
async fn the_call_step_timeout_fails_a_slow_call() {
    let server = support::start(vec![
        search(),
        order(),
        invoice(),
        Reply::json(200, json!({"sku": "A-1", "count": 4})),
        Reply::status(204),
        Reply::json(202, json!({"id": "n-2"})).after(std::time::Duration::from_secs(5)),
    ])
    .await;
    let err = restock_open_orders::run(&client(&server.url), inputs())
        .await
        .expect_err("the call times out");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::StepTimeout(t) if t.as_millis() == 2000),
        "{err}"
    );
    assert!(err.to_string().contains("`tell`"), "{err}");
    let last = err.sent_requests().last().expect("requests were sent");
    assert_eq!(last.outcome, arazzo::Outcome::NoAnswer, "{err}");
    assert_eq!(last.path, "/notifications");
}

/// The JSONPath criterion with an Expression Type Object decides: no order with a total of
/// at least one fails the step, and nothing else is sent.
#[tokio::test]
async fn the_jsonpath_criterion_fails_the_step_when_nothing_matches() {
    let server = support::start(vec![Reply::json(
        200,
        json!({"orders": [{"id": 7, "total": 0}]}),
    )])
    .await;
    let err = restock_open_orders::run(&client(&server.url), inputs())
        .await
        .expect_err("the criterion fails");
    let text = err.to_string();
    assert!(text.contains("`search`"), "{text}");
    assert!(text.contains("$.orders[?@.total >= 1]"), "{text}");
    assert_eq!(server.paths(), ["/orders"]);
}

/// `timeout` on the `order` step: a server slower than 2 s fails the step.
#[tokio::test]
async fn the_step_timeout_fails_a_slow_step() {
    let server = support::start(vec![
        search(),
        order().after(std::time::Duration::from_secs(5)),
    ])
    .await;
    let started = std::time::Instant::now();
    let err = restock_open_orders::run(&client(&server.url), inputs())
        .await
        .expect_err("the step times out");
    assert!(started.elapsed() < std::time::Duration::from_secs(4));
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::Timeout(t) if t.as_millis() == 2000),
        "{err}"
    );
    assert!(err.to_string().contains("`order`"), "{err}");
    assert_eq!(server.paths(), ["/orders", "/orders/7"]);
}
