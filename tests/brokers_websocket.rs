//! The WebSocket transport against a relay server the test starts on 127.0.0.1: every text or
//! binary frame a client sends on a path goes to the other clients connected to that path.

// tungstenite's handshake callback must return its (large) `ErrorResponse` type.
#![allow(clippy::result_large_err)]

#[path = "support/broker_cases.rs"]
mod broker_cases;
#[path = "support/brokers.rs"]
mod brokers;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arazzo_runtime::message::{Broker, Credentials, Message, MessageError};
use futures_util::{SinkExt as _, StreamExt as _};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as Frame;
use tokio_tungstenite::tungstenite::handshake::server::{Request, Response};

type Peers = Arc<Mutex<HashMap<String, Vec<(u64, mpsc::UnboundedSender<Frame>)>>>>;

/// The relay: its address, the clients per path, and the `Authorization` headers seen.
struct Relay {
    addr: SocketAddr,
    peers: Peers,
    authorizations: Arc<Mutex<Vec<String>>>,
}

impl Relay {
    fn url(&self) -> String {
        format!("ws://{}/events", self.addr)
    }

    fn clients_on(&self, path: &str) -> usize {
        self.peers
            .lock()
            .expect("peers")
            .get(path)
            .map_or(0, Vec::len)
    }
}

async fn relay() -> Relay {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let peers: Peers = Arc::default();
    let authorizations: Arc<Mutex<Vec<String>>> = Arc::default();
    let (peers2, auth2) = (Arc::clone(&peers), Arc::clone(&authorizations));
    tokio::spawn(async move {
        let mut next_id = 0u64;
        while let Ok((tcp, _)) = listener.accept().await {
            next_id += 1;
            let id = next_id;
            let (peers, authorizations) = (Arc::clone(&peers2), Arc::clone(&auth2));
            tokio::spawn(async move {
                let (tx, mut rx) = mpsc::unbounded_channel::<Frame>();
                let path = Arc::new(Mutex::new(String::new()));
                let (path2, peers2, tx2) = (Arc::clone(&path), Arc::clone(&peers), tx.clone());
                // Registered before the handshake answer goes out: a client whose
                // handshake completed is already relayed to.
                let callback = move |req: &Request, resp: Response| {
                    let p = req.uri().path().to_owned();
                    if let Some(v) = req.headers().get("authorization") {
                        authorizations
                            .lock()
                            .expect("auth")
                            .push(v.to_str().unwrap_or("").to_owned());
                    }
                    peers2
                        .lock()
                        .expect("peers")
                        .entry(p.clone())
                        .or_default()
                        .push((id, tx2));
                    *path2.lock().expect("path") = p;
                    Ok(resp)
                };
                let Ok(ws) = tokio_tungstenite::accept_hdr_async(tcp, callback).await else {
                    return;
                };
                let path = path.lock().expect("path").clone();
                let (mut sink, mut stream) = ws.split();
                let writer = tokio::spawn(async move {
                    while let Some(frame) = rx.recv().await {
                        if sink.send(frame).await.is_err() {
                            break;
                        }
                    }
                });
                while let Some(Ok(frame)) = stream.next().await {
                    if !(frame.is_text() || frame.is_binary()) {
                        continue;
                    }
                    let targets: Vec<_> = peers
                        .lock()
                        .expect("peers")
                        .get(&path)
                        .into_iter()
                        .flatten()
                        .filter(|(other, _)| *other != id)
                        .map(|(_, tx)| tx.clone())
                        .collect();
                    for target in targets {
                        let _ = target.send(frame.clone());
                    }
                }
                if let Some(list) = peers.lock().expect("peers").get_mut(&path) {
                    list.retain(|(other, _)| *other != id);
                }
                drop(tx);
                writer.abort();
            });
        }
    });
    Relay {
        addr,
        peers,
        authorizations,
    }
}

#[tokio::test]
async fn send_then_receive() {
    let relay = relay().await;
    broker_cases::send_then_receive(&relay.url()).await;
}

#[tokio::test]
async fn headers_are_a_typed_error() {
    let relay = relay().await;
    let broker = Broker::connect(relay.url()).await.expect("connect");
    let err = broker
        .send(
            "orders",
            &Message::new("{}").with_header("correlationId", "c-1"),
        )
        .await
        .expect_err("WebSocket has no headers");
    assert!(
        matches!(
            err,
            MessageError::HeadersUnsupported {
                protocol: "WebSocket",
                count: 1
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "WebSocket messages carry no headers; this message has 1"
    );
}

#[tokio::test]
async fn armed_before_send() {
    let relay = relay().await;
    broker_cases::armed_before_send(&relay.url()).await;
}

#[tokio::test]
async fn correlation_skips_wrong_messages() {
    let relay = relay().await;
    broker_cases::correlation_skips_wrong(&relay.url()).await;
}

#[tokio::test]
async fn timeout_is_typed() {
    let relay = relay().await;
    broker_cases::timeout_is_typed(&relay.url()).await;
}

#[tokio::test]
async fn malformed_payload_is_bytes() {
    let relay = relay().await;
    broker_cases::malformed_payload_is_bytes(&relay.url()).await;
}

#[tokio::test]
async fn payload_limits() {
    let relay = relay().await;
    broker_cases::payload_limits(&relay.url()).await;
}

#[tokio::test]
async fn cancelled_wait_loses_nothing() {
    let relay = relay().await;
    broker_cases::cancelled_wait_loses_nothing(&relay.url()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_stays_bounded() {
    let relay = relay().await;
    let base = relay.url();
    broker_cases::flood_stays_bounded(&relay.url(), 100_000, |address, count, right| async move {
        let url = format!("{base}/{address}");
        let (mut ws, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("raw client");
        for i in 0..count {
            ws.feed(Frame::text(format!("noise {i}")))
                .await
                .expect("flood");
        }
        ws.send(Frame::binary(right)).await.expect("right");
        // Keep the connection until the relay forwarded everything.
        tokio::time::sleep(Duration::from_millis(500)).await;
    })
    .await;
}

#[tokio::test]
async fn drop_unsubscribes() {
    let relay = relay().await;
    let broker = Broker::connect(relay.url()).await.expect("connect");
    let address = brokers::unique("drop");
    let path = format!("/events/{address}");
    let sub = broker.subscribe(&address).await.expect("subscribe");
    assert_eq!(relay.clients_on(&path), 1);
    drop(sub);
    brokers::eventually(
        Duration::from_secs(5),
        "the relay still has the client",
        || {
            let n = relay.clients_on(&path);
            async move { n == 0 }
        },
    )
    .await;
}

#[tokio::test]
async fn credentials_go_on_the_handshake() {
    let relay = relay().await;
    let basic = Broker::builder(relay.url())
        .credentials(Credentials::user_password("ann", "pw"))
        .connect()
        .await
        .expect("connect");
    let _sub = basic.subscribe("a").await.expect("subscribe");
    let bearer = Broker::builder(relay.url())
        .credentials(Credentials::token("tok"))
        .connect()
        .await
        .expect("connect");
    let _sub2 = bearer.subscribe("b").await.expect("subscribe");
    let seen = relay.authorizations.lock().expect("auth").clone();
    assert_eq!(seen, ["Basic YW5uOnB3", "Bearer tok"]);
}
