//! `POST /track`: accept one event or a batch of events.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use crate::dates::utc_date_of;
use crate::error::{ApiError, status_ok, terse_body};
use crate::record::RecordedRequest;
use crate::state::{Shared, StoredEvent};
use crate::urlencoded::parse_pairs;

/// Most events in one request.
pub(crate) const MAX_BATCH: usize = 2000;
/// A `time` at or above this is taken as milliseconds (in seconds it would be past year 5000).
const MILLIS_THRESHOLD: i64 = 100_000_000_000;

/// Whether the answer is the JSON object (`verbose=1`) rather than the bare `1`/`0`.
pub(super) fn is_verbose(request: &RecordedRequest) -> bool {
    request.query_param("verbose") == Some("1")
}

/// Checks the `token` query parameter (401), decodes the body (400), validates every event (400,
/// or 401 for a disagreeing `properties.token`) and stores the batch; all or nothing.
pub(super) fn track(shared: &Shared, request: &RecordedRequest) -> Result<Response, ApiError> {
    let token = &shared.config.project_token;
    match request.query_param("token") {
        None => return Err(ApiError::unauthorized("missing token query parameter")),
        Some(sent) if sent == token => {}
        Some(_) => return Err(ApiError::unauthorized("invalid token")),
    }

    let data = request_data(request)?;
    let events: Vec<(String, &Value)> = match &data {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (format!("data[{i}]"), item))
            .collect(),
        Value::Object(_) => vec![("data".to_owned(), &data)],
        _ => {
            return Err(ApiError::bad_request(
                "data must be an event object or an array of event objects",
            ));
        }
    };
    if events.len() > MAX_BATCH {
        return Err(ApiError::bad_request(format!(
            "a batch holds at most {MAX_BATCH} events, this one has {}",
            events.len()
        )));
    }

    let now = unix_now();
    let parsed = events
        .into_iter()
        .map(|(path, value)| parse_event(&path, value, token, now))
        .collect::<Result<Vec<_>, _>>()?;
    let mut store = shared.store();
    for event in parsed {
        store.insert_event(event);
    }
    drop(store);

    Ok(if is_verbose(request) {
        status_ok()
    } else {
        terse_body("1")
    })
}

/// The `data` value: from a JSON body `{"data": ...}`, or from a form body `data=<base64 JSON>`.
fn request_data(request: &RecordedRequest) -> Result<Value, ApiError> {
    if request.is_form() {
        let form = parse_pairs(&String::from_utf8_lossy(&request.body));
        let encoded = form
            .into_iter()
            .find_map(|(name, value)| (name == "data").then_some(value))
            .ok_or_else(|| ApiError::bad_request("missing form field data"))?;
        return decode_form_data(&encoded);
    }
    let body: Value = serde_json::from_slice(&request.body)
        .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))?;
    match body {
        Value::Object(mut fields) => fields
            .remove("data")
            .ok_or_else(|| ApiError::bad_request("missing required field data")),
        _ => Err(ApiError::bad_request("the body must be a JSON object")),
    }
}

/// Decodes the form field `data`: base64 (standard or URL-safe, padding optional) of JSON, or
/// JSON as is. A space is read as `+`, which an unencoded `+` turns into.
fn decode_form_data(encoded: &str) -> Result<Value, ApiError> {
    let trimmed = encoded.trim();
    let json = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        trimmed.as_bytes().to_vec()
    } else {
        let text = trimmed.replace(' ', "+");
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(&text).ok())
            .ok_or_else(|| ApiError::bad_request("form field data is not valid base64"))?
    };
    serde_json::from_slice(&json).map_err(|e| {
        ApiError::bad_request(format!("form field data does not hold valid JSON: {e}"))
    })
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
        })
}

/// Validates one event found at `path` (e.g. `data[3]`).
fn parse_event(path: &str, value: &Value, token: &str, now: i64) -> Result<StoredEvent, ApiError> {
    let Value::Object(event) = value else {
        return Err(ApiError::bad_request(format!("{path} must be an object")));
    };
    let name = required_string(event, "event", path)?;
    let properties = match event.get("properties") {
        None => {
            return Err(ApiError::bad_request(format!(
                "missing required field {path}.properties"
            )));
        }
        Some(Value::Object(properties)) => properties,
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{path}.properties must be an object"
            )));
        }
    };
    let props_path = format!("{path}.properties");
    match properties.get("token") {
        None => {}
        Some(Value::String(sent)) if sent == token => {}
        Some(Value::String(_)) => {
            return Err(ApiError::unauthorized(format!(
                "{props_path}.token does not match the project token"
            )));
        }
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{props_path}.token must be a string"
            )));
        }
    }
    let distinct_id = required_string(properties, "distinct_id", &props_path)?;
    let time = match properties.get("time") {
        None => now,
        Some(time) => event_time(time)
            .map_err(|reason| ApiError::bad_request(format!("{props_path}.time {reason}")))?,
    };
    let insert_id = match properties.get("$insert_id") {
        None => None,
        Some(Value::String(id)) if !id.is_empty() => Some(id.clone()),
        Some(Value::String(_)) => {
            return Err(ApiError::bad_request(format!(
                "{props_path}.$insert_id must not be empty"
            )));
        }
        Some(_) => {
            return Err(ApiError::bad_request(format!(
                "{props_path}.$insert_id must be a string"
            )));
        }
    };
    Ok(StoredEvent {
        event: name.to_owned(),
        distinct_id: distinct_id.to_owned(),
        time,
        insert_id,
        properties: properties.clone(),
    })
}

/// A required, non-empty string field of `object` (found at `path`).
fn required_string<'a>(
    object: &'a Map<String, Value>,
    field: &str,
    path: &str,
) -> Result<&'a str, ApiError> {
    match object.get(field) {
        None => Err(ApiError::bad_request(format!(
            "missing required field {path}.{field}"
        ))),
        Some(Value::String(text)) if text.is_empty() => Err(ApiError::bad_request(format!(
            "{path}.{field} must not be empty"
        ))),
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(ApiError::bad_request(format!(
            "{path}.{field} must be a string"
        ))),
    }
}

/// Unix seconds from a `time` property: seconds, or milliseconds when at least
/// [`MILLIS_THRESHOLD`]; fractions are cut off.
fn event_time(value: &Value) -> Result<i64, &'static str> {
    let Value::Number(number) = value else {
        return Err("must be a number (unix seconds)");
    };
    let raw = match number.as_i64() {
        Some(whole) => whole,
        None => {
            let float = number
                .as_f64()
                .filter(|f| f.is_finite())
                .ok_or("is out of range")?;
            if float.abs() >= 9.0e18 {
                return Err("is out of range");
            }
            // In range by the check above; `as` truncates toward zero.
            float as i64
        }
    };
    let seconds = if raw >= MILLIS_THRESHOLD {
        raw / 1000
    } else {
        raw
    };
    if seconds < 0 {
        return Err("must not be negative");
    }
    if utc_date_of(seconds).is_none() {
        return Err("is out of range");
    }
    Ok(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_event_times() {
        assert_eq!(event_time(&json!(1_700_000_000)), Ok(1_700_000_000));
        assert_eq!(event_time(&json!(1_700_000_000_123_i64)), Ok(1_700_000_000));
        assert_eq!(event_time(&json!(1_700_000_000.9)), Ok(1_700_000_000));
        assert_eq!(event_time(&json!(-1)), Err("must not be negative"));
        assert_eq!(
            event_time(&json!("1")),
            Err("must be a number (unix seconds)")
        );
        assert_eq!(event_time(&json!(u64::MAX)), Err("is out of range"));
        assert_eq!(event_time(&json!(1e300)), Err("is out of range"));
    }

    #[test]
    fn decodes_form_data() {
        let event = json!({"event": "e", "properties": {"distinct_id": "a?>"}});
        let text = serde_json::to_string(&event).unwrap_or_default();
        assert_eq!(decode_form_data(&STANDARD.encode(&text)), Ok(event.clone()));
        assert_eq!(
            decode_form_data(&URL_SAFE_NO_PAD.encode(&text)),
            Ok(event.clone())
        );
        assert_eq!(decode_form_data(&text), Ok(event));
        assert!(decode_form_data("***").is_err());
    }
}
