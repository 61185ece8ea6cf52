//! What generated code uses to run AsyncAPI message steps: the client's brokers (one per
//! AsyncAPI server, connected on first use), correlation matching, and typed reads of a
//! received message (`$message.payload#/p`, `$message.header.h`).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::OnceCell;

use super::{Broker, Credentials, Message, MessageError};
use crate::ErrorKind;
use crate::criteria::Operand;

/// One AsyncAPI server a document's message steps use (a static table in generated code).
#[derive(Debug)]
pub struct BrokerSpec {
    /// The source description's name.
    pub source: &'static str,
    /// The server's key in the AsyncAPI document.
    pub server: &'static str,
    /// `protocol://host[pathname]` from the AsyncAPI document.
    pub default_url: &'static str,
    /// The `ClientBuilder` method that sets its URL.
    pub method: &'static str,
}

/// A configured broker: its URL and credentials, and the connection once made.
struct Slot {
    spec: &'static BrokerSpec,
    url: String,
    credentials: Option<Credentials>,
    connected: OnceCell<Broker>,
}

/// The client's brokers, by index in the document's [`BrokerSpec`] table; each connects on
/// the first step that uses it, and clones of the client share the connection.
#[derive(Clone, Default)]
pub struct Brokers {
    slots: Arc<Vec<Slot>>,
}

impl fmt::Debug for Brokers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.slots.iter().map(|s| (s.spec.server, s.spec.source)))
            .finish()
    }
}

/// The URLs and credentials set on a client builder, before [`Brokers`] exist.
#[derive(Debug, Default)]
pub struct BrokersBuilder {
    specs: &'static [BrokerSpec],
    urls: Vec<Option<String>>,
    credentials: Vec<Option<Credentials>>,
}

impl BrokersBuilder {
    /// Brokers for these servers, at their documents' URLs until set.
    pub fn new(specs: &'static [BrokerSpec]) -> Self {
        BrokersBuilder {
            specs,
            urls: vec![None; specs.len()],
            credentials: vec![None; specs.len()],
        }
    }

    /// Sets the URL of broker `index` (for example `mqtt://127.0.0.1:1883`).
    pub fn url(&mut self, index: usize, url: String) {
        if let Some(slot) = self.urls.get_mut(index) {
            *slot = Some(url);
        }
    }

    /// Sets the credentials of broker `index`.
    pub fn credentials(&mut self, index: usize, credentials: Credentials) {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(credentials);
        }
    }

    /// Whether source `name` is an AsyncAPI source (one of its servers is a broker here).
    pub(crate) fn has_source(&self, name: &str) -> bool {
        self.specs.iter().any(|s| s.source == name)
    }

    /// The brokers, not connected yet.
    pub fn build(self) -> Brokers {
        let slots = self
            .specs
            .iter()
            .zip(self.urls)
            .zip(self.credentials)
            .map(|((spec, url), credentials)| Slot {
                spec,
                url: url.unwrap_or_else(|| spec.default_url.to_owned()),
                credentials,
                connected: OnceCell::new(),
            })
            .collect();
        Brokers {
            slots: Arc::new(slots),
        }
    }
}

impl Brokers {
    /// Broker `index`, connected on first use (a failed connection is tried again by the next
    /// step that needs it).
    pub async fn get(&self, index: usize) -> Result<Broker, ErrorKind> {
        let slot = self.slots.get(index).ok_or_else(|| {
            ErrorKind::Message(MessageError::InvalidUrl(format!(
                "no broker number {index}"
            )))
        })?;
        let broker = slot
            .connected
            .get_or_try_init(|| async {
                let mut builder = Broker::builder(slot.url.clone());
                if let Some(credentials) = &slot.credentials {
                    builder = builder.credentials(credentials.clone());
                }
                builder.connect().await
            })
            .await?;
        Ok(broker.clone())
    }
}

/// Whether `message` carries `expected` at `location` (a `correlationId.location`:
/// `$message.header#/name`, `$message.header.name` or `$message.payload#/pointer`). A string
/// is compared as it is, any other JSON value as its JSON text.
pub fn correlates(message: &Message, location: &str, expected: &str) -> bool {
    if let Some(rest) = location.strip_prefix("$message.header") {
        let name = rest
            .strip_prefix("#/")
            .or_else(|| rest.strip_prefix('.'))
            .unwrap_or(rest);
        return message.header(name) == Some(expected);
    }
    if let Some(rest) = location.strip_prefix("$message.payload") {
        let pointer = rest.strip_prefix('#').unwrap_or(rest);
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&message.payload) else {
            return false;
        };
        return match json.pointer(pointer) {
            Some(serde_json::Value::String(s)) => s == expected,
            Some(other) => serde_json::to_string(other).is_ok_and(|text| text == expected),
            None => false,
        };
    }
    false
}

/// The text a value has in a header, a channel address or a correlation id: a string as it
/// is, anything else as its JSON text.
pub fn message_text<T: Serialize + ?Sized>(value: &T) -> Result<String, ErrorKind> {
    match serde_json::to_value(value).map_err(ErrorKind::Encode)? {
        serde_json::Value::String(s) => Ok(s),
        other => Ok(other.to_string()),
    }
}

/// A message a receive step took, with its payload parsed as JSON once.
#[derive(Debug)]
pub struct Received {
    message: Message,
    json: Option<serde_json::Value>,
}

impl Received {
    /// Wraps `message`; a payload that is not JSON has no members to read.
    pub fn new(message: Message) -> Self {
        let json = serde_json::from_slice(&message.payload).ok();
        Received { message, json }
    }

    /// The message as received.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// The payload's JSON value at `tokens` (a split pointer), if any.
    fn json_at(&self, tokens: &[&str]) -> Option<&serde_json::Value> {
        let mut at = self.json.as_ref();
        for token in tokens {
            at = match at {
                Some(serde_json::Value::Object(members)) => members.get(*token),
                Some(serde_json::Value::Array(items)) => {
                    token.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                _ => None,
            };
        }
        at
    }

    /// `$message.payload#/pointer` as the context of a JSONPath criterion, queried where it
    /// lies (`None` where there is none, or the payload is not JSON: the criterion does not
    /// hold).
    pub fn payload_json(&self, tokens: &[&str]) -> Option<&serde_json::Value> {
        self.json_at(tokens)
    }

    /// `$message.header.name` as the context of a JSONPath criterion (`None` without the
    /// header): a JSON string when the header's schema is a string (`text`), else its text
    /// read as JSON (a string where it is not JSON), as [`Received::header_at`] decodes it.
    pub fn header_json(&self, name: &str, text: bool) -> Option<serde_json::Value> {
        let header = self.message.header(name)?;
        let string = || serde_json::Value::String(header.to_owned());
        if text {
            return Some(string());
        }
        Some(serde_json::from_str(header).unwrap_or_else(|_| string()))
    }

    /// `$message.payload#/pointer` as a criterion operand (missing where there is none).
    pub fn payload_operand(&self, tokens: &[&str]) -> Operand<'_> {
        Operand::from_json(self.json_at(tokens))
    }

    /// `$message.header.name` as a criterion operand (missing where there is none).
    pub fn header_operand(&self, name: &str) -> Operand<'_> {
        self.message
            .header(name)
            .map_or(Operand::Missing, |h| Operand::Str(Cow::Borrowed(h)))
    }

    /// `$message.payload#/pointer`, decoded to its type (`tokens`: the pointer, split).
    pub fn payload_at<T: DeserializeOwned>(
        &self,
        tokens: &[&str],
        pointer: &'static str,
    ) -> Result<T, ErrorKind> {
        let value = self.json_at(tokens).unwrap_or(&serde_json::Value::Null);
        T::deserialize(value).map_err(|error| {
            if value.is_null() {
                ErrorKind::MissingValue { pointer }
            } else {
                ErrorKind::Decode {
                    pointer: pointer.to_owned(),
                    reason: error.to_string(),
                }
            }
        })
    }

    /// `$message.header.name`, decoded to its type: a string header as it is, another type
    /// from the header's text read as JSON.
    pub fn header_at<T: DeserializeOwned>(&self, name: &'static str) -> Result<T, ErrorKind> {
        let text = self
            .message
            .header(name)
            .ok_or(ErrorKind::MissingValue { pointer: name })?;
        let as_string = serde_json::Value::String(text.to_owned());
        T::deserialize(&as_string)
            .or_else(|_| serde_json::from_str::<T>(text))
            .map_err(|error| ErrorKind::Decode {
                pointer: name.to_owned(),
                reason: error.to_string(),
            })
    }
}

impl crate::Run<'_> {
    /// A send step's effect: `send` (connect, then hand the message to the broker) within the
    /// step's `timeout` of `limit`, through the journal of a journaled run (on replay the
    /// message is not sent again).
    pub async fn send_message<F>(
        &self,
        step: &'static crate::StepSpec,
        limit: std::time::Duration,
        send: F,
    ) -> Result<(), crate::Error>
    where
        F: std::future::Future<Output = Result<(), ErrorKind>> + Send,
    {
        let bounded = async move {
            match crate::within(limit, send).await {
                Some(sent) => sent,
                None => Err(ErrorKind::StepTimeout(limit)),
            }
        };
        let outcome = match self.journal {
            None => bounded.await,
            Some(journal) => {
                crate::journal::journaled(journal, step.id, bounded, |_| Vec::new(), |_| Ok(()))
                    .await
            }
        };
        outcome.map_err(|kind| self.step_error(step, kind))
    }

    /// A receive step's effect: the first message on its armed `subscription` that `matches`
    /// (its correlation), within the step's `timeout` of `limit`, through the journal of a
    /// journaled run (on replay, the message recorded).
    pub async fn receive_message<F>(
        &self,
        step: &'static crate::StepSpec,
        subscription: Option<&mut super::Subscription>,
        matches: F,
        limit: std::time::Duration,
    ) -> Result<Received, crate::Error>
    where
        F: FnMut(&Message) -> bool + Send,
    {
        let wait = async move {
            match subscription {
                Some(subscription) => subscription
                    .next_matching(matches, limit)
                    .await
                    .map_err(ErrorKind::from),
                None => Err(MessageError::Closed("not subscribed".to_owned()).into()),
            }
        };
        let outcome = match self.journal {
            None => wait.await,
            Some(journal) => {
                use crate::journal::RecordedMessage;
                crate::journal::journaled(
                    journal,
                    step.id,
                    wait,
                    RecordedMessage::encode,
                    RecordedMessage::decode,
                )
                .await
            }
        };
        outcome
            .map(Received::new)
            .map_err(|kind| self.step_error(step, kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlates_by_header_and_payload() {
        let msg = Message::new(&br#"{"order":{"id":7,"ref":"r-1"}}"#[..]).with_header("cid", "c-1");
        assert!(correlates(&msg, "$message.header#/cid", "c-1"));
        assert!(correlates(&msg, "$message.header.cid", "c-1"));
        assert!(!correlates(&msg, "$message.header#/cid", "c-2"));
        assert!(correlates(&msg, "$message.payload#/order/ref", "r-1"));
        assert!(correlates(&msg, "$message.payload#/order/id", "7"));
        assert!(!correlates(&msg, "$message.payload#/order/none", "7"));
    }

    #[test]
    fn typed_reads() {
        let msg = Message::new(&br#"{"a":[1,{"b":"x"}]}"#[..]).with_header("n", "42");
        let got = Received::new(msg);
        assert_eq!(
            got.payload_at::<String>(&["a", "1", "b"], "/a/1/b").ok(),
            Some("x".to_owned())
        );
        assert_eq!(got.header_at::<i64>("n").ok(), Some(42));
        assert_eq!(got.header_at::<String>("n").ok(), Some("42".to_owned()));
        assert!(matches!(
            got.payload_at::<i64>(&["a", "1", "b"], "/a/1/b"),
            Err(ErrorKind::Decode { .. })
        ));
        assert!(matches!(
            got.header_at::<String>("m"),
            Err(ErrorKind::MissingValue { .. })
        ));
    }

    #[test]
    fn json_contexts() {
        let msg = Message::new(&br#"{"a":{"b":"x"}}"#[..])
            .with_header("n", "42")
            .with_header("o", r#"{"k":1}"#)
            .with_header("w", "plain words");
        let got = Received::new(msg);
        assert_eq!(got.payload_json(&["a", "b"]), Some(&serde_json::json!("x")));
        assert_eq!(got.payload_json(&["a", "c"]), None);
        assert_eq!(got.header_json("n", true), Some(serde_json::json!("42")));
        assert_eq!(got.header_json("n", false), Some(serde_json::json!(42)));
        assert_eq!(
            got.header_json("o", false),
            Some(serde_json::json!({"k": 1}))
        );
        assert_eq!(
            got.header_json("w", false),
            Some(serde_json::json!("plain words"))
        );
        assert_eq!(got.header_json("m", false), None);
    }
}
