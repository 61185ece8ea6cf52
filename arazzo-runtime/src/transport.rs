//! One HTTP exchange of a step: security applied, the client's retry policy, timeouts and
//! the body limit, and a redacted URL in the step's tracing span.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderValue};
use tracing::Instrument;

use crate::client::Credential;
use crate::error::{Error, ErrorKind};
use crate::journal::journaled;
use crate::record::Outcome;
use crate::request::{Body, Request};
use crate::response::{Response, Sent};
use crate::run::Run;
use crate::spec::{ApiKeyLocation, SchemeKind, StepSpec};

/// What [`Run::send_once`] makes of an exchange that got no response.
#[derive(Clone, Copy)]
enum NoAnswer {
    /// An error that ends the step ([`Run::send`]).
    IsError,
    /// An unanswered response for the failure actions' criteria ([`Run::send_or_unanswered`]).
    IsResponse,
}

impl Run<'_> {
    /// Sends the request of `step` and reads the whole response body (up to the client's
    /// size limit) within the client's request timeout. No response (a transport error, a
    /// request timeout, a body over the limit) is an error, like any other failure to send.
    // Not an `async fn`: its future would keep a second copy of `request` beside the one in
    // `send_once`'s, and every step's future holds this one.
    pub fn send(
        &mut self,
        step: &'static StepSpec,
        request: Request<'_>,
    ) -> impl Future<Output = Result<Response, Error>> + Send {
        self.send_once(step, request, NoAnswer::IsError)
    }

    /// [`Run::send`] for a step with failure actions, which may handle a step that got no
    /// response like one whose criteria are false: that comes back as `Ok` with an unanswered
    /// response (status 0, no headers, no body) for their criteria, which keeps the error to
    /// report when no action applies ([`Run::step_failed`]). Any other error (a refused
    /// header value, the workflow timeout) is an `Err` that ends the step.
    pub fn send_or_unanswered(
        &mut self,
        step: &'static StepSpec,
        request: Request<'_>,
    ) -> impl Future<Output = Result<Response, Error>> + Send {
        self.send_once(step, request, NoAnswer::IsResponse)
    }

    async fn send_once(
        &mut self,
        step: &'static StepSpec,
        mut request: Request<'_>,
        no_answer: NoAnswer,
    ) -> Result<Response, Error> {
        let Some(base) = self.core.base_url(step.source) else {
            return Err(self.step_error(
                step,
                ErrorKind::Config(format!("no base URL for source {}", step.source)),
            ));
        };
        // Credentials the document set itself are masked from here on, like configured ones.
        for secret in std::mem::take(&mut request.secrets) {
            self.mask(&secret);
        }
        let security = self.pick_security(step).unwrap_or(&[]);
        self.apply_security(security, &mut request);
        let url = request
            .url(base)
            .map_err(|kind| self.step_error(step, kind))?;
        self.record
            .request(self.depth, self.workflow, step, url.path());
        let span = tracing::info_span!(
            "arazzo.step",
            workflow = self.workflow,
            step = step.id,
            operation = step.operation,
            method = step.method,
            url = %redacted_url(&url, &request, &self.secrets()),
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = match self.journal {
            None => {
                self.send_with_policy(request, url, &span)
                    .instrument(span.clone())
                    .await
            }
            Some(journal) => {
                let sent = Sent::of(&request, &url);
                let effect = self
                    .send_with_policy(request, url, &span)
                    .instrument(span.clone());
                // Boxed: a journaled exchange waits on its journal (milliseconds), and unboxed
                // its future would make every step's future, journaled or not, a KiB larger.
                let result = Box::pin(journaled(
                    journal,
                    step.id,
                    effect,
                    Response::encode,
                    |bytes| Response::decode(bytes, sent),
                ))
                .await;
                // A replayed exchange was not attempted here: record what it came to.
                match &result {
                    Ok(response) => self.record.set_outcome(Outcome::Answered(response.status)),
                    Err(ErrorKind::Journaled(_)) => self.record.set_outcome(Outcome::NoAnswer),
                    Err(_) => {}
                }
                result
            }
        };
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        self.record.drop_unsent();
        match result {
            Ok(response) => {
                span.record("status", response.status);
                Ok(response)
            }
            Err(kind) => {
                let error = self.step_error(step, kind);
                match no_answer {
                    NoAnswer::IsResponse if error.is_unanswered() => {
                        Ok(Response::unanswered(error))
                    }
                    _ => Err(error),
                }
            }
        }
    }

    /// Sends the request, resending it as the client's [`RetryPolicy`] allows (idempotent
    /// methods only), never past the workflow deadline.
    ///
    /// [`RetryPolicy`]: crate::RetryPolicy
    async fn send_with_policy(
        &mut self,
        request: Request<'_>,
        url: reqwest::Url,
        span: &tracing::Span,
    ) -> Result<Response, ErrorKind> {
        let policy = self
            .core
            .retry_policy
            .filter(|_| is_idempotent(request.step.method));
        let mut attempt: u32 = 1;
        loop {
            span.record("attempt", attempt);
            let remaining = self.remaining()?;
            // The last allowed attempt sends the request itself; earlier ones send a copy.
            let Some(policy) = policy.filter(|p| attempt <= p.max_retries()) else {
                let outcome = self.exchange(request, url, remaining).await;
                self.note_attempt(&outcome);
                return outcome;
            };
            let outcome = self.exchange(request.clone(), url.clone(), remaining).await;
            self.note_attempt(&outcome);
            let retry_after = match &outcome {
                Ok(r) if r.status == 429 || r.status == 503 => r.header("retry-after"),
                Err(ErrorKind::Transport(_) | ErrorKind::Timeout(_)) => None,
                _ => return outcome,
            };
            // A `Retry-After` that parses decides the wait; one that does not (or none) leaves
            // it to the backoff, so a garbled header cannot turn into an immediate resend.
            let delay = retry_after
                .and_then(|header| parse_retry_after(header, std::time::SystemTime::now()))
                .unwrap_or_else(|| policy.delay(attempt))
                .min(self.core.max_retry_delay);
            let delay = match self.remaining()? {
                // Waiting past the deadline would only end in the timeout: end now.
                Some(left) if left <= delay => return Err(self.timeout_error()),
                _ => delay,
            };
            tracing::debug!(
                attempt,
                delay_ms = delay.as_millis() as u64,
                "resending per the client's retry policy"
            );
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    /// Records what came of one attempt at sending the step's request. An attempt that did
    /// not leave the client (refused before sending, or the connection could not be opened)
    /// leaves what an earlier attempt got.
    fn note_attempt(&mut self, outcome: &Result<Response, ErrorKind>) {
        let got = match outcome {
            Ok(response) => Outcome::Answered(response.status),
            Err(ErrorKind::Transport(error)) if error.is_connect() => return,
            // A timeout may have struck after the request was written: say so.
            Err(
                ErrorKind::Transport(_)
                | ErrorKind::Timeout(_)
                | ErrorKind::BodyTooLarge { .. }
                | ErrorKind::WorkflowTimeout(_),
            ) => Outcome::NoAnswer,
            Err(_) => return,
        };
        self.record.set_outcome(got);
    }

    async fn exchange(
        &self,
        request: Request<'_>,
        url: reqwest::Url,
        remaining: Option<Duration>,
    ) -> Result<Response, ErrorKind> {
        let sent = Sent::of(&request, &url);
        // The request timeout (the step's own, when shorter), shortened to what is left of
        // the workflow's time.
        let limit = request.timeout.map_or(self.core.request_timeout, |t| {
            t.min(self.core.request_timeout)
        });
        let (timeout, deadline_bound) = match remaining {
            Some(left) if left < limit => (left, true),
            _ => (limit, false),
        };
        // The step's headers move into the request as they are (no copy into another map).
        let mut http_request = reqwest::Request::new(request.method(), url);
        *http_request.headers_mut() = request.headers;
        *http_request.timeout_mut() = Some(timeout);
        let mut builder = reqwest::RequestBuilder::from_parts(self.core.http.clone(), http_request);
        if !request.cookies.is_empty() {
            // Each value is percent-encoded outside RFC 6265's cookie-octet (and `%`), so a
            // `;`, `,`, quote or space in it cannot add or shadow a cookie.
            let cookie = request
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, COOKIE_VALUE)))
                .collect::<Vec<_>>()
                .join("; ");
            let value = HeaderValue::from_str(&cookie).map_err(|_| ErrorKind::InvalidHeader {
                name: "cookie".to_owned(),
                reason: "cookie values may not contain control characters",
            })?;
            builder = builder.header(COOKIE, value);
        }
        match request.body {
            Some(Body::Bytes(content_type, body)) => {
                builder = builder.header(CONTENT_TYPE, content_type).body(body);
            }
            Some(Body::Multipart(parts)) => builder = builder.multipart(form(parts)?),
            None => {}
        }
        let classify = |e: reqwest::Error| {
            if e.is_builder() {
                // Refused before anything was sent (a URL the client cannot send): no
                // transport failure, so neither failure actions nor the retry policy resend it.
                ErrorKind::InvalidRequest(e.without_url().to_string())
            } else if e.is_timeout() && deadline_bound {
                self.timeout_error()
            } else if e.is_timeout() {
                ErrorKind::Timeout(timeout)
            } else {
                ErrorKind::Transport(e.without_url())
            }
        };
        let mut response = builder.send().await.map_err(classify)?;
        let limit = self.core.max_body_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(ErrorKind::BodyTooLarge { limit });
        }
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        // A body that arrives in one chunk is kept as it is; more are joined.
        let mut body = bytes::Bytes::new();
        let mut joined: Option<Vec<u8>> = None;
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            let so_far = joined.as_ref().map_or(body.len(), Vec::len);
            if so_far + chunk.len() > limit {
                return Err(ErrorKind::BodyTooLarge { limit });
            }
            match &mut joined {
                Some(all) => all.extend_from_slice(&chunk),
                None if body.is_empty() => body = chunk,
                None => {
                    let mut all = Vec::with_capacity(body.len() + chunk.len());
                    all.extend_from_slice(&body);
                    all.extend_from_slice(&chunk);
                    joined = Some(all);
                }
            }
        }
        let body = joined.map_or(body, bytes::Bytes::from);
        tracing::debug!(status, bytes = body.len(), "response received");
        Ok(Response {
            sent,
            status,
            headers,
            body,
            json: OnceLock::new(),
            unanswered: None,
        })
    }

    fn apply_security(&self, schemes: &[usize], request: &mut Request<'_>) {
        for index in schemes {
            let (Some(scheme), Some(credential)) =
                (self.core.schemes.get(*index), self.core.credential(*index))
            else {
                continue;
            };
            // HTTP basic, bearer and header API keys: the header built with the client.
            if let Some(Some((name, value))) = self.core.credential_headers.get(*index) {
                request.headers.insert(name.clone(), value.clone());
                continue;
            }
            // Query and cookie API keys (the generated builder only accepts the credential kind
            // matching the scheme).
            if let (SchemeKind::ApiKey { location, name }, Credential::ApiKey(key)) =
                (scheme.kind, credential)
            {
                let key = Cow::Owned(key.expose().to_owned());
                match location {
                    ApiKeyLocation::Query => request.query.push((name, key)),
                    ApiKeyLocation::Cookie => request.cookies.push((name, key)),
                    ApiKeyLocation::Header => {}
                }
            }
        }
    }
}

/// What a cookie value may not hold as it is (RFC 6265 §4.1.1 `cookie-octet`: no controls,
/// whitespace, `"`, `,`, `;` or `\`), plus `%` so the encoding can be told from the value.
const COOKIE_VALUE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// Methods that RFC 9110 §9.2.2 defines as idempotent: safe to resend.
fn is_idempotent(method: &str) -> bool {
    matches!(
        method.to_ascii_uppercase().as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE"
    )
}

/// The delay before a retry: `Retry-After` (when it parses) overrules the action's
/// `retryAfter`.
pub(crate) fn retry_delay_for(
    header: Option<&str>,
    retry_after: Option<f64>,
    now: std::time::SystemTime,
) -> std::time::Duration {
    header
        .and_then(|value| parse_retry_after(value, now))
        .unwrap_or_else(|| {
            retry_after
                .filter(|s| s.is_finite() && *s > 0.0)
                .map_or(std::time::Duration::ZERO, |s| {
                    std::time::Duration::from_secs_f64(s.min(86_400.0))
                })
        })
}

/// A `Retry-After` value (RFC 9110 §10.2.3: delay-seconds or an HTTP date, a date in the past
/// meaning now); `None` when it is neither.
fn parse_retry_after(value: &str, now: std::time::SystemTime) -> Option<std::time::Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    httpdate::parse_http_date(value)
        .ok()
        .map(|at| at.duration_since(now).unwrap_or_default())
}

/// The URL for logs: every query value is replaced by `***`, so an API key or token in the
/// query string never reaches a log, and a secret in the path (as sent, percent-encoded) is
/// masked too.
fn redacted_url(url: &reqwest::Url, request: &Request<'_>, secrets: &[String]) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    let shown = crate::request::mask_encoded(shown.as_str(), secrets);
    // A `querystring` parameter's value is hidden whole: it has no names to show.
    let names: Vec<String> = request
        .query_string
        .iter()
        .map(|_| "***".to_owned())
        .chain(request.query.iter().map(|(name, _)| format!("{name}=***")))
        .collect();
    if names.is_empty() {
        return shown;
    }
    format!("{shown}?{}", names.join("&"))
}

/// The HTTP client's multipart form of these parts; a content type that does not parse as a
/// MIME type is refused before anything is sent.
fn form(parts: Vec<crate::multipart::Part>) -> Result<reqwest::multipart::Form, ErrorKind> {
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        let mut body = reqwest::multipart::Part::bytes(part.bytes);
        if let Some(file_name) = part.file_name {
            body = body.file_name(file_name);
        }
        if let Some(content_type) = &part.content_type {
            body = body.mime_str(content_type).map_err(|_| {
                ErrorKind::InvalidRequest(format!(
                    "the content type `{content_type}` of multipart field `{}` is no MIME type",
                    part.name
                ))
            })?;
        }
        form = form.part(part.name, body);
    }
    Ok(form)
}

impl Sent {
    /// What `request` to `url` sends, kept for `$request.*` where the step reads it.
    pub(crate) fn of(request: &Request<'_>, url: &reqwest::Url) -> Sent {
        if !request.step.keeps_request {
            return Sent::default();
        }
        // Credentials stay out of `$request.header.*`.
        let mut sent_headers: reqwest::header::HeaderMap = request
            .headers
            .iter()
            .filter(|(_, value)| !value.is_sensitive())
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if let Some(Body::Bytes(content_type, _)) = &request.body {
            sent_headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        Sent {
            method: request.step.method,
            url: url.to_string(),
            headers: sent_headers,
            query: request
                .query
                .iter()
                .map(|(name, value)| (*name, value.clone().into_owned()))
                .collect(),
            path: request
                .path_values
                .iter()
                .map(|value| value.clone().map(Cow::into_owned))
                .collect(),
            body: match &request.body {
                Some(Body::Bytes(_, bytes)) => Some(bytes.clone()),
                _ => None,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::PathPiece;

    static STEP: StepSpec = StepSpec {
        id: "s",
        operation: "op",
        source: 0,
        method: "GET",
        path: &[&[PathPiece::Lit("items")], &[PathPiece::Param(0)]],
        security: &[],
        keeps_request: false,
    };

    #[test]
    fn retry_after_header_overrules_the_action() {
        use std::time::{Duration, SystemTime};
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(
            retry_delay_for(None, Some(1.5), now),
            Duration::from_millis(1500)
        );
        assert_eq!(
            retry_delay_for(Some("3"), Some(1.5), now),
            Duration::from_secs(3)
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(
            retry_delay_for(Some(&later), None, now),
            Duration::from_secs(7)
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(
            retry_delay_for(Some(&earlier), Some(2.0), now),
            Duration::ZERO
        );
        assert_eq!(
            retry_delay_for(Some("soon"), Some(0.25), now),
            Duration::from_millis(250)
        );
        assert_eq!(retry_delay_for(None, None, now), Duration::ZERO);
        assert_eq!(retry_delay_for(None, Some(-1.0), now), Duration::ZERO);
    }

    #[test]
    fn an_unparsable_retry_after_is_no_delay_at_all() {
        use std::time::{Duration, SystemTime};
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        // `None` lets the retry policy fall back to its backoff instead of resending at once.
        for garbled in ["soon", "-1", "1.5", ""] {
            assert_eq!(parse_retry_after(garbled, now), None, "{garbled:?}");
        }
        assert_eq!(parse_retry_after(" 2 ", now), Some(Duration::from_secs(2)));
    }

    #[test]
    fn logged_url_hides_query_values() {
        let mut request = Request::new(&STEP);
        request.path_param(0, "a b/../c");
        request.query("token", "secret-token");
        let base = reqwest::Url::parse("https://example.com/api/").expect("url");
        let url = request.url(&base).expect("url");
        assert_eq!(
            url.as_str(),
            "https://example.com/api/items/a%20b%2F..%2Fc?token=secret-token"
        );
        assert_eq!(
            redacted_url(&url, &request, &[]),
            "https://example.com/api/items/a%20b%2F..%2Fc?token=***"
        );
    }

    #[test]
    fn logged_url_hides_a_query_string() {
        let mut request = Request::new(&STEP);
        request.path_param(0, "x");
        request.query_string("token=secret-token", true);
        request.query("key", "k");
        let base = reqwest::Url::parse("https://example.com/").expect("url");
        let url = request.url(&base).expect("url");
        assert_eq!(
            url.as_str(),
            "https://example.com/items/x?token=secret-token&key=k"
        );
        assert_eq!(
            redacted_url(&url, &request, &[]),
            "https://example.com/items/x?***&key=***"
        );
    }

    #[test]
    fn logged_url_masks_secrets_in_the_path() {
        let mut request = Request::new(&STEP);
        request.path_param(0, "user/pa ss");
        let base = reqwest::Url::parse("https://example.com/").expect("url");
        let url = request.url(&base).expect("url");
        assert_eq!(url.as_str(), "https://example.com/items/user%2Fpa%20ss");
        assert_eq!(
            redacted_url(&url, &request, &["user/pa ss".to_owned(), "abc".to_owned()]),
            "https://example.com/items/***"
        );
    }
}
