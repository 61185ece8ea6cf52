//! XML request payloads: a JSON payload written as an XML document per the static
//! description ([`XmlNode`]) the compiler made from the request body's schema and its
//! OpenAPI `xml` objects.

use std::borrow::Cow;

use quick_xml::Writer;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesDecl, BytesStart, BytesText, Event};
use quick_xml::name::QName;
use serde_json::Value;

use crate::error::ErrorKind;
use crate::spec::{XmlNode, XmlProperty, XmlShape};

/// The XML document for `value`, whose root element `root` describes: an XML declaration,
/// then the root element. Text and attribute values are escaped; a value the schema cannot
/// express there (an object where it says string, a character XML 1.0 cannot carry) is an
/// [`ErrorKind::InvalidPayload`] naming the member, never its value.
pub(crate) fn to_xml(root: &XmlNode, value: &Value) -> Result<Vec<u8>, ErrorKind> {
    let mut out = Out {
        writer: Writer::new(Vec::new()),
        pointer: String::new(),
    };
    out.event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    match value {
        Value::Null => out.empty(root, &[])?,
        // The root is one element even when the schema's array is not wrapped.
        Value::Array(items) => match &root.shape {
            XmlShape::Array { items: item, .. } => out.wrapped(root, item, items)?,
            _ => out.element(root, value)?,
        },
        _ => out.element(root, value)?,
    }
    Ok(out.writer.into_inner())
}

/// The writer and the JSON pointer of the member being written (for errors).
struct Out {
    writer: Writer<Vec<u8>>,
    pointer: String,
}

impl Out {
    fn event(&mut self, event: Event<'_>) -> Result<(), ErrorKind> {
        // Writing into a `Vec` cannot fail; should it, the error says where.
        self.writer
            .write_event(event)
            .map_err(|e| self.invalid(format!("the XML writer failed: {e}")))
    }

    fn invalid(&self, reason: String) -> ErrorKind {
        ErrorKind::InvalidPayload {
            pointer: self.pointer.clone(),
            reason,
        }
    }

    /// Writes `value` as the element(s) `node` describes (nothing for `null`).
    fn element(&mut self, node: &XmlNode, value: &Value) -> Result<(), ErrorKind> {
        match (&node.shape, value) {
            (_, Value::Null) => Ok(()),
            (XmlShape::Array { wrapped, items }, Value::Array(values)) => {
                if *wrapped {
                    self.wrapped(node, items, values)
                } else {
                    self.each(items, values)
                }
            }
            (XmlShape::Array { .. }, other) => Err(self.invalid(format!(
                "the schema says array; {} cannot be written here",
                kind(other)
            ))),
            (XmlShape::Any, Value::Array(values)) => self.each(node, values),
            (XmlShape::Text, Value::Object(_) | Value::Array(_)) => Err(self.invalid(format!(
                "the schema says a single value (string, number or boolean); {} cannot be written as XML text",
                kind(value)
            ))),
            (XmlShape::Object(props), Value::Object(members)) => {
                self.object(node, props, members)
            }
            (XmlShape::Object(_), other) => Err(self.invalid(format!(
                "the schema says object; {} cannot be written here",
                kind(other)
            ))),
            (XmlShape::Any, Value::Object(members)) => self.object(node, &[], members),
            (XmlShape::Text | XmlShape::Any, scalar) => {
                let start = self.start(node, Vec::new())?;
                let end = start.to_end().into_owned();
                self.event(Event::Start(start))?;
                let text = self.text(scalar, false)?;
                self.event(Event::Text(BytesText::from_escaped(text)))?;
                self.event(Event::End(end))
            }
        }
    }

    /// Each item of an array as an element `items` describes.
    fn each(&mut self, items: &XmlNode, values: &[Value]) -> Result<(), ErrorKind> {
        for (index, value) in values.iter().enumerate() {
            let len = self.pointer.len();
            self.pointer.push_str(&format!("/{index}"));
            self.element(items, value)?;
            self.pointer.truncate(len);
        }
        Ok(())
    }

    /// An array inside the element `node` names.
    fn wrapped(
        &mut self,
        node: &XmlNode,
        items: &XmlNode,
        values: &[Value],
    ) -> Result<(), ErrorKind> {
        if values.is_empty() {
            return self.empty(node, &[]);
        }
        let start = self.start(node, Vec::new())?;
        let end = start.to_end().into_owned();
        self.event(Event::Start(start))?;
        self.each(items, values)?;
        self.event(Event::End(end))
    }

    /// An element with no content (`null`, an empty array or object).
    fn empty(&mut self, node: &XmlNode, attributes: &[(String, String)]) -> Result<(), ErrorKind> {
        let start = self.start(node, attributes.to_vec())?;
        self.event(Event::Empty(start))
    }

    /// An object: declared attribute properties as attributes, then declared element
    /// properties in schema order, then the members the schema does not declare.
    fn object(
        &mut self,
        node: &XmlNode,
        props: &[XmlProperty],
        members: &serde_json::Map<String, Value>,
    ) -> Result<(), ErrorKind> {
        let mut attributes: Vec<(String, String)> = Vec::new();
        for prop in props.iter().filter(|p| p.node.attribute) {
            let Some(value) = members.get(prop.key).filter(|v| !v.is_null()) else {
                continue;
            };
            let len = self.pointer.len();
            push_token(&mut self.pointer, prop.key);
            if matches!(value, Value::Object(_) | Value::Array(_)) {
                return Err(self.invalid(format!(
                    "an attribute holds a single value (string, number or boolean); {} cannot be written as one",
                    kind(value)
                )));
            }
            let text = self.text(value, true)?.into_owned();
            let name = self.qualified(&prop.node, true)?;
            if let (Some(ns), Some(prefix)) = (prop.node.namespace, prop.node.prefix) {
                let declaration = format!("xmlns:{prefix}");
                if !attributes.iter().any(|(n, _)| *n == declaration) && node.prefix != Some(prefix)
                {
                    attributes.push((declaration, attribute_text(ns, &self.pointer)?));
                }
            }
            self.pointer.truncate(len);
            attributes.push((name, text));
        }
        let declared = |key: &str| props.iter().any(|p| p.key == key);
        let children: Vec<(&XmlProperty, &Value)> = props
            .iter()
            .filter(|p| !p.node.attribute)
            .filter_map(|p| Some((p, members.get(p.key)?)))
            .filter(|(_, v)| !v.is_null())
            .collect();
        let undeclared: Vec<(&String, &Value)> = members
            .iter()
            .filter(|(k, v)| !declared(k) && !v.is_null())
            .collect();
        if children.is_empty() && undeclared.is_empty() {
            return self.empty(node, &attributes);
        }
        let start = self.start(node, attributes)?;
        let end = start.to_end().into_owned();
        self.event(Event::Start(start))?;
        for (prop, value) in children {
            let len = self.pointer.len();
            push_token(&mut self.pointer, prop.key);
            self.element(&prop.node, value)?;
            self.pointer.truncate(len);
        }
        for (key, value) in undeclared {
            let len = self.pointer.len();
            push_token(&mut self.pointer, key);
            self.any_member(key, value)?;
            self.pointer.truncate(len);
        }
        self.event(Event::End(end))
    }

    /// A member the schema does not declare: an element named by its key.
    fn any_member(&mut self, key: &str, value: &Value) -> Result<(), ErrorKind> {
        check_name(key).map_err(|reason| self.invalid(reason))?;
        let start = BytesStart::new(key.to_owned());
        match value {
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    let len = self.pointer.len();
                    self.pointer.push_str(&format!("/{index}"));
                    self.any_member(key, item)?;
                    self.pointer.truncate(len);
                }
                Ok(())
            }
            Value::Null => Ok(()),
            Value::Object(members) => {
                if members.values().all(Value::is_null) {
                    return self.event(Event::Empty(start));
                }
                let end = start.to_end().into_owned();
                self.event(Event::Start(start))?;
                for (k, v) in members {
                    let len = self.pointer.len();
                    push_token(&mut self.pointer, k);
                    self.any_member(k, v)?;
                    self.pointer.truncate(len);
                }
                self.event(Event::End(end))
            }
            scalar => {
                let end = start.to_end().into_owned();
                self.event(Event::Start(start))?;
                let text = self.text(scalar, false)?;
                self.event(Event::Text(BytesText::from_escaped(text)))?;
                self.event(Event::End(end))
            }
        }
    }

    /// The start tag of `node`'s element: its qualified name, its namespace declaration and
    /// `attributes` (already escaped).
    fn start(
        &self,
        node: &XmlNode,
        attributes: Vec<(String, String)>,
    ) -> Result<BytesStart<'static>, ErrorKind> {
        let mut start = BytesStart::new(self.qualified(node, false)?);
        if let Some(ns) = node.namespace {
            let key = match node.prefix {
                Some(prefix) => format!("xmlns:{prefix}"),
                None => "xmlns".to_owned(),
            };
            let value = attribute_text(ns, &self.pointer)?;
            start.push_attribute(Attribute {
                key: QName(&key),
                value: Cow::Owned(value),
            });
        }
        for (key, value) in &attributes {
            start.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Borrowed(value),
            });
        }
        Ok(start)
    }

    /// `prefix:name` or `name`, both checked to be XML names.
    fn qualified(&self, node: &XmlNode, attribute: bool) -> Result<String, ErrorKind> {
        let what = if attribute { "attribute" } else { "element" };
        check_name(node.name).map_err(|r| self.invalid(format!("{what} name: {r}")))?;
        match node.prefix {
            Some(prefix) => {
                check_name(prefix).map_err(|r| self.invalid(format!("`xml.prefix`: {r}")))?;
                Ok(format!("{prefix}:{}", node.name))
            }
            None => Ok(node.name.to_owned()),
        }
    }

    /// A scalar's text, escaped for an element (`attribute` false) or an attribute value.
    fn text<'v>(&self, value: &'v Value, attribute: bool) -> Result<Cow<'v, str>, ErrorKind> {
        let text: Cow<'v, str> = match value {
            Value::String(s) => Cow::Borrowed(s),
            Value::Number(n) => Cow::Owned(n.to_string()),
            Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
            Value::Null => Cow::Borrowed(""),
            other => {
                return Err(self.invalid(format!("{} is no single value", kind(other))));
            }
        };
        escape(text, attribute).map_err(|reason| self.invalid(reason))
    }
}

/// `text` escaped for XML: `<`, `>`, `&`, quotes and CR as entities (quick-xml), and in an
/// attribute also TAB and LF (which a parser would turn into spaces). A character XML 1.0
/// cannot carry at all (other control characters, U+FFFE, U+FFFF) is refused.
pub(crate) fn escape(text: Cow<'_, str>, attribute: bool) -> Result<Cow<'_, str>, String> {
    if let Some(c) = text.chars().find(|c| !allowed(*c)) {
        return Err(format!(
            "the text holds the character U+{:04X}, which XML 1.0 cannot carry",
            u32::from(c)
        ));
    }
    let escaped = quick_xml::escape::escape(text);
    if attribute && escaped.contains(['\t', '\n']) {
        return Ok(Cow::Owned(
            escaped.replace('\t', "&#9;").replace('\n', "&#10;"),
        ));
    }
    Ok(escaped)
}

/// An attribute value (a namespace URI) escaped.
fn attribute_text(text: &str, pointer: &str) -> Result<String, ErrorKind> {
    escape(Cow::Borrowed(text), true)
        .map(Cow::into_owned)
        .map_err(|reason| ErrorKind::InvalidPayload {
            pointer: pointer.to_owned(),
            reason: format!("`xml.namespace`: {reason}"),
        })
}

/// Whether XML 1.0 allows the character (its `Char` production).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Whether `name` is an XML name without a colon (XML 1.0's `NCName`, letters and digits as
/// Unicode defines them): the reason when it is not.
fn check_name(name: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err("an empty name is no XML name".to_owned());
    };
    let ok_first = first == '_' || first.is_alphabetic();
    let ok_rest = chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'));
    if ok_first && ok_rest {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is no XML name (it must start with a letter or `_` and hold only letters, digits, `_`, `-` and `.`)"
        ))
    }
}

/// Appends `/token` to a JSON pointer, escaped (`~0`, `~1`).
fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
}

/// What kind of JSON value this is, for messages (never the value itself: it may be secret).
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static PET: XmlNode = XmlNode {
        name: "Pet",
        prefix: None,
        namespace: None,
        attribute: false,
        shape: XmlShape::Object(&[
            XmlProperty {
                key: "id",
                node: XmlNode {
                    name: "id",
                    prefix: None,
                    namespace: None,
                    attribute: true,
                    shape: XmlShape::Text,
                },
            },
            XmlProperty {
                key: "name",
                node: XmlNode {
                    name: "name",
                    prefix: Some("p"),
                    namespace: Some("urn:p"),
                    attribute: false,
                    shape: XmlShape::Text,
                },
            },
            XmlProperty {
                key: "tags",
                node: XmlNode {
                    name: "tags",
                    prefix: None,
                    namespace: None,
                    attribute: false,
                    shape: XmlShape::Array {
                        wrapped: true,
                        items: &XmlNode {
                            name: "tag",
                            prefix: None,
                            namespace: None,
                            attribute: false,
                            shape: XmlShape::Text,
                        },
                    },
                },
            },
            XmlProperty {
                key: "photo",
                node: XmlNode {
                    name: "photo",
                    prefix: None,
                    namespace: None,
                    attribute: false,
                    shape: XmlShape::Array {
                        wrapped: false,
                        items: &XmlNode {
                            name: "photo",
                            prefix: None,
                            namespace: None,
                            attribute: false,
                            shape: XmlShape::Text,
                        },
                    },
                },
            },
        ]),
    };

    fn xml(value: serde_json::Value) -> Result<String, ErrorKind> {
        to_xml(&PET, &value).map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    #[test]
    fn attributes_namespaces_wrapped_and_bare_arrays() {
        let text = xml(json!({
            "name": "Rex", "id": 7, "photo": ["a.png", "b.png"], "tags": ["x", "y"], "extra": {"k": true}
        }))
        .expect("writes");
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Pet id=\"7\"><p:name xmlns:p=\"urn:p\">Rex</p:name>\
             <tags><tag>x</tag><tag>y</tag></tags><photo>a.png</photo><photo>b.png</photo>\
             <extra><k>true</k></extra></Pet>"
        );
    }

    #[test]
    fn text_and_attributes_are_escaped() {
        let text = xml(json!({"id": "a\"<&>'\t\n\r", "name": "<b>&\"'\r\n"})).expect("writes");
        assert!(
            text.contains(r#"<Pet id="a&quot;&lt;&amp;&gt;&apos;&#9;&#10;&#13;">"#),
            "{text}"
        );
        assert!(
            text.contains("<p:name xmlns:p=\"urn:p\">&lt;b&gt;&amp;&quot;&apos;&#13;\n</p:name>"),
            "{text}"
        );
    }

    #[test]
    fn what_the_schema_cannot_express_is_an_error_without_the_value() {
        let cases = [
            (json!({"name": {"first": "s3cret"}}), "/name"),
            (json!({"id": ["s3cret"]}), "/id"),
            (json!({"tags": "s3cret"}), "/tags"),
            (json!({"tags": ["ok", {"a": "s3cret"}]}), "/tags/1"),
            (json!({"name": "bell\u{7}s3cret"}), "/name"),
            (json!({"bad name": "s3cret"}), "/bad name"),
            (json!("s3cret"), ""),
        ];
        for (value, at) in cases {
            match xml(value.clone()) {
                Err(ErrorKind::InvalidPayload { pointer, reason }) => {
                    assert_eq!(pointer, at, "{value}");
                    assert!(!reason.contains("s3cret"), "{reason}");
                }
                other => panic!("{value}: {other:?}"),
            }
        }
    }

    #[test]
    fn null_members_are_left_out() {
        assert_eq!(
            xml(json!({"id": null, "name": null})).expect("writes"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Pet/>"
        );
    }
}
