//! `POST /identity/create`: link an anonymous (device) id to an identified (user) id.

use axum::http::header::AUTHORIZATION;
use axum::response::Response;
use serde_json::Value;

use crate::auth::Credentials;
use crate::error::{ApiError, status_ok};
use crate::record::RecordedRequest;
use crate::state::Shared;

/// Checks, in order: the optional service-account basic auth (401), the JSON body (400), `$token`
/// (401), the two ids (400) and the link rules (400).
pub(super) fn create(shared: &Shared, request: &RecordedRequest) -> Result<Response, ApiError> {
    let config = &shared.config;
    let authorization = request.header(AUTHORIZATION.as_str()).map(str::as_bytes);
    let credentials = Credentials::from_header(authorization);
    if credentials != Credentials::Absent && !credentials.is_service_account(config) {
        return Err(ApiError::unauthorized(
            "Authorization header does not hold valid service account credentials",
        ));
    }

    let body: Value = serde_json::from_slice(&request.body)
        .map_err(|e| ApiError::bad_request(format!("malformed JSON body: {e}")))?;
    let Value::Object(fields) = body else {
        return Err(ApiError::bad_request("the body must be a JSON object"));
    };
    match fields.get("$token") {
        None => return Err(ApiError::unauthorized("missing $token")),
        Some(Value::String(token)) if *token == config.project_token => {}
        Some(Value::String(_)) => return Err(ApiError::unauthorized("invalid $token")),
        Some(_) => return Err(ApiError::unauthorized("$token must be a string")),
    }
    let id = |name: &str| match fields.get(name) {
        None => Err(ApiError::bad_request(format!(
            "missing required field {name}"
        ))),
        Some(Value::String(id)) if id.is_empty() => {
            Err(ApiError::bad_request(format!("{name} must not be empty")))
        }
        Some(Value::String(id)) => Ok(id.as_str()),
        Some(_) => Err(ApiError::bad_request(format!("{name} must be a string"))),
    };
    let identified = id("$identified_id")?;
    let anon = id("$anon_id")?;

    shared
        .store()
        .link(anon, identified)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(status_ok())
}
