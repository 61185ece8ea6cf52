//! An HTTP server on 127.0.0.1 that emulates three Mixpanel operations, for tests, examples and
//! benchmarks that must not reach the real service.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let (addr, emulator) = mixpanel_emulator::start().await?;
//! println!("ingestion at {}, queries at {}", emulator.ingestion_base_url(), emulator.query_base_url());
//! // ... send requests to `addr` ...
//! assert!(emulator.events().is_empty());
//! emulator.shutdown().await;
//! # let _ = addr;
//! # Ok(())
//! # }
//! ```
//!
//! # Emulated endpoints
//!
//! | Mixpanel operation | Emulator path | Authentication |
//! | --- | --- | --- |
//! | Identity API `POST /identity/create` | `POST /identity/create` | `$token` in the body; an `Authorization` header, if sent, must hold the service account's basic auth |
//! | Ingestion API `POST /track` | `POST /track` | `token` query parameter (required); an event's `properties.token`, if present, must agree |
//! | Query API `GET /segmentation` | `GET /api/2.0/segmentation` | service-account basic auth (required) |
//!
//! Base URLs: [`EmulatorHandle::ingestion_base_url`] and [`EmulatorHandle::identity_base_url`]
//! (`http://127.0.0.1:PORT`), [`EmulatorHandle::query_base_url`] (`http://127.0.0.1:PORT/api/2.0`).
//!
//! # Semantics
//!
//! * **Identity (ID merge, one level).** `/identity/create` links `$anon_id` to `$identified_id`.
//!   Events whose `distinct_id` is a linked anonymous id count as the identified user, resolved at
//!   query time (events tracked before the link count too). Several anonymous ids may link to one
//!   user. Linking the same pair again succeeds and changes nothing. An anonymous id already linked
//!   to another user, an anonymous id that is some link's identified id, an identified id that is
//!   a linked anonymous id, and equal ids are refused with 400.
//! * **Ingestion.** The body is JSON `{"data": <event or array of up to 2000 events>}`, or the
//!   classic form `data=<base64 of the event or array>` (`application/x-www-form-urlencoded`;
//!   plain JSON in `data` is accepted too). An event is `{"event": str, "properties":
//!   {"distinct_id": str, "time"?: unix seconds, "$insert_id"?: str, "token"?: str, ...}}`.
//!   A `time` of 10^11 or more is read as milliseconds; a missing `time` means the arrival time.
//!   A batch is accepted or refused as a whole. Events with the same event name, `distinct_id`
//!   and `$insert_id` as a stored event are dropped silently (Mixpanel's deduplication).
//!   With `verbose=1` the answer is `{"status": 1, "error": null}` or
//!   `{"status": 0, "error": "<reason>"}`, otherwise the bare JSON body `1` or `0`; the HTTP
//!   status tells the outcome either way.
//! * **Segmentation.** Parameters `project_id`, `event`, `from_date`, `to_date` (inclusive,
//!   `YYYY-MM-DD`) are required; `type` is `general` (events, the default), `unique` (distinct
//!   resolved users) or `average` (events per distinct user, `0.0` without users); `unit` is
//!   `day` (default), `week` (buckets start on Monday) or `month` (buckets start on the 1st). Each
//!   series entry is a bucket's first day, so with `week`/`month` the first entry may precede
//!   `from_date`; only events inside `from_date..=to_date` are counted. Days are UTC days. `on`,
//!   `where` and `limit` are accepted, ignored, and visible in [`EmulatorHandle::requests`].
//!   The answer is `{"data": {"series": [...], "values": {"<event>": {"<date>": n}}},
//!   "legend_size": 1}`.
//! * **Query limits.** At most [`Config::query_rate_limit_per_hour`] queries in any sliding hour
//!   and [`Config::query_concurrency_limit`] at once; beyond that, 429. Only queries that passed
//!   authentication and the project check use the quota.
//!
//! # Errors
//!
//! | Status | When |
//! | --- | --- |
//! | 400 | malformed JSON, missing or mistyped fields, bad or impossible dates, `from_date` after `to_date`, refused identity links, unsupported `unit` (`minute`, `hour`) |
//! | 401 | missing or wrong project token; missing or wrong service-account basic auth |
//! | 403 | segmentation for a `project_id` other than [`Config::project_id`] (a missing or non-integer `project_id` is 400) |
//! | 404 | any other path |
//! | 405 | a known path with another method (with an `Allow` header) |
//! | 413 | a body larger than [`Config::max_body_bytes`] (10 MiB by default) |
//! | 429 | a query limit is reached |
//!
//! Identity and ingestion errors read `{"status": 0, "error": "<reason>"}` (ingestion without
//! `verbose=1`: the bare body `0`); Query API errors (every path under `/api/`) read
//! `{"request": "<path>?<query>", "error": "<reason>"}`.
//!
//! # Not emulated
//!
//! Every other Mixpanel endpoint (`/import`, `/engage`, `/groups`, `/identity/create-alias`,
//! `/identity/merge`, the other Query API reports, lookup tables); `$identify`/`$merge` events sent
//! through `/track`; segmentation's `on`/`where` expressions, `limit`, and the `minute`/`hour`
//! units; project time zones (everything is UTC); `/track`'s refusal of events older than five
//! days; ingestion rate limits; IP geolocation (`ip`); gzip request bodies; EU data residency;
//! persistence (all state lives in memory and dies with the emulator).

#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod auth;
mod body;
mod config;
mod dates;
mod error;
mod handle;
mod ratelimit;
mod record;
mod routes;
mod server;
mod state;
mod urlencoded;

use std::net::{Ipv4Addr, SocketAddr};

pub use config::{Config, DEFAULT_MAX_BODY_BYTES};
pub use dates::today_utc;
pub use handle::EmulatorHandle;
pub use record::RecordedRequest;
pub use state::StoredEvent;

/// Starts an emulator with [`Config::default`] on `127.0.0.1` and a free port.
///
/// The server runs on the current tokio runtime until [`EmulatorHandle::shutdown`] is called,
/// the last handle is dropped, or the runtime shuts down.
pub async fn start() -> std::io::Result<(SocketAddr, EmulatorHandle)> {
    start_with(Config::default()).await
}

/// Starts an emulator with `config` on `127.0.0.1` and a free port.
pub async fn start_with(config: Config) -> std::io::Result<(SocketAddr, EmulatorHandle)> {
    start_at(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)), config).await
}

/// Starts an emulator with `config` on `addr` (port 0 picks a free port); fails when the address
/// cannot be bound.
pub async fn start_at(
    addr: SocketAddr,
    config: Config,
) -> std::io::Result<(SocketAddr, EmulatorHandle)> {
    server::spawn(addr, config).await
}
