//! Turning typed Rust values into parameter strings.

use std::borrow::Cow;

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

/// A parameter value as a request keeps it: borrowed from the run's values (`&T`) where it
/// can be, owned when it was computed for the request (a template's text, a JSON value, a
/// default). `None` leaves the parameter out.
pub trait IntoParam<'a> {
    /// The parameter's text, or `None` to omit the parameter.
    fn into_param(self) -> Option<Cow<'a, str>>;
}

impl<'a, T: ParamValue + ?Sized> IntoParam<'a> for &'a T {
    fn into_param(self) -> Option<Cow<'a, str>> {
        T::param_text(self)
    }
}

impl<'a> IntoParam<'a> for String {
    fn into_param(self) -> Option<Cow<'a, str>> {
        Some(Cow::Owned(self))
    }
}

impl<'a> IntoParam<'a> for serde_json::Value {
    fn into_param(self) -> Option<Cow<'a, str>> {
        match self {
            serde_json::Value::String(text) => Some(Cow::Owned(text)),
            other => other.param_text().map(|text| Cow::Owned(text.into_owned())),
        }
    }
}

impl<'a, T: IntoParam<'a>> IntoParam<'a> for Option<T> {
    fn into_param(self) -> Option<Cow<'a, str>> {
        self.and_then(IntoParam::into_param)
    }
}

macro_rules! owned_param {
    ($($t:ty),*) => {$(
        impl<'a> IntoParam<'a> for $t {
            fn into_param(self) -> Option<Cow<'a, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}

owned_param!(i64, f64, bool, u16);

/// The owned text of any parameter value (a computed value of a generated enum, say).
pub fn owned<T: ParamValue + ?Sized>(value: &T) -> Option<String> {
    value.param_text().map(Cow::into_owned)
}

/// The text of a template: its parts' texts, one after the other (a part that is `None`
/// adds nothing).
///
/// ```
/// let id = Some(7i64);
/// assert_eq!(arazzo_runtime::concat(&[&"Bearer ", &"t-1", &" #", &id]), "Bearer t-1 #7");
/// ```
pub fn concat(parts: &[&dyn ParamValue]) -> String {
    let mut text = String::new();
    for part in parts {
        if let Some(part) = part.param_text() {
            text.push_str(&part);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

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
