//! The seed workflow run durably on Restate: `cargo run -p arazzo-restate --example durable`.
//!
//! Starts a `restate-server` (from `PATH`, in a temporary directory, on free ports), the
//! Mixpanel emulator, and this crate's endpoint serving `identity-resolve-and-track`;
//! registers the endpoint with Restate, starts one run through Restate's ingress, prints its
//! progress and outputs, and stops everything. Without restate-server it says how to install
//! it and exits.

#[path = "../tests/support/restate.rs"]
#[allow(dead_code)]
mod restate_server;

use serde_json::json;

arazzo::arazzo_workflow!("../../workflows/mixpanel.yml");

const SERVICE: &str = "identity-resolve-and-track";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Some(restate_server) = restate_server::restate_server_binary("the example") else {
        return Ok(());
    };
    let restate = restate_server::Restate::start(&restate_server).await;
    println!(
        "restate-server: ingress {}, admin {}",
        restate.ingress, restate.admin
    );

    let (_addr, emulator) = mixpanel_emulator::start().await?;
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
        .build()?;

    // The one line per workflow; then serve on a port of our own and tell Restate about it.
    let endpoint =
        arazzo_restate::Endpoint::new().workflow::<identity_resolve_and_track::Workflow>(client);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(endpoint.serve_listener(listener, stopped));
    restate.register(port).await;
    println!("endpoint http://127.0.0.1:{port} registered");

    let today = mixpanel_emulator::today_utc();
    let inputs = json!({
        "projectToken": config.project_token,
        "projectId": config.project_id,
        "identifiedId": "user-1",
        "anonId": "device-1",
        "eventName": "Signup",
        "fromDate": today,
        "toDate": today,
    });
    println!("POST {}/{SERVICE}/signup-1/run/send", restate.ingress);
    restate.submit(SERVICE, "signup-1", &inputs).await;
    let outputs = restate.attach(SERVICE, "signup-1").await?;
    println!("outputs: {outputs}");
    println!("progress: {}", restate.progress(SERVICE, "signup-1").await);

    let _ = stop.send(());
    server.await??;
    Ok(())
}
