//! Checking Selector Objects (Arazzo 1.1): the selector parses in its syntax, the context is
//! a runtime expression readable where the object is written, and what it selects is typed.
//!
//! - `jsonpointer`: the pointer is appended to the context (`$response.body` and
//!   `/items/0/id` read as `$response.body#/items/0/id`), so it is typed exactly like that
//!   expression, from the response or output schema.
//! - `jsonpath`: RFC 9535 selects a nodelist. A singular query (only names and indexes,
//!   RFC 9535 §2.3.5.1) selects at most one node and gives `Option<serde_json::Value>`; any
//!   other query gives every node selected, `Vec<serde_json::Value>`.
//! - `xpath` (feature `xpath`): the string value of the first item selected,
//!   `Option<String>` (`None` when nothing is selected); see `check/xpath.rs`.

use std::sync::LazyLock;

use regex::Regex;

use super::{At, Scope, WorkflowChecker};
use crate::expr;
use crate::ir;
use crate::selector::{Selector, SelectorKind};

/// RFC 9535's singular query: `$` followed by name (`.a`, `['a']`) and index (`[0]`)
/// segments only.
static SINGULAR: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"^\$(?:\.[A-Za-z_\x{80}-\x{10FFFF}][A-Za-z0-9_\x{80}-\x{10FFFF}]*|\[\s*(?:-?[0-9]+|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\s*\])*$"#,
    )
    .ok()
});

/// Whether a (parsed) JSONPath query is singular.
fn singular(query: &str) -> bool {
    SINGULAR.as_ref().is_some_and(|r| r.is_match(query))
}

impl WorkflowChecker<'_> {
    /// Checks a Selector Object and lowers it to the expression it evaluates.
    pub(super) fn selector(&mut self, sel: &Selector, scope: &Scope<'_>) -> Option<ir::Expr> {
        // A Selector Object in a 1.0 document is reported when the document is read.
        if !expr::is_expression(&sel.context.value) {
            self.diags.error_help(
                sel.context.loc,
                format!(
                    "the `context` of a Selector Object must be a runtime expression, found `{}`",
                    sel.context.value
                ),
                Some(
                    "write the expression whose value is selected from, such as `$response.body`"
                        .to_owned(),
                ),
            );
            return None;
        }
        match &sel.kind {
            SelectorKind::JsonPointer => {
                let pointer = &sel.selector;
                if let Err(e) = expr::parse_pointer(&pointer.value) {
                    // A selector is the pointer alone, without the `#` of an expression.
                    let help = match pointer.value.starts_with('/') {
                        true => e.help,
                        false => Some(format!("write `/{}`", pointer.value)),
                    };
                    self.diags.error_help(pointer.loc, e.message, help);
                    return None;
                }
                // A context with a pointer already (`$response.body#/data`) goes on with it.
                let joined = if sel.context.value.contains('#') {
                    format!("{}{}", sel.context.value, pointer.value)
                } else {
                    format!("{}#{}", sel.context.value, pointer.value)
                };
                let at = At {
                    loc: pointer.loc,
                    value: &joined,
                    written: None,
                    offset: 0,
                };
                self.expr(at, &joined, scope)
            }
            SelectorKind::JsonPath(_) => {
                let query = self.jsonpath(&sel.selector);
                let context = self.expr(At::whole(&sel.context), &sel.context.value, scope);
                query?;
                Some(ir::Expr::JsonPath {
                    of: Box::new(context?),
                    query: sel.selector.value.clone(),
                    singular: singular(&sel.selector.value),
                })
            }
            SelectorKind::XPath(_) => {
                let query = self.xpath(&sel.selector, "selectors");
                let context = self.expr(At::whole(&sel.context), &sel.context.value, scope);
                query?;
                let context = context?;
                self.xpath_context(sel.context.loc, &sel.context.value, &context, scope)?;
                Some(ir::Expr::XPath {
                    of: Box::new(context),
                    query: sel.selector.value.clone(),
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::singular;

    #[test]
    fn singular_queries_are_names_and_indexes() {
        for q in ["$", "$.a", "$.a.b[0]", "$['a'][\"b\"][-1]", "$[ 'x y' ]"] {
            assert!(singular(q), "{q}");
        }
        for q in [
            "$.*",
            "$..a",
            "$.a[0:2]",
            "$.a[?@.b]",
            "$.a[0,1]",
            "$['a','b']",
        ] {
            assert!(!singular(q), "{q}");
        }
    }
}
