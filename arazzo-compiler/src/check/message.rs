//! Checking a step that sends or receives a message on an AsyncAPI channel (Arazzo 1.1).
//!
//! AsyncAPI 3 describes the application; the workflow is its peer. So a step with
//! `action: send` sends what the application receives (an operation with `action: receive`,
//! as the specification's pet-purchase example sends to `placeOrder`), and a step with
//! `action: receive` receives what the application sends (an operation with `action: send`),
//! or the `reply` of an operation the application receives (the same `operationId` with
//! `action: receive`). A channel named by `channelPath` takes either action.

use super::message_expr::{MessageScope, Received};
use super::message_target::MessageTarget;
use super::step::Judged;
use super::{Place, Scope, WorkflowChecker, doc_text};
use crate::arazzo::{self, CHANNEL};
use crate::asyncapi::{Action, AsyncApi, Channel, Message};
use crate::diag::{one_of, suggest};
use crate::ir;
use crate::openapi::ParamIn;
use crate::yaml::{Kind, Node};

/// What a message step sends or receives, once its action is known.
struct Resolved<'a> {
    action: Action,
    channel: Option<&'a Channel>,
    messages: Vec<&'a Message>,
    reply: bool,
    reply_address: Option<String>,
    /// How messages name what the step targets: `operation `x``, `channel `c``.
    label: String,
    /// The same, plain, for listings: `placeOrder`, `reply of placeOrder`, `channel c`.
    plain: String,
}

impl<'a> WorkflowChecker<'a> {
    /// Checks and lowers a message step; `target` is `None` when what it names is unknown
    /// (reported): what can be checked without it still is.
    pub(super) fn message_step(
        &mut self,
        step: &'a arazzo::Step,
        target: Option<MessageTarget<'a>>,
        scope: &Scope<'_>,
    ) -> Option<ir::Step> {
        let errors_before = self.diags.len();
        let Some(target) = target else {
            self.loose_message_step(step, scope);
            return None;
        };
        let (source, api) = match target {
            MessageTarget::Operation { source, api, .. }
            | MessageTarget::Channel { source, api, .. } => (source, api),
        };
        let resolved = self.direction(step, target)?;
        let before = Scope {
            message: None,
            ..*scope
        };
        let (headers, channel_params) = self.message_parameters(step, &resolved, &before);
        let (payload, content_type) = self.message_payload(step, &resolved, &before);
        let correlation = self.correlation(step, &resolved, &before);
        let received = (resolved.action == Action::Receive).then(|| Received {
            messages: resolved
                .messages
                .iter()
                .map(|m| (m.name.clone(), m.payload.as_ref(), m.headers.as_ref()))
                .collect(),
        });
        let message_scope = MessageScope { received };
        let after = Scope {
            message: Some(&message_scope),
            place: Place::StepOutput,
            ..before
        };
        let Judged {
            criteria,
            on_success,
            on_failure,
            outputs,
        } = self.judged(step, &after);
        if self.diags.len() != errors_before || self.shared_actions.failed {
            return None;
        }
        // Generated code subscribes and sends to the channel's address; a channel whose
        // address is found only at run time (`address: null`) has none to use, except a
        // reply's whose `address.location` says where the request carries it
        // ([`Self::reply_addresses`]).
        let located = resolved.reply && resolved.reply_address.is_some();
        if self.generating
            && !located
            && resolved.channel.and_then(|c| c.address.as_ref()).is_none()
        {
            self.diags.error_help(
                step.loc,
                format!(
                    "step `{}` uses a channel without a static `address`; code generation needs one",
                    step.id.value
                ),
                Some("give the AsyncAPI channel an `address` (with `{parameters}` if it varies)".to_owned()),
            );
            return None;
        }
        let slot = self.slots.get(source).copied().flatten()?;
        let verb = resolved.action.as_str();
        let channel_key = resolved.channel.map(|c| c.key.clone()).unwrap_or_default();
        Some(ir::Step {
            id: step.id.value.clone(),
            ident: String::new(),
            outputs_struct: String::new(),
            doc: doc_text(
                None,
                step.description.as_deref(),
                Some(&format!(
                    "{} {} (channel `{channel_key}`).",
                    if resolved.action == Action::Send {
                        "Sends to"
                    } else {
                        "Receives from"
                    },
                    resolved.label
                )),
            ),
            source: slot,
            operation: format!("{verb} {}", resolved.plain),
            method: String::new(),
            path: Vec::new(),
            security: Vec::new(),
            params: Vec::new(),
            body: None,
            criteria,
            outputs: outputs?,
            on_success,
            on_failure,
            timeout_millis: None,
            call: None,
            message: Some(ir::MessageStep {
                action: match resolved.action {
                    Action::Send => ir::MessageAction::Send,
                    Action::Receive => ir::MessageAction::Receive,
                },
                operation: match target {
                    MessageTarget::Operation { op, .. } => Some(op.id.clone()),
                    MessageTarget::Channel { .. } => None,
                },
                channel: channel_key,
                address: resolved.channel.and_then(|c| c.address.clone()),
                channel_params,
                reply: resolved.reply,
                reply_address: resolved.reply_address,
                reply_to: None,
                servers: servers(api),
                server: api.server_of(resolved.channel),
                headers,
                payload,
                content_type,
                correlation,
                timeout_millis: step
                    .timeout
                    .map_or(ir::DEFAULT_RECEIVE_TIMEOUT_MILLIS, |t| t.millis),
            }),
            reads: Vec::new(),
            in_flight: false,
            joins: Vec::new(),
        })
    }

    /// The step's `action` checked against what it names: the channel and messages it sends
    /// or receives.
    fn direction(
        &mut self,
        step: &arazzo::Step,
        target: MessageTarget<'a>,
    ) -> Option<Resolved<'a>> {
        let written = step.action.as_ref();
        let action = written.and_then(|a| Action::parse(&a.value));
        let MessageTarget::Operation { api, op, at, .. } = target else {
            let MessageTarget::Channel { api, channel, .. } = target else {
                return None;
            };
            let channel = api.channels.get(channel)?;
            let Some(action) = action else {
                if written.is_none() {
                    self.diags.error_help(
                        step.loc,
                        format!("step `{}` names channel `{}`, so it needs `action`", step.id.value, channel.key),
                        Some("add `action: send` to send a message to the channel, or `action: receive` to wait for one".to_owned()),
                    );
                }
                return None;
            };
            return Some(Resolved {
                action,
                channel: Some(channel),
                messages: channel.messages.iter().collect(),
                reply: false,
                reply_address: None,
                label: format!("channel `{}`", channel.key),
                plain: format!("channel {}", channel.key),
            });
        };
        let own = Resolved {
            action: op.action.peer(),
            channel: api.channels.get(op.channel),
            messages: op.messages.iter().collect(),
            reply: false,
            reply_address: op.reply.as_ref().and_then(|r| r.address.clone()),
            label: format!("operation `{}`", op.id),
            plain: op.id.clone(),
        };
        let reply = op.reply.as_ref().map(|r| Resolved {
            action: op.action,
            channel: r.channel.and_then(|c| api.channels.get(c)),
            messages: r.messages.iter().collect(),
            reply: true,
            reply_address: r.address.clone(),
            label: format!("the reply of operation `{}`", op.id),
            plain: format!("reply of {}", op.id),
        });
        let peer = op.action.peer().as_str();
        let side = match op.action {
            Action::Send => "the application sends that message, so a workflow receives it",
            Action::Receive => "the application receives that message, so a workflow sends it",
        };
        let Some(action) = action else {
            if written.is_none() {
                let also = if reply.is_some() {
                    format!(", or `action: {}` to receive its reply", op.action.as_str())
                } else {
                    String::new()
                };
                self.diags.error_help(
                    step.loc,
                    format!(
                        "step `{}` names AsyncAPI operation `{}`, so it needs `action` (required on AsyncAPI steps)",
                        step.id.value, op.id
                    ),
                    Some(format!("add `action: {peer}`: operation `{}` has AsyncAPI `action: {}`: {side}{also}", op.id, op.action.as_str())),
                );
            }
            return None;
        };
        if action == op.action.peer() {
            return Some(own);
        }
        if let Some(reply) = reply {
            return Some(reply);
        }
        let loc = written.map_or(at.loc, |w| w.loc);
        self.diags.error_help(
            loc,
            format!(
                "step `{}` would {} operation `{}`, which has AsyncAPI `action: {}`: AsyncAPI describes the application, and the workflow is its peer, so {side}; and the operation has no `reply`",
                step.id.value,
                if action == Action::Send { "send to" } else { "receive from" },
                op.id,
                op.action.as_str()
            ),
            Some(format!("write `action: {peer}`")),
        );
        None
    }

    /// The step's `in: header` and `in: channel` parameters (its own, and its workflow's that
    /// are of those kinds), checked against the message's headers schema and the channel's
    /// address.
    fn message_parameters(
        &mut self,
        step: &arazzo::Step,
        resolved: &Resolved<'_>,
        before: &Scope<'_>,
    ) -> (Vec<ir::NamedValue>, Vec<ir::NamedValue>) {
        let mut headers: Vec<ir::NamedValue> = Vec::new();
        let mut channel_params: Vec<ir::NamedValue> = Vec::new();
        // A header reported unknown is likely a required one misspelled: not reported twice.
        let mut unknown_header = false;
        let own: Vec<(arazzo::Parameter, bool)> = self
            .current
            .parameters
            .iter()
            .map(|p| (p, false))
            .chain(step.parameters.iter().map(|p| (p, true)))
            .filter_map(|(p, own)| match &p.reference {
                Some(r) => self
                    .component_parameter(r, p.value.as_ref())
                    .map(|p| (p, own)),
                None => Some((p.clone(), own)),
            })
            .collect();
        let header_names = declared_headers(self.trees, &resolved.messages);
        let address_params: Vec<&str> = resolved
            .channel
            .map(|c| c.parameters.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for (p, own) in &own {
            let Some(name) = &p.name else { continue };
            let location = p.location.as_ref().map(|l| l.value.as_str());
            let is_header = location == Some(ParamIn::Header.as_str());
            let is_channel = location == Some(CHANNEL);
            if !(*own || is_header || is_channel) {
                // A workflow parameter for its HTTP steps.
                continue;
            }
            let Some(location) = location else {
                self.diags.error_help(
                    p.loc,
                    format!("parameter `{}` needs `in` because step `{}` sends or receives a message", name.value, step.id.value),
                    Some("write `in: header` for a header of the message, or `in: channel` for a parameter of the channel's address".to_owned()),
                );
                continue;
            };
            if !is_header && !is_channel {
                if *own {
                    self.diags.error_help(
                        p.location.as_ref().map_or(p.loc, |l| l.loc),
                        format!("`in: {location}` does not apply to step `{}`, which sends or receives a message", step.id.value),
                        Some("a message step takes `in: header` (a header of the message it sends) and `in: channel` (a parameter of the channel's address)".to_owned()),
                    );
                }
                continue;
            }
            if is_header && resolved.action == Action::Receive {
                if *own {
                    self.diags.error_help(
                        name.loc,
                        format!("step `{}` receives a message, so it sends no header `{}`", step.id.value, name.value),
                        Some("match the received message with `correlationId`, or test `$message.header.<name>` in `successCriteria`".to_owned()),
                    );
                }
                continue;
            }
            if is_header
                && let Some(declared) = &header_names
                && !declared.iter().any(|h| h.eq_ignore_ascii_case(&name.value))
            {
                if *own {
                    unknown_header = true;
                    self.diags.error_help(
                        name.loc,
                        format!(
                            "the message {} of {} declares no header `{}`",
                            one_of(
                                &resolved
                                    .messages
                                    .iter()
                                    .map(|m| m.name.as_str())
                                    .collect::<Vec<_>>()
                            ),
                            resolved.label,
                            name.value
                        ),
                        suggest(&name.value, declared.iter().map(String::as_str))
                            .or_else(|| Some("its headers schema declares no headers".to_owned())),
                    );
                }
                continue;
            }
            if is_channel && !address_params.contains(&name.value.as_str()) {
                if *own {
                    let channel = resolved.channel.map(|c| c.key.as_str()).unwrap_or_default();
                    self.diags.error_help(
                        name.loc,
                        format!(
                            "the address of channel `{channel}` has no parameter `{}`",
                            name.value
                        ),
                        suggest(&name.value, address_params.iter().copied())
                            .or_else(|| Some("its address has no parameters".to_owned())),
                    );
                }
                continue;
            }
            let Some(value) = p.value.as_ref().and_then(|v| self.value(v, before)) else {
                continue;
            };
            let list = if is_header {
                &mut headers
            } else {
                &mut channel_params
            };
            list.retain(|v| v.name != name.value);
            list.push(ir::NamedValue {
                name: name.value.clone(),
                value,
            });
        }
        for missing in address_params
            .iter()
            .filter(|p| !channel_params.iter().any(|v| v.name == **p))
        {
            let channel = resolved.channel.map(|c| c.key.as_str()).unwrap_or_default();
            self.diags.error_help(
                step.loc,
                format!("step `{}` gives no value for parameter `{missing}` of the address of channel `{channel}`", step.id.value),
                Some(format!("add `- {{name: {missing}, in: channel, value: …}}` to its `parameters`")),
            );
        }
        if resolved.action == Action::Send
            && !unknown_header
            && let [message] = resolved.messages.as_slice()
            && let Some(schema) = message
                .headers
                .as_ref()
                .and_then(|h| self.trees.resolve(h).ok())
        {
            for required in crate::types::required(schema) {
                if !headers
                    .iter()
                    .any(|h| h.name.eq_ignore_ascii_case(&required))
                {
                    self.diags.error_help(
                        step.loc,
                        format!("message `{}` requires header `{required}`, which step `{}` does not send", message.name, step.id.value),
                        Some(format!("add `- {{name: {required}, in: header, value: …}}` to its `parameters`")),
                    );
                }
            }
        }
        (headers, channel_params)
    }

    /// The step's `requestBody`: the payload a send step sends, checked against the
    /// message's payload schema; a receive step sends none. Returns the payload and the
    /// content type.
    fn message_payload(
        &mut self,
        step: &arazzo::Step,
        resolved: &Resolved<'_>,
        before: &Scope<'_>,
    ) -> (Option<ir::Value>, Option<String>) {
        let declared = resolved
            .messages
            .iter()
            .find_map(|m| m.content_type.clone());
        let Some(body) = &step.request_body else {
            return (None, declared);
        };
        if resolved.action == Action::Receive {
            self.diags.error_help(
                body.loc,
                format!("step `{}` receives a message, so it sends no `requestBody`", step.id.value),
                Some("remove `requestBody`; test the received payload with `$message.payload#/…` in `successCriteria`".to_owned()),
            );
            return (None, declared);
        }
        let content_type = body
            .content_type
            .as_ref()
            .map(|c| c.value.clone())
            .or(declared);
        let Some(payload) = &body.payload else {
            return (None, content_type);
        };
        if !body.replacements.is_empty() {
            self.unsupported(body.loc, "`replacements` on a step that sends a message");
        }
        let schemas: Vec<&Node> = resolved
            .messages
            .iter()
            .filter_map(|m| m.payload.as_ref())
            .collect();
        if let [schema] = schemas.as_slice() {
            self.payload_members(payload, schema, "");
        }
        (self.value(payload, before), content_type)
    }

    /// Reports the members of a literal `payload` mapping that `schema` does not declare,
    /// and the members it requires that the mapping lacks, recursively.
    fn payload_members(&mut self, payload: &Node, schema: &Node, at: &str) {
        let Kind::Map(entries) = &payload.kind else {
            return;
        };
        let Ok(schema) = self.trees.resolve(schema) else {
            return;
        };
        // Composed schemas declare members in their parts: not checked here.
        if ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| schema.get(k).is_some())
        {
            return;
        }
        let Some(properties) = schema.get("properties").and_then(Node::as_map) else {
            return;
        };
        let names: Vec<&str> = properties.iter().filter_map(|(k, _)| k.as_str()).collect();
        let closed = schema
            .get("additionalProperties")
            .is_some_and(|a| matches!(a.kind, Kind::Bool(false)))
            || schema.get("additionalProperties").is_none();
        for (key, value) in entries {
            let Some(member) = key.as_str() else { continue };
            match properties.iter().find(|(k, _)| k.as_str() == Some(member)) {
                Some((_, property)) => {
                    self.payload_members(value, property, &format!("{at}/{member}"))
                }
                None if closed => self.diags.error_help(
                    key.loc,
                    format!(
                        "the message payload schema declares no member `{member}`{}",
                        if at.is_empty() {
                            String::new()
                        } else {
                            format!(" at `{at}`")
                        }
                    ),
                    suggest(member, names.iter().copied())
                        .or_else(|| Some(format!("it declares {}", one_of(&names)))),
                ),
                None => {}
            }
        }
        for required in crate::types::required(schema) {
            if !entries
                .iter()
                .any(|(k, _)| k.as_str() == Some(required.as_str()))
            {
                self.diags.error_help(
                    payload.loc,
                    format!("the message payload schema requires member `{required}`, which this payload lacks"),
                    Some(format!("add `{required}: …`")),
                );
            }
        }
    }

    /// The step's `correlationId`: only on receive steps, and only when the message declares
    /// where its correlation id is.
    fn correlation(
        &mut self,
        step: &arazzo::Step,
        resolved: &Resolved<'_>,
        before: &Scope<'_>,
    ) -> Option<ir::Correlation> {
        let node = step.correlation_id.as_ref()?;
        if resolved.action == Action::Send {
            let location = resolved.messages.iter().find_map(|m| m.correlation.clone());
            let help = match location {
                Some(location) => format!(
                    "remove it: the message carries its correlation id at `{location}`, which this step sets like any other part of the message"
                ),
                None => "remove it".to_owned(),
            };
            self.diags.error_help(
                node.loc,
                format!("`correlationId` applies only to steps with `action: receive`, and step `{}` sends", step.id.value),
                Some(help),
            );
            return None;
        }
        let location = resolved.messages.iter().find_map(|m| m.correlation.clone());
        let Some(location) = location else {
            self.diags.error_help(
                node.loc,
                format!(
                    "{} declares no `correlationId` for its message {}, so step `{}` has nothing to match `correlationId` against",
                    resolved.label,
                    one_of(&resolved.messages.iter().map(|m| m.name.as_str()).collect::<Vec<_>>()),
                    step.id.value
                ),
                Some("remove `correlationId` and test the message in `successCriteria`, or declare `correlationId.location` on the message in the AsyncAPI document".to_owned()),
            );
            return None;
        };
        let expected = self.value(node, before)?;
        Some(ir::Correlation { location, expected })
    }

    /// Links the steps of the current workflow (lowered: `steps`) that receive a reply at a
    /// run-time address (an AsyncAPI `reply.address.location` such as
    /// `$message.header#/replyTo`) to the value the request carries there: each step that
    /// sends such a request must write that header or payload member (a located error with
    /// the fix), and the receiving step subscribes to the address its request step (the one
    /// it `dependsOn`, else the last before it, else any) writes.
    pub(super) fn reply_addresses(&mut self, steps: &mut [ir::Step]) {
        let written = |id: &str| self.current.steps.iter().find(|s| s.id.value == id);
        let mut values: Vec<(usize, Option<ir::Value>)> = Vec::new();
        for (index, step) in steps.iter().enumerate() {
            let Some(message) = &step.message else {
                continue;
            };
            let Some(location) = &message.reply_address else {
                continue;
            };
            if message.reply || message.action != ir::MessageAction::Send {
                continue;
            }
            let value = match ReplyLocation::parse(location) {
                Some(ReplyLocation::Header(name)) => message
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case(&name))
                    .map(|h| h.value.clone()),
                Some(ReplyLocation::Payload(tokens)) => message
                    .payload
                    .as_ref()
                    .and_then(|p| member(p, &tokens))
                    .cloned(),
                None => None,
            };
            if value.is_none()
                && let Some(written) = written(&step.id)
            {
                let operation = message.operation.clone().unwrap_or_default();
                let fix = match ReplyLocation::parse(location) {
                    Some(ReplyLocation::Header(name)) => {
                        format!("add `- {{name: {name}, in: header, value: …}}` to its `parameters`: the address the reply is to be sent to")
                    }
                    Some(ReplyLocation::Payload(tokens)) => format!(
                        "add member `{}` to its `requestBody.payload`: the address the reply is to be sent to",
                        tokens.join("/")
                    ),
                    None => "the location must be `$message.header#/<name>` or `$message.payload#/<pointer>`".to_owned(),
                };
                self.diags.error_help(
                    written.loc,
                    format!(
                        "operation `{operation}` replies to the address its request carries at `{location}`, which step `{}` does not set",
                        step.id
                    ),
                    Some(fix),
                );
            }
            values.push((index, value));
        }
        for index in 0..steps.len() {
            let Some(message) = &steps[index].message else {
                continue;
            };
            if !message.reply || message.reply_address.is_none() {
                continue;
            }
            let requests: Vec<&(usize, Option<ir::Value>)> = values
                .iter()
                .filter(|(i, _)| {
                    steps[*i].message.as_ref().map(|m| &m.operation) == Some(&message.operation)
                })
                .collect();
            let depends: Vec<String> = written(&steps[index].id)
                .map(|w| w.depends_on.iter().map(|d| d.value.clone()).collect())
                .unwrap_or_default();
            let request = requests
                .iter()
                .find(|(i, _)| depends.contains(&steps[*i].id))
                .or_else(|| requests.iter().rev().find(|(i, _)| *i < index))
                .or_else(|| requests.first());
            match request {
                Some((_, value)) => {
                    let value = value.clone();
                    if let Some(message) = steps[index].message.as_mut() {
                        message.reply_to = value;
                    }
                }
                None => {
                    let operation = message.operation.clone().unwrap_or_default();
                    let location = message.reply_address.clone().unwrap_or_default();
                    let id = steps[index].id.clone();
                    if let Some(written) = written(&id)
                        && self.generating
                    {
                        self.diags.error_help(
                            written.loc,
                            format!(
                                "step `{id}` receives the reply of operation `{operation}` at the address its request carries (`{location}`), and no step of this workflow sends that request"
                            ),
                            Some(format!("add a step that sends it (`operationId: {operation}`, `action: send`) and list it in this step's `dependsOn`")),
                        );
                    }
                }
            }
        }
    }

    /// Checks what can be checked of a message step whose target is unknown: its values,
    /// criteria, outputs and actions, `$message` untyped.
    fn loose_message_step(&mut self, step: &arazzo::Step, scope: &Scope<'_>) {
        let before = Scope {
            message: None,
            ..*scope
        };
        for p in &step.parameters {
            if let Some(value) = &p.value {
                let _ = self.value(value, &before);
            }
        }
        if let Some(payload) = step.request_body.as_ref().and_then(|b| b.payload.as_ref()) {
            let _ = self.value(payload, &before);
        }
        if let Some(correlation) = &step.correlation_id {
            let _ = self.value(correlation, &before);
        }
        let receives = step.action.as_ref().is_some_and(|a| a.value == "receive");
        let untyped = MessageScope {
            received: receives.then(|| Received {
                messages: Vec::new(),
            }),
        };
        let after = Scope {
            message: Some(&untyped),
            place: Place::StepOutput,
            ..before
        };
        let _ = self.judged(step, &after);
    }

    /// Reports `action` and `correlationId` on a step that calls an HTTP operation or a
    /// workflow: they apply to AsyncAPI steps only.
    pub(super) fn not_a_message_step(&mut self, step: &arazzo::Step) {
        if let Some(action) = &step.action {
            self.diags.error_help(
                action.loc,
                format!("`action` applies only to steps that name an AsyncAPI operation or channel, and step `{}` does not", step.id.value),
                Some("remove `action`, or name an operation of a `type: asyncapi` source".to_owned()),
            );
        }
        if let Some(correlation) = &step.correlation_id {
            self.diags.error_help(
                correlation.loc,
                format!("`correlationId` applies only to AsyncAPI steps with `action: receive`, and step `{}` is not one", step.id.value),
                Some("remove `correlationId`".to_owned()),
            );
        }
    }
}

/// Where a request carries its reply's address (`reply.address.location`).
enum ReplyLocation {
    /// `$message.header#/<name>` (or `$message.header.<name>`).
    Header(String),
    /// `$message.payload#/<pointer>`, split.
    Payload(Vec<String>),
}

impl ReplyLocation {
    fn parse(location: &str) -> Option<ReplyLocation> {
        if let Some(name) = location
            .strip_prefix("$message.header#/")
            .or_else(|| location.strip_prefix("$message.header."))
        {
            return (!name.is_empty() && !name.contains('/'))
                .then(|| ReplyLocation::Header(name.to_owned()));
        }
        let pointer = location.strip_prefix("$message.payload#")?;
        let pointer = crate::expr::parse_pointer(pointer).ok()?;
        (!pointer.tokens.is_empty()).then_some(ReplyLocation::Payload(pointer.tokens))
    }
}

/// The member of a payload value at `tokens`, where the payload is written out to there.
fn member<'v>(value: &'v ir::Value, tokens: &[String]) -> Option<&'v ir::Value> {
    let Some((first, rest)) = tokens.split_first() else {
        return Some(value);
    };
    match value {
        ir::Value::Object(members) => members
            .iter()
            .find(|(k, _)| k == first)
            .and_then(|(_, v)| member(v, rest)),
        _ => None,
    }
}

/// The header names the messages' headers schemas declare; `None` when one of them has no
/// readable headers schema with `properties` (any header may then be sent).
fn declared_headers(trees: &crate::refs::Trees, messages: &[&Message]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for message in messages {
        let schema = message
            .headers
            .as_ref()
            .and_then(|h| trees.resolve(h).ok())?;
        let properties = schema.get("properties").and_then(Node::as_map)?;
        names.extend(
            properties
                .iter()
                .filter_map(|(k, _)| k.as_str().map(str::to_owned)),
        );
    }
    (!messages.is_empty()).then_some(names)
}

/// The servers of an AsyncAPI document, for the IR.
fn servers(api: &AsyncApi) -> Vec<ir::MessageServer> {
    api.servers
        .iter()
        .map(|s| ir::MessageServer {
            name: s.name.clone(),
            protocol: s.protocol.clone(),
            host: s.host.clone(),
            pathname: s.pathname.clone(),
            security: s
                .security
                .iter()
                .map(|scheme| ir::ServerScheme {
                    name: scheme.name.clone(),
                    kind: match &scheme.http_scheme {
                        Some(http) if scheme.kind == "http" => format!("http {http}"),
                        _ => scheme.kind.clone(),
                    },
                    description: scheme.description.clone(),
                    credential: scheme.credential(&s.protocol),
                })
                .collect(),
        })
        .collect()
}
