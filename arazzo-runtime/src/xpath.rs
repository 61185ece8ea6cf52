//! XPath criteria and Selector Objects (feature `xpath`), evaluated with xee-xpath, an XPath
//! 3.1 engine.
//!
//! The compiler parsed every expression at build time; here the context value is read as an
//! XML document and the expression evaluated against its document node.
//!
//! - A criterion ([`xpath_matches`]) holds when the result's Effective Boolean Value is true
//!   (Arazzo 1.1 "XPath Conditions": `true`, a non-zero number, a non-empty string, a
//!   non-empty node sequence). A missing or `null` context, a context that is not text, text
//!   that is not well-formed XML (or has a DTD, which is refused), and an evaluation error all
//!   make it *fail*; the reason is logged at `debug` level.
//! - A selector ([`xpath_select`]) gives the string value of the first item selected, as
//!   `Option<String>`: `None` when the expression selects nothing or the context is missing.
//!   `/Invoice/Header/InvoiceNumber` gives the element's text; `count(//item)` the number as
//!   XPath writes it. An unusable context or an evaluation error is an
//!   [`ErrorKind::XPath`] error of the step.
//!
//! Every `version` (`xpath-10` to `xpath-31`) is evaluated by the 3.1 engine
//! (docs/limitations.md lists what differs from XPath 1.0 and 2.0).
//!
//! Compiled queries are not `Sync` in xee, so each call site keeps its compiled query in a
//! `thread_local!` [`XPathCache`]: it is compiled once per thread that evaluates it.
//!
//! Hostile documents: the body is bounded by the client's size limit, a DTD (and so entity
//! expansion) is refused by the XML parser, and a document nested deeper than
//! [`MAX_XML_DEPTH`] elements is refused before it is parsed.

use std::cell::OnceCell;
use std::thread::LocalKey;

use xee_xpath::query::SequenceQuery;
use xee_xpath::{Documents, Queries, Query};

use crate::criteria::Operand;
use crate::error::ErrorKind;

/// A compiled XPath expression, compiled on first use in a `thread_local!` of the generated
/// code (`None` only if it does not compile, which the compiler rules out).
pub type XPathCache = OnceCell<Option<SequenceQuery>>;

/// The deepest element nesting of a document evaluated: deeper documents are refused before
/// they are parsed. xee neither recurses over the tree nor overflows on deep documents, but
/// its parse time grows with the square of the depth (100,000 levels took minutes).
pub const MAX_XML_DEPTH: usize = 512;

/// An XPath `criterion` holds on `context`: the Effective Boolean Value of the result (see
/// the module documentation). Every problem makes it fail, never panic.
///
/// ```
/// use arazzo_runtime::criteria::Operand;
/// std::thread_local! {
///     static QUERY: arazzo_runtime::XPathCache = const { arazzo_runtime::XPathCache::new() };
/// }
/// let body = Operand::Str("<order><status>paid</status></order>".into());
/// assert!(arazzo_runtime::xpath_matches(&QUERY, "/order/status = 'paid'", &body));
/// ```
pub fn xpath_matches(
    cache: &'static LocalKey<XPathCache>,
    query: &str,
    context: &Operand<'_>,
) -> bool {
    with_compiled(cache, query, |compiled| holds(compiled, context)).unwrap_or_else(|reason| {
        tracing::debug!(query, reason = %reason, "xpath criterion fails");
        false
    })
}

/// The Effective Boolean Value of the compiled `query` on the XML document `context` holds.
fn holds(query: &SequenceQuery, context: &Operand<'_>) -> Result<bool, String> {
    let Some(xml) = xml_text(context)? else {
        return Err("the context is missing or null".to_owned());
    };
    evaluate(query, xml, |sequence, _| {
        sequence.effective_boolean_value().map_err(|e| describe(&e))
    })
}

/// The string value of the first item an XPath `selector` selects in `context` (a Selector
/// Object with `type: xpath`); `None` when it selects nothing or the context is missing or
/// `null`.
///
/// ```
/// use arazzo_runtime::criteria::Operand;
/// std::thread_local! {
///     static QUERY: arazzo_runtime::XPathCache = const { arazzo_runtime::XPathCache::new() };
/// }
/// let body = Operand::Str("<Invoice><Header><Number>A-7</Number></Header></Invoice>".into());
/// let number = arazzo_runtime::xpath_select(&QUERY, "/Invoice/Header/Number", &body);
/// assert_eq!(number.unwrap(), Some("A-7".to_owned()));
/// ```
///
/// # Errors
///
/// [`ErrorKind::XPath`] when the context is not XML text, or evaluating fails.
pub fn xpath_select(
    cache: &'static LocalKey<XPathCache>,
    query: &'static str,
    context: &Operand<'_>,
) -> Result<Option<String>, ErrorKind> {
    let fail = |reason: String| ErrorKind::XPath { query, reason };
    let Some(xml) = xml_text(context).map_err(fail)? else {
        return Ok(None);
    };
    with_compiled(cache, query, |compiled| {
        evaluate(compiled, xml, |sequence, documents| {
            match sequence.iter().next() {
                None => Ok(None),
                Some(item) => item
                    .string_value(documents.xot())
                    .map(Some)
                    .map_err(|e| describe(&e)),
            }
        })
    })
    .map_err(fail)
}

/// Runs `f` with `query` compiled, once per thread, in `cache`.
fn with_compiled<T>(
    cache: &'static LocalKey<XPathCache>,
    query: &str,
    f: impl FnOnce(&SequenceQuery) -> Result<T, String>,
) -> Result<T, String> {
    cache.with(
        |cell| match cell.get_or_init(|| Queries::default().sequence(query).ok()) {
            Some(compiled) => f(compiled),
            None => Err("the expression does not compile".to_owned()),
        },
    )
}

/// The XML text of a context value: `None` when it is missing or `null`; an error when it is
/// not text.
fn xml_text<'o>(context: &'o Operand<'_>) -> Result<Option<&'o str>, String> {
    match context {
        Operand::Missing | Operand::Null => Ok(None),
        Operand::Str(text) => Ok(Some(text)),
        Operand::Bool(_) | Operand::Number(_) => {
            Err("the context is a boolean or a number, not an XML document".to_owned())
        }
        Operand::Json(_) => Err("the context is a JSON value, not an XML document".to_owned()),
    }
}

/// Parses `xml` and evaluates the compiled `query` against its document node, then reads the
/// result with `read`.
fn evaluate<T>(
    query: &SequenceQuery,
    xml: &str,
    read: impl FnOnce(&xee_xpath::Sequence, &Documents) -> Result<T, String>,
) -> Result<T, String> {
    let (mut documents, document) = parse(xml)?;
    let sequence = query
        .execute(&mut documents, document)
        .map_err(|e| describe(&e.error))?;
    read(&sequence, &documents)
}

/// `xml` parsed into a document (refused first when it nests too deep).
fn parse(xml: &str) -> Result<(Documents, xee_xpath::DocumentHandle), String> {
    if let Some(depth) = too_deep(xml) {
        return Err(format!(
            "the document nests elements deeper than {depth} levels (at most {MAX_XML_DEPTH})"
        ));
    }
    let mut documents = Documents::new();
    let document = documents.add_string_without_uri(xml).map_err(|e| {
        format!(
            "the context is not a well-formed XML document: {}",
            xml_problem(&e)
        )
    })?;
    Ok((documents, document))
}

/// An XPath criterion whose expression embeds `{$…}` expressions (Arazzo 1.1): `query` is the
/// text with their values substituted as they are (no escaping: inside a string literal a
/// value containing its quote ends the literal). It is checked against the bounds of
/// [`arazzo_bounds::xpath_bounds`] and compiled on each evaluation; an expression out of
/// bounds or that does not compile fails the criterion, as the specification says of an
/// invalid condition.
///
/// ```
/// use arazzo_runtime::criteria::Operand;
/// let body = Operand::Str("<order><total>12</total></order>".into());
/// assert!(arazzo_runtime::substituted_xpath_matches("/order/total > 10", &body));
/// assert!(!arazzo_runtime::substituted_xpath_matches("/order/total > 20", &body));
/// assert!(!arazzo_runtime::substituted_xpath_matches("/order/total > ", &body));
/// ```
pub fn substituted_xpath_matches(query: &str, context: &Operand<'_>) -> bool {
    let outcome = (|| {
        if arazzo_bounds::xpath_bounds(query).is_some() {
            return Err("the expression with its substituted values is out of bounds".to_owned());
        }
        let compiled = Queries::default().sequence(query).map_err(|_| {
            "the expression with its substituted values does not compile".to_owned()
        })?;
        holds(&compiled, context)
    })();
    outcome.unwrap_or_else(|reason| {
        // The expression may hold secret values: only the reason is logged.
        tracing::debug!(reason = %reason, "xpath criterion fails");
        false
    })
}

/// What is wrong with a document, without its content: the kind of problem (the parser's
/// message up to its first `:`, which may quote names, entities or ids) and where.
fn xml_problem(error: &xee_xpath::error::DocumentsError) -> String {
    match error {
        xee_xpath::error::DocumentsError::Parse(e) => {
            let message = e.to_string();
            let kind = message.split(':').next().unwrap_or_default().trim();
            format!("{kind} at byte {}", e.span().start)
        }
        other => other.to_string(),
    }
}

/// An XPath error as one line: its code and the first sentence of its description.
fn describe(error: &xee_xpath::error::ErrorValue) -> String {
    let message = error.message().lines().next().unwrap_or_default().trim();
    if message.is_empty() {
        error.to_string()
    } else {
        format!("{error}: {message}")
    }
}

/// The nesting depth reached, when `xml` nests elements deeper than [`MAX_XML_DEPTH`] (read
/// with a streaming parser, which keeps no tree and does not recurse).
fn too_deep(xml: &str) -> Option<usize> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                depth += 1;
                if depth > MAX_XML_DEPTH {
                    return Some(depth);
                }
            }
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            // The XML parser reports malformed documents itself.
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    std::thread_local! {
        static Q1: XPathCache = const { XPathCache::new() };
        static Q2: XPathCache = const { XPathCache::new() };
        static Q3: XPathCache = const { XPathCache::new() };
        static Q4: XPathCache = const { XPathCache::new() };
        static Q5: XPathCache = const { XPathCache::new() };
        static Q6: XPathCache = const { XPathCache::new() };
        static Q7: XPathCache = const { XPathCache::new() };
        static Q8: XPathCache = const { XPathCache::new() };
    }

    fn text(s: &str) -> Operand<'_> {
        Operand::Str(s.into())
    }

    const DOC: &str = "<r><a>1</a><a>2</a><b/><name>Ada</name></r>";

    #[test]
    fn effective_boolean_value() {
        // Each cache holds one query: a fresh cache per expression.
        let cases: [(&'static LocalKey<XPathCache>, &str, bool); 8] = [
            (&Q1, "//a", true),
            (&Q2, "//c", false),
            (&Q3, "count(//a)", true),
            (&Q4, "count(//c)", false),
            (&Q5, "string(/r/name)", true),
            (&Q6, "string(/r/b)", false),
            (&Q7, "/r/name = 'Ada'", true),
            (&Q8, "/r/name = 'Bob'", false),
        ];
        for (cache, query, expected) in cases {
            assert_eq!(xpath_matches(cache, query, &text(DOC)), expected, "{query}");
        }
    }

    #[test]
    fn problems_fail_the_criterion() {
        std::thread_local! {
            static A: XPathCache = const { XPathCache::new() };
            static B: XPathCache = const { XPathCache::new() };
        }
        for context in [
            Operand::Missing,
            Operand::Null,
            Operand::Number(1.0),
            text("<r><a>1</a>"),
            text("not xml"),
            text("<!DOCTYPE r [<!ENTITY x \"y\">]><r>&x;</r>"),
        ] {
            assert!(!xpath_matches(&A, "true()", &context), "{context:?}");
        }
        // A sequence of several numbers has no Effective Boolean Value: a type error.
        assert!(!xpath_matches(&B, "(1, 2)", &text(DOC)));
        // Where XPath 1.0 converts (NaN, false), 3.1 raises an error: the criterion fails.
        std::thread_local! {
            static C: XPathCache = const { XPathCache::new() };
            static D: XPathCache = const { XPathCache::new() };
        }
        assert!(!xpath_matches(&C, "'a' + 1 != 0", &text(DOC)));
        assert!(!xpath_matches(&D, "/r/name != 1", &text(DOC)));
    }

    #[test]
    fn selects_the_first_string_value() {
        std::thread_local! {
            static A: XPathCache = const { XPathCache::new() };
            static B: XPathCache = const { XPathCache::new() };
            static C: XPathCache = const { XPathCache::new() };
            static D: XPathCache = const { XPathCache::new() };
        }
        assert_eq!(
            xpath_select(&A, "//a", &text(DOC)).unwrap(),
            Some("1".to_owned())
        );
        assert_eq!(xpath_select(&B, "//c", &text(DOC)).unwrap(), None);
        assert_eq!(
            xpath_select(&C, "count(//a)", &text(DOC)).unwrap(),
            Some("2".to_owned())
        );
        assert_eq!(
            xpath_select(&D, "/r/name", &Operand::Missing).unwrap(),
            None
        );
        // The problem and where, never the document's text.
        let err = xpath_select(&D, "/r/name", &text("<r><secret-value")).unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.contains("not a well-formed XML document: "),
            "{shown}"
        );
        assert!(shown.contains(" at byte "), "{shown}");
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow() {
        std::thread_local! {
            static A: XPathCache = const { XPathCache::new() };
            static B: XPathCache = const { XPathCache::new() };
        }
        let depth = 200_000;
        let deep = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        assert!(!xpath_matches(&A, "//a", &text(&deep)));
        let err = xpath_select(&B, "string(/)", &text(&deep)).unwrap_err();
        assert!(err.to_string().contains("deeper than"), "{err}");
        // At the limit it is evaluated.
        let ok = format!(
            "{}x{}",
            "<a>".repeat(MAX_XML_DEPTH),
            "</a>".repeat(MAX_XML_DEPTH)
        );
        assert!(xpath_matches(&A, "//a", &text(&ok)));
    }
}
