//! What the CLI tests share: running the binary in a directory, and documents written to a
//! temporary one.

#![allow(dead_code)] // each test file uses its part

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `arazzo args…` in `dir`: (exit code, stdout, stderr).
pub fn arazzo(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_arazzo"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A temporary directory holding `text` as `w.arazzo.yaml`.
pub fn project(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("w.arazzo.yaml"), text).expect("doc");
    dir
}

/// The diagnostics `arazzo check --format json extra… files…` prints in `dir`, as (file,
/// line, column, message).
pub fn diagnostics(dir: &Path, files: &[&str], extra: &[&str]) -> Vec<(String, u64, u64, String)> {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    args.extend(files);
    let (_, stdout, stderr) = arazzo(dir, &args);
    let parsed: Vec<serde_json::Value> = serde_json::from_str(&stdout).expect(&stderr);
    parsed
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap_or_default().to_owned(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}
