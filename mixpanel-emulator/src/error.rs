//! Error answers and the three Mixpanel body styles they are written in.
//!
//! * Identity and ingestion (and unknown paths outside `/api/`): `{"status": 0, "error": "..."}`.
//! * Ingestion without `verbose=1`: the bare body `0`.
//! * Query API (paths under `/api/`): `{"request": "<path>?<query>", "error": "..."}`.

use axum::Json;
use axum::http::header::{ALLOW, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A refused request: the status and the reason written into the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub message: String,
    /// The methods to list in `Allow` (405 only).
    pub allow: Option<&'static str>,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
            allow: None,
        }
    }

    /// 400: malformed or missing input.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: missing or wrong token or credentials.
    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403: authenticated, but not for this project.
    pub(crate) fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 404: no such endpoint.
    pub(crate) fn not_found(path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            format!(
                "no endpoint at {path} (the emulator serves POST /identity/create, POST /track and GET /api/2.0/segmentation)"
            ),
        )
    }

    /// 405: the endpoint exists for another method.
    pub(crate) fn method_not_allowed(method: &str, path: &str, allow: &'static str) -> Self {
        Self {
            allow: Some(allow),
            ..Self::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("method {method} is not allowed on {path}; use {allow}"),
            )
        }
    }

    /// 413: the body exceeds the cap.
    pub(crate) fn payload_too_large(cap: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body exceeds the limit of {cap} bytes"),
        )
    }

    /// 429: a query limit is reached.
    pub(crate) fn too_many_requests(message: impl Into<String>) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, message)
    }

    /// `{"status": 0, "error": message}`.
    pub(crate) fn into_status_response(self) -> Response {
        let body = json!({"status": 0, "error": self.message});
        finish(self.status, self.allow, Json(body).into_response())
    }

    /// The bare body `0` of ingestion without `verbose=1`.
    pub(crate) fn into_terse_response(self) -> Response {
        finish(self.status, self.allow, terse_body("0"))
    }

    /// `{"request": request, "error": message}` of the Query API.
    pub(crate) fn into_query_response(self, request: String) -> Response {
        let body = json!({"request": request, "error": self.message});
        finish(self.status, self.allow, Json(body).into_response())
    }
}

/// A JSON body that is the number `1` or `0`, as ingestion answers without `verbose=1`.
pub(crate) fn terse_body(digit: &'static str) -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        digit,
    )
        .into_response()
}

/// `{"status": 1, "error": null}`.
pub(crate) fn status_ok() -> Response {
    Json(json!({"status": 1, "error": null})).into_response()
}

fn finish(status: StatusCode, allow: Option<&'static str>, mut response: Response) -> Response {
    *response.status_mut() = status;
    if let Some(allow) = allow {
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static(allow));
    }
    response
}
