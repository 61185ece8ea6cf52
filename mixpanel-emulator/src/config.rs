//! Emulator configuration: the project's credentials and the emulated limits.

use std::time::Duration;

/// Default cap on a request body: 10 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

/// How an emulator instance behaves: which project it pretends to be and which limits it applies.
///
/// Build one with [`Config::default`] and struct-update syntax to change a few fields:
///
/// ```
/// let config = mixpanel_emulator::Config {
///     query_rate_limit_per_hour: Some(3),
///     ..mixpanel_emulator::Config::default()
/// };
/// assert_eq!(config.project_id, 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The project token that `/track` (query parameter `token`, event property `token`) and
    /// `/identity/create` (body field `$token`) must carry.
    pub project_token: String,
    /// The only project id that `/api/2.0/segmentation` answers for (query parameter `project_id`).
    pub project_id: i64,
    /// The service account user name expected in HTTP basic auth.
    pub service_account_username: String,
    /// The service account secret expected in HTTP basic auth.
    pub service_account_secret: String,
    /// Most segmentation queries accepted in any sliding hour; `None` means unlimited.
    /// Mixpanel's documented limit is 60.
    pub query_rate_limit_per_hour: Option<u32>,
    /// Most segmentation queries processed at the same time; `None` means unlimited.
    /// Mixpanel's documented limit is 5.
    pub query_concurrency_limit: Option<u32>,
    /// Largest accepted request body in bytes; a larger one is answered with 413.
    pub max_body_bytes: usize,
    /// Artificial processing time of each segmentation query, spent while the query holds one of
    /// the concurrency slots. Zero by default; raise it to exercise the concurrency limit.
    pub query_latency: Duration,
}

impl Default for Config {
    /// Token `emulator-project-token`, project 1, service account
    /// `emulator-service-account` / `emulator-secret`, Mixpanel's query limits (60 per hour,
    /// 5 concurrent), a 10 MiB body cap and no query latency.
    fn default() -> Self {
        Self {
            project_token: "emulator-project-token".to_owned(),
            project_id: 1,
            service_account_username: "emulator-service-account".to_owned(),
            service_account_secret: "emulator-secret".to_owned(),
            query_rate_limit_per_hour: Some(60),
            query_concurrency_limit: Some(5),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            query_latency: Duration::ZERO,
        }
    }
}
