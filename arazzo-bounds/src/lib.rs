//! Bounds on the queries and patterns of Arazzo criteria: one definition for the compiler,
//! which checks the conditions written in a document, and the runtime, which checks a
//! condition again after substituting the values of its embedded `{$…}` expressions (Arazzo
//! 1.1), so a hostile value cannot make it unbounded.
#![deny(missing_docs)]

/// The longest JSONPath query parsed, in bytes.
pub const MAX_JSONPATH_LEN: usize = 4_096;
/// The deepest nesting of brackets and parentheses in a JSONPath query.
pub const MAX_JSONPATH_DEPTH: usize = 10;

/// Why the JSONPath query `text` is not parsed at all, if it is too long or nests too deep
/// (brackets and parentheses outside string literals): the parser's time grows
/// exponentially with nested filters, and its stack with any nesting.
///
/// ```
/// assert_eq!(arazzo_bounds::jsonpath_bounds("$[?@.a == 'x']"), None);
/// let deep = format!("${}", "[?@".repeat(11));
/// assert!(arazzo_bounds::jsonpath_bounds(&deep).is_some());
/// ```
pub fn jsonpath_bounds(text: &str) -> Option<String> {
    if text.len() > MAX_JSONPATH_LEN {
        return Some(format!(
            "this JSONPath query is {} bytes long; at most {MAX_JSONPATH_LEN} are accepted",
            text.len()
        ));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' | '(' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    (deepest > MAX_JSONPATH_DEPTH).then(|| {
        format!(
            "this JSONPath query nests brackets and parentheses {deepest} deep; at most \
             {MAX_JSONPATH_DEPTH} are accepted"
        )
    })
}

/// The most memory a compiled `regex` criterion pattern may use, in bytes (the regex crate's
/// own default, named so the compiler and the runtime apply the same one).
pub const REGEX_SIZE_LIMIT: usize = 10 * (1 << 20);
/// The deepest nesting of groups and repetitions in a `regex` criterion pattern.
pub const REGEX_NEST_LIMIT: u32 = 250;

/// Compiles a `regex` criterion pattern with the bounds above: the compiler checks a written
/// pattern with it, the runtime compiles every pattern with it (a pattern with substituted
/// values on each evaluation). Matching is linear in the text's length.
///
/// ```
/// assert!(arazzo_bounds::regex("^2\\d\\d$").is_ok());
/// assert!(arazzo_bounds::regex("(").is_err());
/// assert!(arazzo_bounds::regex("\\w{1000}{1000}").is_err());
/// ```
pub fn regex(pattern: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// The longest XPath expression compiled, in bytes.
pub const MAX_XPATH_LEN: usize = 4_096;
/// The deepest nesting of brackets, parentheses and braces in an XPath expression (the
/// parser recurses on each).
pub const MAX_XPATH_DEPTH: usize = 32;

/// Why the XPath expression `text` is not compiled at all, if it is too long or nests too
/// deep (brackets, parentheses and braces outside string literals, which XPath writes between
/// `'` or `"` and escapes by doubling).
///
/// ```
/// assert_eq!(arazzo_bounds::xpath_bounds("/a[(1)]"), None);
/// let deep = format!("{}1{}", "(".repeat(40), ")".repeat(40));
/// assert!(arazzo_bounds::xpath_bounds(&deep).is_some_and(|m| m.contains("40 deep")));
/// // Brackets inside string literals do not count; a doubled quote stays inside.
/// let quoted = format!("'{}' = 'it''s ((('", "(".repeat(40));
/// assert_eq!(arazzo_bounds::xpath_bounds(&quoted), None);
/// assert!(arazzo_bounds::xpath_bounds(&"a".repeat(4_097)).is_some());
/// ```
pub fn xpath_bounds(text: &str) -> Option<String> {
    if text.len() > MAX_XPATH_LEN {
        return Some(format!(
            "this XPath expression is {} bytes long; at most {MAX_XPATH_LEN} are accepted",
            text.len()
        ));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' | '(' | '{' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | ')' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    (deepest > MAX_XPATH_DEPTH).then(|| {
        format!(
            "this XPath expression nests brackets, parentheses and braces {deepest} deep; at \
             most {MAX_XPATH_DEPTH} are accepted"
        )
    })
}
