//! The loaded YAML/JSON files by id, and `$ref` resolution across them: a `$ref` is resolved
//! relative to the file it is written in, and every file a `$ref` reaches is loaded before
//! checking starts ([`crate::load`]).

use std::collections::HashMap;

use crate::files::{FileId, Loc};
use crate::yaml::{Kind, Node};

/// Every parsed YAML/JSON file, by id, for `$ref` resolution.
#[derive(Debug, Default)]
pub struct Trees {
    /// Root node of each loaded file.
    pub roots: HashMap<FileId, Node>,
    /// Resolved `$ref` targets: (file of the ref, ref text) → target file.
    pub links: HashMap<(FileId, String), FileId>,
}

impl Trees {
    /// Follows `$ref` (repeatedly) from `node`; returns the node it lands on, or an error text.
    pub fn resolve<'a>(&'a self, mut node: &'a Node) -> Result<&'a Node, String> {
        for _ in 0..64 {
            let Some(reference) = node.get("$ref").and_then(Node::as_str) else {
                return Ok(node);
            };
            node = self.lookup(node.loc.file, reference)?;
        }
        Err("`$ref` chain is longer than 64 links (a cycle?)".to_owned())
    }

    /// The node a `$ref` written in `file` points to.
    pub fn lookup(&self, file: FileId, reference: &str) -> Result<&Node, String> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let target = if path.is_empty() {
            file
        } else {
            *self.links.get(&(file, path.to_owned())).ok_or_else(|| {
                format!("`$ref: {reference}` names a file that could not be loaded")
            })?
        };
        let root = self
            .roots
            .get(&target)
            .ok_or_else(|| format!("`$ref: {reference}` names a file that could not be loaded"))?;
        let pointer = crate::expr::parse_pointer(fragment).map_err(|e| e.message)?;
        let mut node = root;
        for token in &pointer.tokens {
            node = match (&node.kind, token.parse::<usize>()) {
                (Kind::Seq(items), Ok(i)) => items.get(i),
                _ => node.get(token),
            }
            .ok_or_else(|| format!("`$ref: {reference}` points at nothing (no `{token}`)"))?;
        }
        Ok(node)
    }
}

/// A `$ref` as written.
pub struct Ref {
    /// Its text: a relative file path, `#` and a JSON pointer, each part optional.
    pub text: String,
    /// Where it is written.
    pub loc: Loc,
}

/// Every `$ref` string in a tree (for loading referenced files).
pub fn refs(node: &Node, out: &mut Vec<Ref>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                if k.as_str() == Some("$ref") {
                    if let Some(r) = v.as_str() {
                        out.push(Ref {
                            text: r.to_owned(),
                            loc: v.loc,
                        });
                    }
                } else {
                    refs(v, out);
                }
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}
