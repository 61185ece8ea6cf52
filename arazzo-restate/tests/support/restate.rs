//! A real `restate-server` on free ports of 127.0.0.1 in a temporary directory, stopped (and
//! the directory removed) when dropped; shared by the tests, the example and the bench.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
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
/// loudly that `what` (a test, the example) does not run, when there is none (`.ci/run`
/// installs it with npm).
pub fn restate_server_binary(what: &str) -> Option<PathBuf> {
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
            "\n*** SKIPPED: restate-server is not installed, so {what} did not run.\n\
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
        // npm's `restate-server` is a Node.js wrapper that starts the real binary: the server
        // gets a process group of its own, and dropping it kills the group, not the wrapper only.
        let child = Command::new(binary)
            .process_group(0)
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
        let deployment =
            serde_json::json!({ "uri": format!("http://127.0.0.1:{port}"), "force": true });
        self.post_json(
            format!("{}/deployments", self.admin),
            &deployment,
            "registration",
        )
        .await;
    }

    /// Starts the run `key` of `service` with `inputs` and returns at once.
    pub async fn submit(&self, service: &str, key: &str, inputs: &Value) {
        let url = format!("{}/{service}/{key}/run/send", self.ingress);
        self.post_json(url, inputs, &format!("submit {key}")).await;
    }

    /// POSTs `body` as JSON to `url` and asserts a success status; `what` names the call in
    /// the failure message.
    async fn post_json(&self, url: String, body: &Value, what: &str) {
        let response = self
            .http
            .post(url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap_or_else(|error| panic!("{what}: no answer: {error}"));
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(status.is_success(), "{what}: {status} {body}");
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
        // The whole process group (the wrapper and the server it started).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
