//! One step's HTTP request, filled in by generated code.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};

use crate::error::ErrorKind;
use crate::multipart::{Multipart, Part};
use crate::param::{IntoParam, ParamValue};
use crate::spec::{PathPiece, StepSpec, XmlNode};

/// A request body as it will be sent.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// These bytes, with this content type.
    Bytes(&'static str, Vec<u8>),
    /// `multipart/form-data` parts (the HTTP client sets the content type and boundary).
    Multipart(Vec<Part>),
}

/// The request of one step, filled in by generated code and sent by [`crate::Run::send`].
/// Parameter values are borrowed from the run's inputs and outputs where they can be (`'a`),
/// so filling in a request copies no text it does not have to.
#[derive(Clone)]
pub struct Request<'a> {
    pub(crate) step: &'static StepSpec,
    pub(crate) path_values: Vec<Option<Cow<'a, str>>>,
    pub(crate) query: Vec<(&'static str, Cow<'a, str>)>,
    /// The whole query string of an OpenAPI 3.2 `querystring` parameter, ready for the URL.
    pub(crate) query_string: Option<Cow<'a, str>>,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<(&'static str, Cow<'a, str>)>,
    pub(crate) body: Option<Body>,
    /// Values set in credential places (`Authorization`, a cookie, an API key's parameter),
    /// which the run masks like configured credentials once it sends the request.
    pub(crate) secrets: Vec<String>,
    /// The step's own `timeout` (Arazzo 1.1), when it has one.
    pub(crate) timeout: Option<std::time::Duration>,
}

/// Shows no parameter values: a credential the document set itself may be among them.
impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |pairs: &[(&'static str, Cow<'_, str>)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        f.debug_struct("Request")
            .field("step", &self.step.id)
            .field("query", &names(&self.query))
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("cookies", &names(&self.cookies))
            .field("secrets", &self.secrets.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Request<'a> {
    pub(crate) fn new(step: &'static StepSpec) -> Self {
        Request {
            step,
            path_values: vec![None; step.path_params()],
            query: Vec::new(),
            query_string: None,
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            secrets: Vec::new(),
            timeout: None,
        }
    }

    /// Sets the step's `timeout` (Arazzo 1.1): each attempt at sending the request may take
    /// at most `limit` (or the client's request timeout, when that is shorter); one that takes
    /// longer is [`ErrorKind::Timeout`](crate::ErrorKind::Timeout), a failure the step's
    /// failure actions handle.
    pub fn timeout(&mut self, limit: std::time::Duration) {
        self.timeout = Some(limit);
    }

    /// Binds the path parameter with index `index` (its position in the path template).
    /// The value is percent-encoded as one path segment, so `/`, `?` or `..` in it cannot
    /// change the request's path.
    pub fn path_param(&mut self, index: usize, value: impl IntoParam<'a>) {
        if let (Some(slot), Some(text)) = (self.path_values.get_mut(index), value.into_param()) {
            *slot = Some(text);
        }
    }

    /// Appends a query parameter (omitted when the value is `None`).
    pub fn query(&mut self, name: &'static str, value: impl IntoParam<'a>) {
        if let Some(text) = value.into_param() {
            self.query.push((name, text));
        }
    }

    /// Sets the whole query string (an OpenAPI 3.2 `querystring` parameter; omitted when the
    /// value is `None`). With `raw` (form-urlencoded, query-ready by definition) the value is
    /// sent as written, only characters a query may not hold being escaped; otherwise it is
    /// percent-encoded whole, so that `&`, `=` or `#` in it stay data.
    pub fn query_string(&mut self, value: impl IntoParam<'a>, raw: bool) {
        if let Some(text) = value.into_param() {
            self.query_string = Some(if raw {
                text
            } else {
                Cow::Owned(utf8_percent_encode(&text, QUERY_COMPONENT).to_string())
            });
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
                .filter_map(|i| i.param_text().map(Cow::into_owned))
                .collect(),
            other => other
                .param_text()
                .map(Cow::into_owned)
                .into_iter()
                .collect(),
        };
        if explode {
            self.query
                .extend(items.into_iter().map(|i| (name, Cow::Owned(i))));
        } else if !items.is_empty() {
            self.query.push((name, Cow::Owned(items.join(delimiter))));
        }
    }

    /// Sets a header (omitted when the value is `None`). A value with CR, LF or other control
    /// characters is refused rather than sent.
    pub fn header(
        &mut self,
        name: &'static str,
        value: impl IntoParam<'a>,
    ) -> Result<(), ErrorKind> {
        let Some(text) = value.into_param() else {
            return Ok(());
        };
        let invalid = |reason| ErrorKind::InvalidHeader {
            name: name.to_owned(),
            reason,
        };
        let header_name =
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("invalid header name"))?;
        let header_value = match text {
            Cow::Borrowed(text) => HeaderValue::from_str(text),
            // An owned value becomes the header's bytes without a copy.
            Cow::Owned(text) => HeaderValue::try_from(text),
        }
        .map_err(|_| {
            invalid("header values may not contain control characters such as CR or LF")
        })?;
        self.headers.insert(header_name, header_value);
        Ok(())
    }

    /// [`Request::header`] for a credential place (`Authorization`, an API key's header): the
    /// value is marked sensitive (kept out of `$request.header.*` and `Debug`) and masked in
    /// every error and log of the run, as a configured credential is. For `Authorization`, the
    /// credentials after the scheme (`Bearer <token>`) are masked on their own too.
    pub fn secret_header(
        &mut self,
        name: &'static str,
        value: impl IntoParam<'a>,
    ) -> Result<(), ErrorKind> {
        let Some(text) = value.into_param() else {
            return Ok(());
        };
        let text = text.into_owned();
        if name.eq_ignore_ascii_case("authorization")
            && let Some((_, credentials)) = text.trim().split_once(char::is_whitespace)
        {
            self.secrets.push(credentials.trim().to_owned());
        }
        self.secrets.push(text.clone());
        self.header(name, text)?;
        if let Ok(header_name) = HeaderName::from_bytes(name.as_bytes())
            && let Some(value) = self.headers.get_mut(header_name)
        {
            value.set_sensitive(true);
        }
        Ok(())
    }

    /// [`Request::cookie`] for a credential place: the value is masked like a configured
    /// credential (see [`Request::secret_header`]).
    pub fn secret_cookie(&mut self, name: &'static str, value: impl IntoParam<'a>) {
        if let Some(text) = value.into_param() {
            self.secrets.push(text.clone().into_owned());
            self.cookies.push((name, text));
        }
    }

    /// [`Request::query`] for an API key's parameter: the value is masked like a configured
    /// credential (see [`Request::secret_header`]).
    pub fn secret_query(&mut self, name: &'static str, value: impl IntoParam<'a>) {
        if let Some(text) = value.into_param() {
            self.secrets.push(text.clone().into_owned());
            self.query.push((name, text));
        }
    }

    /// Adds a cookie (omitted when the value is `None`).
    pub fn cookie(&mut self, name: &'static str, value: impl IntoParam<'a>) {
        if let Some(text) = value.into_param() {
            self.cookies.push((name, text));
        }
    }

    /// Sets a JSON request body with the given content type.
    pub fn json_body(
        &mut self,
        content_type: &'static str,
        value: &serde_json::Value,
    ) -> Result<(), ErrorKind> {
        let bytes = serde_json::to_vec(value).map_err(ErrorKind::Encode)?;
        self.body = Some(Body::Bytes(content_type, bytes));
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
        self.body = Some(Body::Bytes(content_type, form.finish().into_bytes()));
        Ok(())
    }

    /// Sets a body sent exactly as given (a text payload after template substitution).
    pub fn text_body(&mut self, content_type: &'static str, text: String) {
        self.body = Some(Body::Bytes(content_type, text.into_bytes()));
    }

    /// Sets a body of raw bytes (an `application/octet-stream`, image or other binary
    /// payload); nothing is sent when the value is `None` (an optional input left out).
    pub fn bytes_body<B: AsRef<[u8]>>(&mut self, content_type: &'static str, bytes: Option<B>) {
        if let Some(bytes) = bytes {
            self.body = Some(Body::Bytes(content_type, bytes.as_ref().to_vec()));
        }
    }

    /// Sets an XML body: `value` written as the document whose root element `root`
    /// describes (the request body's schema and its OpenAPI `xml` objects). A value the
    /// schema cannot express is an [`ErrorKind::InvalidPayload`].
    pub fn xml_body(
        &mut self,
        content_type: &'static str,
        root: &'static XmlNode,
        value: &serde_json::Value,
    ) -> Result<(), ErrorKind> {
        let bytes = crate::xml::to_xml(root, value)?;
        self.body = Some(Body::Bytes(content_type, bytes));
        Ok(())
    }

    /// Sets a `multipart/form-data` body of these parts.
    pub fn multipart_body(&mut self, parts: Multipart) {
        self.body = Some(Body::Multipart(parts.into_parts()));
    }

    /// The full URL of the request on `base`, with path parameters encoded (each value is one
    /// segment, whatever it holds) and the query string appended. A path segment that would be
    /// `.` or `..` is refused: a URL cannot carry it as a name (the URL standard resolves it,
    /// `%2e%2e` included), so the request would go to another path.
    pub(crate) fn url(&self, base: &Url) -> Result<Url, ErrorKind> {
        let mut url = base.clone();
        // Values of only letters, digits, `-`, `_`, `.` and `~` (not `.` or `..`) need no
        // encoding: pushed as they are. Any other value is encoded by this runtime's own set
        // and the path set whole, so that nothing in it is dropped or read as a separator.
        let mut plain = true;
        for segment in self.step.path {
            let text = self.segment_text(segment);
            if text == "." || text == ".." {
                return Err(ErrorKind::InvalidRequest(format!(
                    "a path segment of operation `{}` would be `{text}`, which a URL resolves \
                     instead of sending",
                    self.step.operation
                )));
            }
            plain &= text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
        }
        if plain {
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.pop_if_empty();
                for segment in self.step.path {
                    segments.push(&self.segment_text(segment));
                }
            }
        } else {
            let mut path = base.path().trim_end_matches('/').to_owned();
            for segment in self.step.path {
                path.push('/');
                path.extend(utf8_percent_encode(
                    &self.segment_text(segment),
                    PATH_SEGMENT,
                ));
            }
            url.set_path(&path);
        }
        if let Some(query) = &self.query_string {
            // The URL parser escapes what a query may not hold (space, `"`, `#`, `<`, `>`,
            // controls, non-ASCII) and keeps the rest.
            url.set_query(Some(query));
        }
        if !self.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &self.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }

    /// The text of one path segment: its literal pieces and parameter values, joined.
    fn segment_text(&self, segment: &[PathPiece]) -> Cow<'_, str> {
        let piece_text = |piece: &PathPiece| match piece {
            PathPiece::Lit(lit) => *lit,
            PathPiece::Param(i) => match self.path_values.get(*i) {
                Some(Some(value)) => value,
                _ => "",
            },
        };
        match segment {
            [piece] => Cow::Borrowed(piece_text(piece)),
            pieces => Cow::Owned(pieces.iter().map(piece_text).collect()),
        }
    }

    pub(crate) fn method(&self) -> Method {
        Method::from_bytes(self.step.method.as_bytes()).unwrap_or(Method::GET)
    }
}

/// What a non-form `querystring` value is escaped with: everything but RFC 3986's unreserved
/// characters.
const QUERY_COMPONENT: &AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a path segment may not hold as it is: the URL standard's path set (controls, space,
/// `"`, `#`, `<`, `>`, `?`, `` ` ``, `{`, `}`), the separators `/` and `\\` (a path separator
/// in `http` URLs), and `%`, so that no value can start or end a segment, or be read as an
/// escape; controls include TAB, CR and LF, which a URL parser would drop.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\')
    .add(b'%');

/// `text` percent-encoded as one path segment, exactly as [`Request::url`] sends it.
pub(crate) fn encode_segment(text: &str) -> String {
    utf8_percent_encode(text, PATH_SEGMENT).to_string()
}

/// `text` (a URL or its path, as sent) with each secret, in the percent-encoded form a path
/// carries it in, replaced by `***`.
pub(crate) fn mask_encoded(text: &str, secrets: &[String]) -> String {
    let mut shown = text.to_owned();
    for secret in secrets {
        shown = shown.replace(encode_segment(secret).as_str(), "***");
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static ONE_PARAM: StepSpec = StepSpec {
        id: "s",
        operation: "getItem",
        source: 0,
        method: "GET",
        path: &[
            &[PathPiece::Lit("items")],
            &[PathPiece::Param(0)],
            &[PathPiece::Lit("details")],
        ],
        security: &[],
        keeps_request: false,
    };

    #[test]
    fn credential_places_are_collected_as_secrets_and_kept_out_of_debug() {
        let mut request = Request::new(&ONE_PARAM);
        request
            .secret_header("Authorization", "Bearer tok-1234".to_owned())
            .expect("a valid header");
        request.secret_cookie("session", "cookie-5678".to_owned());
        request.secret_query("api_key", "key-9012".to_owned());
        request.query("page", "page-value".to_owned());
        assert_eq!(
            request.secrets,
            ["tok-1234", "Bearer tok-1234", "cookie-5678", "key-9012"]
        );
        let header = request.headers.get("authorization").expect("sent");
        assert!(header.is_sensitive());
        assert_eq!(header, "Bearer tok-1234");
        let debug = format!("{request:?}");
        for value in ["tok-1234", "cookie-5678", "key-9012", "page-value"] {
            assert!(!debug.contains(value), "{debug}");
        }
    }

    #[test]
    fn a_path_value_is_always_one_segment() {
        let base = Url::parse("https://example.com/api/").expect("url");
        for (value, path) in [
            ("a b/../c", "/api/items/a%20b%2F..%2Fc/details"),
            ("adm\nin", "/api/items/adm%0Ain/details"),
            ("t\tab\r", "/api/items/t%09ab%0D/details"),
            ("%2e%2e", "/api/items/%252e%252e/details"),
            ("back\\slash?q#f", "/api/items/back%5Cslash%3Fq%23f/details"),
            ("...", "/api/items/.../details"),
            ("caf\u{e9}", "/api/items/caf%C3%A9/details"),
        ] {
            let mut r = Request::new(&ONE_PARAM);
            r.path_param(0, value);
            let url = r.url(&base).expect(value);
            assert_eq!(url.path(), path, "{value:?}");
            assert_eq!(
                encode_segment(value),
                path.split('/').nth(3).unwrap_or_default()
            );
        }
        for value in [".", ".."] {
            let mut r = Request::new(&ONE_PARAM);
            r.path_param(0, value);
            assert!(
                matches!(r.url(&base), Err(ErrorKind::InvalidRequest(_))),
                "{value:?}"
            );
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
            r.url(&base).expect("url").query(),
            Some("tag=a+b&tag=1&id=3%2C4&p=x%7Cy&one=z")
        );
    }

    #[test]
    fn a_query_string_is_sent_whole() {
        static STEP: StepSpec = StepSpec {
            id: "s",
            operation: "op",
            source: 0,
            method: "QUERY",
            path: &[],
            security: &[],
            keeps_request: false,
        };
        let base = reqwest::Url::parse("https://example.com/").expect("url");
        // Form-urlencoded: as written, only what a query may not hold escaped.
        let mut r = Request::new(&STEP);
        r.query_string("a=1&b=x+y%2F&c=d e#f", true);
        assert_eq!(
            r.url(&base).expect("url").query(),
            Some("a=1&b=x+y%2F&c=d%20e%23f")
        );
        // Another media type (JSON here): encoded whole, so `&` and `=` stay data.
        let mut r = Request::new(&STEP);
        r.query_string(r#"{"a":"b&c=d"}"#, false);
        assert_eq!(
            r.url(&base).expect("url").query(),
            Some("%7B%22a%22%3A%22b%26c%3Dd%22%7D")
        );
        assert_eq!(r.method().as_str(), "QUERY");
    }
}
