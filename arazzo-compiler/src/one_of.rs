//! `oneOf`/`anyOf` of objects in a response schema → an enum with one variant per alternative,
//! deserialized as the first alternative the value fits (`#[serde(untagged)]`).
//!
//! Only the clear case is typed: every alternative is an object with properties and at least one
//! required property (so a value names which it is by what it carries), none is itself a
//! combination, and the schema around them declares no properties of its own. Everything else
//! stays `serde_json::Value`.

use crate::names;
use crate::refs::Trees;
use crate::types::{self, Ty, TypeSpace};
use crate::yaml::Node;

/// A generated enum of a `oneOf`/`anyOf`: one variant per alternative.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// The Rust name.
    pub name: String,
    /// Doc comment.
    pub doc: Option<String>,
    /// Variants: (Rust identifier, the alternative's type), in the schema's order.
    pub variants: Vec<(String, Ty)>,
}

/// The enum of `schema`'s `oneOf`/`anyOf` when it is a clear one and `space` holds response
/// types; `None` otherwise (the caller types the schema as before).
pub(crate) fn union_ty(
    trees: &Trees,
    space: &mut TypeSpace,
    schema: &Node,
    hint: &str,
) -> Option<Ty> {
    if !space.open_enums || schema.get("properties").is_some() {
        return None;
    }
    if schema
        .get("type")
        .and_then(Node::as_str)
        .is_some_and(|t| t != "object")
    {
        return None;
    }
    let alternatives = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_seq()?;
    let mut seen = Vec::new();
    for alternative in alternatives {
        let resolved = trees.resolve(alternative).ok()?;
        let clear = resolved
            .get("properties")
            .and_then(Node::as_map)
            .is_some_and(|p| !p.is_empty())
            && !types::required(resolved).is_empty()
            && ["allOf", "oneOf", "anyOf"]
                .iter()
                .all(|k| resolved.get(k).is_none())
            && !seen.contains(&resolved.loc);
        if !clear {
            return None;
        }
        seen.push(resolved.loc);
    }
    if seen.len() < 2 {
        return None;
    }
    let name = space.name_for(hint);
    let mut taken = Vec::new();
    let variants = alternatives
        .iter()
        .enumerate()
        .map(|(i, alternative)| {
            // A `$ref` names its variant; an inline alternative is numbered.
            let label = alternative
                .get("$ref")
                .and_then(Node::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map_or_else(|| format!("Variant{}", i + 1), str::to_owned);
            let ident = names::unique(names::pascal(&label), &mut taken);
            let ty = types::schema_ty(trees, space, alternative, &format!("{name}{ident}"));
            (ident, ty)
        })
        .collect();
    space.unions.push(UnionDef {
        name: name.clone(),
        doc: types::description(schema),
        variants,
    });
    Some(Ty::Named(name))
}
