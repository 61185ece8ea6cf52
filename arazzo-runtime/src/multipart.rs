//! `multipart/form-data` request payloads: one part per field of the payload, each a text,
//! JSON or file part as the request body's schema and `encoding` object say.

use std::borrow::Cow;

use serde_json::Value;

use crate::error::ErrorKind;
use crate::spec::PartSpec;

/// One part of a multipart payload, ready to send.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// The field name (`Content-Disposition: form-data; name="…"`).
    pub(crate) name: String,
    /// The file name of a file part (the field name).
    pub(crate) file_name: Option<String>,
    /// The part's `Content-Type`, if it has one (a text part without one is `text/plain`).
    pub(crate) content_type: Option<Cow<'static, str>>,
    /// The part's content.
    pub(crate) bytes: Vec<u8>,
}

/// The parts of a `multipart/form-data` payload, filled in by generated code and handed to
/// [`crate::Request::multipart_body`].
///
/// A field is one part; an array is one part per item, under the same name (OpenAPI: an
/// array's parts follow the type of its items). A string, number or boolean is a text part;
/// an object a JSON part (`application/json`); a field the schema declares binary
/// (`format: binary`, `contentMediaType`) is a file part named after the field, from bytes
/// ([`Multipart::bytes`]) or from a string's UTF-8. `null` is left out. A field's
/// `encoding.contentType` sets its part's `Content-Type`.
///
/// ```
/// use arazzo_runtime::{Multipart, PartSpec};
/// static FIELDS: [PartSpec; 1] = [PartSpec { name: "file", file: true, content_type: None }];
/// let mut parts = Multipart::new(&FIELDS);
/// parts.value("title", &"Report".into()).expect("a text part");
/// parts.bytes("file", Some(&[0u8, 255]));
/// assert_eq!(parts.len(), 2);
/// ```
#[derive(Debug, Clone)]
pub struct Multipart {
    fields: &'static [PartSpec],
    parts: Vec<Part>,
}

impl Multipart {
    /// An empty payload whose declared fields are `fields`.
    pub fn new(fields: &'static [PartSpec]) -> Self {
        Multipart {
            fields,
            parts: Vec::new(),
        }
    }

    /// How many parts the payload has so far.
    pub fn len(&self) -> usize {
        self.parts.len()
    }

    /// Whether the payload has no part yet.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    pub(crate) fn into_parts(self) -> Vec<Part> {
        self.parts
    }

    fn field(&self, name: &str) -> Option<&'static PartSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Adds a file part `name` holding these bytes (nothing when `None`).
    pub fn bytes<B: AsRef<[u8]>>(&mut self, name: &str, bytes: Option<B>) {
        let Some(bytes) = bytes else { return };
        let spec = self.field(name);
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(name.to_owned()),
            content_type: Some(Cow::Borrowed(
                spec.and_then(|s| s.content_type)
                    .unwrap_or("application/octet-stream"),
            )),
            bytes: bytes.as_ref().to_vec(),
        });
    }

    /// Adds the part(s) of field `name` with this value (see [`Multipart`]).
    pub fn value(&mut self, name: &str, value: &Value) -> Result<(), ErrorKind> {
        let spec = self.field(name);
        let file = spec.is_some_and(|s| s.file);
        match value {
            Value::Null => Ok(()),
            // What `Vec<u8>` serializes to: the bytes of one file.
            Value::Array(items) if file && is_bytes(items) => {
                let bytes: Vec<u8> = items
                    .iter()
                    .filter_map(Value::as_u64)
                    .filter_map(|b| u8::try_from(b).ok())
                    .collect();
                self.bytes(name, Some(bytes));
                Ok(())
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if matches!(item, Value::Array(_)) && !(file && is_bytes_value(item)) {
                        return Err(ErrorKind::InvalidPayload {
                            pointer: format!("/{}/{index}", escape_token(name)),
                            reason: "a multipart field's array items are parts; an array inside one cannot be a part".to_owned(),
                        });
                    }
                    self.value(name, item)?;
                }
                Ok(())
            }
            Value::String(text) if file => {
                self.bytes(name, Some(text.as_bytes()));
                Ok(())
            }
            Value::Object(_) if file => Err(ErrorKind::InvalidPayload {
                pointer: format!("/{}", escape_token(name)),
                reason: "the schema says this field is a file (binary); an object cannot be one"
                    .to_owned(),
            }),
            Value::Number(_) | Value::Bool(_) if file => Err(ErrorKind::InvalidPayload {
                pointer: format!("/{}", escape_token(name)),
                reason: format!(
                    "the schema says this field is a file (binary); {} cannot be one",
                    if value.is_number() {
                        "a number"
                    } else {
                        "a boolean"
                    }
                ),
            }),
            Value::Object(_) => {
                let bytes = serde_json::to_vec(value).map_err(ErrorKind::Encode)?;
                self.parts.push(Part {
                    name: name.to_owned(),
                    file_name: None,
                    content_type: Some(Cow::Borrowed(
                        spec.and_then(|s| s.content_type)
                            .unwrap_or("application/json"),
                    )),
                    bytes,
                });
                Ok(())
            }
            scalar => {
                let text = match scalar {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.parts.push(Part {
                    name: name.to_owned(),
                    file_name: None,
                    content_type: spec.and_then(|s| s.content_type).map(Cow::Borrowed),
                    bytes: text.into_bytes(),
                });
                Ok(())
            }
        }
    }

    /// Adds one part per member of an object payload (a payload given as one expression).
    pub fn object(&mut self, value: &Value) -> Result<(), ErrorKind> {
        let Value::Object(members) = value else {
            return Err(ErrorKind::InvalidPayload {
                pointer: String::new(),
                reason: "a multipart payload must be an object of field names to values".to_owned(),
            });
        };
        for (name, value) in members {
            self.value(name, value)?;
        }
        Ok(())
    }
}

/// Whether every item is an integer 0–255 (and there is at least one): a `Vec<u8>`.
fn is_bytes(items: &[Value]) -> bool {
    !items.is_empty()
        && items
            .iter()
            .all(|i| i.as_u64().is_some_and(|b| b <= u64::from(u8::MAX)))
}

fn is_bytes_value(value: &Value) -> bool {
    matches!(value, Value::Array(items) if is_bytes(items))
}

/// A JSON pointer token for a field name.
fn escape_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static FIELDS: [PartSpec; 3] = [
        PartSpec {
            name: "photo",
            file: true,
            content_type: Some("image/png"),
        },
        PartSpec {
            name: "docs",
            file: true,
            content_type: None,
        },
        PartSpec {
            name: "meta",
            file: false,
            content_type: Some("application/vnd.meta+json"),
        },
    ];

    /// (name, file name, content type, bytes).
    type Summary = (String, Option<String>, Option<String>, Vec<u8>);

    fn summary(parts: &Multipart) -> Vec<Summary> {
        parts
            .parts
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.file_name.clone(),
                    p.content_type.as_deref().map(str::to_owned),
                    p.bytes.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn fields_become_text_json_and_file_parts() {
        let mut parts = Multipart::new(&FIELDS);
        parts
            .object(&json!({
                "title": "T", "n": 3, "ok": true, "gone": null,
                "tags": ["a", 1], "meta": {"k": 1}, "other": {"x": [1]},
                "photo": [0, 255], "docs": ["one", [1, 2]]
            }))
            .expect("parts");
        let s = |t: &str| Some(t.to_owned());
        assert_eq!(
            summary(&parts),
            vec![
                ("title".into(), None, None, b"T".to_vec()),
                ("n".into(), None, None, b"3".to_vec()),
                ("ok".into(), None, None, b"true".to_vec()),
                ("tags".into(), None, None, b"a".to_vec()),
                ("tags".into(), None, None, b"1".to_vec()),
                (
                    "meta".into(),
                    None,
                    s("application/vnd.meta+json"),
                    br#"{"k":1}"#.to_vec()
                ),
                (
                    "other".into(),
                    None,
                    s("application/json"),
                    br#"{"x":[1]}"#.to_vec()
                ),
                ("photo".into(), s("photo"), s("image/png"), vec![0, 255]),
                (
                    "docs".into(),
                    s("docs"),
                    s("application/octet-stream"),
                    b"one".to_vec()
                ),
                (
                    "docs".into(),
                    s("docs"),
                    s("application/octet-stream"),
                    vec![1, 2]
                ),
            ]
        );
    }

    #[test]
    fn what_cannot_be_a_part_is_an_error_without_the_value() {
        for (value, at) in [
            (json!({"photo": {"s3cret": 1}}), "/photo"),
            (json!({"photo": 5}), "/photo"),
            (json!({"list": [["s3cret"]]}), "/list/0"),
            (json!("s3cret"), ""),
        ] {
            let mut parts = Multipart::new(&FIELDS);
            match parts.object(&value) {
                Err(ErrorKind::InvalidPayload { pointer, reason }) => {
                    assert_eq!(pointer, at);
                    assert!(!reason.contains("s3cret"));
                }
                other => panic!("{value}: {other:?}"),
            }
        }
    }
}
