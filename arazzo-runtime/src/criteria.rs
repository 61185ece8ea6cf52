//! Comparison semantics of Arazzo simple conditions.
//!
//! The compiler parses every condition and turns it into Rust that builds [`Operand`]s and
//! calls [`compare`]; nothing is parsed at run time. The rules follow Arazzo 1.0.1 and the
//! clarifications of 1.1:
//!
//! - a missing value (an absent property, a step output a loop has not produced yet)
//!   compares as `null`: `$response.body#/next == null` holds when `next` is absent, so
//!   `== null` and `!= null` are complements (Arazzo 1.1's own example ends a step with
//!   `$response.body#/0 == null` on an empty list, and checks `$response.body.data != null`);
//! - `null` equals only `null` (and a missing value);
//! - string comparisons are case-insensitive;
//! - a numeric string compared with a number is compared as a number;
//! - values of kinds that cannot be compared (a boolean and an object) are unequal and
//!   unordered.

use std::borrow::Cow;
use std::cmp::Ordering;

/// A value on one side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    /// The expression reached no value (absent property, step that returned no body, ...).
    Missing,
    /// JSON `null` / Rust `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array or object.
    Json(Cow<'a, serde_json::Value>),
}

impl<'a> Operand<'a> {
    /// The operand for a JSON value, or [`Operand::Missing`] for `None`.
    pub fn from_json(value: Option<&'a serde_json::Value>) -> Self {
        match value {
            None => Operand::Missing,
            Some(serde_json::Value::Null) => Operand::Null,
            Some(serde_json::Value::Bool(b)) => Operand::Bool(*b),
            Some(serde_json::Value::Number(n)) => {
                n.as_f64().map_or(Operand::Missing, Operand::Number)
            }
            Some(serde_json::Value::String(s)) => Operand::Str(Cow::Borrowed(s)),
            Some(other) => Operand::Json(Cow::Borrowed(other)),
        }
    }

    fn as_number(&self) -> Option<f64> {
        match self {
            Operand::Number(n) => Some(*n),
            Operand::Str(s) => s.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            _ => None,
        }
    }
}

/// An operand substituted in a `regex`/`jsonpath` condition (Arazzo 1.1) is written as a
/// template writes a value: a missing value or `null` as nothing, a number as in `regex`
/// criteria (integers without `.0`), a string as it is, an array or object as JSON.
///
/// ```
/// use arazzo_runtime::{concat, criteria::{Operand, operand}};
/// let (code, none) = (operand(&200u16), Operand::Missing);
/// assert_eq!(concat(&[&"^", &code, &none, &operand("x"), &"$"]), "^200x$");
/// ```
impl crate::ParamValue for Operand<'_> {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Operand::Missing | Operand::Null => None,
            Operand::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Operand::Number(n) => Some(Cow::Owned(format_number(*n))),
            Operand::Str(s) => Some(Cow::Borrowed(s)),
            Operand::Json(v) => Some(Cow::Owned(v.to_string())),
        }
    }
}

/// A typed value usable in a condition.
pub trait AsOperand {
    /// The value as an operand.
    fn as_operand(&self) -> Operand<'_>;
}

/// The operand of a typed value (`$steps.a.outputs.count`, `$inputs.flag`, `$statusCode`).
pub fn operand<T: AsOperand + ?Sized>(value: &T) -> Operand<'_> {
    value.as_operand()
}

macro_rules! number_operand {
    ($($t:ty),*) => {$(
        impl AsOperand for $t {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn as_operand(&self) -> Operand<'_> {
                Operand::Number(*self as f64)
            }
        }
    )*};
}

number_operand!(i64, i32, u16, u32, u64, f64);

impl AsOperand for bool {
    fn as_operand(&self) -> Operand<'_> {
        Operand::Bool(*self)
    }
}

impl AsOperand for str {
    fn as_operand(&self) -> Operand<'_> {
        Operand::Str(Cow::Borrowed(self))
    }
}

impl AsOperand for String {
    fn as_operand(&self) -> Operand<'_> {
        Operand::Str(Cow::Borrowed(self.as_str()))
    }
}

impl AsOperand for serde_json::Value {
    fn as_operand(&self) -> Operand<'_> {
        Operand::from_json(Some(self))
    }
}

impl<T: AsOperand> AsOperand for Option<T> {
    fn as_operand(&self) -> Operand<'_> {
        self.as_ref().map_or(Operand::Null, AsOperand::as_operand)
    }
}

impl<T: AsOperand + ?Sized> AsOperand for &T {
    fn as_operand(&self) -> Operand<'_> {
        (**self).as_operand()
    }
}

/// A comparison operator of a simple condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Evaluates `left op right` with Arazzo's semantics (see the module documentation).
pub fn compare(left: &Operand<'_>, op: CmpOp, right: &Operand<'_>) -> bool {
    let as_null = |operand: &Operand<'_>| matches!(operand, Operand::Missing | Operand::Null);
    match order(left, right) {
        None if as_null(left) && as_null(right) => op_holds(op, Ordering::Equal),
        Some(ordering) => op_holds(op, ordering),
        None => op == CmpOp::Ne,
    }
}

/// Whether `op` holds between two operands that order as `ordering`.
fn op_holds(op: CmpOp, ordering: Ordering) -> bool {
    match op {
        CmpOp::Eq => ordering == Ordering::Equal,
        CmpOp::Ne => ordering != Ordering::Equal,
        CmpOp::Lt => ordering == Ordering::Less,
        CmpOp::Le => ordering != Ordering::Greater,
        CmpOp::Gt => ordering == Ordering::Greater,
        CmpOp::Ge => ordering != Ordering::Less,
    }
}

macro_rules! operators {
    ($($name:ident => $op:ident, $text:literal;)*) => {$(
        #[doc = concat!("`left ", $text, " right` ([`compare`] with [`CmpOp::", stringify!($op), "`]).")]
        pub fn $name(left: &Operand<'_>, right: &Operand<'_>) -> bool {
            compare(left, CmpOp::$op, right)
        }
    )*};
}

operators! {
    eq => Eq, "==";
    ne => Ne, "!=";
    lt => Lt, "<";
    le => Le, "<=";
    gt => Gt, ">";
    ge => Ge, ">=";
}

impl From<f64> for Operand<'_> {
    fn from(number: f64) -> Self {
        Operand::Number(number)
    }
}

impl From<bool> for Operand<'_> {
    fn from(value: bool) -> Self {
        Operand::Bool(value)
    }
}

impl<'a> From<&'a str> for Operand<'a> {
    fn from(text: &'a str) -> Self {
        Operand::Str(Cow::Borrowed(text))
    }
}

/// The truth of a lone operand used as a condition (`$inputs.flag`): true only for `true`.
pub fn truthy(operand: &Operand<'_>) -> bool {
    match operand {
        Operand::Bool(b) => *b,
        Operand::Str(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// A `regex` criterion: whether the context value, as text, matches `pattern`.
///
/// The pattern was validated at compile time; it is compiled once, on first use, into `cache`
/// (a `static` of the generated code), with the bounds of [`arazzo_bounds::regex`]. A missing
/// context, or a pattern the regex engine refuses at run time, never matches.
pub fn regex_matches(
    cache: &std::sync::OnceLock<Option<regex::Regex>>,
    pattern: &str,
    context: &Operand<'_>,
) -> bool {
    cache
        .get_or_init(|| arazzo_bounds::regex(pattern).ok())
        .as_ref()
        .is_some_and(|re| is_match(re, context))
}

/// A `regex` criterion whose pattern embeds `{$…}` expressions (Arazzo 1.1): `pattern` is the
/// text with their values substituted as they are (no escaping: a value is regex syntax).
/// It is compiled on each evaluation with the bounds of [`arazzo_bounds::regex`]; a pattern
/// that does not compile (a value that is not valid regex syntax, or one that makes it too
/// large) fails the criterion, as the specification says of an invalid condition.
///
/// ```
/// use arazzo_runtime::criteria::{operand, substituted_regex_matches};
/// assert!(substituted_regex_matches("^(2\\d\\d|304)$", &operand(&304u16)));
/// assert!(!substituted_regex_matches("^(2\\d\\d|304)$", &operand(&404u16)));
/// assert!(!substituted_regex_matches("^([)$", &operand("[")));
/// ```
pub fn substituted_regex_matches(pattern: &str, context: &Operand<'_>) -> bool {
    match arazzo_bounds::regex(pattern) {
        Ok(re) => is_match(&re, context),
        Err(_) => {
            // The pattern may hold secret values: only the fact is logged.
            tracing::debug!("the regex condition with its substituted values does not compile");
            false
        }
    }
}

/// Whether the context value, as text (the text it is substituted as), matches `re`; a
/// missing or `null` context never does.
fn is_match(re: &regex::Regex, context: &Operand<'_>) -> bool {
    use crate::ParamValue;
    context.param_text().is_some_and(|text| re.is_match(&text))
}

/// A `jsonpath` criterion (RFC 9535): true when the query selects at least one node of the
/// context value. The query was validated at compile time and is parsed once into `cache`. A
/// root filter (`$[?…]`) on an object context is also tried against the object itself, the
/// reading of draft-goessner-dispatch-jsonpath-00 that Arazzo's examples rely on.
pub fn jsonpath_matches(
    cache: &std::sync::OnceLock<Option<serde_json_path::JsonPath>>,
    query: &str,
    context: Option<&serde_json::Value>,
) -> bool {
    match (
        cache.get_or_init(|| serde_json_path::JsonPath::parse(query).ok()),
        context,
    ) {
        (Some(path), Some(value)) => selects(path, query, value),
        _ => false,
    }
}

/// A `jsonpath` criterion whose query embeds `{$…}` expressions (Arazzo 1.1): `query` is the
/// text with their values substituted as they are (no escaping: inside a string literal a
/// value containing its quote ends the literal). It is checked against the bounds of
/// [`arazzo_bounds::jsonpath_bounds`] and parsed on each evaluation; a query that is out of
/// bounds or does not parse fails the criterion, as the specification says of an invalid
/// condition.
///
/// ```
/// use arazzo_runtime::criteria::substituted_jsonpath_matches;
/// let body = serde_json::json!([{"status": "open"}]);
/// assert!(substituted_jsonpath_matches("$[?@.status == 'open']", Some(&body)));
/// assert!(!substituted_jsonpath_matches("$[?@.status == 'closed']", Some(&body)));
/// assert!(!substituted_jsonpath_matches("$[?@.status == ''']", Some(&body)));
/// ```
pub fn substituted_jsonpath_matches(query: &str, context: Option<&serde_json::Value>) -> bool {
    let Some(value) = context else {
        return false;
    };
    let path = match arazzo_bounds::jsonpath_bounds(query) {
        None => serde_json_path::JsonPath::parse(query).ok(),
        Some(_) => None,
    };
    match path {
        Some(path) => selects(&path, query, value),
        None => {
            // The query may hold secret values: only the fact is logged.
            tracing::debug!("the JSONPath condition with its substituted values does not parse");
            false
        }
    }
}

/// Whether `path` (parsed from `query`) selects a node of `value`.
fn selects(path: &serde_json_path::JsonPath, query: &str, value: &serde_json::Value) -> bool {
    if !path.query(value).is_empty() {
        return true;
    }
    // Arazzo's own examples (and draft-goessner-dispatch-jsonpath-00 implementations) apply a
    // root filter such as `$[?@.access_token != null]` to an object context itself; RFC 9535
    // applies it to the object's members. Accept both readings.
    value.is_object()
        && query.starts_with("$[?")
        && !path
            .query(&serde_json::Value::Array(vec![value.clone()]))
            .is_empty()
}

/// Integers without a fraction (`200`, not `200.0`), so `^2\d\d$` matches a status code.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// How two operands order, or `None` when they cannot be compared.
fn order(left: &Operand<'_>, right: &Operand<'_>) -> Option<Ordering> {
    use Operand::{Bool, Json, Null, Number, Str};
    match (left, right) {
        (Null, Null) => Some(Ordering::Equal),
        (Null, _) | (_, Null) => None,
        (Str(a), Str(b)) => Some(case_insensitive(a, b)),
        (Number(_), Str(_)) | (Str(_), Number(_)) | (Number(_), Number(_)) => {
            left.as_number()?.partial_cmp(&right.as_number()?)
        }
        (Bool(a), Bool(b)) => Some(a.cmp(b)),
        (Bool(b), Str(s)) => bool_text(s).map(|t| b.cmp(&t)),
        (Str(s), Bool(b)) => bool_text(s).map(|t| t.cmp(b)),
        (Json(a), Json(b)) => (a == b).then_some(Ordering::Equal),
        _ => None,
    }
}

fn bool_text(s: &str) -> Option<bool> {
    if s.eq_ignore_ascii_case("true") {
        Some(true)
    } else if s.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn case_insensitive(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}

#[cfg(test)]
mod tests {
    use super::CmpOp::*;
    use super::*;
    use serde_json::json;

    fn s(v: &str) -> Operand<'_> {
        Operand::Str(Cow::Borrowed(v))
    }

    #[test]
    fn table() {
        let cases: &[(Operand<'_>, CmpOp, Operand<'_>, bool)] = &[
            (Operand::Number(200.0), Eq, Operand::Number(200.0), true),
            (200u16.as_operand(), Eq, Operand::Number(200.0), true),
            (200u16.as_operand(), Ne, Operand::Number(201.0), true),
            (s("200"), Eq, Operand::Number(200.0), true),
            (s("abc"), Eq, Operand::Number(200.0), false),
            (s("abc"), Ne, Operand::Number(200.0), true),
            (s("Hello"), Eq, s("hELLO"), true),
            (s("a"), Lt, s("B"), true),
            (Operand::Null, Eq, Operand::Null, true),
            (Operand::Null, Eq, s("null"), false),
            (Operand::Null, Ne, Operand::Number(0.0), true),
            (Operand::Missing, Eq, Operand::Missing, true),
            (Operand::Missing, Eq, Operand::Null, true),
            (Operand::Missing, Ne, Operand::Null, false),
            (Operand::Null, Ne, Operand::Missing, false),
            (Operand::Missing, Ne, Operand::Number(1.0), true),
            (Operand::Missing, Eq, s(""), false),
            (Operand::Missing, Lt, Operand::Number(1.0), false),
            (Operand::Number(1.0), Lt, Operand::Number(2.0), true),
            (Operand::Number(2.0), Ge, Operand::Number(2.0), true),
            (Operand::Bool(true), Eq, s("TRUE"), true),
            (Operand::Bool(true), Lt, Operand::Number(2.0), false),
        ];
        for (left, op, right, expected) in cases {
            assert_eq!(
                compare(left, *op, right),
                *expected,
                "{left:?} {op:?} {right:?}"
            );
        }
    }

    #[test]
    fn regex_and_jsonpath() {
        use std::sync::OnceLock;
        let re = OnceLock::new();
        assert!(regex_matches(&re, "^2\\d\\d$", &200u16.as_operand()));
        assert!(!regex_matches(&re, "^2\\d\\d$", &404u16.as_operand()));
        assert!(!regex_matches(&re, "^2\\d\\d$", &Operand::Missing));
        let path = OnceLock::new();
        let body = json!({"access_token": "t", "products": [1, 2]});
        assert!(jsonpath_matches(
            &path,
            "$[?@.access_token != null]",
            Some(&json!([body.clone()]))
        ));
        let count = OnceLock::new();
        assert!(jsonpath_matches(
            &count,
            "$[?count(@.products[*]) > 0]",
            Some(&json!([body]))
        ));
        assert!(!jsonpath_matches(
            &OnceLock::new(),
            "$.nope",
            Some(&json!({}))
        ));
        assert!(jsonpath_matches(
            &OnceLock::new(),
            "$[?@.access_token != null]",
            Some(&json!({"access_token": "t"}))
        ));
        // RFC 9535 §2.3.5.2.2: an absent member is Nothing, and `Nothing != null` holds; the
        // existence test `$[?@.access_token]` is the RFC spelling of "has a token".
        assert!(jsonpath_matches(
            &OnceLock::new(),
            "$[?@.access_token != null]",
            Some(&json!({"error": "x"}))
        ));
        assert!(!jsonpath_matches(
            &OnceLock::new(),
            "$[?@.access_token]",
            Some(&json!({"error": "x"}))
        ));
        assert!(jsonpath_matches(
            &OnceLock::new(),
            "$[?@.access_token]",
            Some(&json!({"access_token": "t"}))
        ));
    }

    #[test]
    fn json_operands() {
        let v = json!({"a": 1});
        assert!(compare(&v.as_operand(), Eq, &json!({"a": 1}).as_operand()));
        assert!(!compare(&v.as_operand(), Lt, &json!({"a": 2}).as_operand()));
        assert_eq!(Operand::from_json(None), Operand::Missing);
        assert!(truthy(&true.as_operand()));
        assert!(!truthy(&Operand::Missing));
    }
}
