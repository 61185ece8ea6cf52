//! String enums of response schemas that keep a value their schema does not list: a server
//! that adds a value later must not fail a run after its request took effect.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// A generated response enum: one variant per value its schema lists, and `Other(String)`
/// for any other text, kept as the server sent it.
pub trait OpenEnum: Sized {
    /// The variant for `text` (`Other(text)` when the schema does not list it).
    fn from_text(text: &str) -> Self;
}

/// Deserializes an [`OpenEnum`] from a JSON string; any string is accepted.
pub fn deserialize_open<'de, E: OpenEnum, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<E, D::Error> {
    struct Text<E>(std::marker::PhantomData<E>);
    impl<E: OpenEnum> Visitor<'_> for Text<E> {
        type Value = E;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<Er: de::Error>(self, text: &str) -> Result<E, Er> {
            Ok(E::from_text(text))
        }
    }
    deserializer.deserialize_str(Text(std::marker::PhantomData))
}

/// The impls every generated response enum shares, from its `as_str` and [`OpenEnum`]:
/// `Serialize`/`Deserialize` as its text, `Display`, parameter value and criteria operand.
/// Generated code expands it as `rt::open_enum!(Name);`.
#[doc(hidden)]
#[macro_export]
macro_rules! open_enum {
    ($name:ident) => {
        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::deserialize_open(deserializer)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::ParamValue for $name {
            fn param_text(&self) -> ::std::option::Option<::std::borrow::Cow<'_, str>> {
                ::std::option::Option::Some(self.as_str().into())
            }
        }

        impl $crate::criteria::AsOperand for $name {
            fn as_operand(&self) -> $crate::criteria::Operand<'_> {
                $crate::criteria::Operand::Str(self.as_str().into())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum State {
        Open,
        Other(String),
    }

    impl OpenEnum for State {
        fn from_text(text: &str) -> Self {
            match text {
                "open" => State::Open,
                other => State::Other(other.to_owned()),
            }
        }
    }

    fn parse(json: &str) -> Result<State, serde_json::Error> {
        deserialize_open(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn listed_values_and_others() {
        assert_eq!(parse("\"open\"").ok(), Some(State::Open));
        assert_eq!(
            parse("\"archived\\u00e9\"").ok(),
            Some(State::Other("archivedé".to_owned()))
        );
        assert!(parse("3").is_err(), "a number is no value of a string enum");
    }
}
