//! A scripted HTTP server on 127.0.0.1 for conformance tests: it answers requests with the
//! replies it was given, in order (repeating the last one), and records every request with its
//! arrival time; and a raw TCP server for misbehaviour HTTP servers do not produce (a
//! connection closed mid-response).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use tokio::io::AsyncReadExt as _;

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Option<std::time::Duration>,
}

impl Reply {
    /// A JSON answer with this status.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Reply {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.to_string(),
            delay: None,
        }
    }

    /// An empty answer with this status.
    pub fn status(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: None,
        }
    }

    /// A body sent as is (for example invalid JSON), with this status and content type.
    pub fn raw(status: u16, content_type: &str, body: &str) -> Self {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: body.to_owned(),
            delay: None,
        }
    }

    /// Answers only after `delay`.
    pub fn after(mut self, delay: std::time::Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

/// A request the server received.
#[derive(Clone, Debug)]
pub struct Seen {
    /// Method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Raw query string.
    pub query: Option<String>,
    /// When it arrived.
    pub at: Instant,
    /// `content-type`, if sent.
    pub content_type: Option<String>,
    /// All headers, lower-case names.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
    /// The body as it arrived.
    pub bytes: Vec<u8>,
}

#[derive(Default)]
struct Script {
    replies: Vec<Reply>,
    next: usize,
    seen: Vec<Seen>,
}

/// A running scripted server.
pub struct Scripted {
    /// Its base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    script: Arc<Mutex<Script>>,
}

impl Scripted {
    /// The requests received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.script
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .seen
            .clone()
    }

    /// The paths requested so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.seen().into_iter().map(|s| s.path).collect()
    }
}

async fn answer(State(script): State<Arc<Mutex<Script>>>, request: Request) -> Response {
    let at = Instant::now();
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let reply = {
        let mut script = script.lock().unwrap_or_else(|e| e.into_inner());
        script.seen.push(Seen {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            at,
            content_type: parts
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: String::from_utf8_lossy(&body).into_owned(),
            bytes: body.to_vec(),
            headers: parts
                .headers
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().to_owned(),
                        v.to_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect(),
        });
        let index = script.next.min(script.replies.len().saturating_sub(1));
        script.next += 1;
        script
            .replies
            .get(index)
            .cloned()
            .unwrap_or_else(|| Reply::status(500))
    };
    if let Some(delay) = reply.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response
                .headers_mut()
                .insert(HeaderName::from_static(name), value);
        }
    }
    response
}

/// Starts a server that answers with `replies` in order.
pub async fn start(replies: Vec<Reply>) -> Scripted {
    let script = Arc::new(Mutex::new(Script {
        replies,
        ..Script::default()
    }));
    let app = axum::Router::new()
        .fallback(answer)
        .with_state(script.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Scripted {
        url: format!("http://{addr}"),
        script,
    }
}

/// A TCP server on 127.0.0.1 that reads one request head per connection and answers with
/// whatever `respond` writes; returns its base URL.
pub async fn raw_server<F, Fut>(respond: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let respond = Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let respond = respond.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    match stream.read(&mut byte).await {
                        Ok(1) => head.push(byte[0]),
                        _ => return,
                    }
                }
                respond(stream).await;
            });
        }
    });
    url
}
