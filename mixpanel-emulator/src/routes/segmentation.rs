//! `GET /api/2.0/segmentation`: event counts per time bucket.

use std::collections::{BTreeMap, HashSet};

use axum::Json;
use axum::http::header::AUTHORIZATION;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use time::Date;

use crate::auth::Credentials;
use crate::dates::{MAX_RANGE_DAYS, Unit, format_date, parse_date, utc_date_of};
use crate::error::ApiError;
use crate::record::RecordedRequest;
use crate::state::{Shared, Store};

/// What is counted per bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Number of events.
    General,
    /// Number of distinct users (after identity resolution).
    Unique,
    /// Events per distinct user, 0 for a bucket without users.
    Average,
}

/// The validated query.
#[derive(Debug)]
struct Query<'a> {
    event: &'a str,
    from: Date,
    to: Date,
    kind: Kind,
    unit: Unit,
}

/// Checks, in order: basic auth (401), `project_id` (400 when missing or not an integer, 403 for
/// another project), the query limits (429), the other parameters (400); then answers.
pub(super) async fn segmentation(
    shared: &Shared,
    request: &RecordedRequest,
) -> Result<Response, ApiError> {
    let config = &shared.config;
    let authorization = request.header(AUTHORIZATION.as_str()).map(str::as_bytes);
    match Credentials::from_header(authorization) {
        Credentials::Absent => {
            return Err(ApiError::unauthorized(
                "missing service account credentials (HTTP basic auth)",
            ));
        }
        credentials if !credentials.is_service_account(config) => {
            return Err(ApiError::unauthorized(
                "invalid service account credentials",
            ));
        }
        _ => {}
    }

    let project = required(request, "project_id")?;
    let project: i64 = project.trim().parse().map_err(|_| {
        ApiError::bad_request(format!("project_id must be an integer, got '{project}'"))
    })?;
    if project != config.project_id {
        return Err(ApiError::forbidden(format!(
            "the service account has no access to project {project}"
        )));
    }

    let _permit = shared
        .limiter
        .acquire()
        .map_err(|refusal| ApiError::too_many_requests(refusal.to_string()))?;
    let query = parse_query(request)?;
    if !config.query_latency.is_zero() {
        tokio::time::sleep(config.query_latency).await;
    }
    let data = compute(&shared.store(), &query);
    Ok(Json(json!({"data": data, "legend_size": 1})).into_response())
}

/// The first value of a required parameter.
fn required<'a>(request: &'a RecordedRequest, name: &str) -> Result<&'a str, ApiError> {
    request
        .query_param(name)
        .ok_or_else(|| ApiError::bad_request(format!("missing required parameter {name}")))
}

fn parse_query(request: &RecordedRequest) -> Result<Query<'_>, ApiError> {
    let event = required(request, "event")?;
    if event.is_empty() {
        return Err(ApiError::bad_request("event must not be empty"));
    }
    let date = |name: &str| {
        required(request, name).and_then(|text| {
            parse_date(text).map_err(|reason| ApiError::bad_request(format!("{name}: {reason}")))
        })
    };
    let (from, to) = (date("from_date")?, date("to_date")?);
    if from > to {
        return Err(ApiError::bad_request(format!(
            "from_date {} is after to_date {}",
            format_date(from),
            format_date(to)
        )));
    }
    if (to - from).whole_days() >= MAX_RANGE_DAYS {
        return Err(ApiError::bad_request(format!(
            "the date range is longer than the emulator's limit of {MAX_RANGE_DAYS} days"
        )));
    }
    let kind = match request.query_param("type") {
        None | Some("general") => Kind::General,
        Some("unique") => Kind::Unique,
        Some("average") => Kind::Average,
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "type must be general, unique or average, got '{other}'"
            )));
        }
    };
    let unit = match request.query_param("unit") {
        None | Some("day") => Unit::Day,
        Some("week") => Unit::Week,
        Some("month") => Unit::Month,
        Some(unit @ ("minute" | "hour")) => {
            return Err(ApiError::bad_request(format!(
                "unit={unit} is not supported by the emulator (use day, week or month)"
            )));
        }
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "unit must be minute, hour, day, week or month, got '{other}'"
            )));
        }
    };
    Ok(Query {
        event,
        from,
        to,
        kind,
        unit,
    })
}

/// The `data` object: `series` (bucket start dates) and `values` (`{event: {date: number}}`).
fn compute(store: &Store, query: &Query<'_>) -> Value {
    let series = query.unit.series(query.from, query.to);
    let mut buckets: BTreeMap<Date, (u64, HashSet<&str>)> = series
        .iter()
        .map(|start| (*start, (0, HashSet::new())))
        .collect();
    for event in store.events.iter().filter(|e| e.event == query.event) {
        let Some(date) = utc_date_of(event.time) else {
            continue;
        };
        if date < query.from || date > query.to {
            continue;
        }
        let Some(start) = query.unit.bucket_start(date) else {
            continue;
        };
        if let Some((count, users)) = buckets.get_mut(&start) {
            *count += 1;
            users.insert(store.resolve(&event.distinct_id));
        }
    }
    let values: Map<String, Value> = buckets
        .iter()
        .map(|(start, (count, users))| {
            let users = users.len() as u64;
            let value = match query.kind {
                Kind::General => json!(count),
                Kind::Unique => json!(users),
                Kind::Average if users == 0 => json!(0.0),
                Kind::Average => json!(*count as f64 / users as f64),
            };
            (format_date(*start), value)
        })
        .collect();
    let series: Vec<String> = series.into_iter().map(format_date).collect();
    let mut by_event = Map::new();
    by_event.insert(query.event.to_owned(), Value::Object(values));
    json!({"series": series, "values": by_event})
}
