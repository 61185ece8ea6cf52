//! The AMQP 0-9-1 transport on the RabbitMQ running on 127.0.0.1:5672 (guest/guest), with
//! unique routing keys per test. Not running though installed: the tests fail and say how to
//! start it; not installed: skipped with a printed reason.

#[path = "support/broker_cases.rs"]
mod broker_cases;
#[path = "support/brokers.rs"]
mod brokers;

use std::time::Duration;

use arazzo_runtime::message::{Broker, Credentials, MessageError};
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::types::ShortString;
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties};

macro_rules! rabbitmq {
    () => {
        match brokers::rabbitmq() {
            Some(url) => url,
            None => return,
        }
    };
}

#[tokio::test]
async fn send_then_receive() {
    let url = rabbitmq!();
    broker_cases::send_then_receive(&url).await;
}

#[tokio::test]
async fn headers_travel_in_the_headers_table() {
    let url = rabbitmq!();
    broker_cases::headers_round_trip(&url).await;
}

#[tokio::test]
async fn armed_before_send() {
    let url = rabbitmq!();
    broker_cases::armed_before_send(&url).await;
}

#[tokio::test]
async fn correlation_skips_wrong_messages() {
    let url = rabbitmq!();
    broker_cases::correlation_skips_wrong(&url).await;
    broker_cases::correlation_by_header(&url).await;
}

#[tokio::test]
async fn timeout_is_typed() {
    let url = rabbitmq!();
    broker_cases::timeout_is_typed(&url).await;
}

#[tokio::test]
async fn malformed_payload_is_bytes() {
    let url = rabbitmq!();
    broker_cases::malformed_payload_is_bytes(&url).await;
}

#[tokio::test]
async fn payload_limits() {
    let url = rabbitmq!();
    broker_cases::payload_limits(&url).await;
}

#[tokio::test]
async fn cancelled_wait_loses_nothing() {
    let url = rabbitmq!();
    broker_cases::cancelled_wait_loses_nothing(&url).await;
}

/// A native lapin channel in confirm mode.
async fn raw_channel(url: &str) -> (Connection, Channel) {
    let connection = Connection::connect(url, ConnectionProperties::default())
        .await
        .expect("raw connection");
    let channel = connection.create_channel().await.expect("raw channel");
    channel
        .confirm_select(ConfirmSelectOptions::default())
        .await
        .expect("confirm mode");
    (connection, channel)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_stays_bounded() {
    let url = rabbitmq!();
    let raw_url = url.clone();
    broker_cases::flood_stays_bounded(&url, 100_000, |address, count, right| async move {
        let (_connection, channel) = raw_channel(&raw_url).await;
        let mut confirms = Vec::with_capacity(1024);
        for i in 0..=count {
            let body = if i == count {
                right.clone()
            } else {
                format!("noise {i}").into_bytes()
            };
            let confirm = channel
                .basic_publish(
                    ShortString::from("amq.topic"),
                    ShortString::from(address.as_str()),
                    BasicPublishOptions::default(),
                    &body,
                    BasicProperties::default(),
                )
                .await
                .expect("flood publish");
            confirms.push(confirm);
            if confirms.len() == 1024 || i == count {
                for confirm in confirms.drain(..) {
                    confirm.await.expect("confirm");
                }
            }
        }
    })
    .await;
}

/// Whether a mandatory publish to `routing_key` on amq.topic reaches a queue.
async fn routable(url: &str, routing_key: &str) -> bool {
    let (_connection, channel) = raw_channel(url).await;
    let confirm = channel
        .basic_publish(
            ShortString::from("amq.topic"),
            ShortString::from(routing_key),
            BasicPublishOptions {
                mandatory: true,
                ..BasicPublishOptions::default()
            },
            b"probe",
            BasicProperties::default(),
        )
        .await
        .expect("probe publish")
        .await
        .expect("probe confirm");
    matches!(confirm, Confirmation::Ack(None))
}

#[tokio::test]
async fn drop_unsubscribes() {
    let url = rabbitmq!();
    let broker = Broker::connect(&url).await.expect("connect");
    let address = brokers::unique("drop");
    assert!(!routable(&url, &address).await, "no queue is bound yet");
    let sub = broker.subscribe(&address).await.expect("subscribe");
    assert!(
        routable(&url, &address).await,
        "the subscription's queue is bound"
    );
    drop(sub);
    brokers::eventually(
        Duration::from_secs(5),
        "RabbitMQ still routes to the queue",
        || {
            let (url, address) = (url.clone(), address.clone());
            async move { !routable(&url, &address).await }
        },
    )
    .await;
}

#[tokio::test]
async fn wrong_password_is_a_connect_error() {
    let _url = rabbitmq!();
    let err = Broker::builder("amqp://127.0.0.1:5672/%2f")
        .credentials(Credentials::user_password("guest", "not-the-password"))
        .timeout(Duration::from_secs(5))
        .connect()
        .await
        .expect_err("wrong password");
    assert!(matches!(err, MessageError::Connect(_)), "{err:?}");
}
