//! How a step reads its response body, decided once per step ([`Plan::of`]).
//!
//! A step that reads its body only through typed JSON pointers gets a struct for exactly those
//! pointers, one level per pointer token, declared inside the step's function and decoded
//! straight from the bytes; each leaf is an `rt::Lenient<T>` (the runtime's `decode` module
//! says how it behaves):
//!
//! - [`Mode::Decode`]: only outputs read the body: decoded once the criteria passed;
//! - [`Mode::View`]: criteria (or failure actions') read it too: decoded before them;
//! - [`Mode::Tree`]: what a struct cannot express (an array index, the whole body, a pointer
//!   that is a prefix of another or deeper than [`MAX_LEVELS`], a JSONPath over the body,
//!   success actions reading it) keeps the parsed `serde_json::Value` tree.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{ident, ty_tokens};
use crate::ir::{self, Cond, Expr, Operand, Test};
use crate::names;
use crate::types::Ty;

/// The deepest pointer a body struct holds (one struct per level); deeper ones read the tree.
const MAX_LEVELS: usize = 16;

/// How the step reads its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// It does not.
    None,
    /// Through the parsed JSON tree.
    Tree,
    /// Through a struct decoded after the criteria.
    Decode,
    /// Through a struct decoded before the criteria.
    View,
}

/// The decision for one step, and the struct it reads through.
pub(super) struct Plan {
    /// How the body is read.
    pub(super) mode: Mode,
    root: Level,
}

/// One object level of the body struct: its members, in the order first read.
#[derive(Default)]
struct Level {
    members: Vec<Member>,
}

struct Member {
    /// The JSON member name.
    key: String,
    /// The Rust field name.
    field: String,
    kind: MemberKind,
}

enum MemberKind {
    Leaf(Ty),
    Level(Level),
}

impl Plan {
    /// A plan that reads no body (workflow outputs, steps that call workflows).
    pub(super) fn none() -> Plan {
        Plan {
            mode: Mode::None,
            root: Level::default(),
        }
    }

    /// Decides how `step` reads its body.
    pub(super) fn of(step: &ir::Step) -> Plan {
        let mut criteria = Reads::default();
        for c in step
            .criteria
            .iter()
            .chain(step.on_failure.iter().flat_map(|a| &a.criteria))
        {
            criteria.criterion(c);
        }
        let mut after = Reads::default();
        for c in step.on_success.iter().flat_map(|a| &a.criteria) {
            after.criterion(c);
        }
        let mut outputs = Reads::default();
        for o in &step.outputs {
            outputs.expr(&o.expr);
        }
        let read_by_criteria = !criteria.pointers.is_empty() || criteria.untyped;
        let mode = if !read_by_criteria && outputs.pointers.is_empty() && !after.any() {
            Mode::None
        } else if criteria.untyped || outputs.untyped || after.any() {
            Mode::Tree
        } else if read_by_criteria {
            Mode::View
        } else {
            Mode::Decode
        };
        let mut plan = Plan {
            mode,
            root: Level::default(),
        };
        if matches!(mode, Mode::View | Mode::Decode) {
            // Outputs read each pointer once (a second read would need a copy): else the tree.
            let mut seen: Vec<&[String]> = Vec::new();
            for (tokens, _) in &outputs.pointers {
                if seen.contains(&tokens.as_slice()) {
                    plan.mode = Mode::Tree;
                }
                seen.push(tokens);
            }
            for (tokens, ty) in criteria.pointers.iter().chain(&outputs.pointers) {
                if !plan.root.insert(tokens, ty) {
                    plan.mode = Mode::Tree;
                }
            }
        }
        if plan.mode == Mode::Tree {
            plan.root = Level::default();
        }
        plan
    }

    /// The struct declarations, for the top of the step's function.
    pub(super) fn structs(&self) -> TokenStream {
        if !matches!(self.mode, Mode::View | Mode::Decode) {
            return TokenStream::new();
        }
        let mut out = TokenStream::new();
        self.root.declare("Body", &mut out);
        out
    }

    /// The typed value an output reads at `tokens` (`pointer` as written, for errors).
    pub(super) fn output(&self, tokens: &[String], pointer: &str, ty: &Ty) -> TokenStream {
        match self.mode {
            Mode::View | Mode::Decode => {
                let path = self.path(tokens);
                quote! { body #( .#path )* .get(#pointer)? }
            }
            _ => {
                let t = ty_tokens(ty);
                quote! { resp.extract::<#t>(&[ #( #tokens ),* ], #pointer)? }
            }
        }
    }

    /// The criteria operand of the value at `tokens`.
    pub(super) fn operand(&self, tokens: &[String]) -> TokenStream {
        if self.mode == Mode::View {
            let path = self.path(tokens);
            quote! { view #( .#path )* .operand() }
        } else {
            quote! { resp.body_operand(&[ #( #tokens ),* ]) }
        }
    }

    /// The field path of the member at `tokens`.
    fn path(&self, tokens: &[String]) -> Vec<proc_macro2::Ident> {
        let mut level = &self.root;
        let mut path = Vec::new();
        for token in tokens {
            let Some(member) = level.members.iter().find(|m| &m.key == token) else {
                break;
            };
            path.push(ident(&member.field));
            if let MemberKind::Level(inner) = &member.kind {
                level = inner;
            }
        }
        path
    }
}

impl Level {
    /// Adds the pointer `tokens` with a leaf of type `ty`; `false` when the struct cannot hold
    /// it next to what it holds (one pointer a prefix of another, or the same pointer with
    /// another type).
    fn insert(&mut self, tokens: &[String], ty: &Ty) -> bool {
        let Some((first, rest)) = tokens.split_first() else {
            return false;
        };
        let position = self.members.iter().position(|m| &m.key == first);
        let index = match position {
            Some(i) => i,
            None => {
                let mut taken: Vec<String> = self.members.iter().map(|m| m.field.clone()).collect();
                let field = names::unique(names::snake(first), &mut taken);
                self.members.push(Member {
                    key: first.clone(),
                    field,
                    kind: if rest.is_empty() {
                        MemberKind::Leaf(ty.clone())
                    } else {
                        MemberKind::Level(Level::default())
                    },
                });
                self.members.len() - 1
            }
        };
        let Some(member) = self.members.get_mut(index) else {
            return false;
        };
        match (&mut member.kind, rest.is_empty()) {
            (MemberKind::Leaf(existing), true) => position.is_none() || *existing == *ty,
            (MemberKind::Level(inner), false) => inner.insert(rest, ty),
            _ => false,
        }
    }

    /// Declares this level as struct `name` (and its inner levels after it) into `out`.
    fn declare(&self, name: &str, out: &mut TokenStream) {
        let name_ident = format_ident!("{}", name);
        let mut inner = Vec::new();
        let fields: Vec<TokenStream> = self
            .members
            .iter()
            .map(|m| {
                let field = ident(&m.field);
                let key = &m.key;
                let rename = (m.field != m.key).then(|| quote! { #[serde(rename = #key)] });
                match &m.kind {
                    MemberKind::Leaf(ty) => {
                        let t = leaf_tokens(ty);
                        quote! { #rename #field: rt::Lenient<#t> }
                    }
                    MemberKind::Level(level) => {
                        let inner_name = format!("{name}{}", names::pascal(&m.field));
                        let inner_ident = format_ident!("{}", inner_name);
                        inner.push((inner_name, level));
                        quote! {
                            #rename
                            #[serde(deserialize_with = "rt::lenient_object")]
                            #field: #inner_ident
                        }
                    }
                }
            })
            .collect();
        out.extend(quote! {
            #[derive(Default, rt::serde::Deserialize)]
            #[serde(crate = "rt::serde", default)]
            struct #name_ident {
                #( #fields, )*
            }
        });
        for (inner_name, level) in inner {
            level.declare(&inner_name, out);
        }
    }
}

/// A leaf's type as seen from inside the step's function: the module's own types through
/// `self::`, which the body structs declared there cannot shadow.
fn leaf_tokens(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Named(n) | Ty::Enum(n) => {
            let n = ident(n);
            quote! { self::#n }
        }
        Ty::Vec(t) => {
            let t = leaf_tokens(t);
            quote! { Vec<#t> }
        }
        Ty::Map(t) => {
            let t = leaf_tokens(t);
            quote! { ::std::collections::BTreeMap<String, #t> }
        }
        Ty::Option(t) => {
            let t = leaf_tokens(t);
            quote! { Option<#t> }
        }
        other => ty_tokens(other),
    }
}

/// The response-body pointers some expressions read.
#[derive(Default)]
struct Reads {
    /// Typed pointers a struct can hold: (tokens, type).
    pointers: Vec<(Vec<String>, Ty)>,
    /// A read a struct cannot serve: the whole body, an array index, a JSONPath query.
    untyped: bool,
}

impl Reads {
    fn any(&self) -> bool {
        self.untyped || !self.pointers.is_empty()
    }

    fn criterion(&mut self, c: &ir::Criterion) {
        match &c.test {
            Test::Simple(cond) => self.cond(cond),
            Test::Regex(e) => self.expr(e),
            Test::JsonPath(e) => {
                if matches!(e, Expr::ResponseBody { .. }) {
                    self.untyped = true;
                }
            }
        }
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::Or(a, b) | Cond::And(a, b) => {
                self.cond(a);
                self.cond(b);
            }
            Cond::Not(a) => self.cond(a),
            Cond::Cmp(a, _, b) => {
                self.operand(a);
                self.operand(b);
            }
            Cond::Value(a) => self.operand(a),
        }
    }

    fn operand(&mut self, o: &Operand) {
        if let Operand::Expr(e) = o {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::ResponseBody { tokens, ty, .. } => {
                let index = tokens
                    .iter()
                    .any(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()));
                if tokens.is_empty() || tokens.len() > MAX_LEVELS || index {
                    self.untyped = true;
                } else {
                    self.pointers.push((tokens.clone(), ty.clone()));
                }
            }
            Expr::At(inner, _) => self.expr(inner),
            _ => {}
        }
    }
}
