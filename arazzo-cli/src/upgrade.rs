//! `arazzo upgrade`: rewrites Arazzo 1.0.x documents as 1.1.0 in place (or prints the diff),
//! says what changed and lists what needs a manual fix.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::fix;

/// Upgrades each of `files` (relative to `cwd`), or with `dry_run` prints the diff of each;
/// exit code 1 when a document cannot be upgraded or needs a manual fix.
pub fn upgrade_files(cwd: &Path, files: &[PathBuf], dry_run: bool) -> Result<ExitCode, String> {
    let mut clean = true;
    for file in files {
        let shown = file.display().to_string();
        let path = cwd.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("{shown}: cannot read the document: {e}");
                clean = false;
                continue;
            }
        };
        let upgrade = match arazzo_compiler::upgrade(&text, &shown) {
            Ok(upgrade) => upgrade,
            Err(diagnostics) => {
                crate::report(cwd, &diagnostics, None);
                clean = false;
                continue;
            }
        };
        if upgrade.already_current() {
            eprintln!(
                "{shown}: already Arazzo {}, nothing to upgrade",
                upgrade.from
            );
            continue;
        }
        if dry_run {
            print!("{}", fix::diff(&shown, &text, &upgrade.text));
        } else {
            fix::write(&path, &upgrade.text)?;
        }
        let verb = if dry_run { "would upgrade" } else { "upgraded" };
        eprintln!("{shown}: {verb} from {} to {}", upgrade.from, upgrade.to);
        for edit in &upgrade.edits {
            let (line, col) = fix::line_col(&text, edit.range.start);
            let old = text.get(edit.range.clone()).unwrap_or_default();
            eprintln!("  {line}:{col}: `{old}` → `{}`", edit.replacement);
        }
        if !upgrade.manual.is_empty() {
            clean = false;
            eprintln!(
                "{shown}: {} to fix by hand:",
                crate::plural(upgrade.manual.len(), "thing")
            );
            for d in &upgrade.manual {
                eprintln!("  {}:{}: {}", d.line, d.col, d.message);
                if let Some(help) = &d.help {
                    eprintln!("    help: {help}");
                }
            }
        }
    }
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
