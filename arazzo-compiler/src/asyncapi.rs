//! AsyncAPI 3.0/3.1 documents (Arazzo 1.1 `type: asyncapi` sources): servers, channels,
//! operations and their messages.
//!
//! AsyncAPI 3 describes an application: an operation with `action: send` is a message the
//! application sends, `action: receive` one it receives, and a `reply` what it answers on.
//! A workflow is the application's peer ([`crate::check`] checks a step's `action` against
//! that). Nodes keep their file, so `$ref`s resolve like OpenAPI ones ([`crate::refs`]); the
//! schemas of message payloads and headers are typed like HTTP bodies ([`crate::types`]).

use crate::diag::Diags;
use crate::files::{FileId, Loc};
use crate::refs::Trees;
use crate::yaml::Node;

/// The AsyncAPI versions read, as `major.minor` prefixes of `asyncapi`.
const VERSIONS: [&str; 2] = ["3.0", "3.1"];

/// What an AsyncAPI operation does, from the application's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The application sends the message.
    Send,
    /// The application receives the message.
    Receive,
}

impl Action {
    /// Reads an `action` value; `None` for anything else.
    pub fn parse(text: &str) -> Option<Action> {
        match text {
            "send" => Some(Action::Send),
            "receive" => Some(Action::Receive),
            _ => None,
        }
    }

    /// The action as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Send => "send",
            Action::Receive => "receive",
        }
    }

    /// The other action: what the application's peer does.
    pub fn peer(self) -> Action {
        match self {
            Action::Send => Action::Receive,
            Action::Receive => Action::Send,
        }
    }
}

/// A server of `servers`.
#[derive(Debug, Clone)]
pub struct Server {
    /// Its key in `servers`.
    pub name: String,
    /// `host` (with the port, if any).
    pub host: String,
    /// `protocol` (`kafka`, `mqtt`, `amqp`, `ws`, …): decides the transport.
    pub protocol: String,
    /// `pathname`, if any.
    pub pathname: Option<String>,
    /// `security`: the schemes the server accepts, in order.
    pub security: Vec<SecurityScheme>,
}

/// A security scheme a server lists (`servers.<s>.security`, usually a `$ref` into
/// `components.securitySchemes`).
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes` (the `$ref`'s last segment); `security<i>`
    /// for one written inline.
    pub name: String,
    /// `type` (`userPassword`, `plain`, `scramSha256`, `http`, `X509`, …).
    pub kind: String,
    /// `scheme` of an `http` scheme (`basic`, `bearer`), lowercased.
    pub http_scheme: Option<String>,
    /// `description`, if any.
    pub description: Option<String>,
}

/// What credentials a scheme asks for, in the shapes the broker transports take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialShape {
    /// A user name and a password.
    UserPassword,
    /// A token.
    Token,
}

impl SecurityScheme {
    /// The credentials this scheme asks for on a server of `protocol`, when the transport of
    /// that protocol (the URL schemes of `arazzo::message`) can carry them: a user and
    /// password (`userPassword`, `plain`) on each transport (Kafka: SASL PLAIN; WebSocket: HTTP
    /// Basic), HTTP Basic on WebSocket, an HTTP bearer token on WebSocket and as the NATS
    /// token. `None` for the rest: SCRAM (the Kafka transport speaks SASL PLAIN only), X509
    /// and encryption schemes (no TLS), `httpApiKey`/`apiKey` (the key's place is not one a
    /// transport sets), GSSAPI, OAuth 2 and OpenID Connect.
    pub fn credential(&self, protocol: &str) -> Option<CredentialShape> {
        let protocol = protocol.to_ascii_lowercase();
        let any = ["mqtt", "nats", "amqp", "kafka", "ws"].contains(&protocol.as_str());
        match (self.kind.as_str(), self.http_scheme.as_deref()) {
            ("userPassword" | "plain", _) if any => Some(CredentialShape::UserPassword),
            ("http", Some("basic")) if protocol == "ws" => Some(CredentialShape::UserPassword),
            ("http", Some("bearer")) if protocol == "ws" || protocol == "nats" => {
                Some(CredentialShape::Token)
            }
            _ => None,
        }
    }
}

/// A message a channel carries.
#[derive(Debug, Clone)]
pub struct Message {
    /// Its key in the channel's (or the components') `messages`.
    pub name: String,
    /// `payload`: its schema (the `schema` of a Multi Format Schema Object).
    pub payload: Option<Node>,
    /// `headers`: the schema of its headers (an object).
    pub headers: Option<Node>,
    /// `correlationId.location`: a runtime expression such as `$message.header#/id`.
    pub correlation: Option<String>,
    /// `contentType`, else the document's `defaultContentType`.
    pub content_type: Option<String>,
}

/// A channel of `channels`.
#[derive(Debug, Clone)]
pub struct Channel {
    /// Its key in `channels`.
    pub key: String,
    /// `address`, with `{parameter}` expressions (`None`: dynamic or unknown).
    pub address: Option<String>,
    /// The names of its address parameters (`{name}` in the address, else `parameters`).
    pub parameters: Vec<String>,
    /// The servers it lists (`servers`), as indices into [`AsyncApi::servers`]; empty: it
    /// is available on every server.
    pub servers: Vec<usize>,
    /// The messages it carries.
    pub messages: Vec<Message>,
}

/// An operation's `reply`.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The channel the reply is sent on, as an index into [`AsyncApi::channels`].
    pub channel: Option<usize>,
    /// `address.location`, when the reply address is found at run time.
    pub address: Option<String>,
    /// The reply's messages.
    pub messages: Vec<Message>,
}

/// An operation of `operations`.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Its key in `operations` (what `operationId` names).
    pub id: String,
    /// `action`.
    pub action: Action,
    /// Its channel, as an index into [`AsyncApi::channels`].
    pub channel: usize,
    /// Its messages: those it lists, else every message of its channel.
    pub messages: Vec<Message>,
    /// `reply`, if any.
    pub reply: Option<Reply>,
}

/// A loaded AsyncAPI document.
#[derive(Debug, Clone)]
pub struct AsyncApi {
    /// The file it came from.
    pub file: FileId,
    /// `servers`, in document order.
    pub servers: Vec<Server>,
    /// `channels`, in document order (then channels operations reach elsewhere).
    pub channels: Vec<Channel>,
    /// `operations`, in document order.
    pub operations: Vec<Operation>,
}

impl AsyncApi {
    /// The operation with this id.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The channel with this key in `channels`.
    pub fn channel(&self, key: &str) -> Option<&Channel> {
        self.channels.iter().find(|c| c.key == key)
    }

    /// The server a step on `channel` uses, as an index into [`AsyncApi::servers`]: the
    /// first the channel lists, else the document's first.
    pub fn server_of(&self, channel: Option<&Channel>) -> usize {
        channel
            .and_then(|c| c.servers.first())
            .copied()
            .unwrap_or(0)
    }
}

fn text(node: &Node, key: &str) -> Option<String> {
    node.get(key).and_then(Node::as_str).map(str::to_owned)
}

/// Reads an AsyncAPI document from its tree. `at` locates errors that belong to the source
/// description that names the file.
pub fn read(diags: &mut Diags, trees: &Trees, file: FileId, at: Loc) -> Option<AsyncApi> {
    let root = trees.roots.get(&file)?;
    let Some(version) = root.get("asyncapi") else {
        diags.error_help(
            at,
            "this source is not an AsyncAPI document (it has no `asyncapi` version field)",
            Some("name an AsyncAPI 3.0 or 3.1 document, or give the source the `type` of its document".to_owned()),
        );
        return None;
    };
    let written = crate::decode::string(diags, version, "`asyncapi`")?.value;
    if !VERSIONS
        .iter()
        .any(|v| written == *v || written.starts_with(&format!("{v}.")))
    {
        diags.error_help(
            version.loc,
            format!("AsyncAPI version `{written}` is not supported"),
            Some("this compiler reads AsyncAPI 3.0.x and 3.1.x documents".to_owned()),
        );
        return None;
    }
    // Servers first: channels name them by `$ref`.
    let mut servers = Vec::new();
    let mut server_nodes = Vec::new();
    for (key, written) in root
        .get("servers")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        let (Some(name), Ok(node)) = (key.as_str(), trees.resolve(written)) else {
            continue;
        };
        servers.push(Server {
            name: name.to_owned(),
            host: text(node, "host").unwrap_or_default(),
            protocol: text(node, "protocol").unwrap_or_default(),
            pathname: text(node, "pathname"),
            security: security(diags, trees, node),
        });
        server_nodes.push(node.loc);
    }
    let mut reader = Reader {
        diags,
        trees,
        default_content_type: text(root, "defaultContentType"),
        channels: Vec::new(),
        channel_nodes: Vec::new(),
        server_nodes,
    };
    for (key, node) in root
        .get("channels")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(key) = key.as_str() {
            reader.channel(key, node);
        }
    }
    let mut operations = Vec::new();
    for (key, node) in root
        .get("operations")
        .and_then(Node::as_map)
        .unwrap_or_default()
    {
        if let Some(key) = key.as_str()
            && let Some(operation) = reader.operation(key, node)
        {
            operations.push(operation);
        }
    }
    Some(AsyncApi {
        file,
        servers,
        channels: reader.channels,
        operations,
    })
}

/// A server's `security` schemes; a `$ref` that does not resolve is reported where it is
/// written.
fn security(diags: &mut Diags, trees: &Trees, server: &Node) -> Vec<SecurityScheme> {
    let mut out = Vec::new();
    let list = server
        .get("security")
        .and_then(Node::as_seq)
        .unwrap_or_default();
    for (index, item) in list.iter().enumerate() {
        let node = match trees.resolve(item) {
            Ok(node) => node,
            Err(message) => {
                diags.error(item.loc, message);
                continue;
            }
        };
        let name = item
            .get("$ref")
            .and_then(Node::as_str)
            .and_then(|r| r.rsplit('/').next())
            .map_or_else(
                || format!("security{index}"),
                |n| n.replace("~1", "/").replace("~0", "~"),
            );
        out.push(SecurityScheme {
            name,
            kind: text(node, "type").unwrap_or_default(),
            http_scheme: text(node, "scheme").map(|s| s.to_ascii_lowercase()),
            description: text(node, "description"),
        });
    }
    out
}

/// Reads channels, operations and messages, resolving `$ref`s and reporting what cannot be.
struct Reader<'a> {
    diags: &'a mut Diags,
    trees: &'a Trees,
    default_content_type: Option<String>,
    channels: Vec<Channel>,
    /// Where each channel of `channels` is written (what a `$ref` to it lands on).
    channel_nodes: Vec<Loc>,
    /// Where each server of [`AsyncApi::servers`] is written, `$ref`s followed.
    server_nodes: Vec<Loc>,
}

impl Reader<'_> {
    /// `node`, `$ref`s followed; an unresolvable one is reported at `node`.
    fn resolve<'n>(&mut self, node: &'n Node) -> Option<&'n Node>
    where
        Self: 'n,
    {
        match self.trees.resolve(node) {
            Ok(target) => Some(target),
            Err(message) => {
                self.diags.error(node.loc, message);
                None
            }
        }
    }

    fn channel(&mut self, key: &str, written: &Node) -> Option<usize> {
        let trees = self.trees;
        let node = match trees.resolve(written) {
            Ok(node) => node,
            Err(message) => {
                self.diags.error(written.loc, message);
                return None;
            }
        };
        if let Some(index) = self.channel_nodes.iter().position(|l| *l == node.loc) {
            return Some(index);
        }
        let address = text(node, "address");
        let mut parameters: Vec<String> = address
            .as_deref()
            .map(address_parameters)
            .unwrap_or_default();
        if address.is_none() {
            parameters = node
                .get("parameters")
                .and_then(Node::as_map)
                .unwrap_or_default()
                .iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_owned))
                .collect();
        }
        let mut messages = Vec::new();
        for (name, message) in node
            .get("messages")
            .and_then(Node::as_map)
            .unwrap_or_default()
        {
            if let Some(name) = name.as_str()
                && let Some(message) = self.message(name, message)
            {
                messages.push(message);
            }
        }
        let servers = self.channel_servers(key, node);
        self.channels.push(Channel {
            key: key.to_owned(),
            address,
            parameters,
            servers,
            messages,
        });
        self.channel_nodes.push(node.loc);
        Some(self.channels.len() - 1)
    }

    /// A channel's `servers`: each a `$ref` to a server of the document's `servers`; one that
    /// does not resolve, or lands elsewhere, is reported where it is written.
    fn channel_servers(&mut self, key: &str, channel: &Node) -> Vec<usize> {
        let mut out = Vec::new();
        for item in channel
            .get("servers")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            let Some(target) = self.resolve(item) else {
                continue;
            };
            match self.server_nodes.iter().position(|l| *l == target.loc) {
                Some(index) => out.push(index),
                None => self.diags.error_help(
                    item.loc,
                    format!(
                        "channel `{key}` lists a server that is not one of the document's `servers`"
                    ),
                    Some("a channel's `servers` are `$ref`s to the root `servers` (`$ref: '#/servers/<name>'`)".to_owned()),
                ),
            }
        }
        out
    }

    fn message(&mut self, name: &str, written: &Node) -> Option<Message> {
        let trees = self.trees;
        let node = match trees.resolve(written) {
            Ok(node) => node,
            Err(message) => {
                self.diags.error(written.loc, message);
                return None;
            }
        };
        // A Multi Format Schema Object holds the schema under `schema`.
        let payload = node.get("payload").map(|p| {
            match trees
                .resolve(p)
                .ok()
                .and_then(|r| r.get("schemaFormat").and_then(|_| r.get("schema")).cloned())
            {
                Some(schema) => schema,
                None => p.clone(),
            }
        });
        let correlation = node
            .get("correlationId")
            .and_then(|c| self.resolve(c))
            .and_then(|c| text(c, "location"));
        Some(Message {
            name: text(node, "name").unwrap_or_else(|| name.to_owned()),
            payload,
            headers: node.get("headers").cloned(),
            correlation,
            content_type: text(node, "contentType").or_else(|| self.default_content_type.clone()),
        })
    }

    /// The messages of a list of `$ref`s (an operation's or a reply's `messages`).
    fn messages(&mut self, list: &Node) -> Vec<Message> {
        let mut out = Vec::new();
        for item in list.as_seq().unwrap_or_default() {
            let name = item
                .get("$ref")
                .and_then(Node::as_str)
                .and_then(|r| r.rsplit('/').next())
                .map(|n| n.replace("~1", "/").replace("~0", "~"))
                .unwrap_or_default();
            if let Some(message) = self.message(&name, item) {
                out.push(message);
            }
        }
        out
    }

    fn operation(&mut self, id: &str, written: &Node) -> Option<Operation> {
        let node = self.resolve(written)?;
        let Some(action_node) = node.get("action") else {
            self.diags.error(
                node.loc,
                format!("AsyncAPI operation `{id}` is missing required field `action`"),
            );
            return None;
        };
        let Some(action) = action_node.as_str().and_then(Action::parse) else {
            self.diags.error_help(
                action_node.loc,
                format!("the `action` of AsyncAPI operation `{id}` must be `send` or `receive`"),
                None,
            );
            return None;
        };
        let Some(channel_ref) = node.get("channel") else {
            self.diags.error(
                node.loc,
                format!("AsyncAPI operation `{id}` is missing required field `channel`"),
            );
            return None;
        };
        let channel = self.channel(&channel_key(channel_ref), channel_ref)?;
        let messages = match node.get("messages") {
            Some(list) => self.messages(list),
            None => self.channels.get(channel)?.messages.clone(),
        };
        let reply = node.get("reply").and_then(|r| self.resolve(r)).map(|r| {
            let channel = r
                .get("channel")
                .and_then(|c| self.channel(&channel_key(c), c));
            let messages = match r.get("messages") {
                Some(list) => self.messages(list),
                None => channel
                    .and_then(|c| self.channels.get(c))
                    .map(|c| c.messages.clone())
                    .unwrap_or_default(),
            };
            Reply {
                channel,
                address: r
                    .get("address")
                    .and_then(|a| self.trees.resolve(a).ok())
                    .and_then(|a| text(a, "location")),
                messages,
            }
        });
        Some(Operation {
            id: id.to_owned(),
            action,
            channel,
            messages,
            reply,
        })
    }
}

/// The key a channel `$ref` names (`#/channels/place-order` → `place-order`), for a channel
/// not written under `channels`.
fn channel_key(reference: &Node) -> String {
    reference
        .get("$ref")
        .and_then(Node::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(|n| n.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default()
}

/// The `{name}` expressions of a channel address, in order.
pub fn address_parameters(address: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = address;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + 1..];
    }
    out
}
