//! Type-checking values passed to another workflow's inputs: a call step's parameters, an
//! action's `parameters` (Arazzo 1.1), and the inputs a workflow hands over by name
//! (`dependsOn`, `goto` and `retry` workflows without `parameters`).
//!
//! Where both sides are typed, a value that cannot be the input is a compile error that names
//! the input and both types. Where one side is free-form JSON (`serde_json::Value`), or both
//! are generated structs (their shapes are compared member by member at run time), the
//! run-time check stays (`ErrorKind::CalleeInputs`, naming the input).

use super::criteria::enum_name;
use super::{CalleeSig, Scope, WorkflowChecker};
use crate::arazzo;
use crate::diag::{closest, one_of, suggest};
use crate::files::Loc;
use crate::ir;
use crate::types::{Field, Ty};
use crate::yaml::serde_json_lite::Value as Json;
use crate::yaml::{Kind, Node};

/// Whether a value of type `found` cannot be an input of type `expected`, as far as the types
/// tell: an integer fits a number, text fits a string enum (its value is checked at run time),
/// objects fit objects. A value that may be absent (an `Option`) fits a required input of its
/// type: many documents leave members that are always sent out of `required`, so whether it is
/// there is checked at run time (`ErrorKind::CalleeInputs`, naming the input).
fn clashes(found: &Ty, expected: &Ty) -> bool {
    match (found, expected) {
        (Ty::Json, _) | (_, Ty::Json) => false,
        (Ty::InModule(_, f), _) => clashes(f, expected),
        (_, Ty::InModule(_, e)) => clashes(found, e),
        (Ty::Option(f), _) => clashes(f, expected),
        (_, Ty::Option(e)) => clashes(found, e),
        (Ty::I64 | Ty::U16, Ty::I64 | Ty::U16 | Ty::F64)
        | (Ty::F64, Ty::F64)
        | (Ty::Bool, Ty::Bool)
        | (Ty::Bytes, Ty::Bytes)
        | (Ty::Str | Ty::Enum(_), Ty::Str | Ty::Enum(_))
        | (Ty::Named(_), Ty::Named(_) | Ty::Map(_))
        | (Ty::Map(_), Ty::Named(_)) => false,
        (Ty::Vec(f), Ty::Vec(e)) | (Ty::Map(f), Ty::Map(e)) => clashes(f, e),
        _ => true,
    }
}

/// The type of a value as the callee's inputs see it; `None` for the literal `null`.
fn value_ty(value: &ir::Value) -> Option<Ty> {
    Some(match value {
        ir::Value::Lit(Json::Null) => return None,
        ir::Value::Lit(Json::Bool(_)) => Ty::Bool,
        ir::Value::Lit(Json::Int(_)) => Ty::I64,
        ir::Value::Lit(Json::Float(_)) => Ty::F64,
        ir::Value::Lit(Json::Str(_)) | ir::Value::Template(_) => Ty::Str,
        ir::Value::Lit(Json::Array(_)) | ir::Value::Array(_) => Ty::Vec(Box::new(Ty::Json)),
        ir::Value::Lit(Json::Object(_)) | ir::Value::Object(_) => Ty::Map(Box::new(Ty::Json)),
        ir::Value::Expr(e) => e.ty(),
    })
}

/// What a value of type `ty` is, in words.
fn describe(ty: &Ty) -> String {
    match ty {
        Ty::I64 | Ty::U16 => "an integer".into(),
        Ty::F64 => "a number".into(),
        Ty::Bool => "a boolean".into(),
        Ty::Str => "a string".into(),
        Ty::Enum(_) => "a string enum".into(),
        Ty::Bytes => "binary data".into(),
        Ty::Vec(t) if **t == Ty::Json => "an array".into(),
        Ty::Vec(t) => format!("an array of {}", plural(t)),
        Ty::Map(_) | Ty::Named(_) => "an object".into(),
        Ty::Json => "any JSON value".into(),
        Ty::Option(t) => format!("{} that may be absent", describe(t)),
        Ty::InModule(_, t) => describe(t),
    }
}

/// What several values of type `ty` are, in words.
fn plural(ty: &Ty) -> String {
    match ty {
        Ty::I64 | Ty::U16 => "integers".into(),
        Ty::F64 => "numbers".into(),
        Ty::Bool => "booleans".into(),
        Ty::Str | Ty::Enum(_) => "strings".into(),
        Ty::Bytes => "binary values".into(),
        Ty::Vec(_) => "arrays".into(),
        Ty::Map(_) | Ty::Named(_) => "objects".into(),
        Ty::Json => "JSON values".into(),
        Ty::Option(t) => format!("{} or nulls", plural(t)),
        Ty::InModule(_, t) => plural(t),
    }
}

/// How a value is named in a message: the text of a string as written, a scalar literal as
/// JSON, a structure by what it is.
fn shown(node: &Node) -> String {
    match &node.kind {
        Kind::Str(text) => format!("the value `{text}`"),
        Kind::Seq(_) => "this array".into(),
        Kind::Map(_) => "this object".into(),
        _ => match node.to_json() {
            Json::Null => "the value `null`".into(),
            Json::Bool(b) => format!("the value `{b}`"),
            Json::Int(i) => format!("the value `{i}`"),
            Json::Float(f) => format!("the value `{f}`"),
            _ => "this value".into(),
        },
    }
}

/// `ty` without `Option` and module around it.
fn plain(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(t) | Ty::InModule(_, t) => plain(t),
        other => other,
    }
}

impl WorkflowChecker<'_> {
    /// The inputs `parameters` pass to workflow `callee` (a call step's, or an action's that
    /// runs a workflow), component references resolved: each names an input of `callee` and
    /// fits its type (when the callee is checked already, `sig`); the callee's required inputs
    /// they leave out are reported at `loc`, saying `who` leaves them out.
    pub(super) fn passed_inputs(
        &mut self,
        parameters: &[arazzo::Parameter],
        who: &str,
        loc: Loc,
        callee: &arazzo::Workflow,
        sig: Option<&CalleeSig>,
        scope: &Scope<'_>,
    ) -> Vec<(String, ir::Value)> {
        let inputs = callee.input_names(self.trees);
        let mut supplied = Vec::new();
        let mut values = Vec::new();
        for p in parameters {
            let resolved;
            let p = match &p.reference {
                Some(r) => match self.component_parameter(r, p.value.as_ref()) {
                    Some(found) => {
                        resolved = found;
                        &resolved
                    }
                    None => continue,
                },
                None => p,
            };
            let Some(name) = &p.name else { continue };
            if inputs.contains(&name.as_str()) {
                supplied.push(name.value.clone());
            } else {
                // A misspelled input is not reported missing as well.
                if let Some(meant) = closest(&name.value, &inputs) {
                    supplied.push(meant.to_owned());
                }
                self.diags.error_help(
                    name.loc,
                    format!(
                        "workflow `{}` has no input `{}`",
                        callee.id.value, name.value
                    ),
                    suggest(&name.value, inputs.iter().copied()).or_else(|| {
                        Some(format!("workflow `{}` declares no inputs", callee.id.value))
                    }),
                );
            }
            if let Some(value) = &p.value
                && let Some(v) = self.value(value, scope)
            {
                if let Some(sig) = sig {
                    self.check_passed(&callee.id.value, sig, &name.value, value, &v);
                }
                values.push((name.value.clone(), v));
            }
        }
        for r in callee.required_inputs(self.trees) {
            if !supplied.contains(&r) {
                self.diags.error(
                    loc,
                    format!(
                        "{who} does not supply required input `{r}` of workflow `{}`",
                        callee.id.value
                    ),
                );
            }
        }
        values
    }

    /// Reports the parameter value `node` (lowered to `value`) of a step that calls workflow
    /// `callee` when it cannot be that workflow's input `name`.
    pub(super) fn check_passed(
        &mut self,
        callee: &str,
        sig: &CalleeSig,
        name: &str,
        node: &Node,
        value: &ir::Value,
    ) {
        if let Some(input) = sig.inputs.iter().find(|f| f.name == name) {
            self.check_fits(callee, sig, name, &input.ty, node, value);
        }
    }

    /// Reports `value` (written as `node`) when it cannot be `name` (an input, or a member
    /// inside one: `customer/name`) of type `expected` of workflow `callee`; the members of an
    /// object or array written in the step are checked one by one.
    fn check_fits(
        &mut self,
        callee: &str,
        sig: &CalleeSig,
        name: &str,
        expected: &Ty,
        node: &Node,
        value: &ir::Value,
    ) {
        let Some(found) = value_ty(value) else {
            if !matches!(expected, Ty::Option(_) | Ty::Json) {
                self.diags.error_help(
                    node.loc,
                    format!(
                        "input `{name}` of workflow `{callee}` is required, and the value is `null`"
                    ),
                    Some(format!(
                        "pass {}, or make `{name}` optional in workflow `{callee}` and leave it out",
                        describe(expected)
                    )),
                );
            }
            return;
        };
        if let (Some((module, en)), ir::Value::Lit(Json::Str(s))) = (enum_name(expected), value) {
            // A shared type of a source's module, or one of the callee's own.
            if let Some(values) = crate::library::enum_values(self.library, module, en, &sig.enums)
            {
                self.check_enum_literal(callee, name, &values, s, node.loc);
            }
            return;
        }
        if !clashes(&found, expected) {
            self.check_members(callee, sig, name, expected, node, value);
            return;
        }
        let message = format!(
            "input `{name}` of workflow `{callee}` is {}; {} is {}",
            describe(expected),
            shown(node),
            describe(&found)
        );
        let help = match value {
            ir::Value::Lit(Json::Str(s))
                if expected.is_numeric() && s.trim().parse::<f64>().is_ok() =>
            {
                format!("write the number without quotes: `{}`", s.trim())
            }
            _ => format!(
                "pass {} to `{name}`, or change its type in the inputs of workflow `{callee}`",
                describe(plain(expected))
            ),
        };
        self.diags.error_help(node.loc, message, Some(help));
    }

    /// Checks the members of an object or the items of an array written in the step against
    /// the struct, map or array type `expected`; a struct's required members it leaves out are
    /// reported.
    fn check_members(
        &mut self,
        callee: &str,
        sig: &CalleeSig,
        name: &str,
        expected: &Ty,
        node: &Node,
        value: &ir::Value,
    ) {
        match (&node.kind, value, plain(expected)) {
            (Kind::Map(entries), ir::Value::Object(members), Ty::Named(def)) => {
                let Some(def) = sig.structs.iter().find(|d| &d.name == def) else {
                    return;
                };
                for ((_, item), (key, v)) in entries.iter().zip(members) {
                    if let Some(field) = def.fields.iter().find(|f| &f.json_name == key) {
                        let at = format!("{name}/{key}");
                        self.check_fits(callee, sig, &at, &field.ty, item, v);
                    }
                }
                for field in &def.fields {
                    let given = members.iter().any(|(key, _)| *key == field.json_name);
                    if !given && !matches!(field.ty, Ty::Option(_)) {
                        self.diags.error_help(
                            node.loc,
                            format!(
                                "input `{name}` of workflow `{callee}` needs member `{}`, which this object leaves out",
                                field.json_name
                            ),
                            Some(format!("add `{}` ({})", field.json_name, describe(&field.ty))),
                        );
                    }
                }
            }
            (Kind::Map(entries), ir::Value::Object(members), Ty::Map(each)) => {
                for ((_, item), (key, v)) in entries.iter().zip(members) {
                    self.check_fits(callee, sig, &format!("{name}/{key}"), each, item, v);
                }
            }
            (Kind::Seq(items), ir::Value::Array(values), Ty::Vec(each)) => {
                for (i, (item, v)) in items.iter().zip(values).enumerate() {
                    self.check_fits(callee, sig, &format!("{name}/{i}"), each, item, v);
                }
            }
            _ => {}
        }
    }

    /// Reports a text literal passed to input `name` of workflow `callee`, a string enum of
    /// these `values`, that is none of them.
    fn check_enum_literal(
        &mut self,
        callee: &str,
        name: &str,
        values: &[String],
        text: &str,
        loc: Loc,
    ) {
        if values.iter().any(|v| v == text) {
            return;
        }
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        self.diags.error_help(
            loc,
            format!(
                "input `{name}` of workflow `{callee}` can only be {}; the value '{text}' is none of them",
                one_of(&values)
            ),
            suggest(text, values.iter().copied()),
        );
    }

    /// Reports the inputs of this workflow, `fields`, that workflow `callee` (described by
    /// `sig`) takes by name and whose types cannot be its inputs'; `how` says how it runs
    /// (for messages, e.g. "workflow `a` depends on `b`"). Returns whether all fit.
    pub(super) fn check_by_name(
        &mut self,
        loc: Loc,
        how: &str,
        sig: &CalleeSig,
        fields: &[Field],
    ) -> bool {
        let mut fit = true;
        for input in &sig.inputs {
            let Some(own) = fields.iter().find(|f| f.json_name == input.name) else {
                continue;
            };
            if !clashes(&own.ty, &input.ty) {
                continue;
            }
            fit = false;
            let name = &input.name;
            let message = format!(
                "{how}, which takes input `{name}` by name: it is {} there, and {} in this workflow",
                describe(&input.ty),
                describe(&own.ty)
            );
            let help = "give the input the same type in both workflows";
            self.diags.error_help(loc, message, Some(help.to_owned()));
        }
        fit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(t: Ty) -> Ty {
        t.optional()
    }

    #[test]
    fn what_fits() {
        let e = || Ty::Enum("State".into());
        for (found, expected) in [
            (Ty::I64, Ty::F64),
            (Ty::U16, Ty::I64),
            (Ty::I64, opt(Ty::I64)),
            (opt(Ty::I64), opt(Ty::F64)),
            (opt(Ty::I64), Ty::I64),
            (Ty::Vec(Box::new(opt(Ty::I64))), Ty::Vec(Box::new(Ty::I64))),
            (Ty::Str, e()),
            (e(), Ty::Str),
            (opt(Ty::Json), Ty::I64),
            (Ty::Json, Ty::Bool),
            (Ty::Str, Ty::Json),
            (Ty::Vec(Box::new(Ty::I64)), Ty::Vec(Box::new(Ty::F64))),
            (
                Ty::Named("A".into()),
                Ty::InModule("m".into(), Box::new(Ty::Named("B".into()))),
            ),
        ] {
            assert!(!clashes(&found, &expected), "{found:?} into {expected:?}");
        }
        for (found, expected) in [
            (Ty::Str, Ty::I64),
            (Ty::F64, Ty::I64),
            (e(), Ty::I64),
            (Ty::Bool, opt(Ty::Str)),
            (opt(Ty::Str), Ty::I64),
            (Ty::Vec(Box::new(opt(Ty::Str))), Ty::Vec(Box::new(Ty::I64))),
            (Ty::Str, Ty::Named("A".into())),
        ] {
            assert!(clashes(&found, &expected), "{found:?} into {expected:?}");
        }
    }
}
