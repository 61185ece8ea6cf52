//! `arazzo fix`: rewrites, in the named documents, the forms other runners accept that have
//! exactly one Arazzo spelling (each diagnostic's [`Fix`]), like `cargo fix`.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use arazzo_compiler::diag::Fix;
use arazzo_compiler::{Diagnostic, Request, normalize};

/// How many times a document is checked and fixed at most: a fix can uncover another (a
/// condition with two wrong expressions reports the second once the first is right).
pub const MAX_PASSES: usize = 4;

/// What fixing one document did.
pub struct Outcome {
    /// The document's text before.
    pub before: String,
    /// Its text after every fix.
    pub after: String,
    /// Each applied fix: where, what was written there before, what now.
    pub applied: Vec<Applied>,
    /// The errors the fixed text still has (empty: it compiles).
    pub remaining: Vec<Diagnostic>,
}

/// One applied fix.
pub struct Applied {
    /// 1-based line of the replaced text (fixes never add or remove lines).
    pub line: u32,
    /// Its 1-based column, in characters, in the text it was replaced in.
    pub col: u32,
    /// The text replaced.
    pub old: String,
    /// The text written.
    pub new: String,
}

/// Checks `file` (relative to `cwd`, or absolute) and applies the fixes of its errors, pass
/// after pass, in memory: nothing is written. `Err` with the diagnostics when the document
/// cannot even be read.
pub fn fix(cwd: &Path, file: &Path) -> Result<Outcome, Vec<Diagnostic>> {
    let absolute = normalize(&cwd.join(file));
    let request = request(cwd, &absolute);
    let before = match std::fs::read_to_string(&absolute) {
        Ok(text) => text,
        // Reported as `check` reports it.
        Err(_) => return Err(arazzo_compiler::compile(&request).err().unwrap_or_default()),
    };
    let mut text = before.clone();
    let mut applied = Vec::new();
    let mut result = arazzo_compiler::compile(&request);
    for _ in 0..MAX_PASSES {
        let Err(diagnostics) = &result else {
            break;
        };
        let ours: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.fix.is_some() && normalize(&cwd.join(&d.file)) == absolute)
            .collect();
        let edited = apply(&text, &ours, &mut applied);
        if edited == text {
            break;
        }
        text = edited;
        result = arazzo_compiler::compile_edited(&request, &[(absolute.clone(), text.clone())]);
    }
    applied.sort_by_key(|a| (a.line, a.col));
    Ok(Outcome {
        before,
        after: text,
        applied,
        remaining: result.err().unwrap_or_default(),
    })
}

/// `text` with the fixes of `diagnostics` applied, from the end; a fix that overlaps one
/// already applied, or does not fall on character boundaries, is left for the next pass.
fn apply(text: &str, diagnostics: &[&Diagnostic], applied: &mut Vec<Applied>) -> String {
    let mut fixes: Vec<&Fix> = diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
    fixes.sort_by_key(|f| std::cmp::Reverse((f.range.start, f.range.end)));
    fixes.dedup();
    let mut out = text.to_owned();
    let mut limit = text.len();
    let mut done = Vec::new();
    for fix in fixes {
        let Some(old) = out.get(fix.range.clone()) else {
            continue;
        };
        if fix.range.end > limit {
            continue;
        }
        let (line, col) = line_col(&out, fix.range.start);
        done.push(Applied {
            line,
            col,
            old: old.to_owned(),
            new: fix.replacement.clone(),
        });
        out.replace_range(fix.range.clone(), &fix.replacement);
        limit = fix.range.start;
    }
    done.reverse();
    applied.extend(done);
    out
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    (at(line), at(col))
}

/// A unified diff of `before` and `after`, labelled with `name`.
pub fn diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Writes `text` to `path` atomically: to a temporary file in the same directory, given the
/// original's permissions, then renamed over it (a symbolic link is followed, not replaced).
pub fn write(path: &Path, text: &str) -> Result<(), String> {
    let target = std::fs::canonicalize(path)
        .map_err(|e| format!("cannot resolve {}: {e}", path.display()))?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let failed = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    temp.write_all(text.as_bytes()).map_err(failed)?;
    temp.as_file().sync_all().map_err(failed)?;
    let permissions = std::fs::metadata(&target).map_err(failed)?.permissions();
    std::fs::set_permissions(temp.path(), permissions).map_err(failed)?;
    temp.persist(&target).map_err(|e| failed(e.error))?;
    Ok(())
}

/// The compiler request for the document at `absolute`, as `check` makes it.
fn request(cwd: &Path, absolute: &Path) -> Request {
    let base = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    let relative = absolute.file_name().map(PathBuf::from).unwrap_or_default();
    Request {
        path: relative.to_string_lossy().replace('\\', "/"),
        manifest_dir: base,
        invoking_file: None,
        cwd: Some(cwd.to_path_buf()),
        ..Default::default()
    }
}
