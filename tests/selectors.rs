//! Arazzo 1.1 Selector Objects end to end: a `jsonpointer` selector is typed from the
//! response schema, a `jsonpath` one is JSON (one value for a singular query, every node
//! otherwise), in step outputs, workflow outputs and parameter values, against a server on
//! 127.0.0.1.

mod support;

use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/selectors/selectors.arazzo.yml");

fn order() -> serde_json::Value {
    serde_json::json!({
        "id": 7,
        "customer": { "email": "ada@example.com" },
        "items": [ { "sku": "A1", "qty": 3 }, { "sku": "B2", "qty": 1 } ],
    })
}

/// Runs `restock` against a server that answers this order, a stock count of 12, and 204.
async fn run(
    order: serde_json::Value,
) -> (support::Scripted, Result<restock::Outputs, arazzo::Error>) {
    let server = support::start(vec![
        Reply::json(200, order),
        Reply::json(200, serde_json::json!({ "sku": "A1", "count": 12 })),
        Reply::status(204),
    ])
    .await;
    let client = Client::builder()
        .base_url_shop(&server.url)
        .build()
        .expect("client builds");
    let result = restock::run(&client, restock::Inputs { order_id: 7 }).await;
    (server, result)
}

#[tokio::test]
async fn selectors_read_typed_values_and_feed_parameters() {
    let (server, result) = run(order()).await;
    let outputs = result.expect("workflow succeeds");
    // jsonpointer: typed from the schema.
    let email: String = outputs.email;
    let count: i64 = outputs.count;
    assert_eq!(email, "ada@example.com");
    assert_eq!(count, 12);
    // jsonpath with a wildcard: every node selected, in order.
    assert_eq!(
        outputs.skus,
        vec![serde_json::json!("A1"), serde_json::json!("B2")]
    );
    // A singular jsonpath: the one node.
    assert_eq!(outputs.first_qty, Some(serde_json::json!(3)));
    // jsonpointer into a typed output: typed through the output's type (an `Option`: the
    // array may have no first item).
    let first_sku: Option<String> = outputs.first_sku;
    assert_eq!(first_sku.as_deref(), Some("A1"));
    // The parameters the selectors gave.
    let seen = server.seen();
    assert_eq!(seen[0].path, "/orders/7");
    assert_eq!(seen[1].query.as_deref(), Some("sku=A1&second=B2"));
    // A payload member from a selector, and a jsonpath replacement target that sets every
    // selected node.
    let sent: serde_json::Value = serde_json::from_str(&seen[2].body).expect("JSON body");
    assert_eq!(
        sent,
        serde_json::json!({
            "items": [ { "sku": "A1", "qty": 12 }, { "sku": "B2", "qty": 12 } ],
            "contact": "ada@example.com",
        })
    );
}

#[tokio::test]
async fn selectors_that_select_nothing_are_empty_none_or_an_error() {
    let mut empty = order();
    empty["items"] = serde_json::json!([]);
    let (server, result) = run(empty).await;
    let error = result.expect_err("the replacement target selects nothing");
    assert!(
        matches!(error.kind(), arazzo::ErrorKind::InvalidBody(m) if m.contains("selects nothing")),
        "{error:?}"
    );
    assert_eq!(error.step(), Some("restock"));
    // The selectors before it selected nothing: an empty list and `None`s.
    let progress = restock::Progress::of(&error).expect("progress");
    let order = progress.order.as_ref().expect("order step completed");
    assert!(order.skus.is_empty());
    assert_eq!(order.first_qty, None);
    // Selectors that found nothing give absent parameters, left out like any absent value;
    // nothing is sent for the restock.
    let seen = server.seen();
    assert_eq!(seen[1].query, None);
    assert_eq!(seen.len(), 2);
}
