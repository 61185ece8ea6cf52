//! JSON values of requests: building payloads from typed values, and pre-split JSON pointers
//! walked through values or used to replace parts of them.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ErrorKind;

/// A JSON object with these members, in this order (a payload written as an object in the
/// document).
///
/// ```
/// let body = arazzo_runtime::object([("name", "Ada".into()), ("age", 36.into())]);
/// assert_eq!(body.to_string(), r#"{"name":"Ada","age":36}"#);
/// ```
pub fn object<const N: usize>(members: [(&str, serde_json::Value); N]) -> serde_json::Value {
    serde_json::Value::Object(
        members
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
    )
}

/// The inputs of workflow `workflow`, called by a step of another workflow: the step's
/// parameters, as a JSON object, must deserialize into them.
pub fn callee_inputs<T: DeserializeOwned>(
    workflow: &'static str,
    parameters: serde_json::Value,
) -> Result<T, ErrorKind> {
    serde_path_to_error::deserialize(parameters).map_err(|error| ErrorKind::CalleeInputs {
        workflow,
        input: crate::decode::error_path(&error),
        reason: error.into_inner().to_string(),
    })
}

/// The inputs of workflow `workflow`, run with the inputs of this one matched by name
/// (`dependsOn`, an action that runs a workflow).
pub fn inputs_by_name<T: DeserializeOwned>(
    workflow: &'static str,
    inputs: &impl Serialize,
) -> Result<T, ErrorKind> {
    callee_inputs(workflow, to_json(inputs)?)
}

/// Converts a typed value into a JSON value for a request payload.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, ErrorKind> {
    serde_json::to_value(value).map_err(ErrorKind::Encode)
}

/// The value at pre-split JSON pointer tokens inside a typed value (`$inputs.customer#/name`
/// where `customer` is free-form JSON), or `None` when nothing is there.
pub fn json_at<T: Serialize + ?Sized>(
    value: &T,
    tokens: &[&str],
) -> Result<Option<serde_json::Value>, ErrorKind> {
    let json = to_json(value)?;
    Ok(walk(&json, tokens).cloned())
}

/// Replaces the value at pre-split JSON pointer tokens inside `body` (a payload
/// `replacement`). The parent must exist: an object gets the member set, an array the item at
/// an existing index replaced.
pub fn replace_at(
    body: &mut serde_json::Value,
    tokens: &[&str],
    value: serde_json::Value,
) -> Result<(), ErrorKind> {
    fn missing() -> ErrorKind {
        ErrorKind::InvalidBody("a replacement target does not exist in the payload")
    }
    let Some((last, parents)) = tokens.split_last() else {
        *body = value;
        return Ok(());
    };
    let mut node = body;
    for token in parents {
        node = match node {
            serde_json::Value::Object(map) => map.get_mut(*token).ok_or_else(missing)?,
            serde_json::Value::Array(items) => token
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get_mut(i))
                .ok_or_else(missing)?,
            _ => return Err(missing()),
        };
    }
    match node {
        serde_json::Value::Object(map) => {
            map.insert((*last).to_owned(), value);
            Ok(())
        }
        serde_json::Value::Array(items) => {
            let slot = last
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get_mut(i))
                .ok_or_else(missing)?;
            *slot = value;
            Ok(())
        }
        _ => Err(missing()),
    }
}

/// Walks pre-split JSON pointer tokens through a value.
pub(crate) fn walk<'v>(
    mut value: &'v serde_json::Value,
    tokens: &[&str],
) -> Option<&'v serde_json::Value> {
    for token in tokens {
        value = match value {
            serde_json::Value::Object(map) => map.get(*token)?,
            serde_json::Value::Array(items) => {
                // RFC 6901: array indexes are decimal without leading zeros.
                if token.len() > 1 && token.starts_with('0') {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replacements_set_existing_places_only() {
        let mut body = serde_json::json!({"a": {"b": 1}, "list": [1, 2]});
        replace_at(&mut body, &["a", "b"], serde_json::json!("x")).expect("member");
        replace_at(&mut body, &["a", "c"], serde_json::json!(true))
            .expect("new member of an existing object");
        replace_at(&mut body, &["list", "1"], serde_json::json!(9)).expect("item");
        assert_eq!(
            body,
            serde_json::json!({"a": {"b": "x", "c": true}, "list": [1, 9]})
        );
        assert!(replace_at(&mut body, &["nope", "x"], serde_json::json!(0)).is_err());
        assert!(replace_at(&mut body, &["list", "5"], serde_json::json!(0)).is_err());
    }

    #[test]
    fn json_at_walks_free_form_values() {
        let v = serde_json::json!({"customer": {"name": "Ada", "tags": ["x"]}});
        assert_eq!(
            json_at(&v, &["customer", "name"]).ok().flatten(),
            Some(serde_json::json!("Ada"))
        );
        assert_eq!(
            json_at(&v, &["customer", "tags", "0"]).ok().flatten(),
            Some(serde_json::json!("x"))
        );
        assert_eq!(json_at(&v, &["nope"]).ok().flatten(), None);
    }

    #[test]
    fn callee_inputs_name_the_input_that_does_not_fit() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Inputs {
            count: i64,
            tags: Vec<String>,
        }
        let error = callee_inputs::<Inputs>("label", json!({"count": "x", "tags": []}))
            .expect_err("a string for an integer");
        assert_eq!(
            error.to_string(),
            "the parameters do not fit the inputs of workflow `label` at input `count`: invalid type: string \"x\", expected i64"
        );
        let error = callee_inputs::<Inputs>("label", json!({"count": 1, "tags": ["a", 2]}))
            .expect_err("a number in a list of strings");
        assert!(
            error.to_string().contains(" at input `tags/1`: "),
            "{error}"
        );
        let error = callee_inputs::<Inputs>("label", json!({"tags": []})).expect_err("missing");
        assert_eq!(
            error.to_string(),
            "the parameters do not fit the inputs of workflow `label`: missing field `count`"
        );
    }

    #[test]
    fn walk_follows_objects_and_arrays() {
        let v = json!({"a": [{"b": 1}], "": 2, "01": 3});
        assert_eq!(walk(&v, &["a", "0", "b"]), Some(&json!(1)));
        assert_eq!(walk(&v, &[""]), Some(&json!(2)));
        assert_eq!(walk(&v, &["a", "1"]), None);
        assert_eq!(walk(&v, &["a", "00"]), None);
        assert_eq!(walk(&v, &["01"]), Some(&json!(3)));
    }
}
