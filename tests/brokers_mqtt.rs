//! The MQTT 5 transport on a real mosquitto started by each test on a free port.

#[path = "support/broker_cases.rs"]
mod broker_cases;
#[path = "support/brokers.rs"]
mod brokers;

use std::time::Duration;

use arazzo_runtime::message::{Broker, Credentials, Message, MessageError};
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PubAckReason};
use rumqttc::v5::{AsyncClient, Event, EventLoop, MqttOptions};

/// Starts mosquitto and returns its guard and URL, or skips (printed) if it is not installed.
macro_rules! mosquitto {
    () => {
        match brokers::mosquitto() {
            Some(b) => {
                let url = format!("mqtt://127.0.0.1:{}", b.port);
                (b, url)
            }
            None => return,
        }
    };
}

#[tokio::test]
async fn send_then_receive() {
    let (_b, url) = mosquitto!();
    broker_cases::send_then_receive(&url).await;
}

#[tokio::test]
async fn headers_travel_as_user_properties() {
    let (_b, url) = mosquitto!();
    broker_cases::headers_round_trip(&url).await;
}

#[tokio::test]
async fn armed_before_send() {
    let (_b, url) = mosquitto!();
    broker_cases::armed_before_send(&url).await;
}

#[tokio::test]
async fn correlation_skips_wrong_messages() {
    let (_b, url) = mosquitto!();
    broker_cases::correlation_skips_wrong(&url).await;
    broker_cases::correlation_by_header(&url).await;
}

#[tokio::test]
async fn timeout_is_typed() {
    let (_b, url) = mosquitto!();
    broker_cases::timeout_is_typed(&url).await;
}

#[tokio::test]
async fn malformed_payload_is_bytes() {
    let (_b, url) = mosquitto!();
    broker_cases::malformed_payload_is_bytes(&url).await;
}

#[tokio::test]
async fn payload_limits() {
    let (_b, url) = mosquitto!();
    broker_cases::payload_limits(&url).await;
}

#[tokio::test]
async fn cancelled_wait_loses_nothing() {
    let (_b, url) = mosquitto!();
    broker_cases::cancelled_wait_loses_nothing(&url).await;
}

/// A native rumqttc v5 client, connected.
async fn raw_client(port: u16) -> (AsyncClient, EventLoop) {
    let mut options = MqttOptions::new(brokers::unique("raw"), "127.0.0.1", port);
    options.set_clean_start(true);
    let (client, mut eventloop) = AsyncClient::new(options, 1024);
    loop {
        match eventloop.poll().await.expect("raw client connects") {
            Event::Incoming(Packet::ConnAck(_)) => return (client, eventloop),
            _ => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_stays_bounded() {
    let (b, url) = mosquitto!();
    let port = b.port;
    broker_cases::flood_stays_bounded(&url, 100_000, |address, count, right| async move {
        let (client, mut eventloop) = raw_client(port).await;
        let driver = tokio::spawn(async move {
            // QoS 0: as fast as the connection goes; ends when the client is dropped.
            while eventloop.poll().await.is_ok() {}
        });
        for i in 0..count {
            client
                .publish(
                    address.clone(),
                    QoS::AtMostOnce,
                    false,
                    format!("noise {i}"),
                )
                .await
                .expect("flood publish");
        }
        client
            .publish(address.clone(), QoS::AtLeastOnce, false, right)
            .await
            .expect("right publish");
        tokio::time::sleep(Duration::from_millis(500)).await;
        drop(client);
        let _ = tokio::time::timeout(Duration::from_secs(5), driver).await;
    })
    .await;
}

/// What mosquitto answers a QoS 1 publish to `topic`: `NoMatchingSubscribers` when nobody
/// subscribes.
async fn puback_reason(port: u16, topic: &str) -> PubAckReason {
    let (client, mut eventloop) = raw_client(port).await;
    client
        .publish(topic, QoS::AtLeastOnce, false, "probe")
        .await
        .expect("probe publish");
    loop {
        match eventloop.poll().await.expect("probe connection") {
            Event::Incoming(Packet::PubAck(ack)) => return ack.reason,
            _ => continue,
        }
    }
}

#[tokio::test]
async fn drop_unsubscribes() {
    let (b, url) = mosquitto!();
    let broker = Broker::connect(&url).await.expect("connect");
    let address = brokers::unique("drop");
    let sub = broker.subscribe(&address).await.expect("subscribe");
    assert_eq!(puback_reason(b.port, &address).await, PubAckReason::Success);
    drop(sub);
    let port = b.port;
    let address2 = address.clone();
    brokers::eventually(Duration::from_secs(5), "mosquitto still has the subscriber", || {
        let address = address2.clone();
        async move { puback_reason(port, &address).await == PubAckReason::NoMatchingSubscribers }
    })
    .await;
}

#[tokio::test]
async fn token_credentials_are_refused_for_mqtt() {
    let (_b, url) = mosquitto!();
    let err = Broker::builder(&url)
        .credentials(Credentials::token("t"))
        .connect()
        .await
        .expect_err("MQTT has no token auth");
    assert!(matches!(err, MessageError::Credentials(_)), "{err:?}");
}

#[tokio::test]
async fn unreachable_broker_is_a_connect_error() {
    let port = brokers::free_port();
    let err = Broker::builder(format!("mqtt://127.0.0.1:{port}"))
        .timeout(Duration::from_secs(2))
        .connect()
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, MessageError::Connect(_)), "{err:?}");
    let _ = Message::default();
}
