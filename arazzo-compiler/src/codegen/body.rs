//! How a step reads its response body, decided once per step ([`Plan::of`]).
//!
//! A step that reads its body only through JSON pointers picks the values at exactly those
//! pointers from the bytes (`resp.pick(&[&["data", "values"], ...])`, the runtime's `decode`
//! module), without building the body's tree and without a struct or derive per step:
//!
//! - [`Mode::PickAfter`]: only outputs read the body: picked once the criteria passed;
//! - [`Mode::PickBefore`]: criteria (or failure actions') read it too: picked before them;
//! - [`Mode::Tree`]: what a pick cannot serve (a JSONPath over the body, success actions or
//!   action parameters that read it after the outputs took their values, two outputs reading one pointer, more than
//!   the runtime's `MAX_PICKED` pointers) keeps the parsed `serde_json::Value` tree.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::ty_tokens;
use crate::ir::{self, Cond, Expr, Operand, Test};
use crate::types::Ty;

/// The most pointers one step picks; the runtime's `MAX_PICKED`.
const MAX_PICKED: usize = 64;

/// How the step reads its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// It does not.
    None,
    /// Through the parsed JSON tree.
    Tree,
    /// Through values picked after the criteria.
    PickAfter,
    /// Through values picked before the criteria.
    PickBefore,
}

/// The decision for one step, and the pointers it picks.
pub(super) struct Plan {
    /// How the body is read.
    pub(super) mode: Mode,
    /// The pointers picked, each once, in the order first read.
    pointers: Vec<Vec<String>>,
}

impl Plan {
    /// A plan that reads no body (workflow outputs, steps that call workflows).
    pub(super) fn none() -> Plan {
        Plan {
            mode: Mode::None,
            pointers: Vec::new(),
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
        // An action's parameters read the body after the outputs may have taken their values.
        for (_, v) in step
            .on_success
            .iter()
            .chain(&step.on_failure)
            .filter_map(|a| a.inputs.as_ref())
            .flatten()
        {
            after.value(v);
        }
        let mut outputs = Reads::default();
        for o in &step.outputs {
            outputs.expr(&o.expr);
        }
        let mut pointers: Vec<Vec<String>> = Vec::new();
        let mut read_twice = false;
        for tokens in &outputs.pointers {
            read_twice |= pointers.contains(tokens);
            pointers.push(tokens.clone());
        }
        for tokens in &criteria.pointers {
            if !pointers.contains(tokens) {
                pointers.push(tokens.clone());
            }
        }
        let read_by_criteria = !criteria.pointers.is_empty() || criteria.query;
        let mode = if !read_by_criteria && !outputs.any() && !after.any() {
            Mode::None
        } else if criteria.query
            || outputs.query
            || after.any()
            || read_twice
            || pointers.len() > MAX_PICKED
        {
            Mode::Tree
        } else if read_by_criteria {
            Mode::PickBefore
        } else {
            Mode::PickAfter
        };
        if mode == Mode::Tree || mode == Mode::None {
            pointers.clear();
        }
        Plan { mode, pointers }
    }

    /// `let mut body = resp.pick(…);`, where the step's mode puts it (`before`: ahead of the
    /// criteria).
    pub(super) fn pick(&self, before: bool) -> TokenStream {
        let wanted = if before {
            Mode::PickBefore
        } else {
            Mode::PickAfter
        };
        if self.mode != wanted {
            return TokenStream::new();
        }
        let pointers = self
            .pointers
            .iter()
            .map(|tokens| quote! { &[ #( #tokens ),* ] });
        quote! { let mut body = resp.pick(&[ #( #pointers ),* ]); }
    }

    /// The typed value an output reads at `tokens` (`pointer` as written, for errors).
    pub(super) fn output(&self, tokens: &[String], pointer: &str, ty: &Ty) -> TokenStream {
        match self.slot(tokens) {
            Some(slot) => quote! { body.get(#slot, #pointer)? },
            None => {
                let t = ty_tokens(ty);
                quote! { resp.extract::<#t>(&[ #( #tokens ),* ], #pointer)? }
            }
        }
    }

    /// The criteria operand of the value at `tokens`.
    pub(super) fn operand(&self, tokens: &[String]) -> TokenStream {
        match self.slot(tokens) {
            Some(slot) => quote! { body.operand(#slot) },
            None => quote! { resp.body_operand(&[ #( #tokens ),* ]) },
        }
    }

    /// The index of `tokens` among the picked pointers.
    fn slot(&self, tokens: &[String]) -> Option<Literal> {
        self.pointers
            .iter()
            .position(|p| p == tokens)
            .map(Literal::usize_unsuffixed)
    }
}

/// The response-body pointers some expressions read.
#[derive(Default)]
struct Reads {
    /// Pointers (pre-split tokens), in the order read.
    pointers: Vec<Vec<String>>,
    /// A JSONPath query over the body, which needs the tree.
    query: bool,
}

impl Reads {
    fn any(&self) -> bool {
        self.query || !self.pointers.is_empty()
    }

    fn criterion(&mut self, c: &ir::Criterion) {
        match &c.test {
            Test::Simple(cond) => self.cond(cond),
            Test::Regex(t) => t.exprs().for_each(|e| self.expr(e)),
            Test::JsonPath(t) => {
                if matches!(t.context, Expr::ResponseBody { .. }) {
                    self.query = true;
                }
                t.exprs().skip(1).for_each(|e| self.expr(e));
            }
            Test::XPath(t) => {
                self.xpath_context(&t.context);
                t.exprs().skip(1).for_each(|e| self.expr(e));
            }
        }
    }

    /// An XPath context: the whole body is read as text (nothing to pick), anything else as
    /// an expression.
    fn xpath_context(&mut self, e: &Expr) {
        match e {
            Expr::ResponseBody { tokens, .. } if tokens.is_empty() => {}
            other => self.expr(other),
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

    fn value(&mut self, v: &ir::Value) {
        match v {
            ir::Value::Lit(_) => {}
            ir::Value::Expr(e) => self.expr(e),
            ir::Value::Template(parts) => {
                for part in parts {
                    if let ir::TemplatePart::Expr(e) = part {
                        self.expr(e);
                    }
                }
            }
            ir::Value::Object(members) => members.iter().for_each(|(_, v)| self.value(v)),
            ir::Value::Array(items) => items.iter().for_each(|v| self.value(v)),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::ResponseBody { tokens, .. } => self.pointers.push(tokens.clone()),
            Expr::At(inner, _) | Expr::Member { of: inner, .. } => self.expr(inner),
            Expr::JsonPath { of, .. } if matches!(**of, Expr::ResponseBody { .. }) => {
                self.query = true;
            }
            Expr::JsonPath { of, .. } => self.expr(of),
            Expr::XPath { of, .. } => self.xpath_context(of),
            _ => {}
        }
    }
}
