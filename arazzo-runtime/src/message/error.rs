//! Why a broker operation failed.

use std::error::Error as StdError;
use std::time::Duration;

/// A failure of a [`Broker`](super::Broker) or [`Subscription`](super::Subscription).
///
/// In a workflow run it becomes [`ErrorKind::Message`](crate::ErrorKind::Message) (`From`):
///
/// ```
/// use std::time::Duration;
/// use arazzo_runtime::{ErrorKind, message::MessageError};
///
/// let kind = ErrorKind::from(MessageError::Timeout(Duration::from_secs(5)));
/// assert!(matches!(kind, ErrorKind::Message(MessageError::Timeout(_))));
/// assert_eq!(kind.to_string(), "message broker: no matching message within 5s");
/// ```
///
/// The enum is `#[non_exhaustive]`: a match needs a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MessageError {
    /// The broker URL does not parse, or has a part the transport cannot use.
    #[error("invalid broker URL: {0}")]
    InvalidUrl(String),
    /// The URL's scheme names no transport this crate has.
    #[error(
        "no message transport for URL scheme `{0}`; supported: mqtt, nats, amqp, ws, kafka (each behind its cargo feature)"
    )]
    UnknownScheme(String),
    /// The URL's scheme names a transport whose cargo feature is not enabled.
    #[error(
        "the `{scheme}` transport is not compiled in; enable the cargo feature `{feature}` of `arazzo`"
    )]
    FeatureDisabled {
        /// The URL scheme.
        scheme: String,
        /// The cargo feature that adds the transport.
        feature: &'static str,
    },
    /// The credentials do not fit the protocol (for example a token on MQTT).
    #[error("credentials not supported here: {0}")]
    Credentials(String),
    /// An address (topic, subject, routing key or path) is empty or invalid for the protocol.
    #[error("invalid address `{address}`: {reason}")]
    InvalidAddress {
        /// The address as given.
        address: String,
        /// Why it is refused.
        reason: String,
    },
    /// A header name or value the protocol cannot carry (for example a line break).
    #[error("invalid header `{name}`: {reason}")]
    InvalidHeader {
        /// The header name.
        name: String,
        /// Why it is refused.
        reason: String,
    },
    /// Connecting or authenticating to the broker failed, or it did not answer in time.
    #[error("cannot connect to the broker: {0}")]
    Connect(#[source] Box<dyn StdError + Send + Sync>),
    /// The broker did not accept a subscription (or did not confirm it in time).
    #[error("cannot subscribe to `{address}`: {source}")]
    Subscribe {
        /// The address subscribed to.
        address: String,
        /// The protocol client's error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// The message could not be handed to the broker.
    #[error("cannot send to `{address}`: {source}")]
    Send {
        /// The address sent to.
        address: String,
        /// The protocol client's error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// The payload is larger than the broker's configured maximum; nothing was sent.
    #[error("payload of {size} bytes exceeds the maximum of {max} bytes")]
    PayloadTooLarge {
        /// The payload's size in bytes.
        size: usize,
        /// The configured maximum ([`BrokerBuilder::max_payload`](super::BrokerBuilder::max_payload)).
        max: usize,
    },
    /// The protocol has no per-message headers (WebSocket) and the message has some.
    #[error("{protocol} messages carry no headers; this message has {count}")]
    HeadersUnsupported {
        /// The protocol.
        protocol: &'static str,
        /// How many headers the message has.
        count: usize,
    },
    /// No matching message arrived within the step's timeout.
    #[error("no matching message within {0:?}")]
    Timeout(Duration),
    /// The subscription ended (the connection was lost or the server closed it).
    #[error("subscription closed: {0}")]
    Closed(String),
}

impl MessageError {
    /// Wraps a protocol client's error or a reason text as a boxed source.
    pub(crate) fn boxed(
        err: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Box<dyn StdError + Send + Sync> {
        err.into()
    }
}
