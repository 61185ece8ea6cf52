//! `arazzo upgrade`: rewriting an Arazzo 1.0.x document as 1.1.0, editing its text minimally
//! (comments and layout kept), and finding what 1.1 reads differently and no edit can keep.
//!
//! What changes between the versions, by the specification texts (the Fixed Fields tables of
//! 1.0.1 and 1.1.0, and schema-1.1.yaml):
//! - the `arazzo` field: `1.1.0`;
//! - no field was renamed or restructured: 1.1 only adds fields and objects, so a valid 1.0
//!   document keeps its shape;
//! - no criterion default changed: a `jsonpath` criterion without a version is RFC 9535, and
//!   an `xpath` one XPath 3.1, in both versions (1.0.1's Criterion Expression Type Object and
//!   1.1's Expression Type Object say so), so no criterion needs its version pinned;
//! - 1.1 substitutes runtime expressions written `{$…}` inside a `regex`, `jsonpath` or
//!   `xpath` condition before evaluating it, where 1.0 read that text literally: such a
//!   criterion means something else in 1.1, and is listed for a manual fix;
//! - 1.1's runtime-expression grammar names steps, workflows and source descriptions with
//!   `[A-Za-z0-9_-]+` only (1.0 recommended it): an id with another character cannot be
//!   referred to in 1.1, and is listed for a manual fix (renaming it touches every reference).

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diags, Fix};
use crate::files::Files;
use crate::version::Version;
use crate::yaml::{self, Node};

/// The version [`upgrade`] writes.
const CURRENT: &str = "1.1.0";

/// What [`upgrade`] made of a document.
#[derive(Debug)]
pub struct Upgrade {
    /// The version the document declared.
    pub from: String,
    /// The version it declares now.
    pub to: &'static str,
    /// The upgraded text (the text given, when the document is 1.1 already).
    pub text: String,
    /// Each edit made, in the order of the text (byte ranges of the text given).
    pub edits: Vec<Fix>,
    /// What 1.1 reads differently and needs the author's decision, located.
    pub manual: Vec<Diagnostic>,
}

impl Upgrade {
    /// Whether the document declared 1.1 already (then nothing is changed).
    pub fn already_current(&self) -> bool {
        Version::parse(&self.from) == Some(Version::V1_1)
    }
}

/// Upgrades `text`, an Arazzo document shown as `file` in messages, to Arazzo 1.1.0. `Err`
/// with located messages when it is not YAML, declares no `arazzo` version, or declares one
/// that is neither 1.0.x nor 1.1.x.
pub fn upgrade(text: &str, file: &str) -> Result<Upgrade, Vec<Diagnostic>> {
    let mut files = Files::default();
    let id = files.add(PathBuf::from(file), file.to_owned());
    let mut diags = Diags::default();
    let root = match yaml::parse(text, id) {
        Ok(root) => root,
        Err(e) => {
            return Err(vec![Diagnostic {
                file: file.to_owned(),
                line: e.line,
                col: e.col,
                message: e.message,
                help: None,
                secret: None,
                fix: None,
            }]);
        }
    };
    let Some(version) = root.get("arazzo") else {
        diags.file_error(
            file.to_owned(),
            "not an Arazzo document: it has no `arazzo` field",
            None,
        );
        return Err(diags.finish(&files));
    };
    let from = match &version.kind {
        yaml::Kind::Str(s) => s.clone(),
        _ => String::new(),
    };
    let declared = Version::parse(&from);
    if declared == Some(Version::V1_1) {
        return Ok(Upgrade {
            to: CURRENT,
            from,
            text: text.to_owned(),
            edits: Vec::new(),
            manual: Vec::new(),
        });
    }
    if declared != Some(Version::V1_0) {
        diags.error_help(
            version.loc,
            "`arazzo upgrade` rewrites Arazzo 1.0.x documents; this one is not",
            Some("write the version the document follows, `1.0.1` for example".to_owned()),
        );
        return Err(diags.finish(&files));
    }
    let Some(edit) = crate::fix::edit(&from, version.written, 0..from.len(), CURRENT) else {
        diags.error_help(
            version.loc,
            "this `arazzo` value is written in a way that cannot be rewritten (an escape or an alias)",
            Some(format!("write `arazzo: {CURRENT}` by hand")),
        );
        return Err(diags.finish(&files));
    };
    manual_fixes(&root, &mut diags);
    let mut upgraded = text.to_owned();
    upgraded.replace_range(edit.range.clone(), &edit.replacement);
    Ok(Upgrade {
        to: CURRENT,
        from,
        text: upgraded,
        edits: vec![edit],
        manual: diags.finish(&files),
    })
}

/// Reports what 1.1 reads differently from 1.0 and no edit keeps (the module comment lists
/// them).
fn manual_fixes(root: &Node, diags: &mut Diags) {
    for source in seq(root, "sourceDescriptions") {
        strict_id(source, "name", "source description name", diags);
    }
    for workflow in seq(root, "workflows") {
        strict_id(workflow, "workflowId", "workflowId", diags);
        for step in seq(workflow, "steps") {
            strict_id(step, "stepId", "stepId", diags);
        }
    }
    embedded_expressions(root, diags);
}

/// The sequence at `key` of `node` (empty when there is none).
fn seq<'n>(node: &'n Node, key: &str) -> &'n [Node] {
    node.get(key).and_then(Node::as_seq).unwrap_or(&[])
}

/// Reports the id at `key` of `node` when 1.1's expressions cannot name it.
fn strict_id(node: &Node, key: &str, what: &str, diags: &mut Diags) {
    let Some(id) = node.get(key) else { return };
    let Some(text) = id.as_str() else { return };
    if text.is_empty() || crate::expr::is_strict_identifier(text) {
        return;
    }
    diags.error_help(
        id.loc,
        format!("{what} `{text}`: Arazzo 1.1's runtime expressions name it with letters, digits, `-` and `_` only"),
        Some("rename it, and every reference to it, with those characters".to_owned()),
    );
}

/// Reports every `regex`/`jsonpath`/`xpath` criterion whose condition holds `{$`: 1.1
/// substitutes the runtime expression written there, 1.0 read it as text.
fn embedded_expressions(node: &Node, diags: &mut Diags) {
    if let Some(map) = node.as_map() {
        for (key, value) in map {
            let criteria = matches!(key.as_str(), Some("successCriteria" | "criteria"));
            for criterion in value.as_seq().filter(|_| criteria).unwrap_or(&[]) {
                let kind = criterion.get("type").map(|t| t.get("type").unwrap_or(t));
                let typed = kind
                    .and_then(Node::as_str)
                    .is_some_and(|k| matches!(k, "regex" | "jsonpath" | "xpath"));
                if let Some(condition) = criterion.get("condition").filter(|_| typed)
                    && condition.as_str().is_some_and(|c| c.contains("{$"))
                {
                    diags.error_help(
                        condition.loc,
                        "Arazzo 1.1 replaces each `{$…}` in this condition with the value of the runtime expression before evaluating it; Arazzo 1.0 read it as text",
                        Some("keep the substitution if it is what was meant, else rewrite the condition so it holds no `{$`".to_owned()),
                    );
                }
            }
            embedded_expressions(value, diags);
        }
    } else if let Some(items) = node.as_seq() {
        for item in items {
            embedded_expressions(item, diags);
        }
    }
}
