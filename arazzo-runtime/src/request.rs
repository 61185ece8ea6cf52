//! One step's HTTP request and response.

use std::sync::OnceLock;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use crate::criteria::Operand;
use crate::error::ErrorKind;
use crate::param::ParamValue;
use crate::run::{PathPiece, StepSpec};

/// The request of one step, filled in by generated code and sent by [`crate::Run::send`].
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) step: &'static StepSpec,
    pub(crate) path_values: Vec<Option<String>>,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<(&'static str, Vec<u8>)>,
    pub(crate) auth: Option<Auth>,
}

/// HTTP authentication, applied through reqwest (which marks the header as sensitive).
#[derive(Clone)]
pub(crate) enum Auth {
    Basic(String, String),
    Bearer(String),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Auth::Basic(user, _) => write!(f, "Basic({user}, ***)"),
            Auth::Bearer(_) => f.write_str("Bearer(***)"),
        }
    }
}

impl Request {
    pub(crate) fn new(step: &'static StepSpec) -> Self {
        Request {
            step,
            path_values: vec![None; step.path_params],
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            auth: None,
        }
    }

    /// Binds the path parameter with index `index` (its position in the path template).
    /// The value is percent-encoded as one path segment, so `/`, `?` or `..` in it cannot
    /// change the request's path.
    pub fn path_param<V: ParamValue + ?Sized>(&mut self, index: usize, value: &V) {
        if let (Some(slot), Some(text)) = (self.path_values.get_mut(index), value.param_text()) {
            *slot = Some(text.into_owned());
        }
    }

    /// Appends a query parameter (omitted when the value is `None`).
    pub fn query<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        if let Some(text) = value.param_text() {
            self.query.push((name, text.into_owned()));
        }
    }

    /// Appends an array query parameter the way its OpenAPI `style`/`explode` say: exploded,
    /// one `name=value` pair per item (`form`, the default); otherwise one pair whose items are
    /// joined by `delimiter` (`,` for form, ` ` for spaceDelimited, `|` for pipeDelimited). A
    /// value that is not an array is sent as a single item; `null` items are left out.
    pub fn query_list(
        &mut self,
        name: &'static str,
        value: &serde_json::Value,
        explode: bool,
        delimiter: &'static str,
    ) {
        let items: Vec<String> = match value {
            serde_json::Value::Array(items) => items
                .iter()
                .filter_map(|i| i.param_text().map(std::borrow::Cow::into_owned))
                .collect(),
            other => other
                .param_text()
                .map(std::borrow::Cow::into_owned)
                .into_iter()
                .collect(),
        };
        if explode {
            self.query.extend(items.into_iter().map(|i| (name, i)));
        } else if !items.is_empty() {
            self.query.push((name, items.join(delimiter)));
        }
    }

    /// Sets a header (omitted when the value is `None`). A value with CR, LF or other control
    /// characters is refused rather than sent.
    pub fn header<V: ParamValue + ?Sized>(
        &mut self,
        name: &'static str,
        value: &V,
    ) -> Result<(), ErrorKind> {
        let Some(text) = value.param_text() else {
            return Ok(());
        };
        let invalid = |reason| ErrorKind::InvalidHeader {
            name: name.to_owned(),
            reason,
        };
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("invalid header name"))?;
        let header_value = HeaderValue::from_str(&text).map_err(|_| {
            invalid("header values may not contain control characters such as CR or LF")
        })?;
        self.headers.insert(header_name, header_value);
        Ok(())
    }

    /// Adds a cookie (omitted when the value is `None`).
    pub fn cookie<V: ParamValue + ?Sized>(&mut self, name: &'static str, value: &V) {
        if let Some(text) = value.param_text() {
            self.cookies.push((name, text.into_owned()));
        }
    }

    /// Sets a JSON request body with the given content type.
    pub fn json_body(
        &mut self,
        content_type: &'static str,
        value: &serde_json::Value,
    ) -> Result<(), ErrorKind> {
        let bytes = serde_json::to_vec(value).map_err(ErrorKind::Encode)?;
        self.body = Some((content_type, bytes));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from a JSON object: strings as they
    /// are, numbers and booleans as text, arrays as repeated keys, objects as JSON text, `null`
    /// left out. A payload that is not an object is an [`ErrorKind::InvalidBody`].
    pub fn form_body(
        &mut self,
        content_type: &'static str,
        value: &serde_json::Value,
    ) -> Result<(), ErrorKind> {
        let serde_json::Value::Object(map) = value else {
            return Err(ErrorKind::InvalidBody(
                "a form-encoded payload must be an object",
            ));
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (key, value) in map {
            let items: Vec<&serde_json::Value> = match value {
                serde_json::Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for item in items {
                if let Some(text) = item.param_text() {
                    form.append_pair(key, &text);
                }
            }
        }
        self.body = Some((content_type, form.finish().into_bytes()));
        Ok(())
    }

    /// Sets a body sent exactly as given (a text payload after template substitution).
    pub fn text_body(&mut self, content_type: &'static str, text: String) {
        self.body = Some((content_type, text.into_bytes()));
    }

    /// The full URL of the request on `base`, with path parameters encoded and the query
    /// string appended.
    pub(crate) fn url(&self, base: &Url) -> Url {
        let mut url = base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty();
            for segment in self.step.path {
                let mut text = String::new();
                for piece in *segment {
                    match piece {
                        PathPiece::Lit(lit) => text.push_str(lit),
                        PathPiece::Param(i) => {
                            if let Some(Some(value)) = self.path_values.get(*i) {
                                text.push_str(value);
                            }
                        }
                    }
                }
                segments.push(&text);
            }
        }
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
        url
    }

    pub(crate) fn method(&self) -> Method {
        Method::from_bytes(self.step.method.as_bytes()).unwrap_or(Method::GET)
    }
}

/// `text` percent-encoded as one path segment, exactly as [`Request::url`] sends it.
pub(crate) fn encode_segment(text: &str) -> String {
    let Ok(mut url) = Url::parse("http://h/") else {
        return text.to_owned();
    };
    if let Ok(mut segments) = url.path_segments_mut() {
        segments.clear().push(text);
    }
    url.path().trim_start_matches('/').to_owned()
}

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
    pub(crate) body: Vec<u8>,
    pub(crate) json: OnceLock<Option<serde_json::Value>>,
}

impl Response {
    /// What a step's failure actions see when no response arrived (a transport error, a
    /// timeout, a body over the limit): status 0, no headers, no body. A criterion that reads
    /// the response is then false (a missing value) or compares against 0.
    pub(crate) fn unanswered() -> Self {
        Response {
            sent: Sent::default(),
            status: 0,
            headers: HeaderMap::new(),
            body: Vec::new(),
            json: OnceLock::new(),
        }
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

    /// Reads the value at a JSON pointer as `T`.
    ///
    /// An absent value (or `null`) is accepted exactly when `T` accepts `null` (an `Option`);
    /// otherwise it is [`ErrorKind::MissingValue`].
    pub fn extract<T: DeserializeOwned>(
        &self,
        tokens: &[&str],
        pointer: &'static str,
        expected: &'static str,
    ) -> Result<T, ErrorKind> {
        let value = self.body_at(tokens)?;
        let value = value.unwrap_or(&serde_json::Value::Null);
        match T::deserialize(value) {
            Ok(v) => Ok(v),
            Err(_) if value.is_null() => Err(ErrorKind::MissingValue { pointer }),
            Err(source) => Err(ErrorKind::Decode {
                pointer,
                expected,
                source,
            }),
        }
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

    /// A response header as an owned string for an output; absent is [`ErrorKind::MissingValue`].
    pub fn header_value(&self, name: &'static str) -> Result<String, ErrorKind> {
        self.header(name)
            .map(str::to_owned)
            .ok_or(ErrorKind::MissingValue { pointer: name })
    }

    /// A short single-line excerpt of the body for error messages, redacted: in a JSON body
    /// the values of secret-looking members (`password`, `token`, `secret`, `key`, …) become
    /// `***`, and every occurrence of one of `secrets` (credentials and secret inputs, see
    /// `Run::secrets`) is masked.
    pub(crate) fn excerpt(&self, secrets: &[&str]) -> String {
        const MAX: usize = 200;
        if self.body.is_empty() {
            return String::new();
        }
        let mut text = match self.json() {
            Ok(json) => {
                let mut json = json.clone();
                redact_json(&mut json);
                json.to_string()
            }
            Err(_) => String::from_utf8_lossy(&self.body).into_owned(),
        };
        for secret in secrets {
            text = text.replace(secret, "***");
        }
        let mut out: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(MAX)
            .collect();
        if text.chars().count() > MAX {
            out.push('…');
        }
        out
    }
}

/// Whether a JSON member name looks like it holds a secret.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "authorization",
        "credential",
        "private_key",
        "session",
        "cookie",
    ]
    .iter()
    .any(|s| name.contains(s))
        || name == "key"
}

/// Replaces the values of secret-looking members, at any depth, by `"***"`.
fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (name, member) in map.iter_mut() {
                if is_secret_name(name) && !member.is_null() {
                    *member = serde_json::Value::String("***".to_owned());
                } else {
                    redact_json(member);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// Walks pre-split JSON pointer tokens through a value.
pub(crate) fn walk<'v>(
    mut value: &'v serde_json::Value,
    tokens: &[&str],
) -> Option<&'v serde_json::Value> {
    for token in tokens {
        value = match value {
            serde_json::Value::Object(map) => map.get(*token)?,
            serde_json::Value::Array(items) => {
                // RFC 6901: array indexes are decimal without leading zeros.
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn response(body: &str) -> Response {
        Response {
            sent: Sent::default(),
            status: 200,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            json: OnceLock::new(),
        }
    }

    #[test]
    fn query_lists_follow_style_and_explode() {
        static STEP: StepSpec = StepSpec {
            id: "s",
            operation: "op",
            source: 0,
            method: "GET",
            path: &[],
            path_params: 0,
            security: &[],
            keeps_request: false,
        };
        let base = reqwest::Url::parse("https://example.com/").expect("url");
        let mut r = Request::new(&STEP);
        r.query_list("tag", &json!(["a b", 1, null]), true, ",");
        r.query_list("id", &json!([3, 4]), false, ",");
        r.query_list("p", &json!(["x", "y"]), false, "|");
        r.query_list("one", &json!("z"), false, ",");
        assert_eq!(
            r.url(&base).query(),
            Some("tag=a+b&tag=1&id=3%2C4&p=x%7Cy&one=z")
        );
    }

    #[test]
    fn secret_looking_members_are_redacted_at_any_depth() {
        let mut body = json!({
            "key": "k-1", "monkey": "m", "items": [{"apiKey": "a", "Session_Id": "s"}],
            "token": null, "name": "n"
        });
        redact_json(&mut body);
        assert_eq!(
            body,
            json!({
                "key": "***", "monkey": "m", "items": [{"apiKey": "***", "Session_Id": "***"}],
                "token": null, "name": "n"
            })
        );
    }

    #[test]
    fn walk_follows_objects_and_arrays() {
        let v = json!({"a": [{"b": 1}], "": 2, "01": 3});
        assert_eq!(walk(&v, &["a", "0", "b"]), Some(&json!(1)));
        assert_eq!(walk(&v, &[""]), Some(&json!(2)));
        assert_eq!(walk(&v, &["a", "1"]), None);
        assert_eq!(walk(&v, &["a", "00"]), None);
        assert_eq!(walk(&v, &["01"]), Some(&json!(3)));
    }

    #[test]
    fn extract_types_and_reports_missing_and_mismatched_values() {
        let r = response(r#"{"status": 1, "error": null, "name": "x"}"#);
        assert_eq!(
            r.extract::<i64>(&["status"], "/status", "i64").ok(),
            Some(1)
        );
        assert_eq!(
            r.extract::<Option<String>>(&["error"], "/error", "Option<String>")
                .ok(),
            Some(None)
        );
        assert!(matches!(
            r.extract::<i64>(&["nope"], "/nope", "i64"),
            Err(ErrorKind::MissingValue { pointer: "/nope" })
        ));
        assert!(matches!(
            r.extract::<i64>(&["name"], "/name", "i64"),
            Err(ErrorKind::Decode {
                pointer: "/name",
                ..
            })
        ));
    }

    #[test]
    fn non_json_body_is_reported() {
        let r = response("<html>");
        assert!(matches!(r.json(), Err(ErrorKind::BodyNotJson(_))));
        assert!(matches!(r.body_operand(&["a"]), Operand::Missing));
    }
}
