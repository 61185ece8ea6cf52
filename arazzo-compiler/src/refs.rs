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
    /// References to files that could not be loaded: (file of the ref, path) → why.
    pub broken: HashMap<(FileId, String), Broken>,
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
                match self.broken.get(&(file, path.to_owned())) {
                    Some(broken) => broken.message.clone(),
                    None => format!("`$ref: {reference}` names a file that could not be loaded"),
                }
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

/// Keys whose value is data, not part of the description: a `$ref` key inside is a value
/// like any other (an example of a payload that itself uses `$ref`), never a reference.
const DATA_KEYS: [&str; 5] = ["example", "default", "enum", "const", "value"];

/// Keys whose value maps names to objects (schemas, responses, media types, …): a key there is
/// a name, so `properties: {example: {$ref: …}}` is a property called `example` whose schema
/// is a reference.
const NAME_MAPS: [&str; 19] = [
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "paths",
    "webhooks",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "content",
    "encoding",
    "pathItems",
    "mediaTypes",
];

/// Every `$ref` string in a tree that is a reference (for loading referenced files): those in
/// data (`example`, `default`, `enum`, `const`, an Example Object's `value`, the array
/// `examples` of a schema) and in extensions (`x-…`) are values, not references.
pub fn refs(node: &Node, out: &mut Vec<Ref>) {
    visit(node, false, &mut |r| out.push(r));
}

/// Calls `found` for every reference in `node` (see [`refs`]); `names` tells that the keys of
/// `node` are names, not fields.
fn visit(node: &Node, names: bool, found: &mut impl FnMut(Ref)) {
    match &node.kind {
        Kind::Map(entries) => {
            for (k, v) in entries {
                let key = k.as_str().unwrap_or_default();
                if names {
                    visit(v, false, found);
                } else if key == "$ref" {
                    if let Some(r) = v.as_str() {
                        found(Ref {
                            text: r.to_owned(),
                            loc: v.loc,
                        });
                    }
                } else if key.starts_with("x-") || DATA_KEYS.contains(&key) {
                    // Data or an extension: not part of the description.
                } else if key == "examples" {
                    // A map of Example Objects (each a reference, or data in `value`), or a
                    // schema's array of example values.
                    if let Kind::Map(examples) = &v.kind {
                        for (_, example) in examples {
                            visit(example, false, found);
                        }
                    }
                } else {
                    visit(v, NAME_MAPS.contains(&key), found);
                }
            }
        }
        Kind::Seq(items) => items.iter().for_each(|i| visit(i, false, found)),
        _ => {}
    }
}

/// A `$ref` whose file could not be loaded, kept until something the workflow uses reaches
/// it: a broken part of an OpenAPI document that no step uses is not an error of the build.
#[derive(Debug, Clone)]
pub struct Broken {
    /// Where the problem is: in the referenced file (a parse error), else `None` (the
    /// reference itself is the place).
    pub at: Option<Loc>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, if known.
    pub help: Option<String>,
}

/// A broken reference that a node reaches: where to report it, and what.
#[derive(Debug)]
pub struct ReachedError {
    pub loc: Loc,
    pub message: String,
    pub help: Option<String>,
}

impl Trees {
    /// Every broken reference reachable from `root`, following references (each target once):
    /// a file that could not be loaded, or a pointer into nothing.
    pub fn broken_refs(&self, root: &Node) -> Vec<ReachedError> {
        let mut errors = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut pending = vec![root];
        while let Some(node) = pending.pop() {
            visit(node, false, &mut |r: Ref| {
                let path = r.text.split('#').next().unwrap_or_default();
                if !path.is_empty()
                    && let Some(broken) = self.broken.get(&(r.loc.file, path.to_owned()))
                {
                    errors.push(ReachedError {
                        loc: broken.at.unwrap_or(r.loc),
                        message: broken.message.clone(),
                        help: broken.help.clone(),
                    });
                    return;
                }
                match self.lookup(r.loc.file, &r.text) {
                    Ok(target) => {
                        if seen.insert(target.loc) {
                            pending.push(target);
                        }
                    }
                    Err(message) => errors.push(ReachedError {
                        loc: r.loc,
                        message,
                        help: None,
                    }),
                }
            });
        }
        errors
    }
}
