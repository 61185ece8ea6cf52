//! Workflows that call workflows: steps whose target is a `workflowId`, and `dependsOn`.
//!
//! ```sh
//! cargo run --example workflow_calls
//! ```
//!
//! `examples/workflows/onboarding.arazzo.yml` on the embedded Mixpanel emulator: `funnel-report`
//! depends on `onboard-user`, which links an identity, calls `track` twice and calls
//! `count-event`; the report then calls `count-event` itself. Every workflow is also a module
//! of its own (`track::run` works alone), and the callee's outputs keep their types through
//! the call.

use std::collections::BTreeMap;

arazzo::arazzo_workflow!("examples/workflows/onboarding.arazzo.yml");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    let day = mixpanel_emulator::today_utc();

    let report = funnel_report::run(
        &client,
        funnel_report::Inputs {
            token: config.project_token.clone(),
            project_id: config.project_id,
            user: "ada".into(),
            device: "device-42".into(),
            day: day.clone(),
        },
    )
    .await?;
    // Typed through two levels of calls: event → day → unique users.
    let signed_up: BTreeMap<String, BTreeMap<String, f64>> = report.signed_up;
    println!("signed up on {day}: {}", signed_up["Signed Up"][&day]);
    println!(
        "created a project on {day}: {}",
        report.created_project["Created Project"][&day]
    );

    // A called workflow runs on its own too.
    let tracked = track::run(
        &client,
        track::Inputs {
            token: config.project_token.clone(),
            user: "ada".into(),
            event: "Invited Teammate".into(),
        },
    )
    .await?;
    println!("tracked one more event: status {}", tracked.status);

    let paths: Vec<String> = emulator.requests().into_iter().map(|r| r.path).collect();
    println!("requests, in order: {}", paths.join(", "));
    Ok(())
}
