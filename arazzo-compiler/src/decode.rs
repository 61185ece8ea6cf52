//! Small helpers for reading typed fields out of a [`Node`] while collecting errors.

use crate::diag::{Diags, suggest};
use crate::files::Loc;
use crate::yaml::{Kind, Node, Written};

/// A string with the location it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S {
    pub value: String,
    /// Where it was written.
    pub loc: Loc,
    /// How it is written, when its value can be located in the text (for fixes).
    pub written: Option<Written>,
}

impl S {
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// Checks that `node` is a mapping, reporting keys outside `allowed` (extensions `x-…` are
/// always allowed). Returns `None` (after reporting) when it is not a mapping.
pub fn object<'a>(
    diags: &mut Diags,
    node: &'a Node,
    what: &str,
    allowed: &[&str],
) -> Option<&'a Node> {
    let Some(entries) = node.as_map() else {
        diags.error(
            node.loc,
            format!("{what} must be a mapping, found {}", node.kind_name()),
        );
        return None;
    };
    for (key, _) in entries {
        match key.as_str() {
            Some(k) if allowed.contains(&k) || k.starts_with("x-") => {}
            // A JSON document's `$schema` annotation is common, but the specification's own
            // schema does not allow it: an extension says the same.
            Some("$schema") => diags.error_help(
                key.loc,
                format!("unknown field `$schema` in {what}: Arazzo objects allow their own fields and `x-` extensions only"),
                Some("remove it, or keep it as the extension `x-schema`".to_owned()),
            ),
            Some(k) => diags.error_help(
                key.loc,
                format!("unknown field `{k}` in {what}"),
                suggest(k, allowed.iter().copied()),
            ),
            None => diags.error(key.loc, format!("{what} has a key that is not a string")),
        }
    }
    Some(node)
}

/// A required string field.
pub fn req_str(diags: &mut Diags, node: &Node, key: &str, what: &str) -> Option<S> {
    match node.get(key) {
        None => {
            diags.error(
                node.loc,
                format!("{what} is missing required field `{key}`"),
            );
            None
        }
        Some(value) => string(diags, value, &format!("`{key}` of {what}")),
    }
}

/// An optional string field.
pub fn opt_str(diags: &mut Diags, node: &Node, key: &str, what: &str) -> Option<S> {
    node.get(key)
        .and_then(|v| string(diags, v, &format!("`{key}` of {what}")))
}

/// A string value (numbers and booleans are accepted and read as their text, since YAML
/// readers disagree on `version: 1.0`).
pub fn string(diags: &mut Diags, value: &Node, what: &str) -> Option<S> {
    let text = match &value.kind {
        Kind::Str(s) => s.clone(),
        Kind::Int(i) => i.to_string(),
        Kind::Float(f) => f.to_string(),
        _ => {
            diags.error(
                value.loc,
                format!("{what} must be a string, found {}", value.kind_name()),
            );
            return None;
        }
    };
    Some(S {
        value: text,
        loc: value.loc,
        written: value.written,
    })
}

/// An optional sequence field; reports a non-sequence.
pub fn opt_seq<'a>(diags: &mut Diags, node: &'a Node, key: &str, what: &str) -> &'a [Node] {
    match node.get(key) {
        None => &[],
        Some(value) => match value.as_seq() {
            Some(items) => items,
            None => {
                diags.error(
                    value.loc,
                    format!(
                        "`{key}` of {what} must be a sequence, found {}",
                        value.kind_name()
                    ),
                );
                &[]
            }
        },
    }
}

/// An optional mapping of names to values read by `read` (told what the value is, for its
/// errors), such as `outputs`, checking name syntax.
pub fn map_of<T>(
    diags: &mut Diags,
    node: &Node,
    key: &str,
    what: &str,
    read: impl Fn(&mut Diags, &Node, &str) -> Option<T>,
) -> Vec<(S, T)> {
    let Some(value) = node.get(key) else {
        return Vec::new();
    };
    let Some(entries) = value.as_map() else {
        diags.error(
            value.loc,
            format!(
                "`{key}` of {what} must be a mapping, found {}",
                value.kind_name()
            ),
        );
        return Vec::new();
    };
    let mut out: Vec<(S, T)> = Vec::new();
    for (k, v) in entries {
        let Some(name) = string(diags, k, &format!("a name in `{key}` of {what}")) else {
            continue;
        };
        if !is_component_name(&name.value) {
            diags.error(
                k.loc,
                format!(
                    "`{}` is not a valid name in `{key}`: names may use only letters, digits, `.`, `-` and `_`",
                    name.value
                ),
            );
        }
        if out.iter().any(|(n, _)| n.value == name.value) {
            diags.error(
                k.loc,
                format!("duplicate name `{}` in `{key}` of {what}", name.value),
            );
        }
        if let Some(text) = read(diags, v, &format!("`{key}.{}` of {what}", name.value)) {
            out.push((name, text));
        }
    }
    out
}

/// `^[a-zA-Z0-9\.\-_]+$`, the pattern Arazzo uses for ids and component names.
pub fn is_component_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}
