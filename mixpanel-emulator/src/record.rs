//! What the emulator remembers about each request it received.

use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;

use crate::auth::decode_basic;
use crate::urlencoded::parse_pairs;

/// One HTTP request as the emulator received it, successful or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `"POST"`.
    pub method: String,
    /// The request path without the query string, e.g. `"/track"`.
    pub path: String,
    /// The query parameters, percent-decoded (`+` as space), in the order they were sent.
    pub query: Vec<(String, String)>,
    /// The query string exactly as sent (without `?`), `None` when the URL had no `?`.
    pub raw_query: Option<String>,
    /// The headers in arrival order, names in lowercase, values decoded lossily as UTF-8.
    pub headers: Vec<(String, String)>,
    /// The decoded `Authorization: Basic` credentials (user, secret), `None` when the header is
    /// absent or is not well-formed basic auth.
    pub basic_auth: Option<(String, String)>,
    /// The `Content-Type` header value exactly as sent, if any.
    pub content_type: Option<String>,
    /// The request body. Empty for requests whose body exceeded
    /// [`Config::max_body_bytes`](crate::Config::max_body_bytes) or could not be read.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// Builds the record from the request head and the body read so far.
    pub(crate) fn from_parts(parts: &Parts, body: Vec<u8>) -> Self {
        let raw_query = parts.uri.query().map(str::to_owned);
        let header_text = |value: &axum::http::HeaderValue| {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        Self {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query: raw_query.as_deref().map(parse_pairs).unwrap_or_default(),
            raw_query,
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| (name.as_str().to_owned(), header_text(value)))
                .collect(),
            basic_auth: parts
                .headers
                .get(AUTHORIZATION)
                .and_then(|value| decode_basic(value.as_bytes())),
            content_type: parts.headers.get(CONTENT_TYPE).map(header_text),
            body,
        }
    }

    /// The body parsed as JSON, `None` when it is not valid JSON (or empty).
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The decoded value of the first query parameter called `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The value of the first header called `name` (compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether the `Content-Type` is `application/x-www-form-urlencoded` (parameters ignored).
    pub(crate) fn is_form(&self) -> bool {
        self.content_type.as_deref().is_some_and(|value| {
            value.split(';').next().is_some_and(|media| {
                media
                    .trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
    }
}
