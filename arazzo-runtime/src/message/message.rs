//! One message as a step sends or receives it, independent of the protocol.

use bytes::Bytes;

/// A message: payload bytes, headers and an optional content type.
///
/// Each transport maps these onto its protocol (see the module documentation): MQTT 5 user
/// properties and content type, NATS headers, AMQP 0-9-1 headers table and `content_type`
/// property. WebSocket frames carry no headers: sending a message with headers on a WebSocket
/// broker is a [`MessageError::HeadersUnsupported`](super::MessageError::HeadersUnsupported).
///
/// The payload is opaque bytes: nothing here parses it, so a malformed payload is just bytes
/// until the step decodes it.
///
/// ```
/// use arazzo_runtime::message::Message;
///
/// let msg = Message::new(r#"{"petId":7}"#)
///     .with_header("correlationId", "c-1")
///     .with_content_type("application/json");
/// assert_eq!(msg.header("correlationId"), Some("c-1"));
/// assert_eq!(msg.header("CorrelationId"), None); // names are case-sensitive
/// assert_eq!(&msg.payload[..], br#"{"petId":7}"#);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Message {
    /// Header name/value pairs in the order they were set or received. A name may repeat.
    pub headers: Vec<(String, String)>,
    /// The payload, as sent on the wire.
    pub payload: Bytes,
    /// The payload's media type (for example `application/json`), where the protocol carries one.
    pub content_type: Option<String>,
}

impl Message {
    /// A message with this payload, no headers and no content type.
    pub fn new(payload: impl Into<Bytes>) -> Self {
        Message {
            headers: Vec::new(),
            payload: payload.into(),
            content_type: None,
        }
    }

    /// Adds a header (names are case-sensitive; a repeated name is kept twice).
    #[must_use]
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the content type.
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The value of the first header with exactly this name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}
