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
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"bench-build\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\narazzo = {{ path = {:?} }}\ntokio = {{ version = \"1\", features = [\"rt\"] }}\n\n\
             [workspace]\n",
            root.display().to_string()
        ),
    )?;
    std::fs::write(
        dir.join("src/main.rs"),
        "arazzo::arazzo_workflow!(\"flow.arazzo.yml\");\n\nfn main() {\n    let _ = Client::builder();\n}\n",
    )?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
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
    Ok(())
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
    let started = Instant::now();
    let status = Command::new(cargo)
        .arg("build")
        .arg("--quiet")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()?;
    if !status.success() {
        return Err(format!("cargo build failed in {}", dir.display()).into());
    }
    Ok(started.elapsed())
}
