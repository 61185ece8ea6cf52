//! Named schemas: one Rust type per `components/schemas` entry (Swagger 2.0 `definitions`) of
//! a source description, in a module named after the source and shared by every step and
//! workflow of the document that reads it.
//!
//! Every named schema's name is reserved when the library is made, in document order, so a
//! schema's Rust name does not depend on which steps read it; only the schemas some output
//! reaches are generated.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::files::{FileId, Loc};
use crate::load::Unit;
use crate::names;
use crate::refs::Trees;
use crate::types::{self, EnumDef, StructDef, Ty, TypeSpace};
use crate::yaml::Node;

/// The library as the type spaces of response types hold it (the checker runs on one thread;
/// the program it makes is sent back from the checker's thread).
pub type SharedLibrary = Arc<Mutex<Library>>;

/// The library, locked (a panic elsewhere that poisoned it left it consistent: every change is
/// one assignment).
pub fn lock(library: &SharedLibrary) -> MutexGuard<'_, Library> {
    library.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The named schemas of every source description of a program, and the types made of them.
#[derive(Debug, Default)]
pub struct Library {
    modules: Vec<Module>,
    /// Each named schema, by where it is written.
    named: HashMap<Loc, Named>,
    /// Per file, where each named schema starts and where its last node is, sorted.
    extents: HashMap<FileId, Vec<(Loc, Loc)>>,
}

/// The module of one source description's named schemas.
#[derive(Debug)]
pub struct Module {
    /// The Rust module name (`snake_case` of the source's name).
    pub name: String,
    /// The source description's name.
    pub source: String,
    /// Its types; `None` while they are being added to.
    space: Option<TypeSpace>,
}

/// A named schema.
#[derive(Debug, Clone)]
struct Named {
    module: usize,
    /// Its Rust name, reserved in its module.
    name: String,
    /// The JSON pointer that reaches it in its file.
    pointer: String,
}

/// A module's types, once every workflow is checked.
#[derive(Debug)]
pub struct ModuleTypes {
    /// The Rust module name.
    pub name: String,
    /// The source description's name.
    pub source: String,
    /// Its structs and enums.
    pub space: TypeSpace,
}

impl Library {
    /// The named schemas of every OpenAPI source of `units`; module names avoid `taken` (the
    /// workflows' modules). Sources of different documents that name one file share a module.
    pub fn new(units: &[Unit], trees: &Trees, taken: &[String]) -> SharedLibrary {
        let mut taken: Vec<String> = taken.to_vec();
        let mut library = Library::default();
        let mut files: Vec<FileId> = Vec::new();
        for source in units.iter().flat_map(|u| &u.sources) {
            let Some(api) = &source.api else { continue };
            if files.contains(&api.file) {
                continue;
            }
            files.push(api.file);
            let Some(root) = trees.roots.get(&api.file) else {
                continue;
            };
            let schemas: Vec<(String, &Node)> = [
                (
                    "#/components/schemas",
                    root.get("components").and_then(|c| c.get("schemas")),
                ),
                ("#/definitions", root.get("definitions")),
            ]
            .into_iter()
            .filter_map(|(at, map)| Some((at, map?.as_map()?)))
            .flat_map(|(at, map)| {
                map.iter().filter_map(move |(key, schema)| {
                    let key = key.as_str()?;
                    Some((format!("{at}/{}", escape(key)), schema))
                })
            })
            .collect();
            if schemas.is_empty() {
                continue;
            }
            let mut name = names::snake(&source.name);
            if names::RESERVED_MODULES.contains(&name.as_str()) || taken.contains(&name) {
                name.push_str("_types");
            }
            let module = library.modules.len();
            let mut space = TypeSpace::responses(names::PRELUDE_TYPES, None);
            space.module = Some(module);
            let mut spans = Vec::new();
            for (pointer, schema) in schemas {
                let key = pointer.rsplit('/').next().unwrap_or_default().to_owned();
                let named = Named {
                    module,
                    name: space.reserve(&names::pascal(&unescape(&key))),
                    pointer,
                };
                library.named.insert(schema.loc, named);
                spans.push((schema.loc, last_loc(schema)));
            }
            spans.sort();
            library.extents.insert(api.file, spans);
            library.modules.push(Module {
                name: names::unique(name, &mut taken),
                source: source.name.clone(),
                space: Some(space),
            });
        }
        Arc::new(Mutex::new(library))
    }

    /// The named schema written at `loc`, or the one whose text contains it.
    fn owner(&self, loc: Loc) -> Option<(Loc, Named)> {
        if let Some(named) = self.named.get(&loc) {
            return Some((loc, named.clone()));
        }
        let spans = self.extents.get(&loc.file)?;
        let after = spans.partition_point(|(start, _)| *start <= loc);
        let (start, end) = spans.get(after.checked_sub(1)?)?;
        (loc <= *end).then(|| self.named.get(start).map(|n| (*start, n.clone())))?
    }

    /// The modules that got types, with them.
    pub fn into_modules(self) -> Vec<ModuleTypes> {
        self.modules
            .into_iter()
            .filter_map(|m| {
                let space = m.space?;
                (!space.structs.is_empty() || !space.enums.is_empty() || !space.unions.is_empty())
                    .then_some(ModuleTypes {
                        name: m.name,
                        source: m.source,
                        space,
                    })
            })
            .collect()
    }
}

/// The values of the string enum `name`: a shared type of library module `module`, or, without
/// a module, the first of the `local` enums (a workflow's own) so named. `None` when there is
/// no such enum (a callee workflow's module is not a library module).
pub fn enum_values<'a>(
    library: &SharedLibrary,
    module: Option<&str>,
    name: &str,
    local: impl IntoIterator<Item = &'a EnumDef>,
) -> Option<Vec<String>> {
    let Some(module) = module else {
        return local
            .into_iter()
            .find(|d| d.name == name)
            .map(EnumDef::values);
    };
    let library = lock(library);
    let space = library
        .modules
        .iter()
        .find(|m| m.name == module)?
        .space
        .as_ref()?;
    space
        .enums
        .iter()
        .find(|d| d.name == name)
        .map(EnumDef::values)
}

/// The struct `name` of library module `module`, if there is one (a walk through a typed
/// value's members).
pub fn struct_def(library: &SharedLibrary, module: &str, name: &str) -> Option<StructDef> {
    let library = lock(library);
    let space = library
        .modules
        .iter()
        .find(|m| m.name == module)?
        .space
        .as_ref()?;
    space.structs.iter().find(|d| d.name == name).cloned()
}

/// The shared type of `schema` when it is a named schema, or part of one, and `space` has a
/// library: made once in its module, seen from `space` (qualified with the module's name when
/// `space` is another module's or a workflow's). `None` when the schema is no named schema's
/// (or its module is busy further up, a cross-source cycle): then it is typed in `space`.
pub fn shared_ty(trees: &Trees, space: &mut TypeSpace, schema: &Node) -> Option<Ty> {
    let library = space.library.clone()?;
    let loc = trees.resolve(schema).ok()?.loc;
    let (start, named) = lock(&library).owner(loc)?;
    if space.module == Some(named.module) {
        // Inside its own module, a part of a named schema is typed as usual (the memo is the
        // module's); a named schema itself is made once, under its reserved name.
        if loc != start {
            return None;
        }
        if let Some(ty) = space.made(&loc) {
            return Some(ty.clone());
        }
        if space.typing.contains(&loc) {
            return Some(Ty::Json);
        }
        let node = trees.lookup(loc.file, &named.pointer).ok()?;
        return Some(types::named_ty(trees, space, node, named.name));
    }
    // A part of a named schema whose type is Rust's own (a status `i64`) needs no shared type:
    // the whole is made only when the part is a generated struct or enum.
    if loc != start
        && types::schema_ty(trees, &mut TypeSpace::responses(&[], None), schema, "").is_plain()
    {
        return None;
    }
    let mut module_space = lock(&library).modules[named.module].space.take()?;
    module_space.library = Some(Arc::clone(&library));
    let ty = (|| {
        if let Some(ty) = module_space.made(&loc) {
            return Some(ty.clone());
        }
        let node = trees.lookup(loc.file, &named.pointer).ok()?;
        let whole = match module_space.made(&start) {
            Some(ty) => ty.clone(),
            None => types::named_ty(trees, &mut module_space, node, named.name),
        };
        // A part of it is the type made for that part while typing the whole, if any.
        if loc == start {
            Some(whole)
        } else {
            module_space.made(&loc).cloned()
        }
    })();
    module_space.library = None;
    let mut library = lock(&library);
    let module = &mut library.modules[named.module];
    module.space = Some(module_space);
    Some(ty?.qualify(&module.name))
}

/// The last location written inside `node` (its own, for a scalar).
fn last_loc(node: &Node) -> Loc {
    let mut last = node.loc;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        last = last.max(n.loc);
        if let Some(map) = n.as_map() {
            stack.extend(map.iter().map(|(_, v)| v));
        } else if let Some(seq) = n.as_seq() {
            stack.extend(seq.iter());
        }
    }
    last
}

/// A JSON pointer token (`~` → `~0`, `/` → `~1`).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer token's text.
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the type leaves a value untyped.
    fn untyped(ty: &Ty) -> bool {
        match ty {
            Ty::Json => true,
            Ty::Option(t) | Ty::Vec(t) | Ty::Map(t) | Ty::InModule(_, t) => untyped(t),
            _ => false,
        }
    }

    /// What our mapping makes of every named schema of a real OpenAPI document (the comparison
    /// with typify in docs/types.md): `ARAZZO_MEASURE=openapi.json cargo test -p
    /// arazzo-compiler --lib measure_named_schemas -- --ignored --nocapture`.
    #[test]
    #[ignore = "measures a document named by ARAZZO_MEASURE"]
    fn measure_named_schemas() {
        let Ok(path) = std::env::var("ARAZZO_MEASURE") else {
            return;
        };
        let text = std::fs::read_to_string(&path).expect("reads the document");
        let root = crate::yaml::parse(&text, FileId(0)).expect("parses");
        let start = std::time::Instant::now();
        let mut trees = Trees::default();
        trees.roots.insert(FileId(0), root.clone());
        let mut space = TypeSpace::responses(names::PRELUDE_TYPES, None);
        space.module = Some(0);
        let schemas = root
            .get("components")
            .and_then(|c| c.get("schemas"))
            .and_then(Node::as_map)
            .unwrap_or_default();
        let mut value = 0;
        for (key, schema) in schemas {
            let name = names::pascal(key.as_str().unwrap_or_default());
            if untyped(&types::schema_ty(&trees, &mut space, schema, &name)) {
                value += 1;
            }
        }
        let fields: Vec<&types::Field> = space.structs.iter().flat_map(|s| &s.fields).collect();
        println!(
            "{path}: schemas {} | left as Value {value} | structs {} enums {} oneOf/anyOf enums {} | fields {}, of them Value {} | {:.2?}",
            schemas.len(),
            space.structs.len(),
            space.enums.len(),
            space.unions.len(),
            fields.len(),
            fields.iter().filter(|f| untyped(&f.ty)).count(),
            start.elapsed()
        );
    }
}
