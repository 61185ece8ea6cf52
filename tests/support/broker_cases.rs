//! The behaviours every transport must have, run against a real broker by tests/brokers_*.rs:
//! each function takes the broker URL and panics (fails the test) on a deviation.

#![allow(dead_code)]

use std::time::{Duration, Instant};

use arazzo_runtime::message::{Broker, Message, MessageError};

use super::brokers::unique;

const WAIT: Duration = Duration::from_secs(5);

async fn connect(url: &str) -> Broker {
    Broker::connect(url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"))
}

/// A message published after `subscribe` returned arrives, with its payload intact.
pub async fn send_then_receive(url: &str) {
    let broker = connect(url).await;
    let address = unique("send-receive");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    assert_eq!(sub.address(), address);
    broker
        .send(&address, &Message::new(r#"{"petId":7}"#))
        .await
        .expect("send");
    let got = sub.next(WAIT).await.expect("receive");
    assert_eq!(&got.payload[..], br#"{"petId":7}"#);
}

/// Headers and the content type travel with the message (transports that have headers).
pub async fn headers_round_trip(url: &str) {
    let broker = connect(url).await;
    let address = unique("headers");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    let sent = Message::new("{}")
        .with_header("correlationId", "c-42")
        .with_header("x-trace", "t 1")
        .with_content_type("application/json");
    broker.send(&address, &sent).await.expect("send");
    let got = sub.next(WAIT).await.expect("receive");
    assert_eq!(got.header("correlationId"), Some("c-42"));
    assert_eq!(got.header("x-trace"), Some("t 1"));
    assert_eq!(got.content_type.as_deref(), Some("application/json"));
    assert_eq!(&got.payload[..], b"{}");
}

/// The subscription is armed when `subscribe` returns: a message sent right away by another
/// connection and read only later is not missed.
pub async fn armed_before_send(url: &str) {
    let receiver = connect(url).await;
    let sender = connect(url).await;
    let address = unique("armed");
    for round in 0..5 {
        let mut sub = receiver.subscribe(&address).await.expect("subscribe");
        let body = format!("round {round}");
        sender
            .send(&address, &Message::new(body.clone()))
            .await
            .expect("send");
        tokio::time::sleep(Duration::from_millis(100)).await;
        let got = sub
            .next(WAIT)
            .await
            .expect("a message sent after subscribe returned");
        assert_eq!(got.payload, body.as_bytes());
    }
}

/// A predicate (a correlation id) skips the wrong messages and finds the right one.
pub async fn correlation_skips_wrong(url: &str) {
    let broker = connect(url).await;
    let address = unique("correlation");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    for id in ["other-1", "other-2", "wanted", "other-3"] {
        let body = format!(r#"{{"correlationId":"{id}"}}"#);
        broker
            .send(&address, &Message::new(body))
            .await
            .expect("send");
    }
    let wanted = |m: &Message| m.payload.as_ref() == br#"{"correlationId":"wanted"}"#;
    let got = sub
        .next_matching(wanted, WAIT)
        .await
        .expect("the wanted message");
    assert_eq!(&got.payload[..], br#"{"correlationId":"wanted"}"#);
    // The refused messages before it were consumed; the one after it is still there.
    let next = sub
        .next(WAIT)
        .await
        .expect("the message after the wanted one");
    assert_eq!(&next.payload[..], br#"{"correlationId":"other-3"}"#);
}

/// Correlation on a header (transports that have headers).
pub async fn correlation_by_header(url: &str) {
    let broker = connect(url).await;
    let address = unique("correlation-header");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    for id in ["a", "b", "c"] {
        let msg = Message::new(id).with_header("correlationId", id);
        broker.send(&address, &msg).await.expect("send");
    }
    let got = sub
        .next_matching(|m| m.header("correlationId") == Some("c"), WAIT)
        .await
        .expect("message c");
    assert_eq!(&got.payload[..], b"c");
}

/// No matching message: a typed timeout after the timeout, not before.
pub async fn timeout_is_typed(url: &str) {
    let broker = connect(url).await;
    let address = unique("timeout");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    broker
        .send(&address, &Message::new("not it"))
        .await
        .expect("send");
    let started = Instant::now();
    let err = sub
        .next_matching(
            |m| m.payload.as_ref() == b"never",
            Duration::from_millis(300),
        )
        .await
        .expect_err("nothing matches");
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "timed out early"
    );
    assert!(
        matches!(err, MessageError::Timeout(d) if d == Duration::from_millis(300)),
        "{err:?}"
    );
    assert_eq!(err.to_string(), "no matching message within 300ms");
}

/// Payloads are opaque bytes: invalid UTF-8 and broken JSON arrive unchanged.
pub async fn malformed_payload_is_bytes(url: &str) {
    let broker = connect(url).await;
    let address = unique("malformed");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    let payloads: [&[u8]; 3] = [b"\xff\xfe\x00garbage", b"{\"petId\":", b""];
    for payload in payloads {
        let msg = Message::new(payload.to_vec()).with_content_type("application/json");
        broker.send(&address, &msg).await.expect("send");
    }
    for payload in payloads {
        let got = sub.next(WAIT).await.expect("receive");
        assert_eq!(&got.payload[..], payload);
    }
}

/// Sending more than `max_payload` is a typed error; receiving more is dropped and counted.
pub async fn payload_limits(url: &str) {
    let small = Broker::builder(url)
        .max_payload(1024)
        .connect()
        .await
        .expect("connect");
    let big = connect(url).await;
    let address = unique("limits");
    let err = small
        .send(&address, &Message::new(vec![b'x'; 2048]))
        .await
        .expect_err("too large");
    assert!(
        matches!(
            err,
            MessageError::PayloadTooLarge {
                size: 2048,
                max: 1024
            }
        ),
        "{err:?}"
    );
    let mut sub = small.subscribe(&address).await.expect("subscribe");
    big.send(&address, &Message::new(vec![b'x'; 2048]))
        .await
        .expect("send large");
    big.send(&address, &Message::new("small"))
        .await
        .expect("send small");
    let got = sub.next(WAIT).await.expect("the small message");
    assert_eq!(&got.payload[..], b"small");
    assert_eq!(sub.oversized(), 1);
}

/// Dropping a pending `next_matching` loses nothing: the messages sent afterwards (and one
/// buffered before, refused by nothing) are all still received, in order.
pub async fn cancelled_wait_loses_nothing(url: &str) {
    let broker = connect(url).await;
    let address = unique("cancel");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    let pending = tokio::time::timeout(Duration::from_millis(100), sub.next(WAIT)).await;
    assert!(pending.is_err(), "nothing was sent yet");
    for body in ["one", "two"] {
        broker
            .send(&address, &Message::new(body))
            .await
            .expect("send");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    // A wait that is cancelled while messages are buffered takes none of them unless it
    // returns one.
    let got = sub.next(WAIT).await.expect("one");
    assert_eq!(&got.payload[..], b"one");
    let got = sub.next(WAIT).await.expect("two");
    assert_eq!(&got.payload[..], b"two");
}

/// A flood of unrelated messages keeps the buffer at its capacity and the right message,
/// sent last, is still found. `flood` sends `count` unrelated messages to the address and
/// then `right` (through a client of the test's choosing, as fast as the protocol allows).
pub async fn flood_stays_bounded<F, Fut>(url: &str, count: usize, flood: F)
where
    F: FnOnce(String, usize, Vec<u8>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let capacity = 64;
    let broker = Broker::builder(url)
        .capacity(capacity)
        .connect()
        .await
        .expect("connect");
    let address = unique("flood");
    let mut sub = broker.subscribe(&address).await.expect("subscribe");
    assert_eq!(sub.capacity(), capacity);
    flood(address.clone(), count, b"the right one".to_vec()).await;
    let mut seen = 0u64;
    let got = sub
        .next_matching(
            |m| {
                seen += 1;
                m.payload.as_ref() == b"the right one"
            },
            Duration::from_secs(30),
        )
        .await
        .unwrap_or_else(|e| {
            panic!(
                "the right message after the flood: {e}; {seen} messages seen, {} dropped by \
                 the full buffer, {} buffered",
                sub.overflowed(),
                sub.buffered()
            )
        });
    assert_eq!(&got.payload[..], b"the right one");
    assert!(sub.buffered() <= capacity, "{} buffered", sub.buffered());
    assert!(
        sub.overflowed() > 0,
        "a flood of {count} into a buffer of {capacity} must overflow"
    );
}
