//! Turning typed Rust values into parameter strings and JSON payload values.

use std::borrow::Cow;

use serde::Serialize;

use crate::error::ErrorKind;

/// A value that can be sent as a path, query, header or cookie parameter.
///
/// Implemented for the types the compiler maps scalar schemas to. `None` means "leave the
/// parameter out"; every other value renders as its plain string form (numbers in decimal,
/// booleans as `true`/`false`).
pub trait ParamValue {
    /// The parameter's text, or `None` to omit the parameter.
    fn param_text(&self) -> Option<Cow<'_, str>>;
}

impl ParamValue for str {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self))
    }
}

impl ParamValue for String {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(self.as_str()))
    }
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn param_text(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}

display_param!(i64, i32, u16, u32, u64, f64, bool);

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        (**self).param_text()
    }
}

impl<T: ParamValue> ParamValue for Option<T> {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        self.as_ref().and_then(ParamValue::param_text)
    }
}

impl ParamValue for serde_json::Value {
    fn param_text(&self) -> Option<Cow<'_, str>> {
        match self {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(Cow::Borrowed(s.as_str())),
            other => Some(Cow::Owned(other.to_string())),
        }
    }
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
    Ok(crate::request::walk(&json, tokens).cloned())
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn scalars_render_plainly() {
        assert_eq!(42i64.param_text().as_deref(), Some("42"));
        assert_eq!(true.param_text().as_deref(), Some("true"));
        assert_eq!("x y".param_text().as_deref(), Some("x y"));
        assert_eq!(Some(1.5f64).param_text().as_deref(), Some("1.5"));
        assert_eq!(None::<i64>.param_text(), None);
        assert_eq!(serde_json::json!("s").param_text().as_deref(), Some("s"));
        assert_eq!(serde_json::Value::Null.param_text(), None);
    }
}
