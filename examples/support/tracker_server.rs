//! A small issue tracker served on 127.0.0.1, the server of `examples/workflows/tracker.openapi.yml`:
//! `cargo run --example tracker` runs a workflow against it, and `tests/tracker.rs` checks every
//! request it saw.
//!
//! One user (`ada` / `correct horse`); every route but `POST /login` wants the session token as a
//! bearer header. A new issue starts with four comments from a bot, so that reading its
//! discussion two at a time takes several pages. An export job is `queued`, then `running`, then
//! `done` on the third poll.

#![allow(dead_code)] // the example and the test each use a part

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

/// The only user.
pub const USER: &str = "ada";
/// Her password.
pub const PASSWORD: &str = "correct horse";
/// The session token a login returns.
pub const TOKEN: &str = "tok-3f9a1c7e52";

/// What the tracker holds, and what it saw.
#[derive(Default)]
pub struct Tracker {
    issues: HashMap<i64, Value>,
    comments: HashMap<i64, Vec<Value>>,
    jobs: HashMap<String, u32>,
    /// One line per request: method, path and query, and what was answered.
    pub log: Vec<String>,
}

/// The tracker, shared by the handlers.
#[derive(Clone, Default)]
pub struct Shared(Arc<Mutex<Tracker>>);

impl Shared {
    /// The tracker's state (a handler that panicked does not poison it for the others).
    pub fn lock(&self) -> MutexGuard<'_, Tracker> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Serves the tracker on an ephemeral port of 127.0.0.1 and returns its address.
pub async fn serve(state: Shared) -> std::io::Result<SocketAddr> {
    let app = Router::new()
        .route("/login", post(login))
        .route("/issues", post(create_issue))
        .route("/issues/{number}", patch(update_issue))
        .route("/issues/{number}/labels", post(add_labels))
        .route(
            "/issues/{number}/comments",
            post(add_comment).get(list_comments),
        )
        .route("/issues/{number}/exports", post(export_issue))
        .route("/jobs/{id}", get(get_job))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

/// Logs every request with its answer, and answers 401 to one without the session token
/// (except the login itself).
async fn guard(State(state): State<Shared>, request: Request, next: Next) -> Response {
    let line = match request.uri().query() {
        Some(q) => format!("{} {}?{q}", request.method(), request.uri().path()),
        None => format!("{} {}", request.method(), request.uri().path()),
    };
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let response = if request.uri().path() != "/login" && bearer != Some(TOKEN) {
        StatusCode::UNAUTHORIZED.into_response()
    } else {
        next.run(request).await
    };
    state
        .lock()
        .log
        .push(format!("{line} → {}", response.status().as_u16()));
    response
}

#[derive(Deserialize)]
struct Login {
    username: String,
    password: String,
}

async fn login(Json(body): Json<Login>) -> Response {
    if body.username == USER && body.password == PASSWORD {
        Json(json!({ "token": TOKEN })).into_response()
    } else {
        StatusCode::UNAUTHORIZED.into_response()
    }
}

async fn create_issue(State(state): State<Shared>, Json(body): Json<Value>) -> Response {
    let Some(title) = body.get("title").and_then(Value::as_str) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let mut tracker = state.lock();
    let number = 100 + tracker.issues.len() as i64 + 1;
    let issue = json!({ "number": number, "title": title, "state": "open", "labels": [] });
    tracker.issues.insert(number, issue.clone());
    let bot = (1..=4)
        .map(|i| json!({ "id": number * 100 + i, "body": format!("triage note {i}"), "author": "bot" }))
        .collect();
    tracker.comments.insert(number, bot);
    (StatusCode::CREATED, Json(issue)).into_response()
}

/// Changes issue `number` with `change` and answers it, or 404.
fn change_issue(state: &Shared, number: i64, change: impl FnOnce(&mut Value)) -> Response {
    let mut tracker = state.lock();
    match tracker.issues.get_mut(&number) {
        Some(issue) => {
            change(issue);
            Json(issue.clone()).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn update_issue(
    State(state): State<Shared>,
    Path(number): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    change_issue(&state, number, |issue| {
        if let Some(new) = body.get("state") {
            issue["state"] = new.clone();
        }
    })
}

async fn add_labels(
    State(state): State<Shared>,
    Path(number): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    change_issue(&state, number, |issue| {
        if let (Some(labels), Some(new)) =
            (issue["labels"].as_array_mut(), body["labels"].as_array())
        {
            labels.extend(new.iter().cloned());
        }
    })
}

async fn add_comment(
    State(state): State<Shared>,
    Path(number): Path<i64>,
    Json(body): Json<Value>,
) -> Response {
    let mut tracker = state.lock();
    let Some(comments) = tracker.comments.get_mut(&number) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let comment = json!({
        "id": number * 100 + comments.len() as i64 + 1,
        "body": body["body"],
        "author": USER,
    });
    comments.push(comment.clone());
    (StatusCode::CREATED, Json(comment)).into_response()
}

#[derive(Deserialize)]
struct Page {
    cursor: Option<String>,
    limit: Option<usize>,
}

/// A page of comments; the cursor is the index of the page's first comment, as text.
async fn list_comments(
    State(state): State<Shared>,
    Path(number): Path<i64>,
    Query(page): Query<Page>,
) -> Response {
    let tracker = state.lock();
    let Some(comments) = tracker.comments.get(&number) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let start = match page.cursor.as_deref().map(str::parse::<usize>) {
        None => 0,
        Some(Ok(start)) if start <= comments.len() => start,
        Some(_) => return StatusCode::BAD_REQUEST.into_response(),
    };
    let end = comments
        .len()
        .min(start + page.limit.unwrap_or(20).clamp(1, 100));
    let mut body = json!({ "items": comments[start..end] });
    if end < comments.len() {
        body["nextCursor"] = json!(end.to_string());
    }
    Json(body).into_response()
}

async fn export_issue(State(state): State<Shared>, Path(number): Path<i64>) -> Response {
    let mut tracker = state.lock();
    if !tracker.issues.contains_key(&number) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let id = format!("job-{number}");
    tracker.jobs.insert(id.clone(), 0);
    (
        StatusCode::ACCEPTED,
        Json(json!({ "id": id, "status": "queued" })),
    )
        .into_response()
}

async fn get_job(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let mut tracker = state.lock();
    let Some(polls) = tracker.jobs.get_mut(&id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    *polls += 1;
    let body = match *polls {
        1 => json!({ "id": id, "status": "queued" }),
        2 => json!({ "id": id, "status": "running" }),
        _ => {
            json!({ "id": id, "status": "done", "url": format!("https://files.example/{id}.pdf") })
        }
    };
    Json(body).into_response()
}
