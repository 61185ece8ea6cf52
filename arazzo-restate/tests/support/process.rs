//! The test service (`arazzo-restate-test-service`) in a process of its own, and its memory.

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use super::restate::wait_until;

/// The test service (`arazzo-restate-test-service`) in a process of its own, killed on drop.
pub struct Service {
    child: Child,
    /// The port it listens on; a restart listens on the same port.
    pub port: u16,
}

/// What the test service is pointed at.
#[derive(Clone)]
pub struct Targets {
    pub mixpanel: String,
    pub mixpanel_user: String,
    pub mixpanel_secret: String,
    pub jobs: String,
    /// Attempts Restate gives a failing effect (`None`: the crate's default policy).
    pub effect_attempts: Option<u32>,
}

impl Service {
    /// Starts the service on `port`, dying after step `crash_after` if given, and waits
    /// until it accepts connections.
    pub async fn start(port: u16, targets: &Targets, crash_after: Option<&str>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_arazzo-restate-test-service"));
        command
            .env("ARAZZO_TEST_SERVICE_ADDR", format!("127.0.0.1:{port}"))
            .env("ARAZZO_TEST_MIXPANEL", &targets.mixpanel)
            .env("ARAZZO_TEST_MIXPANEL_USER", &targets.mixpanel_user)
            .env("ARAZZO_TEST_MIXPANEL_SECRET", &targets.mixpanel_secret)
            .env("ARAZZO_TEST_JOBS", &targets.jobs)
            .env_remove("ARAZZO_TEST_CRASH_AFTER")
            .env_remove("ARAZZO_TEST_EFFECT_ATTEMPTS");
        if let Some(attempts) = targets.effect_attempts {
            command.env("ARAZZO_TEST_EFFECT_ATTEMPTS", attempts.to_string());
        }
        if let Some(step) = crash_after {
            command.env("ARAZZO_TEST_CRASH_AFTER", step);
        }
        let child = command.spawn().expect("test service starts");
        wait_until(
            "the test service listens",
            Duration::from_secs(30),
            async || {
                tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
            },
        )
        .await;
        Self { child, port }
    }

    /// The process id, to read its memory from /proc.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits (at most `timeout`) for the process to exit by itself; true if it did.
    pub async fn exited_within(&mut self, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(_)) = self.child.try_wait() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    /// Kills the process and waits for it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A field of /proc/<pid>/status in KiB (`VmRSS`, `VmHWM`).
pub fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/{pid}/status"))
}
