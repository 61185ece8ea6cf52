//! Selector Objects (Arazzo 1.1) evaluated at run time: the nodes a JSONPath query selects in
//! a context value. The query was checked at compile time and is parsed once into a `static`
//! cache of the generated code.

use std::sync::OnceLock;

use serde_json::Value;
use serde_json_path::{JsonPath, PathElement};

use crate::error::ErrorKind;

/// A JSONPath query parsed on first use, in a `static` of the generated code (`None` only if
/// it does not parse, which the compiler rules out).
pub type JsonPathCache = OnceLock<Option<JsonPath>>;

/// The query, parsed on first use (`None` only if it does not parse, which the compiler
/// rules out).
fn parsed<'c>(cache: &'c JsonPathCache, query: &str) -> Option<&'c JsonPath> {
    cache.get_or_init(|| JsonPath::parse(query).ok()).as_ref()
}

/// Every node a JSONPath `query` selects in `context`, in document order (RFC 9535's
/// nodelist); empty when there is no context.
///
/// ```
/// use std::sync::OnceLock;
/// let cache = OnceLock::new();
/// let body = serde_json::json!({ "items": [{ "id": 1 }, { "id": 2 }] });
/// let ids = arazzo_runtime::select_all(&cache, "$.items[*].id", Some(&body));
/// assert_eq!(ids, vec![serde_json::json!(1), serde_json::json!(2)]);
/// ```
pub fn select_all(cache: &JsonPathCache, query: &str, context: Option<&Value>) -> Vec<Value> {
    match (parsed(cache, query), context) {
        (Some(path), Some(value)) => path.query(value).all().into_iter().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The node a singular JSONPath `query` (names and indexes only) selects in `context`, or
/// `None` when there is none.
///
/// ```
/// use std::sync::OnceLock;
/// let cache = OnceLock::new();
/// let body = serde_json::json!({ "user": { "email": "ada@example.com" } });
/// let email = arazzo_runtime::select_one(&cache, "$.user.email", Some(&body));
/// assert_eq!(email, Some(serde_json::json!("ada@example.com")));
/// ```
pub fn select_one(cache: &JsonPathCache, query: &str, context: Option<&Value>) -> Option<Value> {
    let (path, value) = (parsed(cache, query)?, context?);
    path.query(value).first().cloned()
}

/// Sets `value` at every node a JSONPath `query` selects in `body` (a payload replacement
/// with `targetSelectorType: jsonpath`). Like a JSON pointer target, the query must select
/// something: a replacement whose target is nowhere is an error.
///
/// ```
/// use std::sync::OnceLock;
/// let cache = OnceLock::new();
/// let mut body = serde_json::json!({ "items": [{ "qty": 1 }, { "qty": 2 }] });
/// arazzo_runtime::replace_selected(&mut body, &cache, "$.items[*].qty", 0.into()).unwrap();
/// assert_eq!(body, serde_json::json!({ "items": [{ "qty": 0 }, { "qty": 0 }] }));
/// ```
pub fn replace_selected(
    body: &mut Value,
    cache: &JsonPathCache,
    query: &str,
    value: Value,
) -> Result<(), ErrorKind> {
    let targets: Vec<Vec<String>> = match parsed(cache, query) {
        Some(path) => path
            .query_located(body)
            .dedup()
            .locations()
            .map(|at| {
                at.iter()
                    .map(|element| match element {
                        PathElement::Name(name) => (*name).to_owned(),
                        PathElement::Index(index) => index.to_string(),
                    })
                    .collect()
            })
            .collect(),
        None => Vec::new(),
    };
    if targets.is_empty() {
        return Err(ErrorKind::InvalidBody(
            "a replacement target selects nothing in the payload",
        ));
    }
    for tokens in targets {
        let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
        crate::json::replace_at(body, &tokens, value.clone())?;
    }
    Ok(())
}
