//! Selector Objects (Arazzo 1.1) evaluated at run time: the nodes a JSONPath query selects in
//! a context value. The query was checked at compile time and is parsed once into a `static`
//! cache of the generated code.

use std::sync::OnceLock;

use serde_json::Value;
use serde_json_path::JsonPath;

/// The query, parsed on first use (`None` only if it does not parse, which the compiler
/// rules out).
fn parsed<'c>(cache: &'c OnceLock<Option<JsonPath>>, query: &str) -> Option<&'c JsonPath> {
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
pub fn select_all(
    cache: &OnceLock<Option<JsonPath>>,
    query: &str,
    context: Option<&Value>,
) -> Vec<Value> {
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
pub fn select_one(
    cache: &OnceLock<Option<JsonPath>>,
    query: &str,
    context: Option<&Value>,
) -> Option<Value> {
    let (path, value) = (parsed(cache, query)?, context?);
    path.query(value).first().cloned()
}
