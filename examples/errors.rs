//! Reading a failed run: what went wrong, where, and what had already happened.
//!
//! ```sh
//! cargo run --example errors
//! ```
//!
//! Runs the seed workflow on the embedded Mixpanel emulator with a wrong Query API secret: the
//! identity and the event go through, the segmentation query is refused with a 401. The error
//! names the step and the criterion, and keeps the typed outputs of the two steps that
//! completed, so the caller knows the event was tracked and must not be sent twice.

use arazzo::ErrorKind;

// `projectToken` is a plain string in the document; listing it keeps it out of `Debug` output
// and error excerpts.
arazzo::arazzo_workflow!("workflows/mixpanel.yml", secrets = ["projectToken"]);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (_addr, emulator) = mixpanel_emulator::start().await?;
    let config = emulator.config();
    let client = Client::builder()
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_ingestion_api(emulator.ingestion_base_url())
        .base_url_query_api(emulator.query_base_url())
        .identity_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .query_api_basic_auth(&config.service_account_username, "not-the-secret")
        .build()?;
    let today = mixpanel_emulator::today_utc();
    let inputs = identity_resolve_and_track::Inputs {
        project_token: config.project_token.clone(),
        project_id: config.project_id,
        identified_id: "user-1".into(),
        anon_id: "device-1".into(),
        event_name: "Signup".into(),
        from_date: today.clone(),
        to_date: today,
    };
    println!("inputs: {inputs:?}\n");

    let Err(err) = identity_resolve_and_track::run(&client, inputs).await else {
        return Err("the run was expected to fail".into());
    };
    // One line for logs.
    println!("error: {err}\n");
    // Where, and what kind.
    println!(
        "workflow {:?}, step {:?}, operation {:?}",
        err.workflow(),
        err.step(),
        err.operation()
    );
    match err.kind() {
        ErrorKind::CriteriaNotMet {
            criterion,
            status,
            body,
        } => {
            println!("criterion `{criterion}` failed with HTTP {status}; body excerpt: {body}");
        }
        ErrorKind::Transport(_) | ErrorKind::Timeout(_) => println!("network trouble: try again"),
        other => println!("something else: {other}"),
    }
    // What already happened: every request sent and what came of it (answered, decoded),
    // the names of the completed steps, and the typed outputs of each.
    for request in err.sent_requests() {
        println!(
            "sent {} {} ({}): {:?}",
            request.method,
            request.path,
            request.qualified_step(),
            request.outcome
        );
    }
    println!("completed steps: {:?}", err.completed_steps());
    if let Some(progress) = identity_resolve_and_track::Progress::of(&err) {
        if let Some(track) = &progress.track_for_user {
            println!(
                "the event was tracked (status {}): do not send it again",
                track.track_status
            );
        }
        println!("segmentation ran: {}", progress.segment_event.is_some());
    }
    Ok(())
}
