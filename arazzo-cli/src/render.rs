//! Diagnostics for people (source snippets with carets, via ariadne) and for tools (JSON).

use std::path::{Path, PathBuf};

use arazzo_compiler::Diagnostic;
use ariadne::{Config, Label, Report, ReportKind, Source};

/// Prints every diagnostic to stderr: a snippet of its file with the place underlined, the
/// message, the suggestion, and whether `arazzo fix` fixes it. Diagnostics whose file cannot
/// be read again print as one line. `edited`: a file whose text is this one rather than the
/// disk's (a path, as `cwd` joined with a diagnostic's file gives it, and the text).
pub fn human(cwd: &Path, diagnostics: &[Diagnostic], color: bool, edited: Option<(PathBuf, &str)>) {
    for d in diagnostics {
        let path = cwd.join(&d.file);
        let text = (d.line > 0)
            .then(|| match &edited {
                Some((edited, text)) if *edited == path => Some((*text).to_owned()),
                _ => std::fs::read_to_string(&path).ok(),
            })
            .flatten();
        let Some(text) = text else {
            eprintln!("error: {d}{}", fixable(d));
            continue;
        };
        // A long line (a whole JSON document on one line) is shown around the column only.
        let (text, col) = clipped(&text, d.line as usize, d.col as usize);
        let span = span(&text, d.line as usize, col);
        let name = d.file.as_str();
        let mut report = Report::build(ReportKind::Error, (name, span.clone()))
            .with_config(Config::default().with_color(color))
            .with_message(&d.message)
            .with_label(Label::new((name, span)).with_message(d.help.as_deref().unwrap_or("here")));
        if d.fix.is_some() {
            report = report.with_note(FIXABLE);
        }
        if report
            .finish()
            .eprint((name, Source::from(text.as_str())))
            .is_err()
        {
            eprintln!("error: {d}{}", fixable(d));
        }
    }
}

/// ` (fixable with `arazzo fix`)` for a diagnostic with a fix, else nothing.
fn fixable(d: &Diagnostic) -> String {
    if d.fix.is_some() {
        format!(" ({FIXABLE})")
    } else {
        String::new()
    }
}

/// The note under an error that `arazzo fix` corrects.
pub const FIXABLE: &str = "fixable with `arazzo fix`";

/// How many characters of a line are shown on each side of the column.
const CONTEXT: usize = 80;

/// `text` with line `line` (1-based) cut to [`CONTEXT`] characters on each side of `col`
/// (marked by `…`), and the column in the cut line; other lines unchanged.
fn clipped(text: &str, line: usize, col: usize) -> (String, usize) {
    let mut out = String::with_capacity(text.len().min(1 << 20));
    let mut new_col = col;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        let chars = content.chars().count();
        if index + 1 != line || chars <= 2 * CONTEXT {
            out.push_str(content);
            continue;
        }
        let start = col.saturating_sub(1).saturating_sub(CONTEXT);
        let end = (start + 2 * CONTEXT).min(chars);
        if start > 0 {
            out.push('…');
        }
        out.extend(
            content
                .chars()
                .skip(start)
                .take(end - start)
                .filter(|c| *c != '\n'),
        );
        if end < chars {
            out.push('…');
        }
        out.push('\n');
        new_col = col - start + usize::from(start > 0);
    }
    (out, new_col)
}

/// The character range of the token at 1-based `line`:`col` (to the next space or delimiter),
/// at least one character; clamped to the text.
fn span(text: &str, line: usize, col: usize) -> std::ops::Range<usize> {
    let mut offset = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        let chars = content.chars().count();
        if index + 1 == line {
            let start = offset + col.saturating_sub(1).min(chars);
            let token = content
                .chars()
                .skip(col.saturating_sub(1))
                .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
                .count()
                .max(1);
            return start..start + token;
        }
        offset += chars;
    }
    offset..offset
}

/// The diagnostics as a JSON array of `{file, line, column, message, suggestion, fix}`; `fix`
/// is `null` or `{start, end, replacement}` (a byte range of the file and its new text).
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "file": d.file,
                "line": d.line,
                "column": d.col,
                "message": d.message,
                "suggestion": d.help,
                "fix": d.fix.as_ref().map(|f| serde_json::json!({
                    "start": f.range.start,
                    "end": f.range.end,
                    "replacement": f.replacement,
                })),
            })
        })
        .collect();
    serde_json::Value::Array(items).to_string()
}

#[cfg(test)]
mod tests {
    use super::{clipped, span};

    #[test]
    fn long_lines_are_shown_around_the_column() {
        let line = format!("{}target{}", "a".repeat(1_000), "b".repeat(1_000));
        let text = format!("first\n{line}\nlast\n");
        let (shown, col) = clipped(&text, 2, 1_001);
        let second = shown.lines().nth(1).expect("line 2");
        assert_eq!(second.chars().count(), 162, "{second}");
        assert!(second.starts_with('…') && second.ends_with('…'));
        assert_eq!(
            second.chars().skip(col - 1).take(6).collect::<String>(),
            "target"
        );
        assert!(shown.starts_with("first\n") && shown.ends_with("last\n"));
        // Short lines are left alone.
        assert_eq!(clipped("a: 1\n", 1, 4), ("a: 1\n".to_owned(), 4));
    }

    #[test]
    fn spans_cover_the_token_at_line_and_column() {
        let text = "a: 1\nkey: valu e\n";
        assert_eq!(span(text, 2, 6), 10..14);
        assert_eq!(span(text, 1, 1), 0..2);
        // Past the end of the text: an empty range at its end.
        assert_eq!(span(text, 9, 1), 17..17);
    }
}
