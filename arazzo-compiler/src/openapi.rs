//! OpenAPI 3.0/3.1/3.2 documents: operations, parameters, bodies, responses, security.
//! Swagger 2.0 documents are read in the OpenAPI 3.0 shape [`crate::swagger`] converts them to.
//!
//! Nodes keep their file, so a `$ref` is resolved relative to the document it is written in;
//! referenced files are loaded up front, before checking starts ([`crate::load`]).

use crate::diag::Diags;
use crate::files::{FileId, Loc};
use crate::refs::Trees;
use crate::yaml::{Kind, Node};

/// The HTTP methods an OpenAPI path item may hold as fixed fields (3.2 adds [`QUERY`]).
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The `query` method, a fixed field of OpenAPI 3.2 path items.
pub const QUERY: &str = "query";

/// Where a parameter goes: its `in`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
    /// OpenAPI 3.2 (Arazzo 1.1): the whole query string, one value.
    Querystring,
}

impl ParamIn {
    /// Every location, as written.
    pub const NAMES: [&'static str; 5] = ["path", "query", "querystring", "header", "cookie"];

    /// Reads an `in` value; `None` for anything else.
    pub fn parse(text: &str) -> Option<ParamIn> {
        match text {
            "path" => Some(ParamIn::Path),
            "query" => Some(ParamIn::Query),
            "querystring" => Some(ParamIn::Querystring),
            "header" => Some(ParamIn::Header),
            "cookie" => Some(ParamIn::Cookie),
            _ => None,
        }
    }

    /// The location as written.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Querystring => "querystring",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

impl std::fmt::Display for ParamIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where an API key goes: the `in` of an `apiKey` security scheme (`header` when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyIn {
    Query,
    Header,
    Cookie,
    /// Any other value (invalid OpenAPI): the runtime sends the key as a header, but no
    /// parameter of a step stands for it.
    Other,
}

impl ApiKeyIn {
    fn parse(text: Option<&str>) -> ApiKeyIn {
        match text {
            Some("query") => ApiKeyIn::Query,
            Some("header") | None => ApiKeyIn::Header,
            Some("cookie") => ApiKeyIn::Cookie,
            Some(_) => ApiKeyIn::Other,
        }
    }

    /// The location as written (`header` for [`ApiKeyIn::Other`], where the runtime sends it).
    pub fn as_str(self) -> &'static str {
        match self {
            ApiKeyIn::Query => "query",
            ApiKeyIn::Header | ApiKeyIn::Other => "header",
            ApiKeyIn::Cookie => "cookie",
        }
    }

    /// The parameter location that carries the key, which a step may then send itself.
    pub fn param_in(self) -> Option<ParamIn> {
        match self {
            ApiKeyIn::Query => Some(ParamIn::Query),
            ApiKeyIn::Header => Some(ParamIn::Header),
            ApiKeyIn::Cookie => Some(ParamIn::Cookie),
            ApiKeyIn::Other => None,
        }
    }
}

/// A security scheme the runtime knows how to apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// http basic.
    Basic,
    /// http bearer.
    Bearer,
    /// apiKey in query/header/cookie.
    ApiKey {
        /// `in`.
        location: ApiKeyIn,
        name: String,
    },
    /// Anything else (oauth2, openIdConnect, mutualTLS, other http schemes).
    Unsupported(String),
}

impl Scheme {
    /// The parameter that carries this scheme's credential, for an API key.
    pub fn api_key_param(&self) -> Option<ParamKey> {
        match self {
            Scheme::ApiKey { location, name } => Some(ParamKey {
                name: name.clone(),
                location: location.param_in()?,
            }),
            _ => None,
        }
    }
}

/// A security scheme of `components.securitySchemes`.
#[derive(Debug, Clone)]
pub struct NamedScheme {
    /// Its key in `securitySchemes`.
    pub name: String,
    /// What it takes.
    pub scheme: Scheme,
}

/// What tells two parameters of an operation apart: name and location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamKey {
    pub name: String,
    /// `in`.
    pub location: ParamIn,
}

/// A parameter of an operation.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    /// `in`.
    pub location: ParamIn,
    /// `required` (always true for path parameters).
    pub required: bool,
    /// `schema`, if any.
    pub schema: Option<Node>,
    /// `style`, if given.
    pub style: Option<String>,
    /// `explode`, if given.
    pub explode: Option<bool>,
    /// The media types of its `content` (a `querystring` parameter's format), if any.
    pub content: Vec<String>,
}

impl Param {
    /// Its name and location.
    pub fn key(&self) -> ParamKey {
        ParamKey {
            name: self.name.clone(),
            location: self.location,
        }
    }

    /// How an array value of this parameter is serialized in a query string, by its `style`
    /// and `explode` (OpenAPI 3: `form`, the default, explodes unless told not to;
    /// `spaceDelimited` and `pipeDelimited` do not): (explode, delimiter). `tabDelimited`
    /// is no OpenAPI 3 style: it stands for Swagger 2.0's `collectionFormat: tsv`
    /// ([`crate::swagger`]).
    pub fn query_array(&self) -> crate::ir::ListStyle {
        let style = self.style.as_deref().unwrap_or("form");
        let explode = self.explode.unwrap_or(style == "form");
        let delimiter = match style {
            "spaceDelimited" => " ",
            "pipeDelimited" => "|",
            "tabDelimited" => "\t",
            _ => ",",
        };
        crate::ir::ListStyle { explode, delimiter }
    }
}

#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId`, if any.
    pub id: Option<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// For an operation of an OpenAPI 3.2 path item's `additionalOperations`: its key there,
    /// as written (`operationPath` names it so).
    pub additional: Option<String>,
    /// The path template, e.g. `/pets/{petId}`.
    pub path: String,
    pub summary: Option<String>,
    /// Path-item and operation parameters, `$ref`s resolved, operation ones winning.
    pub params: Vec<Param>,
    /// Whether a request body is required.
    pub body_required: bool,
    /// The content types its request body accepts.
    pub body_content: Vec<String>,
    /// Each content type of its request body with its schema and `encoding` (what XML and
    /// multipart payloads are written by).
    pub body_media: Vec<BodyMedia>,
    /// The operation object itself (for responses).
    pub node: Node,
    /// Effective security requirements: alternatives of scheme-name lists.
    pub security: Vec<Vec<String>>,
    /// What could not be read of it (a parameter or body `$ref` that does not resolve, a
    /// parameter without `name`, an `additionalOperations` key that is no method, a Swagger
    /// 2.0 error of its own): errors only when a step calls it.
    pub problems: Vec<Problem>,
}

/// An error in an operation's description ([`Operation::problems`]).
#[derive(Debug, Clone)]
pub struct Problem {
    /// The node at fault.
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn new(loc: Loc, message: impl Into<String>, help: Option<String>) -> Problem {
        Problem {
            loc,
            message: message.into(),
            help,
        }
    }
}

/// A loaded OpenAPI document.
#[derive(Debug, Clone)]
pub struct OpenApi {
    /// The file it came from.
    pub file: FileId,
    /// `servers[0].url` with variables at their defaults, if any.
    pub server: Option<String>,
    /// All operations, in document order.
    pub operations: Vec<Operation>,
    /// `components.securitySchemes`, resolved.
    pub schemes: Vec<NamedScheme>,
    /// Path items that could not be read (a `$ref` that does not resolve): their operations
    /// are unknown, which matters only when a step names an operation not found.
    pub broken_paths: Vec<(Loc, String)>,
}

impl Operation {
    /// How messages and generated docs name it: its `operationId`, else `METHOD /path`.
    pub fn label(&self) -> String {
        self.id
            .clone()
            .unwrap_or_else(|| format!("{} {}", self.method, self.path))
    }
}

impl OpenApi {
    /// The security scheme with this name.
    pub fn scheme(&self, name: &str) -> Option<&Scheme> {
        self.schemes
            .iter()
            .find(|s| s.name == name)
            .map(|s| &s.scheme)
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id.as_deref() == Some(id))
    }
}

/// A media type without its parameters, lower case (`Application/JSON; charset=utf-8` →
/// `application/json`): what every comparison of media types compares.
pub fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase()
}

fn string_at<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

/// Reads an OpenAPI document from its tree. `at` locates errors that belong to the source
/// description that names the file.
pub fn read(diags: &mut Diags, trees: &Trees, file: FileId, at: Loc) -> Option<OpenApi> {
    let root = trees.roots.get(&file)?;
    let Some(version) = root
        .get("openapi")
        .and_then(|v| crate::decode::string(&mut Diags::default(), v, ""))
    else {
        // A Swagger 2.0 document arrives converted ([`crate::swagger`]): another version
        // stays as written.
        if let Some(swagger) = root.get("swagger") {
            diags.error_help(
                swagger.loc,
                "this Swagger version is not supported",
                Some("use Swagger 2.0 (`swagger: \"2.0\"`) or OpenAPI 3.x".to_owned()),
            );
            return None;
        }
        diags.error(
            at,
            "this source is not an OpenAPI document (it has no `openapi` version field)",
        );
        return None;
    };
    let minor = ["3.0", "3.1", "3.2"]
        .iter()
        .position(|v| version.value == *v || version.value.starts_with(&format!("{v}.")));
    let Some(minor) = minor else {
        diags.error_help(
            version.loc,
            format!("OpenAPI version `{}` is not supported", version.value),
            Some("use OpenAPI 3.0.x, 3.1.x or 3.2.x, or Swagger 2.0".to_owned()),
        );
        return None;
    };
    let server = root
        .get("servers")
        .and_then(Node::as_seq)
        .and_then(|s| s.first())
        .and_then(server_url);
    let mut broken_paths = Vec::new();
    Some(OpenApi {
        file,
        server,
        // OpenAPI 3.2 adds the `query` method and `additionalOperations`.
        operations: read_operations(&mut broken_paths, trees, root, minor >= 2),
        schemes: read_schemes(trees, root),
        broken_paths,
    })
}

/// Every operation of `paths`, in document order; with `v3_2`, also each path item's `query`
/// operation and its `additionalOperations` (OpenAPI 3.2). Path items that cannot be read go
/// to `broken`.
fn read_operations(
    broken: &mut Vec<(Loc, String)>,
    trees: &Trees,
    root: &Node,
    v3_2: bool,
) -> Vec<Operation> {
    let global_security = root.get("security").map(read_security);
    let mut operations = Vec::new();
    let Some(paths) = root.get("paths").and_then(Node::as_map) else {
        return operations;
    };
    for (path_key, item) in paths {
        let Some(path) = path_key.as_str() else {
            continue;
        };
        let item = match trees.resolve(item) {
            Ok(item) => item,
            Err(e) => {
                broken.push((item.loc, e));
                continue;
            }
        };
        let mut item_problems = Vec::new();
        let item_params = read_params(&mut item_problems, trees, item.get("parameters"));
        let fixed = METHODS
            .iter()
            .chain(v3_2.then_some(&QUERY))
            .filter_map(|method| {
                Some((method.to_ascii_uppercase(), None, item.get(method)?, None))
            });
        let additional = if v3_2 {
            additional_operations(item)
        } else {
            Vec::new()
        };
        for (method, additional, op, problem) in fixed.chain(additional) {
            // Errors a Swagger 2.0 description of it has ([`crate::swagger::PROBLEMS`]).
            let mut problems = item_problems.clone();
            problems.extend(
                op.get(crate::swagger::PROBLEMS)
                    .and_then(Node::as_seq)
                    .unwrap_or_default()
                    .iter()
                    .map(|p| {
                        let text = |key| string_at(p, key).map(str::to_owned);
                        Problem::new(p.loc, text("message").unwrap_or_default(), text("help"))
                    })
                    .chain(problem),
            );
            let mut params = item_params.clone();
            for p in read_params(&mut problems, trees, op.get("parameters")) {
                params.retain(|q| q.key() != p.key());
                params.push(p);
            }
            let (body_required, body_content) = read_body(&mut problems, trees, op);
            let body_media = read_body_media(trees, op);
            operations.push(Operation {
                id: string_at(op, "operationId").map(str::to_owned),
                method,
                additional,
                path: path.to_owned(),
                summary: string_at(op, "summary").map(str::to_owned),
                params,
                body_required,
                body_content,
                body_media,
                node: op.clone(),
                security: op
                    .get("security")
                    .map(read_security)
                    .or_else(|| global_security.clone())
                    .unwrap_or_default(),
                problems,
            });
        }
    }
    operations
}

/// The operations of a path item's `additionalOperations` (OpenAPI 3.2): (method upper-cased
/// for the request, its key as written, the operation, and a problem when the key is no HTTP
/// method name (RFC 9110 token) or one a fixed field of the path item stands for).
fn additional_operations(item: &Node) -> Vec<(String, Option<String>, &Node, Option<Problem>)> {
    let Some(entries) = item.get("additionalOperations").and_then(Node::as_map) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, op) in entries {
        let Some(name) = key.as_str() else { continue };
        let is_token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let lower = name.to_ascii_lowercase();
        let problem = if !is_token {
            Some(Problem::new(
                key.loc,
                format!("`{name}` is not an HTTP method name"),
                Some(
                    "a method name is a token: letters, digits and `!#$%&'*+-.^_`|~`, no spaces"
                        .to_owned(),
                ),
            ))
        } else if METHODS.contains(&lower.as_str()) || lower == QUERY {
            Some(Problem::new(
                key.loc,
                format!(
                    "`additionalOperations` may not hold `{name}`, a method the path item has a field for"
                ),
                Some(format!(
                    "move the operation to the path item's `{lower}` field"
                )),
            ))
        } else {
            None
        };
        out.push((
            name.to_ascii_uppercase(),
            Some(name.to_owned()),
            op,
            problem,
        ));
    }
    out
}

/// Whether the operation's request body is required, and the content types it accepts.
fn read_body(problems: &mut Vec<Problem>, trees: &Trees, op: &Node) -> (bool, Vec<String>) {
    match op.get("requestBody").map(|b| trees.resolve(b)) {
        Some(Ok(body)) => (
            matches!(
                body.get("required").map(|n| &n.kind),
                Some(Kind::Bool(true))
            ),
            media_types(body.get("content")),
        ),
        Some(Err(e)) => {
            problems.push(Problem::new(op.loc, e, None));
            (false, Vec::new())
        }
        None => (false, Vec::new()),
    }
}

/// A media type of a request body: `content.<media type>`.
#[derive(Debug, Clone)]
pub struct BodyMedia {
    /// The media type (or range) as written.
    pub media_type: String,
    /// Its `schema`, if any (unresolved: a `$ref` names the schema's component).
    pub schema: Option<Node>,
    /// Its `encoding` map (multipart and form bodies), if any.
    pub encoding: Option<Node>,
}

impl Operation {
    /// The request body media type that a step's `content_type` uses: the one written the
    /// same (parameters ignored), else the first range that matches it.
    pub fn body_media_for(&self, content_type: &str) -> Option<&BodyMedia> {
        let base = media_base;
        let given = base(content_type);
        self.body_media
            .iter()
            .find(|m| base(&m.media_type) == given)
            .or_else(|| {
                self.body_media.iter().find(|m| {
                    let accepted = base(&m.media_type);
                    accepted == "*/*"
                        || (accepted.ends_with("/*")
                            && given.starts_with(accepted.trim_end_matches('*')))
                })
            })
    }
}

/// The media types of the operation's request body with their schemas and encodings (a
/// body `$ref` that does not resolve was reported by [`read_body`]).
fn read_body_media(trees: &Trees, op: &Node) -> Vec<BodyMedia> {
    let Some(Ok(body)) = op.get("requestBody").map(|b| trees.resolve(b)) else {
        return Vec::new();
    };
    let Some(content) = body.get("content").and_then(Node::as_map) else {
        return Vec::new();
    };
    content
        .iter()
        .filter_map(|(k, media)| {
            let media = trees.resolve(media).ok()?;
            Some(BodyMedia {
                media_type: k.as_str()?.to_owned(),
                schema: media.get("schema").cloned(),
                encoding: media.get("encoding").cloned(),
            })
        })
        .collect()
}

/// The media types (keys) of a `content` map.
fn media_types(content: Option<&Node>) -> Vec<String> {
    content
        .and_then(Node::as_map)
        .map(|c| {
            c.iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `components.securitySchemes`, each `$ref` resolved (one that does not resolve is left out).
fn read_schemes(trees: &Trees, root: &Node) -> Vec<NamedScheme> {
    let Some(entries) = root
        .get("components")
        .and_then(|c| c.get("securitySchemes"))
        .and_then(Node::as_map)
    else {
        return Vec::new();
    };
    let mut schemes = Vec::new();
    for (name, scheme) in entries {
        let Some(name) = name.as_str() else { continue };
        let Ok(scheme) = trees.resolve(scheme) else {
            continue;
        };
        let kind = match (
            string_at(scheme, "type"),
            string_at(scheme, "scheme").map(str::to_ascii_lowercase),
        ) {
            (Some("http"), Some(s)) if s == "basic" => Scheme::Basic,
            (Some("http"), Some(s)) if s == "bearer" => Scheme::Bearer,
            // A client of an OAuth 2.0 / OpenID Connect protected API holds an access
            // token and sends it as a bearer token (RFC 6750); obtaining it is a workflow's
            // business (see the corpus's oauth example), not the runtime's.
            (Some("oauth2" | "openIdConnect"), _) => Scheme::Bearer,
            (Some("apiKey"), _) => Scheme::ApiKey {
                location: ApiKeyIn::parse(string_at(scheme, "in")),
                name: string_at(scheme, "name").unwrap_or_default().to_owned(),
            },
            (Some(t), s) => Scheme::Unsupported(match s {
                Some(s) => format!("{t} ({s})"),
                None => t.to_owned(),
            }),
            (None, _) => Scheme::Unsupported("unknown".to_owned()),
        };
        schemes.push(NamedScheme {
            name: name.to_owned(),
            scheme: kind,
        });
    }
    schemes
}

fn server_url(server: &Node) -> Option<String> {
    let mut url = string_at(server, "url")?.to_owned();
    if let Some(vars) = server.get("variables").and_then(Node::as_map) {
        for (name, var) in vars {
            if let (Some(name), Some(default)) = (name.as_str(), string_at(var, "default")) {
                url = url.replace(&format!("{{{name}}}"), default);
            }
        }
    }
    Some(url)
}

fn read_security(node: &Node) -> Vec<Vec<String>> {
    node.as_seq()
        .map(|alternatives| {
            alternatives
                .iter()
                .map(|alt| {
                    alt.as_map()
                        .map(|m| {
                            m.iter()
                                .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn read_params(problems: &mut Vec<Problem>, trees: &Trees, node: Option<&Node>) -> Vec<Param> {
    let Some(items) = node.and_then(Node::as_seq) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let param = match trees.resolve(item) {
            Ok(p) => p,
            Err(e) => {
                problems.push(Problem::new(item.loc, e, None));
                continue;
            }
        };
        let (Some(name), Some(location)) = (string_at(param, "name"), string_at(param, "in"))
        else {
            problems.push(Problem::new(
                param.loc,
                "an OpenAPI parameter needs `name` and `in`",
                None,
            ));
            continue;
        };
        // Another `in` is no OpenAPI 3 parameter: no step can supply it. (Swagger 2.0's
        // `body` and `formData` arrive as a request body, [`crate::swagger`].)
        let Some(location) = ParamIn::parse(location) else {
            continue;
        };
        // OpenAPI 3.x: header parameters with these names "SHALL be ignored" (the
        // request body, content negotiation and security schemes own them).
        if location == ParamIn::Header
            && ["accept", "content-type", "authorization"]
                .contains(&name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let required = location == ParamIn::Path
            || matches!(
                param.get("required").map(|n| &n.kind),
                Some(Kind::Bool(true))
            );
        out.push(Param {
            name: name.to_owned(),
            location,
            required,
            schema: param.get("schema").cloned(),
            content: media_types(param.get("content")),
            style: string_at(param, "style").map(str::to_owned),
            explode: match param.get("explode").map(|n| &n.kind) {
                Some(Kind::Bool(b)) => Some(*b),
                _ => None,
            },
        });
    }
    out
}
