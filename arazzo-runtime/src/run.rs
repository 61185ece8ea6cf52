//! One workflow run: preflight checks, sending steps, bookkeeping for errors.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, COOKIE, HeaderValue};
use tracing::Instrument;

use crate::client::{ApiKeyLocation, ClientCore, Credential, SchemeKind};
use crate::error::{Error, ErrorKind};
use crate::request::{Auth, Request, Response, Sent};

/// How deeply workflows may call workflows.
pub const MAX_CALL_DEPTH: usize = 32;

/// One piece of a path segment: literal text or a path parameter.
#[derive(Debug, Clone, Copy)]
pub enum PathPiece {
    /// Literal text from the path template.
    Lit(&'static str),
    /// The path parameter with this index.
    Param(usize),
}

/// A step as the compiler resolved it: the operation it calls and how to authenticate.
#[derive(Debug)]
pub struct StepSpec {
    /// The step's `stepId`.
    pub id: &'static str,
    /// The operation's `operationId`, or `METHOD /path` when it has none.
    pub operation: &'static str,
    /// Index of the source description that defines the operation.
    pub source: usize,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template split into segments, each a list of pieces.
    pub path: &'static [&'static [PathPiece]],
    /// How many path parameters the template has.
    pub path_params: usize,
    /// The operation's security requirement alternatives: each inner list names scheme
    /// indexes that must all be applied; the first alternative whose credentials are all set
    /// is used. An empty outer list means no authentication.
    pub security: &'static [&'static [usize]],
    /// Whether an output or criterion reads the request that was sent (`$url`, `$method`,
    /// `$request.*`): only then is a copy of it kept with the response.
    pub keeps_request: bool,
}

/// Where a run sits among nested workflow calls: how deep, the deadline of the outermost run
/// (from the client's workflow timeout), which called workflows share, and the secret values
/// the callers mask, which a called workflow masks too (a caller's secret input may reach a
/// callee input that is not marked secret).
#[derive(Clone)]
pub struct Nesting {
    depth: usize,
    deadline: Option<Instant>,
    masked: Option<std::sync::Arc<[String]>>,
}

impl std::fmt::Debug for Nesting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Nesting")
            .field("depth", &self.depth)
            .field("deadline", &self.deadline)
            .field("masked", &self.masked.as_ref().map_or(0, |m| m.len()))
            .finish()
    }
}

impl Nesting {
    /// The outermost run: depth 0, its deadline not yet started.
    pub const TOP: Nesting = Nesting {
        depth: 0,
        deadline: None,
        masked: None,
    };

    /// How many calls deep the run is (0 for the workflow the user ran).
    pub fn depth(&self) -> usize {
        self.depth
    }
}

/// The state of one workflow run.
#[derive(Debug)]
pub struct Run<'c> {
    core: &'c ClientCore,
    workflow: &'static str,
    nesting: Nesting,
    completed: Vec<&'static str>,
    executed: usize,
    /// Retries used, per (step, failure action index).
    retries: Vec<(&'static str, usize, u32)>,
    /// Values of secret inputs, masked in error excerpts and logged URLs like credentials.
    masked: Vec<String>,
}

impl<'c> Run<'c> {
    /// Starts a run of `workflow` on `core`.
    pub fn new(core: &'c ClientCore, workflow: &'static str) -> Self {
        Run {
            core,
            workflow,
            nesting: Nesting {
                depth: 0,
                deadline: core.workflow_timeout.map(|t| Instant::now() + t),
                masked: None,
            },
            completed: Vec::new(),
            executed: 0,
            retries: Vec::new(),
            masked: Vec::new(),
        }
    }

    /// Masks `value` (a secret input of this run) wherever an error excerpt or a logged URL
    /// would show it, as the client's credentials are.
    pub fn mask(&mut self, value: &str) {
        self.masked.push(value.to_owned());
    }

    /// Every value to mask: the client's credentials and this run's secret inputs, except
    /// those shorter than [`MIN_MASKED_LEN`] (masking them would garble unrelated text).
    fn secrets(&self) -> Vec<&str> {
        let mut all = self.core.secrets();
        all.extend(self.masked.iter().map(String::as_str));
        all.retain(|s| s.len() >= MIN_MASKED_LEN);
        all
    }

    /// Checks, before anything is sent, that every step that may run has the credentials
    /// its operation requires.
    pub fn preflight(&self, steps: &[&'static StepSpec]) -> Result<(), Error> {
        for step in steps {
            if self.pick_security(step).is_none() {
                // Name the first scheme of the first alternative that is not configured.
                let missing = step
                    .security
                    .first()
                    .and_then(|alt| alt.iter().find(|i| self.core.credential(**i).is_none()))
                    .and_then(|i| self.core.schemes.get(*i));
                if let Some(scheme) = missing {
                    let source_name = self.core.sources.get(scheme.source).map_or("?", |s| s.name);
                    return Err(self.step_error(
                        step,
                        ErrorKind::MissingCredential {
                            source_name,
                            scheme: scheme.name,
                            builder_method: scheme.builder_method,
                        },
                    ));
                }
            }
        }
        Ok(())
    }

    /// Starts a run of `workflow` at `nesting` ([`Nesting::TOP`], or [`Run::child`] of the
    /// calling run): called workflows share the outermost run's deadline.
    pub fn nested(
        core: &'c ClientCore,
        workflow: &'static str,
        nesting: Nesting,
    ) -> Result<Self, Error> {
        let mut run = Run::new(core, workflow);
        let depth = nesting.depth;
        if let Some(masked) = &nesting.masked {
            run.masked.extend(masked.iter().cloned());
        }
        if depth > 0 {
            run.nesting = nesting;
        }
        if depth > MAX_CALL_DEPTH {
            return Err(run.workflow_error(ErrorKind::CallDepthExceeded(MAX_CALL_DEPTH)));
        }
        Ok(run)
    }

    /// The nesting of a workflow this run calls.
    pub fn child(&self) -> Nesting {
        Nesting {
            depth: self.nesting.depth + 1,
            deadline: self.nesting.deadline,
            masked: (!self.masked.is_empty()).then(|| self.masked.as_slice().into()),
        }
    }

    /// Time left before the workflow deadline: `None` without a workflow timeout, or the
    /// `WorkflowTimeout` error once it has passed.
    fn remaining(&self) -> Result<Option<Duration>, ErrorKind> {
        let Some(deadline) = self.nesting.deadline else {
            return Ok(None);
        };
        match deadline.checked_duration_since(Instant::now()) {
            Some(left) if !left.is_zero() => Ok(Some(left)),
            _ => Err(self.timeout_error()),
        }
    }

    fn timeout_error(&self) -> ErrorKind {
        ErrorKind::WorkflowTimeout(self.core.workflow_timeout.unwrap_or_default())
    }

    /// The error for a success criterion of a step that calls a workflow.
    pub fn call_criterion_failed(&self, step: &'static StepSpec, criterion: &'static str) -> Error {
        self.step_error(step, ErrorKind::CriterionNotMet(criterion))
    }

    /// The error for parameters that do not deserialize into the callee's inputs.
    pub fn callee_inputs_error(
        &self,
        step: &'static StepSpec,
        workflow: &'static str,
        source: serde_json::Error,
    ) -> Error {
        self.step_error(step, ErrorKind::CalleeInputs { workflow, source })
    }

    /// Counts one more executed step against the client's step budget.
    pub fn enter_step(&mut self, step: &'static StepSpec) -> Result<(), Error> {
        if let Err(kind) = self.remaining() {
            return Err(self.step_error(step, kind));
        }
        self.executed += 1;
        if self.executed > self.core.step_budget {
            return Err(
                self.step_error(step, ErrorKind::StepBudgetExhausted(self.core.step_budget))
            );
        }
        Ok(())
    }

    /// Whether the retry action `action` of `step` may retry once more (at most `limit` times
    /// in this run); counts the retry when it may.
    pub fn take_retry(&mut self, step: &'static StepSpec, action: usize, limit: u32) -> bool {
        match self
            .retries
            .iter_mut()
            .find(|(s, a, _)| *s == step.id && *a == action)
        {
            Some((_, _, used)) if *used >= limit => false,
            Some((_, _, used)) => {
                *used += 1;
                true
            }
            None if limit == 0 => false,
            None => {
                self.retries.push((step.id, action, 1));
                true
            }
        }
    }

    /// Waits before a retry: the response's `Retry-After` (seconds or an HTTP date) when there
    /// is a response that has one, else the action's `retryAfter` (seconds); never longer than the client's
    /// `max_retry_delay`, so a hostile server cannot park the run.
    pub async fn retry_delay(&self, retry_after: Option<f64>, response: Option<&Response>) {
        let delay = retry_delay_for(
            response.and_then(|r| r.header("retry-after")),
            retry_after,
            std::time::SystemTime::now(),
        )
        .min(self.core.max_retry_delay);
        // Never wait past the workflow deadline: the next step then fails with the timeout.
        let delay = match self.remaining() {
            Ok(Some(left)) => delay.min(left),
            Ok(None) => delay,
            Err(_) => Duration::ZERO,
        };
        tracing::debug!(delay_ms = delay.as_millis() as u64, "waiting before retry");
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }

    /// A new, empty request for `step`.
    pub fn request(&self, step: &'static StepSpec) -> Request {
        Request::new(step)
    }

    /// Records that `step` completed: its request succeeded and its outputs were read.
    pub fn complete(&mut self, step: &'static StepSpec) {
        self.completed.push(step.id);
    }

    /// Attaches the run's context (workflow, step, completed steps) to an error kind.
    pub fn step_error(&self, step: &'static StepSpec, kind: ErrorKind) -> Error {
        Error::in_workflow(
            kind,
            self.workflow,
            Some((step.id, step.operation)),
            self.completed.clone(),
        )
    }

    /// Attaches the run's context to an error that belongs to no single step.
    pub fn workflow_error(&self, kind: ErrorKind) -> Error {
        Error::in_workflow(kind, self.workflow, None, self.completed.clone())
    }

    /// The error for a success criterion that evaluated to false.
    pub fn criterion_failed(
        &self,
        step: &'static StepSpec,
        criterion: &'static str,
        response: &Response,
    ) -> Error {
        self.step_error(
            step,
            ErrorKind::CriteriaNotMet {
                criterion,
                status: response.status,
                body: response.excerpt(&self.secrets()),
            },
        )
    }

    fn pick_security(&self, step: &StepSpec) -> Option<&'static [usize]> {
        if step.security.is_empty() {
            return Some(&[]);
        }
        step.security
            .iter()
            .find(|alt| alt.iter().all(|i| self.core.credential(*i).is_some()))
            .copied()
    }

    /// Sends the request of `step` and reads the whole response body (up to the client's
    /// size limit) within the client's request timeout.
    ///
    /// A step that got no response (a transport error, a request timeout, a body over the
    /// limit) has failed like one whose criteria are false, and its failure actions may handle
    /// it: it comes back as `Ok` with an unanswered response (status 0, no headers, no body)
    /// for their criteria, and the error to report when no action applies. Any other error
    /// (a refused header value, the workflow timeout) is an `Err` that ends the step.
    pub async fn send(
        &mut self,
        step: &'static StepSpec,
        request: Request,
    ) -> Result<(Response, Option<Error>), Error> {
        match self.send_once(step, request).await {
            Ok(response) => Ok((response, None)),
            Err(error) if error.is_unanswered() => Ok((Response::unanswered(), Some(error))),
            Err(error) => Err(error),
        }
    }

    async fn send_once(
        &mut self,
        step: &'static StepSpec,
        mut request: Request,
    ) -> Result<Response, Error> {
        let Some(base) = self.core.base_url(step.source) else {
            return Err(self.step_error(
                step,
                ErrorKind::Config(format!("no base URL for source {}", step.source)),
            ));
        };
        let security = self.pick_security(step).unwrap_or(&[]);
        self.apply_security(security, &mut request);
        let url = request.url(base);
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
        let result = self
            .send_with_policy(request, url, &span)
            .instrument(span.clone())
            .await;
        span.record("elapsed_ms", started.elapsed().as_millis() as u64);
        match result {
            Ok(response) => {
                span.record("status", response.status);
                Ok(response)
            }
            Err(kind) => Err(self.step_error(step, kind)),
        }
    }

    /// Sends the request, resending it as the client's [`RetryPolicy`] allows (idempotent
    /// methods only), never past the workflow deadline.
    ///
    /// [`RetryPolicy`]: crate::RetryPolicy
    async fn send_with_policy(
        &self,
        request: Request,
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
                return self.exchange(request, url, remaining).await;
            };
            let outcome = self.exchange(request.clone(), url.clone(), remaining).await;
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

    async fn exchange(
        &self,
        request: Request,
        url: reqwest::Url,
        remaining: Option<Duration>,
    ) -> Result<Response, ErrorKind> {
        let sent = if request.step.keeps_request {
            let mut sent_headers = request.headers.clone();
            if let Some((content_type, _)) = &request.body {
                sent_headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
            }
            Sent {
                method: request.step.method,
                url: url.to_string(),
                headers: sent_headers,
                query: request.query.clone(),
                path: request.path_values.clone(),
                body: request.body.as_ref().map(|(_, b)| b.clone()),
            }
        } else {
            Sent::default()
        };
        // The request timeout, shortened to what is left of the workflow's time.
        let (timeout, deadline_bound) = match remaining {
            Some(left) if left < self.core.request_timeout => (left, true),
            _ => (self.core.request_timeout, false),
        };
        let mut builder = self
            .core
            .http
            .request(request.method(), url)
            .timeout(timeout)
            .headers(request.headers);
        if !request.cookies.is_empty() {
            let cookie = request
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            let value = HeaderValue::from_str(&cookie).map_err(|_| ErrorKind::InvalidHeader {
                name: "cookie".to_owned(),
                reason: "cookie values may not contain control characters",
            })?;
            builder = builder.header(COOKIE, value);
        }
        builder = match request.auth {
            Some(Auth::Basic(username, password)) => builder.basic_auth(username, Some(password)),
            Some(Auth::Bearer(token)) => builder.bearer_auth(token),
            None => builder,
        };
        if let Some((content_type, body)) = request.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        }
        let classify = |e: reqwest::Error| {
            if e.is_timeout() && deadline_bound {
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
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > limit {
                return Err(ErrorKind::BodyTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(status, bytes = body.len(), "response received");
        Ok(Response {
            sent,
            status,
            headers,
            body,
            json: OnceLock::new(),
        })
    }

    fn apply_security(&self, schemes: &[usize], request: &mut Request) {
        for index in schemes {
            let (Some(scheme), Some(credential)) =
                (self.core.schemes.get(*index), self.core.credential(*index))
            else {
                continue;
            };
            match (scheme.kind, credential) {
                (SchemeKind::HttpBasic, Credential::Basic { username, password }) => {
                    request.auth =
                        Some(Auth::Basic(username.clone(), password.expose().to_owned()));
                }
                (SchemeKind::HttpBearer, Credential::Bearer(token)) => {
                    request.auth = Some(Auth::Bearer(token.expose().to_owned()));
                }
                (SchemeKind::ApiKey { location, name }, Credential::ApiKey(key)) => {
                    match location {
                        ApiKeyLocation::Query => {
                            request.query.push((name, key.expose().to_owned()))
                        }
                        ApiKeyLocation::Header => {
                            if let (Ok(header), Ok(mut value)) = (
                                reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                                HeaderValue::from_str(key.expose()),
                            ) {
                                value.set_sensitive(true);
                                request.headers.insert(header, value);
                            }
                        }
                        ApiKeyLocation::Cookie => {
                            request.cookies.push((name, key.expose().to_owned()))
                        }
                    }
                }
                // The generated builder only accepts the credential kind matching the scheme.
                _ => {}
            }
        }
    }
}

/// Methods that RFC 9110 §9.2.2 defines as idempotent: safe to resend.
fn is_idempotent(method: &str) -> bool {
    matches!(
        method.to_ascii_uppercase().as_str(),
        "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE" | "TRACE"
    )
}

/// The delay before a retry: `Retry-After` (when it parses) overrules the action's
/// `retryAfter`.
fn retry_delay_for(
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

/// Secrets shorter than this are not masked in text (see [`Run::secrets`]).
pub(crate) const MIN_MASKED_LEN: usize = 4;

/// The URL for logs: every query value is replaced by `***`, so an API key or token in the
/// query string never reaches a log, and a secret in the path (as sent, percent-encoded) is
/// masked too.
fn redacted_url(url: &reqwest::Url, request: &Request, secrets: &[&str]) -> String {
    let mut shown = url.clone();
    shown.set_query(None);
    let mut shown = shown.to_string();
    for secret in secrets {
        let encoded = crate::request::encode_segment(secret);
        shown = shown.replace(encoded.as_str(), "***");
    }
    if request.query.is_empty() {
        return shown;
    }
    let names: Vec<String> = request
        .query
        .iter()
        .map(|(name, _)| format!("{name}=***"))
        .collect();
    format!("{shown}?{}", names.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    static STEP: StepSpec = StepSpec {
        id: "s",
        operation: "op",
        source: 0,
        method: "GET",
        path: &[&[PathPiece::Lit("items")], &[PathPiece::Param(0)]],
        path_params: 1,
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
        let url = request.url(&base);
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
    fn secrets_shorter_than_four_characters_are_not_masked() {
        let core = crate::client::ClientCoreBuilder::new(&[], &[])
            .build()
            .expect("builds");
        let mut run = Run::new(&core, "wf");
        run.mask("abc");
        run.mask("long-secret");
        assert_eq!(run.secrets(), ["long-secret"]);
    }

    #[test]
    fn logged_url_masks_secrets_in_the_path() {
        let mut request = Request::new(&STEP);
        request.path_param(0, "user/pa ss");
        let base = reqwest::Url::parse("https://example.com/").expect("url");
        let url = request.url(&base);
        assert_eq!(url.as_str(), "https://example.com/items/user%2Fpa%20ss");
        assert_eq!(
            redacted_url(&url, &request, &["user/pa ss", "abc"]),
            "https://example.com/items/***"
        );
    }
}
