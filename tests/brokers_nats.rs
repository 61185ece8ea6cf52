//! The NATS transport on a real nats-server started by each test on a free port.

#[path = "support/broker_cases.rs"]
mod broker_cases;
#[path = "support/brokers.rs"]
mod brokers;

use std::time::Duration;

use arazzo_runtime::message::{Broker, Credentials, Message, MessageError};

/// Starts nats-server and returns its guard and URL, or skips (printed) if it is not installed.
macro_rules! nats {
    () => {
        match brokers::nats_server(None) {
            Some(b) => {
                let url = format!("nats://127.0.0.1:{}", b.port);
                (b, url)
            }
            None => return,
        }
    };
}

#[tokio::test]
async fn send_then_receive() {
    let (_b, url) = nats!();
    broker_cases::send_then_receive(&url).await;
}

#[tokio::test]
async fn headers_travel_as_nats_headers() {
    let (_b, url) = nats!();
    broker_cases::headers_round_trip(&url).await;
}

#[tokio::test]
async fn armed_before_send() {
    let (_b, url) = nats!();
    broker_cases::armed_before_send(&url).await;
}

#[tokio::test]
async fn correlation_skips_wrong_messages() {
    let (_b, url) = nats!();
    broker_cases::correlation_skips_wrong(&url).await;
    broker_cases::correlation_by_header(&url).await;
}

#[tokio::test]
async fn timeout_is_typed() {
    let (_b, url) = nats!();
    broker_cases::timeout_is_typed(&url).await;
}

#[tokio::test]
async fn malformed_payload_is_bytes() {
    let (_b, url) = nats!();
    broker_cases::malformed_payload_is_bytes(&url).await;
}

#[tokio::test]
async fn payload_limits() {
    let (_b, url) = nats!();
    broker_cases::payload_limits(&url).await;
}

#[tokio::test]
async fn cancelled_wait_loses_nothing() {
    let (_b, url) = nats!();
    broker_cases::cancelled_wait_loses_nothing(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_stays_bounded() {
    let (_b, url) = nats!();
    let raw_url = url.clone();
    broker_cases::flood_stays_bounded(&url, 100_000, |address, count, right| async move {
        let client = async_nats::connect(raw_url).await.expect("raw client");
        // NATS core is at-most-once: a consumer starved for longer than its channel lasts loses
        // messages (docs/events.md). Flood in bursts of 2,000 a loaded test machine keeps up
        // with; the 64-message buffer still overflows by far.
        for i in 0..count {
            client
                .publish(address.clone(), format!("noise {i}").into())
                .await
                .expect("flood publish");
            if i % 2_000 == 1_999 {
                client.flush().await.expect("flush");
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        client
            .publish(address, right.into())
            .await
            .expect("right publish");
        client.flush().await.expect("flush");
    })
    .await;
}

/// The subjects nats-server's monitoring endpoint lists as subscribed.
async fn server_subscriptions(monitor_port: u16) -> String {
    let url = format!("http://127.0.0.1:{monitor_port}/subsz?subs=1");
    arazzo_runtime::reqwest::get(url)
        .await
        .expect("monitoring endpoint")
        .text()
        .await
        .expect("monitoring body")
}

#[tokio::test]
async fn drop_unsubscribes() {
    let (b, url) = nats!();
    let monitor = b.monitor_port.expect("monitoring port");
    let broker = Broker::connect(&url).await.expect("connect");
    let address = brokers::unique("drop");
    let sub = broker.subscribe(&address).await.expect("subscribe");
    let listed = server_subscriptions(monitor).await;
    assert!(
        listed.contains(&address),
        "the server lists the subscription: {listed}"
    );
    drop(sub);
    brokers::eventually(
        Duration::from_secs(5),
        "nats-server still lists the subscription",
        || {
            let address = address.clone();
            async move { !server_subscriptions(monitor).await.contains(&address) }
        },
    )
    .await;
}

#[tokio::test]
async fn token_credentials() {
    let Some(b) = brokers::nats_server(Some("s3cret-token")) else {
        return;
    };
    let url = format!("nats://127.0.0.1:{}", b.port);
    let err = Broker::builder(&url)
        .credentials(Credentials::token("wrong"))
        .timeout(Duration::from_secs(3))
        .connect()
        .await
        .expect_err("a wrong token is refused");
    assert!(matches!(err, MessageError::Connect(_)), "{err:?}");
    let broker = Broker::builder(&url)
        .credentials(Credentials::token("s3cret-token"))
        .connect()
        .await
        .expect("the right token connects");
    let address = brokers::unique("auth");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    broker
        .send(&address, &Message::new("hi"))
        .await
        .expect("send");
    assert_eq!(
        &sub.next(Duration::from_secs(5))
            .await
            .expect("receive")
            .payload[..],
        b"hi"
    );
}
