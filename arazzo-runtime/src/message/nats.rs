//! NATS transport (async-nats).
//!
//! - Headers travel as NATS headers (their order is not kept: a header map); the content type
//!   travels as the `Content-Type` header and is read back from it.
//! - `send` publishes and flushes the connection: the message has been written to the server.
//! - `subscribe` sends SUB and then makes a round trip on the same connection (a probe message
//!   to a private inbox), so the server has processed the SUB when it returns: it is armed.
//!   Dropping the [`Subscription`] sends UNSUB.
//! - async-nats buffers at most `max(capacity, 65,536)` messages per subscription before the
//!   reader task moves them to the [`Subscription`]'s buffer (beyond that it drops the newest,
//!   as a slow consumer); the server refuses payloads over its own `max_payload` (1 MiB by
//!   default).

use std::sync::Arc;

use async_nats::header::HeaderName;
use async_nats::{Client, ConnectOptions, HeaderMap};
use futures_util::StreamExt as _;
use tokio::sync::oneshot;

use super::broker::Settings;
use super::inbox::Inbox;
use super::{Credentials, Message, MessageError, Subscription};

/// async-nats drops the *newest* messages when its per-subscription channel is full; a channel
/// much larger than the subscription's buffer lets a briefly delayed reader task catch up, so a
/// flood leaves the newest messages (the reply) rather than losing them.
const NATS_CHANNEL_MIN: usize = 64 * 1024;

/// The header that carries [`Message::content_type`].
const CONTENT_TYPE: &str = "Content-Type";

pub(crate) struct Nats {
    client: Client,
}

impl Nats {
    pub(crate) async fn connect(settings: Settings) -> Result<Nats, MessageError> {
        let (host, port) = settings.host_port(4222)?;
        let mut options = ConnectOptions::new()
            .connection_timeout(settings.timeout)
            .subscription_capacity(settings.capacity.max(NATS_CHANNEL_MIN));
        match settings.credentials() {
            None => {}
            Some(Credentials::UserPassword { user, password }) => {
                options = options.user_and_password(user, password.expose().to_owned());
            }
            Some(Credentials::Token(token)) => options = options.token(token.expose().to_owned()),
        }
        let connecting = options.connect(format!("nats://{host}:{port}"));
        let client = match tokio::time::timeout(settings.timeout, connecting).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(MessageError::Connect(MessageError::boxed(e))),
            Err(_) => {
                return Err(MessageError::Connect(MessageError::boxed(format!(
                    "no answer within {:?}",
                    settings.timeout
                ))));
            }
        };
        Ok(Nats { client })
    }

    pub(crate) async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        let mut headers = HeaderMap::new();
        let all = message
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .chain(message.content_type.as_deref().map(|c| (CONTENT_TYPE, c)));
        for (name, value) in all {
            let key = HeaderName::try_from(name).map_err(|e| MessageError::InvalidHeader {
                name: name.to_owned(),
                reason: e.to_string(),
            })?;
            if value.contains(['\r', '\n']) {
                return Err(MessageError::InvalidHeader {
                    name: name.to_owned(),
                    reason: "a NATS header value cannot contain a line break".to_owned(),
                });
            }
            headers.append(key, value);
        }
        let send_error = |source: Box<dyn std::error::Error + Send + Sync>| MessageError::Send {
            address: address.to_owned(),
            source,
        };
        let publish = async {
            self.client
                .publish_with_headers(address.to_owned(), headers, message.payload.clone())
                .await
                .map_err(MessageError::boxed)?;
            self.client.flush().await.map_err(MessageError::boxed)
        };
        match tokio::time::timeout(DEFAULT_SEND_TIMEOUT.min(self.timeout()), publish).await {
            Ok(result) => result.map_err(send_error),
            Err(_) => Err(send_error(MessageError::boxed("not flushed in time"))),
        }
    }

    fn timeout(&self) -> std::time::Duration {
        self.client.timeout().unwrap_or(DEFAULT_SEND_TIMEOUT)
    }

    pub(crate) async fn subscribe(
        &self,
        address: &str,
        settings: &Settings,
    ) -> Result<Subscription, MessageError> {
        let sub_error =
            |source: Box<dyn std::error::Error + Send + Sync>| MessageError::Subscribe {
                address: address.to_owned(),
                source,
            };
        let armed = tokio::time::timeout(settings.timeout, async {
            let subscriber = self
                .client
                .subscribe(address.to_owned())
                .await
                .map_err(MessageError::boxed)?;
            // The server handles one connection's commands in order: once a message published
            // after the SUB comes back, the SUB is in effect.
            let probe = self.client.new_inbox();
            let mut echo = self
                .client
                .subscribe(probe.clone())
                .await
                .map_err(MessageError::boxed)?;
            self.client
                .publish(probe, bytes::Bytes::new())
                .await
                .map_err(MessageError::boxed)?;
            echo.next()
                .await
                .ok_or_else(|| MessageError::boxed("the connection closed"))?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(subscriber)
        })
        .await;
        let mut subscriber = match armed {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => return Err(sub_error(e)),
            Err(_) => {
                return Err(sub_error(MessageError::boxed(format!(
                    "not confirmed within {:?}",
                    settings.timeout
                ))));
            }
        };
        let inbox = Arc::new(Inbox::new(settings.capacity, settings.max_payload));
        let (stop, mut stopped) = oneshot::channel::<()>();
        let sink = Arc::clone(&inbox);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => {
                        let _ = subscriber.unsubscribe().await;
                        return;
                    }
                    next = subscriber.next() => match next {
                        Some(msg) => sink.push(from_nats(msg)),
                        None => {
                            sink.close("the NATS connection closed".to_owned());
                            return;
                        }
                    }
                }
            }
        });
        Ok(Subscription::new(address.to_owned(), inbox, stop))
    }
}

/// Bounds `send` when the client has no request timeout of its own.
const DEFAULT_SEND_TIMEOUT: std::time::Duration = super::DEFAULT_TIMEOUT;

fn from_nats(msg: async_nats::Message) -> Message {
    let mut headers = Vec::new();
    let mut content_type = None;
    for (name, values) in msg.headers.iter().flat_map(|h| h.iter()) {
        for value in values {
            if AsRef::<str>::as_ref(name).eq_ignore_ascii_case(CONTENT_TYPE)
                && content_type.is_none()
            {
                content_type = Some(value.as_str().to_owned());
            } else {
                headers.push((name.to_string(), value.as_str().to_owned()));
            }
        }
    }
    Message {
        headers,
        payload: msg.payload,
        content_type,
    }
}
