//! A YAML tree in which every node, map keys included, knows where it was written.
//!
//! serde-saphyr parses; its `Spanned<T>` wrapper gives each node's line and column. The tree
//! is generic (like `serde_json::Value`) so that the checker can walk it, collect *all* errors
//! of a document and point each at its node, which a derive-based deserializer stopping at
//! the first error cannot do.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::FileId;

/// Where a node was written: file, 1-based line and 1-based column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Loc {
    /// The file.
    pub file: FileId,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
}

/// A YAML node.
#[derive(Debug, Clone)]
pub struct Node {
    /// The node's value.
    pub kind: Kind,
    /// Where it was written.
    pub loc: Loc,
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

/// A YAML syntax error with its position.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// 1-based line, when the parser knows it.
    pub line: u32,
    /// 1-based column, when the parser knows it.
    pub col: u32,
    /// The parser's message, without its own location prefix and snippet.
    pub message: String,
}

/// Parses YAML text into a located tree.
pub fn parse(text: &str, file: FileId) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        with_snippet: false,
        strict_booleans: true,
    };
    match serde_saphyr::from_str_with_options::<Node>(text, options) {
        Ok(mut node) => {
            node.set_file(file);
            Ok(node)
        }
        Err(err) => {
            let (line, col) = err
                .location()
                .map_or((1, 1), |l| (clamp(l.line()), clamp(l.column())));
            Err(SyntaxError {
                line,
                col,
                message: clean_message(&err.to_string()),
            })
        }
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
        Ok(Node {
            kind: spanned.value,
            loc,
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
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Kind::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
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
    fn syntax_errors_have_positions() {
        let err = parse("a: 1\nb: [1, 2\n", FileId(0)).expect_err("unclosed");
        assert_eq!((err.line, err.col), (2, 4));
        assert!(err.message.contains("unclosed bracket"), "{}", err.message);
        assert!(!err.message.contains("line 2"), "{}", err.message);
    }
}
