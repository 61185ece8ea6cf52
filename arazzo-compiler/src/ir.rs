//! The checked, typed program that code generation turns into Rust.

use crate::openapi::Scheme;
use crate::types::{Ty, TypeSpace};
use crate::yaml::serde_json_lite::Value as Json;

/// A whole document (with the documents its arazzo-type sources bring in), checked.
#[derive(Debug, Default)]
pub struct Program {
    /// Doc comment for the generated `Client`.
    pub doc: String,
    /// Source descriptions.
    pub sources: Vec<Source>,
    /// Security schemes that some step needs a credential for.
    pub schemes: Vec<SchemeUse>,
    /// Workflows.
    pub workflows: Vec<Workflow>,
    /// The modules of named schemas some output reads, one per source description.
    pub shared: Vec<crate::library::ModuleTypes>,
}

/// A source description.
#[derive(Debug)]
pub struct Source {
    /// Its name.
    pub name: String,
    /// The builder method that sets its base URL.
    pub base_url_method: String,
    /// Its default base URL.
    pub default_url: Option<String>,
}

/// A security scheme used by the document.
#[derive(Debug)]
pub struct SchemeUse {
    /// Index into [`Program::sources`].
    pub source: usize,
    /// The scheme's name.
    pub name: String,
    /// What kind of credential it takes.
    pub kind: Scheme,
    /// The builder method that sets it.
    pub method: String,
    /// Its description.
    pub doc: Option<String>,
    /// The operations that need it (for the builder's docs).
    pub operations: Vec<String>,
}

/// A workflow.
#[derive(Debug)]
pub struct Workflow {
    /// `workflowId`.
    pub id: String,
    /// The module name.
    pub module: String,
    /// Doc comment.
    pub doc: String,
    /// Structs generated for inputs and outputs.
    pub space: TypeSpace,
    /// The inputs type (a generated struct named `Inputs`, or an empty one).
    pub inputs: Ty,
    /// Steps in document order.
    pub steps: Vec<Step>,
    /// Workflow outputs.
    pub outputs: Vec<Output>,
    /// `dependsOn`: workflows run first, in order.
    pub depends_on: Vec<WorkflowRef>,
    /// Workflows whose inputs and outputs this run keeps for `$workflows.x.…`: (workflowId,
    /// module), from `dependsOn`, steps that call workflows and actions that run them.
    pub ran: Vec<WorkflowRef>,
}

impl Workflow {
    /// The step written after step `index`, where a run goes on when that step ends without
    /// an action that leads elsewhere; `None` after the last step.
    pub fn step_after(&self, index: usize) -> Option<usize> {
        (index + 1 < self.steps.len()).then_some(index + 1)
    }

    /// The fields of the generated `Inputs` struct (none when the inputs are free-form JSON or
    /// absent).
    pub fn input_fields(&self) -> &[crate::types::Field] {
        self.space.fields(&self.inputs)
    }

    /// [`Workflow::input_fields`], to change them (marking secrets).
    pub fn input_fields_mut(&mut self) -> &mut [crate::types::Field] {
        match &self.inputs {
            Ty::Named(name) => self
                .space
                .structs
                .iter_mut()
                .find(|s| &s.name == name)
                .map_or(&mut [], |s| s.fields.as_mut_slice()),
            _ => &mut [],
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamIn {
    /// The path parameter with this index.
    Path(usize),
    /// The query string.
    Query,
    /// The whole query string (OpenAPI 3.2 `in: querystring`): the value as written when
    /// `raw` (its media type is `application/x-www-form-urlencoded`, query-ready by
    /// definition), else percent-encoded whole.
    Querystring {
        /// Whether the value is sent as it is.
        raw: bool,
    },
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

/// A piece of a path segment.
#[derive(Debug, Clone)]
pub enum PathPiece {
    /// Literal text.
    Lit(String),
    /// Path parameter index.
    Param(usize),
}

/// A step calling an operation.
#[derive(Debug)]
pub struct Step {
    /// `stepId`.
    pub id: String,
    /// Field name in the run state.
    pub ident: String,
    /// Name of its outputs struct.
    pub outputs_struct: String,
    /// Doc comment.
    pub doc: String,
    /// Source index.
    pub source: usize,
    /// Operation label for errors.
    pub operation: String,
    /// HTTP method.
    pub method: String,
    /// Path split into segments.
    pub path: Vec<Vec<PathPiece>>,
    /// Security alternatives (scheme indexes); empty = none needed.
    pub security: Vec<Vec<usize>>,
    /// Parameters.
    pub params: Vec<Param>,
    /// Body: content type, encoding, payload and replacements.
    pub body: Option<Body>,
    /// Success criteria.
    pub criteria: Vec<Criterion>,
    /// Step outputs.
    pub outputs: Vec<Output>,
    /// Success actions: the step's own, then the workflow's.
    pub on_success: Vec<Action>,
    /// Failure actions: the step's own, then the workflow's.
    pub on_failure: Vec<Action>,
    /// The step's `timeout` in milliseconds (Arazzo 1.1): a request that takes longer, or a
    /// called workflow that does not finish in time, is a step failure, like a request
    /// timeout.
    pub timeout_millis: Option<u64>,
    /// For a step that calls a workflow: the call (the operation fields are then unused).
    pub call: Option<Call>,
    /// For a step that sends or receives a message on an AsyncAPI channel (Arazzo 1.1): the
    /// message (the operation fields are then unused).
    pub message: Option<MessageStep>,
    /// The ids of the steps whose outputs this step reads.
    pub reads: Vec<String>,
    /// A receive step that runs in flight: reaching it starts it, and the run goes on; it
    /// is waited for where [`Step::joins`] of a later step, or the workflow's end, names it.
    pub in_flight: bool,
    /// The in-flight receive steps (indexes) to wait for before this step runs: those it
    /// lists in `dependsOn` or whose outputs it reads.
    pub joins: Vec<usize>,
}

/// A step that sends or receives a message on a channel of an AsyncAPI source (Arazzo 1.1).
/// Its typed outputs are the step's [`Step::outputs`]; `$message` expressions in them and in
/// its criteria are [`Expr::MessagePayload`] and [`Expr::MessageHeader`].
#[derive(Debug)]
pub struct MessageStep {
    /// What the workflow does: send to or receive from the channel.
    pub action: MessageAction,
    /// The AsyncAPI operation named (`operationId`); `None` for a `channelPath` step.
    pub operation: Option<String>,
    /// The channel's key in the AsyncAPI document's `channels`.
    pub channel: String,
    /// The channel's `address`, with `{parameter}` expressions (`None`: dynamic or unknown).
    pub address: Option<String>,
    /// Values of the address's parameters (`in: channel`), in address order.
    pub channel_params: Vec<NamedValue>,
    /// Whether the step receives the `reply` of the operation it names (an operation the
    /// application receives, whose reply the workflow receives).
    pub reply: bool,
    /// When the reply's address is found at run time: its `address.location` expression,
    /// on the request (for a step that sends the request, where it must write the address;
    /// for one that receives the reply, where the address is read from).
    pub reply_address: Option<String>,
    /// For a step that receives a reply at a run-time address: the value the request's send
    /// step writes at `reply_address`, which is the address subscribed to.
    pub reply_to: Option<Value>,
    /// The AsyncAPI document's servers: the protocol decides the transport.
    pub servers: Vec<MessageServer>,
    /// The server the step uses, as an index into `servers`: the first its channel lists
    /// (AsyncAPI channel `servers`), else the document's first.
    pub server: usize,
    /// Headers sent (`in: header`).
    pub headers: Vec<NamedValue>,
    /// The payload sent (`requestBody.payload`), for a send step.
    pub payload: Option<Value>,
    /// The message's content type (`requestBody.contentType`, the message's `contentType` or
    /// the document's `defaultContentType`).
    pub content_type: Option<String>,
    /// How a received message is matched to this run (`correlationId`).
    pub correlation: Option<Correlation>,
    /// How long a receive step waits for its message, in milliseconds (`timeout`, else
    /// [`DEFAULT_RECEIVE_TIMEOUT_MILLIS`]); for a send step, how long handing the message to
    /// the broker may take.
    pub timeout_millis: u64,
}

/// How long a receive step without `timeout` waits for its message: 30 seconds.
pub const DEFAULT_RECEIVE_TIMEOUT_MILLIS: u64 = 30_000;

/// What a message step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageAction {
    /// Send a message (`action: send`).
    Send,
    /// Wait for a message (`action: receive`).
    Receive,
}

/// A server of an AsyncAPI document.
#[derive(Debug, Clone)]
pub struct MessageServer {
    /// Its key in `servers`.
    pub name: String,
    /// `protocol` (`kafka`, `mqtt`, `amqp`, `ws`, …).
    pub protocol: String,
    /// `host`.
    pub host: String,
    /// `pathname`, if any.
    pub pathname: Option<String>,
    /// Its `security` schemes, in order.
    pub security: Vec<ServerScheme>,
}

/// A security scheme of a message server, for the client builder's credential methods.
#[derive(Debug, Clone)]
pub struct ServerScheme {
    /// Its key in `components.securitySchemes`.
    pub name: String,
    /// Its `type` (with the `http` scheme: `http bearer`).
    pub kind: String,
    /// Its `description`, if any.
    pub description: Option<String>,
    /// The credentials the server's transport takes for it; `None`: no transport carries it.
    pub credential: Option<crate::asyncapi::CredentialShape>,
}

/// A named value a message step sends: a header or a channel address parameter.
#[derive(Debug)]
pub struct NamedValue {
    /// The header's or parameter's name.
    pub name: String,
    /// Its value.
    pub value: Value,
}

/// The `correlationId` of a receive step: only a message whose value at `location` equals
/// `expected` is this run's.
#[derive(Debug)]
pub struct Correlation {
    /// The message's `correlationId.location`, e.g. `$message.header#/orderRequestId`.
    pub location: String,
    /// The value the step expects there.
    pub expected: Value,
}

/// A call of another workflow of the document.
#[derive(Debug)]
pub struct Call {
    /// The callee's `workflowId`.
    pub workflow: String,
    /// The callee's module.
    pub module: String,
    /// Parameters mapped to the callee's inputs: (input name, value).
    pub inputs: Vec<(String, Value)>,
}

/// What an action does.
#[derive(Debug)]
pub enum ActionKind {
    /// End the workflow (successfully after a success, with the step's error after a failure).
    End,
    /// Continue at the step with this index.
    Goto(usize),
    /// Run this workflow of the document (workflowId, module), then end this run.
    GotoWorkflow(WorkflowRef),
    /// Run the step again (or the step with this index), waiting first.
    Retry {
        /// Step index to retry, when not the current step.
        target: Option<usize>,
        /// Workflow to run before the step is retried.
        workflow: Option<WorkflowRef>,
        /// `retryAfter` seconds.
        after: Option<f64>,
        /// `retryLimit`.
        limit: u32,
    },
}

/// A success or failure action.
#[derive(Debug)]
pub struct Action {
    /// `name`.
    pub name: String,
    /// What it does.
    pub kind: ActionKind,
    /// Its criteria (all must hold for the action to apply).
    pub criteria: Vec<Criterion>,
    /// For an action that runs a workflow with `parameters` (Arazzo 1.1): the inputs they pass,
    /// (input name, value); `None` when the workflow takes this one's inputs by name.
    pub inputs: Option<Vec<(String, Value)>>,
}

/// A parameter to send.
#[derive(Debug)]
pub struct Param {
    /// Name.
    pub name: String,
    /// Location.
    pub location: ParamIn,
    /// Value.
    pub value: Value,
    /// For an array query value: (explode, delimiter) from the parameter's `style`/`explode`.
    pub list: Option<ListStyle>,
    /// Whether it is a credential place (`Authorization`, a cookie, an API key's parameter):
    /// its value is masked like a configured credential once sent.
    pub secret: bool,
}

/// A value built at run time.
#[derive(Debug, Clone)]
pub enum Value {
    /// A literal.
    Lit(Json),
    /// A runtime expression.
    Expr(Expr),
    /// A string with embedded expressions.
    Template(Vec<TemplatePart>),
    /// An object with values at any depth.
    Object(Vec<(String, Value)>),
    /// An array.
    Array(Vec<Value>),
}

/// Part of a template string.
#[derive(Debug, Clone)]
pub enum TemplatePart {
    /// Literal text.
    Lit(String),
    /// An expression.
    Expr(Expr),
}

/// A typed runtime expression.
#[derive(Debug, Clone)]
pub enum Expr {
    /// A (possibly nested) input field: field idents, final type.
    Input(Vec<String>, Ty),
    /// A nested input field reached through an optional object (`$inputs.cfg.a` where `cfg`
    /// is not required): `None` when one on the way is absent. Typed `Option<T>`.
    InputThroughOption {
        /// The fields from `Inputs` to the value.
        path: Vec<InputField>,
        /// The type of the value (an `Option`).
        ty: Ty,
    },
    /// An optional input with a schema `default`: (field idents, the non-optional type, the
    /// default).
    InputOr {
        /// Field idents from `Inputs` to the value.
        path: Vec<String>,
        /// The non-optional type.
        ty: Ty,
        /// The schema's `default`.
        default: Json,
    },
    /// A value inside a free-form JSON input: field idents to the JSON value, then pointer
    /// tokens walked at run time. Typed `Option<serde_json::Value>`.
    InputJson(Vec<String>, Vec<String>),
    /// A value inside another expression's value (a step's or a workflow's output or input),
    /// found by these pointer tokens at run time. Typed `Option<serde_json::Value>`.
    At(Box<Expr>, Vec<String>),
    /// A member of another expression's typed value (a step's output), found by a JSON pointer
    /// walked through its type at compile time: typed like the member, as an `Option`.
    Member {
        /// The value read into.
        of: Box<Expr>,
        /// The steps from the value to the member.
        path: Vec<Access>,
        /// The member's type (an `Option`).
        ty: Ty,
    },
    /// The nodes a JSONPath Selector Object selects in another expression's value, at run
    /// time. A singular query (names and indexes only, RFC 9535 §2.3.5.1) is typed
    /// `Option<serde_json::Value>`, any other `Vec<serde_json::Value>`.
    JsonPath {
        /// The selector's `context`.
        of: Box<Expr>,
        /// The query (checked at compile time).
        query: String,
        /// Whether it selects at most one node.
        singular: bool,
    },
    /// The string value of the first item an XPath Selector Object selects in another
    /// expression's value, read as an XML document at run time (feature `xpath`). Typed
    /// `Option<String>`: `None` when nothing is selected.
    XPath {
        /// The selector's `context`.
        of: Box<Expr>,
        /// The expression (checked at compile time).
        query: String,
    },
    /// A step output: (step ident, step id, field ident, type).
    StepOutput {
        /// The step's field in `Progress`.
        step: String,
        /// The `stepId`.
        id: String,
        /// The output's field.
        field: String,
        /// Its type in the step's outputs.
        ty: Ty,
        /// The step may not have run here (the first pass of a `goto` loop that reads it, a
        /// workflow output of a step a path skips): the value is an `Option`, `None` then.
        optional: bool,
    },
    /// `$outputs.x` of a called workflow: (field ident, type as seen from the caller).
    CallOutput(String, Ty),
    /// `$workflows.x.outputs.y`: (workflow id, module, field ident, type as seen here).
    WorkflowOutput {
        /// The workflow.
        workflow: WorkflowRef,
        /// The output's field.
        field: String,
        /// Its type, as seen from here.
        ty: Ty,
    },
    /// `$workflows.x.inputs.y`, the value this run passed to workflow `x`: (workflow id,
    /// module, field ident, type as seen here).
    WorkflowInput {
        /// The workflow.
        workflow: WorkflowRef,
        /// The input's field.
        field: String,
        /// Its type, as seen from here.
        ty: Ty,
    },
    /// `$statusCode`.
    StatusCode,
    /// `$url`.
    Url,
    /// `$sourceDescriptions.<name>.url`: the client's base URL of that source (by index).
    SourceUrl(usize),
    /// `$self` (Arazzo 1.1): the document's `$self`, as written.
    SelfUri(String),
    /// `$method`.
    Method,
    /// `$request.header.X` (lower-cased name).
    RequestHeader(String),
    /// `$request.query.x`.
    RequestQuery(String),
    /// `$request.path.x`: (index in the template, name).
    RequestPath(usize, String),
    /// `$request.body#…`: pointer tokens.
    RequestBody(Vec<String>),
    /// `$response.body#…`: tokens, pointer text, type.
    ResponseBody {
        /// The pointer's tokens.
        tokens: Vec<String>,
        /// The pointer as written.
        pointer: String,
        /// The type of the value there.
        ty: Ty,
    },
    /// `$response.header.X`.
    ResponseHeader(String),
    /// `$response.body` of a step whose accepted responses have a text body (`text/*`, XML)
    /// and none a JSON one: the body as text.
    ResponseText,
    /// `$message.payload[#pointer]` of a receive step (Arazzo 1.1), typed by the message's
    /// payload schema.
    MessagePayload {
        /// The pointer's tokens.
        tokens: Vec<String>,
        /// The pointer as written.
        pointer: String,
        /// The type of the value there.
        ty: Ty,
    },
    /// `$message.header.<name>` of a receive step (Arazzo 1.1), typed by the message's
    /// headers schema.
    MessageHeader {
        /// The header's name, as the headers schema declares it.
        name: String,
        /// Its type.
        ty: Ty,
    },
}

impl Value {
    /// Whether some expression of the value reads a step output that a `goto` loop brings
    /// back from an earlier pass (`None` on the first pass).
    pub fn reads_looped_output(&self) -> bool {
        match self {
            Value::Lit(_) => false,
            Value::Expr(e) => e.reads_looped_output(),
            Value::Template(parts) => parts
                .iter()
                .any(|p| matches!(p, TemplatePart::Expr(e) if e.reads_looped_output())),
            Value::Object(members) => members.iter().any(|(_, v)| v.reads_looped_output()),
            Value::Array(items) => items.iter().any(Value::reads_looped_output),
        }
    }
}

/// One step of a JSON pointer walked through a typed value ([`Expr::Member`]), from an
/// `Option<&T>` to the next.
#[derive(Debug, Clone)]
pub enum Access {
    /// A struct field (its Rust name).
    Field(String),
    /// An array item.
    Index(usize),
    /// A map entry.
    Key(String),
    /// Into an `Option`'s value.
    Flatten,
    /// The rest of the pointer, in a free-form JSON value (unescaped tokens).
    Json(Vec<String>),
}

impl Expr {
    /// Whether the expression reads a step output that may be missing (see
    /// [`Value::reads_looped_output`]).
    fn reads_looped_output(&self) -> bool {
        match self {
            Expr::StepOutput { optional, .. } => *optional,
            Expr::At(inner, _)
            | Expr::JsonPath { of: inner, .. }
            | Expr::Member { of: inner, .. }
            | Expr::XPath { of: inner, .. } => inner.reads_looped_output(),
            _ => false,
        }
    }

    /// Whether the expression reads the request that was sent (`$url`, `$method`,
    /// `$request.*`), which the runtime then has to keep.
    pub fn reads_request(&self) -> bool {
        match self {
            Expr::Url
            | Expr::Method
            | Expr::RequestHeader(_)
            | Expr::RequestQuery(_)
            | Expr::RequestPath(..)
            | Expr::RequestBody(_) => true,
            Expr::At(inner, _)
            | Expr::JsonPath { of: inner, .. }
            | Expr::Member { of: inner, .. }
            | Expr::XPath { of: inner, .. } => inner.reads_request(),
            _ => false,
        }
    }

    /// The expression's Rust type.
    pub fn ty(&self) -> Ty {
        match self {
            Expr::StepOutput {
                ty, optional: true, ..
            } => ty.clone().optional(),
            Expr::Input(_, ty)
            | Expr::InputThroughOption { ty, .. }
            | Expr::StepOutput { ty, .. }
            | Expr::Member { ty, .. }
            | Expr::ResponseBody { ty, .. }
            | Expr::MessagePayload { ty, .. }
            | Expr::MessageHeader { ty, .. } => ty.clone(),
            Expr::StatusCode => Ty::U16,
            Expr::InputJson(..) | Expr::At(..) => Ty::Json.optional(),
            Expr::JsonPath { singular: true, .. } => Ty::Json.optional(),
            Expr::JsonPath { .. } => Ty::Vec(Box::new(Ty::Json)),
            Expr::XPath { .. } => Ty::Str.optional(),
            Expr::InputOr { ty, .. }
            | Expr::CallOutput(_, ty)
            | Expr::WorkflowOutput { ty, .. }
            | Expr::WorkflowInput { ty, .. } => ty.clone(),
            Expr::ResponseHeader(_)
            | Expr::ResponseText
            | Expr::Url
            | Expr::SourceUrl(_)
            | Expr::SelfUri(_)
            | Expr::Method
            | Expr::RequestHeader(_)
            | Expr::RequestQuery(_)
            | Expr::RequestPath(..) => Ty::Str,
            Expr::RequestBody(_) => Ty::Json.optional(),
        }
    }
}

/// An output.
#[derive(Debug)]
pub struct Output {
    /// Name in the document.
    pub name: String,
    /// Rust field name.
    pub ident: String,
    /// Where the value comes from.
    pub expr: Expr,
    /// The expression as written (for docs).
    pub source: String,
    /// Whether the user named it secret (`secrets = ["stepId.output"]`): its value is masked
    /// like a configured credential from the moment it is read.
    pub secret: bool,
}

/// A checked simple condition: the parsed grammar with typed operands.
pub type Cond = crate::condition::Cond<Operand>;

/// One side of a comparison.
#[derive(Debug)]
pub enum Operand {
    /// A literal.
    Lit(crate::condition::Literal),
    /// An expression.
    Expr(Expr),
}

/// A success criterion.
#[derive(Debug)]
pub struct Criterion {
    /// The condition as written (for a regex, JSONPath or XPath criterion: the pattern or
    /// expression).
    pub text: String,
    /// What is tested.
    pub test: Test,
}

impl Criterion {
    /// Whether testing it reads the request that was sent.
    pub fn reads_request(&self) -> bool {
        fn cond(c: &Cond) -> bool {
            match c {
                Cond::Or(a, b) | Cond::And(a, b) => cond(a) || cond(b),
                Cond::Not(a) => cond(a),
                Cond::Cmp(a, _, b) => operand(a) || operand(b),
                Cond::Value(a) => operand(a),
            }
        }
        fn operand(o: &Operand) -> bool {
            matches!(o, Operand::Expr(e) if e.reads_request())
        }
        match &self.test {
            Test::Simple(c) => cond(c),
            Test::Regex(t) | Test::JsonPath(t) | Test::XPath(t) => {
                t.exprs().any(Expr::reads_request)
            }
        }
    }
}

impl Step {
    /// Whether any output or criterion of the step (its own, or one of its actions') reads
    /// the request that was sent; only then does the runtime keep a copy of it.
    pub fn reads_request(&self) -> bool {
        self.outputs.iter().any(|o| o.expr.reads_request())
            || self.criteria.iter().any(Criterion::reads_request)
            || self
                .on_success
                .iter()
                .chain(&self.on_failure)
                .flat_map(|a| &a.criteria)
                .any(Criterion::reads_request)
    }
}

/// What a criterion tests.
#[derive(Debug)]
pub enum Test {
    /// A simple condition.
    Simple(Cond),
    /// The context, as text, matches the pattern.
    Regex(Typed),
    /// The query selects at least one node of the context.
    JsonPath(Typed),
    /// The Effective Boolean Value of the XPath expression evaluated on the context read as
    /// an XML document is true (feature `xpath`).
    XPath(Typed),
}

/// A `regex`/`jsonpath`/`xpath` criterion: its context, and its condition (the criterion's
/// `text`) as a template when it embeds `{$…}` expressions (Arazzo 1.1), whose values are
/// substituted as text before the condition is compiled and evaluated.
#[derive(Debug)]
pub struct Typed {
    /// The value the condition is applied to.
    pub context: Expr,
    /// The condition's literal text and embedded expressions, in order; `None` when it
    /// embeds none (the condition is the criterion's `text`, compiled once).
    pub template: Option<Vec<TemplatePart>>,
}

impl Typed {
    /// The expressions the test reads: its context, then its embedded expressions.
    pub fn exprs(&self) -> impl Iterator<Item = &Expr> {
        std::iter::once(&self.context).chain(self.template.iter().flatten().filter_map(|part| {
            match part {
                TemplatePart::Expr(e) => Some(e),
                TemplatePart::Lit(_) => None,
            }
        }))
    }
}

/// A request body.
#[derive(Debug)]
pub struct Body {
    /// Its content type.
    pub content_type: String,
    /// How it is encoded.
    pub kind: BodyKind,
    /// The payload.
    pub payload: Value,
    /// Parts of a JSON payload replaced after it is built.
    pub replacements: Vec<Replacement>,
}

/// A payload `replacement`: the value at a JSON pointer of the payload.
#[derive(Debug)]
pub struct Replacement {
    /// Where the value is put.
    pub target: ReplacementTarget,
    /// The value put there.
    pub value: Value,
}

/// Where a payload replacement puts its value.
#[derive(Debug)]
pub enum ReplacementTarget {
    /// A JSON pointer, as tokens.
    Pointer(Vec<String>),
    /// Every node a JSONPath query selects (`targetSelectorType: jsonpath`).
    JsonPath(String),
}

/// How an array query parameter is sent, from its `style`/`explode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListStyle {
    /// One `name=value` pair per item.
    pub explode: bool,
    /// The items' separator when not exploded.
    pub delimiter: &'static str,
}

/// One field on the way from `Inputs` to a nested input value.
#[derive(Debug, Clone)]
pub struct InputField {
    /// The Rust field name.
    pub ident: String,
    /// The field is an `Option`.
    pub optional: bool,
}

/// A workflow of the program as another one runs it: its `workflowId` and its module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkflowRef {
    /// The `workflowId`.
    pub id: String,
    /// The generated module.
    pub module: String,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON.
    Json,
    /// `application/x-www-form-urlencoded` from an object payload.
    Form,
    /// A text payload sent as written, its `{$…}` substitutions escaped as the content type
    /// needs.
    Text(TextEscape),
    /// XML, written per the request body schema's `xml` objects: the root element.
    Xml(XmlNode),
    /// `multipart/form-data` from an object payload: the declared fields whose parts are
    /// files or have an `encoding` content type.
    Multipart(Vec<PartSpec>),
    /// The raw bytes of one binary expression (`Vec<u8>`).
    Bytes,
}

/// How the substitutions of a text payload template are escaped (its literal text is sent
/// as written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEscape {
    /// Not at all (`text/plain` and other types with no syntax to break).
    Raw,
    /// Percent-encoded as a form value (`application/x-www-form-urlencoded`): `&` or `=` in
    /// a value cannot add a field.
    Form,
    /// As XML character data (`application/xml`, `…+xml`): `<`, `&` and quotes in a value
    /// cannot add markup.
    Xml,
}

/// How a value of an XML payload is written (see `arazzo_runtime::XmlNode`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlNode {
    /// The element or attribute name.
    pub name: String,
    /// `xml.prefix`.
    pub prefix: Option<String>,
    /// `xml.namespace`.
    pub namespace: Option<String>,
    /// `xml.attribute`.
    pub attribute: bool,
    /// What the schema says the value is.
    pub shape: XmlShape,
}

/// What the schema says a value of an XML payload is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlShape {
    /// A single value, written as text.
    Text,
    /// An object: (member name, node) for each declared property, in schema order.
    Object(Vec<(String, XmlNode)>),
    /// An array: wrapped or not, and how its items are written.
    Array {
        /// `xml.wrapped`.
        wrapped: bool,
        /// The items.
        items: Box<XmlNode>,
    },
    /// Nothing usable: written by the value's own structure.
    Any,
}

/// A declared field of a multipart payload (see `arazzo_runtime::PartSpec`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartSpec {
    /// The field name.
    pub name: String,
    /// Sent as a file part.
    pub file: bool,
    /// The part's content type, if the document gives one.
    pub content_type: Option<String>,
}
