//! Resolving what a step or action names: `operationId`, `operationPath`, `workflowId` (of this
//! document or of an arazzo-type source), and the security an operation requires.

use super::WorkflowChecker;
use super::actions::check_workflow_ref;
use crate::arazzo::{self, Document, SourceRef};
use crate::decode::S;
use crate::diag::{one_of, suggest};
use crate::expr;
use crate::ir;
use crate::load::{LoadedSource, Unit};
use crate::names;
use crate::openapi::{ApiKeyIn, OpenApi, Operation, ParamIn, ParamKey, Scheme};
use crate::yaml::Node;

impl<'a> WorkflowChecker<'a> {
    /// Checks a `workflowId` reference ([`check_workflow_ref`]) and returns the workflow it
    /// names, with the unit that holds it.
    pub(super) fn resolve_workflow(
        &mut self,
        reference: &S,
    ) -> Option<(usize, &'a arazzo::Workflow)> {
        if !check_workflow_ref(
            self.diags,
            reference,
            &self.names.workflows,
            &self.names.sources,
        ) {
            return None;
        }
        self.target_workflow(reference)
    }

    /// The workflow a `workflowId` reference names, already checked by
    /// [`check_workflow_ref`]: one of this document, or
    /// `$sourceDescriptions.<name>.<workflowId>` of an arazzo-type source. Returns the unit
    /// that holds it.
    pub(super) fn target_workflow(
        &mut self,
        reference: &S,
    ) -> Option<(usize, &'a arazzo::Workflow)> {
        let doc: &'a Document = self.doc;
        let (source, id) = match SourceRef::parse(&reference.value) {
            SourceRef::Local(id) => {
                let found = doc.workflows.iter().find(|w| w.id.value == id)?;
                return Some((self.unit, found));
            }
            SourceRef::Qualified {
                source,
                name: Some(id),
            } => (source, id),
            SourceRef::Qualified { name: None, .. } => {
                self.diags.error(
                    reference.loc,
                    format!(
                        "`{}` must have the form `$sourceDescriptions.<name>.<workflowId>`",
                        reference.value
                    ),
                );
                return None;
            }
        };
        let index = doc.sources.iter().position(|s| s.name.value == source)?;
        let Some(unit) = self.sources.get(index).and_then(|s| s.arazzo) else {
            if doc.sources[index].is_arazzo() {
                // Its document did not load; that error is reported already.
                return None;
            }
            self.diags.error_help(
                reference.loc,
                format!("source description `{source}` is not an Arazzo document, so it has no workflow `{id}`"),
                Some(format!("give `{source}` `type: arazzo`, or name a workflow of this document")),
            );
            return None;
        };
        let units: &'a [Unit] = self.units;
        let other = &units.get(unit)?.doc;
        match other.workflows.iter().find(|w| w.id.value == id) {
            Some(found) => Some((unit, found)),
            None => {
                self.diags.error_help(
                    reference.loc,
                    format!("source description `{source}` has no workflow `{id}`"),
                    suggest(id, other.workflows.iter().map(|w| w.id.value.as_str())),
                );
                None
            }
        }
    }

    /// The operation an `operationId` names: `$sourceDescriptions.<name>.<operationId>`, or an
    /// operationId that exactly one source defines. Returns the index of its source.
    pub(super) fn resolve_operation_id(&mut self, id: &S) -> Option<(usize, &'a Operation)> {
        let doc: &'a Document = self.doc;
        let sources: &'a [LoadedSource] = self.sources;
        let text = id.value.as_str();
        if let SourceRef::Qualified { source, name } = SourceRef::parse(text) {
            let Some(op_id) = name else {
                self.diags.error(
                    id.loc,
                    format!(
                        "`{text}` must have the form `$sourceDescriptions.<name>.<operationId>`"
                    ),
                );
                return None;
            };
            let Some(index) = sources.iter().position(|s| s.name == source) else {
                self.diags.error_help(
                    id.loc,
                    format!("unknown source description `{source}`"),
                    suggest(source, doc.sources.iter().map(|s| s.name.value.as_str())),
                );
                return None;
            };
            // By its type: also when its document was not read.
            if doc
                .sources
                .get(index)
                .is_some_and(arazzo::SourceDescription::is_arazzo)
            {
                self.diags.error_help(
                    id.loc,
                    format!("source description `{source}` is an Arazzo document, which has workflows, not operations"),
                    Some(format!("call one of its workflows with `workflowId: $sourceDescriptions.{source}.<workflowId>`")),
                );
                return None;
            }
            let api = sources[index].api.as_ref()?;
            return match api.operation(op_id) {
                Some(op) => Some((index, op)),
                None => {
                    self.diags.error_help(
                        id.loc,
                        format!("source `{source}` has no operation `{op_id}`"),
                        suggest(op_id, api.operations.iter().filter_map(|o| o.id.as_deref())),
                    );
                    None
                }
            };
        }
        let found: Vec<(usize, &Operation)> = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                s.api
                    .as_ref()
                    .and_then(|a| a.operation(text))
                    .map(|op| (i, op))
            })
            .collect();
        match found.as_slice() {
            [one] => Some(*one),
            [] => {
                if sources.iter().any(|s| !s.loaded()) {
                    // A source failed to load (already reported); the operation may be there.
                    return None;
                }
                let all: Vec<&str> = self
                    .sources
                    .iter()
                    .filter_map(|s| s.api.as_ref())
                    .flat_map(|a| a.operations.iter().filter_map(|o| o.id.as_deref()))
                    .collect();
                // `api.getThing` naming a source and its operation: Arazzo writes that
                // `$sourceDescriptions.api.getThing`.
                let qualified = text.split_once('.').filter(|(source, operation)| {
                    self.sources.iter().any(|s| {
                        s.name == *source
                            && s.api.as_ref().is_some_and(|a| {
                                a.operations
                                    .iter()
                                    .any(|o| o.id.as_deref() == Some(*operation))
                            })
                    })
                });
                let (help, fix) = match qualified {
                    Some((source, operation)) => {
                        let spelled = format!("$sourceDescriptions.{source}.{operation}");
                        let fix = crate::fix::edit(text, id.written, 0..text.len(), &spelled);
                        (Some(format!("write `{spelled}`")), fix)
                    }
                    None => (suggest(text, all), None),
                };
                self.diags.error_fix(
                    id.loc,
                    format!("no source description defines operationId `{text}`"),
                    help,
                    fix,
                );
                None
            }
            many => {
                let spellings: Vec<String> = many
                    .iter()
                    .map(|(i, _)| format!("$sourceDescriptions.{}.{text}", sources[*i].name))
                    .collect();
                self.diags.error_help(
                    id.loc,
                    format!(
                        "operationId `{text}` is ambiguous: {} sources define it",
                        many.len()
                    ),
                    Some(format!(
                        "qualify it as {}",
                        one_of(&spellings.iter().map(String::as_str).collect::<Vec<_>>())
                    )),
                );
                None
            }
        }
    }

    /// The operation an `operationPath` points at. Returns the index of its source.
    pub(super) fn resolve_operation_path(&mut self, path: &S) -> Option<(usize, &'a Operation)> {
        let sources: &'a [LoadedSource] = self.sources;
        let text = path.value.as_str();
        let Some((source, pointer)) = SourceRef::operation_path(text) else {
            // `api#/paths/…` naming a source: the specification's spelling of exactly that.
            let spelled = text
                .split_once('#')
                .filter(|(name, _)| sources.iter().any(|s| s.name == *name))
                .map(|(name, pointer)| format!("{{$sourceDescriptions.{name}.url}}#{pointer}"));
            // Rewritten only when the spelling names an operation.
            let fix = spelled.as_ref().and_then(|spelled| {
                let written = S {
                    value: spelled.clone(),
                    loc: path.loc,
                    written: None,
                };
                let (found, clean) = self.quietly(|c| c.resolve_operation_path(&written));
                (found.is_some() && clean)
                    .then(|| crate::fix::edit(text, path.written, 0..text.len(), spelled))
                    .flatten()
            });
            self.diags.error_fix(
                path.loc,
                format!("`{text}` must have the form `{{$sourceDescriptions.<name>.url}}#/paths/<escaped path>/<method>`"),
                spelled.map(|spelled| format!("write `{spelled}`")),
                fix,
            );
            return None;
        };
        let Some(index) = sources.iter().position(|s| s.name == source) else {
            self.diags.error_help(
                path.loc,
                format!("unknown source description `{source}`"),
                suggest(source, sources.iter().map(|s| s.name.as_str())),
            );
            return None;
        };
        let pointer = match expr::parse_pointer(pointer) {
            Ok(p) => p,
            Err(e) => {
                self.diags.error_help(path.loc, e.message, e.help);
                return None;
            }
        };
        // The pointer's shape can be checked even when the source did not load.
        let is_operation = match pointer.tokens.as_slice() {
            [paths, _, _] => paths == "paths",
            // OpenAPI 3.2: `/paths/<path>/additionalOperations/<method>`.
            [paths, _, additional, _] => paths == "paths" && additional == "additionalOperations",
            _ => false,
        };
        if !is_operation {
            let help = match pointer.tokens.as_slice() {
                [paths, _] if paths == "paths" => {
                    Some("add the HTTP method, e.g. `.../get`".to_owned())
                }
                _ => None,
            };
            self.diags.error_help(
                path.loc,
                format!(
                    "`{}` does not point at an operation (expected `/paths/<escaped path>/<method>`)",
                    pointer.text
                ),
                help,
            );
            return None;
        }
        if self
            .doc
            .sources
            .get(index)
            .is_some_and(arazzo::SourceDescription::is_arazzo)
        {
            self.diags.error(
                path.loc,
                format!("source description `{source}` is an Arazzo document, which has no paths"),
            );
            return None;
        }
        let api = sources[index].api.as_ref()?;
        let (p, method, additional) = match pointer.tokens.as_slice() {
            [_, p, method] => (p, method, false),
            [_, p, _, method] => (p, method, true),
            _ => return None,
        };
        let found = api.operations.iter().find(|o| {
            o.path == *p
                && match &o.additional {
                    Some(name) => additional && name == method,
                    None => !additional && o.method.eq_ignore_ascii_case(method),
                }
        });
        match found {
            Some(op) => Some((index, op)),
            None => {
                let candidates: Vec<String> = api
                    .operations
                    .iter()
                    .filter(|o| o.path == *p)
                    .map(|o| match &o.additional {
                        Some(name) => format!("additionalOperations/{name}"),
                        None => o.method.to_ascii_lowercase(),
                    })
                    .collect();
                // An operation of `additionalOperations` named with another case or as if it
                // were a fixed field.
                let additional_name = api
                    .operations
                    .iter()
                    .filter(|o| o.path == *p)
                    .find_map(|o| o.additional.as_ref())
                    .filter(|name| name.eq_ignore_ascii_case(method));
                let help = if candidates.is_empty() {
                    suggest(p, api.operations.iter().map(|o| o.path.as_str()))
                } else if let Some(name) = additional_name {
                    Some(format!("point at `…/additionalOperations/{name}`"))
                } else {
                    suggest(method, candidates.iter().map(String::as_str))
                };
                self.diags.error_help(
                    path.loc,
                    format!("source `{source}` has no operation at `{}`", pointer.text),
                    help,
                );
                None
            }
        }
    }

    /// The security alternatives of `op` the runtime can apply, each a list of indexes into
    /// [`ir::Program::schemes`]; an API key the step sends itself as one of its `bound`
    /// parameters needs no credential. `None` (reported) when no alternative is usable.
    pub(super) fn security(
        &mut self,
        source: usize,
        api: &OpenApi,
        op: &Operation,
        label: &str,
        bound: &[ParamKey],
        step: &arazzo::Step,
    ) -> Option<Vec<Vec<usize>>> {
        if op.security.is_empty() {
            return Some(Vec::new());
        }
        // The document sends its own `Authorization` header (a token it obtained, say): the
        // schemes that travel in it need no credential from the builder.
        let authorizes = bound
            .iter()
            .any(|k| k.location == ParamIn::Header && k.name.eq_ignore_ascii_case("authorization"));
        let mut alternatives = Vec::new();
        let mut unsupported = Vec::new();
        for alternative in &op.security {
            let mut indexes = Vec::new();
            let mut usable = true;
            for name in alternative {
                let Some(scheme) = api.scheme(name) else {
                    unsupported.push(format!(
                        "`{name}` (not defined in components.securitySchemes)"
                    ));
                    usable = false;
                    continue;
                };
                match scheme {
                    Scheme::ApiKey { .. }
                        if scheme
                            .api_key_param()
                            .is_some_and(|key| bound.contains(&key)) =>
                    {
                        // The step sends the key itself as a parameter.
                    }
                    Scheme::Basic | Scheme::Bearer if authorizes => {}
                    Scheme::ApiKey {
                        location: ApiKeyIn::Header,
                        name,
                    } if authorizes && name.eq_ignore_ascii_case("authorization") => {}
                    Scheme::Unsupported(kind) if authorizes && kind.starts_with("http ") => {
                        // Another HTTP authentication scheme (digest, …): its credentials are
                        // the document's `Authorization` header.
                    }
                    Scheme::Unsupported(kind) => {
                        unsupported.push(format!("`{name}` ({kind})"));
                        usable = false;
                    }
                    _ => indexes.push(self.scheme_index(source, name, scheme, api, label)),
                }
            }
            if usable {
                if indexes.is_empty() {
                    // An alternative that needs no credential always applies: the ones before
                    // it are tried first (the runtime picks the first whose credentials are
                    // configured), the ones after it are never reached.
                    if alternatives.is_empty() {
                        return Some(Vec::new());
                    }
                    alternatives.push(indexes);
                    break;
                }
                alternatives.push(indexes);
            }
        }
        if alternatives.is_empty() {
            self.diags.error(
                step.loc,
                format!(
                    "operation `{label}` requires security this runtime cannot apply: {}",
                    unsupported.join(", ")
                ),
            );
            return None;
        }
        Some(alternatives)
    }

    /// The index of scheme `name` of the source with client slot `source` among the program's
    /// schemes, added (with a unique builder method) when first used; records that the
    /// operation `label` needs it.
    pub(super) fn scheme_index(
        &mut self,
        source: usize,
        name: &str,
        scheme: &Scheme,
        api: &OpenApi,
        label: &str,
    ) -> usize {
        if let Some(i) = self
            .program
            .schemes
            .iter()
            .position(|s| s.source == source && s.name == name)
        {
            if !self.program.schemes[i]
                .operations
                .iter()
                .any(|o| o == label)
            {
                self.program.schemes[i].operations.push(label.to_owned());
            }
            return i;
        }
        let source_name = &self.program.sources[source].name;
        let method = names::unique(
            format!("{}_{}", names::snake(source_name), names::snake(name)),
            self.taken_methods,
        );
        let doc = self
            .trees
            .roots
            .get(&api.file)
            .and_then(|r| r.get("components"))
            .and_then(|c| c.get("securitySchemes"))
            .and_then(|s| s.get(name))
            .and_then(|s| s.get("description"))
            .and_then(Node::as_str)
            .map(str::to_owned);
        self.program.schemes.push(ir::SchemeUse {
            source,
            name: name.to_owned(),
            kind: scheme.clone(),
            method,
            doc,
            operations: vec![label.to_owned()],
        });
        self.program.schemes.len() - 1
    }
}
