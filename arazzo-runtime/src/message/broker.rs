//! A connection to one message broker, chosen by the URL's scheme.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use super::{Message, MessageError, Subscription};
use crate::Secret;

/// Default [`BrokerBuilder::capacity`]: messages buffered per subscription.
pub const DEFAULT_CAPACITY: usize = 1024;
/// Default [`BrokerBuilder::max_payload`]: 1 MiB.
pub const DEFAULT_MAX_PAYLOAD: usize = 1024 * 1024;
/// Default [`BrokerBuilder::timeout`] for connecting, subscribing and sending.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Credentials for a broker (from the AsyncAPI server's security scheme).
///
/// Credentials in the URL (`mqtt://user:pass@host`) are used when none are given here.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// A user name and password (MQTT, NATS, AMQP; HTTP Basic on the WebSocket handshake).
    UserPassword {
        /// The user name.
        user: String,
        /// The password.
        password: Secret,
    },
    /// A token (NATS `auth_token`; `Authorization: Bearer` on the WebSocket handshake).
    Token(Secret),
}

impl Credentials {
    /// User and password credentials.
    pub fn user_password(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials::UserPassword {
            user: user.into(),
            password: password.into(),
        }
    }

    /// Token credentials.
    pub fn token(token: impl Into<Secret>) -> Self {
        Credentials::Token(token.into())
    }
}

/// What every transport is given when it connects.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) url: Url,
    pub(crate) credentials: Option<Credentials>,
    pub(crate) capacity: usize,
    pub(crate) max_payload: usize,
    pub(crate) timeout: Duration,
}

impl Settings {
    /// The credentials given to the builder, else those in the URL.
    pub(crate) fn credentials(&self) -> Option<Credentials> {
        if self.credentials.is_some() {
            return self.credentials.clone();
        }
        let user = self.url.username();
        if user.is_empty() {
            return None;
        }
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        Some(Credentials::user_password(
            decode(user),
            decode(self.url.password().unwrap_or("")),
        ))
    }

    /// The URL's host and port (with the protocol's default port).
    #[cfg_attr(
        not(any(feature = "mqtt", feature = "nats", feature = "websocket")),
        allow(dead_code)
    )]
    pub(crate) fn host_port(&self, default_port: u16) -> Result<(String, u16), MessageError> {
        let host = self
            .url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| MessageError::InvalidUrl("the URL has no host".to_owned()))?;
        Ok((host.to_owned(), self.url.port().unwrap_or(default_port)))
    }
}

/// Configures and connects a [`Broker`].
///
/// ```no_run
/// # async fn demo() -> Result<(), arazzo_runtime::message::MessageError> {
/// use std::time::Duration;
/// use arazzo_runtime::message::{Broker, Credentials};
///
/// let broker = Broker::builder("nats://127.0.0.1:4222")
///     .credentials(Credentials::token("s3cret"))
///     .capacity(256)
///     .max_payload(64 * 1024)
///     .timeout(Duration::from_secs(5))
///     .connect()
///     .await?;
/// # let _ = broker; Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct BrokerBuilder {
    url: String,
    credentials: Option<Credentials>,
    capacity: usize,
    max_payload: usize,
    timeout: Duration,
}

impl BrokerBuilder {
    /// Credentials for the broker (override any in the URL).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Messages buffered per [`Subscription`] before the oldest is dropped
    /// (default [`DEFAULT_CAPACITY`]; at least 1).
    pub fn capacity(mut self, messages: usize) -> Self {
        self.capacity = messages.max(1);
        self
    }

    /// The largest payload sent or kept, in bytes (default [`DEFAULT_MAX_PAYLOAD`]). Sending a
    /// larger one is [`MessageError::PayloadTooLarge`]; a larger one received is dropped and
    /// counted in [`Subscription::oversized`].
    pub fn max_payload(mut self, bytes: usize) -> Self {
        self.max_payload = bytes;
        self
    }

    /// How long connecting, confirming a subscription and handing a message to the broker may
    /// take (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connects to the broker (and authenticates), so a wrong URL or credential fails here.
    pub async fn connect(self) -> Result<Broker, MessageError> {
        let url = Url::parse(&self.url).map_err(|e| MessageError::InvalidUrl(e.to_string()))?;
        let settings = Settings {
            url,
            credentials: self.credentials,
            capacity: self.capacity,
            max_payload: self.max_payload,
            timeout: self.timeout,
        };
        let transport = Transport::connect(settings.clone()).await?;
        Ok(Broker {
            inner: Arc::new(Inner {
                transport,
                settings,
            }),
        })
    }
}

/// A connection to a message broker, for send and receive steps.
///
/// The URL's scheme selects the transport, each behind a cargo feature of `arazzo`:
///
/// | scheme | feature | protocol | address is |
/// |---|---|---|---|
/// | `mqtt` | `mqtt` | MQTT 5 (rumqttc) | a topic (filters with `+`/`#` when subscribing) |
/// | `nats` | `nats` | NATS (async-nats) | a subject (wildcards `*`/`>` when subscribing) |
/// | `amqp` | `amqp` | AMQP 0-9-1 (lapin) | a routing key on the `amq.topic` exchange |
/// | `ws` | `websocket` | WebSocket (tokio-tungstenite) | a path under the URL |
/// | `kafka` | `kafka` | Kafka (rskafka) | a topic |
///
/// Cheap to clone (clones share the connection). Needs a Tokio runtime.
#[derive(Clone)]
pub struct Broker {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    settings: Settings,
}

impl fmt::Debug for Broker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut url = self.inner.settings.url.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        f.debug_struct("Broker")
            .field("url", &url.as_str())
            .finish_non_exhaustive()
    }
}

impl Broker {
    /// A builder for a broker at `url` (for example `mqtt://127.0.0.1:1883`).
    pub fn builder(url: impl Into<String>) -> BrokerBuilder {
        BrokerBuilder {
            url: url.into(),
            credentials: None,
            capacity: DEFAULT_CAPACITY,
            max_payload: DEFAULT_MAX_PAYLOAD,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// Connects to `url` with the default settings.
    pub async fn connect(url: impl Into<String>) -> Result<Broker, MessageError> {
        Broker::builder(url).connect().await
    }

    /// Sends `message` to `address`; completes when the broker has it (MQTT PUBACK at QoS 1,
    /// AMQP publisher confirm, NATS and WebSocket: written to the connection), as the
    /// specification's send step completes "immediately after the message is sent".
    pub async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        check_address(address)?;
        let max = self.inner.settings.max_payload;
        if message.payload.len() > max {
            return Err(MessageError::PayloadTooLarge {
                size: message.payload.len(),
                max,
            });
        }
        self.inner.transport.send(address, message).await
    }

    /// Subscribes to `address`; returns once the broker confirmed it (the subscription is
    /// armed: no message published after this returns is missed).
    pub async fn subscribe(&self, address: &str) -> Result<Subscription, MessageError> {
        check_address(address)?;
        self.inner
            .transport
            .subscribe(address, &self.inner.settings)
            .await
    }
}

fn check_address(address: &str) -> Result<(), MessageError> {
    if address.is_empty() {
        return Err(MessageError::InvalidAddress {
            address: String::new(),
            reason: "an address cannot be empty".to_owned(),
        });
    }
    Ok(())
}

/// The compiled-in transports.
enum Transport {
    #[cfg(feature = "mqtt")]
    Mqtt(super::mqtt::Mqtt),
    #[cfg(feature = "nats")]
    Nats(super::nats::Nats),
    #[cfg(feature = "amqp")]
    Amqp(super::amqp::Amqp),
    #[cfg(feature = "websocket")]
    WebSocket(super::websocket::WebSocket),
    #[cfg(feature = "kafka")]
    Kafka(super::kafka::Kafka),
}

impl Transport {
    #[allow(unused_variables)]
    async fn connect(settings: Settings) -> Result<Transport, MessageError> {
        let scheme = settings.url.scheme().to_owned();
        let disabled = |feature| MessageError::FeatureDisabled {
            scheme: scheme.clone(),
            feature,
        };
        match scheme.as_str() {
            #[cfg(feature = "mqtt")]
            "mqtt" => Ok(Transport::Mqtt(super::mqtt::Mqtt::connect(settings).await?)),
            #[cfg(feature = "nats")]
            "nats" => Ok(Transport::Nats(super::nats::Nats::connect(settings).await?)),
            #[cfg(feature = "amqp")]
            "amqp" => Ok(Transport::Amqp(super::amqp::Amqp::connect(settings).await?)),
            #[cfg(feature = "websocket")]
            "ws" => Ok(Transport::WebSocket(
                super::websocket::WebSocket::connect(settings).await?,
            )),
            #[cfg(feature = "kafka")]
            "kafka" => Ok(Transport::Kafka(
                super::kafka::Kafka::connect(settings).await?,
            )),
            #[cfg(not(feature = "kafka"))]
            "kafka" => Err(disabled("kafka")),
            #[cfg(not(feature = "mqtt"))]
            "mqtt" => Err(disabled("mqtt")),
            #[cfg(not(feature = "nats"))]
            "nats" => Err(disabled("nats")),
            #[cfg(not(feature = "amqp"))]
            "amqp" => Err(disabled("amqp")),
            #[cfg(not(feature = "websocket"))]
            "ws" => Err(disabled("websocket")),
            _ => Err(MessageError::UnknownScheme(scheme.clone())),
        }
    }

    #[allow(unused_variables)]
    async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        match *self {
            #[cfg(feature = "mqtt")]
            Transport::Mqtt(ref t) => t.send(address, message).await,
            #[cfg(feature = "nats")]
            Transport::Nats(ref t) => t.send(address, message).await,
            #[cfg(feature = "amqp")]
            Transport::Amqp(ref t) => t.send(address, message).await,
            #[cfg(feature = "websocket")]
            Transport::WebSocket(ref t) => t.send(address, message).await,
            #[cfg(feature = "kafka")]
            Transport::Kafka(ref t) => t.send(address, message).await,
        }
    }

    #[allow(unused_variables)]
    async fn subscribe(
        &self,
        address: &str,
        settings: &Settings,
    ) -> Result<Subscription, MessageError> {
        match *self {
            #[cfg(feature = "mqtt")]
            Transport::Mqtt(ref t) => t.subscribe(address, settings).await,
            #[cfg(feature = "nats")]
            Transport::Nats(ref t) => t.subscribe(address, settings).await,
            #[cfg(feature = "amqp")]
            Transport::Amqp(ref t) => t.subscribe(address, settings).await,
            #[cfg(feature = "websocket")]
            Transport::WebSocket(ref t) => t.subscribe(address, settings).await,
            #[cfg(feature = "kafka")]
            Transport::Kafka(ref t) => t.subscribe(address, settings).await,
        }
    }
}
