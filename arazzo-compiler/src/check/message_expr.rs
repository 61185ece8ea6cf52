//! `$message.payload[#pointer]` and `$message.header.<name>` (Arazzo 1.1): the message a
//! receive step received, typed from the AsyncAPI message schemas exactly like
//! `$response.body#/…` from the response schemas.

use super::{Place, Scope, WorkflowChecker};
use crate::diag::{closest, one_of, suggest};
use crate::expr::MessageSource;
use crate::files::Loc;
use crate::ir;
use crate::types::{self, PointerTy, Ty};
use crate::yaml::Node;

/// What expressions after a message step may read of a message.
pub(super) struct MessageScope<'n> {
    /// For a receive step: the messages it may receive. `None` for a send step.
    pub received: Option<Received<'n>>,
}

/// The messages a receive step may receive.
pub(super) struct Received<'n> {
    /// Each message's name, payload schema and headers schema (`None`: unknown; an empty
    /// list: the step's target is unknown, so nothing is typed).
    pub messages: Vec<(String, Option<&'n Node>, Option<&'n Node>)>,
}

impl WorkflowChecker<'_> {
    /// Resolves a `$message` expression in `scope`.
    pub(super) fn message_expr(
        &mut self,
        loc: Loc,
        text: &str,
        source: MessageSource,
        scope: &Scope<'_>,
    ) -> Option<ir::Expr> {
        let Some(received) = scope.message.and_then(|m| m.received.as_ref()) else {
            let help = if scope.message.is_some() {
                "a send step receives nothing: read the reply in the step that receives it (`action: receive`)"
            } else {
                "read it in the `successCriteria`, `outputs` or actions of that step, and pass it on as an output (`$steps.<stepId>.outputs.<name>`)"
            };
            self.diags.error_help(
                loc,
                format!(
                    "`{text}` reads the message a step with `action: receive` received; it is only allowed in that step's success criteria, outputs and actions, not in {}",
                    scope.place
                ),
                Some(help.to_owned()),
            );
            return None;
        };
        if received.messages.is_empty() {
            return Some(match source {
                MessageSource::Payload(pointer) => ir::Expr::MessagePayload {
                    tokens: pointer
                        .as_ref()
                        .map(|p| p.tokens.clone())
                        .unwrap_or_default(),
                    pointer: pointer.map(|p| p.text).unwrap_or_default(),
                    ty: Ty::Json.optional(),
                },
                MessageSource::Header(name) => ir::Expr::MessageHeader {
                    name,
                    ty: Ty::Str.optional(),
                },
            });
        }
        match source {
            MessageSource::Payload(pointer) => {
                let (tokens, pointer) = pointer.map(|p| (p.tokens, p.text)).unwrap_or_default();
                let ty = self.payload_ty(loc, text, &tokens, received, scope)?;
                Some(ir::Expr::MessagePayload {
                    tokens,
                    pointer,
                    ty,
                })
            }
            MessageSource::Header(name) => self.header_expr(loc, text, name, received, scope),
        }
    }

    /// The type of the value at `tokens` in the payload of the messages the step may receive
    /// (as [`Self::response_pointer_ty`] for responses).
    fn payload_ty(
        &mut self,
        loc: Loc,
        text: &str,
        tokens: &[String],
        received: &Received<'_>,
        scope: &Scope<'_>,
    ) -> Option<Ty> {
        let mut found: Vec<(&Node, bool)> = Vec::new();
        let mut undeclared: Vec<(&str, String, Vec<String>)> = Vec::new();
        let mut untyped = false;
        for (name, payload, _) in &received.messages {
            let Some(schema) = payload else {
                untyped = true;
                continue;
            };
            match types::follow(self.trees, schema, tokens) {
                PointerTy::Found(node, optional) => found.push((node, optional)),
                PointerTy::Unknown => return Some(Ty::Json.optional()),
                PointerTy::Impossible(token, names) => undeclared.push((name, token, names)),
            }
        }
        let Some(&(first, _)) = found.first() else {
            let Some((message, token, names)) = undeclared.into_iter().next() else {
                return Some(Ty::Json.optional());
            };
            let declared: Vec<&str> = names.iter().map(String::as_str).collect();
            let lists = match declared.as_slice() {
                [] => "declares no properties there".to_owned(),
                ["<array index>"] => "has an array there (the token must be an index)".to_owned(),
                few => format!("lists {}", one_of(few)),
            };
            self.diags.error_help(
                loc,
                format!(
                    "`{text}`: `{token}` is not declared by the payload schema of message `{message}` at this point of the pointer, which {lists}"
                ),
                closest(&token, &declared).map(|c| format!("did you mean `{c}`?")),
            );
            return None;
        };
        let optional =
            untyped || !undeclared.is_empty() || found.iter().any(|(_, optional)| *optional);
        let same = found.iter().all(|(node, _)| node.loc == first.loc);
        let ty = self.schema_ty_at(first, same, found.iter().map(|(n, _)| *n), scope);
        Some(if optional { ty.optional() } else { ty })
    }

    /// The type of `first` (one of `all`, the schemas found): emitted in outputs and action
    /// parameters, only shaped elsewhere; untyped where the schemas disagree.
    fn schema_ty_at<'n>(
        &mut self,
        first: &Node,
        same: bool,
        all: impl Iterator<Item = &'n Node>,
        scope: &Scope<'_>,
    ) -> Ty {
        let emitted = matches!(scope.place, Place::StepOutput | Place::ActionParameter);
        if same && emitted {
            let hint = self.hint.clone();
            return types::schema_ty(self.trees, &mut self.out_space, first, &hint);
        }
        let mut tys =
            all.map(|node| types::schema_ty(self.trees, &mut self.scratch, node, "Value"));
        let ty = tys.next().unwrap_or(Ty::Json);
        if same || (ty.is_plain() && tys.all(|t| t == ty)) {
            ty
        } else {
            Ty::Json
        }
    }

    /// `$message.header.<name>`: a property of the messages' headers schema.
    fn header_expr(
        &mut self,
        loc: Loc,
        text: &str,
        name: String,
        received: &Received<'_>,
        scope: &Scope<'_>,
    ) -> Option<ir::Expr> {
        let mut found: Vec<(&Node, bool)> = Vec::new();
        let mut declared: Vec<String> = Vec::new();
        let mut untyped = false;
        let mut exact = name.clone();
        for (_, _, headers) in &received.messages {
            let Some(schema) = headers.and_then(|h| self.trees.resolve(h).ok()) else {
                untyped = true;
                continue;
            };
            let required = types::required(schema);
            let properties = schema
                .get("properties")
                .and_then(Node::as_map)
                .unwrap_or_default();
            // Header names are case-insensitive (RFC 9110); the schema's spelling is read.
            match properties
                .iter()
                .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(&name)))
            {
                Some((key, property)) => {
                    exact = key.as_str().unwrap_or(&name).to_owned();
                    found.push((property, !required.contains(&exact)));
                }
                None => declared.extend(
                    properties
                        .iter()
                        .filter_map(|(k, _)| k.as_str().map(str::to_owned)),
                ),
            }
        }
        let Some(&(first, _)) = found.first() else {
            if untyped && declared.is_empty() {
                return Some(ir::Expr::MessageHeader {
                    name,
                    ty: Ty::Str.optional(),
                });
            }
            let names: Vec<&str> = declared.iter().map(String::as_str).collect();
            let messages: Vec<&str> = received
                .messages
                .iter()
                .map(|(n, _, _)| n.as_str())
                .collect();
            self.diags.error_help(
                loc,
                format!(
                    "`{text}`: the headers of message {} declare no header `{name}`",
                    one_of(&messages)
                ),
                suggest(&name, names)
                    .or_else(|| Some("its headers schema declares no headers".to_owned())),
            );
            return None;
        };
        let optional =
            untyped || found.len() < received.messages.len() || found.iter().any(|(_, o)| *o);
        let same = found.iter().all(|(node, _)| node.loc == first.loc);
        let ty = self.schema_ty_at(first, same, found.iter().map(|(n, _)| *n), scope);
        Some(ir::Expr::MessageHeader {
            name: exact,
            ty: if optional { ty.optional() } else { ty },
        })
    }
}
