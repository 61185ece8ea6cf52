//! Typed response decoding: a step that reads its body only through JSON pointers picks the
//! values at exactly those pointers from the bytes in one pass ([`Response::pick`]), skipping
//! every other member, so no `serde_json::Value` tree of the whole body is built; each value is
//! converted to its Rust type when an output reads it ([`Picked::get`]), failing at the exact
//! member.
//!
//! A picked value is kept as the JSON that was sent, so a criterion compares what the server
//! sent (a numeric string compares as a number, as Arazzo says) exactly as it would on the
//! tree. A pointer that reaches nothing (an absent member, `null` on the way, a string where an
//! object was expected, an index past the end) picks nothing, exactly as on the tree.
//!
//! The walker is not generic over the pointers or the types read, so a workflow's steps share
//! one compiled copy of it: generated code declares no struct and derives nothing per step,
//! which keeps the user's build fast.
//!
//! [`Response::pick`]: crate::Response::pick

use std::fmt;

use serde::de::{DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::criteria::Operand;
use crate::error::ErrorKind;
use crate::json::walk;

/// The most pointers one step may pick (the compiler reads the tree beyond that).
pub const MAX_PICKED: usize = 64;

/// The values at the JSON pointers a step reads, picked from its body.
#[derive(Debug)]
pub struct Picked<const N: usize> {
    values: [Option<Value>; N],
    /// Why the body could not be read (it is not JSON); reported by [`Picked::get`].
    error: Option<ErrorKind>,
}

impl<const N: usize> Picked<N> {
    /// Picks the values at `pointers` (pre-split tokens) from `bytes`.
    pub(crate) fn from_body(bytes: &[u8], pointers: &[&[&str]; N]) -> Self {
        let mut values = [const { None }; N];
        let wanted = if N >= 64 { u64::MAX } else { (1u64 << N) - 1 };
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        let picked = Level {
            pointers,
            depth: 0,
            wanted,
            values: &mut values,
        }
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
        match picked {
            Ok(()) => Picked {
                values,
                error: None,
            },
            Err(error) => Picked {
                values: [const { None }; N],
                error: Some(ErrorKind::BodyNotJson(error)),
            },
        }
    }

    /// The value at pointer `index` as a criteria operand ([`Operand::Missing`] when absent or
    /// when the body is not JSON).
    pub fn operand(&self, index: usize) -> Operand<'_> {
        Operand::from_json(self.values.get(index).and_then(Option::as_ref))
    }

    /// Takes the value at pointer `index` (written `pointer`) as `T`: absent or `null` is
    /// [`ErrorKind::MissingValue`] unless `T` accepts `null`; a value of another type is
    /// [`ErrorKind::Decode`] naming the exact member; a body that is not JSON is
    /// [`ErrorKind::BodyNotJson`].
    pub fn get<T: DeserializeOwned>(
        &mut self,
        index: usize,
        pointer: &'static str,
    ) -> Result<T, ErrorKind> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let value = self
            .values
            .get_mut(index)
            .and_then(Option::take)
            .unwrap_or(Value::Null);
        if value.is_null() {
            return T::deserialize(value).map_err(|_| ErrorKind::MissingValue { pointer });
        }
        // Path tracking allocates only for the members of objects inside the value.
        serde_path_to_error::deserialize(value).map_err(|error| decode_error(pointer, error))
    }
}

/// One level of the body: the pointers of `wanted` (a bit per pointer) match the path down to
/// here; the value of this level is read, and the pointers that end here get it.
struct Level<'p, 'v> {
    pointers: &'p [&'p [&'p str]],
    depth: usize,
    wanted: u64,
    values: &'v mut [Option<Value>],
}

impl Level<'_, '_> {
    /// The pointers of `wanted` whose token at this depth is `token`.
    fn matching(&self, token: &str) -> u64 {
        let mut matching = 0;
        for (i, pointer) in self.pointers.iter().enumerate() {
            if self.wanted & (1 << i) != 0 && pointer.get(self.depth) == Some(&token) {
                matching |= 1 << i;
            }
        }
        matching
    }

    /// Whether a pointer of `wanted` ends at this level.
    fn ends_here(&self) -> bool {
        self.pointers
            .iter()
            .enumerate()
            .any(|(i, p)| self.wanted & (1 << i) != 0 && p.len() == self.depth)
    }

    /// Gives `value` (this level's) to the pointers that end here, and what lies below it to
    /// those that go deeper.
    fn fill(self, value: Value) {
        for (i, pointer) in self.pointers.iter().enumerate() {
            if self.wanted & (1 << i) == 0 {
                continue;
            }
            let rest = pointer.get(self.depth..).unwrap_or_default();
            if let (Some(slot), Some(found)) = (self.values.get_mut(i), walk(&value, rest)) {
                *slot = Some(found.clone());
            }
        }
    }

    /// The level below, for the members or items matching `token`.
    fn below(&mut self, wanted: u64) -> Level<'_, '_> {
        Level {
            pointers: self.pointers,
            depth: self.depth + 1,
            wanted,
            values: self.values,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Level<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.wanted == 0 {
            IgnoredAny::deserialize(deserializer)?;
            return Ok(());
        }
        if self.ends_here() {
            // A pointer ends at this value: it is read whole (pointers below it walk it).
            let value = Value::deserialize(deserializer)?;
            self.fill(value);
            return Ok(());
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Level<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key<'de>>()? {
            let matching = self.matching(key.as_str());
            if matching == 0 {
                map.next_value::<IgnoredAny>()?;
            } else {
                map.next_value_seed(self.below(matching))?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        loop {
            let matching = self.matching_index(index);
            let more = if matching == 0 {
                seq.next_element::<IgnoredAny>()?.is_some()
            } else {
                seq.next_element_seed(self.below(matching))?.is_some()
            };
            if !more {
                return Ok(());
            }
            index += 1;
        }
    }

    // A scalar where an object or array was expected: the pointers below reach nothing.
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

impl Level<'_, '_> {
    /// The pointers of `wanted` whose token at this depth is the array index `index` (RFC 6901:
    /// decimal, no leading zeros).
    fn matching_index(&self, index: usize) -> u64 {
        let mut matching = 0;
        for (i, pointer) in self.pointers.iter().enumerate() {
            let Some(token) = pointer.get(self.depth) else {
                continue;
            };
            let canonical = !(token.len() > 1 && token.starts_with('0'));
            if self.wanted & (1 << i) != 0 && canonical && token.parse() == Ok(index) {
                matching |= 1 << i;
            }
        }
        matching
    }
}

/// An object member's name, borrowed from the body when it has no escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(key)))
            }

            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key.to_owned())))
            }

            fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// [`ErrorKind::Decode`] at `pointer` followed by the path inside it where decoding failed.
pub(crate) fn decode_error(
    pointer: &str,
    error: serde_path_to_error::Error<serde_json::Error>,
) -> ErrorKind {
    ErrorKind::Decode {
        pointer: format!("{pointer}{}", error_path(&error)),
        reason: error.into_inner().to_string(),
    }
}

/// Where `error` happened in the value being deserialized, as a JSON pointer (empty: the
/// value itself).
pub(crate) fn error_path(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let mut at = String::new();
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
    at
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    type Values = BTreeMap<String, BTreeMap<String, f64>>;

    const POINTERS: &[&[&str]; 4] = &[
        &["status"],
        &["data", "values"],
        &["data", "note"],
        &["items", "1", "id"],
    ];

    fn pick(text: &str) -> Picked<4> {
        Picked::from_body(text.as_bytes(), POINTERS)
    }

    #[test]
    fn picks_the_pointers_and_skips_the_rest() {
        let mut body = pick(
            r#"{"status": 1, "other": [1, {"x": 2}], "data": {"series": ["a"], "values": {"e": {"d": 1.5}}},
                "items": [{"id": "a"}, {"id": "b"}]}"#,
        );
        assert_eq!(body.get::<i64>(0, "/status").ok(), Some(1));
        let values: Values = body.get(1, "/data/values").expect("present");
        assert_eq!(values["e"]["d"], 1.5);
        assert_eq!(body.get::<Option<String>>(2, "/data/note").ok(), Some(None));
        assert_eq!(
            body.get::<String>(3, "/items/1/id").ok().as_deref(),
            Some("b")
        );
    }

    #[test]
    fn what_a_pointer_does_not_reach_is_missing() {
        for text in [
            "{}",
            r#"{"status": null, "data": null, "items": null}"#,
            r#"{"data": "text", "items": "text"}"#,
            r#"{"data": [1, 2], "items": [{"id": "a"}]}"#,
            r#"{"items": {"1": {"id": "not an array"}}}"#,
            "[1]",
            "7",
        ] {
            let mut body = pick(text);
            assert!(
                matches!(
                    body.get::<i64>(0, "/status"),
                    Err(ErrorKind::MissingValue { pointer: "/status" })
                ),
                "{text}"
            );
            assert!(
                matches!(
                    body.get::<Values>(1, "/data/values"),
                    Err(ErrorKind::MissingValue { .. })
                ),
                "{text}"
            );
            if !text.contains("not an array") {
                assert_eq!(body.operand(3), Operand::Missing, "{text}");
            }
        }
    }

    #[test]
    fn an_object_member_named_like_an_index_is_reached_as_on_the_tree() {
        // RFC 6901: "1" names a member of an object as well as an item of an array.
        let text = r#"{"items": {"1": {"id": "member"}}}"#;
        let tree: Value = serde_json::from_str(text).expect("json");
        assert_eq!(
            walk(&tree, &["items", "1", "id"]),
            Some(&Value::from("member"))
        );
        assert_eq!(
            pick(text).get::<String>(3, "/items/1/id").ok().as_deref(),
            Some("member")
        );
    }

    #[test]
    fn a_wrong_type_names_the_exact_member() {
        let mut body = pick(r#"{"data": {"values": {"e": {"d": "many"}}}}"#);
        match body
            .get::<Values>(1, "/data/values")
            .expect_err("string for f64")
        {
            ErrorKind::Decode { pointer, reason } => {
                assert_eq!(pointer, "/data/values/e/d");
                assert!(reason.contains("expected f64"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_json_is_body_not_json() {
        for text in ["<html>", "", r#"{"status": 1} trailing"#, "[1, 2"] {
            let mut body = pick(text);
            assert_eq!(body.operand(0), Operand::Missing);
            assert!(
                matches!(
                    body.get::<i64>(0, "/status"),
                    Err(ErrorKind::BodyNotJson(_))
                ),
                "{text:?}"
            );
        }
    }

    #[test]
    fn picked_values_keep_what_was_sent() {
        let mut body = pick(r#"{"status": "5"}"#);
        assert_eq!(body.operand(0), Operand::Str("5".into()));
        match body.get::<i64>(0, "/status") {
            Err(ErrorKind::Decode { pointer, .. }) => assert_eq!(pointer, "/status"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_whole_body_and_a_pointer_below_it() {
        let pointers: &[&[&str]; 2] = &[&[], &["a", "b"]];
        let mut body = Picked::from_body(br#"{"a": {"b": 3}}"#, pointers);
        assert_eq!(body.get::<i64>(1, "/a/b").ok(), Some(3));
        let whole: Value = body.get(0, "").expect("whole");
        assert_eq!(whole["a"]["b"], 3);
    }
}
