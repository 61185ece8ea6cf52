//! Swagger 2.0 documents, converted into the OpenAPI 3.0 shape [`crate::openapi`] and the
//! checker read, so that nothing after loading has a Swagger branch.
//!
//! What changes shape: `host`/`basePath`/`schemes` become `servers`; `in: body` and
//! `in: formData` parameters become the `requestBody` (content types from `consumes`); the
//! other parameters get a `schema` from their inline `type`/`items`/`enum`/…, and
//! `collectionFormat` becomes `style`/`explode`; a response's `schema` moves under `content`
//! (media types from `produces`) and its headers get a `schema`; `securityDefinitions` become
//! `components.securitySchemes`. Parameter and response `$ref`s are resolved and their targets
//! converted in place of the reference; one that does not resolve is kept, and read (and
//! reported) as in an OpenAPI 3 document. Schemas are kept as written (a Swagger schema is an
//! OpenAPI 3.0 schema; `x-nullable: true` also gets `nullable: true`), and `definitions` stays
//! at the root, so `#/definitions/X` still resolves.
//!
//! Every synthesized node takes the location of the node it comes from, so errors found later
//! still point into the Swagger file.

use crate::files::{FileId, Loc};
use crate::refs::Trees;
use crate::yaml::{Kind, Node};

/// The operation fields of a Swagger 2.0 path item.
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// The media type a body is sent or read with when `consumes`/`produces` say none.
const JSON: &str = "application/json";
const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The key under which a converted operation lists the errors of its Swagger description
/// (an unknown `collectionFormat`, two bodies): maps of `message` and `help` located at the
/// node at fault. [`crate::openapi`] reads them into [`crate::openapi::Operation::problems`],
/// reported only when a step calls the operation.
pub const PROBLEMS: &str = "x-arazzo-swagger-problems";

/// The OpenAPI 3.0 shape of the Swagger 2.0 document `file`, or `None` when it is no Swagger
/// 2.0 document (an OpenAPI 3 one, or another Swagger version, which
/// [`crate::openapi::read`] reports). Nothing is reported here: errors of Swagger's own are
/// kept with their operation ([`PROBLEMS`]).
pub fn convert(trees: &Trees, file: FileId) -> Option<Node> {
    let root = trees.roots.get(&file)?;
    let version = root.get("swagger")?;
    let is_2_0 = match &version.kind {
        Kind::Str(v) => v == "2.0",
        // `swagger: 2.0` unquoted is a YAML number; the meaning is clear.
        Kind::Float(v) => *v == 2.0,
        _ => false,
    };
    if !is_2_0 || root.get("openapi").is_some() {
        return None;
    }
    let converter = Converter {
        trees,
        consumes: media_list(root.get("consumes")),
        produces: media_list(root.get("produces")),
    };
    let mut entries = vec![entry("openapi", text("3.0.3", version.loc))];
    for (k, v) in root.as_map().unwrap_or_default() {
        match k.as_str() {
            Some(
                "swagger"
                | "paths"
                | "securityDefinitions"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces",
            ) => {}
            _ => entries.push((k.clone(), v.clone())),
        }
    }
    if let Some(server) = server(root) {
        entries.push(entry("servers", seq(vec![server.clone()], server.loc)));
    }
    if let Some(paths) = root.get("paths") {
        entries.push(entry("paths", converter.paths(paths)));
    }
    if let Some(definitions) = root.get("securityDefinitions") {
        let schemes = security_schemes(definitions);
        entries.push(entry(
            "components",
            map(vec![entry("securitySchemes", schemes)], definitions.loc),
        ));
    }
    let mut converted = map(entries, root.loc);
    nullable(&mut converted);
    Some(converted)
}

/// Gives every schema marked with the widespread `x-nullable: true` extension (Swagger 2.0
/// has no `null`) OpenAPI 3.0's `nullable: true`, which types it as an `Option`.
fn nullable(node: &mut Node) {
    match &mut node.kind {
        Kind::Map(entries) => {
            let marked = entries.iter().find(|(k, v)| {
                k.as_str() == Some("x-nullable") && matches!(v.kind, Kind::Bool(true))
            });
            if let Some((_, value)) = marked
                && !entries.iter().any(|(k, _)| k.as_str() == Some("nullable"))
            {
                let value = value.clone();
                entries.push(entry("nullable", value));
            }
            entries.iter_mut().for_each(|(_, v)| nullable(v));
        }
        Kind::Seq(items) => items.iter_mut().for_each(nullable),
        _ => {}
    }
}

/// What every operation of the document inherits.
struct Converter<'t> {
    trees: &'t Trees,
    /// The root `consumes`.
    consumes: Vec<Node>,
    /// The root `produces`.
    produces: Vec<Node>,
}

impl Converter<'_> {
    /// `paths`, each path item's `$ref` resolved and its operations converted.
    fn paths(&self, paths: &Node) -> Node {
        let mut out = Vec::new();
        for (path, item) in paths.as_map().unwrap_or_default() {
            if path.as_str().is_some_and(|p| p.starts_with("x-")) {
                continue;
            }
            // A `$ref` that does not resolve is kept: the OpenAPI reader reports it as it
            // reports one in an OpenAPI 3 document.
            let Ok(item) = self.trees.resolve(item) else {
                out.push((path.clone(), item.clone()));
                continue;
            };
            let shared = self.params(item.get("parameters"));
            let mut ops = Vec::new();
            for method in METHODS {
                if let Some((key, op)) = item
                    .as_map()
                    .unwrap_or_default()
                    .iter()
                    .find(|(k, _)| k.as_str() == Some(method))
                {
                    ops.push((key.clone(), self.operation(op, &shared)));
                }
            }
            out.push((path.clone(), map(ops, item.loc)));
        }
        map(out, paths.loc)
    }

    /// Every parameter of a `parameters` list, each `$ref` resolved; one that does not
    /// resolve is kept as written, for the OpenAPI reader to report as it reports one in an
    /// OpenAPI 3 document.
    fn params<'a>(&'a self, list: Option<&'a Node>) -> Vec<&'a Node> {
        list.and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .map(|item| self.trees.resolve(item).unwrap_or(item))
            .collect()
    }

    /// One operation: its parameters split into OpenAPI 3 parameters and a request body, its
    /// responses converted, its other fields kept.
    fn operation(&self, op: &Node, shared: &[&Node]) -> Node {
        // The operation's parameters override the path item's of the same name and `in`.
        let own = self.params(op.get("parameters"));
        fn key(p: &Node) -> (Option<&str>, Option<&str>) {
            (str_at(p, "name"), str_at(p, "in"))
        }
        let mut all: Vec<&Node> = shared
            .iter()
            .filter(|s| !own.iter().any(|o| key(o) == key(s)))
            .copied()
            .collect();
        all.extend(own);

        let mut problems = Vec::new();
        let mut params = Vec::new();
        let mut body: Option<&Node> = None;
        let mut form: Vec<&Node> = Vec::new();
        for p in all {
            match str_at(p, "in") {
                Some("body") => {
                    if body.is_some() {
                        problems.push(problem(
                            p.loc,
                            "an operation has at most one `in: body` parameter",
                            None,
                        ));
                        continue;
                    }
                    body = Some(p);
                }
                Some("formData") => form.push(p),
                _ => params.push(param(p, &mut problems)),
            }
        }
        let consumes = media_list(op.get("consumes"));
        let consumes = if consumes.is_empty() {
            &self.consumes
        } else {
            &consumes
        };
        let request_body = match (body, form.first()) {
            (Some(_), Some(first)) => {
                problems.push(problem(
                    first.loc,
                    "an operation cannot have both an `in: body` and `in: formData` parameters",
                    Some("send the form fields as properties of the body's schema, or drop the body parameter"),
                ));
                None
            }
            (Some(body), None) => Some(body_param(body, consumes)),
            (None, Some(_)) => Some(form_body(op.loc, &form, consumes)),
            (None, None) => None,
        };

        let mut entries = Vec::new();
        for (k, v) in op.as_map().unwrap_or_default() {
            match k.as_str() {
                Some("parameters" | "responses" | "consumes" | "produces" | "schemes") => {}
                _ => entries.push((k.clone(), v.clone())),
            }
        }
        if !params.is_empty() {
            let loc = op.get("parameters").map_or(op.loc, |p| p.loc);
            entries.push(entry("parameters", seq(params, loc)));
        }
        if let Some(request_body) = request_body {
            entries.push(entry("requestBody", request_body));
        }
        if let Some(responses) = op.get("responses") {
            let produces = media_list(op.get("produces"));
            let produces = if produces.is_empty() {
                &self.produces
            } else {
                &produces
            };
            entries.push(entry("responses", self.responses(responses, produces)));
        }
        if !problems.is_empty() {
            entries.push(entry(PROBLEMS, seq(problems, op.loc)));
        }
        map(entries, op.loc)
    }

    /// `responses`, each `$ref` that resolves resolved: the `schema` under `content` with each media type of
    /// `produces` (`application/json` when it names none), headers with a `schema`.
    fn responses(&self, responses: &Node, produces: &[Node]) -> Node {
        let mut out = Vec::new();
        for (code, response) in responses.as_map().unwrap_or_default() {
            // A `$ref` that does not resolve is kept, and reported as in an OpenAPI 3
            // document (when a step accepts the response).
            let Ok(response) = self.trees.resolve(response) else {
                out.push((code.clone(), response.clone()));
                continue;
            };
            let mut entries = Vec::new();
            for (k, v) in response.as_map().unwrap_or_default() {
                match k.as_str() {
                    Some("schema" | "headers" | "examples") => {}
                    _ => entries.push((k.clone(), v.clone())),
                }
            }
            if let Some(schema) = response.get("schema") {
                entries.push(entry("content", content(schema, produces, JSON)));
            }
            if let Some(headers) = response.get("headers").and_then(Node::as_map) {
                let converted = headers
                    .iter()
                    .map(|(name, header)| {
                        let header = self.trees.resolve(header).unwrap_or(header);
                        (name.clone(), header_object(header))
                    })
                    .collect();
                let loc = response.get("headers").map_or(response.loc, |h| h.loc);
                entries.push(entry("headers", map(converted, loc)));
            }
            out.push((code.clone(), map(entries, response.loc)));
        }
        map(out, responses.loc)
    }
}

/// A query, header or path parameter in the OpenAPI 3 shape: `name`, `in`, `required`,
/// `description` as written, the rest as its `schema`, `collectionFormat` as `style` and
/// `explode`. One without `in` or `name` is kept as written (the reader reports it).
fn param(p: &Node, problems: &mut Vec<Node>) -> Node {
    let (Some(location), Some(_)) = (str_at(p, "in"), p.get("name")) else {
        return p.clone();
    };
    let mut entries: Vec<(Node, Node)> = p
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|(k, _)| {
            matches!(k.as_str(), Some("name" | "in" | "required" | "description"))
                || k.as_str().is_some_and(|k| k.starts_with("x-"))
        })
        .cloned()
        .collect();
    entries.push(entry("schema", schema_of(p)));
    let is_array = str_at(p, "type") == Some("array");
    if is_array {
        let format = p.get("collectionFormat");
        let (style, explode) = match format.and_then(Node::as_str).unwrap_or("csv") {
            "csv" if location == "query" => ("form", false),
            "csv" => ("simple", false),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            // No OpenAPI 3 style: [`crate::openapi::Param::query_array`] reads this one.
            "tsv" => ("tabDelimited", false),
            "multi" => ("form", true),
            other => {
                let at = format.map_or(p.loc, |f| f.loc);
                problems.push(problem(
                    at,
                    &format!("`collectionFormat: {other}` is not a Swagger 2.0 collection format"),
                    Some("use csv, ssv, tsv, pipes or multi"),
                ));
                ("form", false)
            }
        };
        let loc = format.map_or(p.loc, |f| f.loc);
        entries.push(entry("style", text(style, loc)));
        entries.push(entry(
            "explode",
            Node::synthesized(Kind::Bool(explode), loc),
        ));
    }
    map(entries, p.loc)
}

/// The schema of a parameter, header or items object whose `type`, `items`, `enum`, … are
/// written inline: everything but the fields that are not the value's (`name`, `in`, …).
/// `type: file` is a binary string.
fn schema_of(p: &Node) -> Node {
    const NOT_SCHEMA: [&str; 6] = [
        "name",
        "in",
        "required",
        "description",
        "collectionFormat",
        "allowEmptyValue",
    ];
    if str_at(p, "type") == Some("file") {
        let loc = p.get("type").map_or(p.loc, |t| t.loc);
        return map(
            vec![
                entry("type", text("string", loc)),
                entry("format", text("binary", loc)),
            ],
            p.loc,
        );
    }
    let entries = p
        .as_map()
        .unwrap_or_default()
        .iter()
        .filter(|(k, _)| {
            k.as_str()
                .is_some_and(|k| !NOT_SCHEMA.contains(&k) && !k.starts_with("x-"))
        })
        .map(|(k, v)| match k.as_str() {
            Some("items") => (k.clone(), schema_of(v)),
            _ => (k.clone(), v.clone()),
        })
        .collect();
    map(entries, p.loc)
}

/// A header object in the OpenAPI 3 shape: `description` kept, the rest as its `schema`.
fn header_object(header: &Node) -> Node {
    let mut entries = Vec::new();
    if let Some((k, v)) = header
        .as_map()
        .unwrap_or_default()
        .iter()
        .find(|(k, _)| k.as_str() == Some("description"))
    {
        entries.push((k.clone(), v.clone()));
    }
    entries.push(entry("schema", schema_of(header)));
    map(entries, header.loc)
}

/// The request body of an `in: body` parameter: its `schema` for each media type of
/// `consumes` (`application/json` when it names none), `required` and `description` as
/// written.
fn body_param(body: &Node, consumes: &[Node]) -> Node {
    let mut entries = Vec::new();
    for field in ["description", "required"] {
        if let Some((k, v)) = body
            .as_map()
            .unwrap_or_default()
            .iter()
            .find(|(k, _)| k.as_str() == Some(field))
        {
            entries.push((k.clone(), v.clone()));
        }
    }
    let schema = body
        .get("schema")
        .cloned()
        .unwrap_or_else(|| Node::synthesized(Kind::Map(Vec::new()), body.loc));
    entries.push(entry("content", content(&schema, consumes, JSON)));
    map(entries, body.loc)
}

/// The request body of `in: formData` parameters: an object schema with one property per
/// field (`required` from theirs), sent as `multipart/form-data` when a field is a file or
/// `consumes` names it, else as `application/x-www-form-urlencoded` (each form type
/// `consumes` names, when it names some).
fn form_body(at: Loc, fields: &[&Node], consumes: &[Node]) -> Node {
    let loc = fields.first().map_or(at, |f| f.loc);
    let mut properties = Vec::new();
    let mut required = Vec::new();
    for field in fields {
        let Some(name) = field.get("name") else {
            continue;
        };
        let mut schema = schema_of(field);
        if let (Some(description), Kind::Map(entries)) =
            (field.key_node("description"), &mut schema.kind)
            && let Some(value) = field.get("description")
        {
            entries.push((description.clone(), value.clone()));
        }
        properties.push((name.clone(), schema));
        if matches!(
            field.get("required").map(|r| &r.kind),
            Some(Kind::Bool(true))
        ) {
            required.push(name.clone());
        }
    }
    let has_file = fields.iter().any(|f| str_at(f, "type") == Some("file"));
    let mut types: Vec<Node> = consumes
        .iter()
        .filter(|m| {
            m.as_str().is_some_and(|m| {
                let m = crate::openapi::media_base(m);
                m.eq_ignore_ascii_case(MULTIPART) || (!has_file && m.eq_ignore_ascii_case(FORM))
            })
        })
        .cloned()
        .collect();
    if types.is_empty() {
        types.push(text(if has_file { MULTIPART } else { FORM }, loc));
    }
    let any_required = !required.is_empty();
    let mut schema = vec![
        entry("type", text("object", loc)),
        entry("properties", map(properties, loc)),
    ];
    if any_required {
        schema.push(entry("required", seq(required, loc)));
    }
    let schema = map(schema, loc);
    let content = map(
        types
            .into_iter()
            .map(|t| {
                let loc = t.loc;
                (t, map(vec![entry("schema", schema.clone())], loc))
            })
            .collect(),
        loc,
    );
    map(
        vec![
            entry("required", Node::synthesized(Kind::Bool(any_required), loc)),
            entry("content", content),
        ],
        loc,
    )
}

/// A `content` map: `schema` under each of `types`, or under `default` when there are none.
fn content(schema: &Node, types: &[Node], default: &str) -> Node {
    let media = map(vec![entry("schema", schema.clone())], schema.loc);
    let entries = if types.is_empty() {
        vec![entry(default, media)]
    } else {
        types.iter().map(|t| (t.clone(), media.clone())).collect()
    };
    map(entries, schema.loc)
}

/// `securityDefinitions` as OpenAPI 3 security schemes: `basic` → http basic, `apiKey` as it
/// is, `oauth2` → oauth2 (which the client holds a bearer token for); others kept as written.
fn security_schemes(definitions: &Node) -> Node {
    let mut out = Vec::new();
    for (name, scheme) in definitions.as_map().unwrap_or_default() {
        let converted = match str_at(scheme, "type") {
            Some("basic") => {
                let loc = scheme.get("type").map_or(scheme.loc, |t| t.loc);
                let mut entries = vec![
                    entry("type", text("http", loc)),
                    entry("scheme", text("basic", loc)),
                ];
                entries.extend(
                    scheme
                        .as_map()
                        .unwrap_or_default()
                        .iter()
                        .filter(|(k, _)| k.as_str() == Some("description"))
                        .cloned(),
                );
                map(entries, scheme.loc)
            }
            _ => scheme.clone(),
        };
        out.push((name.clone(), converted));
    }
    map(out, definitions.loc)
}

/// The default server: `schemes` (https when it lists it, else its first; https when it
/// lists none) + `host` + `basePath`; none without a `host`, as for a relative server URL.
fn server(root: &Node) -> Option<Node> {
    let host = root.get("host")?;
    let host_text = host.as_str()?;
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    let scheme = if schemes.is_empty() || schemes.contains(&"https") {
        "https"
    } else {
        schemes[0]
    };
    // `basePath` MUST start with `/`; one written without it is read as if it did.
    let base_path = str_at(root, "basePath")
        .unwrap_or_default()
        .trim_matches('/');
    let url = match base_path {
        "" => format!("{scheme}://{host_text}"),
        path => format!("{scheme}://{host_text}/{path}"),
    };
    Some(map(vec![entry("url", text(&url, host.loc))], host.loc))
}

/// The media types of a `consumes`/`produces` list (empty when absent or empty).
fn media_list(node: Option<&Node>) -> Vec<Node> {
    node.and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .filter(|m| m.as_str().is_some())
        .cloned()
        .collect()
}

fn str_at<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// A problem of an operation's description ([`PROBLEMS`]), located at `loc`.
fn problem(loc: Loc, message: &str, help: Option<&str>) -> Node {
    let mut entries = vec![entry("message", text(message, loc))];
    if let Some(help) = help {
        entries.push(entry("help", text(help, loc)));
    }
    map(entries, loc)
}

/// A string node.
fn text(value: &str, loc: Loc) -> Node {
    Node::synthesized(Kind::Str(value.to_owned()), loc)
}

/// A map entry whose key takes its value's location.
fn entry(key: &str, value: Node) -> (Node, Node) {
    (text(key, value.loc), value)
}

fn map(entries: Vec<(Node, Node)>, loc: Loc) -> Node {
    Node::synthesized(Kind::Map(entries), loc)
}

fn seq(items: Vec<Node>, loc: Loc) -> Node {
    Node::synthesized(Kind::Seq(items), loc)
}
