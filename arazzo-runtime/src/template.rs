//! Text payload templates whose substitutions are escaped for the body's syntax: a form
//! body's values percent-encoded, an XML body's values escaped as character data, so that a
//! value can never add a field or markup. (A JSON payload template is parsed by the compiler
//! and built as a JSON value instead; a `text/plain` one is sent with its values as they
//! are, see [`crate::concat`].)

use std::borrow::Cow;

use crate::error::ErrorKind;
use crate::param::ParamValue;

/// How the substituted values of a template are escaped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escape {
    /// Percent-encoded as an `application/x-www-form-urlencoded` value (a space as `+`):
    /// `&`, `=` and `%` in a value cannot start another field.
    Form,
    /// Escaped as XML text: `<`, `>`, `&`, quotes, TAB, LF and CR as entities or character
    /// references, so a value means the same in an element or an attribute. A character XML
    /// 1.0 cannot carry (other control characters) is refused.
    Xml,
}

/// One piece of a template: literal text, sent as written, or a value, escaped.
#[derive(Clone, Copy)]
pub enum Piece<'a> {
    /// Literal text of the template.
    Lit(&'static str),
    /// A substituted value (`None` adds nothing).
    Value(&'a dyn ParamValue),
}

impl std::fmt::Debug for Piece<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A value may be a secret: only its place is shown.
        match self {
            Piece::Lit(text) => f.debug_tuple("Lit").field(text).finish(),
            Piece::Value(_) => f.write_str("Value(..)"),
        }
    }
}

/// The text of a template whose values are escaped by `escape`. A value that cannot be
/// written (a character XML cannot carry) is an [`ErrorKind::InvalidPayload`] naming the
/// character's code point, never the value.
///
/// ```
/// use arazzo_runtime::{Escape, Piece, escaped};
/// let name = "a&admin=true";
/// let form = escaped(Escape::Form, &[Piece::Lit("name="), Piece::Value(&name)]);
/// assert_eq!(form.ok().as_deref(), Some("name=a%26admin%3Dtrue"));
/// let name = "</name><admin>true</admin>";
/// let xml = escaped(Escape::Xml, &[Piece::Lit("<name>"), Piece::Value(&name), Piece::Lit("</name>")]);
/// assert_eq!(
///     xml.ok().as_deref(),
///     Some("<name>&lt;/name&gt;&lt;admin&gt;true&lt;/admin&gt;</name>")
/// );
/// ```
pub fn escaped(escape: Escape, pieces: &[Piece<'_>]) -> Result<String, ErrorKind> {
    let mut text = String::new();
    for piece in pieces {
        match piece {
            Piece::Lit(lit) => text.push_str(lit),
            Piece::Value(value) => {
                let Some(value) = value.param_text() else {
                    continue;
                };
                match escape {
                    Escape::Form => {
                        text.extend(form_urlencoded::byte_serialize(value.as_bytes()));
                    }
                    Escape::Xml => {
                        let value =
                            crate::xml::escape(Cow::Borrowed(&value), true).map_err(|reason| {
                                ErrorKind::InvalidPayload {
                                    pointer: String::new(),
                                    reason: format!(
                                        "a value substituted in the XML template: {reason}"
                                    ),
                                }
                            })?;
                        text.push_str(&value);
                    }
                }
            }
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_cannot_add_fields() {
        let hostile = "a&admin=true %+é";
        let none: Option<&str> = None;
        let text = escaped(
            Escape::Form,
            &[
                Piece::Lit("name="),
                Piece::Value(&hostile),
                Piece::Lit("&n="),
                Piece::Value(&7i64),
                Piece::Lit("&x="),
                Piece::Value(&none),
            ],
        )
        .expect("encodes");
        assert_eq!(text, "name=a%26admin%3Dtrue+%25%2B%C3%A9&n=7&x=");
    }

    #[test]
    fn xml_values_cannot_add_markup_and_control_characters_are_refused() {
        let hostile = "</name><admin a=\"1\">'&'</admin>\t\r\n";
        let text = escaped(Escape::Xml, &[Piece::Value(&hostile)]).expect("escapes");
        assert_eq!(
            text,
            "&lt;/name&gt;&lt;admin a=&quot;1&quot;&gt;&apos;&amp;&apos;&lt;/admin&gt;&#9;&#13;&#10;"
        );
        let err = escaped(Escape::Xml, &[Piece::Value(&"a\u{1}b")]).expect_err("U+0001");
        assert_eq!(
            err.to_string(),
            "cannot write the request payload: a value substituted in the XML template: the text holds the character U+0001, which XML 1.0 cannot carry"
        );
        assert!(format!("{:?}", Piece::Value(&"secret")).ends_with("(..)"));
    }
}
