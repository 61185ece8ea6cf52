//! What an AsyncAPI step names (Arazzo 1.1): an operation of an asyncapi-type source by
//! `operationId` (`$sourceDescriptions.<name>.<operationId>`, or a plain id that exactly one
//! source defines), or a channel by `channelPath`
//! (`{$sourceDescriptions.<name>.url}#/channels/<key>`).

use super::WorkflowChecker;
use crate::arazzo::{self, SourceRef, Target};
use crate::asyncapi::{Action, AsyncApi, Operation};
use crate::decode::S;
use crate::diag::suggest;

/// What a message step sends to or receives from.
#[derive(Clone, Copy)]
pub(super) enum MessageTarget<'a> {
    /// An AsyncAPI operation.
    Operation {
        /// The index of its source among the document's.
        source: usize,
        api: &'a AsyncApi,
        op: &'a Operation,
        /// Where the step names it.
        at: &'a S,
    },
    /// A channel named by `channelPath`.
    Channel {
        /// The index of its source among the document's.
        source: usize,
        api: &'a AsyncApi,
        /// Its index in [`AsyncApi::channels`].
        channel: usize,
    },
}

impl<'a> WorkflowChecker<'a> {
    /// Whether `step` is an AsyncAPI step, and what it names: `None` when it is not (it
    /// calls an OpenAPI operation or a workflow), `Some(None)` when it is but what it names
    /// is unknown (reported, or a source that was not read).
    pub(super) fn message_target(
        &mut self,
        step: &'a arazzo::Step,
    ) -> Option<Option<MessageTarget<'a>>> {
        match step.target.as_ref()? {
            Target::ChannelPath(path) => Some(self.channel_path(path)),
            Target::OperationId(id) => self.async_operation_id(id, step),
            Target::OperationPath(path) => self.async_operation_path(path),
            Target::WorkflowId(_) => None,
        }
    }

    /// The index of the asyncapi-type source named `name`, if it is one.
    fn async_source(&self, name: &str) -> Option<usize> {
        self.doc
            .sources
            .iter()
            .position(|s| s.name.value == name && s.is_asyncapi())
    }

    /// An `operationId` that names an AsyncAPI operation.
    fn async_operation_id(
        &mut self,
        id: &'a S,
        step: &arazzo::Step,
    ) -> Option<Option<MessageTarget<'a>>> {
        match SourceRef::parse(&id.value) {
            SourceRef::Qualified {
                source,
                name: Some(op_id),
            } => {
                let index = self.async_source(source)?;
                Some(self.named_operation(index, op_id, id))
            }
            SourceRef::Qualified { name: None, .. } => None,
            SourceRef::Local(op_id) => {
                let sources: &'a [crate::load::LoadedSource] = self.sources;
                let found: Vec<usize> = sources
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        s.asyncapi
                            .as_ref()
                            .is_some_and(|a| a.operation(op_id).is_some())
                    })
                    .map(|(i, _)| i)
                    .collect();
                let http = sources
                    .iter()
                    .any(|s| s.api.as_ref().is_some_and(|a| a.operation(op_id).is_some()));
                match found.as_slice() {
                    [one] if !http => Some(self.named_operation(*one, op_id, id)),
                    [] if step.action.is_some()
                        && self
                            .doc
                            .sources
                            .iter()
                            .zip(sources)
                            .any(|(d, s)| d.is_asyncapi() && !s.loaded()) =>
                    {
                        // An AsyncAPI source that was not read may define it.
                        Some(None)
                    }
                    // Ambiguous or unknown: reported as for any operationId.
                    _ => None,
                }
            }
        }
    }

    /// Operation `op_id` of the asyncapi-type source at `index`, or the located error.
    fn named_operation(
        &mut self,
        index: usize,
        op_id: &str,
        at: &'a S,
    ) -> Option<MessageTarget<'a>> {
        let sources: &'a [crate::load::LoadedSource] = self.sources;
        let source = sources.get(index)?;
        let api = source.asyncapi.as_ref()?;
        if let Some(op) = api.operation(op_id) {
            return Some(MessageTarget::Operation {
                source: index,
                api,
                op,
                at,
            });
        }
        let ids = api.operations.iter().map(|o| o.id.as_str());
        // The specification's own example names the reply of `placeOrder` as if it were an
        // operation (`confirmOrder`): name the operation whose reply it is.
        let replying: Vec<&Operation> = api
            .operations
            .iter()
            .filter(|o| o.action == Action::Receive && o.reply.is_some())
            .collect();
        let reply_help = |o: &Operation| {
            let channel = o
                .reply
                .as_ref()
                .and_then(|r| r.channel)
                .and_then(|c| api.channels.get(c))
                .map(|c| format!(" on channel `{}`", c.key))
                .unwrap_or_default();
            format!(
                "operation `{}` replies{channel}: to receive its reply write `operationId: $sourceDescriptions.{}.{}` with `action: receive`",
                o.id, source.name, o.id
            )
        };
        let help = match replying.as_slice() {
            [one] => Some(reply_help(one)),
            _ => suggest(op_id, ids),
        };
        self.diags.error_help(
            at.loc,
            format!(
                "AsyncAPI source `{}` has no operation `{op_id}`",
                source.name
            ),
            help,
        );
        None
    }

    /// An `operationPath` that names an AsyncAPI source: reported (AsyncAPI operations are
    /// named by `operationId`, channels by `channelPath`), then read as the `operationId` it
    /// spells, if any, so that the rest of the step is still checked.
    fn async_operation_path(&mut self, path: &'a S) -> Option<Option<MessageTarget<'a>>> {
        let text = path.value.as_str();
        let (source, op_id) = match SourceRef::parse(text) {
            SourceRef::Qualified {
                source,
                name: Some(name),
            } if !name.contains('#') => (source, Some(name)),
            _ => {
                let (source, pointer) = SourceRef::operation_path(text)?;
                (source, pointer.strip_prefix("/operations/"))
            }
        };
        let index = self.async_source(source)?;
        let known = |op_id: &str| {
            self.sources
                .get(index)
                .and_then(|s| s.asyncapi.as_ref())
                .is_some_and(|a| a.operation(op_id).is_some())
        };
        let help = match op_id {
            Some(op_id) if known(op_id) => {
                format!("write `operationId: $sourceDescriptions.{source}.{op_id}`")
            }
            _ => format!(
                "write `operationId: $sourceDescriptions.{source}.<operationId>`, or `channelPath: '{{$sourceDescriptions.{source}.url}}#/channels/<channel>'`"
            ),
        };
        self.diags.error_help(
            path.loc,
            format!(
                "`operationPath` names an operation of an OpenAPI document; `{source}` is an AsyncAPI source, whose operations are named by `operationId` (and channels by `channelPath`)"
            ),
            Some(help),
        );
        let op_id = op_id?;
        Some(self.named_operation(index, op_id, path))
    }

    /// The channel a `channelPath` names.
    fn channel_path(&mut self, path: &'a S) -> Option<MessageTarget<'a>> {
        let text = path.value.as_str();
        let form =
            "a `channelPath` has the form `{$sourceDescriptions.<name>.url}#/channels/<channel>`";
        let Some((source, pointer)) = SourceRef::operation_path(text) else {
            self.diags.error(path.loc, format!("`{text}`: {form}"));
            return None;
        };
        let Some(index) = self.async_source(source) else {
            let names: Vec<&str> = self
                .doc
                .sources
                .iter()
                .filter(|s| s.is_asyncapi())
                .map(|s| s.name.value.as_str())
                .collect();
            let message = if self.doc.sources.iter().any(|s| s.name.value == source) {
                format!(
                    "`channelPath` names a channel of an AsyncAPI source; `{source}` is not one (give it `type: asyncapi`, or name an HTTP operation with `operationPath`)"
                )
            } else {
                format!("unknown source description `{source}`")
            };
            self.diags
                .error_help(path.loc, message, suggest(source, names));
            return None;
        };
        let sources: &'a [crate::load::LoadedSource] = self.sources;
        let name = &sources.get(index)?.name;
        let api = sources.get(index)?.asyncapi.as_ref()?;
        let Ok(pointer) = crate::expr::parse_pointer(pointer) else {
            self.diags.error(path.loc, format!("`{text}`: {form}"));
            return None;
        };
        let [first, key] = pointer.tokens.as_slice() else {
            self.diags.error(path.loc, format!("`{text}`: {form}"));
            return None;
        };
        if first != "channels" {
            self.diags.error(path.loc, format!("`{text}`: {form}"));
            return None;
        }
        match api.channels.iter().position(|c| c.key == *key) {
            Some(channel) => Some(MessageTarget::Channel {
                source: index,
                api,
                channel,
            }),
            None => {
                self.diags.error_help(
                    path.loc,
                    format!("AsyncAPI source `{name}` has no channel `{key}`"),
                    suggest(key, api.channels.iter().map(|c| c.key.as_str())),
                );
                None
            }
        }
    }
}
