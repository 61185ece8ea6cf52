//! JSON pointers into values that already have a Rust type: `$steps.s.outputs.o#/items/0/sku`,
//! and a `jsonpointer` Selector Object whose context is such an output. The pointer is walked
//! through the type at compile time (struct fields by their JSON names, array indexes, map
//! keys), so what it reads has the member's type, `Option`al because an index or a key may find
//! nothing; a walk that reaches free-form JSON goes on at run time with `serde_json`'s pointer.
//! A pointer to a member the type does not have is a located error: the typed value keeps only
//! the members its schema declares, so it could never be found.

use super::WorkflowChecker;
use crate::diag::suggest;
use crate::files::Loc;
use crate::ir::{self, Access};
use crate::library;
use crate::types::{StructDef, Ty};

/// Where walking a pointer through a type ended.
enum Walk {
    /// At a member of this type (before the final `Option`), through these steps.
    Typed(Vec<Access>, Ty),
    /// At a type this walk does not look into (a `oneOf` union, a called workflow's type): the
    /// pointer is read from the value's JSON form at run time, untyped.
    Untyped,
    /// At a member the type cannot have: the message.
    Wrong(String),
}

impl WorkflowChecker<'_> {
    /// `value#tokens`, where `value` is a typed value (a step's output): the member, typed.
    pub(super) fn typed_pointer(
        &mut self,
        loc: Loc,
        text: &str,
        value: ir::Expr,
        tokens: Vec<String>,
    ) -> Option<ir::Expr> {
        match self.walk(text, &value.ty(), &tokens) {
            Walk::Typed(path, ty) => Some(ir::Expr::Member {
                of: Box::new(value),
                path,
                ty: ty.optional(),
            }),
            Walk::Untyped => Some(ir::Expr::At(Box::new(value), tokens)),
            Walk::Wrong(message) => {
                self.diags.error(loc, message);
                None
            }
        }
    }

    /// Walks `tokens` through `ty`, a type of this workflow's module.
    fn walk(&self, text: &str, ty: &Ty, tokens: &[String]) -> Walk {
        // The library module whose types `Ty::Named` and `Ty::Enum` name (`None`: the
        // workflow's own output types).
        let mut module: Option<String> = None;
        let mut ty = ty.clone();
        let mut path = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            ty = peel(ty, &mut module, &mut path);
            // Where the walk is, for messages: "the output", "the output at `/a/0`".
            let at = || match i {
                0 => "the output".to_owned(),
                _ => format!("the output at `/{}`", tokens[..i].join("/")),
            };
            match ty {
                Ty::Named(name) => {
                    let Some(def) = self.struct_def(module.as_deref(), &name) else {
                        return Walk::Untyped;
                    };
                    let Some(field) = def.fields.iter().find(|f| f.json_name == *token) else {
                        let names = def.fields.iter().map(|f| f.json_name.as_str());
                        let hint = suggest(token, names.clone())
                            .map(|h| format!("; {h}"))
                            .unwrap_or_default();
                        return Walk::Wrong(format!(
                            "`{text}`: {} has no member `{token}` (its schema declares {}){hint}",
                            at(),
                            list(names)
                        ));
                    };
                    path.push(Access::Field(field.ident.clone()));
                    ty = field.ty.clone();
                }
                Ty::Vec(item) => {
                    // RFC 6901: an index is decimal without leading zeros.
                    let index = match token.parse::<usize>() {
                        Ok(n) if token == "0" || !token.starts_with('0') => n,
                        _ => {
                            return Walk::Wrong(format!(
                                "`{text}`: {} is an array, and `{token}` is not an index (a number without leading zeros)",
                                at()
                            ));
                        }
                    };
                    path.push(Access::Index(index));
                    ty = *item;
                }
                Ty::Map(value) => {
                    path.push(Access::Key(token.clone()));
                    ty = *value;
                }
                Ty::Json => {
                    path.push(Access::Json(tokens[i..].to_vec()));
                    return Walk::Typed(path, Ty::Json);
                }
                other => {
                    return Walk::Wrong(format!(
                        "`{text}`: {} is a `{}`, which has no member `{token}`",
                        at(),
                        other.rust()
                    ));
                }
            }
        }
        let ty = peel(ty, &mut module, &mut path);
        Walk::Typed(
            path,
            match &module {
                Some(module) => ty.qualify(module),
                None => ty,
            },
        )
    }

    /// The struct `name` of library module `module`, or of this workflow's output types.
    fn struct_def(&self, module: Option<&str>, name: &str) -> Option<StructDef> {
        match module {
            None => self
                .out_space
                .structs
                .iter()
                .find(|s| s.name == name)
                .cloned(),
            Some(module) => library::struct_def(self.library, module, name),
        }
    }
}

/// Looks through an `Option` (the walk goes on inside it) and a module qualification (the
/// walk goes on in that module).
fn peel(mut ty: Ty, module: &mut Option<String>, path: &mut Vec<Access>) -> Ty {
    loop {
        ty = match ty {
            Ty::Option(inner) => {
                path.push(Access::Flatten);
                *inner
            }
            Ty::InModule(name, inner) => {
                *module = Some(name);
                *inner
            }
            other => return other,
        };
    }
}

/// `` `a`, `b` and `c` `` (or "no members").
fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.as_slice() {
        [] => "no members".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
