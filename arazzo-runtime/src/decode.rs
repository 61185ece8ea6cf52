//! Typed response decoding: a step that reads its body only through typed JSON pointers gets
//! a small struct generated for exactly those pointers, decoded straight from the bytes (no
//! `serde_json::Value` tree; members it does not read are skipped).
//!
//! The generated struct nests one level per pointer token. Its leaves are [`Lenient<T>`]: the
//! JSON value at the pointer, kept as sent, so a criterion compares what the server sent (a
//! numeric string compares as a number) and an output converts it to `T` when it reads it,
//! failing at the exact member. Decoding a body therefore fails only when it is not JSON.
//! Levels in between use [`lenient_object`]: a member that is absent, `null` or not an object
//! leaves everything below it absent, exactly as a JSON pointer that reaches nothing; so does a
//! body that is not an object.
//!
//! Compile time matters here as much as run time: this is generic code instantiated for every
//! step of every user's workflow, so each body struct costs one `Deserialize` (the root is
//! checked for `{` instead of decoded leniently) and path tracking happens only per leaf type.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use crate::criteria::Operand;
use crate::error::ErrorKind;

/// A leaf of a typed body: the JSON value at one pointer (if any), converted to `T` only when an
/// output reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Lenient<T> {
    value: Option<serde_json::Value>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient {
            value: None,
            ty: PhantomData,
        }
    }
}

impl<'de, T> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Lenient {
            value: Some(serde_json::Value::deserialize(deserializer)?),
            ty: PhantomData,
        })
    }
}

impl<T: DeserializeOwned> Lenient<T> {
    /// The value as a criteria operand ([`Operand::Missing`] when absent).
    pub fn operand(&self) -> Operand<'_> {
        Operand::from_json(self.value.as_ref())
    }

    /// The value as `T`: absent or `null` is [`ErrorKind::MissingValue`] unless `T` accepts
    /// `null`; a value of another type is [`ErrorKind::Decode`] naming the exact member.
    pub fn get(self, pointer: &'static str) -> Result<T, ErrorKind> {
        let value = self.value.unwrap_or(serde_json::Value::Null);
        if value.is_null() {
            return T::deserialize(value).map_err(|_| ErrorKind::MissingValue { pointer });
        }
        // Path tracking allocates only for the members of objects inside the value.
        serde_path_to_error::deserialize(value).map_err(|error| decode_error(pointer, error))
    }
}

/// The typed body of a step whose criteria read it: decoded before the criteria, which must
/// see a body that is not JSON as values that are absent; the outputs, read after the criteria
/// passed, then report why ([`View::into_body`]).
#[derive(Debug)]
pub struct View<T> {
    body: T,
    error: Option<ErrorKind>,
}

impl<T: DeserializeOwned + Default> View<T> {
    pub(crate) fn of(bytes: &[u8]) -> Self {
        match decode_body(bytes) {
            Ok(body) => View { body, error: None },
            Err(error) => View {
                body: T::default(),
                error: Some(error),
            },
        }
    }

    /// The decoded body, or why the body could not be decoded.
    pub fn into_body(self) -> Result<T, ErrorKind> {
        match self.error {
            None => Ok(self.body),
            Some(error) => Err(error),
        }
    }
}

impl<T> std::ops::Deref for View<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// `deserialize_with` for the levels between a typed body's root and its leaves: an object
/// decodes into `T`; anything else (a string, an array, `null`) gives `T::default()`, whose
/// leaves are all absent.
pub fn lenient_object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    struct ObjectOrDefault<T>(PhantomData<T>);

    impl<'de, T: Deserialize<'de> + Default> Visitor<'de> for ObjectOrDefault<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(T::default())
        }

        fn visit_bool<E>(self, _: bool) -> Result<T, E> {
            Ok(T::default())
        }

        fn visit_i64<E>(self, _: i64) -> Result<T, E> {
            Ok(T::default())
        }

        fn visit_u64<E>(self, _: u64) -> Result<T, E> {
            Ok(T::default())
        }

        fn visit_f64<E>(self, _: f64) -> Result<T, E> {
            Ok(T::default())
        }

        fn visit_str<E>(self, _: &str) -> Result<T, E> {
            Ok(T::default())
        }

        fn visit_unit<E>(self) -> Result<T, E> {
            Ok(T::default())
        }

        fn visit_none<E>(self) -> Result<T, E> {
            Ok(T::default())
        }
    }

    deserializer.deserialize_any(ObjectOrDefault(PhantomData))
}

/// Decodes a whole body into a generated struct: one that is not JSON is
/// [`ErrorKind::BodyNotJson`]; one that is JSON but not an object reads as absent values.
pub(crate) fn decode_body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, ErrorKind> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        // Leaves keep JSON values and levels are lenient: only a duplicate member can fail
        // here besides the syntax.
        return serde_json::from_slice(bytes).map_err(|error| {
            if error.is_data() {
                ErrorKind::Decode {
                    pointer: String::new(),
                    source: error,
                }
            } else {
                ErrorKind::BodyNotJson(error)
            }
        });
    }
    match serde_json::from_slice::<IgnoredAny>(bytes) {
        Ok(_) => Ok(T::default()),
        Err(error) => Err(ErrorKind::BodyNotJson(error)),
    }
}

/// [`ErrorKind::Decode`] at `pointer` followed by the path inside it where decoding failed.
pub(crate) fn decode_error(
    pointer: &str,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> ErrorKind {
    let mut at = pointer.to_owned();
    for segment in error.path().iter() {
        at.push('/');
        match segment {
            serde_path_to_error::Segment::Seq { index } => at.push_str(&index.to_string()),
            serde_path_to_error::Segment::Map { key } => {
                at.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            serde_path_to_error::Segment::Enum { variant } => at.push_str(variant),
            serde_path_to_error::Segment::Unknown => at.push('?'),
        }
    }
    ErrorKind::Decode {
        pointer: at,
        source: error.into_inner(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Body {
        status: Lenient<i64>,
        #[serde(deserialize_with = "lenient_object")]
        data: Data,
    }

    type Values = std::collections::BTreeMap<String, std::collections::BTreeMap<String, f64>>;

    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Data {
        values: Lenient<Values>,
        note: Lenient<Option<String>>,
    }

    #[test]
    fn reads_the_pointers_and_skips_the_rest() {
        let body: Body = decode_body(
            br#"{"status": 1, "other": [1, {"x": 2}], "data": {"series": ["a"], "values": {"e": {"d": 1.5}}}}"#,
        )
        .expect("decodes");
        assert_eq!(body.status.get("/status").ok(), Some(1));
        let values = body.data.values.get("/data/values").expect("present");
        assert_eq!(values["e"]["d"], 1.5);
        assert_eq!(body.data.note.get("/data/note").ok(), Some(None));
    }

    #[test]
    fn absent_null_and_non_object_levels_are_missing() {
        for text in [
            "{}",
            r#"{"status": null, "data": null}"#,
            r#"{"data": "text"}"#,
            r#"{"data": [1, 2]}"#,
            "[1]",
            "7",
        ] {
            let body: Body = decode_body(text.as_bytes()).expect(text);
            assert!(
                matches!(
                    body.status.get("/status"),
                    Err(ErrorKind::MissingValue { pointer: "/status" })
                ),
                "{text}"
            );
            assert!(
                matches!(
                    body.data.values.get("/data/values"),
                    Err(ErrorKind::MissingValue { .. })
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn a_wrong_type_names_the_exact_member() {
        let body: Body =
            decode_body(br#"{"data": {"values": {"e": {"d": "many"}}}}"#).expect("JSON");
        match body
            .data
            .values
            .get("/data/values")
            .expect_err("string for f64")
        {
            ErrorKind::Decode { pointer, source } => {
                assert_eq!(pointer, "/data/values/e/d");
                assert!(source.to_string().contains("expected f64"), "{source}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_json_is_body_not_json() {
        for text in ["<html>", "", r#"{"status": 1} trailing"#, "[1, 2"] {
            assert!(
                matches!(
                    decode_body::<Body>(text.as_bytes()),
                    Err(ErrorKind::BodyNotJson(_))
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn lenient_leaves_keep_what_was_sent() {
        #[derive(Default, Deserialize)]
        #[serde(default)]
        struct View {
            count: Lenient<i64>,
            name: Lenient<Option<String>>,
        }
        let view: View = decode_body(br#"{"count": "5"}"#).expect("decodes");
        assert_eq!(view.count.operand(), Operand::Str("5".into()));
        assert_eq!(view.name.operand(), Operand::Missing);
        match view.count.get("/count") {
            Err(ErrorKind::Decode { pointer, .. }) => assert_eq!(pointer, "/count"),
            other => panic!("{other:?}"),
        }
        assert_eq!(view.name.get("/name").ok(), Some(None));
        let view: View = decode_body(br#"{"count": null}"#).expect("decodes");
        assert!(matches!(
            view.count.get("/count"),
            Err(ErrorKind::MissingValue { pointer: "/count" })
        ));
    }
}
