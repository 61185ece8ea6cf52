//! The per-document client: HTTP client, base URLs and credentials.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use base64::prelude::BASE64_STANDARD;
use reqwest::Url;
use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

use crate::error::{Error, ErrorKind};
use crate::secret::Secret;
use crate::spec::{ApiKeyLocation, SchemeKind, SchemeSpec, SourceSpec};

/// A credential for one security scheme.
#[derive(Clone, Debug)]
pub enum Credential {
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password, redacted in `Debug`.
        password: Secret,
    },
    /// An HTTP bearer token.
    Bearer(Secret),
    /// An API key.
    ApiKey(Secret),
}

/// The header that carries a credential, built once when the client is built (requests
/// then share it without a copy), marked sensitive so HTTP tooling does not log it: HTTP basic
/// and bearer go in `Authorization`, a header API key in its header; query and cookie keys have
/// none. A credential that cannot travel in a header (control or non-ASCII characters in a
/// token or key) is refused, naming the builder method but not the value, so a request never
/// goes out without the credential its operation requires.
fn credential_header(
    spec: &SchemeSpec,
    credential: &Credential,
) -> Result<Option<(HeaderName, HeaderValue)>, Error> {
    let (name, text) = match (spec.kind, credential) {
        (SchemeKind::HttpBasic, Credential::Basic { username, password }) => {
            let pair = format!("{username}:{}", password.expose());
            (
                AUTHORIZATION,
                format!("Basic {}", BASE64_STANDARD.encode(pair)),
            )
        }
        (SchemeKind::HttpBearer, Credential::Bearer(token)) => {
            (AUTHORIZATION, format!("Bearer {}", token.expose()))
        }
        (
            SchemeKind::ApiKey {
                location: ApiKeyLocation::Header,
                name,
            },
            Credential::ApiKey(key),
        ) => {
            let Ok(name) = HeaderName::from_bytes(name.as_bytes()) else {
                return Ok(None);
            };
            (name, key.expose().to_owned())
        }
        _ => return Ok(None),
    };
    match HeaderValue::try_from(text) {
        Ok(mut value) => {
            value.set_sensitive(true);
            Ok(Some((name, value)))
        }
        Err(_) => Err(Error::new(ErrorKind::Config(format!(
            "the credential given to `ClientBuilder::{}` cannot be sent in an HTTP header \
             (it contains control or non-ASCII characters)",
            spec.builder_method
        )))),
    }
}

/// Default limit for a response body: 8 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;
/// Default per-request timeout: 30 seconds.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Default longest wait before a retry, whatever the server's `Retry-After` says: 60 seconds.
pub const DEFAULT_MAX_RETRY_DELAY: Duration = Duration::from_secs(60);
/// Default number of steps one run may execute (guards `goto` loops).
pub const DEFAULT_STEP_BUDGET: usize = 1_000;

/// An opt-in policy that resends a request after a transport failure (connection refused or
/// reset, timeout) or a `429 Too Many Requests` / `503 Service Unavailable` answer, for
/// idempotent methods only (`GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE`, `TRACE`): a `POST` that
/// may have reached the server is never sent twice behind the document's back.
///
/// Waits grow exponentially from `initial_backoff`, capped at `max_backoff`, with full jitter
/// (a uniformly random wait up to the bound); a `Retry-After` header on the answer overrules
/// the computed wait, still capped by the client's `max_retry_delay`. Retries that the
/// document asks for (`retry` actions) are separate and come on top.
///
/// ```
/// use std::time::Duration;
/// let policy = arazzo_runtime::RetryPolicy::new(3)
///     .backoff(Duration::from_millis(200), Duration::from_secs(5));
/// assert_eq!(policy.max_retries(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl RetryPolicy {
    /// At most `max_retries` resends of one request, waiting 100 ms, 200 ms, 400 ms, … (at
    /// most 10 s) with jitter.
    ///
    /// ```
    /// let policy = arazzo_runtime::RetryPolicy::new(2);
    /// assert_eq!(policy.max_retries(), 2);
    /// ```
    pub fn new(max_retries: u32) -> Self {
        RetryPolicy {
            max_retries,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
        }
    }

    /// Sets the first wait and the cap of the exponential backoff (a cap below the first wait
    /// is raised to it).
    ///
    /// ```
    /// use std::time::Duration;
    /// let quick = arazzo_runtime::RetryPolicy::new(5)
    ///     .backoff(Duration::from_millis(50), Duration::from_secs(1));
    /// assert_ne!(quick, arazzo_runtime::RetryPolicy::new(5));
    /// ```
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// How many times one request may be resent.
    ///
    /// ```
    /// assert_eq!(arazzo_runtime::RetryPolicy::new(0).max_retries(), 0);
    /// ```
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before resend number `retry` (1-based): a uniformly random duration up to
    /// `initial_backoff · 2^(retry-1)`, capped at `max_backoff`.
    pub(crate) fn delay(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let bound = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// The configured client of one Arazzo document, wrapped by the generated `Client`.
#[derive(Clone)]
pub struct ClientCore {
    pub(crate) http: reqwest::Client,
    pub(crate) sources: &'static [SourceSpec],
    pub(crate) base_urls: Vec<Url>,
    pub(crate) schemes: &'static [SchemeSpec],
    pub(crate) credentials: Vec<Option<Credential>>,
    /// The header each credential travels in, if any, by scheme index.
    pub(crate) credential_headers: Vec<Option<(HeaderName, HeaderValue)>>,
    pub(crate) request_timeout: Duration,
    pub(crate) max_body_bytes: usize,
    pub(crate) step_budget: usize,
    pub(crate) max_retry_delay: Duration,
    pub(crate) workflow_timeout: Option<Duration>,
    pub(crate) retry_policy: Option<RetryPolicy>,
    /// The brokers of the document's AsyncAPI servers, connected on first use.
    pub(crate) brokers: crate::message::Brokers,
}

impl ClientCore {
    /// Broker `index` of the document's AsyncAPI servers, connected on its first use.
    pub async fn broker(&self, index: usize) -> Result<crate::message::Broker, ErrorKind> {
        self.brokers.get(index).await
    }

    /// The base URL used for the source at `index`.
    pub fn base_url(&self, index: usize) -> Option<&Url> {
        self.base_urls.get(index)
    }

    /// The base URL used for the source at `index` as text (`$sourceDescriptions.<name>.url`);
    /// empty when there is none.
    pub fn base_url_text(&self, index: usize) -> String {
        self.base_url(index).map(Url::to_string).unwrap_or_default()
    }

    /// The credential configured for the scheme at `index`, if any.
    pub(crate) fn credential(&self, index: usize) -> Option<&Credential> {
        self.credentials.get(index).and_then(Option::as_ref)
    }

    /// Every secret value the client holds, to mask in error messages.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut all = Vec::new();
        for (credential, header) in self.credentials.iter().zip(&self.credential_headers) {
            match credential {
                Some(Credential::Basic { password, .. }) => {
                    all.push(password.expose().to_owned());
                    // What a server echoing `Authorization: Basic …` shows: the base64 of
                    // `user:password`.
                    let encoded = header
                        .as_ref()
                        .and_then(|(_, value)| value.to_str().ok())
                        .and_then(|value| value.strip_prefix("Basic "));
                    all.extend(encoded.map(str::to_owned));
                }
                Some(Credential::Bearer(token) | Credential::ApiKey(token)) => {
                    all.push(token.expose().to_owned());
                }
                None => {}
            }
        }
        all
    }
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let configured: Vec<&str> = self
            .schemes
            .iter()
            .zip(&self.credentials)
            .filter(|(_, c)| c.is_some())
            .map(|(s, _)| s.builder_method)
            .collect();
        f.debug_struct("ClientCore")
            .field(
                "base_urls",
                &self.base_urls.iter().map(Url::as_str).collect::<Vec<_>>(),
            )
            .field("credentials_set", &configured)
            .field("request_timeout", &self.request_timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("step_budget", &self.step_budget)
            .field("max_retry_delay", &self.max_retry_delay)
            .field("workflow_timeout", &self.workflow_timeout)
            .field("retry_policy", &self.retry_policy)
            .finish()
    }
}

/// Builder behind the generated `ClientBuilder`.
#[derive(Debug)]
pub struct ClientCoreBuilder {
    http: Option<reqwest::Client>,
    sources: &'static [SourceSpec],
    base_urls: Vec<Option<String>>,
    schemes: &'static [SchemeSpec],
    credentials: Vec<Option<Credential>>,
    request_timeout: Duration,
    max_body_bytes: usize,
    step_budget: usize,
    max_retry_delay: Duration,
    workflow_timeout: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    brokers: crate::message::BrokersBuilder,
}

impl ClientCoreBuilder {
    /// The document's AsyncAPI servers (message steps), at their documents' URLs until set.
    #[must_use]
    pub fn with_brokers(mut self, specs: &'static [crate::message::BrokerSpec]) -> Self {
        self.brokers = crate::message::BrokersBuilder::new(specs);
        self
    }

    /// Sets the URL of broker `index`.
    pub fn broker_url(&mut self, index: usize, url: String) {
        self.brokers.url(index, url);
    }

    /// Sets the credentials of broker `index`.
    pub fn broker_credentials(&mut self, index: usize, credentials: crate::message::Credentials) {
        self.brokers.credentials(index, credentials);
    }

    /// A builder for a document with these sources and security schemes.
    pub fn new(sources: &'static [SourceSpec], schemes: &'static [SchemeSpec]) -> Self {
        ClientCoreBuilder {
            http: None,
            sources,
            base_urls: vec![None; sources.len()],
            schemes,
            credentials: vec![None; schemes.len()],
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            step_budget: DEFAULT_STEP_BUDGET,
            max_retry_delay: DEFAULT_MAX_RETRY_DELAY,
            workflow_timeout: None,
            retry_policy: None,
            brokers: crate::message::BrokersBuilder::default(),
        }
    }

    /// Bounds a whole run (every step, retry wait and called workflow); no bound by default.
    pub fn workflow_timeout(&mut self, timeout: Duration) {
        self.workflow_timeout = Some(timeout);
    }

    /// Resends requests that failed in transport or were throttled, per `policy`; off by
    /// default.
    pub fn retry_policy(&mut self, policy: RetryPolicy) {
        self.retry_policy = Some(policy);
    }

    /// Sets the longest wait before a retry, whatever `retryAfter` or `Retry-After` say.
    pub fn max_retry_delay(&mut self, delay: Duration) {
        self.max_retry_delay = delay;
    }

    /// Uses this `reqwest::Client` (connection pool, proxies, TLS settings) for every request.
    pub fn http_client(&mut self, client: reqwest::Client) {
        self.http = Some(client);
    }

    /// Overrides the base URL of the source at `index`.
    pub fn base_url(&mut self, index: usize, url: String) {
        if let Some(slot) = self.base_urls.get_mut(index) {
            *slot = Some(url);
        }
    }

    /// Sets the credential of the scheme at `index`.
    pub fn credential(&mut self, index: usize, credential: Credential) {
        if let Some(slot) = self.credentials.get_mut(index) {
            *slot = Some(credential);
        }
    }

    /// Sets the HTTP basic credential of the scheme at `index`.
    pub fn basic(
        &mut self,
        index: usize,
        username: impl Into<String>,
        password: impl Into<String>,
    ) {
        self.credential(
            index,
            Credential::Basic {
                username: username.into(),
                password: Secret::new(password),
            },
        );
    }

    /// Sets the bearer token of the scheme at `index` (HTTP bearer, OAuth 2.0, OpenID Connect).
    pub fn bearer(&mut self, index: usize, token: impl Into<String>) {
        self.credential(index, Credential::Bearer(Secret::new(token)));
    }

    /// Sets the API key of the scheme at `index`.
    pub fn api_key(&mut self, index: usize, key: impl Into<String>) {
        self.credential(index, Credential::ApiKey(Secret::new(key)));
    }

    /// Sets the timeout of each request (connect, send and read the whole body).
    pub fn request_timeout(&mut self, timeout: Duration) {
        self.request_timeout = timeout;
    }

    /// Sets the largest response body accepted, in bytes.
    pub fn max_body_bytes(&mut self, limit: usize) {
        self.max_body_bytes = limit;
    }

    /// Sets how many steps one run may execute before it fails.
    pub fn step_budget(&mut self, steps: usize) {
        self.step_budget = steps;
    }

    /// Validates the configuration and builds the client.
    ///
    /// Fails when a base URL does not parse as an absolute `http`/`https` URL, or when a source
    /// has no server URL and none was given.
    pub fn build(self) -> Result<ClientCore, Error> {
        let mut base_urls = Vec::with_capacity(self.sources.len());
        for (spec, given) in self.sources.iter().zip(self.base_urls) {
            let raw = match given.as_deref().or(spec.default_base_url) {
                Some(raw) => raw,
                None => {
                    return Err(Error::new(ErrorKind::Config(format!(
                        "source `{}` names no absolute server URL; set one with `ClientBuilder::{}`",
                        spec.name, spec.base_url_method
                    ))));
                }
            };
            // An AsyncAPI source's URL is its first server's `protocol://host`, not HTTP.
            if self.brokers.has_source(spec.name) {
                base_urls.push(Url::parse(raw).map_err(|e| {
                    Error::new(ErrorKind::Config(format!(
                        "URL `{raw}` of AsyncAPI source `{}`: {e}",
                        spec.name
                    )))
                })?);
                continue;
            }
            base_urls.push(parse_base_url(spec, raw)?);
        }
        let mut credential_headers = Vec::with_capacity(self.schemes.len());
        for (spec, credential) in self.schemes.iter().zip(&self.credentials) {
            credential_headers.push(match credential {
                Some(credential) => credential_header(spec, credential)?,
                None => None,
            });
        }
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                // Credentials must never follow a redirect to another host: this runtime does
                // not follow redirects at all, so a 3xx is reported to the workflow as is.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| {
                    Error::new(ErrorKind::Config(format!(
                        "cannot build the HTTP client: {e}"
                    )))
                })?,
        };
        Ok(ClientCore {
            http,
            sources: self.sources,
            base_urls,
            schemes: self.schemes,
            credentials: self.credentials,
            credential_headers,
            request_timeout: self.request_timeout,
            max_body_bytes: self.max_body_bytes,
            step_budget: self.step_budget,
            max_retry_delay: self.max_retry_delay,
            workflow_timeout: self.workflow_timeout,
            retry_policy: self.retry_policy,
            brokers: self.brokers.build(),
        })
    }
}

/// The builder methods every generated `ClientBuilder` has, whatever the document, expanded
/// into its `impl` block by generated code as `client_builder_methods!(Client);` (the builder
/// holds a [`ClientCoreBuilder`] in its field `core`). The compiler keeps a document's base-URL
/// and credential methods off these names (its `BUILDER_METHODS` lists them).
#[doc(hidden)]
#[macro_export]
macro_rules! client_builder_methods {
    ($client:ident) => {
        /// Uses this `reqwest::Client` (connection pool, proxy and TLS settings) for all requests.
        pub fn http_client(mut self, client: $crate::reqwest::Client) -> Self {
            self.core.http_client(client);
            self
        }

        /// Sets the timeout of each request, from connecting to reading the whole body (default 30 s).
        pub fn request_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.core.request_timeout(timeout);
            self
        }

        /// Sets the largest response body accepted, in bytes (default 8 MiB).
        pub fn max_body_bytes(mut self, limit: usize) -> Self {
            self.core.max_body_bytes(limit);
            self
        }

        /// Sets how many steps one run may execute before failing (default 1,000).
        pub fn step_budget(mut self, steps: usize) -> Self {
            self.core.step_budget(steps);
            self
        }

        /// Sets the longest wait before a retry, whatever `retryAfter` or a server's
        /// `Retry-After` say (default 60 s).
        pub fn max_retry_delay(mut self, delay: ::std::time::Duration) -> Self {
            self.core.max_retry_delay(delay);
            self
        }

        /// Bounds a whole run: every step, retry wait and called workflow (no bound by
        /// default). Past it the run fails with `ErrorKind::WorkflowTimeout`.
        pub fn workflow_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.core.workflow_timeout(timeout);
            self
        }

        /// Resends idempotent requests that failed in transport or got 429/503, with
        /// jittered exponential backoff (off by default; see [`::arazzo::RetryPolicy`]).
        pub fn retry_policy(mut self, policy: $crate::RetryPolicy) -> Self {
            self.core.retry_policy(policy);
            self
        }

        /// Validates the configuration (base URLs, credentials) and builds the client.
        pub fn build(self) -> ::std::result::Result<$client, $crate::Error> {
            ::std::result::Result::Ok($client {
                core: self.core.build()?,
            })
        }
    };
}

fn parse_base_url(spec: &SourceSpec, raw: &str) -> Result<Url, Error> {
    // The URL as messages show it: whatever stands between `//` and `@` may be a password.
    let shown = match (raw.find("//"), raw.rfind('@')) {
        (Some(start), Some(at)) if at > start => format!("{}***{}", &raw[..start + 2], &raw[at..]),
        _ => raw.to_owned(),
    };
    let config_error = |why: String| {
        Error::new(ErrorKind::Config(format!(
            "base URL `{shown}` of source `{}`: {why}",
            spec.name
        )))
    };
    let url = Url::parse(raw).map_err(|e| config_error(e.to_string()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(config_error(
            "it must not carry a user name or password (they would travel with every request \
             and show in logs); give credentials with the builder's credential methods"
                .to_owned(),
        ));
    }
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(config_error("the scheme must be http or https".to_owned()));
    }
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(config_error(
            "it must be an absolute URL with a host".to_owned(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(config_error(
            "it must not have a query or fragment".to_owned(),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    static SOURCES: &[SourceSpec] = &[SourceSpec {
        name: "api",
        default_base_url: Some("https://example.com/v1"),
        base_url_method: "base_url_api",
    }];

    #[test]
    fn default_base_url_is_used() {
        let core = ClientCoreBuilder::new(SOURCES, &[])
            .build()
            .expect("builds");
        assert_eq!(
            core.base_url(0).map(Url::as_str),
            Some("https://example.com/v1")
        );
    }

    #[test]
    fn bad_base_urls_are_config_errors() {
        for bad in ["not a url", "ftp://example.com", "https://example.com/?x=1"] {
            let mut b = ClientCoreBuilder::new(SOURCES, &[]);
            b.base_url(0, bad.to_owned());
            let err = b.build().expect_err(bad);
            assert!(matches!(err.kind(), ErrorKind::Config(_)), "{bad}: {err}");
            assert!(err.to_string().contains("source `api`"), "{err}");
        }
    }

    #[test]
    fn basic_credentials_are_masked_as_sent_too() {
        static SCHEMES: &[SchemeSpec] = &[SchemeSpec {
            source: 0,
            name: "basic",
            kind: SchemeKind::HttpBasic,
            builder_method: "api_basic",
        }];
        let mut b = ClientCoreBuilder::new(SOURCES, SCHEMES);
        b.basic(0, "svc", "s3cret-pass");
        let core = b.build().expect("builds");
        // base64("svc:s3cret-pass"), what a server echoing the Authorization header shows.
        assert_eq!(core.secrets(), ["s3cret-pass", "c3ZjOnMzY3JldC1wYXNz"]);
    }

    #[test]
    fn a_base_url_with_userinfo_is_refused_without_showing_it() {
        for bad in [
            "http://svc:hunter2-pass@example.com/api",
            "http://hunter2-pass@example.com/",
            "ftp://svc:hunter2-pass@example.com/",
        ] {
            let mut b = ClientCoreBuilder::new(SOURCES, &[]);
            b.base_url(0, bad.to_owned());
            let err = b.build().expect_err(bad);
            assert!(matches!(err.kind(), ErrorKind::Config(_)), "{bad}: {err}");
            assert!(!err.to_string().contains("hunter2"), "{err}");
            assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
        }
    }

    #[test]
    fn missing_server_url_names_the_builder_method() {
        static NO_SERVER: &[SourceSpec] = &[SourceSpec {
            name: "api",
            default_base_url: None,
            base_url_method: "base_url_api",
        }];
        let err = ClientCoreBuilder::new(NO_SERVER, &[])
            .build()
            .expect_err("no url");
        assert!(err.to_string().contains("base_url_api"), "{err}");
    }
}
