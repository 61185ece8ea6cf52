//! What the request body's schema says about payloads that are not JSON: the XML element
//! tree of an XML payload (the OpenAPI `xml` objects), the file and typed parts of a
//! multipart one (`format: binary`, `contentMediaType`, the `encoding` object), and which
//! content types are XML, multipart, text or binary.

use crate::ir;
use crate::openapi::media_base as base;
use crate::refs::Trees;
use crate::types;
use crate::yaml::{Kind, Node};

/// How deep an XML payload's schema is described; deeper (or recursive) parts are written
/// by the value's own structure ([`ir::XmlShape::Any`]).
const MAX_XML_DEPTH: usize = 16;

/// The root element's name when neither `xml.name` nor a component name gives one.
pub(super) const DEFAULT_ROOT: &str = "root";
/// The name of a root array's items when neither their `xml.name` nor a component name
/// gives one.
pub(super) const DEFAULT_ITEM: &str = "item";

/// `application/xml`, `text/xml` or `…+xml`.
pub(super) fn is_xml(media: &str) -> bool {
    let m = base(media);
    m == "application/xml" || m == "text/xml" || m.ends_with("+xml")
}

/// `multipart/form-data`.
pub(super) fn is_multipart(media: &str) -> bool {
    base(media) == "multipart/form-data"
}

/// `text/*`.
pub(super) fn is_text(media: &str) -> bool {
    base(media).starts_with("text/")
}

/// The root element of an XML payload whose request body schema is `schema`.
pub(super) fn xml_root(trees: &Trees, schema: Option<&Node>) -> ir::XmlNode {
    let Some(schema) = schema else {
        return any(DEFAULT_ROOT);
    };
    let name = component_name(schema).unwrap_or_else(|| DEFAULT_ROOT.to_owned());
    let mut root = xml_node(trees, schema, &name, 0);
    if let ir::XmlShape::Array { wrapped, items } = &mut root.shape {
        // One root element: a root array is always wrapped; its items are named by their own
        // `xml.name`, else their component, else `item`.
        *wrapped = true;
        if xml_of(trees, schema, "items")
            .and_then(|xml| xml_str(xml, "name"))
            .is_none()
        {
            let item_schema = trees.resolve(schema).ok().and_then(|s| s.get("items"));
            items.name = item_schema
                .and_then(|i| {
                    trees
                        .resolve(i)
                        .ok()
                        .and_then(|r| r.get("xml"))
                        .and_then(|x| xml_str(x, "name"))
                        .or_else(|| component_name(i))
                })
                .unwrap_or_else(|| DEFAULT_ITEM.to_owned());
        }
    }
    root
}

/// The `xml` object of `schema`'s member `key` (resolved), if any.
fn xml_of<'a>(trees: &'a Trees, schema: &'a Node, key: &str) -> Option<&'a Node> {
    let s = trees.resolve(schema).ok()?;
    let member = trees.resolve(s.get(key)?).ok()?;
    member.get("xml")
}

fn xml_str(xml: &Node, key: &str) -> Option<String> {
    xml.get(key).and_then(Node::as_str).map(str::to_owned)
}

fn xml_bool(xml: Option<&Node>, key: &str) -> bool {
    matches!(
        xml.and_then(|x| x.get(key)).map(|n| &n.kind),
        Some(Kind::Bool(true))
    )
}

/// The component name a `$ref` schema names (`#/components/schemas/Pet` → `Pet`).
fn component_name(schema: &Node) -> Option<String> {
    let reference = schema.get("$ref")?.as_str()?;
    let last = reference.rsplit('/').next()?;
    let name = last.replace("~1", "/").replace("~0", "~");
    (!name.is_empty() && !name.contains('#')).then_some(name)
}

/// A node the schema says nothing about.
fn any(name: &str) -> ir::XmlNode {
    ir::XmlNode {
        name: name.to_owned(),
        prefix: None,
        namespace: None,
        attribute: false,
        shape: ir::XmlShape::Any,
    }
}

/// The node for `schema`, named `default_name` unless its `xml.name` says otherwise.
fn xml_node(trees: &Trees, schema: &Node, default_name: &str, depth: usize) -> ir::XmlNode {
    let Ok(resolved) = trees.resolve(schema) else {
        return any(default_name);
    };
    // OpenAPI 3.1 allows `xml` beside a `$ref`; it wins over the referenced schema's.
    let xml = schema.get("xml").or_else(|| resolved.get("xml"));
    let name = xml
        .and_then(|x| xml_str(x, "name"))
        .unwrap_or_else(|| default_name.to_owned());
    let mut node = ir::XmlNode {
        name,
        prefix: xml.and_then(|x| xml_str(x, "prefix")),
        namespace: xml.and_then(|x| xml_str(x, "namespace")),
        attribute: xml_bool(xml, "attribute"),
        shape: ir::XmlShape::Any,
    };
    if depth >= MAX_XML_DEPTH {
        return node;
    }
    let type_names: Vec<&str> = match resolved.get("type").map(|t| &t.kind) {
        Some(Kind::Str(t)) => vec![t.as_str()],
        Some(Kind::Seq(items)) => items
            .iter()
            .filter_map(Node::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    };
    let is = |t: &str| type_names.len() == 1 && type_names[0] == t;
    node.shape = if is("array") || (type_names.is_empty() && resolved.get("items").is_some()) {
        let items = match resolved.get("items") {
            // Unwrapped items take the property's name (the array's own `xml.name` names
            // only the wrapper), as the OpenAPI XML examples show.
            Some(items) => xml_node(trees, items, default_name, depth + 1),
            None => any(default_name),
        };
        ir::XmlShape::Array {
            wrapped: xml_bool(xml, "wrapped"),
            items: Box::new(items),
        }
    } else if resolved.get("oneOf").is_some() || resolved.get("anyOf").is_some() {
        ir::XmlShape::Any
    } else if is("object")
        || (type_names.is_empty()
            && (resolved.get("properties").is_some() || resolved.get("allOf").is_some()))
    {
        let mut props = Vec::new();
        collect_properties(trees, resolved, depth, &mut props);
        ir::XmlShape::Object(props)
    } else if ["string", "number", "integer", "boolean"]
        .iter()
        .any(|t| is(t))
    {
        ir::XmlShape::Text
    } else {
        ir::XmlShape::Any
    };
    node
}

/// The properties of an object schema and of its `allOf` parts, in order (a name declared
/// twice keeps its first place).
fn collect_properties(
    trees: &Trees,
    schema: &Node,
    depth: usize,
    out: &mut Vec<(String, ir::XmlNode)>,
) {
    if depth >= MAX_XML_DEPTH {
        return;
    }
    for part in schema.get("allOf").and_then(Node::as_seq).unwrap_or(&[]) {
        if let Ok(part) = trees.resolve(part) {
            collect_properties(trees, part, depth + 1, out);
        }
    }
    for (key, prop) in schema
        .get("properties")
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        let Some(key) = key.as_str() else { continue };
        if out.iter().any(|(k, _)| k == key) {
            continue;
        }
        out.push((key.to_owned(), xml_node(trees, prop, key, depth + 1)));
    }
}

/// The declared fields of a multipart payload that are files or have a content type of
/// their own: from the schema's properties (`allOf` parts included) and the `encoding` map.
pub(super) fn multipart_fields(
    trees: &Trees,
    schema: Option<&Node>,
    encoding: Option<&Node>,
) -> Vec<ir::PartSpec> {
    let mut props: Vec<(String, &Node)> = Vec::new();
    if let Some(schema) = schema.and_then(|s| trees.resolve(s).ok()) {
        collect_part_schemas(trees, schema, 0, &mut props);
    }
    let encoded = |name: &str| -> Option<String> {
        let entry = encoding?
            .as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(name))?;
        let content_type = entry.1.get("contentType")?.as_str()?;
        // A list of types (`image/png, image/jpeg`): the first is sent.
        let first = content_type.split(',').next()?.trim();
        (!first.is_empty()).then(|| first.to_owned())
    };
    let mut fields = Vec::new();
    for (name, prop) in &props {
        let Ok(prop) = trees.resolve(prop) else {
            continue;
        };
        // An array of files is a file part per item.
        let item = prop
            .get("items")
            .and_then(|i| trees.resolve(i).ok())
            .unwrap_or(prop);
        // Swagger 2.0's `type: file` (a `formData` parameter) is a file too.
        let file =
            types::is_binary(item) || item.get("type").and_then(Node::as_str) == Some("file");
        let content_type = encoded(name).or_else(|| {
            file.then(|| item.get("contentMediaType").and_then(Node::as_str))
                .flatten()
                .map(str::to_owned)
        });
        if file || content_type.is_some() {
            fields.push(ir::PartSpec {
                name: name.clone(),
                file,
                content_type,
            });
        }
    }
    // `encoding` entries for fields the schema does not declare.
    for (key, _) in encoding.and_then(Node::as_map).unwrap_or(&[]) {
        let Some(name) = key.as_str() else { continue };
        if props.iter().any(|(p, _)| p == name) {
            continue;
        }
        if let Some(content_type) = encoded(name) {
            fields.push(ir::PartSpec {
                name: name.to_owned(),
                file: false,
                content_type: Some(content_type),
            });
        }
    }
    fields
}

fn collect_part_schemas<'a>(
    trees: &'a Trees,
    schema: &'a Node,
    depth: usize,
    out: &mut Vec<(String, &'a Node)>,
) {
    if depth >= MAX_XML_DEPTH {
        return;
    }
    for part in schema.get("allOf").and_then(Node::as_seq).unwrap_or(&[]) {
        if let Ok(part) = trees.resolve(part) {
            collect_part_schemas(trees, part, depth + 1, out);
        }
    }
    for (key, prop) in schema
        .get("properties")
        .and_then(Node::as_map)
        .unwrap_or(&[])
    {
        if let Some(key) = key.as_str()
            && !out.iter().any(|(k, _)| k == key)
        {
            out.push((key.to_owned(), prop));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::FileId;

    fn trees(yaml: &str) -> (Trees, Node) {
        let root = crate::yaml::parse(yaml, FileId(0)).expect("parses");
        let mut trees = Trees::default();
        trees.roots.insert(FileId(0), root.clone());
        (trees, root)
    }

    #[test]
    fn xml_names_come_from_xml_objects_properties_and_components() {
        let (trees, root) = trees(
            "body:\n  $ref: '#/components/schemas/Pet'\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      xml: {namespace: 'urn:pets', prefix: pt}\n      properties:\n        id: {type: integer, xml: {attribute: true}}\n        photoUrls:\n          type: array\n          xml: {name: photos, wrapped: true}\n          items: {type: string, xml: {name: photo}}\n        tags:\n          type: array\n          items: {type: string}\n        owner:\n          allOf:\n            - {$ref: '#/components/schemas/Person'}\n    Person:\n      properties:\n        name: {type: string}\n",
        );
        let root_node = xml_root(&trees, root.get("body"));
        assert_eq!(root_node.name, "Pet");
        assert_eq!(root_node.prefix.as_deref(), Some("pt"));
        assert_eq!(root_node.namespace.as_deref(), Some("urn:pets"));
        let ir::XmlShape::Object(props) = &root_node.shape else {
            panic!("{root_node:?}");
        };
        let names: Vec<(&str, &str, bool)> = props
            .iter()
            .map(|(k, n)| (k.as_str(), n.name.as_str(), n.attribute))
            .collect();
        assert_eq!(
            names,
            [
                ("id", "id", true),
                ("photoUrls", "photos", false),
                ("tags", "tags", false),
                ("owner", "owner", false)
            ]
        );
        assert!(matches!(
            &props[1].1.shape,
            ir::XmlShape::Array { wrapped: true, items } if items.name == "photo"
        ));
        assert!(matches!(
            &props[2].1.shape,
            ir::XmlShape::Array { wrapped: false, items } if items.name == "tags"
        ));
        assert!(matches!(&props[3].1.shape, ir::XmlShape::Object(p) if p[0].0 == "name"));
    }

    #[test]
    fn root_arrays_are_wrapped_and_inline_roots_get_the_default_name() {
        let (trees, root) = trees(
            "list:\n  type: array\n  items: {$ref: '#/Tag'}\ninline:\n  type: object\n  properties: {a: {type: string}}\nTag:\n  type: string\n",
        );
        let list = xml_root(&trees, root.get("list"));
        assert_eq!(list.name, DEFAULT_ROOT);
        assert!(matches!(
            &list.shape,
            ir::XmlShape::Array { wrapped: true, items } if items.name == "Tag"
        ));
        assert_eq!(xml_root(&trees, root.get("inline")).name, DEFAULT_ROOT);
    }

    #[test]
    fn multipart_files_and_encodings() {
        let (trees, root) = trees(
            "schema:\n  type: object\n  properties:\n    title: {type: string}\n    file: {type: string, format: binary}\n    logo: {type: string, contentMediaType: image/png}\n    b64: {type: string, contentEncoding: base64}\n    legacy: {type: file}\n    many: {type: array, items: {type: string, format: binary}}\n    meta: {type: object}\nencoding:\n  file: {contentType: 'image/png, image/jpeg'}\n  meta: {contentType: application/vnd.x+json}\n  extra: {contentType: text/csv}\n",
        );
        let fields = multipart_fields(&trees, root.get("schema"), root.get("encoding"));
        let summary: Vec<(&str, bool, Option<&str>)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.file, f.content_type.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [
                ("file", true, Some("image/png")),
                ("logo", true, Some("image/png")),
                ("legacy", true, None),
                ("many", true, None),
                ("meta", false, Some("application/vnd.x+json")),
                ("extra", false, Some("text/csv")),
            ]
        );
    }
}
