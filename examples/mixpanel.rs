//! Runs the Mixpanel identity workflow (`workflows/mixpanel.yml`) end to end.
//!
//! With no configuration it starts the embedded Mixpanel emulator on 127.0.0.1 and runs
//! against it. To run against real Mixpanel, set all four of:
//!
//! | variable                 | meaning                                          |
//! |--------------------------|--------------------------------------------------|
//! | `MIXPANEL_PROJECT_TOKEN` | the project token (ingestion and identity)       |
//! | `MIXPANEL_PROJECT_ID`    | the numeric project id (Query API)               |
//! | `MIXPANEL_SA_USERNAME`   | service account user name (basic auth)           |
//! | `MIXPANEL_SA_SECRET`     | service account secret (basic auth)              |
//!
//! and optionally `MIXPANEL_API_URL` (identity and ingestion host, default
//! `https://api.mixpanel.com`; EU: `https://api-eu.mixpanel.com`), `MIXPANEL_QUERY_URL`
//! (default `https://mixpanel.com/api/2.0`; EU: `https://eu.mixpanel.com/api/2.0`),
//! `MIXPANEL_EVENT`, `MIXPANEL_IDENTIFIED_ID`, `MIXPANEL_ANON_ID`, `MIXPANEL_FROM_DATE` and
//! `MIXPANEL_TO_DATE` (default: today, UTC).
//!
//! ```text
//! cargo run --example mixpanel
//! ```

use std::process::ExitCode;

arazzo::arazzo_workflow!("workflows/mixpanel.yml", secrets = ["projectToken"]);

const REQUIRED: [&str; 4] = [
    "MIXPANEL_PROJECT_TOKEN",
    "MIXPANEL_PROJECT_ID",
    "MIXPANEL_SA_USERNAME",
    "MIXPANEL_SA_SECRET",
];

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Where the workflow runs: real Mixpanel, or the emulator (kept alive while it runs).
struct Target {
    client: Client,
    project_token: String,
    project_id: i64,
    description: String,
    _emulator: Option<mixpanel_emulator::EmulatorHandle>,
}

async fn target() -> Result<Target, String> {
    let given: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|n| var(n).is_some())
        .collect();
    if given.is_empty() {
        let (addr, emulator) = mixpanel_emulator::start()
            .await
            .map_err(|e| format!("cannot start the Mixpanel emulator: {e}"))?;
        let config = emulator.config().clone();
        let client = Client::builder()
            .base_url_identity_api(emulator.identity_base_url())
            .base_url_ingestion_api(emulator.ingestion_base_url())
            .base_url_query_api(emulator.query_base_url())
            .identity_api_basic_auth(
                &config.service_account_username,
                &config.service_account_secret,
            )
            .query_api_basic_auth(
                &config.service_account_username,
                &config.service_account_secret,
            )
            .build()
            .map_err(|e| e.to_string())?;
        return Ok(Target {
            client,
            project_token: config.project_token,
            project_id: config.project_id,
            description: format!("the embedded Mixpanel emulator at http://{addr}"),
            _emulator: Some(emulator),
        });
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|n| var(n).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "to run against Mixpanel, also set {} (or unset all of {} to use the emulator)",
            missing.join(", "),
            REQUIRED.join(", ")
        ));
    }
    let value = |name: &str| var(name).unwrap_or_default();
    let project_id = value("MIXPANEL_PROJECT_ID")
        .parse::<i64>()
        .map_err(|e| format!("MIXPANEL_PROJECT_ID must be an integer: {e}"))?;
    let api_url = var("MIXPANEL_API_URL").unwrap_or_else(|| "https://api.mixpanel.com".to_owned());
    let query_url =
        var("MIXPANEL_QUERY_URL").unwrap_or_else(|| "https://mixpanel.com/api/2.0".to_owned());
    let (user, secret) = (value("MIXPANEL_SA_USERNAME"), value("MIXPANEL_SA_SECRET"));
    let client = Client::builder()
        .base_url_identity_api(&api_url)
        .base_url_ingestion_api(&api_url)
        .base_url_query_api(&query_url)
        .identity_api_basic_auth(&user, &secret)
        .query_api_basic_auth(&user, &secret)
        .build()
        .map_err(|e| e.to_string())?;
    Ok(Target {
        client,
        project_token: value("MIXPANEL_PROJECT_TOKEN"),
        project_id,
        description: format!("Mixpanel at {api_url} and {query_url}"),
        _emulator: None,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let target = match target().await {
        Ok(target) => target,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let today = mixpanel_emulator::today_utc();
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let inputs = identity_resolve_and_track::Inputs {
        project_token: target.project_token.clone(),
        project_id: target.project_id,
        identified_id: var("MIXPANEL_IDENTIFIED_ID")
            .unwrap_or_else(|| "arazzo-example-user".to_owned()),
        anon_id: var("MIXPANEL_ANON_ID")
            .unwrap_or_else(|| format!("arazzo-example-device-{nonce}")),
        event_name: var("MIXPANEL_EVENT").unwrap_or_else(|| "Arazzo Example".to_owned()),
        from_date: var("MIXPANEL_FROM_DATE").unwrap_or_else(|| today.clone()),
        to_date: var("MIXPANEL_TO_DATE").unwrap_or(today),
    };
    println!(
        "running workflow identity-resolve-and-track on {}",
        target.description
    );
    match identity_resolve_and_track::run(&target.client, inputs).await {
        Ok(out) => {
            println!("identityStatus: {}", out.identity_status);
            println!("trackStatus:    {}", out.track_status);
            println!("values:");
            for (event, by_date) in &out.values {
                for (date, count) in by_date {
                    println!("  {event} {date}: {count}");
                }
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
