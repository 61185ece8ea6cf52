//! A YAML tree in which every node, map keys included, knows where it was written.
//!
//! serde-saphyr parses; its `Spanned<T>` wrapper gives each node's line and column. The tree
//! is generic (like `serde_json::Value`) so that the checker can walk it, collect *all* errors
//! of a document and point each at its node, which a derive-based deserializer stopping at
//! the first error cannot do.
//!
//! A hostile document cannot exhaust the compiler: nesting deeper than [`MAX_DEPTH`] levels,
//! more than [`MAX_NODES`] nodes, more than [`MAX_TEXT_BYTES`] of text (each counted with
//! aliases expanded), and aliases that replay more than [`MAX_ALIAS_EVENTS`] events are
//! errors, and the parser runs on a thread with a stack large enough for [`MAX_DEPTH`] levels
//! whatever stack the caller has.

use std::cell::Cell;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::files::{FileId, Loc};

/// A YAML node.
#[derive(Debug, Clone)]
pub struct Node {
    /// The node's value.
    pub kind: Kind,
    /// Where it was written.
    pub loc: Loc,
    /// For a string written so that its value can be found in the file's text character for
    /// character, where and how: what lets a fix rewrite part of it ([`crate::diag::Fix`]).
    pub written: Option<Written>,
    /// The node's bytes in the file as the parser reports them (an alias: the alias), read by
    /// [`locate_strings`] once the text is at hand.
    span: Option<(usize, usize)>,
}

impl Node {
    /// A node made by the compiler rather than read from a file (a Swagger 2.0 description
    /// converted to the OpenAPI 3 shape), located at `loc`, the node it stands for: it has no
    /// text of its own, so no fix ever rewrites it.
    pub fn synthesized(kind: Kind, loc: Loc) -> Node {
        Node {
            kind,
            loc,
            written: None,
            span: None,
        }
    }
}

/// Where a string scalar is written in its file, and how it is quoted: enough to turn a range
/// of its value into a range of the file's bytes ([`Written::offset`]).
///
/// Only scalars whose value the text holds character for character get one: plain and quoted
/// scalars on one line (a single-quoted one may double its `'`), and block scalars whose lines
/// all sit at one indentation. A value with an escape, a folded line break or an alias has
/// none, so no fix ever guesses at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Byte offset of the scalar in its file: its opening quote, or its first character.
    pub start: usize,
    /// Its length in bytes, quotes included (a block scalar: its lines, up to the value's end).
    pub len: usize,
    /// How it is written.
    pub style: Style,
}

/// How a string scalar is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Plain, on one line: the text is the value.
    Plain,
    /// `'…'` on one line: the value, each `'` doubled.
    SingleQuoted,
    /// `"…"` on one line, without escapes: the value.
    DoubleQuoted,
    /// A block scalar (`|` or `>`): the value's lines, each non-empty line after the first
    /// indented by `indent` spaces (the first line's indentation comes before `start`).
    Block {
        /// The indentation of the lines, in spaces.
        indent: usize,
    },
}

impl Written {
    /// The byte offset in the file of byte `i` of `value` (the value of the scalar this
    /// describes).
    pub fn offset(&self, value: &str, i: usize) -> usize {
        let before = value.get(..i).unwrap_or(value);
        match self.style {
            Style::Plain => self.start + i,
            Style::DoubleQuoted => self.start + 1 + i,
            Style::SingleQuoted => self.start + 1 + i + before.matches('\'').count(),
            Style::Block { indent } => {
                // Every line break before `i` that starts a non-empty line adds the indentation
                // (a line starting exactly at `i` is indented before it too).
                let lines = value
                    .match_indices('\n')
                    .take_while(|(j, _)| *j < i)
                    .filter(|(j, _)| !matches!(value.as_bytes().get(j + 1), None | Some(b'\n')))
                    .count();
                self.start + i + indent * lines
            }
        }
    }
}

/// The value of a YAML node.
#[derive(Debug, Clone)]
pub enum Kind {
    /// `null`, `~` or an empty value.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// A string (quoted or plain).
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The string value, if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this node is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under a string key, if this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// The key node of `key` (for locating a key rather than its value).
    pub fn key_node(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, _)| k)
    }

    /// A short description of the node's kind, for messages ("a string", "a mapping", ...).
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a sequence",
            Kind::Map(_) => "a mapping",
        }
    }

    /// Sets `file` on this node and all nodes below it.
    fn set_file(&mut self, file: FileId) {
        self.loc.file = file;
        match &mut self.kind {
            Kind::Seq(items) => items.iter_mut().for_each(|n| n.set_file(file)),
            Kind::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.set_file(file);
                v.set_file(file);
            }),
            _ => {}
        }
    }

    /// Converts the node to JSON (keys that are not strings are rendered as text).
    pub fn to_json(&self) -> serde_json_lite::Value {
        serde_json_lite::from_node(self)
    }
}

/// Why a document could not be parsed (a YAML syntax error, or one of the limits above),
/// with its position.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// 1-based line, when the parser knows it.
    pub line: u32,
    /// 1-based column, when the parser knows it.
    pub col: u32,
    /// What is wrong: `invalid YAML: ` and the parser's message (without its own location
    /// prefix and snippet), or which limit the document passes.
    pub message: String,
}

/// How deep sequences and mappings may nest in one document, aliases expanded.
pub const MAX_DEPTH: usize = 128;

/// How many nodes (scalars, sequences and mappings, aliases expanded) one document may have.
pub const MAX_NODES: usize = 250_000;

/// How many parser events aliases may replay in one document (the "billion laughs" guard).
pub const MAX_ALIAS_EVENTS: usize = 250_000;

/// How many bytes of text (scalars, aliases expanded) one document may hold.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// The stack of the parser thread. Deserializing recurses once per nesting level, and an
/// unoptimized build (a proc macro usually is one) needs tens of KiB per level; the thread's
/// memory is reserved, not committed, so only what a document really uses is touched.
const PARSER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// The message for a document that nests too deeply.
fn too_deep() -> String {
    format!("the document nests deeper than {MAX_DEPTH} levels")
}

/// Parses YAML text into a located tree.
///
/// Runs on a thread of its own with a large stack (see [`MAX_DEPTH`]); a panic in the parser
/// is resumed on the caller's thread, not turned into an error.
pub fn parse(text: &str, file: FileId) -> Result<Node, SyntaxError> {
    crate::stack::with_stack(PARSER_STACK_BYTES, || parse_here(text, file))
}

/// [`parse`] on the current thread.
fn parse_here(text: &str, file: FileId) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: true,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_total_scalar_bytes: MAX_TEXT_BYTES,
            // Generators reuse one anchor many times (101 steps sharing
            // `successCriteria: &ok`); the replay budget below is what stops an alias bomb,
            // so the alias/anchor ratio heuristic would only refuse honest documents.
            enforce_alias_anchor_ratio: false,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_ALIAS_EVENTS,
        },
    };
    DEPTH.with(|depth| depth.set(0));
    match serde_saphyr::from_str_with_options::<Node>(text, options) {
        Ok(mut node) => {
            node.set_file(file);
            locate_strings(&mut node, text);
            Ok(node)
        }
        Err(err) => {
            let (line, col) = err
                .location()
                .map_or((1, 1), |l| (clamp(l.line()), clamp(l.column())));
            let message = limit_message(&err)
                .unwrap_or_else(|| format!("invalid YAML: {}", clean_message(&err.to_string())));
            Err(SyntaxError { line, col, message })
        }
    }
}

/// Sets [`Node::written`] on every string of the tree whose value `text` holds character for
/// character (see [`Written`]). Aliases replay a node already located where its anchor is, so
/// a string found through an alias is located only at its anchor.
fn locate_strings(root: &mut Node, text: &str) {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &mut node.kind {
            Kind::Str(value) => {
                node.written = node
                    .span
                    .and_then(|(start, len)| written(text, value, start, len));
            }
            Kind::Seq(items) => stack.extend(items.iter_mut()),
            Kind::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    stack.push(k);
                    stack.push(v);
                }
            }
            _ => {}
        }
    }
}

/// How the string `value`, reported at bytes `start..start + len` of `text`, is written there,
/// when the text holds it character for character.
fn written(text: &str, value: &str, start: usize, len: usize) -> Option<Written> {
    let source = text.get(start..start.checked_add(len)?)?;
    let found = |style| {
        Some(Written {
            start,
            len: source.len(),
            style,
        })
    };
    if source.starts_with('\'') {
        let quoted = format!("'{}'", value.replace('\'', "''"));
        return if source == quoted && !value.contains('\n') {
            found(Style::SingleQuoted)
        } else {
            None
        };
    }
    if source.starts_with('"') {
        return if source.len() == value.len() + 2
            && source.get(1..source.len() - 1) == Some(value)
            && !value.contains(['\n', '\\', '"'])
        {
            found(Style::DoubleQuoted)
        } else {
            None
        };
    }
    // A block scalar's span starts at its first line of content, after the header line
    // (`key: |-`, maybe with a comment). Only spaces are scanned back over, and the line
    // before, so that locating every string costs time linear in the text.
    let before = text.get(..start)?;
    let line_start = before.trim_end_matches(' ').len();
    let indent = start - line_start;
    let at_line_start = line_start == 0 || before.as_bytes()[line_start - 1] == b'\n';
    let previous = || {
        let text = before
            .get(..line_start.saturating_sub(1))
            .unwrap_or_default();
        &text[text.rfind('\n').map_or(0, |i| i + 1)..]
    };
    let header = at_line_start
        && line_start > 0
        && previous()
            .split(" #")
            .next()
            .and_then(|line| line.split_whitespace().next_back())
            .is_some_and(|word| {
                word.starts_with(['|', '>'])
                    && word[1..]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
            });
    if header && at_line_start {
        let mut expected = String::with_capacity(value.len() + indent * 4);
        for (i, line) in value.split('\n').enumerate() {
            if i > 0 {
                expected.push('\n');
                if !line.is_empty() {
                    expected.push_str(&" ".repeat(indent));
                }
            }
            expected.push_str(line);
        }
        return if source.starts_with(&expected) {
            Some(Written {
                start,
                len: expected.len(),
                style: Style::Block { indent },
            })
        } else {
            None
        };
    }
    if source == value && !value.contains('\n') {
        return found(Style::Plain);
    }
    None
}

/// A clear message when `err` is one of the limits above (or the parser's own nesting
/// limit) rather than a syntax error.
fn limit_message(err: &serde_saphyr::Error) -> Option<String> {
    use serde_saphyr::budget::BudgetBreach;
    let mut err = err;
    while let serde_saphyr::Error::WithSnippet { error, .. }
    | serde_saphyr::Error::AliasError { error, .. } = err
    {
        err = error;
    }
    if let serde_saphyr::Error::Budget { breach, .. } = err {
        return Some(match breach {
            BudgetBreach::Depth { .. } => too_deep(),
            BudgetBreach::Nodes { .. } => {
                format!("the document has more than {MAX_NODES} values (aliases expanded)")
            }
            BudgetBreach::ScalarBytes { .. } => format!(
                "the document's text adds up to more than {} MiB (aliases expanded)",
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
            BudgetBreach::Aliases { .. }
            | BudgetBreach::AliasAnchorRatio { .. }
            | BudgetBreach::RecordedAnchorEvents { .. }
            | BudgetBreach::RecordedAnchorBytes { .. } => {
                "the document's aliases expand to too much".to_owned()
            }
            other => format!("the document exceeds a size limit of the YAML parser ({other:?})"),
        });
    }
    let text = err.to_string();
    if text.contains(DEPTH_MARKER) || text.contains("recursion limit exceeded") {
        return Some(too_deep());
    }
    if text.contains("alias replay") {
        return Some("the document's aliases expand to too much".to_owned());
    }
    None
}

thread_local! {
    /// How many sequences and mappings are open in the parse under way on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// The text of the error raised when [`DEPTH`] passes [`MAX_DEPTH`].
const DEPTH_MARKER: &str = "nesting limit of the Arazzo compiler";

/// One open sequence or mapping; closes on drop, also when deserializing it fails.
struct Level;

impl Level {
    /// Opens a level, or fails when that would pass [`MAX_DEPTH`]. The parser's own budget
    /// counts the nesting as written; this also counts what aliases expand to.
    fn open<E: serde::de::Error>() -> Result<Level, E> {
        DEPTH.with(|depth| {
            if depth.get() >= MAX_DEPTH {
                return Err(E::custom(DEPTH_MARKER));
            }
            depth.set(depth.get() + 1);
            Ok(Level)
        })
    }
}

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX).max(1)
}

/// serde-saphyr adds its own location (`line L column C: …` before, or `… at line L, column C`
/// after, depending on options); the caller adds the location in its own format.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let mut text = first.strip_prefix("error: ").unwrap_or(first);
    if let Some(i) = text.find(": ").filter(|i| text[..*i].starts_with("line ")) {
        text = &text[i + 2..];
    }
    let location_suffix = |i: &usize| {
        let tail = &text[*i + " at line ".len()..];
        tail.contains("column")
            && tail
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == ',' || c == ' ')
    };
    if let Some(i) = text.rfind(" at line ").filter(location_suffix) {
        text = &text[..i];
    }
    // Advice about serde-saphyr's own options means nothing to the author of a document.
    if let Some(i) = text.find(", set DuplicateKeyPolicy") {
        text = &text[..i];
    }
    text.to_owned()
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Kind>::deserialize(deserializer)?;
        let loc = Loc {
            file: FileId(0),
            line: clamp(spanned.referenced.line()),
            col: clamp(spanned.referenced.column()),
        };
        let span = spanned.referenced.span();
        let span = match (span.byte_offset(), span.byte_len()) {
            (Some(start), Some(len)) => usize::try_from(start).ok().zip(usize::try_from(len).ok()),
            _ => None,
        };
        Ok(Node {
            kind: spanned.value,
            loc,
            written: None,
            span,
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Kind, E> {
        Ok(Kind::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Kind, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(i64::try_from(v).map_or(Kind::Float(v as f64), Kind::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_none<E>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Kind, D::Error> {
        Kind::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let _level = Level::open()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Kind::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let _level = Level::open()?;
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Kind::Map(entries))
    }
}

/// Minimal JSON rendering of YAML literals for generated code (no serde_json dependency in
/// the compiler: literals become tokens, not values).
pub mod serde_json_lite {
    use super::{Kind, Node};

    /// A JSON value.
    #[derive(Debug, Clone, PartialEq)]
    pub enum Value {
        /// `null`
        Null,
        /// A boolean.
        Bool(bool),
        /// An integer.
        Int(i64),
        /// A float.
        Float(f64),
        /// A string.
        Str(String),
        /// An array.
        Array(Vec<Value>),
        /// An object in document order.
        Object(Vec<(String, Value)>),
    }

    /// Converts a node to a JSON value.
    pub fn from_node(node: &Node) -> Value {
        match &node.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Int(i) => Value::Int(*i),
            Kind::Float(f) => Value::Float(*f),
            Kind::Str(s) => Value::Str(s.clone()),
            Kind::Seq(items) => Value::Array(items.iter().map(from_node).collect()),
            Kind::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (key_text(k), from_node(v)))
                    .collect(),
            ),
        }
    }

    /// The text of a mapping key.
    pub fn key_text(key: &Node) -> String {
        match &key.kind {
            Kind::Str(s) => s.clone(),
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => f.to_string(),
            Kind::Bool(b) => b.to_string(),
            Kind::Null => "null".to_owned(),
            Kind::Seq(_) | Kind::Map(_) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_carry_lines_and_columns() {
        let node = parse("a: 1\nb:\n  - x\n  - 'y'\n", FileId(3)).expect("parses");
        let b = node.get("b").expect("b");
        let items = b.as_seq().expect("seq");
        assert_eq!(
            (items[1].loc.line, items[1].loc.col, items[1].loc.file),
            (4, 5, FileId(3))
        );
        assert_eq!(
            node.key_node("b").map(|k| (k.loc.line, k.loc.col)),
            Some((2, 1))
        );
        assert!(matches!(node.get("a").map(|n| &n.kind), Some(Kind::Int(1))));
    }

    #[test]
    fn strings_know_where_their_text_is() {
        let text = r#"{"a": "x", "b": ['y', z]}"#;
        let node = parse(text, FileId(0)).expect("parses");
        let at = |n: &Node| n.written.map(|w| (w.start, w.len, w.style));
        assert_eq!(
            node.get("a").and_then(at),
            Some((6, 3, Style::DoubleQuoted))
        );
        let items = node.get("b").and_then(Node::as_seq).expect("b");
        assert_eq!(at(&items[0]), Some((17, 3, Style::SingleQuoted)));
        assert_eq!(at(&items[1]), Some((22, 1, Style::Plain)));
        assert_eq!(node.written, None, "a mapping is no string");
    }

    #[test]
    fn syntax_errors_have_positions() {
        let err = parse("a: 1\nb: [1, 2\n", FileId(0)).expect_err("unclosed");
        assert_eq!((err.line, err.col), (2, 4));
        assert!(err.message.contains("unclosed bracket"), "{}", err.message);
        assert!(!err.message.contains("line 2"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_errors_without_parser_advice() {
        let err = parse("a: 1\na: 2\n", FileId(0)).expect_err("duplicate");
        assert_eq!((err.line, err.col), (2, 1));
        assert_eq!(err.message, "invalid YAML: duplicate mapping key: a");
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_an_error() {
        let nested =
            |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        for (open, close) in [("[", "]"), ("{a: ", "}")] {
            assert!(parse(&nested(open, close, MAX_DEPTH), FileId(0)).is_ok());
            for n in [MAX_DEPTH + 1, 100_000] {
                let err = parse(&nested(open, close, n), FileId(0)).expect_err("too deep");
                assert_eq!(err.message, too_deep());
            }
        }
        let block: String = (0..MAX_DEPTH + 1)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            parse(&block, FileId(0)).expect_err("too deep").message,
            too_deep()
        );
    }

    #[test]
    fn aliases_count_towards_the_limits() {
        // Each anchor is shallow; what the last alias expands to nests 10 × 20 levels.
        let mut text = String::new();
        for i in 0..10 {
            let inner = if i == 0 {
                "1".to_owned()
            } else {
                format!("*a{}", i - 1)
            };
            text.push_str(&format!(
                "k{i}: &a{i} {}{inner}{}\n",
                "[".repeat(20),
                "]".repeat(20)
            ));
        }
        assert_eq!(
            parse(&text, FileId(0)).expect_err("too deep").message,
            too_deep()
        );
        // "Billion laughs": nine levels of ten aliases each.
        let mut text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_owned();
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let err = parse(&text, FileId(0)).expect_err("too large");
        assert!(
            err.message.contains("aliases") || err.message.contains("values"),
            "{}",
            err.message
        );
    }
}
