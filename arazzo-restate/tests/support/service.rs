//! The service the durable tests run in a process of its own, so that they can kill it: the
//! seed workflow and `read-when-ready`, served through `arazzo_restate::Endpoint`.
//!
//! Configured by environment variables: `ARAZZO_TEST_SERVICE_ADDR` (where to listen),
//! `ARAZZO_TEST_MIXPANEL` (the emulator's base URL; each API's path prefix is added),
//! `ARAZZO_TEST_MIXPANEL_USER`/`_SECRET`, `ARAZZO_TEST_JOBS` (the jobs server's base URL), and
//! `ARAZZO_TEST_EFFECT_ATTEMPTS` (a short effect retry policy of that many
//! attempts), and `ARAZZO_TEST_CRASH_AFTER` (a `stepId`: end the process when that step completes, which the
//! tests use to die after a step's request was answered and journaled).

use std::time::Duration;

use arazzo_restate::{Endpoint, RunRetryPolicy, ServiceOptions, WorkflowOptions};

mod mixpanel {
    arazzo::arazzo_workflow!("../../../workflows/mixpanel.yml");
}

mod jobs {
    arazzo::arazzo_workflow!("../fixtures/busy.arazzo.yml");
}

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

/// Restate's invocation retries, short so that a restarted service is called again quickly.
fn quick_retries() -> ServiceOptions {
    ServiceOptions::new()
        .retry_policy_initial_interval(Duration::from_millis(100))
        .retry_policy_max_interval(Duration::from_millis(500))
}

fn options() -> WorkflowOptions {
    let mut options = WorkflowOptions::new().service_options(quick_retries());
    if let Some(attempts) = std::env::var("ARAZZO_TEST_EFFECT_ATTEMPTS")
        .ok()
        .and_then(|attempts| attempts.parse().ok())
    {
        options = options.effect_retry(
            RunRetryPolicy::new()
                .initial_delay(Duration::from_millis(100))
                .max_attempts(attempts),
        );
    }
    match std::env::var("ARAZZO_TEST_CRASH_AFTER") {
        Ok(step) => options.on_step_completed(move |completed| {
            if completed.step == step {
                eprintln!("test service: dying after step `{step}` as asked");
                // At once, without shutting anything down, as a crash would (and, unlike
                // `abort`, without leaving a core file behind).
                std::process::exit(86);
            }
        }),
        Err(_) => options,
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let addr = var("ARAZZO_TEST_SERVICE_ADDR")?;
    let mixpanel = var("ARAZZO_TEST_MIXPANEL")?;
    let (user, secret) = (
        var("ARAZZO_TEST_MIXPANEL_USER")?,
        var("ARAZZO_TEST_MIXPANEL_SECRET")?,
    );
    let mixpanel_client = mixpanel::Client::builder()
        .base_url_identity_api(&mixpanel)
        .base_url_ingestion_api(&mixpanel)
        .base_url_query_api(format!("{mixpanel}/api/2.0"))
        .identity_api_basic_auth(&user, &secret)
        .query_api_basic_auth(&user, &secret)
        .build()?;
    let jobs_client = jobs::Client::builder()
        .base_url_jobs(var("ARAZZO_TEST_JOBS")?)
        .build()?;
    Endpoint::new()
        .workflow_with::<mixpanel::identity_resolve_and_track::Workflow>(mixpanel_client, options())
        .workflow_with::<jobs::read_when_ready::Workflow>(jobs_client, options())
        .serve(addr)
        .await?;
    Ok(())
}
