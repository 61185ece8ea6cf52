//! Arazzo runtime expressions (`$inputs.x`, `$steps.s.outputs.o`, `$response.body#/a/b`, ...).
//!
//! The grammar is the ABNF of Arazzo 1.0.1 §4.8.20.4, plus the 1.1 form that appends a JSON
//! pointer to `$steps`/`$workflows`/`$inputs` references (`$steps.a.outputs.b#/c`), and the
//! `{$…}` embedding of expressions in strings.

/// A JSON pointer (RFC 6901), pre-split into unescaped tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer {
    /// The pointer as written, e.g. `/data/values`.
    pub text: String,
    /// Its unescaped reference tokens, e.g. `["data", "values"]`.
    pub tokens: Vec<String>,
}

/// Where a `$request`/`$response` expression reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `header.<name>`
    Header(String),
    /// `query.<name>`
    Query(String),
    /// `path.<name>`
    Path(String),
    /// `body` with an optional `#pointer`.
    Body(Option<Pointer>),
}

/// Where a `$message` expression reads from (Arazzo 1.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageSource {
    /// `header.<name>`
    Header(String),
    /// `payload` with an optional `#pointer`.
    Payload(Option<Pointer>),
}

/// A parsed runtime expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    /// `$url`
    Url,
    /// `$method`
    Method,
    /// `$statusCode`
    StatusCode,
    /// `$self` (Arazzo 1.1): the document's `$self` URI.
    SelfUri,
    /// `$request.<source>`
    Request(Source),
    /// `$response.<source>`
    Response(Source),
    /// `$message.<source>` (Arazzo 1.1): the message a receive step received.
    Message(MessageSource),
    /// `$inputs.<name>[#pointer]`
    Inputs {
        /// The input's name.
        name: String,
        /// Further property names (`$inputs.user.name`) or a pointer, as tokens.
        path: Vec<String>,
    },
    /// `$outputs.<name>[#pointer]` (the pointer is the 1.1 form)
    Outputs {
        /// The called workflow's output.
        name: String,
        /// An optional pointer into the output's value.
        pointer: Option<Pointer>,
    },
    /// `$steps.<stepId>.outputs.<name>[#pointer]`
    Steps {
        /// The step id.
        step: String,
        /// The output name.
        output: String,
        /// An optional pointer into the output's value.
        pointer: Option<Pointer>,
    },
    /// `$workflows.<workflowId>.(inputs|outputs).<name>[#pointer]`
    Workflows {
        /// The workflow id.
        workflow: String,
        /// `true` for `outputs`, `false` for `inputs`.
        outputs: bool,
        /// The input or output name.
        name: String,
        /// An optional pointer into the value.
        pointer: Option<Pointer>,
    },
    /// `$sourceDescriptions.<name>[.<rest>]`
    SourceDescriptions {
        /// The source name.
        name: String,
        /// What follows the name (`url`, an operationId, ...).
        rest: String,
    },
    /// `$components.<kind>.<name>`
    Components {
        /// `inputs`, `parameters`, `successActions` or `failureActions`.
        kind: String,
        /// The component's name.
        name: String,
    },
}

/// Why an expression does not parse, with an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// When the text is an expression as another runner writes it, the specification's
    /// spelling of it (the help says the same in words).
    pub respelling: Option<Respelling>,
}

/// The specification's spelling of an expression that another runner's dialect writes
/// differently (`$response.headers.X` for `$response.header.X`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Respelling {
    /// The bytes of the parsed text that are the expression: all of it for [`parse`], the
    /// expression's place for [`template`] and [`crate::condition::parse`].
    pub range: std::ops::Range<usize>,
    /// The expression as Arazzo writes it.
    pub text: String,
}

impl ExprError {
    /// The error of an expression found at byte `offset` of a larger text: its respelling
    /// moved there.
    pub(crate) fn at(mut self, offset: usize) -> ExprError {
        if let Some(r) = &mut self.respelling {
            r.range = r.range.start + offset..r.range.end + offset;
        }
        self
    }
}

fn err(message: impl Into<String>, help: Option<String>) -> ExprError {
    ExprError {
        message: message.into(),
        help,
        respelling: None,
    }
}

/// An expression in another runner's dialect whose Arazzo spelling is `spelled` (the range is
/// set by [`parse`], which knows the whole text).
fn dialect(message: String, spelled: String) -> ExprError {
    ExprError {
        message,
        help: Some(format!("write `{spelled}`")),
        respelling: Some(Respelling {
            range: 0..0,
            text: spelled,
        }),
    }
}

/// The expression roots, for suggestions.
pub const ROOTS: &[&str] = &[
    "$url",
    "$method",
    "$statusCode",
    "$request",
    "$response",
    "$message",
    "$inputs",
    "$outputs",
    "$steps",
    "$workflows",
    "$sourceDescriptions",
    "$components",
];

/// Whether a YAML string value is meant as a runtime expression.
pub fn is_expression(text: &str) -> bool {
    text.starts_with('$')
}

fn dotted(rest: Option<&str>) -> Option<&str> {
    rest.and_then(|r| r.strip_prefix('.'))
}

/// Parses a runtime expression.
///
/// ```
/// use arazzo_compiler::expr::{parse, Expr};
/// let Ok(Expr::Steps { step, output, pointer }) = parse("$steps.create.outputs.item#/id") else {
///     panic!("a step output");
/// };
/// assert_eq!((step.as_str(), output.as_str()), ("create", "item"));
/// assert!(pointer.is_some());
/// assert!(parse("$stepz.create").is_err());
/// ```
pub fn parse(text: &str) -> Result<Expr, ExprError> {
    parse_unplaced(text).map_err(|mut e| {
        if let Some(r) = &mut e.respelling {
            r.range = 0..text.len();
        }
        e
    })
}

/// [`parse`], with the range of a respelling not yet set.
fn parse_unplaced(text: &str) -> Result<Expr, ExprError> {
    let Some(body) = text.strip_prefix('$') else {
        return Err(err(
            format!("`{text}` is not a runtime expression (they start with `$`)"),
            None,
        ));
    };
    let (root, rest) = match body.find(['.', '#']) {
        Some(i) => (&body[..i], Some(&body[i..])),
        None => (body, None),
    };
    match root {
        "url" | "method" | "statusCode" | "self" => {
            if let Some(rest) = rest {
                return Err(err(
                    format!("`${root}` takes nothing after it, found `{rest}`"),
                    None,
                ));
            }
            Ok(match root {
                "url" => Expr::Url,
                "method" => Expr::Method,
                "self" => Expr::SelfUri,
                _ => Expr::StatusCode,
            })
        }
        "request" | "response" => {
            let Some(src) = dotted(rest) else {
                return Err(err(
                    format!(
                        "`${root}` must be followed by `.header.<name>`, `.query.<name>`, `.path.<name>` or `.body`"
                    ),
                    None,
                ));
            };
            let source = parse_source(root, src)?;
            Ok(if root == "request" {
                Expr::Request(source)
            } else {
                Expr::Response(source)
            })
        }
        "message" => parse_message(dotted(rest).unwrap_or_default()),
        "inputs" => parse_inputs(rest),
        "outputs" => {
            let (name, pointer) = split_pointer(dotted(rest).unwrap_or_default())?;
            if name.is_empty() {
                return Err(err("`$outputs` must be followed by `.<outputName>`", None));
            }
            Ok(Expr::Outputs {
                name: name.to_owned(),
                pointer,
            })
        }
        "steps" => parse_steps(rest),
        "workflows" => parse_workflows(rest),
        "sourceDescriptions" => {
            let Some(rest) = dotted(rest) else {
                return Err(err("expected `$sourceDescriptions.<name>`", None));
            };
            let (name, tail) = rest.split_once('.').unwrap_or((rest, ""));
            if name.is_empty() {
                return Err(err("expected `$sourceDescriptions.<name>`", None));
            }
            Ok(Expr::SourceDescriptions {
                name: name.to_owned(),
                rest: tail.to_owned(),
            })
        }
        "components" => parse_components(rest),
        _ => {
            let written = format!("${root}");
            Err(err(
                format!("unknown runtime expression `{text}`"),
                crate::diag::suggest(&written, ROOTS.iter().copied()),
            ))
        }
    }
}

/// `$message.payload[#pointer]` or `$message.header.<name>`, from what follows `$message.`.
fn parse_message(src: &str) -> Result<Expr, ExprError> {
    if src == "payload" {
        return Ok(Expr::Message(MessageSource::Payload(None)));
    }
    if let Some(pointer) = src.strip_prefix("payload#") {
        return Ok(Expr::Message(MessageSource::Payload(Some(parse_pointer(
            pointer,
        )?))));
    }
    if let Some(path) = src.strip_prefix("payload.") {
        let message =
            format!("`$message.{src}`: a place in the payload is a JSON pointer after `#`");
        return Err(
            if path.contains('#') || path.split('.').any(str::is_empty) {
                err(message, None)
            } else {
                dialect(message, format!("$message.payload#/{}", pointer_of(path)))
            },
        );
    }
    if let Some(name) = src.strip_prefix("header.")
        && !name.is_empty()
    {
        if let Some(bad) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))
        {
            return Err(err(format!("`{bad}` cannot appear in a header name"), None));
        }
        return Ok(Expr::Message(MessageSource::Header(name.to_owned())));
    }
    Err(err(
        format!("`$message.{src}` is not a message source"),
        Some(
            "write `$message.payload`, `$message.payload#/<pointer>` or `$message.header.<name>`"
                .to_owned(),
        ),
    ))
}

/// `$inputs.<name>[.<property>…][#pointer]`, from what follows `$inputs`.
fn parse_inputs(rest: Option<&str>) -> Result<Expr, ExprError> {
    let Some(rest) = dotted(rest) else {
        return Err(err("`$inputs` must be followed by `.<inputName>`", None));
    };
    let (names, pointer) = split_pointer(rest)?;
    let mut parts = names.split('.');
    let name = parts.next().unwrap_or_default().to_owned();
    if name.is_empty() {
        return Err(err("`$inputs.` must be followed by an input name", None));
    }
    let mut path: Vec<String> = parts.map(str::to_owned).collect();
    if path.iter().any(String::is_empty) {
        return Err(err(
            format!("`$inputs.{names}` has an empty property name"),
            None,
        ));
    }
    if let Some(pointer) = pointer {
        path.extend(pointer.tokens);
    }
    Ok(Expr::Inputs { name, path })
}

/// `$steps.<stepId>.outputs.<name>[#pointer]`, from what follows `$steps`.
fn parse_steps(rest: Option<&str>) -> Result<Expr, ExprError> {
    let Some(rest) = dotted(rest) else {
        return Err(err("expected `$steps.<stepId>.outputs.<name>`", None));
    };
    let (names, pointer) = split_pointer(rest)?;
    let Some(i) = names.find(".outputs.") else {
        // `$steps.<step>.<name>`: the output is written after `.outputs.`.
        let message =
            format!("`$steps.{names}` must have the form `$steps.<stepId>.outputs.<name>`");
        return Err(
            match names
                .split_once('.')
                .filter(|(step, name)| !step.is_empty() && !name.is_empty() && !name.contains('.'))
            {
                Some((step, name)) => {
                    let pointer = pointer.map_or(String::new(), |p| format!("#{}", p.text));
                    dialect(message, format!("$steps.{step}.outputs.{name}{pointer}"))
                }
                None => err(message, None),
            },
        );
    };
    let (step, output) = (&names[..i], &names[i + ".outputs.".len()..]);
    if step.is_empty() || output.is_empty() {
        return Err(err("expected `$steps.<stepId>.outputs.<name>`", None));
    }
    Ok(Expr::Steps {
        step: step.to_owned(),
        output: output.to_owned(),
        pointer,
    })
}

/// `$workflows.<workflowId>.(inputs|outputs).<name>[#pointer]`, from what follows
/// `$workflows`.
fn parse_workflows(rest: Option<&str>) -> Result<Expr, ExprError> {
    let Some(rest) = dotted(rest) else {
        return Err(err(
            "expected `$workflows.<workflowId>.outputs.<name>`",
            None,
        ));
    };
    let (names, pointer) = split_pointer(rest)?;
    let found = names
        .find(".outputs.")
        .map(|i| (i, true, ".outputs.".len()))
        .or_else(|| names.find(".inputs.").map(|i| (i, false, ".inputs.".len())));
    let Some((i, outputs, skip)) = found else {
        return Err(err(
            format!(
                "`$workflows.{names}` must have the form `$workflows.<workflowId>.outputs.<name>` or `.inputs.<name>`"
            ),
            None,
        ));
    };
    let (workflow, name) = (&names[..i], &names[i + skip..]);
    if workflow.is_empty() || name.is_empty() {
        return Err(err(
            "expected `$workflows.<workflowId>.outputs.<name>`",
            None,
        ));
    }
    Ok(Expr::Workflows {
        workflow: workflow.to_owned(),
        outputs,
        name: name.to_owned(),
        pointer,
    })
}

/// `$components.<kind>.<name>`, from what follows `$components`.
fn parse_components(rest: Option<&str>) -> Result<Expr, ExprError> {
    let Some(rest) = dotted(rest) else {
        return Err(err("expected `$components.<kind>.<name>`", None));
    };
    let Some((kind, name)) = rest.split_once('.') else {
        return Err(err(
            format!("`$components.{rest}` must have the form `$components.<kind>.<name>`"),
            None,
        ));
    };
    const KINDS: [&str; 4] = ["inputs", "parameters", "successActions", "failureActions"];
    if !KINDS.contains(&kind) {
        return Err(err(
            format!("`$components.{kind}` is not a component kind"),
            crate::diag::suggest(kind, KINDS),
        ));
    }
    Ok(Expr::Components {
        kind: kind.to_owned(),
        name: name.to_owned(),
    })
}

fn parse_source(root: &str, src: &str) -> Result<Source, ExprError> {
    if src == "body" {
        return Ok(Source::Body(None));
    }
    if let Some(pointer) = src.strip_prefix("body#") {
        return Ok(Source::Body(Some(parse_pointer(pointer)?)));
    }
    let (kind, name) = src.split_once('.').unwrap_or((src, ""));
    let named = |f: fn(String) -> Source| {
        if name.is_empty() {
            Err(err(
                format!("`${root}.{kind}` must be followed by `.<name>`"),
                None,
            ))
        } else {
            Ok(f(name.to_owned()))
        }
    };
    match kind {
        "header" => {
            // RFC 9110 token characters only.
            if let Some(bad) = name
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(*c)))
            {
                return Err(err(format!("`{bad}` cannot appear in a header name"), None));
            }
            named(Source::Header)
        }
        "query" => named(Source::Query),
        "path" => named(Source::Path),
        // `body.user.name`: a place in the body is a JSON pointer after `#`.
        "body" => {
            let message =
                format!("`${root}.{src}`: a place in the body is a JSON pointer after `#`");
            // Only a plain dotted path has one reading (`body.a#/b` or `body.a..b` has none).
            Err(
                if name.contains('#') || name.split('.').any(str::is_empty) {
                    err(message, None)
                } else {
                    dialect(message, format!("${root}.body#/{}", pointer_of(name)))
                },
            )
        }
        "headers" if !name.is_empty() => Err(dialect(
            format!("`${root}.headers` is not a request/response source"),
            format!("${root}.header.{name}"),
        )),
        _ => Err(err(
            format!("`${root}.{kind}` is not a request/response source"),
            crate::diag::suggest(kind, ["header", "query", "path", "body"]),
        )),
    }
}

/// A dotted path (`user.name`), as other runners write a place, as the JSON pointer Arazzo
/// writes after `#/` (`user/name`), each token escaped.
pub(crate) fn pointer_of(dotted: &str) -> String {
    dotted
        .split('.')
        .map(|t| t.replace('~', "~0").replace('/', "~1"))
        .collect::<Vec<_>>()
        .join("/")
}

fn split_pointer(text: &str) -> Result<(&str, Option<Pointer>), ExprError> {
    match text.split_once('#') {
        None => Ok((text, None)),
        Some((names, pointer)) => Ok((names, Some(parse_pointer(pointer)?))),
    }
}

/// Whether `id` is an `identifier-strict` of Arazzo 1.1's ABNF (`[A-Za-z0-9_-]+`): how 1.1's
/// runtime expressions name steps, workflows and source descriptions.
pub(crate) fn is_strict_identifier(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Checks a parsed expression against what Arazzo 1.1's ABNF makes stricter than 1.0's:
/// step ids, workflow ids and source names are `identifier-strict` (`[A-Za-z0-9_-]+`, no
/// dots), output and component names `identifier` (`[A-Za-z0-9._-]+`), `$components` names
/// `parameters`, `successActions` or `failureActions`, and a JSON pointer holds no `{` or `}`
/// (they delimit embedded expressions).
pub fn check_strict(expr: &Expr) -> Result<(), ExprError> {
    let strict = |what: &str, id: &str| {
        if is_strict_identifier(id) {
            return Ok(());
        }
        Err(err(
            format!(
                "in Arazzo 1.1 a {what} in a runtime expression may use only letters, digits, `_` and `-`; `{id}` does not"
            ),
            Some(format!(
                "rename the {what} (and every expression naming it) to use only those characters"
            )),
        ))
    };
    let identifier = |what: &str, name: &str| {
        if crate::decode::is_component_name(name) {
            return Ok(());
        }
        Err(err(
            format!(
                "in Arazzo 1.1 a {what} in a runtime expression may use only letters, digits, `.`, `_` and `-`; `{name}` does not"
            ),
            Some(format!("rename the {what} to use only those characters")),
        ))
    };
    let pointer = |pointer: &Option<Pointer>| {
        match pointer {
        Some(p) if p.text.contains(['{', '}']) => Err(err(
            format!("in Arazzo 1.1 a JSON pointer in a runtime expression may not hold `{{` or `}}`; `{}` does", p.text),
            Some("a member whose name holds `{` or `}` cannot be named in a 1.1 pointer; point at the object that holds it".to_owned()),
        )),
        _ => Ok(()),
    }
    };
    match expr {
        Expr::Steps {
            step,
            output,
            pointer: p,
        } => {
            strict("step id", step)?;
            identifier("output name", output)?;
            pointer(p)
        }
        Expr::Workflows {
            workflow,
            name,
            pointer: p,
            ..
        } => {
            strict("workflow id", workflow)?;
            identifier("name", name)?;
            pointer(p)
        }
        Expr::Outputs { name, pointer: p } => {
            identifier("output name", name)?;
            pointer(p)
        }
        Expr::SourceDescriptions { name, .. } => strict("source description name", name),
        Expr::Components { kind, name } => {
            if !matches!(
                kind.as_str(),
                "parameters" | "successActions" | "failureActions"
            ) {
                return Err(err(
                    format!(
                        "in Arazzo 1.1 `$components.{kind}` is not a runtime expression: only `parameters`, `successActions` and `failureActions` are"
                    ),
                    None,
                ));
            }
            identifier("component name", name)
        }
        Expr::Request(Source::Body(p)) | Expr::Response(Source::Body(p)) => pointer(p),
        _ => Ok(()),
    }
}

/// Parses a JSON pointer (RFC 6901): empty, or `/`-separated tokens with `~0`/`~1` escapes.
pub fn parse_pointer(text: &str) -> Result<Pointer, ExprError> {
    if text.is_empty() {
        return Ok(Pointer {
            text: String::new(),
            tokens: Vec::new(),
        });
    }
    let Some(rest) = text.strip_prefix('/') else {
        return Err(err(
            format!("JSON pointer `{text}` must start with `/`"),
            Some(format!("write `#/{text}`")),
        ));
    };
    let mut tokens = Vec::new();
    for raw in rest.split('/') {
        let mut token = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '~' {
                match chars.next() {
                    Some('0') => token.push('~'),
                    Some('1') => token.push('/'),
                    _ => {
                        return Err(err(
                            format!("JSON pointer `{text}` has a `~` not followed by `0` or `1`"),
                            Some("write `~0` for `~` and `~1` for `/`".to_owned()),
                        ));
                    }
                }
            } else {
                token.push(c);
            }
        }
        tokens.push(token);
    }
    Ok(Pointer {
        text: text.to_owned(),
        tokens,
    })
}

/// A piece of a string value with embedded expressions (`"Bearer {$inputs.token}"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Literal text.
    Lit(String),
    /// An embedded expression, with its source text.
    Expr(Expr, String),
}

/// Splits a string with `{$…}` embeddings into parts; `Ok(None)` when it embeds nothing.
///
/// ```
/// use arazzo_compiler::expr::{template, Part};
/// let parts = template("Bearer {$inputs.token}").unwrap().expect("one embedding");
/// assert!(matches!(&parts[0], Part::Lit(text) if text == "Bearer "));
/// assert!(matches!(&parts[1], Part::Expr(_, source) if source == "$inputs.token"));
/// assert!(template("no embedding").unwrap().is_none());
/// ```
pub fn template(text: &str) -> Result<Option<Vec<Part>>, ExprError> {
    if !text.contains("{$") {
        return Ok(None);
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{$") {
        if start > 0 {
            parts.push(Part::Lit(rest[..start].to_owned()));
        }
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            return Err(err(
                format!("`{{` at `{}` is never closed", &rest[start..]),
                None,
            ));
        };
        let source = &after[..end];
        let offset = text.len() - after.len();
        parts.push(Part::Expr(
            parse(source).map_err(|e| e.at(offset))?,
            source.to_owned(),
        ));
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        parts.push(Part::Lit(rest.to_owned()));
    }
    Ok(Some(parts))
}

/// Where the embedding that makes [`template`] fail starts: the byte offset of the
/// expression that does not parse, or of the `{` that is never closed.
pub fn template_error_offset(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find("{$")) {
        let start = from + found + 1;
        let Some(end) = text.get(start..).and_then(|rest| rest.find('}')) else {
            return Some(start - 1);
        };
        if parse(text.get(start..start + end).unwrap_or_default()).is_err() {
            return Some(start);
        }
        from = start + end + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ptr(text: &str, tokens: &[&str]) -> Pointer {
        Pointer {
            text: text.into(),
            tokens: tokens.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn parses_every_root() {
        let cases: Vec<(&str, Expr)> = vec![
            ("$url", Expr::Url),
            ("$method", Expr::Method),
            ("$statusCode", Expr::StatusCode),
            (
                "$request.header.X-Api-Key",
                Expr::Request(Source::Header("X-Api-Key".into())),
            ),
            (
                "$request.query.limit",
                Expr::Request(Source::Query("limit".into())),
            ),
            ("$request.path.id", Expr::Request(Source::Path("id".into()))),
            ("$response.body", Expr::Response(Source::Body(None))),
            (
                "$response.body#/data/values",
                Expr::Response(Source::Body(Some(ptr("/data/values", &["data", "values"])))),
            ),
            (
                "$response.body#/a~1b/c~0d",
                Expr::Response(Source::Body(Some(ptr("/a~1b/c~0d", &["a/b", "c~d"])))),
            ),
            (
                "$inputs.projectId",
                Expr::Inputs {
                    name: "projectId".into(),
                    path: vec![],
                },
            ),
            (
                "$inputs.user.name",
                Expr::Inputs {
                    name: "user".into(),
                    path: vec!["name".into()],
                },
            ),
            (
                "$outputs.x",
                Expr::Outputs {
                    name: "x".into(),
                    pointer: None,
                },
            ),
            (
                "$steps.create.identity.outputs.status",
                Expr::Steps {
                    step: "create.identity".into(),
                    output: "status".into(),
                    pointer: None,
                },
            ),
            (
                "$steps.a.outputs.b#/0/c",
                Expr::Steps {
                    step: "a".into(),
                    output: "b".into(),
                    pointer: Some(ptr("/0/c", &["0", "c"])),
                },
            ),
            (
                "$workflows.w.inputs.i",
                Expr::Workflows {
                    workflow: "w".into(),
                    outputs: false,
                    name: "i".into(),
                    pointer: None,
                },
            ),
            (
                "$sourceDescriptions.petStore.url",
                Expr::SourceDescriptions {
                    name: "petStore".into(),
                    rest: "url".into(),
                },
            ),
            (
                "$components.parameters.page",
                Expr::Components {
                    kind: "parameters".into(),
                    name: "page".into(),
                },
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn rejects_with_suggestions() {
        let e = parse("$input.x").expect_err("typo");
        assert_eq!(e.help.as_deref(), Some("did you mean `$inputs`?"));
        let e = parse("$steps.a.output.b").expect_err("typo");
        assert!(
            e.message.contains("$steps.<stepId>.outputs.<name>"),
            "{}",
            e.message
        );
        assert!(parse("$statusCode.x").is_err());
        assert!(parse("$response.body#data").is_err());
        assert!(parse("$response.body#/a~2").is_err());
        assert!(parse("$response.heder.x").expect_err("typo").help.is_some());
        assert!(parse("$components.things.x").is_err());
    }

    #[test]
    fn templates() {
        assert_eq!(template("plain"), Ok(None));
        let parts = template("Bearer {$inputs.token}!")
            .expect("ok")
            .expect("some");
        assert_eq!(
            parts,
            vec![
                Part::Lit("Bearer ".into()),
                Part::Expr(
                    Expr::Inputs {
                        name: "token".into(),
                        path: vec![]
                    },
                    "$inputs.token".into()
                ),
                Part::Lit("!".into()),
            ]
        );
        assert!(template("x {$inputs.a").is_err());
    }
}
