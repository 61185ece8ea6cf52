//! A real `restate-server` and the test service process, each started on free ports of
//! 127.0.0.1 and stopped when dropped.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A free TCP port on 127.0.0.1 (bound, then released for the process that will use it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port on 127.0.0.1")
}

/// The `restate-server` binary: `$RESTATE_SERVER`, or the one on `PATH`. `None`, after saying
/// loudly why, when there is none (`.ci/run` installs it with npm).
pub fn restate_server_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("RESTATE_SERVER") {
        return Some(PathBuf::from(path));
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("restate-server"))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        eprintln!(
            "\n*** SKIPPED: restate-server is not installed, so the Restate tests did not run.\n\
             *** Install it with `npm install -g @restatedev/restate-server@1.7` (as .ci/run does)\n\
             *** or point RESTATE_SERVER at the binary.\n"
        );
    }
    found
}

/// Polls `ready` every 50 ms until it holds or `timeout` passes.
pub async fn wait_until(what: &str, timeout: Duration, mut ready: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !ready().await {
        assert!(start.elapsed() < timeout, "{what} within {timeout:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A single-node `restate-server` in a temporary directory, killed (and the directory removed)
/// on drop.
pub struct Restate {
    child: Child,
    dir: PathBuf,
    /// Base URL of the ingress, where runs are started.
    pub ingress: String,
    /// Base URL of the admin API, where deployments are registered.
    pub admin: String,
    pub http: reqwest::Client,
}

impl Restate {
    /// Starts the server and waits until its admin API and ingress answer.
    pub async fn start(binary: &PathBuf) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "arazzo-restate-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let (ingress, admin, node) = (free_port(), free_port(), free_port());
        let log = std::fs::File::create(dir.join("restate.log")).expect("log file");
        let child = Command::new(binary)
            .args(["--no-logo", "--listen-mode", "tcp", "--base-dir"])
            .arg(&dir)
            .env("RESTATE_NODE_NAME", "arazzo-test")
            .env(
                "RESTATE_INGRESS__BIND_ADDRESS",
                format!("127.0.0.1:{ingress}"),
            )
            .env("RESTATE_ADMIN__BIND_ADDRESS", format!("127.0.0.1:{admin}"))
            .env("RESTATE_BIND_ADDRESS", format!("127.0.0.1:{node}"))
            .env(
                "RESTATE_ADVERTISED_ADDRESS",
                format!("http://127.0.0.1:{node}/"),
            )
            // A few partitions are plenty for a test and start faster than the default 24.
            .env("RESTATE_DEFAULT_NUM_PARTITIONS", "4")
            .stdout(Stdio::from(log.try_clone().expect("log file")))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("restate-server starts");
        let restate = Self {
            child,
            dir,
            ingress: format!("http://127.0.0.1:{ingress}"),
            admin: format!("http://127.0.0.1:{admin}"),
            http: reqwest::Client::new(),
        };
        let (http, admin, ingress) = (&restate.http, &restate.admin, &restate.ingress);
        wait_until("restate-server answers", Duration::from_secs(60), async || {
            let admin_up = http.get(format!("{admin}/health")).send().await;
            let ingress_up = http.get(format!("{ingress}/restate/health")).send().await;
            matches!((admin_up, ingress_up), (Ok(a), Ok(i)) if a.status().is_success() && i.status().is_success())
        })
        .await;
        restate
    }

    /// Registers the service endpoint listening on `port` (again, `force`, after a restart).
    pub async fn register(&self, port: u16) {
        let response = self
            .http
            .post(format!("{}/deployments", self.admin))
            .header("content-type", "application/json")
            .body(
                serde_json::json!({ "uri": format!("http://127.0.0.1:{port}"), "force": true })
                    .to_string(),
            )
            .send()
            .await
            .expect("admin API answers");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "registration: {status} {body}");
    }

    /// Starts the run `key` of `service` with `inputs` and returns at once.
    pub async fn submit(&self, service: &str, key: &str, inputs: &Value) {
        let response = self
            .http
            .post(format!("{}/{service}/{key}/run/send", self.ingress))
            .header("content-type", "application/json")
            .body(inputs.to_string())
            .send()
            .await
            .expect("ingress answers");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "submit {key}: {status} {body}");
    }

    /// Waits for the run `key` of `service` to end: its outputs, or the failure's message.
    pub async fn attach(&self, service: &str, key: &str) -> Result<Value, String> {
        let response = self
            .http
            .get(format!(
                "{}/restate/workflow/{service}/{key}/attach",
                self.ingress
            ))
            .send()
            .await
            .map_err(|error| error.to_string())?;
        let status = response.status();
        let body = response.text().await.map_err(|error| error.to_string())?;
        if status.is_success() {
            serde_json::from_str(&body).map_err(|error| format!("{error}: {body}"))
        } else {
            Err(format!("{status}: {body}"))
        }
    }

    /// The steps of the run `key` completed so far (its `progress` handler).
    pub async fn progress(&self, service: &str, key: &str) -> Value {
        let response = self
            .http
            .post(format!("{}/{service}/{key}/progress", self.ingress))
            .send()
            .await
            .expect("ingress answers");
        let body = response.text().await.expect("progress body");
        serde_json::from_str(&body).unwrap_or_else(|error| panic!("{error}: {body}"))
    }
}

impl Drop for Restate {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

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
}

impl Service {
    /// Starts the service on `port`, aborting after step `crash_after` if given, and waits
    /// until it accepts connections.
    pub async fn start(port: u16, targets: &Targets, crash_after: Option<&str>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_arazzo-restate-test-service"));
        command
            .env("ARAZZO_TEST_SERVICE_ADDR", format!("127.0.0.1:{port}"))
            .env("ARAZZO_TEST_MIXPANEL", &targets.mixpanel)
            .env("ARAZZO_TEST_MIXPANEL_USER", &targets.mixpanel_user)
            .env("ARAZZO_TEST_MIXPANEL_SECRET", &targets.mixpanel_secret)
            .env("ARAZZO_TEST_JOBS", &targets.jobs)
            .env_remove("ARAZZO_TEST_CRASH_AFTER");
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
