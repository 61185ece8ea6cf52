//! Watching a run with `tracing`: one `arazzo.workflow` span per run and one `arazzo.step` span
//! per request (step, operation, method, URL without secrets, attempt, status, elapsed time).
//!
//! ```sh
//! cargo run --example tracing
//! ```
//!
//! The runtime prints nothing by itself; here `tracing-subscriber` prints each span as it
//! closes. Query-string values (the seed sends the project token in one) show as `***`.

use tracing_subscriber::fmt::format::FmtSpan;

arazzo::arazzo_workflow!("workflows/mixpanel.yml");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_span_events(FmtSpan::CLOSE)
        .with_target(false)
        .init();

    let (_addr, emulator) = mixpanel_emulator::start().await?;
    let config = emulator.config();
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
        .build()?;
    let today = mixpanel_emulator::today_utc();
    let out = identity_resolve_and_track::run(
        &client,
        identity_resolve_and_track::Inputs {
            project_token: config.project_token.clone(),
            project_id: config.project_id,
            identified_id: "user-1".into(),
            anon_id: "device-1".into(),
            event_name: "Signup".into(),
            from_date: today.clone(),
            to_date: today,
        },
    )
    .await?;
    println!("values: {:?}", out.values);
    Ok(())
}
