//! Arazzo 1.1 Selector Objects (`context`, `selector`, `type`) and Expression Type Objects
//! (`type`, `version`), as read from a document: their shape only; the checker parses the
//! selector and types what it selects.

use crate::decode::{S, object, opt_str, req_str, string};
use crate::diag::{Diags, suggest};
use crate::files::Loc;
use crate::yaml::Node;

/// A selector syntax, with the version an Expression Type Object named (`None`: the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectorKind {
    /// `jsonpath` (`rfc9535`, the default, or `draft-goessner-dispatch-jsonpath-00`).
    JsonPath(Option<String>),
    /// `jsonpointer` (`rfc6901`).
    JsonPointer,
    /// `xpath` (`xpath-31`, the default, `xpath-30`, `xpath-20` or `xpath-10`).
    XPath(Option<String>),
}

/// A Selector Object: `selector`, written in the syntax `kind`, applied to what `context`
/// evaluates to.
#[derive(Debug, Clone)]
pub struct Selector {
    /// `context`: a runtime expression.
    pub context: S,
    /// `selector`: the JSONPath, JSON pointer or XPath expression.
    pub selector: S,
    /// `type`.
    pub kind: SelectorKind,
    /// Where the object starts.
    pub loc: Loc,
}

/// A value that is a runtime expression or (Arazzo 1.1) a Selector Object: a step's or a
/// workflow's output.
#[derive(Debug, Clone)]
pub enum ExprOrSelector {
    /// A runtime expression (anything but a mapping, reported when it is not one).
    Expr(S),
    /// A Selector Object.
    Selector(Selector),
}

impl Selector {
    /// The object as one line, for docs: `jsonpath $.items[*].id in $response.body`.
    pub fn describe(&self) -> String {
        let kind = match &self.kind {
            SelectorKind::JsonPath(_) => "jsonpath",
            SelectorKind::JsonPointer => "jsonpointer",
            SelectorKind::XPath(_) => "xpath",
        };
        format!("{kind} {} in {}", self.selector.value, self.context.value)
    }
}

impl ExprOrSelector {
    /// The runtime expression read, if any: the value, or the selector's context.
    pub fn expr(&self) -> &S {
        match self {
            ExprOrSelector::Expr(s) => s,
            ExprOrSelector::Selector(s) => &s.context,
        }
    }
}

const SELECTOR_FIELDS: &[&str] = &["context", "selector", "type"];
const TYPES: &[&str] = &["jsonpath", "jsonpointer", "xpath"];

/// The versions each type allows (Arazzo 1.1, Expression Type Object), the default first.
pub const VERSIONS: &[(&str, &[&str])] = &[
    (
        "jsonpath",
        &["rfc9535", "draft-goessner-dispatch-jsonpath-00"],
    ),
    ("jsonpointer", &["rfc6901"]),
    ("xpath", &["xpath-31", "xpath-30", "xpath-20", "xpath-10"]),
];

/// Whether a mapping is written as a Selector Object: it has `context` and `selector`, and
/// no other member than `type` and extensions (a payload or parameter value of another shape
/// is a literal object).
pub fn is_selector(node: &Node) -> bool {
    node.as_map().is_some_and(|entries| {
        let keys: Vec<&str> = entries.iter().filter_map(|(k, _)| k.as_str()).collect();
        keys.contains(&"context")
            && keys.contains(&"selector")
            && keys
                .iter()
                .all(|k| SELECTOR_FIELDS.contains(k) || k.starts_with("x-"))
    })
}

/// An output value: a string, or a mapping read as a Selector Object.
pub fn read_expr_or_selector(diags: &mut Diags, node: &Node, what: &str) -> Option<ExprOrSelector> {
    if node.as_map().is_some() {
        read_selector(diags, node).map(ExprOrSelector::Selector)
    } else {
        string(diags, node, what).map(ExprOrSelector::Expr)
    }
}

/// Reads a Selector Object.
pub fn read_selector(diags: &mut Diags, node: &Node) -> Option<Selector> {
    let node = object(diags, node, "a Selector Object", SELECTOR_FIELDS)?;
    let context = req_str(diags, node, "context", "a Selector Object");
    let selector = req_str(diags, node, "selector", "a Selector Object");
    let kind = match node.get("type") {
        Some(t) => read_selector_type(diags, t, "a Selector Object"),
        None => {
            diags.error_help(
                node.loc,
                "a Selector Object is missing required field `type`",
                Some("add `type: jsonpath`, `type: jsonpointer` or `type: xpath`".to_owned()),
            );
            None
        }
    };
    Some(Selector {
        context: context?,
        selector: selector?,
        kind: kind?,
        loc: node.loc,
    })
}

/// Reads a selector type: a name (`jsonpath`, `jsonpointer`, `xpath`) or an Expression Type
/// Object naming one and a version it allows.
pub fn read_selector_type(diags: &mut Diags, node: &Node, what: &str) -> Option<SelectorKind> {
    let (name, version) = if node.as_map().is_some() {
        let t = object(
            diags,
            node,
            "an Expression Type Object",
            &["type", "version"],
        )?;
        let name = req_str(diags, t, "type", "an Expression Type Object")?;
        // `version` is REQUIRED by the text, but the published schema assumes the default
        // when it is left out: so does this reader.
        let version = opt_str(diags, t, "version", "an Expression Type Object");
        (name, version)
    } else {
        (string(diags, node, &format!("`type` of {what}"))?, None)
    };
    let Some((_, allowed)) = VERSIONS.iter().find(|(t, _)| *t == name.value) else {
        diags.error_help(
            name.loc,
            format!("unknown selector type `{}`", name.value),
            suggest(&name.value, TYPES.iter().copied())
                .or_else(|| Some("write `jsonpath`, `jsonpointer` or `xpath`".to_owned())),
        );
        return None;
    };
    let version = match version {
        Some(v) if !allowed.contains(&v.value.as_str()) => {
            diags.error_help(
                v.loc,
                format!("`{}` is not a version of `{}`", v.value, name.value),
                Some(format!(
                    "write one of {} (or leave the version out for `{}`)",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    allowed[0]
                )),
            );
            return None;
        }
        v => v.map(|v| v.value),
    };
    Some(match name.value.as_str() {
        "jsonpath" => SelectorKind::JsonPath(version),
        "xpath" => SelectorKind::XPath(version),
        _ => SelectorKind::JsonPointer,
    })
}
