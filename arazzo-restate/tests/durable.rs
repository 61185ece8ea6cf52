//! Generated workflows run durably on a real `restate-server`: the seed workflow against the
//! Mixpanel emulator, a crash between two steps, a restart during a retry wait, and 1,000
//! concurrent runs. The service runs in a process of its own (`arazzo-restate-test-service`)
//! so that a test can kill it. Each test skips, saying why, when restate-server is missing.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use mixpanel_emulator::{Config, EmulatorHandle};
use serde_json::{Value, json};
use support::{Restate, Service, Targets, free_port, proc_status_kib, restate_server_binary};

const SEED: &str = "identity-resolve-and-track";
const BUSY: &str = "read-when-ready";
const EVENT: &str = "Signup";

/// When each `GET` reached the jobs server; the first `busy` of them are answered 503.
#[derive(Clone, Default)]
struct Jobs {
    arrivals: Arc<Mutex<Vec<Instant>>>,
    busy: usize,
}

impl Jobs {
    fn arrivals(&self) -> Vec<Instant> {
        self.arrivals.lock().expect("jobs lock").clone()
    }
}

/// A jobs server on 127.0.0.1: `POST /jobs/{id}` starts a job (202), `GET /jobs/{id}` reads it.
async fn jobs_server(busy: usize) -> (String, Jobs) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("jobs server binds");
    jobs_server_on(listener, busy)
}

/// The jobs server on `listener`.
fn jobs_server_on(listener: tokio::net::TcpListener, busy: usize) -> (String, Jobs) {
    let jobs = Jobs {
        busy,
        ..Jobs::default()
    };
    let app = axum::Router::new()
        .route(
            "/jobs/{id}",
            get(|State(jobs): State<Jobs>| async move {
                let mut arrivals = jobs.arrivals.lock().expect("jobs lock");
                arrivals.push(Instant::now());
                if arrivals.len() <= jobs.busy {
                    (StatusCode::SERVICE_UNAVAILABLE, "{}".to_owned())
                } else {
                    (StatusCode::OK, json!({ "state": "done" }).to_string())
                }
            })
            .post(|| async {
                (
                    StatusCode::ACCEPTED,
                    json!({ "state": "queued" }).to_string(),
                )
            }),
        )
        .with_state(jobs.clone());
    let url = format!("http://{}", listener.local_addr().expect("jobs address"));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, jobs)
}

/// Restate, the emulator, the jobs server and the targets the service is pointed at; `None`
/// when restate-server is not installed.
async fn world(config: Config, busy: usize) -> Option<(Restate, EmulatorHandle, Jobs, Targets)> {
    let binary = restate_server_binary("this test (tests/durable.rs)")?;
    let restate = Restate::start(&binary).await;
    let (_addr, emulator) = mixpanel_emulator::start_with(config)
        .await
        .expect("emulator starts");
    let (jobs_url, jobs) = jobs_server(busy).await;
    let config = emulator.config().clone();
    let targets = Targets {
        mixpanel: emulator.ingestion_base_url(),
        mixpanel_user: config.service_account_username,
        mixpanel_secret: config.service_account_secret,
        jobs: jobs_url,
        effect_attempts: None,
    };
    Some((restate, emulator, jobs, targets))
}

fn seed_inputs(emulator: &EmulatorHandle, anon_id: &str) -> Value {
    let today = mixpanel_emulator::today_utc();
    json!({
        "projectToken": emulator.config().project_token,
        "projectId": emulator.config().project_id,
        "identifiedId": "user-42",
        "anonId": anon_id,
        "eventName": EVENT,
        "fromDate": today,
        "toDate": today,
    })
}

/// The requests the emulator received, by path.
fn count(emulator: &EmulatorHandle, path: &str) -> usize {
    emulator
        .requests()
        .iter()
        .filter(|request| request.path == path)
        .count()
}

fn assert_seed_outputs(outputs: &Value) {
    let today = mixpanel_emulator::today_utc();
    assert_eq!(outputs["identityStatus"], 1, "{outputs}");
    assert_eq!(outputs["trackStatus"], 1, "{outputs}");
    assert_eq!(outputs["values"][EVENT][&today], 1.0, "{outputs}");
}

#[tokio::test]
async fn seed_workflow_runs_through_restate() {
    let Some((restate, emulator, _jobs, targets)) = world(Config::default(), 0).await else {
        return;
    };
    let service = Service::start(free_port(), &targets, None).await;
    restate.register(service.port).await;

    restate
        .submit(SEED, "run-a", &seed_inputs(&emulator, "device-a"))
        .await;
    let outputs = restate.attach(SEED, "run-a").await.expect("run succeeds");
    assert_seed_outputs(&outputs);
    assert_eq!(count(&emulator, "/identity/create"), 1);
    assert_eq!(count(&emulator, "/track"), 1);
    assert_eq!(count(&emulator, "/api/2.0/segmentation"), 1);

    let progress = restate.progress(SEED, "run-a").await;
    let steps: Vec<&str> = progress
        .as_array()
        .expect("progress is an array")
        .iter()
        .map(|step| step["step"].as_str().expect("step name"))
        .collect();
    assert_eq!(steps, ["createIdentity", "trackForUser", "segmentEvent"]);
    assert_eq!(progress[1]["outputs"]["trackStatus"], 1, "{progress}");
}

#[tokio::test]
async fn a_failed_criterion_is_a_terminal_failure_with_the_error_text() {
    let Some((restate, emulator, _jobs, targets)) = world(Config::default(), 0).await else {
        return;
    };
    let service = Service::start(free_port(), &targets, None).await;
    restate.register(service.port).await;

    // A wrong project token: the emulator answers /identity/create with an error status.
    let mut inputs = seed_inputs(&emulator, "device-b");
    inputs["projectToken"] = json!("not-the-token");
    restate.submit(SEED, "run-b", &inputs).await;
    let error = restate.attach(SEED, "run-b").await.expect_err("run fails");
    assert!(error.contains("createIdentity"), "{error}");
    assert!(error.contains("success criterion"), "{error}");
    // Terminal: the request was not retried by Restate.
    assert_eq!(count(&emulator, "/identity/create"), 1);
}

#[tokio::test]
async fn a_crash_after_a_journaled_step_resumes_without_sending_it_again() {
    let Some((restate, emulator, _jobs, targets)) = world(Config::default(), 0).await else {
        return;
    };
    let port = free_port();
    let mut service = Service::start(port, &targets, Some("createIdentity")).await;
    restate.register(port).await;

    restate
        .submit(SEED, "run-c", &seed_inputs(&emulator, "device-c"))
        .await;
    assert!(
        service.exited_within(Duration::from_secs(30)).await,
        "the service dies after createIdentity"
    );
    assert_eq!(count(&emulator, "/identity/create"), 1);
    assert_eq!(count(&emulator, "/track"), 0);

    let _restarted = Service::start(port, &targets, None).await;
    let outputs = restate.attach(SEED, "run-c").await.expect("run succeeds");
    assert_seed_outputs(&outputs);
    assert_eq!(
        count(&emulator, "/identity/create"),
        1,
        "identity sent once"
    );
    assert_eq!(count(&emulator, "/track"), 1, "track sent once");
    assert_eq!(count(&emulator, "/api/2.0/segmentation"), 1);
    assert_eq!(emulator.identities().len(), 1);
}

#[tokio::test]
async fn a_retry_wait_survives_a_restart_of_the_service() {
    let Some((restate, _emulator, jobs, targets)) = world(Config::default(), 1).await else {
        return;
    };
    let port = free_port();
    let mut service = Service::start(port, &targets, None).await;
    restate.register(port).await;

    restate
        .submit(BUSY, "job-1", &json!({ "id": "job-1" }))
        .await;
    support::wait_until(
        "the first (503) request",
        Duration::from_secs(30),
        async || jobs.arrivals().len() == 1,
    )
    .await;
    // retryAfter is 3 s: kill the service well inside the wait, once the 503 is journaled.
    tokio::time::sleep(Duration::from_millis(500)).await;
    // In flight, the progress lists the step that completed, not the one waiting to retry.
    let progress = restate.progress(BUSY, "job-1").await;
    assert_eq!(
        progress,
        json!([{ "workflow": BUSY, "step": "start", "outputs": { "state": "queued" } }])
    );
    service.kill();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let _restarted = Service::start(port, &targets, None).await;

    let outputs = restate.attach(BUSY, "job-1").await.expect("run succeeds");
    assert_eq!(outputs, json!({ "state": "done" }));
    let arrivals = jobs.arrivals();
    assert_eq!(arrivals.len(), 2, "one 503, then one 200");
    let wait = arrivals[1] - arrivals[0];
    assert!(
        wait >= Duration::from_millis(2900) && wait < Duration::from_secs(10),
        "the retry waited the durable 3 s timer, not more or less: {wait:?}"
    );
}

#[tokio::test]
async fn a_request_without_response_is_retried_by_restate_until_it_is_answered() {
    let Some((restate, _emulator, _jobs, mut targets)) = world(Config::default(), 0).await else {
        return;
    };
    // Nothing listens on the jobs port yet: the first attempts are refused.
    let jobs_port = free_port();
    targets.jobs = format!("http://127.0.0.1:{jobs_port}");
    let service = Service::start(free_port(), &targets, None).await;
    restate.register(service.port).await;

    restate
        .submit(BUSY, "job-2", &json!({ "id": "job-2" }))
        .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", jobs_port))
        .await
        .expect("jobs port still free");
    let (_url, jobs) = jobs_server_on(listener, 0);

    let outputs = restate.attach(BUSY, "job-2").await.expect("run succeeds");
    assert_eq!(outputs, json!({ "state": "done" }));
    assert_eq!(jobs.arrivals().len(), 1);
}

#[tokio::test]
async fn an_effect_that_keeps_failing_ends_the_run_once_its_retries_are_spent() {
    let Some((restate, _emulator, _jobs, mut targets)) = world(Config::default(), 0).await else {
        return;
    };
    // Nothing ever listens on the jobs port; the effect gets three attempts.
    targets.jobs = format!("http://127.0.0.1:{}", free_port());
    targets.effect_attempts = Some(3);
    let service = Service::start(free_port(), &targets, None).await;
    restate.register(service.port).await;

    let started = Instant::now();
    restate
        .submit(BUSY, "job-3", &json!({ "id": "job-3" }))
        .await;
    let error = restate.attach(BUSY, "job-3").await.expect_err("run fails");
    let elapsed = started.elapsed();
    eprintln!("after {elapsed:?}: {error}");
    // Two waits of 100 ms between the three attempts.
    assert!(elapsed >= Duration::from_millis(200), "{elapsed:?}");
    assert!(error.contains("start"), "names the step: {error}");
    assert!(error.contains("request failed"), "says why: {error}");
}

/// Starts `RUNS` seed runs at once (keys `<wave>-<n>`) and waits for all of them.
async fn wave(restate: &Arc<Restate>, emulator: &EmulatorHandle, wave: &str) -> Duration {
    let start = Instant::now();
    let mut runs = tokio::task::JoinSet::new();
    for n in 0..RUNS {
        let restate = Arc::clone(restate);
        let inputs = seed_inputs(emulator, &format!("device-{n}"));
        let key = format!("{wave}-{n}");
        runs.spawn(async move {
            restate.submit(SEED, &key, &inputs).await;
            restate.attach(SEED, &key).await
        });
    }
    while let Some(outcome) = runs.join_next().await {
        let outputs = outcome.expect("task").expect("run succeeds");
        assert_eq!(outputs["trackStatus"], 1, "{outputs}");
    }
    start.elapsed()
}

const RUNS: usize = 1_000;

#[tokio::test]
async fn a_thousand_concurrent_runs_complete_with_bounded_memory() {
    let unlimited = Config {
        query_rate_limit_per_hour: None,
        query_concurrency_limit: None,
        ..Config::default()
    };
    let Some((restate, emulator, _jobs, targets)) = world(unlimited, 0).await else {
        return;
    };
    let service = Service::start(free_port(), &targets, None).await;
    restate.register(service.port).await;
    let restate = Arc::new(restate);
    let rss_before = proc_status_kib(service.pid(), "VmRSS");

    let first = wave(&restate, &emulator, "first").await;
    let peak_first = proc_status_kib(service.pid(), "VmHWM");
    let second = wave(&restate, &emulator, "second").await;
    let peak_second = proc_status_kib(service.pid(), "VmHWM");
    let rss_after = proc_status_kib(service.pid(), "VmRSS");
    eprintln!(
        "two waves of {RUNS} concurrent runs: {first:?} and {second:?} ({:.0} runs/s); service \
         RSS {rss_before} KiB before, peak {peak_first} KiB after the first wave, \
         {peak_second} KiB after the second, {rss_after} KiB at the end",
        RUNS as f64 / second.as_secs_f64()
    );
    assert_eq!(count(&emulator, "/track"), 2 * RUNS);
    // Bounded: a generous ceiling, and a second wave that does not grow the peak much.
    assert!(
        peak_second < 256 * 1024,
        "service peak RSS {peak_second} KiB"
    );
    assert!(
        peak_second < peak_first + peak_first / 4 + 16 * 1024,
        "the second wave grew the peak from {peak_first} to {peak_second} KiB"
    );
}
