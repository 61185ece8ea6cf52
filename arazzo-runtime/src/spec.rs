//! The static tables generated code hands the runtime: the document's sources and security
//! schemes (for the client) and each step's operation (for its requests).

/// A source description of the document, as the compiler saw it.
#[derive(Debug, Clone, Copy)]
pub struct SourceSpec {
    /// The source's `name` in the Arazzo document.
    pub name: &'static str,
    /// `servers[0].url` of the OpenAPI document with server variables at their defaults,
    /// or `None` when the document names no absolute server.
    pub default_base_url: Option<&'static str>,
    /// The generated builder method that overrides the base URL.
    pub base_url_method: &'static str,
}

/// Where an API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In a cookie.
    Cookie,
}

/// The kind of an OpenAPI security scheme that the runtime can apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: http, scheme: basic`.
    HttpBasic,
    /// `type: http, scheme: bearer`.
    HttpBearer,
    /// `type: apiKey` with its location and parameter name.
    ApiKey {
        /// Where the key is sent.
        location: ApiKeyLocation,
        /// The query parameter, header or cookie name.
        name: &'static str,
    },
}

/// A security scheme that some operation of the document requires.
#[derive(Debug, Clone, Copy)]
pub struct SchemeSpec {
    /// Index of the source description that declares the scheme.
    pub source: usize,
    /// The scheme's name under `components.securitySchemes`.
    pub name: &'static str,
    /// How the credential is applied to a request.
    pub kind: SchemeKind,
    /// The generated builder method that supplies the credential.
    pub builder_method: &'static str,
}

/// One piece of a path segment: literal text or a path parameter.
#[derive(Debug, Clone, Copy)]
pub enum PathPiece {
    /// Literal text from the path template.
    Lit(&'static str),
    /// The path parameter with this index.
    Param(usize),
}

/// A step as the compiler resolved it: the operation it calls and how to authenticate.
#[derive(Debug)]
pub struct StepSpec {
    /// The step's `stepId`.
    pub id: &'static str,
    /// The operation's `operationId`, or `METHOD /path` when it has none.
    pub operation: &'static str,
    /// Index of the source description that defines the operation.
    pub source: usize,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template split into segments, each a list of pieces.
    pub path: &'static [&'static [PathPiece]],
    /// The operation's security requirement alternatives: each inner list names scheme
    /// indexes that must all be applied; the first alternative whose credentials are all set
    /// is used. An empty outer list means no authentication.
    pub security: &'static [&'static [usize]],
    /// Whether an output or criterion reads the request that was sent (`$url`, `$method`,
    /// `$request.*`): only then is a copy of it kept with the response.
    pub keeps_request: bool,
}

impl StepSpec {
    /// How many path parameters the path template has.
    pub(crate) fn path_params(&self) -> usize {
        self.path
            .iter()
            .flat_map(|segment| segment.iter())
            .filter_map(|piece| match piece {
                PathPiece::Param(i) => Some(i + 1),
                PathPiece::Lit(_) => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// How a JSON payload is written as XML: one schema node of the request body, with what its
/// OpenAPI `xml` object says (the compiler reads the schema; see `docs/limitations.md`).
#[derive(Debug)]
pub struct XmlNode {
    /// The element's (or attribute's) local name: `xml.name`, else the property name, else
    /// the component name of the root schema, else `root` (`item` for root array items).
    pub name: &'static str,
    /// `xml.prefix`: written as `prefix:name`.
    pub prefix: Option<&'static str>,
    /// `xml.namespace`: declared (`xmlns` or `xmlns:prefix`) on the element.
    pub namespace: Option<&'static str>,
    /// `xml.attribute`: a property written as an attribute of its parent element.
    pub attribute: bool,
    /// What the schema says the value is.
    pub shape: XmlShape,
}

/// What a schema node of an XML payload says its value is.
#[derive(Debug)]
pub enum XmlShape {
    /// A string, number, integer or boolean: the value as the element's text.
    Text,
    /// An object: its declared properties in schema order; members the schema does not
    /// declare follow as elements named by their keys.
    Object(&'static [XmlProperty]),
    /// An array: one element per item, inside this node's element when `wrapped`
    /// (`xml.wrapped`), else directly in the parent.
    Array {
        /// `xml.wrapped`.
        wrapped: bool,
        /// How each item is written.
        items: &'static XmlNode,
    },
    /// The schema says nothing usable (no `type`, `oneOf`, too deep): objects become
    /// elements named by their keys, arrays repeated elements, anything else text.
    Any,
}

/// A declared property of an object in an XML payload.
#[derive(Debug)]
pub struct XmlProperty {
    /// The member name in the JSON payload.
    pub key: &'static str,
    /// How its value is written.
    pub node: XmlNode,
}

/// A declared field of a `multipart/form-data` payload whose part is not a plain text or
/// JSON part, from the request body's schema and `encoding` object.
#[derive(Debug)]
pub struct PartSpec {
    /// The field (property) name.
    pub name: &'static str,
    /// A file part: the schema says `format: binary` or has a `contentMediaType` (also for
    /// the items of an array, one file part each).
    pub file: bool,
    /// The part's `Content-Type`: the field's `encoding.contentType` (its first type), else
    /// for a file the schema's `contentMediaType`, else `application/octet-stream`.
    pub content_type: Option<&'static str>,
}
