//! XPath targets of payload replacements in XML payloads (Arazzo 1.1: a `target` is XPath
//! when `targetSelectorType` says so, or when it is left out and the payload is XML).
//!
//! An XML payload is written from a JSON value, as the request body schema's `xml` objects
//! describe ([`ir::XmlNode`]), so a replacement is made in that value before it is written. A
//! target is therefore an absolute location path this compiler can follow through the
//! description to one member of the value, at compile time: element names from the root
//! (`/Envelope/Header/CustomerId`, with the prefix when the schema gives one), a 1-based
//! position to pick one of a repeated element (`/Order/Line[2]/Qty`), and an attribute as the
//! last step (`/Order/@id`). Any other XPath (`//`, axes, other predicates, functions) selects
//! nodes a value-level replacement cannot name, and is a located error.

use crate::ir::{XmlNode, XmlShape};

/// One step of a target: an element or attribute name, and its position among repeated
/// elements.
#[derive(Debug, PartialEq, Eq)]
struct Step<'t> {
    name: &'t str,
    attribute: bool,
    position: Option<usize>,
}

/// The JSON pointer tokens, in the payload value, of the node `target` names in the XML
/// document `root` describes; the message of why not otherwise.
pub(super) fn pointer(root: &XmlNode, target: &str) -> Result<Vec<String>, String> {
    let steps = parse(target)?;
    let Some((first, rest)) = steps.split_first() else {
        return Err(format!("XPath target `{target}` names no element"));
    };
    if first.attribute || !names(root, first.name) {
        return Err(format!(
            "XPath target `{target}` starts at `{}`, but the payload's root element is `{}`",
            first.name,
            qualified(root)
        ));
    }
    let mut tokens = Vec::new();
    let mut node = root;
    // The root element of an unwrapped array payload is one of its items.
    if let (XmlShape::Array { items, .. }, Some(position)) = (&root.shape, first.position) {
        tokens.push((position - 1).to_string());
        node = items;
    } else if first.position.is_some_and(|p| p != 1) {
        return Err(format!(
            "XPath target `{target}`: the document has one root element, `{}`",
            qualified(root)
        ));
    }
    let mut steps = rest.iter().peekable();
    while let Some(step) = steps.next() {
        let here = &node.name;
        node = match &node.shape {
            XmlShape::Object(properties) => {
                let Some((key, child)) = properties.iter().find(|(_, child)| {
                    child.attribute == step.attribute && names(element(child), step.name)
                }) else {
                    let declared: Vec<String> = properties
                        .iter()
                        .map(|(_, child)| match child.attribute {
                            true => format!("`@{}`", qualified(child)),
                            false => format!("`{}`", qualified(element(child))),
                        })
                        .collect();
                    return Err(format!(
                        "XPath target `{target}`: `{here}` has no {} `{}` in the request body schema (it declares {})",
                        if step.attribute {
                            "attribute"
                        } else {
                            "element"
                        },
                        step.name,
                        if declared.is_empty() {
                            "none".to_owned()
                        } else {
                            declared.join(", ")
                        }
                    ));
                };
                tokens.push(key.clone());
                match &child.shape {
                    // Unwrapped: the step names the repeated item element itself.
                    XmlShape::Array {
                        wrapped: false,
                        items,
                    } => {
                        tokens.push(item(target, step)?);
                        items
                    }
                    _ if step.position.is_some_and(|p| p != 1) => {
                        return Err(format!(
                            "XPath target `{target}`: `{}` is not repeated, so `[{}]` selects nothing",
                            step.name,
                            step.position.unwrap_or_default()
                        ));
                    }
                    _ => child,
                }
            }
            // Wrapped: the step names an item inside the wrapper element.
            XmlShape::Array { items, .. } if !step.attribute && names(items, step.name) => {
                tokens.push(item(target, step)?);
                items
            }
            XmlShape::Array { items, .. } => {
                return Err(format!(
                    "XPath target `{target}`: the items of `{here}` are `{}` elements",
                    qualified(items)
                ));
            }
            XmlShape::Any => {
                // No schema: members are elements named by their keys.
                tokens.push(step.name.to_owned());
                node
            }
            XmlShape::Text => {
                return Err(format!(
                    "XPath target `{target}`: `{here}` holds text, so it has no `{}`",
                    step.name
                ));
            }
        };
        if step.attribute && steps.peek().is_some() {
            return Err(format!(
                "XPath target `{target}`: an attribute has no children; `@{}` must be the last step",
                step.name
            ));
        }
    }
    if tokens.is_empty() {
        return Err(format!(
            "XPath target `{target}` names the root element; a replacement must be inside the payload"
        ));
    }
    Ok(tokens)
}

/// The node whose name a property's elements have: an unwrapped array's items (they stand
/// directly in the parent), else the property's own.
fn element(node: &XmlNode) -> &XmlNode {
    match &node.shape {
        XmlShape::Array {
            wrapped: false,
            items,
        } => items,
        _ => node,
    }
}

/// The item token of a step into a repeated element: its position, which it must give.
fn item(target: &str, step: &Step<'_>) -> Result<String, String> {
    match step.position {
        Some(position) => Ok((position - 1).to_string()),
        None => Err(format!(
            "XPath target `{target}`: `{}` is repeated; pick one with its position, e.g. `{}[1]`",
            step.name, step.name
        )),
    }
}

/// Whether `node` is the element or attribute `name` (`prefix:local`, or `local` alone).
fn names(node: &XmlNode, name: &str) -> bool {
    match name.split_once(':') {
        Some((prefix, local)) => node.prefix.as_deref() == Some(prefix) && node.name == local,
        None => node.name == name,
    }
}

/// `prefix:name`, or `name`.
fn qualified(node: &XmlNode) -> String {
    match &node.prefix {
        Some(prefix) => format!("{prefix}:{}", node.name),
        None => node.name.clone(),
    }
}

/// Splits an absolute location path of child steps, each an element name with an optional
/// 1-based position, or an attribute as the last step.
fn parse(target: &str) -> Result<Vec<Step<'_>>, String> {
    let unsupported = |why: &str| {
        format!(
            "XPath target `{target}` {why}: a replacement target in an XML payload is an absolute path of element names, such as `/Order/Line[2]/Qty` or `/Order/@id`"
        )
    };
    let Some(path) = target.strip_prefix('/') else {
        return Err(unsupported("is not an absolute path"));
    };
    if path.starts_with('/') {
        return Err(unsupported("searches the whole document (`//`)"));
    }
    path.split('/')
        .map(|raw| {
            let (name, attribute) = match raw.strip_prefix('@') {
                Some(name) => (name, true),
                None => (raw, false),
            };
            let (name, position) = match name.split_once('[') {
                None => (name, None),
                Some((name, predicate)) => {
                    let n = predicate
                        .strip_suffix(']')
                        .and_then(|n| n.trim().parse::<usize>().ok())
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| unsupported(&format!("has the predicate `[{predicate}` (only a position, `[1]`, `[2]`, …, is followed)")))?;
                    (name, Some(n))
                }
            };
            let valid = !name.is_empty()
                && name.split(':').count() <= 2
                && name.split(':').all(|part| {
                    part.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
                        && part
                            .chars()
                            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                });
            if !valid {
                return Err(unsupported(&format!("has the step `{raw}`")));
            }
            if attribute && position.is_some() {
                return Err(unsupported(&format!("has the step `{raw}`")));
            }
            Ok(Step {
                name,
                attribute,
                position,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str, shape: XmlShape) -> XmlNode {
        XmlNode {
            name: name.to_owned(),
            prefix: None,
            namespace: None,
            attribute: false,
            shape,
        }
    }

    /// `<Order id=…><Customer><Id/></Customer><Line>…</Line>…<Notes><Note/>…</Notes></Order>`
    fn order() -> XmlNode {
        let mut id = node("id", XmlShape::Text);
        id.attribute = true;
        let line = node(
            "Line",
            XmlShape::Object(vec![("qty".into(), node("Qty", XmlShape::Text))]),
        );
        node(
            "Order",
            XmlShape::Object(vec![
                ("orderId".into(), id),
                (
                    "customer".into(),
                    node(
                        "Customer",
                        XmlShape::Object(vec![("id".into(), node("Id", XmlShape::Text))]),
                    ),
                ),
                (
                    "lines".into(),
                    node(
                        "lines",
                        XmlShape::Array {
                            wrapped: false,
                            items: Box::new(line),
                        },
                    ),
                ),
                (
                    "notes".into(),
                    node(
                        "Notes",
                        XmlShape::Array {
                            wrapped: true,
                            items: Box::new(node("Note", XmlShape::Text)),
                        },
                    ),
                ),
                ("extra".into(), node("Extra", XmlShape::Any)),
            ]),
        )
    }

    #[test]
    fn paths_become_pointers_into_the_value() {
        let root = order();
        for (target, tokens) in [
            ("/Order/Customer/Id", vec!["customer", "id"]),
            ("/Order/@id", vec!["orderId"]),
            ("/Order/Line[2]/Qty", vec!["lines", "1", "qty"]),
            ("/Order/Notes/Note[1]", vec!["notes", "0"]),
            ("/Order/Extra/a/b", vec!["extra", "a", "b"]),
        ] {
            assert_eq!(
                pointer(&root, target),
                Ok(tokens.into_iter().map(String::from).collect()),
                "{target}"
            );
        }
    }

    #[test]
    fn other_paths_say_why() {
        let root = order();
        for (target, needle) in [
            ("Order/Customer", "is not an absolute path"),
            ("//Id", "searches the whole document"),
            ("/Invoice/Id", "the payload's root element is `Order`"),
            (
                "/Order/Customer/Name",
                "`Customer` has no element `Name` in the request body schema (it declares `Id`)",
            ),
            (
                "/Order/Line/Qty",
                "`Line` is repeated; pick one with its position",
            ),
            ("/Order/Line[last()]/Qty", "only a position"),
            ("/Order/Customer/Id/x", "`Id` holds text, so it has no `x`"),
            ("/Order/@id/x", "`@id` must be the last step"),
            ("/Order/Customer[2]", "`Customer` is not repeated"),
            ("/Order", "names the root element"),
        ] {
            let message = pointer(&root, target).expect_err(target);
            assert!(message.contains(needle), "{target}: {message}");
        }
    }
}
