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
