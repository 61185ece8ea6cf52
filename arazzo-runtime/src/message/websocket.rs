//! WebSocket transport (tokio-tungstenite client).
//!
//! - An address is a path under the broker URL: `ws://host:port/base` and address `pet/order`
//!   connect to `ws://host:port/base/pet/order`. What the server does with a frame (relay it to
//!   the other clients of the path, answer it) is the server's business.
//! - WebSocket frames carry no headers: sending a message with headers is
//!   [`MessageError::HeadersUnsupported`] (nothing is wrapped into the payload), and received
//!   messages have none. A message is sent as a text frame when its content type is `text/*`,
//!   `application/json` or `*+json` and its payload is UTF-8, else as a binary frame; received
//!   text and binary frames both become the payload bytes, with no content type.
//! - `send` uses one connection per address, opened on first use and kept; it completes when
//!   the frame has been written.
//! - `subscribe` opens its own connection and returns once the opening handshake completed
//!   (armed as far as the client can tell: the server has accepted the connection). Dropping
//!   the [`Subscription`] sends a close frame and ends the connection.
//! - Credentials go on the handshake: `Authorization: Basic` for a user and password,
//!   `Authorization: Bearer` for a token.

use std::collections::HashMap;
use std::sync::Arc;

use base64::Engine as _;
use futures_util::stream::SplitSink;
use futures_util::{SinkExt as _, StreamExt as _};
use reqwest::Url;
use tokio::net::TcpStream;
use tokio::sync::{Mutex, oneshot};
use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::http::header::AUTHORIZATION;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{Message as Frame, Utf8Bytes};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::broker::Settings;
use super::inbox::Inbox;
use super::{Credentials, Message, MessageError, Subscription};

type Stream = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Frames larger than this end the connection (tungstenite's limit); below it, payloads over
/// `max_payload` are dropped by the subscription's buffer.
const FRAME_LIMIT_FACTOR: usize = 4;

pub(crate) struct WebSocket {
    settings: Settings,
    authorization: Option<HeaderValue>,
    senders: Mutex<HashMap<String, Sender>>,
}

/// The sending half of a connection, and the task reading (and discarding) its other half,
/// which ends with it.
struct Sender {
    sink: SplitSink<Stream, Frame>,
    reader: tokio::task::AbortHandle,
}

impl Drop for Sender {
    fn drop(&mut self) {
        self.reader.abort();
    }
}

impl WebSocket {
    pub(crate) async fn connect(settings: Settings) -> Result<WebSocket, MessageError> {
        settings.host_port(80)?;
        let authorization = match settings.credentials() {
            None => None,
            Some(Credentials::UserPassword { user, password }) => {
                let pair = format!("{user}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                Some(header_value(&format!("Basic {encoded}"))?)
            }
            Some(Credentials::Token(token)) => {
                Some(header_value(&format!("Bearer {}", token.expose()))?)
            }
        };
        // No connection yet: the URL names a server, and each address is its own connection.
        Ok(WebSocket {
            settings,
            authorization,
            senders: Mutex::new(HashMap::new()),
        })
    }

    /// Opens a connection to `address` under the broker URL.
    async fn open(
        &self,
        address: &str,
    ) -> Result<Stream, Box<dyn std::error::Error + Send + Sync>> {
        let url = url_for(&self.settings.url, address);
        let mut request = url.as_str().into_client_request()?;
        if let Some(value) = &self.authorization {
            request.headers_mut().insert(AUTHORIZATION, value.clone());
        }
        let limit = self
            .settings
            .max_payload
            .saturating_mul(FRAME_LIMIT_FACTOR)
            .max(64 * 1024);
        let config = WebSocketConfig::default()
            .max_message_size(Some(limit))
            .max_frame_size(Some(limit));
        let connecting = tokio_tungstenite::connect_async_with_config(request, Some(config), true);
        match tokio::time::timeout(self.settings.timeout, connecting).await {
            Ok(Ok((stream, _response))) => Ok(stream),
            Ok(Err(e)) => Err(e.into()),
            Err(_) => Err(format!("no handshake within {:?}", self.settings.timeout).into()),
        }
    }

    pub(crate) async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        if !message.headers.is_empty() {
            return Err(MessageError::HeadersUnsupported {
                protocol: "WebSocket",
                count: message.headers.len(),
            });
        }
        let send_error = |source: Box<dyn std::error::Error + Send + Sync>| MessageError::Send {
            address: address.to_owned(),
            source,
        };
        let mut senders = self.senders.lock().await;
        let mut sender = match senders.remove(address) {
            Some(sender) => sender,
            None => {
                let (sink, mut incoming) = self.open(address).await.map_err(send_error)?.split();
                // Read (and discard) what the server sends on the sending connection, so
                // control frames are answered and the connection's buffers stay empty.
                let reader =
                    tokio::spawn(async move { while let Some(Ok(_)) = incoming.next().await {} });
                Sender {
                    sink,
                    reader: reader.abort_handle(),
                }
            }
        };
        let frame = to_frame(message);
        match tokio::time::timeout(self.settings.timeout, sender.sink.send(frame)).await {
            Ok(Ok(())) => {
                senders.insert(address.to_owned(), sender);
                Ok(())
            }
            Ok(Err(e)) => Err(send_error(e.into())),
            Err(_) => Err(send_error(
                format!("not written within {:?}", self.settings.timeout).into(),
            )),
        }
    }

    pub(crate) async fn subscribe(
        &self,
        address: &str,
        settings: &Settings,
    ) -> Result<Subscription, MessageError> {
        let mut stream = self
            .open(address)
            .await
            .map_err(|source| MessageError::Subscribe {
                address: address.to_owned(),
                source,
            })?;
        let inbox = Arc::new(Inbox::new(settings.capacity, settings.max_payload));
        let (stop, mut stopped) = oneshot::channel::<()>();
        let sink = Arc::clone(&inbox);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => {
                        let _ = tokio::time::timeout(
                            std::time::Duration::from_secs(1),
                            stream.close(None),
                        )
                        .await;
                        return;
                    }
                    next = stream.next() => match next {
                        Some(Ok(Frame::Text(text))) => sink.push(Message::new(bytes::Bytes::from(text))),
                        Some(Ok(Frame::Binary(data))) => sink.push(Message::new(data)),
                        Some(Ok(Frame::Close(_))) | None => {
                            sink.close("the WebSocket server closed the connection".to_owned());
                            return;
                        }
                        Some(Ok(_)) => {}
                        Some(Err(e)) => {
                            sink.close(format!("WebSocket connection failed: {e}"));
                            return;
                        }
                    }
                }
            }
        });
        Ok(Subscription::new(address.to_owned(), inbox, stop))
    }
}

fn header_value(text: &str) -> Result<HeaderValue, MessageError> {
    HeaderValue::from_str(text)
        .map_err(|_| MessageError::Credentials("not valid in an HTTP header".to_owned()))
}

/// `base` with `address` appended as path segments.
fn url_for(base: &Url, address: &str) -> Url {
    let mut url = base.clone();
    let path = format!(
        "{}/{}",
        base.path().trim_end_matches('/'),
        address.trim_start_matches('/')
    );
    url.set_path(&path);
    url
}

/// A text frame for textual content types with a UTF-8 payload, else a binary frame.
fn to_frame(message: &Message) -> Frame {
    let textual = message.content_type.as_deref().is_some_and(|c| {
        let c = c.split(';').next().unwrap_or(c).trim().to_ascii_lowercase();
        c.starts_with("text/") || c == "application/json" || c.ends_with("+json")
    });
    if textual && let Ok(text) = Utf8Bytes::try_from(message.payload.clone()) {
        return Frame::Text(text);
    }
    Frame::Binary(message.payload.clone())
}
