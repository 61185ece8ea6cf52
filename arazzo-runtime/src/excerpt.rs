//! The short, redacted excerpt of a response body that an error shows.
//!
//! A JSON body is re-written as it is read, with the values of secret-looking members
//! (`password`, `token`, `secret`, `key`, …) replaced by `"***"`, and reading stops as soon as
//! the excerpt is long enough: its memory is that of the excerpt, whatever the size or shape of
//! the body (an 8 MiB `[0,0,…]` used to cost some 600 MB through a copy of its parsed tree).
//! Then every form in which the run's secrets may appear (see `Run::secrets`) is masked.

use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The length of an excerpt, in characters.
const MAX: usize = 200;

/// A single-line excerpt of `body` of at most [`MAX`] characters (then `…`), redacted.
pub(crate) fn excerpt(body: &[u8], secrets: &[String]) -> String {
    if body.is_empty() {
        return String::new();
    }
    // Read past the cut by the longest secret, so that one the cut would halve is still
    // masked whole first.
    let longest = secrets.iter().map(String::len).max().unwrap_or(0);
    let window = MAX.saturating_add(longest).saturating_mul(4);
    let mut text = redacted_json(body, window).unwrap_or_else(|| {
        let end = body.len().min(window);
        String::from_utf8_lossy(&body[..end]).into_owned()
    });
    for secret in secrets {
        if !secret.is_empty() {
            text = text.replace(secret.as_str(), "***");
        }
    }
    let mut out: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX)
        .collect();
    if text.chars().count() > MAX || text.len() >= window {
        out.push('…');
    }
    out
}

/// Whether a JSON member name looks like it holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "api-key",
        "authorization",
        "credential",
        "private_key",
        "session",
        "cookie",
    ]
    .iter()
    .any(|s| name.contains(s))
        || name == "key"
}

/// `body` re-written as compact JSON with secret-looking members redacted, up to about
/// `limit` bytes; `None` when it is not JSON (as far as it was read).
fn redacted_json(body: &[u8], limit: usize) -> Option<String> {
    let full = Cell::new(false);
    let mut out = String::new();
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let writer = Writer {
        out: &mut out,
        limit,
        full: &full,
        secret: false,
    };
    match writer.deserialize(&mut deserializer) {
        Ok(()) if deserializer.end().is_ok() => Some(out),
        // Reading stopped because the excerpt was long enough: what was written is JSON so far.
        Err(_) if full.get() => Some(out),
        _ => None,
    }
}

/// Writes the value it reads into `out`; stops (with an error) once `out` passed `limit`.
struct Writer<'o> {
    out: &'o mut String,
    limit: usize,
    full: &'o Cell<bool>,
    /// The value is a secret-looking member's: written as `"***"` (`null` stays `null`).
    secret: bool,
}

impl Writer<'_> {
    fn push<E: serde::de::Error>(&mut self, text: &str) -> Result<(), E> {
        self.out.push_str(text);
        if self.out.len() > self.limit {
            self.full.set(true);
            return Err(E::custom("the excerpt is long enough"));
        }
        Ok(())
    }

    fn scalar<E: serde::de::Error>(&mut self, text: &str) -> Result<(), E> {
        if self.secret {
            self.push("\"***\"")
        } else {
            self.push(text)
        }
    }

    fn nested(&mut self, secret: bool) -> Writer<'_> {
        Writer {
            out: self.out,
            limit: self.limit,
            full: self.full,
            secret,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Writer<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Writer<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.push("null")
    }

    fn visit_bool<E: serde::de::Error>(mut self, v: bool) -> Result<(), E> {
        self.scalar(if v { "true" } else { "false" })
    }

    fn visit_i64<E: serde::de::Error>(mut self, v: i64) -> Result<(), E> {
        self.scalar(&v.to_string())
    }

    fn visit_u64<E: serde::de::Error>(mut self, v: u64) -> Result<(), E> {
        self.scalar(&v.to_string())
    }

    fn visit_f64<E: serde::de::Error>(mut self, v: f64) -> Result<(), E> {
        let text =
            serde_json::Number::from_f64(v).map_or_else(|| "null".to_owned(), |n| n.to_string());
        self.scalar(&text)
    }

    fn visit_str<E: serde::de::Error>(mut self, v: &str) -> Result<(), E> {
        let text = serde_json::to_string(v).map_err(E::custom)?;
        self.scalar(&text)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        if self.secret {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            return self.push("\"***\"");
        }
        self.push("[")?;
        let mut first = true;
        loop {
            if !first {
                // Written before the item is known to exist; taken back at the end.
                self.push(",")?;
            }
            if seq.next_element_seed(self.nested(false))?.is_none() {
                if !first {
                    self.out.pop();
                }
                break;
            }
            first = false;
        }
        self.push("]")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        if self.secret {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            return self.push("\"***\"");
        }
        self.push("{")?;
        let mut first = true;
        while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !first {
                self.push(",")?;
            }
            first = false;
            let key = serde_json::to_string(name.as_ref()).map_err(serde::de::Error::custom)?;
            self.push(&key)?;
            self.push(":")?;
            map.next_value_seed(self.nested(is_secret_name(&name)))?;
        }
        self.push("}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(body: &str) -> String {
        excerpt(body.as_bytes(), &[])
    }

    #[test]
    fn secret_looking_members_are_redacted_at_any_depth() {
        assert_eq!(
            shown(
                r#"{"key": "k-1", "monkey": "m", "items": [{"apiKey": "a", "Session_Id": ["s"]}],
                   "token": null, "name": "n", "secret": {"a": 1}}"#
            ),
            r#"{"key":"***","monkey":"m","items":[{"apiKey":"***","Session_Id":"***"}],"token":null,"name":"n","secret":"***"}"#
        );
    }

    #[test]
    fn long_bodies_are_cut_without_reading_them_whole() {
        let body = format!("[{}0]", "0,".repeat(4_000_000));
        let text = excerpt(body.as_bytes(), &[]);
        assert_eq!(text.chars().count(), MAX + 1);
        assert!(text.starts_with("[0,0,0") && text.ends_with('…'), "{text}");
        assert_eq!(shown("[]"), "[]");
        assert_eq!(shown("[1, [2, {}], \"x\"]"), r#"[1,[2,{}],"x"]"#);
    }

    #[test]
    fn every_form_of_a_secret_is_masked() {
        let secrets = ["pa\"ss\\word".to_owned(), "pa\\\"ss\\\\word".to_owned()];
        let text = excerpt(br#"{"echo": "pa\"ss\\word"}"#, &secrets);
        assert_eq!(text, r#"{"echo":"***"}"#);
        // A secret the cut would halve is masked whole before the cut.
        let body = format!("{}hunter2-hunter2", "x".repeat(195));
        let text = excerpt(body.as_bytes(), &["hunter2-hunter2".to_owned()]);
        assert!(!text.contains("hunt"), "{text}");
    }

    #[test]
    fn text_that_is_not_json_is_shown_as_text() {
        assert_eq!(shown("<html>\nerror</html>"), "<html> error</html>");
        assert_eq!(shown(r#"{"a": 1} trailing"#), r#"{"a": 1} trailing"#);
    }
}
