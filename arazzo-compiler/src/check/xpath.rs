//! Checking XPath criteria and Selector Objects (feature `xpath`): the expression compiles
//! with xee-xpath (the engine the runtime evaluates it with, XPath 3.1, whatever `version`
//! the document names), and the context can be an XML document.
//!
//! Compiling with xee at build time reports syntax errors and the static errors XPath
//! defines: an unknown function or arity, an undeclared variable (`$statusCode` written
//! inside an XPath expression, where it is an XPath variable, not a runtime expression), an
//! unknown namespace prefix.
//!
//! The context is read as XML text at run time, so it must be able to be text: `$response.body`
//! of a step that accepts some text or XML response (or whose responses declare no media type
//! this compiler reads), or a value typed as a string or as free-form JSON (a JSON string at
//! run time). A `$response.body` whose accepted responses are all JSON, and a value of any
//! other type, are errors.
//!
//! Without the feature, an `xpath` criterion or selector is an error that says how to enable
//! it, so that projects that do not use XPath do not compile an XPath engine.

use super::responses::Body;
use super::{Scope, WorkflowChecker};
use crate::decode::S;
use crate::files::Loc;
use crate::ir;
use crate::types::Ty;

/// The error and help for an XPath `what` (`criteria`, `selectors`) in a build without the
/// `xpath` feature.
#[cfg_attr(feature = "xpath", allow(dead_code))]
fn disabled(what: &str) -> (String, String) {
    (
        format!(
            "`xpath` {what} need the `xpath` feature of arazzo, which this build does not enable"
        ),
        "enable it in Cargo.toml: `arazzo = { version = \"0.1\", features = [\"xpath\"] }`"
            .to_owned(),
    )
}

impl WorkflowChecker<'_> {
    /// Checks that an XPath expression (a criterion's condition, a selector) compiles;
    /// `what` names the construct for messages (`criteria`, `selectors`).
    pub(super) fn xpath(&mut self, query: &S, what: &str) -> Option<()> {
        let text = &query.value;
        if let Some(problem) = arazzo_bounds::xpath_bounds(text) {
            self.diags.error(query.loc, problem);
            return None;
        }
        match compile(text) {
            Ok(()) => Some(()),
            Err(Problem::Disabled) => {
                let (message, help) = disabled(what);
                self.diags.error_help(query.loc, message, Some(help));
                None
            }
            Err(Problem::Invalid { message, help }) => {
                self.diags.error_help(
                    query.loc,
                    format!("XPath `{text}` does not compile: {message}"),
                    help,
                );
                None
            }
        }
    }

    /// Whether this build evaluates XPath: without the `xpath` feature, the error at `query`
    /// that says how to enable it. `what` names the construct (`criteria`, `selectors`).
    pub(super) fn xpath_enabled(&mut self, query: &S, what: &str) -> Option<()> {
        if cfg!(feature = "xpath") {
            return Some(());
        }
        let (message, help) = disabled(what);
        self.diags.error_help(query.loc, message, Some(help));
        None
    }

    /// Checks that the context of an XPath criterion or selector can be an XML document.
    pub(super) fn xpath_context(
        &mut self,
        loc: Loc,
        written: &str,
        context: &ir::Expr,
        scope: &Scope<'_>,
    ) -> Option<()> {
        let problem = match context {
            ir::Expr::ResponseText => None,
            ir::Expr::ResponseBody { tokens, .. } if tokens.is_empty() => {
                // No response to read here: `$response.body` was reported where it was read.
                let Some(accepted) = scope.response else {
                    return Some(());
                };
                let json: Vec<&str> = accepted
                    .responses
                    .iter()
                    .filter(|(_, body)| matches!(body, Body::Json(_)))
                    .map(|(key, _)| key.as_str())
                    .collect();
                let text = accepted
                    .responses
                    .iter()
                    .any(|(_, body)| matches!(body, Body::Text));
                (!json.is_empty() && !text).then(|| {
                    format!(
                        "xpath needs an XML document; the responses this step accepts ({}) are application/json: use `type: jsonpath`",
                        json.join(", ")
                    )
                })
            }
            other => {
                let ty = other.ty();
                (!text_like(&ty)).then(|| {
                    format!(
                        "xpath needs an XML document as text; `{written}` is typed `{}`",
                        ty.rust()
                    )
                })
            }
        };
        match problem {
            Some(message) => {
                self.diags.error(loc, message);
                None
            }
            None => Some(()),
        }
    }
}

/// Why `text` is not an XPath expression the runtime accepts, if it is not (bounds, then
/// xee's compile error); `None` too in a build without the feature (reported once, by
/// [`WorkflowChecker::xpath_enabled`]).
pub(super) fn problem(text: &str) -> Option<String> {
    if let Some(problem) = arazzo_bounds::xpath_bounds(text) {
        return Some(problem);
    }
    match compile(text) {
        Err(Problem::Invalid { message, .. }) => {
            Some(format!("XPath `{text}` does not compile: {message}"))
        }
        Ok(()) | Err(Problem::Disabled) => None,
    }
}

/// Whether a value of this type can hold XML text: a string, or JSON (a string at run time).
fn text_like(ty: &Ty) -> bool {
    match ty {
        Ty::Str | Ty::Json => true,
        Ty::Option(inner) | Ty::InModule(_, inner) => text_like(inner),
        _ => false,
    }
}

/// Why an XPath expression is refused.
enum Problem {
    /// The `xpath` feature is off.
    #[cfg_attr(feature = "xpath", allow(dead_code))]
    Disabled,
    /// It does not compile: xee's error as one line, and a help for a common mistake.
    #[cfg_attr(not(feature = "xpath"), allow(dead_code))]
    Invalid {
        message: String,
        help: Option<String>,
    },
}

/// Compiles `text` with xee-xpath.
#[cfg(feature = "xpath")]
fn compile(text: &str) -> Result<(), Problem> {
    let Err(e) = xee_xpath::Queries::default().sequence(text) else {
        return Ok(());
    };
    let description = e.error.message().lines().next().unwrap_or_default().trim();
    let code = e.error.to_string();
    let mut message = if description.is_empty() {
        code.clone()
    } else {
        format!("{code}: {description}")
    };
    if let Some(span) = e.span {
        let range = span.range();
        let at = text.get(range.clone()).unwrap_or_default();
        if at.is_empty() {
            message.push_str(&format!(" (at byte {})", range.start));
        } else {
            message.push_str(&format!(" (at `{at}`)"));
        }
    }
    let help = (code == "XPST0008" && text.contains('$')).then(|| {
        "`$name` in XPath is an XPath variable, not a runtime expression: the expression is \
         evaluated against the document `context` gives, so select from it (`/order/status`)"
            .to_owned()
    });
    Err(Problem::Invalid { message, help })
}

/// Without the `xpath` feature nothing is compiled.
#[cfg(not(feature = "xpath"))]
fn compile(_text: &str) -> Result<(), Problem> {
    Err(Problem::Disabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "xpath")]
    #[test]
    fn compiles_with_xee() {
        assert!(compile("/order/status = 'paid'").is_ok());
        assert!(compile("count(//item) > 2").is_ok());
        for (bad, expected) in [
            ("/order[", "XPST0003"),
            ("nosuch(1)", "XPST0017"),
            ("$statusCode = 200", "XPST0008"),
            ("p:a", "XPST0081"),
        ] {
            match compile(bad) {
                Err(Problem::Invalid { message, .. }) => {
                    assert!(message.starts_with(expected), "{bad}: {message}");
                    assert!(!message.contains('\n'), "{message}");
                }
                _ => panic!("{bad} compiled"),
            }
        }
    }

    #[cfg(not(feature = "xpath"))]
    #[test]
    fn disabled_without_the_feature() {
        assert!(matches!(compile("/a"), Err(Problem::Disabled)));
    }

    #[test]
    fn disabled_says_how_to_enable() {
        let (message, help) = disabled("criteria");
        assert!(message.starts_with("`xpath` criteria need the `xpath` feature"));
        assert_eq!(
            help,
            "enable it in Cargo.toml: `arazzo = { version = \"0.1\", features = [\"xpath\"] }`"
        );
    }
}
