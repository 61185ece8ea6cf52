//! The hook a durable execution engine plugs into: a run's side effects (each HTTP exchange,
//! each message sent or received) and its waits go through a [`Journal`], which may record
//! them and, when the run is replayed after a crash, return what was recorded instead of
//! doing them again. Everything else a run does (criteria, outputs, actions, retry counts) is
//! a function of those outcomes and the inputs, so it comes out the same on replay.
//!
//! Without a journal (a workflow's plain `run`), effects run directly: no encoding, no
//! allocation, one branch per step.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};

/// A boxed one-shot future of an effect or of a [`Journal`] operation.
pub type Effect<'a, T> = Pin<Box<dyn Future<Output = Result<T, EffectError>> + Send + 'a>>;

/// An effect that failed, as a journal records it: its message, and whether trying it again
/// may succeed (a transport error, a timeout) or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct EffectError {
    /// What went wrong, as one line (the error's `Display`, secrets masked).
    pub message: String,
    /// Whether the engine may run the effect again.
    pub retryable: bool,
}

/// Where a journaled run's side effects and waits go: a durable execution engine such as
/// Restate (the `arazzo-restate` crate), or a recorder in tests.
///
/// The generated `run_journaled` of each workflow calls this for every HTTP exchange and
/// message step, in the order the run makes them; the order is the same on every replay of
/// the same run, so an engine can match recorded outcomes by position.
pub trait Journal: Send + Sync {
    /// Runs `effect` (one step's HTTP exchange, or one message sent or received) and records
    /// its outcome under `name` (the step's id), or, when the run is being replayed and the
    /// outcome is recorded, returns it without running `effect`.
    ///
    /// A failure with `retryable` set may be retried by the engine (running the step's effect
    /// again in a later attempt of the run); a failure the engine returns is final for the
    /// step, which its failure actions may handle.
    fn effect<'a>(&'a self, name: &'a str, effect: Effect<'a, Vec<u8>>) -> Effect<'a, Vec<u8>>;

    /// Waits `duration` (before a retry: `retryAfter`, `Retry-After`); an engine makes it a
    /// durable timer that survives a restart of the process.
    fn sleep<'a>(&'a self, duration: Duration) -> Effect<'a, ()>;

    /// Step `step` of workflow `workflow` completed with `outputs` (its outputs struct as
    /// JSON), for an engine that shows a run's progress while it is in flight. Called on
    /// replay too. Does nothing by default.
    fn step_completed(
        &self,
        workflow: &'static str,
        step: &'static str,
        outputs: &serde_json::Value,
    ) {
        let _ = (workflow, step, outputs);
    }
}

/// The boxed future of a journaled run of a [`Workflow`].
pub type Running<'a, O> = Pin<Box<dyn Future<Output = Result<O, Error>> + Send + 'a>>;

/// A generated workflow, as an engine serves it: each workflow module of a document has a
/// `Workflow` unit struct that implements this.
pub trait Workflow: 'static {
    /// The document's generated `Client`.
    type Client: Clone + Send + Sync + 'static;
    /// The workflow's `Inputs` struct.
    type Inputs: Serialize + DeserializeOwned + Send + 'static;
    /// The workflow's `Outputs` struct.
    type Outputs: Serialize + DeserializeOwned + Send + 'static;
    /// The `workflowId`.
    const ID: &'static str;

    /// Runs the workflow with its effects and waits going through `journal`.
    fn run_journaled<'a>(
        client: &'a Self::Client,
        inputs: Self::Inputs,
        journal: &'a dyn Journal,
    ) -> Running<'a, Self::Outputs>;
}

/// Whether an effect that failed with `kind` may succeed when tried again.
pub(crate) fn retryable(kind: &ErrorKind) -> bool {
    matches!(kind, ErrorKind::Transport(_) | ErrorKind::Timeout(_))
}

/// The error kind of an effect whose failure came back from the journal.
pub(crate) fn replayed_failure(error: EffectError) -> ErrorKind {
    ErrorKind::Journaled(error.message)
}

/// What a journal records of an HTTP response: status, headers (a value that is not UTF-8
/// as base64) and the body as base64.
#[derive(Serialize, Deserialize)]
pub(crate) struct RecordedResponse {
    status: u16,
    headers: Vec<(String, HeaderText)>,
    body: String,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum HeaderText {
    Text(String),
    Bytes { base64: String },
}

impl RecordedResponse {
    pub(crate) fn encode(status: u16, headers: &HeaderMap, body: &[u8]) -> Vec<u8> {
        let b64 = &base64::engine::general_purpose::STANDARD;
        let recorded = RecordedResponse {
            status,
            headers: headers
                .iter()
                .map(|(name, value)| {
                    let text = match value.to_str() {
                        Ok(text) => HeaderText::Text(text.to_owned()),
                        Err(_) => HeaderText::Bytes {
                            base64: b64.encode(value.as_bytes()),
                        },
                    };
                    (name.as_str().to_owned(), text)
                })
                .collect(),
            body: b64.encode(body),
        };
        // Strings and integers only: serializing cannot fail.
        serde_json::to_vec(&recorded).unwrap_or_default()
    }

    /// The status, headers and body of a recorded response; an entry that does not decode is
    /// [`ErrorKind::Journaled`] (a journal written by another version).
    pub(crate) fn decode(bytes: &[u8]) -> Result<(u16, HeaderMap, bytes::Bytes), ErrorKind> {
        let recorded: RecordedResponse =
            serde_json::from_slice(bytes).map_err(|e| corrupt(&e.to_string()))?;
        let b64 = &base64::engine::general_purpose::STANDARD;
        let mut headers = HeaderMap::with_capacity(recorded.headers.len());
        for (name, text) in recorded.headers {
            let name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| corrupt("header name"))?;
            let value = match text {
                HeaderText::Text(text) => HeaderValue::from_str(&text),
                HeaderText::Bytes { base64 } => {
                    let bytes = b64.decode(base64).map_err(|_| corrupt("header value"))?;
                    HeaderValue::from_bytes(&bytes)
                }
            }
            .map_err(|_| corrupt("header value"))?;
            headers.append(name, value);
        }
        let body = b64
            .decode(recorded.body)
            .map_err(|_| corrupt("response body"))?;
        Ok((recorded.status, headers, body.into()))
    }
}

/// What a journal records of a message received: headers, payload (base64) and content type.
#[derive(Serialize, Deserialize)]
pub(crate) struct RecordedMessage {
    headers: Vec<(String, String)>,
    payload: String,
    content_type: Option<String>,
}

impl RecordedMessage {
    pub(crate) fn encode(message: &crate::message::Message) -> Vec<u8> {
        let recorded = RecordedMessage {
            headers: message.headers.clone(),
            payload: base64::engine::general_purpose::STANDARD.encode(&message.payload),
            content_type: message.content_type.clone(),
        };
        // Strings only: serializing cannot fail.
        serde_json::to_vec(&recorded).unwrap_or_default()
    }

    /// The message of a recorded receive; an entry that does not decode is
    /// [`ErrorKind::Journaled`].
    pub(crate) fn decode(bytes: &[u8]) -> Result<crate::message::Message, ErrorKind> {
        let recorded: RecordedMessage =
            serde_json::from_slice(bytes).map_err(|e| corrupt(&e.to_string()))?;
        let payload = base64::engine::general_purpose::STANDARD
            .decode(recorded.payload)
            .map_err(|_| corrupt("message payload"))?;
        let mut message = crate::message::Message::new(payload);
        message.headers = recorded.headers;
        message.content_type = recorded.content_type;
        Ok(message)
    }
}

/// The error of a journal entry that does not decode, saying which part (`what`) did not.
fn corrupt(what: &str) -> ErrorKind {
    ErrorKind::Journaled(format!("unreadable journal entry: {what}"))
}

/// Runs `effect` through `journal` under `name`: its value as it came when it ran now, else
/// (a replay) the recorded value decoded with `decode`. A failure that ran now keeps its
/// error kind; one the journal returns is [`ErrorKind::Journaled`].
pub(crate) async fn journaled<T, F>(
    journal: &dyn Journal,
    name: &str,
    effect: F,
    encode: fn(&T) -> Vec<u8>,
    decode: impl FnOnce(&[u8]) -> Result<T, ErrorKind>,
) -> Result<T, ErrorKind>
where
    T: Send,
    F: Future<Output = Result<T, ErrorKind>> + Send,
{
    let mut live: Option<Result<T, ErrorKind>> = None;
    let recorded = journal
        .effect(
            name,
            Box::pin(async {
                let outcome = effect.await;
                let entry = match &outcome {
                    Ok(value) => Ok(encode(value)),
                    Err(kind) => Err(EffectError {
                        message: kind.to_string(),
                        retryable: retryable(kind),
                    }),
                };
                live = Some(outcome);
                entry
            }),
        )
        .await;
    match (live, recorded) {
        (Some(Err(kind)), _) => Err(kind),
        (Some(Ok(value)), Ok(_)) => Ok(value),
        (_, Err(error)) => Err(replayed_failure(error)),
        (None, Ok(bytes)) => decode(&bytes),
    }
}

/// A workflow module's journaled entry points, written into the module by generated code as
/// `journaled_workflow!("workflowId", Inputs);` next to its `run`, `Outputs` and
/// `__run_at_depth`: the function `run_journaled` and the unit struct `Workflow`, which
/// implements [`Workflow`] for an engine to serve. The compiler keeps steps' functions and
/// types off these names.
#[doc(hidden)]
#[macro_export]
macro_rules! journaled_workflow {
    ($id:literal, $inputs:ty) => {
        /// [`run`] with every HTTP exchange, message and wait going through `journal`: a
        /// durable execution engine records them and, when the run is replayed after a crash,
        /// returns what it recorded instead of sending again.
        pub async fn run_journaled(
            client: &super::Client,
            inputs: $inputs,
            journal: &dyn $crate::Journal,
        ) -> ::std::result::Result<Outputs, $crate::Error> {
            __run_at_depth(client, inputs, $crate::Nesting::journaled(journal)).await
        }

        #[doc = concat!("Workflow `", $id, "` for a durable execution engine (such as `arazzo-restate`).")]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Workflow;

        impl $crate::Workflow for Workflow {
            type Client = super::Client;
            type Inputs = $inputs;
            type Outputs = Outputs;
            const ID: &'static str = $id;

            fn run_journaled<'a>(
                client: &'a super::Client,
                inputs: $inputs,
                journal: &'a dyn $crate::Journal,
            ) -> $crate::Running<'a, Outputs> {
                ::std::boxed::Box::pin(run_journaled(client, inputs, journal))
            }
        }
    };
}
