//! JSON Schema → Rust types.

use std::collections::HashMap;

use crate::files::Loc;
use crate::library::{self, SharedLibrary};
use crate::names;
use crate::one_of::{self, UnionDef};
use crate::refs::Trees;
use crate::yaml::{Kind, Node};

/// A Rust type the generated code uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `i64`
    I64,
    /// `f64`
    F64,
    /// `bool`
    Bool,
    /// `String`
    Str,
    /// `u16` (status codes)
    U16,
    /// `Vec<T>`
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`
    Map(Box<Ty>),
    /// `Option<T>`
    Option(Box<Ty>),
    /// `serde_json::Value`
    Json,
    /// `Vec<u8>`: a binary input (`type: string` with `format: binary`, or a
    /// `contentMediaType` without `contentEncoding`), sent as raw bytes.
    Bytes,
    /// A generated struct, by name.
    Named(String),
    /// A generated string enum, by name.
    Enum(String),
    /// A generated type of another workflow's module: (module, the type there).
    InModule(String, Box<Ty>),
}

impl Ty {
    /// Whether the type is made of Rust's and serde_json's types only: no generated struct or
    /// enum (two schemas that give the same plain type agree on the value's shape).
    pub fn is_plain(&self) -> bool {
        match self {
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Option(inner) => inner.is_plain(),
            Ty::Named(_) | Ty::Enum(_) | Ty::InModule(..) => false,
            Ty::I64 | Ty::F64 | Ty::Bool | Ty::Str | Ty::U16 | Ty::Json | Ty::Bytes => true,
        }
    }

    /// `Option<self>` unless it already is one.
    pub fn optional(self) -> Ty {
        match self {
            Ty::Option(_) => self,
            other => Ty::Option(Box::new(other)),
        }
    }

    /// The type as Rust source text (for messages and `Decode` errors).
    pub fn rust(&self) -> String {
        match self {
            Ty::I64 => "i64".into(),
            Ty::F64 => "f64".into(),
            Ty::Bool => "bool".into(),
            Ty::Str => "String".into(),
            Ty::U16 => "u16".into(),
            Ty::Vec(t) => format!("Vec<{}>", t.rust()),
            Ty::Map(t) => format!("BTreeMap<String, {}>", t.rust()),
            Ty::Option(t) => format!("Option<{}>", t.rust()),
            Ty::Json => "serde_json::Value".into(),
            Ty::Bytes => "Vec<u8>".into(),
            Ty::Named(n) | Ty::Enum(n) => n.clone(),
            Ty::InModule(m, t) => format!("{m}::{}", t.rust()),
        }
    }

    /// The same type, seen from a sibling module: generated types are qualified with `module`.
    pub fn qualify(&self, module: &str) -> Ty {
        match self {
            Ty::Named(_) | Ty::Enum(_) => Ty::InModule(module.to_owned(), Box::new(self.clone())),
            Ty::Vec(t) => Ty::Vec(Box::new(t.qualify(module))),
            Ty::Map(t) => Ty::Map(Box::new(t.qualify(module))),
            Ty::Option(t) => Ty::Option(Box::new(t.qualify(module))),
            other => other.clone(),
        }
    }

    /// Whether a value of this type has one text form (a scalar, an enum, free-form JSON,
    /// or an `Option` of one): what a template or a text payload can show.
    pub fn renders_as_text(&self) -> bool {
        match self {
            Ty::I64 | Ty::F64 | Ty::Bool | Ty::Str | Ty::U16 | Ty::Json | Ty::Enum(_) => true,
            Ty::Option(t) | Ty::InModule(_, t) => t.renders_as_text(),
            _ => false,
        }
    }

    /// A short description of what a value of this type is, for type checks.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Ty::I64 | Ty::F64 | Ty::U16)
            || matches!(self, Ty::Option(t) if t.is_numeric())
    }
}

/// A field of a generated struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name.
    pub ident: String,
    /// The JSON name.
    pub json_name: String,
    /// Its type.
    pub ty: Ty,
    /// Doc comment.
    pub doc: Option<String>,
    /// The schema's `default`, for an optional scalar field: reads of the field yield it
    /// when the field is `None`.
    pub default: Option<crate::yaml::serde_json_lite::Value>,
    /// A secret (`format: password` or `writeOnly: true` in its schema): `Debug` shows `***`.
    pub secret: bool,
    /// Listed in the schema's `required` (it may still be nullable, and then an `Option`).
    pub required: bool,
}

/// The sentence added to a secret field's doc comment.
pub const SECRET_DOC: &str = "A secret: `Debug` output shows `***` instead of its value.";

impl Field {
    /// Marks the field secret (its schema says so, or the user named it in
    /// [`crate::Request::secrets`]) and says so in its doc comment (once).
    pub fn mark_secret(&mut self) {
        if self.secret {
            return;
        }
        self.secret = true;
        self.doc = Some(match self.doc.take() {
            Some(doc) => format!("{doc}\n\n{SECRET_DOC}"),
            None => SECRET_DOC.to_owned(),
        });
    }
}

/// A generated struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// The Rust name.
    pub name: String,
    /// Doc comment.
    pub doc: Option<String>,
    /// Fields in schema order.
    pub fields: Vec<Field>,
}

/// A generated enum of string values.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The Rust name.
    pub name: String,
    /// Doc comment.
    pub doc: Option<String>,
    /// Variants: (Rust identifier, JSON string).
    pub variants: Vec<(String, String)>,
    /// A response enum: it has an `Other(String)` variant for the values its schema does not
    /// list, so a value a server adds later is kept instead of failing the run.
    pub open: bool,
}

impl EnumDef {
    /// The JSON strings it lists, in schema order.
    pub fn values(&self) -> Vec<String> {
        self.variants.iter().map(|(_, v)| v.clone()).collect()
    }
}

/// The name of an open enum's catch-all variant (a listed value `other` becomes `Other_2`).
pub const OTHER_VARIANT: &str = "Other";

/// The structs and enums generated for one workflow module.
#[derive(Debug, Default, Clone)]
pub struct TypeSpace {
    /// Generated structs.
    pub structs: Vec<StructDef>,
    /// Generated enums.
    pub enums: Vec<EnumDef>,
    /// Generated enums of `oneOf`/`anyOf` alternatives.
    pub unions: Vec<UnionDef>,
    taken: Vec<String>,
    /// Nesting of the schema being typed (recursive schemas stop at [`MAX_TYPE_DEPTH`]).
    depth: usize,
    /// Binary strings become [`Ty::Bytes`] (inputs: the user hands over bytes), not `String`
    /// (responses: a JSON document can only hold text).
    pub binary_as_bytes: bool,
    /// The types made so far for the value being typed (for a library module: ever), by the
    /// schema they come from: a
    /// schema reached again inside the same value (one component used by many properties)
    /// gets the same type, so typing stays linear in the schema's size instead of growing with
    /// the number of paths to each component.
    made: HashMap<Loc, Ty>,
    /// Enums get an `Other(String)` variant ([`EnumDef::open`]): response types.
    pub open_enums: bool,
    /// The document's named schemas (`components/schemas`): set for response types, which
    /// then name a named schema by its shared type in its source's module.
    pub library: Option<SharedLibrary>,
    /// The library module whose types this space holds (its memo is kept across values).
    pub module: Option<usize>,
    /// The named schemas being typed in this module space (a reference back to one is a cycle).
    pub(crate) typing: Vec<Loc>,
    /// The name the type made at this depth takes (a named schema's reserved name).
    pub(crate) fixed_name: Option<(usize, String)>,
}

/// How deeply nested schemas become generated types; deeper (or recursive, like a tree whose
/// items are trees) parts are `serde_json::Value`.
pub const MAX_TYPE_DEPTH: usize = 16;

impl TypeSpace {
    /// The fields of `ty` when it is a struct of this space (a workflow's `Inputs`), else none.
    pub fn fields(&self, ty: &Ty) -> &[Field] {
        match ty {
            Ty::Named(name) => self
                .structs
                .iter()
                .find(|s| &s.name == name)
                .map_or(&[], |s| s.fields.as_slice()),
            _ => &[],
        }
    }

    /// A space where `reserved` names are already taken.
    pub fn new(reserved: &[&str]) -> Self {
        TypeSpace {
            structs: Vec::new(),
            enums: Vec::new(),
            unions: Vec::new(),
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
            depth: 0,
            binary_as_bytes: false,
            made: HashMap::new(),
            open_enums: false,
            library: None,
            module: None,
            typing: Vec::new(),
            fixed_name: None,
        }
    }

    /// A space for response types: open enums, named schemas shared through `library`.
    pub fn responses(reserved: &[&str], library: Option<SharedLibrary>) -> Self {
        TypeSpace {
            open_enums: true,
            library,
            ..TypeSpace::new(reserved)
        }
    }

    /// The name for the type made here from `hint`: a named schema's reserved name when this is
    /// its top level, else `hint` made unique.
    pub(crate) fn name_for(&mut self, hint: &str) -> String {
        match self.fixed_name.take_if(|(depth, _)| *depth == self.depth) {
            Some((_, name)) => name,
            None => self.reserve(&names::pascal(hint)),
        }
    }

    /// Reserves a struct name, made unique.
    pub fn reserve(&mut self, name: &str) -> String {
        names::unique(name.to_owned(), &mut self.taken)
    }

    /// Moves every type of `other` into this space (names were reserved against it).
    pub fn absorb(&mut self, other: TypeSpace) {
        self.structs.extend(other.structs);
        self.enums.extend(other.enums);
        self.unions.extend(other.unions);
        self.taken.extend(other.taken);
    }

    /// The type made in this space for the schema written at `loc`, if any.
    pub(crate) fn made(&self, loc: &Loc) -> Option<&Ty> {
        self.made.get(loc)
    }

    /// The names taken in this space.
    pub fn taken(&self) -> Vec<&str> {
        self.taken.iter().map(String::as_str).collect()
    }
}

fn type_names(schema: &Node) -> Vec<String> {
    match schema.get("type").map(|t| &t.kind) {
        Some(Kind::Str(s)) => vec![s.clone()],
        Some(Kind::Seq(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn is_true(node: Option<&Node>) -> bool {
    matches!(node.map(|n| &n.kind), Some(Kind::Bool(true)))
}

/// Whether a schema admits `null` (3.1 `type: [.., "null"]`, 3.0 `nullable: true`, or `null`
/// among its `enum` values, which documents use to say the same).
pub fn nullable(schema: &Node) -> bool {
    type_names(schema).iter().any(|t| t == "null")
        || is_true(schema.get("nullable"))
        || schema
            .get("enum")
            .and_then(Node::as_seq)
            .is_some_and(|values| values.iter().any(|v| matches!(v.kind, Kind::Null)))
}

/// Whether a string schema describes raw bytes rather than text: `format: binary` (OpenAPI
/// 3.0), or a `contentMediaType` without a `contentEncoding` (3.1, JSON Schema 2020-12). A
/// `contentEncoding` (`base64`) or `format: byte` string is the encoded text, as JSON carries
/// it, and stays text.
pub fn is_binary(schema: &Node) -> bool {
    if schema.get("contentEncoding").is_some() {
        return false;
    }
    schema.get("format").and_then(Node::as_str) == Some("binary")
        || schema.get("contentMediaType").is_some()
}

/// A schema's `description`: the doc comment of what is generated from it.
pub fn description(schema: &Node) -> Option<String> {
    schema
        .get("description")
        .and_then(Node::as_str)
        .map(str::to_owned)
}

/// The names in a schema's `required` list.
pub fn required(schema: &Node) -> Vec<String> {
    schema
        .get("required")
        .and_then(Node::as_seq)
        .map(|r| {
            r.iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The Rust type for a schema; objects with properties become structs named from `hint`. A
/// named schema (and what it contains) is its shared type when `space` has a library.
pub fn schema_ty(trees: &Trees, space: &mut TypeSpace, schema: &Node, hint: &str) -> Ty {
    if let Some(ty) = library::shared_ty(trees, space, schema) {
        return ty;
    }
    typed_here(trees, space, schema, hint)
}

/// The type of a named schema in its module's `space`, named `name`; a reference back to it
/// while it is being typed (a recursive schema) is `serde_json::Value`.
pub(crate) fn named_ty(trees: &Trees, space: &mut TypeSpace, schema: &Node, name: String) -> Ty {
    space.typing.push(schema.loc);
    let depth = std::mem::replace(&mut space.depth, 0);
    space.fixed_name = Some((1, name.clone()));
    let ty = typed_here(trees, space, schema, &name);
    space.fixed_name = None;
    space.depth = depth;
    space.typing.pop();
    ty
}

/// The type of `schema`, made in `space`.
fn typed_here(trees: &Trees, space: &mut TypeSpace, schema: &Node, hint: &str) -> Ty {
    if space.depth >= MAX_TYPE_DEPTH {
        return Ty::Json;
    }
    // A module's types are the same for every value; a workflow's are made per value.
    if space.depth == 0 && space.module.is_none() {
        space.made.clear();
    }
    // Only a finished type is reused: a schema that contains itself still stops at the depth
    // limit rather than becoming a struct of infinite size.
    let key = trees.resolve(schema).ok().map(|s| s.loc);
    if let Some(ty) = key.and_then(|key| space.made.get(&key)) {
        return ty.clone();
    }
    space.depth += 1;
    let ty = schema_ty_inner(trees, space, schema, hint);
    space.depth -= 1;
    if let Some(key) = key {
        space.made.insert(key, ty.clone());
    }
    ty
}

fn schema_ty_inner(trees: &Trees, space: &mut TypeSpace, schema: &Node, hint: &str) -> Ty {
    let Ok(schema) = trees.resolve(schema) else {
        return Ty::Json;
    };
    let types: Vec<String> = type_names(schema)
        .into_iter()
        .filter(|t| t != "null")
        .collect();
    let union = one_of::union_ty(trees, space, schema, hint);
    let base = match (union, types.as_slice()) {
        (Some(union), _) => union,
        (None, [t]) => match t.as_str() {
            "integer" => Ty::I64,
            "number" => Ty::F64,
            "boolean" => Ty::Bool,
            "string" if space.binary_as_bytes && is_binary(schema) => Ty::Bytes,
            "string" => string_ty(space, schema, hint),
            "array" => Ty::Vec(Box::new(schema.get("items").map_or(Ty::Json, |items| {
                schema_ty(trees, space, items, &format!("{hint}Item"))
            }))),
            "object" => object_ty(trees, space, schema, hint),
            _ => Ty::Json,
        },
        (None, []) if schema.get("properties").is_some() => object_ty(trees, space, schema, hint),
        (None, _) => Ty::Json,
    };
    if nullable(schema) {
        base.optional()
    } else {
        base
    }
}

/// `String`, or a generated enum when the schema lists string values (`enum`).
fn string_ty(space: &mut TypeSpace, schema: &Node, hint: &str) -> Ty {
    let Some(values) = schema.get("enum").and_then(Node::as_seq) else {
        return Ty::Str;
    };
    let texts: Vec<&str> = values.iter().filter_map(Node::as_str).collect();
    // Only a closed set of plain strings becomes an enum (`null` in the list means nullable).
    let non_null = values
        .iter()
        .filter(|v| !matches!(v.kind, Kind::Null))
        .count();
    if texts.is_empty() || texts.len() != non_null {
        return Ty::Str;
    }
    let name = space.name_for(hint);
    let mut taken = Vec::new();
    if space.open_enums {
        taken.push(OTHER_VARIANT.to_owned());
    }
    let variants = texts
        .iter()
        .map(|t| (names::unique(names::pascal(t), &mut taken), (*t).to_owned()))
        .collect();
    space.enums.push(EnumDef {
        name: name.clone(),
        doc: description(schema),
        variants,
        open: space.open_enums,
    });
    Ty::Enum(name)
}

fn object_ty(trees: &Trees, space: &mut TypeSpace, schema: &Node, hint: &str) -> Ty {
    let props = schema
        .get("properties")
        .and_then(Node::as_map)
        .unwrap_or(&[]);
    if props.is_empty()
        || schema.get("allOf").is_some()
        || schema.get("oneOf").is_some()
        || schema.get("anyOf").is_some()
    {
        return match schema.get("additionalProperties") {
            Some(ap) if matches!(ap.kind, Kind::Map(_)) => Ty::Map(Box::new(schema_ty(
                trees,
                space,
                ap,
                &format!("{hint}Value"),
            ))),
            Some(ap) if matches!(ap.kind, Kind::Bool(false)) => Ty::Json,
            _ if props.is_empty() => Ty::Map(Box::new(Ty::Json)),
            _ => Ty::Json,
        };
    }
    let name = space.name_for(hint);
    let required = required(schema);
    let mut taken = Vec::new();
    let mut fields = Vec::new();
    for (key, prop) in props {
        let Some(json_name) = key.as_str() else {
            continue;
        };
        let ident = names::unique(names::snake(json_name), &mut taken);
        let mut ty = schema_ty(
            trees,
            space,
            prop,
            &format!("{name}{}", names::pascal(json_name)),
        );
        let is_required = required.iter().any(|r| r == json_name);
        if !is_required {
            ty = ty.optional();
        }
        let resolved = trees.resolve(prop).ok();
        let mut doc = resolved
            .and_then(|p| p.get("description"))
            .and_then(Node::as_str)
            .map(str::to_owned);
        let default = match (&ty, resolved.and_then(|p| p.get("default"))) {
            (Ty::Option(inner), Some(value)) => default_for(inner, value),
            _ => None,
        };
        if let Some(value) = resolved
            .and_then(|p| p.get("default"))
            .filter(|_| default.is_some())
        {
            let text = format!(
                "Default when `None`: `{}`.",
                crate::yaml::serde_json_lite::key_text(value)
            );
            doc = Some(match doc {
                Some(d) => format!("{d}\n\n{text}"),
                None => text,
            });
        }
        let secret = resolved.is_some_and(|p| {
            p.get("format").and_then(Node::as_str) == Some("password")
                || matches!(p.get("writeOnly").map(|n| &n.kind), Some(Kind::Bool(true)))
        });
        let mut field = Field {
            ident,
            json_name: json_name.to_owned(),
            ty,
            doc,
            default,
            secret: false,
            required: is_required,
        };
        if secret {
            field.mark_secret();
        }
        fields.push(field);
    }
    space.structs.push(StructDef {
        name: name.clone(),
        doc: description(schema),
        fields,
    });
    Ty::Named(name)
}

/// A `default` usable for a field of type `ty`: a scalar literal of the matching kind.
fn default_for(ty: &Ty, value: &Node) -> Option<crate::yaml::serde_json_lite::Value> {
    use crate::yaml::serde_json_lite::Value as J;
    let json = value.to_json();
    let fits = matches!(
        (ty, &json),
        (Ty::Str | Ty::Enum(_), J::Str(_))
            | (Ty::I64, J::Int(_))
            | (Ty::F64, J::Int(_) | J::Float(_))
            | (Ty::Bool, J::Bool(_))
    );
    fits.then_some(json)
}

/// The outcome of following a JSON pointer through a schema.
pub enum PointerTy<'a> {
    /// The schema at the pointer, and whether the value may be absent on the way.
    Found(&'a Node, bool),
    /// The schema says nothing about what is there (no type information).
    Unknown,
    /// The schema shows the pointer cannot reach a value: (token, the names that exist).
    Impossible(String, Vec<String>),
}

/// Follows `tokens` through `schema` (resolving `$ref`, properties, additionalProperties,
/// items).
pub fn follow<'a>(trees: &'a Trees, schema: &'a Node, tokens: &[String]) -> PointerTy<'a> {
    let mut node = match trees.resolve(schema) {
        Ok(n) => n,
        Err(_) => return PointerTy::Unknown,
    };
    let mut optional = false;
    for token in tokens {
        let types = type_names(node);
        if let Some(parts) = node.get("allOf").and_then(Node::as_seq) {
            // allOf: the value satisfies every part; the token may be defined by any of them.
            let found = parts.iter().find_map(|part| {
                let part = trees.resolve(part).ok()?;
                let props = part.get("properties")?.as_map()?;
                let (_, prop) = props
                    .iter()
                    .find(|(k, _)| k.as_str() == Some(token.as_str()))?;
                Some((required(part).contains(token), prop))
            });
            let Some((is_required, prop)) = found else {
                return PointerTy::Unknown;
            };
            optional |= !is_required;
            node = match trees.resolve(prop) {
                Ok(n) => n,
                Err(_) => return PointerTy::Unknown,
            };
            continue;
        }
        if node.get("oneOf").is_some() || node.get("anyOf").is_some() {
            return PointerTy::Unknown;
        }
        if types.iter().any(|t| t == "array") || node.get("items").is_some() {
            let Some(items) = node.get("items") else {
                return PointerTy::Unknown;
            };
            if token.parse::<usize>().is_err() {
                return PointerTy::Impossible(token.clone(), vec!["<array index>".to_owned()]);
            }
            optional = true;
            node = match trees.resolve(items) {
                Ok(n) => n,
                Err(_) => return PointerTy::Unknown,
            };
            continue;
        }
        let props = node.get("properties").and_then(Node::as_map);
        if let Some(prop) =
            props.and_then(|p| p.iter().find(|(k, _)| k.as_str() == Some(token.as_str())))
        {
            if !required(node).contains(token) || nullable(node) {
                optional = true;
            }
            node = match trees.resolve(&prop.1) {
                Ok(n) => n,
                Err(_) => return PointerTy::Unknown,
            };
            continue;
        }
        match node.get("additionalProperties") {
            Some(ap) if matches!(ap.kind, Kind::Map(_)) => {
                optional = true;
                node = match trees.resolve(ap) {
                    Ok(n) => n,
                    Err(_) => return PointerTy::Unknown,
                };
            }
            Some(ap) if matches!(ap.kind, Kind::Bool(true)) => return PointerTy::Unknown,
            None if props.is_none() && !types.iter().any(|t| t != "object") => {
                return PointerTy::Unknown;
            }
            _ => {
                let names = props
                    .map(|p| {
                        p.iter()
                            .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                return PointerTy::Impossible(token.clone(), names);
            }
        }
    }
    PointerTy::Found(node, optional)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::FileId;

    #[test]
    fn recursive_schemas_end_in_json() {
        let yaml = "Tree:\n  type: object\n  properties:\n    name:\n      type: string\n    children:\n      type: array\n      items:\n        $ref: '#/Tree'\n";
        let root = crate::yaml::parse(yaml, FileId(0)).expect("parses");
        let mut trees = Trees::default();
        trees.roots.insert(FileId(0), root.clone());
        let mut space = TypeSpace::new(&[]);
        let tree = root.get("Tree").expect("Tree");
        let ty = schema_ty(&trees, &mut space, tree, "Tree");
        assert_eq!(ty, Ty::Named("Tree".to_owned()));
        // Each level of the tree is two schema levels (the object, then the array of children).
        assert_eq!(
            space.structs.len(),
            MAX_TYPE_DEPTH / 2,
            "one struct per level, then JSON"
        );
    }
}
