//! The constructs Arazzo 1.1 added, screened by the document's version before the object
//! model ([`crate::arazzo`]) reads it.
//!
//! Comparing the Fixed Fields tables of arazzo-1.0.1.md and arazzo-1.1.0.md (and
//! schema-1.1.yaml), 1.1 adds:
//!
//! | Object | Addition | Here |
//! |---|---|---|
//! | Arazzo | `$self` | read ([`crate::arazzo::Document::self_uri`]) |
//! | Source Description | `type: asyncapi` | read ([`crate::asyncapi`]) |
//! | Step | `dependsOn` | read |
//! | Step | `timeout` | read (steps that call an operation) |
//! | Step | `channelPath`, `action`, `correlationId` | read (checked; code generation not yet) |
//! | Parameter | `in: querystring` | read |
//! | Parameter | `in: channel` | read (AsyncAPI steps) |
//! | Parameter, step and workflow `outputs`, Payload Replacement `value` | Selector Object | read (`xpath` selectors need the `xpath` feature, reported where they are checked) |
//! | Payload Replacement | `targetSelectorType` | read |
//! | Success / Failure Action | `parameters` | read |
//! | Expression Type Object | versions `rfc9535`, `xpath-31` | read ([`crate::version::Semantics`]) |
//! | Expression Type Object | `type: jsonpointer` | read (Selector Objects) |
//!
//! In a 1.0 document every addition is an error that points at `arazzo upgrade`; in a 1.1
//! document one this compiler does not implement yet is a located "not supported yet" error.
//! Either way the construct is removed from the tree the object model reads, so it is
//! reported once, not again as an unknown field. A part of 1.1 that becomes supported is
//! taken out of [`NOT_YET`] and read by [`crate::arazzo`].

use crate::diag::Diags;
use crate::version::{self, Version};
use crate::yaml::{Kind, Node};

/// The 1.1 additions this compiler does not implement yet, as [`Addition`] names.
/// Empty since AsyncAPI steps are read; kept so that the next addition has its place.
const NOT_YET: &[&str] = &[];

/// The step fields 1.1 added.
const STEP_FIELDS: &[&str] = &[
    "dependsOn",
    "timeout",
    "channelPath",
    "action",
    "correlationId",
];

/// Reports the 1.1 additions in `root` (a whole document of `version`), and returns the
/// tree without the ones that are errors.
pub fn screen(diags: &mut Diags, root: &Node, version: Version) -> Node {
    let mut screener = Screener { diags, version };
    let mut root = root.clone();
    screener.root(&mut root);
    root
}

struct Screener<'d> {
    diags: &'d mut Diags,
    version: Version,
}

impl Screener<'_> {
    /// Whether the 1.1 addition `what`, written at `at`, stays in the tree for the reader.
    /// In a 1.0 document it is reported, and one the compiler implements stays (it is read
    /// and checked as in 1.1, so that what uses it reports nothing more); one it does not
    /// implement yet is reported and removed.
    fn allowed(&mut self, at: &Node, what: &str) -> bool {
        let implemented = !NOT_YET.contains(&what);
        if self.version == Version::V1_0 {
            version::too_new(self.diags, at.loc, what, self.version);
        } else if !implemented {
            version::not_yet(self.diags, at.loc, what);
        }
        implemented
    }

    /// Removes the field `key` of `node` when it is a 1.1 addition that is not read.
    fn field(&mut self, node: &mut Node, key: &str, what: &str) {
        if let Kind::Map(entries) = &mut node.kind {
            entries.retain(|(k, _)| k.as_str() != Some(key) || self.allowed(k, what));
        }
    }

    fn root(&mut self, root: &mut Node) {
        self.field(root, "$self", "`$self`");
        for source in items(root, "sourceDescriptions") {
            if let Some(kind) = source.get("type")
                && kind.as_str() == Some("asyncapi")
                && !self.allowed(kind, "`type: asyncapi`")
            {
                drop_field(source, "type");
            }
        }
        for workflow in items(root, "workflows") {
            self.workflow(workflow);
        }
        let Some(components) = field_mut(root, "components") else {
            return;
        };
        for parameter in values(components, "parameters") {
            self.parameter(parameter);
        }
        for kind in ["successActions", "failureActions"] {
            for action in values(components, kind) {
                self.action(action);
            }
        }
    }

    fn workflow(&mut self, workflow: &mut Node) {
        self.outputs(workflow);
        for parameter in items(workflow, "parameters") {
            self.parameter(parameter);
        }
        for kind in ["successActions", "failureActions"] {
            for action in items(workflow, kind) {
                self.action(action);
            }
        }
        for step in items(workflow, "steps") {
            self.step(step);
        }
    }

    fn step(&mut self, step: &mut Node) {
        for key in STEP_FIELDS {
            self.field(step, key, &format!("step field `{key}`"));
        }
        self.outputs(step);
        for parameter in items(step, "parameters") {
            self.parameter(parameter);
        }
        if let Some(body) = field_mut(step, "requestBody") {
            for replacement in items(body, "replacements") {
                self.field(replacement, "targetSelectorType", "`targetSelectorType`");
                self.selector_value(replacement, "value");
            }
        }
        for kind in ["onSuccess", "onFailure"] {
            for action in items(step, kind) {
                self.action(action);
            }
        }
        for criterion in items(step, "successCriteria") {
            self.criterion(criterion);
        }
    }

    fn parameter(&mut self, parameter: &mut Node) {
        let Some(at) = parameter.get("in") else {
            self.selector_value(parameter, "value");
            return;
        };
        match at.as_str() {
            // Read by the object model (OpenAPI 3.2 declares it too): reported, kept, so that
            // the parameter is checked as what it is.
            Some("querystring") => {
                self.allowed(at, "`in: querystring`");
            }
            Some("channel") if !self.allowed(at, "`in: channel`") => {
                drop_field(parameter, "in");
            }
            _ => {}
        }
        self.selector_value(parameter, "value");
    }

    fn action(&mut self, action: &mut Node) {
        self.field(action, "parameters", "action field `parameters`");
        for criterion in items(action, "criteria") {
            self.criterion(criterion);
        }
    }

    /// An Expression Type Object naming a version its document's version does not have.
    fn criterion(&mut self, criterion: &mut Node) {
        let Some(kind) = field_mut(criterion, "type") else {
            return;
        };
        let (then, now) = (self.version.semantics(), Version::V1_1.semantics());
        let (old, new) = match kind.get("type").and_then(Node::as_str) {
            Some("jsonpath") => (then.jsonpath_versions, now.jsonpath_versions),
            Some("xpath") => (then.xpath_versions, now.xpath_versions),
            _ => return,
        };
        let Some(version) = kind.get("version") else {
            return;
        };
        if let Some(text) = version.as_str()
            && !old.contains(&text)
            && new.contains(&text)
            && !self.allowed(version, &format!("`version: {text}`"))
        {
            // The default version applies instead, so the criterion is still checked.
            drop_field(kind, "version");
        }
    }

    /// Step or workflow `outputs` whose values are Selector Objects.
    fn outputs(&mut self, node: &mut Node) {
        if let Some(Node {
            kind: Kind::Map(entries),
            ..
        }) = field_mut(node, "outputs")
        {
            entries.retain(|(_, v)| v.as_map().is_none() || self.allowed(v, "a Selector Object"));
        }
    }

    /// A `value` that is a Selector Object (a mapping with `selector`): replaced by an empty
    /// string when not read, so that the parameter or replacement is still there.
    fn selector_value(&mut self, node: &mut Node, key: &str) {
        let Some(value) = field_mut(node, key) else {
            return;
        };
        if value.get("selector").is_some()
            && value.get("context").is_some()
            && !self.allowed(value, "a Selector Object")
        {
            *value = Node::synthesized(Kind::Str(String::new()), value.loc);
        }
    }
}

/// The value of field `key` of a mapping.
fn field_mut<'n>(node: &'n mut Node, key: &str) -> Option<&'n mut Node> {
    match &mut node.kind {
        Kind::Map(entries) => entries
            .iter_mut()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v),
        _ => None,
    }
}

/// The items of the sequence field `key` (none when it is not a sequence).
fn items<'n>(node: &'n mut Node, key: &str) -> std::slice::IterMut<'n, Node> {
    match field_mut(node, key).map(|v| &mut v.kind) {
        Some(Kind::Seq(items)) => items.iter_mut(),
        _ => [].iter_mut(),
    }
}

/// The values of the mapping field `key` (none when it is not a mapping).
fn values<'n>(node: &'n mut Node, key: &str) -> impl Iterator<Item = &'n mut Node> {
    let entries: &mut [(Node, Node)] = match field_mut(node, key).map(|v| &mut v.kind) {
        Some(Kind::Map(entries)) => entries,
        _ => &mut [],
    };
    entries.iter_mut().map(|(_, v)| v)
}

/// Removes the field `key` of a mapping.
fn drop_field(node: &mut Node, key: &str) {
    if let Kind::Map(entries) = &mut node.kind {
        entries.retain(|(k, _)| k.as_str() != Some(key));
    }
}
