//! A receive step in flight (Arazzo 1.1 step `dependsOn` as the join point for asynchronous
//! work), on a real mosquitto started on a free port: the receive step is written before the
//! send that causes its message, so a run that waited for it where it is written would time
//! out; it runs in flight instead and is joined by the step that depends on it.

#[path = "support/brokers.rs"]
mod brokers;
mod support;

use std::time::{Duration, Instant};

use arazzo::message::{Broker, Message};
use serde_json::json;
use support::Reply;

arazzo::arazzo_workflow!("tests/fixtures/asyncapi/in-flight.arazzo.yaml");

fn client(http: &support::Scripted, mqtt: &str) -> Client {
    Client::builder()
        .base_url_shop(&http.url)
        .broker_orders_local(mqtt)
        .build()
        .expect("client builds")
}

fn inputs() -> order_in_flight::Inputs {
    order_in_flight::Inputs {
        pet_id: 7,
        request_id: "req-9".into(),
        region: "eu".into(),
    }
}

/// Confirms each order on `shop/eu/confirmations` with order id 42.
async fn responder(url: &str) {
    let broker = Broker::connect(url).await.expect("responder connects");
    let mut orders = broker
        .subscribe("shop/eu/orders")
        .await
        .expect("responder subscribes");
    tokio::spawn(async move {
        while let Ok(order) = orders.next(Duration::from_secs(10)).await {
            let id = order
                .header("orderRequestId")
                .unwrap_or_default()
                .to_owned();
            let reply = Message::new(json!({"orderId": 42, "status": "approved"}).to_string())
                .with_header("orderRequestId", id);
            broker
                .send("shop/eu/confirmations", &reply)
                .await
                .expect("reply sent");
        }
    });
}

#[tokio::test]
async fn a_receive_step_in_flight_is_joined_by_the_step_that_depends_on_it() {
    let Some(mosquitto) = brokers::mosquitto() else {
        return;
    };
    let url = format!("mqtt://127.0.0.1:{}", mosquitto.port);
    responder(&url).await;
    let http = support::start(vec![Reply::json(200, json!({"id": 42, "name": "Rex"}))]).await;
    let started = Instant::now();
    let out = order_in_flight::run(&client(&http, &url), inputs())
        .await
        .expect("the workflow runs");
    assert_eq!(out.order_id, 42);
    assert_eq!(out.name, "Rex");
    assert_eq!(
        http.paths(),
        ["/pets/42"],
        "the join gave the next step its output"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the receive step did not hold the run up: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn an_in_flight_step_times_out_from_when_it_was_reached() {
    let Some(mosquitto) = brokers::mosquitto() else {
        return;
    };
    let url = format!("mqtt://127.0.0.1:{}", mosquitto.port);
    // No responder: the confirmation never comes.
    let http = support::start(vec![Reply::json(200, json!({"id": 42, "name": "Rex"}))]).await;
    let started = Instant::now();
    let err = order_in_flight::run(&client(&http, &url), inputs())
        .await
        .expect_err("no confirmation");
    let waited = started.elapsed();
    assert_eq!(err.step(), Some("awaitConfirmation"), "{err}");
    assert!(
        matches!(
            err.kind(),
            arazzo::ErrorKind::Message(arazzo::message::MessageError::Timeout(_))
        ),
        "{err:?}"
    );
    assert!(
        (Duration::from_millis(2900)..Duration::from_millis(4500)).contains(&waited),
        "the 3 s timeout counts from when the step was reached: {waited:?}"
    );
    assert!(http.paths().is_empty(), "the dependent step never ran");
}
