//! The compiler never panics, whatever the input (issue 5).
//!
//! Property tests feed the runtime expression parser and the condition parser arbitrary and
//! grammar-shaped strings, and compile mutated copies of the seed workflow and of the
//! Arazzo Specification's example documents (and of the OpenAPI documents they name). A panic
//! fails the test (proptest shrinks it to a small input first); a stack overflow aborts the
//! test binary, which fails it too. `PROPTEST_CASES=N` runs N cases per property instead.

mod support;

use arazzo_compiler::{condition, expr};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use support::Scratch;

/// Cases per string property (each takes microseconds).
const STRING_CASES: u32 = 2_000;
/// Cases per document property (each compiles a document: a few milliseconds).
const DOCUMENT_CASES: u32 = 300;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        ..ProptestConfig::default()
    }
}

/// Pieces of runtime expressions, and things that are almost pieces.
const EXPR_PIECES: &[&str] = &[
    "$",
    "$url",
    "$method",
    "$statusCode",
    "$request",
    "$response",
    "$inputs",
    "$outputs",
    "$steps",
    "$workflows",
    "$sourceDescriptions",
    "$components",
    ".",
    "..",
    "body",
    "header",
    "query",
    "path",
    "outputs",
    "inputs",
    "parameters",
    "successActions",
    "failureActions",
    "url",
    "x",
    "y",
    "a-b",
    "a_b",
    "0",
    "#",
    "#/",
    "/",
    "//",
    "~",
    "~0",
    "~1",
    "~2",
    "{",
    "}",
    "{$",
    "{$}",
    "[",
    "]",
    "[0]",
    " ",
    "\t",
    "\n",
    "é",
    "ß",
    "👍",
    "\u{0}",
    "\u{202e}",
    "\u{fffd}",
    "%",
    "%20",
    "\\",
    "'",
    "\"",
    "==",
    "&&",
    "(",
    ")",
];

/// Pieces of conditions, and things that are almost pieces.
const CONDITION_PIECES: &[&str] = &[
    "$statusCode",
    "$response.body",
    "$response.body#/a/b",
    "$response.body.items[0].id",
    "$request.body[",
    "$inputs.x",
    "$steps.s.outputs.o",
    "$response.header.X-Rate",
    " ",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "&&",
    "||",
    "&",
    "|",
    "!",
    "(",
    ")",
    "'",
    "''",
    "'text'",
    "\"",
    "200",
    "-1",
    "-1.5e3",
    "1e999",
    "-",
    "+",
    "e",
    "1e",
    "0x10",
    "true",
    "false",
    "null",
    "nil",
    "{",
    "}",
    "[",
    "]",
    ".",
    "#",
    "é",
    "👍",
    "\u{0}",
];

/// A string glued together from `pieces` and a little noise.
fn shaped(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            8 => select(pieces).prop_map(str::to_owned),
            1 => "\\PC{0,3}",
            1 => any::<char>().prop_map(String::from),
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

/// A piece repeated many times: long inputs, deep nesting.
fn long(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    (shaped(pieces, 4), 1_000usize..20_000, shaped(pieces, 4))
        .prop_map(|(unit, n, tail)| unit.repeat(n) + &tail)
}

/// Every public entry of the expression module, and the invariants that tie them.
fn check_expression(text: &str) {
    let parsed = expr::parse(text);
    if parsed.is_ok() {
        assert!(
            expr::is_expression(text),
            "{text:?} parsed but is no expression"
        );
    }
    assert_eq!(parsed, expr::parse(text), "parsing {text:?} twice differs");
    match expr::template(text) {
        Ok(None) => assert!(!text.contains("{$"), "{text:?} embeds an expression"),
        Ok(Some(parts)) => assert!(!parts.is_empty(), "{text:?}"),
        Err(_) => {}
    }
    if let Some((_, fragment)) = text.split_once('#') {
        let _ = expr::parse_pointer(fragment);
    }
    let _ = expr::parse_pointer(text);
}

fn check_condition(text: &str) {
    let parsed = condition::parse(text);
    assert_eq!(
        parsed,
        condition::parse(text),
        "parsing {text:?} twice differs"
    );
}

proptest! {
    #![proptest_config(config(STRING_CASES))]

    #[test]
    fn expressions_from_any_string(text in any::<String>()) {
        check_expression(&text);
        check_expression(&format!("${text}"));
        check_expression(&format!("{{${text}}}"));
    }

    #[test]
    fn grammar_shaped_expressions(text in shaped(EXPR_PIECES, 24)) {
        check_expression(&text);
        check_expression(&format!("$steps.{text}"));
        check_expression(&format!("$response.body#{text}"));
        check_expression(&format!("text {{{text}}} more {{$inputs.{text}}}"));
    }

    #[test]
    fn conditions_from_any_string(text in any::<String>()) {
        check_condition(&text);
        check_condition(&format!("$statusCode == {text}"));
    }

    #[test]
    fn grammar_shaped_conditions(text in shaped(CONDITION_PIECES, 24)) {
        check_condition(&text);
    }
}

proptest! {
    #![proptest_config(config(STRING_CASES / 20))]

    #[test]
    fn long_expressions(text in long(EXPR_PIECES)) {
        check_expression(&text);
    }

    #[test]
    fn long_conditions(text in long(CONDITION_PIECES)) {
        check_condition(&text);
    }

    #[test]
    fn deeply_nested_conditions(text in deep_condition()) {
        check_condition(&text);
    }
}

/// A condition that tokenizes and nests (or chains) up to 20,000 levels deep.
fn deep_condition() -> impl Strategy<Value = String> {
    const UNITS: &[&str] = &[
        "(",
        "!",
        "(!",
        "!(",
        " ( ",
        "$statusCode == 200 || ",
        "true && ",
        "!$inputs.x || (",
        "$response.body#/a != null && !(",
    ];
    (select(UNITS), 1usize..20_000, any::<bool>()).prop_map(|(unit, n, close)| {
        let closers = if close {
            unit.matches('(').count() * n
        } else {
            0
        };
        format!(
            "{}$statusCode == 200{}",
            unit.repeat(n),
            ")".repeat(closers)
        )
    })
}

/// Text YAML gives meaning to, inserted at random places.
const YAML_SPECIALS: &[&str] = &[
    "&a ",
    "*a",
    "&b [*a, *a, *a]",
    "<<: *a\n",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    ": ",
    "- ",
    "? ",
    "#",
    "!",
    "!!str ",
    "!!binary ",
    "!!map ",
    "!<tag:x> ",
    "|",
    "|-\n",
    ">",
    "'",
    "\"",
    "%YAML 1.2\n",
    "%TAG ! x\n",
    "---\n",
    "...\n",
    "\t",
    "\0",
    "\u{feff}",
    "\r",
    "\r\n",
    "@",
    "`",
    "~",
    "null",
    "true",
    "1e999",
    "0x1F",
    "-.inf",
    ".nan",
    "\n  ",
    "\n- ",
    "$steps.",
    "$inputs.",
    "$response.body#/",
    "{$inputs.x}",
    "$statusCode == ",
    "é",
    "👍",
    "\u{2028}",
];

/// One edit of a document's bytes.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit(Index, u8),
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Indent(Index, bool),
    Truncate(Index),
    Insert(Index, &'static str),
    /// Overwrites one word with another word of the document (a wrong reference).
    CopyWord(Index, Index),
    /// Inserts a flow sequence or mapping nested `n` deep, closed or not.
    Nest(Index, bool, usize, bool),
}

/// Edits weighted towards those that keep the YAML valid, so that most cases reach the
/// checker.
fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| Mutation::FlipBit(i, b)),
        2 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<Index>(), any::<bool>()).prop_map(|(i, more)| Mutation::Indent(i, more)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
        2 => (any::<Index>(), select(YAML_SPECIALS)).prop_map(|(i, s)| Mutation::Insert(i, s)),
        5 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::CopyWord(a, b)),
        1 => (any::<Index>(), any::<bool>(), 1usize..1_000, any::<bool>())
            .prop_map(|(i, seq, n, closed)| Mutation::Nest(i, seq, n, closed)),
    ]
}

/// Byte offsets where lines start.
fn line_starts(bytes: &[u8]) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .filter(|i| *i < bytes.len())
        .collect()
}

/// The byte range of line `index` (its newline included).
fn line(bytes: &[u8], index: &Index) -> std::ops::Range<usize> {
    let starts = line_starts(bytes);
    if starts.is_empty() {
        return 0..0;
    }
    let i = index.index(starts.len());
    starts[i]..starts.get(i + 1).copied().unwrap_or(bytes.len())
}

/// The byte ranges of the words (identifier-like runs) of `bytes`.
fn words(bytes: &[u8]) -> Vec<std::ops::Range<usize>> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let mut out = Vec::new();
    let mut start = None;
    for (i, b) in bytes
        .iter()
        .copied()
        .chain(std::iter::once(b' '))
        .enumerate()
    {
        match (start, word(b)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation) {
    if bytes.is_empty() {
        return;
    }
    match mutation {
        Mutation::FlipBit(at, bit) => {
            let i = at.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        Mutation::DeleteLine(at) => {
            bytes.drain(line(bytes, at));
        }
        Mutation::DuplicateLine(at) => {
            let range = line(bytes, at);
            let copy = bytes[range.clone()].to_vec();
            bytes.splice(range.start..range.start, copy);
        }
        Mutation::SwapLines(a, b) => {
            let (a, b) = (line(bytes, a), line(bytes, b));
            let (first, second) = if a.start <= b.start { (a, b) } else { (b, a) };
            if first.end <= second.start {
                let one = bytes[first.clone()].to_vec();
                let two = bytes[second.clone()].to_vec();
                bytes.splice(second, one);
                bytes.splice(first, two);
            }
        }
        Mutation::Indent(at, more) => {
            let range = line(bytes, at);
            if *more {
                bytes.splice(range.start..range.start, *b"  ");
            } else if bytes[range.start..].starts_with(b" ") {
                bytes.remove(range.start);
            }
        }
        Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
        Mutation::Insert(at, text) => {
            let i = at.index(bytes.len() + 1);
            bytes.splice(i..i, text.bytes());
        }
        Mutation::Nest(at, seq, n, closed) => {
            let (open, close) = if *seq { ("[", "]") } else { ("{a: ", "}") };
            let mut text = open.repeat(*n) + "1";
            if *closed {
                text.push_str(&close.repeat(*n));
            }
            let i = at.index(bytes.len() + 1);
            bytes.splice(i..i, text.bytes());
        }
        Mutation::CopyWord(from, to) => {
            let words = words(bytes);
            if !words.is_empty() {
                let from = words[from.index(words.len())].clone();
                let to = words[to.index(words.len())].clone();
                let word = bytes[from].to_vec();
                bytes.splice(to, word);
            }
        }
    }
}

/// A seed with one to four mutations applied.
fn mutated(seeds: &'static [(String, Vec<u8>)]) -> impl Strategy<Value = (String, Vec<u8>)> {
    (select(seeds), prop::collection::vec(mutation(), 1..5)).prop_map(
        |((name, mut bytes), mutations)| {
            for m in &mutations {
                apply(&mut bytes, m);
            }
            (name, bytes)
        },
    )
}

fn arazzo_seeds() -> &'static [(String, Vec<u8>)] {
    static SEEDS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(support::seeds)
}

/// The OpenAPI documents the seeds name, as (path in the scratch directory, text).
fn openapi_seeds() -> &'static [(String, Vec<u8>)] {
    static SEEDS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(|| {
        let ws = support::workspace();
        let mut out = Vec::new();
        for (dir, scratch_dir) in [("openapi", "openapi"), (support::CORPUS, "workflows")] {
            let mut paths: Vec<_> = std::fs::read_dir(ws.join(dir))
                .expect("read dir")
                .map(|e| e.expect("dir entry").path())
                .filter(|p| p.to_str().is_some_and(|s| s.contains("openapi")))
                .collect();
            paths.sort();
            for path in paths {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                let text = std::fs::read(&path).expect("read seed");
                out.push((format!("{scratch_dir}/{name}"), text));
            }
        }
        out
    })
}

/// The compiler returns (whichever way); every diagnostic is well formed.
fn assert_well_formed(
    result: &Result<arazzo_compiler::Expansion, Vec<arazzo_compiler::Diagnostic>>,
) {
    if let Err(diagnostics) = result {
        assert!(!diagnostics.is_empty(), "an error without diagnostics");
        for d in diagnostics {
            assert!(!d.message.is_empty() && !d.file.is_empty(), "{d:?}");
            assert_eq!(d.line == 0, d.col == 0, "half a position: {d}");
        }
    }
}

thread_local! {
    static ARAZZO_SCRATCH: Scratch = Scratch::with_sources("never-panics-arazzo");
    static OPENAPI_SCRATCH: Scratch = {
        let scratch = Scratch::with_sources("never-panics-openapi");
        for (name, text) in arazzo_seeds() {
            scratch.write(&format!("workflows/{name}"), text);
        }
        scratch
    };
}

proptest! {
    #![proptest_config(config(DOCUMENT_CASES))]

    /// A mutated seed document, written beside unmutated copies of the files it names.
    #[test]
    fn mutated_arazzo_documents(case in mutated(arazzo_seeds())) {
        let (name, bytes) = case;
        ARAZZO_SCRATCH.with(|scratch| {
            let path = format!("workflows/{name}");
            scratch.write(&path, &bytes);
            assert_well_formed(&scratch.expand(&path));
        });
    }

    /// The seed documents compiled against a mutated copy of one of the OpenAPI documents
    /// they name.
    #[test]
    fn mutated_openapi_documents(case in mutated(openapi_seeds())) {
        let (path, bytes) = case;
        OPENAPI_SCRATCH.with(|scratch| {
            scratch.write(&path, &bytes);
            let file_name = path.rsplit('/').next().unwrap_or_default();
            for (name, text) in arazzo_seeds() {
                if text.windows(file_name.len()).any(|w| w == file_name.as_bytes()) {
                    assert_well_formed(&scratch.expand(&format!("workflows/{name}")));
                }
            }
            let original = openapi_seeds()
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, text)| text.as_slice())
                .unwrap_or_default();
            scratch.write(&path, original);
        });
    }
}
