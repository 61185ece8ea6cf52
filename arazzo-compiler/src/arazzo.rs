//! The Arazzo document model, read from the located YAML tree.

use crate::decode::{S, map_of, object, opt_seq, opt_str, req_str, string};
use crate::diag::Diags;
use crate::files::Loc;
use crate::openapi::ParamIn;
use crate::refs::Trees;
use crate::selector::{ExprOrSelector, SelectorKind, read_expr_or_selector, read_selector_type};
use crate::version::Version;
use crate::yaml::{Kind, Node};

/// An Arazzo document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The Arazzo version it declares (`arazzo`); 1.0 when that is missing or unknown
    /// (already reported).
    pub version: Version,
    /// `$self` (Arazzo 1.1): the document's URI, validated.
    pub self_uri: Option<S>,
    pub info: Info,
    /// `sourceDescriptions`.
    pub sources: Vec<SourceDescription>,
    pub workflows: Vec<Workflow>,
    /// `components`, kept as a tree (read on demand).
    pub components: Option<Node>,
}

impl Document {
    /// Whether the document is written to Arazzo 1.1 (`arazzo: 1.1.x`).
    pub fn is_1_1(&self) -> bool {
        self.version == Version::V1_1
    }

    /// The component `components.<kind>.<name>`.
    pub fn component(&self, kind: &str, name: &str) -> Option<&Node> {
        self.components_of(kind)
            .iter()
            .find(|(k, _)| k.as_str() == Some(name))
            .map(|(_, v)| v)
    }

    /// The names of the components of one kind, in document order.
    pub fn component_names(&self, kind: &str) -> Vec<&str> {
        self.components_of(kind)
            .iter()
            .filter_map(|(k, _)| k.as_str())
            .collect()
    }

    fn components_of(&self, kind: &str) -> &[(Node, Node)] {
        self.components
            .as_ref()
            .and_then(|c| c.get(kind))
            .and_then(Node::as_map)
            .unwrap_or(&[])
    }
}

/// The `info` object.
#[derive(Debug, Clone, Default)]
pub struct Info {
    pub title: String,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// A source description.
#[derive(Debug, Clone)]
pub struct SourceDescription {
    pub name: S,
    pub url: S,
    /// `type` (`openapi`, `arazzo` or, in 1.1, `asyncapi`), if given.
    pub kind: Option<S>,
}

impl SourceDescription {
    /// Whether it names an Arazzo document (`type: arazzo`) rather than an OpenAPI one.
    pub fn is_arazzo(&self) -> bool {
        self.kind.as_ref().is_some_and(|k| k.value == "arazzo")
    }

    /// Whether it names an AsyncAPI document (`type: asyncapi`, Arazzo 1.1).
    pub fn is_asyncapi(&self) -> bool {
        self.kind.as_ref().is_some_and(|k| k.value == "asyncapi")
    }
}

/// A name that may be qualified by a source description: `$sourceDescriptions.<source>.<name>`
/// names an operationId of an OpenAPI source or a workflowId of an Arazzo one; anything else
/// is a name of this document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceRef<'t> {
    /// A name of this document.
    Local(&'t str),
    /// `$sourceDescriptions.<source>.<name>`.
    Qualified {
        /// The source description's name.
        source: &'t str,
        /// What follows it; `None` when nothing does (the reference is malformed).
        name: Option<&'t str>,
    },
}

impl<'t> SourceRef<'t> {
    /// Reads a `workflowId` or `operationId`.
    pub fn parse(text: &'t str) -> SourceRef<'t> {
        let Some(rest) = text.strip_prefix("$sourceDescriptions.") else {
            return SourceRef::Local(text);
        };
        match rest.split_once('.') {
            Some((source, name)) => SourceRef::Qualified {
                source,
                name: Some(name),
            },
            None => SourceRef::Qualified {
                source: rest,
                name: None,
            },
        }
    }

    /// Reads an `operationPath`, `{$sourceDescriptions.<source>.url}#<JSON pointer>` (the
    /// specification's form), or `$sourceDescriptions.<source>#<JSON pointer>` (the runtime
    /// expression naming the source itself, which published examples write): the source and
    /// the pointer as written, or `None` when it has another form.
    pub fn operation_path(text: &str) -> Option<(&str, &str)> {
        if let Some(rest) = text.strip_prefix("{$sourceDescriptions.") {
            return rest.split_once(".url}#");
        }
        let (source, pointer) = text.strip_prefix("$sourceDescriptions.")?.split_once('#')?;
        (!source.is_empty() && !source.contains(['.', '{', '}'])).then_some((source, pointer))
    }
}

#[derive(Debug, Clone)]
pub struct Workflow {
    /// `workflowId`.
    pub id: S,
    pub summary: Option<String>,
    pub description: Option<String>,
    /// `inputs` (a JSON Schema).
    pub inputs: Option<Node>,
    pub depends_on: Vec<S>,
    pub steps: Vec<Step>,
    /// `outputs`: name → runtime expression or (1.1) Selector Object.
    pub outputs: Vec<(S, ExprOrSelector)>,
    /// `parameters` applied to every step.
    pub parameters: Vec<Parameter>,
    pub success_actions: Vec<Node>,
    pub failure_actions: Vec<Node>,
}

impl Workflow {
    /// The names of its inputs: the properties of its `inputs` schema (`$ref` followed).
    pub fn input_names<'t>(&'t self, trees: &'t Trees) -> Vec<&'t str> {
        self.inputs_schema(trees)
            .and_then(|s| s.get("properties"))
            .and_then(Node::as_map)
            .map(|p| p.iter().filter_map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default()
    }

    /// The inputs its `inputs` schema requires.
    pub fn required_inputs(&self, trees: &Trees) -> Vec<String> {
        self.inputs_schema(trees)
            .map(crate::types::required)
            .unwrap_or_default()
    }

    /// Its `inputs` schema, `$ref` (to `components.inputs`) followed; `None` when there is none
    /// or the reference does not resolve (reported where the workflow itself is checked).
    fn inputs_schema<'t>(&'t self, trees: &'t Trees) -> Option<&'t Node> {
        self.inputs.as_ref().and_then(|s| trees.resolve(s).ok())
    }
}

/// What a step calls.
#[derive(Debug, Clone)]
pub enum Target {
    /// `operationId`.
    OperationId(S),
    /// `operationPath`.
    OperationPath(S),
    /// `workflowId`.
    WorkflowId(S),
    /// `channelPath` (Arazzo 1.1): a channel of an AsyncAPI source.
    ChannelPath(S),
}

#[derive(Debug, Clone)]
pub struct Step {
    /// `stepId`.
    pub id: S,
    pub description: Option<String>,
    /// What the step calls (absent only in an invalid document, already reported).
    pub target: Option<Target>,
    pub parameters: Vec<Parameter>,
    pub request_body: Option<RequestBody>,
    pub success_criteria: Vec<Criterion>,
    pub on_success: Vec<Node>,
    pub on_failure: Vec<Node>,
    /// `outputs`: name → runtime expression or (1.1) Selector Object.
    pub outputs: Vec<(S, ExprOrSelector)>,
    /// `dependsOn` (Arazzo 1.1): the steps that must have completed before this one.
    pub depends_on: Vec<S>,
    /// `timeout` (Arazzo 1.1): how long the step may take.
    pub timeout: Option<Timeout>,
    /// `action` (Arazzo 1.1, AsyncAPI steps): `send` or `receive`, as written (checked).
    pub action: Option<S>,
    /// `correlationId` (Arazzo 1.1, AsyncAPI receive steps): a runtime expression or literal.
    pub correlation_id: Option<Node>,
    /// Where the step starts.
    pub loc: Loc,
}

/// A parameter (or a reusable-object reference to one).
#[derive(Debug, Clone)]
pub struct Parameter {
    /// `name` (absent for a reference).
    pub name: Option<S>,
    /// `in`.
    pub location: Option<S>,
    /// `value`: a literal or a runtime expression.
    pub value: Option<Node>,
    /// `reference` to `$components.parameters.x`.
    pub reference: Option<S>,
    /// Where it starts.
    pub loc: Loc,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    pub content_type: Option<S>,
    pub payload: Option<Node>,
    pub replacements: Vec<Node>,
    /// Where it starts.
    pub loc: Loc,
}

/// The kind of a criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CriterionKind {
    /// `simple` (the default).
    Simple,
    Regex,
    /// `jsonpath`, with the version if one was given.
    JsonPath(Option<String>),
    /// `xpath`, with the version if one was given.
    XPath(Option<String>),
}

/// A success criterion.
#[derive(Debug, Clone)]
pub struct Criterion {
    pub condition: S,
    pub context: Option<S>,
    /// `type`.
    pub kind: CriterionKind,
    /// Where it starts.
    pub loc: Loc,
}

const ROOT_FIELDS: &[&str] = &[
    "arazzo",
    "$self",
    "info",
    "sourceDescriptions",
    "workflows",
    "components",
];
const INFO_FIELDS: &[&str] = &["title", "summary", "description", "version"];
const SOURCE_FIELDS: &[&str] = &["name", "url", "type"];
const WORKFLOW_FIELDS: &[&str] = &[
    "workflowId",
    "summary",
    "description",
    "inputs",
    "dependsOn",
    "steps",
    "successActions",
    "failureActions",
    "outputs",
    "parameters",
];
const STEP_FIELDS: &[&str] = &[
    "description",
    "stepId",
    "operationId",
    "operationPath",
    "workflowId",
    "parameters",
    "requestBody",
    "successCriteria",
    "onSuccess",
    "onFailure",
    "outputs",
    "dependsOn",
    "timeout",
    "channelPath",
    "action",
    "correlationId",
];
const PARAMETER_FIELDS: &[&str] = &["name", "in", "value", "reference"];
const BODY_FIELDS: &[&str] = &["contentType", "payload", "replacements"];
const CRITERION_FIELDS: &[&str] = &["context", "condition", "type"];

/// A step's `timeout` (Arazzo 1.1).
#[derive(Debug, Clone, Copy)]
pub struct Timeout {
    /// The most the step may take, in milliseconds (positive).
    pub millis: u64,
    /// Where it is written.
    pub loc: Loc,
}

/// Reads a step's `timeout`: a positive whole number of milliseconds.
fn read_timeout(diags: &mut Diags, node: &Node, what: &str) -> Option<Timeout> {
    let value = node.get("timeout")?;
    match value.kind {
        Kind::Int(n) if n > 0 => Some(Timeout {
            millis: n.unsigned_abs(),
            loc: value.loc,
        }),
        _ => {
            diags.error_help(
                value.loc,
                format!("the `timeout` of {what} must be a positive whole number of milliseconds"),
                Some("write, for example, `timeout: 5000` for five seconds".to_owned()),
            );
            None
        }
    }
}

/// Reads a document, reporting every problem of shape into `diags`. Returns `None` only when
/// the root is not a mapping at all.
pub fn read(diags: &mut Diags, root: &Node) -> Option<Document> {
    let root = object(diags, root, "the Arazzo document", ROOT_FIELDS)?;
    let version = req_str(diags, root, "arazzo", "the Arazzo document").unwrap_or(S {
        value: String::new(),
        loc: root.loc,
        written: None,
    });
    let known = Version::parse(&version.value);
    if !version.value.is_empty() && known.is_none() {
        diags.error_help(
            version.loc,
            format!("unsupported Arazzo version `{}`", version.value),
            Some("this compiler reads Arazzo 1.0.x and 1.1.x".to_owned()),
        );
    }
    let version = known.unwrap_or(Version::V1_0);
    // The 1.1 additions are reported by version, and the ones not read are left out.
    let screened = crate::screen::screen(diags, root, version);
    let root = &screened;
    let self_uri = opt_str(diags, root, "$self", "the Arazzo document");
    if let Some(uri) = &self_uri {
        crate::uri::check_self(diags, uri);
    }
    let info = match root.get("info") {
        Some(node) => read_info(diags, node),
        None => {
            diags.error(
                root.loc,
                "the Arazzo document is missing required field `info`",
            );
            Info::default()
        }
    };
    if root.get("sourceDescriptions").is_none() {
        diags.error(
            root.loc,
            "the Arazzo document is missing required field `sourceDescriptions`",
        );
    }
    let mut sources = Vec::new();
    for node in opt_seq(diags, root, "sourceDescriptions", "the Arazzo document") {
        if let Some(source) = read_source(diags, node) {
            if sources
                .iter()
                .any(|s: &SourceDescription| s.name.value == source.name.value)
            {
                diags.error(
                    source.name.loc,
                    format!("duplicate source description name `{}`", source.name.value),
                );
            }
            sources.push(source);
        }
    }
    if root.get("workflows").is_none() {
        diags.error(
            root.loc,
            "the Arazzo document is missing required field `workflows`",
        );
    }
    let mut workflows: Vec<Workflow> = Vec::new();
    for node in opt_seq(diags, root, "workflows", "the Arazzo document") {
        if let Some(workflow) = read_workflow(diags, node) {
            if workflows.iter().any(|w| w.id.value == workflow.id.value) {
                diags.error(
                    workflow.id.loc,
                    format!("duplicate workflowId `{}`", workflow.id.value),
                );
            }
            workflows.push(workflow);
        }
    }
    Some(Document {
        version,
        self_uri,
        info,
        sources,
        workflows,
        components: root.get("components").cloned(),
    })
}

fn read_info(diags: &mut Diags, node: &Node) -> Info {
    let Some(node) = object(diags, node, "`info`", INFO_FIELDS) else {
        return Info::default();
    };
    let info = Info {
        title: req_str(diags, node, "title", "`info`")
            .map(|s| s.value)
            .unwrap_or_default(),
        summary: opt_str(diags, node, "summary", "`info`").map(|s| s.value),
        description: opt_str(diags, node, "description", "`info`").map(|s| s.value),
    };
    // Required, though nothing the compiler generates depends on it.
    req_str(diags, node, "version", "`info`");
    info
}

fn read_source(diags: &mut Diags, node: &Node) -> Option<SourceDescription> {
    let node = object(diags, node, "a source description", SOURCE_FIELDS)?;
    let name = req_str(diags, node, "name", "a source description");
    let url = req_str(diags, node, "url", "a source description");
    let kind = opt_str(diags, node, "type", "a source description");
    if let Some(kind) = &kind
        && kind.value != "openapi"
        && kind.value != "arazzo"
        && kind.value != "asyncapi"
    {
        diags.error_help(
            kind.loc,
            format!("unknown source description type `{}`", kind.value),
            crate::diag::suggest(&kind.value, ["openapi", "arazzo", "asyncapi"]),
        );
    }
    if let Some(name) = &name
        && (!name
            .value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            || name.value.is_empty())
    {
        diags.error(
            name.loc,
            format!(
                "source description name `{}` may use only letters, digits, `_` and `-`",
                name.value
            ),
        );
    }
    Some(SourceDescription {
        name: name?,
        url: url?,
        kind,
    })
}

fn read_workflow(diags: &mut Diags, node: &Node) -> Option<Workflow> {
    let node = object(diags, node, "a workflow", WORKFLOW_FIELDS)?;
    let id = req_str(diags, node, "workflowId", "a workflow");
    let what = match &id {
        Some(id) => format!("workflow `{}`", id.value),
        None => "a workflow".to_owned(),
    };
    // The pattern `[A-Za-z0-9_\-]+` is a SHOULD (Arazzo 1.0.1): any other id is accepted,
    // its Rust names sanitized; only an empty one cannot name anything.
    if let Some(id) = &id
        && id.value.trim().is_empty()
    {
        diags.error(id.loc, "workflowId must not be empty");
    }
    let depends_on = opt_seq(diags, node, "dependsOn", &what)
        .iter()
        .filter_map(|n| string(diags, n, "an entry of `dependsOn`"))
        .collect();
    if node.get("steps").is_none() {
        diags.error(
            node.loc,
            format!("{what} is missing required field `steps`"),
        );
    }
    let mut steps: Vec<Step> = Vec::new();
    for step_node in opt_seq(diags, node, "steps", &what) {
        if let Some(step) = read_step(diags, step_node) {
            if steps.iter().any(|s| s.id.value == step.id.value) {
                diags.error(
                    step.id.loc,
                    format!("duplicate stepId `{}` in {what}", step.id.value),
                );
            }
            steps.push(step);
        }
    }
    if steps.is_empty() && node.get("steps").is_some() {
        diags.error(
            node.loc,
            format!("{what} has no steps; a workflow needs at least one"),
        );
    }
    let parameters = opt_seq(diags, node, "parameters", &what)
        .iter()
        .filter_map(|n| read_parameter(diags, n))
        .collect();
    Some(Workflow {
        summary: opt_str(diags, node, "summary", &what).map(|s| s.value),
        description: opt_str(diags, node, "description", &what).map(|s| s.value),
        inputs: node.get("inputs").cloned(),
        depends_on,
        steps,
        outputs: map_of(diags, node, "outputs", &what, read_expr_or_selector),
        parameters,
        success_actions: opt_seq(diags, node, "successActions", &what).to_vec(),
        failure_actions: opt_seq(diags, node, "failureActions", &what).to_vec(),
        id: id?,
    })
}

fn read_step(diags: &mut Diags, node: &Node) -> Option<Step> {
    let node = object(diags, node, "a step", STEP_FIELDS)?;
    let id = req_str(diags, node, "stepId", "a step");
    let what = match &id {
        Some(id) => format!("step `{}`", id.value),
        None => "a step".to_owned(),
    };
    // The pattern `[A-Za-z0-9_\-]+` is a SHOULD (Arazzo 1.0.1): any other id is accepted,
    // its Rust names sanitized; only an empty one cannot name anything.
    if let Some(id) = &id
        && id.value.trim().is_empty()
    {
        diags.error(id.loc, "stepId must not be empty");
    }
    let targets: Vec<Target> = [
        opt_str(diags, node, "operationId", &what).map(Target::OperationId),
        opt_str(diags, node, "operationPath", &what).map(Target::OperationPath),
        opt_str(diags, node, "workflowId", &what).map(Target::WorkflowId),
        opt_str(diags, node, "channelPath", &what).map(Target::ChannelPath),
    ]
    .into_iter()
    .flatten()
    .collect();
    if targets.len() > 1 {
        diags.error(
            node.loc,
            format!("{what} names more than one of `operationId`, `operationPath`, `channelPath` and `workflowId`; give exactly one"),
        );
    } else if targets.is_empty() {
        diags.error(
            node.loc,
            format!(
                "{what} must name exactly one of `operationId`, `operationPath`, `channelPath` or `workflowId`"
            ),
        );
    }
    let action = opt_str(diags, node, "action", &what);
    if let Some(action) = &action
        && crate::asyncapi::Action::parse(&action.value).is_none()
    {
        diags.error_help(
            action.loc,
            format!("`action: {}` is not a message action", action.value),
            crate::diag::suggest(&action.value, ["send", "receive"])
                .or_else(|| Some("write `action: send` or `action: receive`".to_owned())),
        );
    }
    let parameters = opt_seq(diags, node, "parameters", &what)
        .iter()
        .filter_map(|n| read_parameter(diags, n))
        .collect();
    let request_body = node.get("requestBody").and_then(|n| read_body(diags, n));
    let success_criteria = opt_seq(diags, node, "successCriteria", &what)
        .iter()
        .filter_map(|n| read_criterion(diags, n))
        .collect();
    Some(Step {
        description: opt_str(diags, node, "description", &what).map(|s| s.value),
        target: targets.into_iter().next(),
        parameters,
        request_body,
        success_criteria,
        on_success: opt_seq(diags, node, "onSuccess", &what).to_vec(),
        on_failure: opt_seq(diags, node, "onFailure", &what).to_vec(),
        outputs: map_of(diags, node, "outputs", &what, read_expr_or_selector),
        depends_on: opt_seq(diags, node, "dependsOn", &what)
            .iter()
            .filter_map(|n| string(diags, n, "an entry of `dependsOn`"))
            .collect(),
        timeout: read_timeout(diags, node, &what),
        action,
        correlation_id: node.get("correlationId").cloned(),
        loc: node.loc,
        id: id?,
    })
}

/// The `in` of a parameter of a channel address (Arazzo 1.1, AsyncAPI steps).
pub const CHANNEL: &str = "channel";

/// Reads a parameter (or a `reference` to a component parameter, with an optional `value`).
pub fn read_parameter(diags: &mut Diags, node: &Node) -> Option<Parameter> {
    let node = object(diags, node, "a parameter", PARAMETER_FIELDS)?;
    let reference = opt_str(diags, node, "reference", "a parameter");
    let name = if reference.is_some() {
        opt_str(diags, node, "name", "a parameter")
    } else {
        req_str(diags, node, "name", "a parameter")
    };
    let location = opt_str(diags, node, "in", "a parameter");
    if let Some(location) = &location
        && ParamIn::parse(&location.value).is_none()
        && location.value != CHANNEL
    {
        diags.error_help(
            location.loc,
            format!("`in: {}` is not a parameter location", location.value),
            crate::diag::suggest(
                &location.value,
                ParamIn::NAMES.iter().copied().chain([CHANNEL]),
            ),
        );
    }
    let value = node.get("value").cloned();
    if value.is_none() && reference.is_none() {
        diags.error(node.loc, "a parameter is missing required field `value`");
    }
    Some(Parameter {
        name,
        location,
        value,
        reference,
        loc: node.loc,
    })
}

fn read_body(diags: &mut Diags, node: &Node) -> Option<RequestBody> {
    let node = object(diags, node, "`requestBody`", BODY_FIELDS)?;
    Some(RequestBody {
        content_type: opt_str(diags, node, "contentType", "`requestBody`"),
        payload: node.get("payload").cloned(),
        replacements: opt_seq(diags, node, "replacements", "`requestBody`").to_vec(),
        loc: node.loc,
    })
}

/// Reads a criterion (`condition`, `context`, `type`).
pub fn read_criterion(diags: &mut Diags, node: &Node) -> Option<Criterion> {
    let node = object(diags, node, "a criterion", CRITERION_FIELDS)?;
    let condition = req_str(diags, node, "condition", "a criterion");
    let context = opt_str(diags, node, "context", "a criterion");
    let kind = match node.get("type") {
        None => CriterionKind::Simple,
        Some(t) => match t.as_map() {
            Some(_) => match read_selector_type(diags, t, "a criterion")? {
                SelectorKind::JsonPath(version) => CriterionKind::JsonPath(version),
                SelectorKind::XPath(version) => CriterionKind::XPath(version),
                SelectorKind::JsonPointer => {
                    diags.error_help(
                        t.loc,
                        "a criterion cannot be of type `jsonpointer`",
                        Some("test a value found by a JSON pointer with a `simple` condition such as `$response.body#/ok == true`".to_owned()),
                    );
                    return None;
                }
            },
            None => {
                let kind = string(diags, t, "`type` of a criterion")?;
                match kind.as_str() {
                    "simple" => CriterionKind::Simple,
                    "regex" => CriterionKind::Regex,
                    "jsonpath" => CriterionKind::JsonPath(None),
                    "xpath" => CriterionKind::XPath(None),
                    other => {
                        diags.error_help(
                            kind.loc,
                            format!("unknown criterion type `{other}`"),
                            crate::diag::suggest(other, ["simple", "regex", "jsonpath", "xpath"]),
                        );
                        return None;
                    }
                }
            }
        },
    };
    if kind != CriterionKind::Simple && context.is_none() {
        diags.error(
            node.loc,
            "a criterion with a `type` other than `simple` needs a `context`",
        );
    }
    Some(Criterion {
        condition: condition?,
        context,
        kind,
        loc: node.loc,
    })
}
