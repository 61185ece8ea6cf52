//! Diagnostics: located error messages with suggestions, collected rather than thrown.

use std::fmt;

pub use crate::files::FileId;
use crate::files::{Files, Loc};

/// One compile error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file as shown to the user (relative to the working directory when possible).
    pub file: String,
    /// 1-based line, or 0 when the error concerns the whole file.
    pub line: u32,
    /// 1-based column, or 0 when the error concerns the whole file.
    pub col: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it (usually "did you mean ...?"), if the compiler knows.
    pub help: Option<String>,
    /// When the error is about a name in [`crate::Request::secrets`], its index (the macro
    /// points at that name rather than at the document's path).
    pub secret: Option<usize>,
    /// The edit of [`Diagnostic::file`] that corrects this error, when there is exactly one:
    /// a form another runner accepts, rewritten as the specification spells it (what
    /// `arazzo fix` applies). `None` for every genuine mistake, and whenever the text cannot be
    /// rewritten without guessing.
    pub fix: Option<Fix>,
}

/// A machine-applicable fix: replace bytes `range` of the diagnostic's file with
/// `replacement`. The result is valid YAML with the same value except the corrected part
/// (a plain scalar is quoted when the replacement needs it).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// The byte range of the file's text to replace.
    pub range: std::ops::Range<usize>,
    /// The text to write there.
    pub replacement: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)?;
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.col, self.message
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

/// Collects diagnostics while a document is checked.
#[derive(Debug, Default)]
pub struct Diags {
    items: Vec<Item>,
}

/// One collected error, before it is located for display.
#[derive(Debug)]
struct Item {
    loc: Option<Loc>,
    message: String,
    help: Option<String>,
    /// The file, for an error without a location.
    file: String,
    secret: Option<usize>,
    fix: Option<Fix>,
}

/// The longest message or help text kept, in characters: what a message quotes from the
/// document (a name, a value) may be megabytes long.
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// `text` cut to [`MAX_MESSAGE_CHARS`] characters, its middle replaced by `…` when it is longer
/// (the start says what is wrong, the end often the fix).
fn capped(text: String) -> String {
    let count = text.chars().count();
    if count <= MAX_MESSAGE_CHARS {
        return text;
    }
    let keep = MAX_MESSAGE_CHARS / 2;
    let head: String = text.chars().take(keep).collect();
    let tail: String = text.chars().skip(count - keep).collect();
    format!("{head} … {tail}")
}

impl Diags {
    /// An error at `loc`.
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.error_help(loc, message, None);
    }

    /// An error at `loc` with a help text.
    pub fn error_help(&mut self, loc: Loc, message: impl Into<String>, help: Option<String>) {
        self.error_fix(loc, message, help, None);
    }

    /// An error at `loc` with a help text and, when the error has exactly one correction, the
    /// edit that makes it ([`Diagnostic::fix`]).
    pub fn error_fix(
        &mut self,
        loc: Loc,
        message: impl Into<String>,
        help: Option<String>,
        fix: Option<Fix>,
    ) {
        self.items.push(Item {
            loc: Some(loc),
            message: capped(message.into()),
            help: help.map(capped),
            file: String::new(),
            secret: None,
            fix,
        });
    }

    /// An error about a whole file that could not be located more precisely.
    pub fn file_error(
        &mut self,
        file: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.items.push(Item {
            loc: None,
            message: capped(message.into()),
            help: help.map(capped),
            file: file.into(),
            secret: None,
            fix: None,
        });
    }

    /// An error about the name at `index` of [`crate::Request::secrets`], reported against
    /// `file` (the document).
    pub fn secret_error(
        &mut self,
        index: usize,
        file: impl Into<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        self.file_error(file, message, help);
        if let Some(item) = self.items.last_mut() {
            item.secret = Some(index);
        }
    }

    /// Whether any error was reported.
    pub fn has_errors(&self) -> bool {
        !self.items.is_empty()
    }

    /// How many errors were reported.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no error was reported.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics, sorted by file and position, duplicates removed (the same message at
    /// the same place once, with the first fix: a value holding the same wrong expression
    /// twice is fixed by a second run of `arazzo fix`).
    pub fn finish(self, files: &Files) -> Vec<Diagnostic> {
        let mut out: Vec<(Option<Loc>, Diagnostic)> = self
            .items
            .into_iter()
            .map(|item| {
                let diagnostic = match item.loc {
                    Some(loc) => Diagnostic {
                        file: files.display(loc.file).to_owned(),
                        line: loc.line,
                        col: loc.col,
                        message: item.message,
                        help: item.help,
                        secret: item.secret,
                        fix: item.fix,
                    },
                    None => Diagnostic {
                        file: item.file,
                        line: 0,
                        col: 0,
                        message: item.message,
                        help: item.help,
                        secret: item.secret,
                        fix: None,
                    },
                };
                (item.loc, diagnostic)
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1.message).cmp(&(b.0, &b.1.message)));
        out.dedup_by(|a, b| {
            let (a, b) = (&a.1, &b.1);
            (&a.file, a.line, a.col, &a.message, &a.help, a.secret)
                == (&b.file, b.line, b.col, &b.message, &b.help, b.secret)
        });
        out.into_iter().map(|(_, d)| d).collect()
    }
}

/// The candidate close enough to `wrong` to be what was meant (Jaro-Winkler ≥ 0.8,
/// case-insensitive), if any.
pub fn closest<'a>(wrong: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Similarity costs the product of the lengths: a name longer than this is no typo anyone
    // needs suggested, and comparing it would let a document stall the build.
    if wrong.len() > MAX_SUGGESTED_LEN {
        return None;
    }
    let wrong = wrong.to_lowercase();
    candidates
        .iter()
        .filter(|c| c.len() <= MAX_SUGGESTED_LEN)
        .map(|c| (strsim::jaro_winkler(&wrong, &c.to_lowercase()), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The longest name [`closest`] compares, in bytes.
pub const MAX_SUGGESTED_LEN: usize = 128;

/// How many distinct candidates [`suggest`] looks at: a suggestion costs time linear in
/// this, not in the size of the document.
pub const MAX_SUGGESTION_CANDIDATES: usize = 1_000;

/// "did you mean `x`?" for the candidate closest to `wrong` (among the first
/// [`MAX_SUGGESTION_CANDIDATES`] distinct ones), or a list of the candidates when there are
/// few and none is close; `None` when there is nothing to suggest.
///
/// ```
/// use arazzo_compiler::diag::suggest;
/// let steps = ["createIdentity", "trackForUser"];
/// assert_eq!(suggest("createIdentty", steps).as_deref(), Some("did you mean `createIdentity`?"));
/// assert_eq!(
///     suggest("x", steps).as_deref(),
///     Some("expected `createIdentity` or `trackForUser`")
/// );
/// ```
pub fn suggest<'a>(
    wrong: &str,
    candidates_in: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut seen = std::collections::HashSet::new();
    let mut candidates: Vec<&str> = Vec::new();
    let mut more = false;
    for c in candidates_in {
        if seen.insert(c) {
            if candidates.len() == MAX_SUGGESTION_CANDIDATES {
                more = true;
                break;
            }
            candidates.push(c);
        }
    }
    if let Some(best) = closest(wrong, &candidates) {
        return Some(format!("did you mean `{best}`?"));
    }
    match candidates.len() {
        0 => None,
        1..=8 => Some(format!("expected {}", one_of(&candidates))),
        n => Some(format!(
            "{}{n} names exist, for example {}",
            if more { "more than " } else { "" },
            one_of(&candidates[..5])
        )),
    }
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`".
pub fn one_of(names: &[&str]) -> String {
    match names {
        [] => "nothing".to_owned(),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        many => format!(
            "one of {}",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let names = ["createIdentity", "trackForUser", "segmentEvent"];
        assert_eq!(
            suggest("createIdentty", names).as_deref(),
            Some("did you mean `createIdentity`?")
        );
        assert_eq!(
            suggest("CREATEIDENTITY", names).as_deref(),
            Some("did you mean `createIdentity`?")
        );
        assert_eq!(
            suggest("zzz", names).as_deref(),
            Some("expected one of `createIdentity`, `trackForUser`, `segmentEvent`")
        );
        assert_eq!(suggest("zzz", ["a"]).as_deref(), Some("expected `a`"));
        assert_eq!(suggest("zzz", []), None);
    }

    #[test]
    fn suggestions_look_at_a_bounded_number_of_candidates() {
        let names: Vec<String> = (0..5_000).map(|i| format!("name{i}")).collect();
        let all = || names.iter().map(String::as_str);
        assert_eq!(
            suggest("nam999", all()).as_deref(),
            Some("did you mean `name999`?")
        );
        let help = suggest("zzz", all()).expect("a help");
        assert!(help.starts_with("more than 1000 names exist"), "{help}");
        let help = suggest("zzz", all().take(20)).expect("a help");
        assert!(help.starts_with("20 names exist"), "{help}");
    }

    #[test]
    fn display_with_and_without_position() {
        let d = Diagnostic {
            file: "w.yml".into(),
            line: 3,
            col: 7,
            message: "unknown step `x`".into(),
            help: Some("did you mean `y`?".into()),
            secret: None,
            fix: None,
        };
        assert_eq!(
            d.to_string(),
            "w.yml:3:7: unknown step `x`; did you mean `y`?"
        );
        let d = Diagnostic {
            line: 0,
            col: 0,
            help: None,
            ..d
        };
        assert_eq!(d.to_string(), "w.yml: unknown step `x`");
    }
}
