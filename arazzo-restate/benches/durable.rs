//! What a journaled step costs: the seed workflow (three steps) run one at a time through a
//! real `restate-server` against the in-process Mixpanel emulator, against the same workflow's
//! plain in-memory `run`, and against a two-step workflow through Restate (the difference is
//! one journaled step, without the cost of starting and ending a run); then the throughput of
//! 1,000 runs at once through one server.
//! `cargo bench -p arazzo-restate --bench durable`; numbers in BENCHMARKS.md.

#[path = "../tests/support/restate.rs"]
#[allow(dead_code)]
mod restate_server;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

arazzo::arazzo_workflow!("../../workflows/mixpanel.yml");

mod jobs {
    arazzo::arazzo_workflow!("../tests/fixtures/busy.arazzo.yml");
}

const SERVICE: &str = "identity-resolve-and-track";
const TWO_STEPS: &str = "read-when-ready";
const SEQUENTIAL: usize = 200;
const CONCURRENT: usize = 1_000;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

#[tokio::main]
async fn main() {
    let Some(binary) = restate_server::restate_server_binary("the bench") else {
        return;
    };
    let restate = Arc::new(restate_server::Restate::start(&binary).await);
    let config = mixpanel_emulator::Config {
        query_rate_limit_per_hour: None,
        query_concurrency_limit: None,
        ..mixpanel_emulator::Config::default()
    };
    let (_addr, emulator) = mixpanel_emulator::start_with(config)
        .await
        .expect("emulator starts");
    let config = emulator.config().clone();
    let (user, secret) = (
        &config.service_account_username,
        &config.service_account_secret,
    );
    let client = Client::builder()
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_ingestion_api(emulator.ingestion_base_url())
        .base_url_query_api(emulator.query_base_url())
        .identity_api_basic_auth(user, secret)
        .query_api_basic_auth(user, secret)
        .build()
        .expect("client builds");
    // A jobs server that is never busy, for the two-step workflow.
    let jobs_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("jobs server binds");
    let jobs_url = format!(
        "http://{}",
        jobs_listener.local_addr().expect("jobs address")
    );
    let app = axum::Router::new().route(
        "/jobs/{id}",
        axum::routing::get(|| async { r#"{"state":"done"}"# })
            .post(|| async { (axum::http::StatusCode::ACCEPTED, r#"{"state":"queued"}"#) }),
    );
    tokio::spawn(async move { axum::serve(jobs_listener, app).await });
    let jobs_client = jobs::Client::builder()
        .base_url_jobs(jobs_url)
        .build()
        .expect("jobs client builds");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("endpoint binds");
    let port = listener.local_addr().expect("endpoint address").port();
    tokio::spawn(
        arazzo_restate::Endpoint::new()
            .workflow::<identity_resolve_and_track::Workflow>(client.clone())
            .workflow::<jobs::read_when_ready::Workflow>(jobs_client)
            .serve_listener(listener, std::future::pending::<()>()),
    );
    restate.register(port).await;

    let today = mixpanel_emulator::today_utc();
    let inputs = |n: usize| {
        json!({
            "projectToken": config.project_token, "projectId": config.project_id,
            "identifiedId": "user-1", "anonId": format!("device-{n}"), "eventName": "Signup",
            "fromDate": today, "toDate": today,
        })
    };
    let typed = |value: Value| -> identity_resolve_and_track::Inputs {
        serde_json::from_value(value).expect("typed inputs")
    };

    // Warm both paths (connections, the service's first invocation).
    for n in 0..10 {
        identity_resolve_and_track::run(&client, typed(inputs(n)))
            .await
            .expect("in-memory run");
        let key = format!("warm-{n}");
        restate.submit(SERVICE, &key, &inputs(n)).await;
        restate.attach(SERVICE, &key).await.expect("durable run");
    }

    let (mut memory, mut durable, mut two_steps) = (Vec::new(), Vec::new(), Vec::new());
    for n in 0..SEQUENTIAL {
        emulator.reset();
        let start = Instant::now();
        identity_resolve_and_track::run(&client, typed(inputs(n)))
            .await
            .expect("in-memory run");
        memory.push(start.elapsed());
        let key = format!("seq-{n}");
        let start = Instant::now();
        restate.submit(SERVICE, &key, &inputs(n)).await;
        restate.attach(SERVICE, &key).await.expect("durable run");
        durable.push(start.elapsed());
        let start = Instant::now();
        restate.submit(TWO_STEPS, &key, &json!({ "id": key })).await;
        restate.attach(TWO_STEPS, &key).await.expect("durable run");
        two_steps.push(start.elapsed());
    }
    let (memory, durable, two_steps) = (median(memory), median(durable), median(two_steps));
    println!(
        "one run at a time, median of {SEQUENTIAL}: seed in-memory {memory:?}, seed through \
         Restate {durable:?}, two-step workflow through Restate {two_steps:?} (submit + attach); \
         per journaled step {:?}",
        durable.saturating_sub(two_steps)
    );

    emulator.reset();
    let start = Instant::now();
    let mut runs = tokio::task::JoinSet::new();
    for n in 0..CONCURRENT {
        let restate = Arc::clone(&restate);
        let inputs = inputs(n);
        runs.spawn(async move {
            let key = format!("par-{n}");
            restate.submit(SERVICE, &key, &inputs).await;
            restate.attach(SERVICE, &key).await
        });
    }
    while let Some(outcome) = runs.join_next().await {
        outcome.expect("task").expect("durable run");
    }
    let elapsed = start.elapsed();
    println!(
        "{CONCURRENT} runs at once through one restate-server: {elapsed:?}, {:.0} runs/s \
         ({:.0} journaled steps/s)",
        CONCURRENT as f64 / elapsed.as_secs_f64(),
        3.0 * CONCURRENT as f64 / elapsed.as_secs_f64()
    );
}
