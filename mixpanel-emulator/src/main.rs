//! `mixpanel-emulator [--port N]`: runs the Mixpanel emulator on 127.0.0.1 until interrupted.
//!
//! Configuration comes from the environment: `MIXPANEL_EMULATOR_TOKEN`,
//! `MIXPANEL_EMULATOR_PROJECT_ID`, `MIXPANEL_EMULATOR_SA_USERNAME` and
//! `MIXPANEL_EMULATOR_SA_SECRET`; unset or empty variables keep the defaults of
//! [`mixpanel_emulator::Config`].

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use mixpanel_emulator::Config;

const USAGE: &str = "usage: mixpanel-emulator [--port N]

Runs the Mixpanel emulator on 127.0.0.1 (port 0, the default, picks a free port) until
interrupted (Ctrl-C), after printing its base URLs.

Environment: MIXPANEL_EMULATOR_TOKEN, MIXPANEL_EMULATOR_PROJECT_ID,
MIXPANEL_EMULATOR_SA_USERNAME, MIXPANEL_EMULATOR_SA_SECRET.";

/// Reads the port from the command line: `--port N` or `--port=N`.
fn parse_port(args: impl IntoIterator<Item = String>) -> Result<Option<u16>, String> {
    let mut args = args.into_iter();
    let mut port = None;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => args.next().ok_or("--port needs a value")?,
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_owned(),
                None => return Err(format!("unknown argument '{other}'")),
            },
        };
        port = Some(
            value
                .parse::<u16>()
                .map_err(|_| format!("invalid port '{value}'"))?,
        );
    }
    Ok(Some(port.unwrap_or(0)))
}

/// The configuration from the environment, defaults for unset or empty variables.
fn config_from_env() -> Result<Config, String> {
    let var = |name: &str| std::env::var(name).ok().filter(|value| !value.is_empty());
    let mut config = Config::default();
    if let Some(token) = var("MIXPANEL_EMULATOR_TOKEN") {
        config.project_token = token;
    }
    if let Some(id) = var("MIXPANEL_EMULATOR_PROJECT_ID") {
        config.project_id = id
            .trim()
            .parse()
            .map_err(|_| format!("MIXPANEL_EMULATOR_PROJECT_ID must be an integer, got '{id}'"))?;
    }
    if let Some(user) = var("MIXPANEL_EMULATOR_SA_USERNAME") {
        config.service_account_username = user;
    }
    if let Some(secret) = var("MIXPANEL_EMULATOR_SA_SECRET") {
        config.service_account_secret = secret;
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let port = match parse_port(std::env::args().skip(1)) {
        Ok(Some(port)) => port,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match config_from_env() {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let (_, emulator) = match mixpanel_emulator::start_at(addr, config).await {
        Ok(started) => started,
        Err(error) => {
            eprintln!("error: cannot listen on {addr}: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("identity:  {}", emulator.identity_base_url());
    println!("ingestion: {}", emulator.ingestion_base_url());
    println!("query:     {}", emulator.query_base_url());
    // SIGINT (Ctrl-C) ends the process with the emulator; nothing needs flushing.
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::parse_port;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_ports() {
        assert_eq!(parse_port(args(&[])), Ok(Some(0)));
        assert_eq!(parse_port(args(&["--port", "8080"])), Ok(Some(8080)));
        assert_eq!(parse_port(args(&["--port=9"])), Ok(Some(9)));
        assert_eq!(parse_port(args(&["--help"])), Ok(None));
        assert!(parse_port(args(&["--port"])).is_err());
        assert!(parse_port(args(&["--port", "70000"])).is_err());
        assert!(parse_port(args(&["-x"])).is_err());
    }
}
