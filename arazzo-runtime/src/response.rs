//! One step's response: status, headers and the body read in full, with the views generated
//! code reads values through (the parsed JSON tree, typed decoding, criteria operands).

use std::sync::OnceLock;

use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::criteria::Operand;
use crate::decode::{Picked, decode_error};
use crate::error::ErrorKind;
use crate::json::walk;

/// What was sent, for `$url`, `$method` and `$request.*` in outputs and criteria.
#[derive(Debug, Default)]
pub(crate) struct Sent {
    pub(crate) method: &'static str,
    pub(crate) url: String,
    pub(crate) headers: HeaderMap,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) path: Vec<Option<String>>,
    pub(crate) body: Option<Vec<u8>>,
}

/// The response of one step, with its body read in full (up to the client's limit).
#[derive(Debug)]
pub struct Response {
    pub(crate) sent: Sent,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
    pub(crate) json: OnceLock<Option<serde_json::Value>>,
    /// Why no response came, for a step that got none.
    pub(crate) unanswered: Option<crate::Error>,
}

impl Response {
    /// What a step's failure actions see when no response arrived (a transport error, a
    /// timeout, a body over the limit): status 0, no headers, no body. A criterion that reads
    /// the response is then false (a missing value) or compares against 0.
    pub(crate) fn unanswered(error: crate::Error) -> Self {
        Response {
            sent: Sent::default(),
            status: 0,
            headers: HeaderMap::new(),
            body: bytes::Bytes::new(),
            json: OnceLock::new(),
            unanswered: Some(error),
        }
    }

    /// Whether a response arrived (else the step failed without one: see [`Response::status`]).
    pub fn answered(&self) -> bool {
        self.unanswered.is_none()
    }

    /// The HTTP status code (`$statusCode`).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header as text (`$response.header.<name>`), if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The raw body bytes.
    pub fn body_bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body parsed as JSON (parsed once, on first use).
    pub fn json(&self) -> Result<&serde_json::Value, ErrorKind> {
        match self
            .json
            .get_or_init(|| serde_json::from_slice(&self.body).ok())
        {
            Some(value) => Ok(value),
            None => Err(
                match serde_json::from_slice::<serde_json::Value>(&self.body) {
                    Err(e) => ErrorKind::BodyNotJson(e),
                    // Unreachable in practice: the same bytes parsed a moment ago failed.
                    Ok(_) => ErrorKind::MissingValue { pointer: "" },
                },
            ),
        }
    }

    /// The body value at a JSON pointer given as its tokens (`$response.body#/a/0/b`), or
    /// `None` when the pointer does not reach a value.
    pub fn body_at(&self, tokens: &[&str]) -> Result<Option<&serde_json::Value>, ErrorKind> {
        Ok(walk(self.json()?, tokens))
    }

    /// Reads the value at a JSON pointer of the parsed tree as `T`.
    ///
    /// An absent value (or `null`) is accepted exactly when `T` accepts `null` (an `Option`);
    /// otherwise it is [`ErrorKind::MissingValue`]. A value of another type is
    /// [`ErrorKind::Decode`] naming the exact member inside it that failed.
    pub fn extract<T: DeserializeOwned>(
        &self,
        tokens: &[&str],
        pointer: &'static str,
    ) -> Result<T, ErrorKind> {
        let value = self.body_at(tokens)?;
        let value = value.unwrap_or(&serde_json::Value::Null);
        match T::deserialize(value) {
            Ok(decoded) => Ok(decoded),
            Err(_) if value.is_null() => Err(ErrorKind::MissingValue { pointer }),
            // Decoded again, tracking the path, only to name the member that failed.
            Err(error) => Err(match serde_path_to_error::deserialize::<_, T>(value) {
                Err(tracked) => decode_error(pointer, tracked),
                Ok(_) => ErrorKind::Decode {
                    pointer: pointer.to_owned(),
                    reason: error.to_string(),
                },
            }),
        }
    }

    /// The values at the JSON pointers a step reads (pre-split tokens), picked from the body
    /// in one pass without building its tree (see [`Picked`]). Never fails: a body that is not
    /// JSON reads as absent values, and [`Picked::get`] reports it.
    pub fn pick<const N: usize>(&self, pointers: &[&[&str]; N]) -> Picked<N> {
        Picked::from_body(&self.body, pointers)
    }

    /// The value at a JSON pointer as a criteria operand (missing when absent or not JSON).
    pub fn body_operand(&self, tokens: &[&str]) -> Operand<'_> {
        match self.json() {
            Ok(json) => Operand::from_json(walk(json, tokens)),
            Err(_) => Operand::Missing,
        }
    }

    /// The URL the request was sent to (`$url`).
    pub fn request_url(&self) -> String {
        self.sent.url.clone()
    }

    /// The request's HTTP method (`$method`).
    pub fn request_method(&self) -> String {
        self.sent.method.to_owned()
    }

    /// A request header (`$request.header.<name>`); absent is [`ErrorKind::MissingValue`].
    pub fn request_header(&self, name: &'static str) -> Result<String, ErrorKind> {
        self.sent
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or(ErrorKind::MissingValue { pointer: name })
    }

    /// A query parameter of the request (`$request.query.<name>`).
    pub fn request_query(&self, name: &'static str) -> Result<String, ErrorKind> {
        self.sent
            .query
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .ok_or(ErrorKind::MissingValue { pointer: name })
    }

    /// A path parameter of the request (`$request.path.<name>`), by its index in the template.
    pub fn request_path(&self, index: usize, name: &'static str) -> Result<String, ErrorKind> {
        self.sent
            .path
            .get(index)
            .cloned()
            .flatten()
            .ok_or(ErrorKind::MissingValue { pointer: name })
    }

    /// The request body's JSON value at pointer tokens (`$request.body#/a/b`), if any.
    pub fn request_body_at(&self, tokens: &[&str]) -> Option<serde_json::Value> {
        let body = self.sent.body.as_deref()?;
        let json: serde_json::Value = serde_json::from_slice(body).ok()?;
        walk(&json, tokens).cloned()
    }

    /// A response header as a criteria operand (missing when absent).
    pub fn header_operand(&self, name: &str) -> Operand<'_> {
        self.header(name).map_or(Operand::Missing, |h| {
            Operand::Str(std::borrow::Cow::Borrowed(h))
        })
    }

    /// The body as text (`$response.body` of a `text/*` or XML response); bytes that are not
    /// UTF-8 become U+FFFD.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as text, as a criteria operand.
    pub fn text_operand(&self) -> Operand<'_> {
        Operand::Str(String::from_utf8_lossy(&self.body))
    }

    /// A response header as an owned string for an output; absent is [`ErrorKind::MissingValue`].
    pub fn header_value(&self, name: &'static str) -> Result<String, ErrorKind> {
        self.header(name)
            .map(str::to_owned)
            .ok_or(ErrorKind::MissingValue { pointer: name })
    }

    /// A short single-line excerpt of the body for error messages, redacted (see
    /// `excerpt.rs`): secret-looking members and every form of `secrets` are masked.
    pub(crate) fn excerpt(&self, secrets: &[String]) -> String {
        crate::excerpt::excerpt(&self.body, secrets)
    }
}

impl Response {
    /// The journal entry of this response (status, headers, body).
    pub(crate) fn encode(&self) -> Vec<u8> {
        crate::journal::RecordedResponse::encode(self.status, &self.headers, &self.body)
    }

    /// A response replayed from its journal entry, for a request that sent `sent`.
    pub(crate) fn decode(bytes: &[u8], sent: Sent) -> Result<Response, crate::ErrorKind> {
        let (status, headers, body) = crate::journal::RecordedResponse::decode(bytes)?;
        Ok(Response {
            sent,
            status,
            headers,
            body,
            json: OnceLock::new(),
            unanswered: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &str) -> Response {
        Response {
            sent: Sent::default(),
            status: 200,
            headers: HeaderMap::new(),
            body: bytes::Bytes::copy_from_slice(body.as_bytes()),
            json: OnceLock::new(),
            unanswered: None,
        }
    }

    #[test]
    fn extract_types_and_reports_missing_and_mismatched_values() {
        let r = response(r#"{"status": 1, "error": null, "name": "x"}"#);
        assert_eq!(r.extract::<i64>(&["status"], "/status").ok(), Some(1));
        assert_eq!(
            r.extract::<Option<String>>(&["error"], "/error").ok(),
            Some(None)
        );
        assert!(matches!(
            r.extract::<i64>(&["nope"], "/nope"),
            Err(ErrorKind::MissingValue { pointer: "/nope" })
        ));
        assert!(matches!(
            r.extract::<i64>(&["name"], "/name"),
            Err(ErrorKind::Decode { pointer, .. }) if pointer == "/name"
        ));
        let r = response(r#"{"data": {"values": {"a": 1, "b": "x"}}}"#);
        assert!(matches!(
            r.extract::<std::collections::BTreeMap<String, i64>>(&["data", "values"], "/data/values"),
            Err(ErrorKind::Decode { pointer, .. }) if pointer == "/data/values/b"
        ));
    }

    #[test]
    fn non_json_body_is_reported() {
        let r = response("<html>");
        assert!(matches!(r.json(), Err(ErrorKind::BodyNotJson(_))));
        assert!(matches!(r.body_operand(&["a"]), Operand::Missing));
    }
}
