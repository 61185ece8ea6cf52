//! `cargo build` time of a crate that invokes the macro on a synthetic document of 1,000 steps
//! (issue 7, measure 3, second half).
//!
//! ```sh
//! cargo bench --bench build_time
//! ```
//!
//! Writes a small crate under `target/bench-build/` that depends on this one by path, builds it
//! once with a 10-step document (compiling the dependencies, not timed), then times
//! `cargo build` (debug, as a user's edit-compile loop) after switching the document to 10,
//! 100 and 1,000 steps: what is left is the macro (load + check + generate) plus rustc on the
//! code it generates. Prints one line per size; each is the median of three builds.
//!
//! Then the cost of the macro in a crate that invokes it twice (the seed workflow and the
//! 20-step fixture, each `run` used by `main`): `cargo build` after touching one of the YAML
//! files, against the same crate without the two macro calls after touching `main.rs`. The
//! difference is what the macro costs a user on each edit; median of five builds each
//! (`cargo bench --bench build_time -- two` runs this measure alone). A third crate, the same
//! without the macro calls but with one request written by hand with reqwest, shows how much
//! of that difference any crate that sends HTTP pays: linking the HTTP stack.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod synthetic;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    // `cargo bench` passes `--bench`; this bench takes no other arguments.
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("target/bench-build");
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), manifest(&root))?;
    std::fs::write(
        dir.join("src/main.rs"),
        "arazzo::arazzo_workflow!(\"flow.arazzo.yml\");\n\nfn main() {\n    let _ = Client::builder();\n}\n",
    )?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    // `cargo bench --bench build_time -- two`: only the two-invocation measure.
    if std::env::args().any(|a| a == "two") {
        return two_invocations(&root, &cargo);
    }
    write_document(&dir, 10)?;
    println!(
        "building the dependencies of {} (not timed)…",
        dir.display()
    );
    build(&cargo, &dir)?;
    println!("cargo build (debug) after the document changes; median of 3:");
    for steps in [10, 100, 1000] {
        let mut times = Vec::new();
        for round in 0..3 {
            // A different document each round, so every build really re-expands.
            write_document_with(&dir, steps, round)?;
            times.push(build(&cargo, &dir)?);
        }
        times.sort();
        println!("{steps:>5} steps: {:>8.2} s", times[1].as_secs_f64());
    }
    two_invocations(&root, &cargo)
}

/// `main.rs` of the crate with the two macro calls: each workflow's `run` is turned into a
/// boxed future, so rustc compiles it as a user's crate would (inputs that never parse keep it
/// from running).
const TWO_INVOCATIONS: &str = r#"mod seed {
    arazzo::arazzo_workflow!("workflows/mixpanel.yml");
}

mod chain {
    arazzo::arazzo_workflow!("fixtures/twenty.arazzo.yml");
}

fn keep<'a, F: std::future::Future + 'a>(future: F) {
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = F::Output> + 'a>> =
        Box::pin(future);
    // Kept, never polled: the code must be generated and linked, not run.
    drop(std::hint::black_box(boxed));
}

fn main() {
    let seed_inputs = arazzo::serde_json::from_str(&std::env::args().count().to_string());
    if let (Ok(client), Ok(inputs)) = (seed::Client::builder().build(), seed_inputs) {
        keep(seed::identity_resolve_and_track::run(&client, inputs));
    }
    let chain_inputs = arazzo::serde_json::from_str(&std::env::args().count().to_string());
    if let (Ok(client), Ok(inputs)) = (chain::Client::builder().build(), chain_inputs) {
        keep(chain::chain::run(&client, inputs));
    }
}
"#;

/// The same crate without the macro calls.
const NO_INVOCATIONS: &str = r#"fn main() {
    let n: Result<u32, _> = arazzo::serde_json::from_str(&std::env::args().count().to_string());
    std::hint::black_box(n.ok());
}
"#;

/// The same crate without the macro calls but with one request written by hand with reqwest
/// (a JSON body, basic auth, a JSON answer): what any crate that sends HTTP links.
const BY_HAND: &str = r#"async fn create_identity(
    client: &arazzo::reqwest::Client,
    url: &str,
) -> Result<i64, Box<dyn std::error::Error>> {
    let body = arazzo::serde_json::to_vec(&arazzo::serde_json::json!({"$anon_id": "a"}))?;
    let response = client
        .post(url)
        .basic_auth("user", Some("secret"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let answer: arazzo::serde_json::Value = arazzo::serde_json::from_slice(&response.bytes().await?)?;
    answer["status"].as_i64().ok_or_else(|| "no status".into())
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().build();
    let url = std::env::args().nth(1).unwrap_or_default();
    if let Ok(runtime) = runtime {
        let client = arazzo::reqwest::Client::new();
        let status = runtime.block_on(create_identity(&client, &url));
        std::hint::black_box(status.ok());
    }
}
"#;

/// The two-invocation measure: prints the median `cargo build` after an edit of a crate with
/// the two macro calls, of the same crate with one hand-written reqwest call instead, and of
/// the same crate with neither, and the differences.
fn two_invocations(root: &Path, cargo: &str) -> Result<()> {
    let with = root.join("target/bench-build-two");
    let without = root.join("target/bench-build-none");
    // Same dependencies as `without`: built in its target directory, under its own name.
    let by_hand = root.join("target/bench-build-by-hand");
    for (dir, main) in [
        (&with, TWO_INVOCATIONS),
        (&without, NO_INVOCATIONS),
        (&by_hand, BY_HAND),
    ] {
        for sub in ["src", "workflows", "openapi", "fixtures"] {
            std::fs::create_dir_all(dir.join(sub))?;
        }
        let manifest = manifest(root);
        let manifest = if dir == &by_hand {
            manifest.replace("name = \"bench-build\"", "name = \"bench-build-by-hand\"")
        } else {
            manifest
        };
        std::fs::write(dir.join("Cargo.toml"), manifest)?;
        std::fs::write(dir.join("src/main.rs"), main)?;
        std::fs::copy(
            root.join("workflows/mixpanel.yml"),
            dir.join("workflows/mixpanel.yml"),
        )?;
        for entry in std::fs::read_dir(root.join("openapi"))? {
            let entry = entry?;
            std::fs::copy(entry.path(), dir.join("openapi").join(entry.file_name()))?;
        }
        for file in ["twenty.arazzo.yml", "items.openapi.yml"] {
            std::fs::copy(
                root.join("benches/fixtures").join(file),
                dir.join("fixtures").join(file),
            )?;
        }
    }
    let target = |dir: &Path| {
        if dir == by_hand {
            without.join("target")
        } else {
            dir.join("target")
        }
    };
    for dir in [&with, &without, &by_hand] {
        build_in(cargo, dir, &target(dir))?;
    }
    let edited = |dir: &Path, file: &str, round: usize| -> Result<Duration> {
        let path = dir.join(file);
        let mut text = std::fs::read_to_string(&path)?;
        let comment = if file.ends_with(".rs") { "//" } else { "#" };
        text.push_str(&format!("\n{comment} edit {round}\n"));
        std::fs::write(&path, text)?;
        build_in(cargo, dir, &target(dir))
    };
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64()
    };
    let (mut with_times, mut without_times, mut by_hand_times) =
        (Vec::new(), Vec::new(), Vec::new());
    for round in 0..5 {
        with_times.push(edited(&with, "workflows/mixpanel.yml", round)?);
        without_times.push(edited(&without, "src/main.rs", round)?);
        by_hand_times.push(edited(&by_hand, "src/main.rs", round)?);
    }
    let (with, without, by_hand) = (
        median(with_times),
        median(without_times),
        median(by_hand_times),
    );
    println!(
        "cargo build (debug) after an edit, crate invoking the macro twice (seed + 20 steps); median of 5:"
    );
    println!("  with the two macro calls, YAML touched:       {with:>6.2} s");
    println!("  one hand-written reqwest call, main.rs touched: {by_hand:>4.2} s");
    println!("  neither, main.rs touched:                     {without:>6.2} s");
    println!(
        "  the macro's extra time:                       {:>6.2} s (over the hand-written call: {:.2} s)",
        with - without,
        with - by_hand
    );
    Ok(())
}

/// The `Cargo.toml` of a bench crate depending on this one by path. With
/// `ARAZZO_BENCH_OPTIMIZED_MACROS` set, it compiles proc macros optimized
/// (`[profile.dev.build-override] opt-level = 3`), as a user may choose in their own profile.
fn manifest(root: &Path) -> String {
    let optimized = if std::env::var_os("ARAZZO_BENCH_OPTIMIZED_MACROS").is_some() {
        "\n[profile.dev.build-override]\nopt-level = 3\n"
    } else {
        ""
    };
    format!(
        "[package]\nname = \"bench-build\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\narazzo = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt\"] }}\n\n\
         [workspace]\n{optimized}",
        root.display().to_string()
    )
}

fn write_document(dir: &Path, steps: usize) -> Result<()> {
    write_document_with(dir, steps, 0)
}

/// Writes the document and its OpenAPI file; `round` changes the title so the files differ.
fn write_document_with(dir: &Path, steps: usize, round: usize) -> Result<()> {
    let doc = synthetic::arazzo(steps).replace(
        &format!("title: Synthetic {steps}"),
        &format!("title: Synthetic {steps} (round {round})"),
    );
    std::fs::write(dir.join("flow.arazzo.yml"), doc)?;
    std::fs::write(dir.join(synthetic::OPENAPI_FILE), synthetic::openapi(steps))?;
    Ok(())
}

/// Runs `cargo build` in `dir` and returns how long it took.
fn build(cargo: &str, dir: &Path) -> Result<Duration> {
    build_in(cargo, dir, &dir.join("target"))
}

/// Runs `cargo build` in `dir` with `target` as its target directory and returns how long it
/// took.
fn build_in(cargo: &str, dir: &Path, target: &Path) -> Result<Duration> {
    let started = Instant::now();
    let status = Command::new(cargo)
        .arg("build")
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()?;
    if !status.success() {
        return Err(format!("cargo build failed in {}", dir.display()).into());
    }
    Ok(started.elapsed())
}
