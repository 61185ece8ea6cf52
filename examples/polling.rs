//! Waiting for slow work with `retry` actions: submit a report, poll it until it is rendered
//! (honouring a 503's `Retry-After`), then read where to download it.
//!
//! ```sh
//! cargo run --example polling
//! ```
//!
//! The workflow is `examples/workflows/reports.arazzo.yml`; this program serves its API on
//! 127.0.0.1 (queued → 503 with `Retry-After: 1` → rendering → done) and prints every request
//! the server saw, so you can watch the retries and their spacing.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

arazzo::arazzo_workflow!("examples/workflows/reports.arazzo.yml");

/// What the server has seen: how often the report was polled, and a log line per request.
#[derive(Default)]
struct Server {
    polls: u32,
    log: Vec<String>,
    started: Option<Instant>,
}

type Shared = Arc<Mutex<Server>>;

/// Logs one request with the time since the first.
fn note(state: &Shared, line: String) {
    let mut server = state.lock().unwrap_or_else(|e| e.into_inner());
    let at = server.started.get_or_insert_with(Instant::now).elapsed();
    server.log.push(format!("{:>6} ms  {line}", at.as_millis()));
}

async fn submit(State(state): State<Shared>, Json(body): Json<Value>) -> Response {
    note(&state, format!("POST /reports {body}"));
    (
        StatusCode::ACCEPTED,
        Json(json!({"id": "r-17", "state": "queued"})),
    )
        .into_response()
}

async fn report(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    let polls = {
        let mut server = state.lock().unwrap_or_else(|e| e.into_inner());
        server.polls += 1;
        server.polls
    };
    let answer = match polls {
        1 => "queued",
        2 => "busy",
        3 | 4 => "rendering",
        _ => "done",
    };
    note(&state, format!("GET /reports/{id} → {answer}"));
    if answer == "busy" {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
        return (StatusCode::SERVICE_UNAVAILABLE, headers).into_response();
    }
    Json(json!({"id": id, "state": answer})).into_response()
}

async fn file(State(state): State<Shared>, Path(id): Path<String>) -> Response {
    note(&state, format!("GET /reports/{id}/file"));
    Json(json!({"url": format!("https://files.example/{id}.pdf"), "pages": 12})).into_response()
}

/// Serves the reports API on an ephemeral port of 127.0.0.1.
async fn serve(state: Shared) -> std::io::Result<SocketAddr> {
    let app = Router::new()
        .route("/reports", post(submit))
        .route("/reports/{id}", get(report))
        .route("/reports/{id}/file", get(file))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = Shared::default();
    let addr = serve(state.clone()).await?;
    let client = Client::builder()
        .base_url_reports(format!("http://{addr}"))
        // A server cannot park the run: no single wait is longer than this.
        .max_retry_delay(Duration::from_secs(5))
        .workflow_timeout(Duration::from_secs(30))
        .build()?;

    let out = render_report::run(
        &client,
        render_report::Inputs {
            query: "signups by week".into(),
        },
    )
    .await?;

    for line in &state.lock().unwrap_or_else(|e| e.into_inner()).log {
        println!("{line}");
    }
    println!("report {}: {} pages at {}", out.id, out.pages, out.url);
    Ok(())
}
