//! Request handling: read and record the request, route it, and write the answer in the style of
//! the API it belongs to.

mod identity;
mod segmentation;
mod track;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;

use crate::body::{BodyError, read_capped};
use crate::error::ApiError;
use crate::record::RecordedRequest;
use crate::state::Shared;

/// The emulated endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// `POST /identity/create`.
    IdentityCreate,
    /// `POST /track`.
    Track,
    /// `GET /api/2.0/segmentation`.
    Segmentation,
}

impl Endpoint {
    fn of(path: &str) -> Option<Self> {
        match path {
            "/identity/create" => Some(Self::IdentityCreate),
            "/track" => Some(Self::Track),
            "/api/2.0/segmentation" => Some(Self::Segmentation),
            _ => None,
        }
    }

    fn method(self) -> Method {
        match self {
            Self::IdentityCreate | Self::Track => Method::POST,
            Self::Segmentation => Method::GET,
        }
    }
}

/// The single handler behind every path and method.
pub(crate) async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let (body, body_error) = match read_capped(body, shared.config.max_body_bytes).await {
        Ok(body) => (body, None),
        Err(error) => (Vec::new(), Some(error)),
    };
    let recorded = Arc::new(RecordedRequest::from_parts(&parts, body));
    shared.store().requests.push(Arc::clone(&recorded));

    let endpoint = Endpoint::of(&recorded.path);
    let outcome = match (body_error, endpoint) {
        (_, None) => Err(ApiError::not_found(&recorded.path)),
        (_, Some(endpoint)) if parts.method != endpoint.method() => {
            let allow = if endpoint.method() == Method::GET {
                "GET"
            } else {
                "POST"
            };
            Err(ApiError::method_not_allowed(
                parts.method.as_str(),
                &recorded.path,
                allow,
            ))
        }
        (Some(BodyError::TooLarge), _) => {
            Err(ApiError::payload_too_large(shared.config.max_body_bytes))
        }
        (Some(BodyError::Unreadable), _) => {
            Err(ApiError::bad_request("the request body could not be read"))
        }
        (None, Some(Endpoint::IdentityCreate)) => identity::create(&shared, &recorded),
        (None, Some(Endpoint::Track)) => track::track(&shared, &recorded),
        (None, Some(Endpoint::Segmentation)) => {
            segmentation::segmentation(&shared, &recorded).await
        }
    };
    let response = outcome.unwrap_or_else(|error| render_error(&recorded, endpoint, error));
    tracing::debug!(
        method = %recorded.method,
        path = %recorded.path,
        status = response.status().as_u16(),
        "mixpanel emulator answered"
    );
    response
}

/// Writes `error` in the body style of the API the request was aimed at.
fn render_error(
    request: &RecordedRequest,
    endpoint: Option<Endpoint>,
    error: ApiError,
) -> Response {
    match endpoint {
        Some(Endpoint::Track) if !track::is_verbose(request) => error.into_terse_response(),
        Some(Endpoint::Segmentation) => error.into_query_response(query_request_field(request)),
        None if request.path.starts_with("/api/") => {
            error.into_query_response(query_request_field(request))
        }
        _ => error.into_status_response(),
    }
}

/// The `request` field of Query API errors: the path and query as sent.
fn query_request_field(request: &RecordedRequest) -> String {
    match &request.raw_query {
        Some(query) => format!("{}?{query}", request.path),
        None => request.path.clone(),
    }
}
