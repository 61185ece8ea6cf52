//! Checking criteria: simple conditions, and `regex`/`jsonpath`/`xpath` criteria.

use super::{At, Place, Scope, WorkflowChecker};
use crate::arazzo::{self, CriterionKind};
use crate::condition;
use crate::decode::S;
use crate::diag::{one_of, suggest};
use crate::files::Loc;
use crate::ir;
use crate::types::Ty;

impl WorkflowChecker<'_> {
    /// Checks and lowers a criterion: a simple condition is evaluated in `scope`, whose place
    /// says where it is written; the context of a `regex`/`jsonpath`/`xpath` criterion is
    /// read as in a success criterion.
    pub(super) fn criterion(
        &mut self,
        criterion: &arazzo::Criterion,
        scope: &Scope<'_>,
    ) -> Option<ir::Criterion> {
        if criterion.kind != CriterionKind::Simple {
            return self.typed_criterion(criterion, scope);
        }
        let cond = self.condition(&criterion.condition, scope)?;
        Some(ir::Criterion {
            text: criterion.condition.value.clone(),
            test: ir::Test::Simple(cond),
        })
    }

    /// Checks a `regex`/`jsonpath`/`xpath` criterion: the context is a valid expression (for
    /// `xpath`, one that can be XML text) and the condition compiles (with each embedded `{$…}`
    /// expression of a 1.1 document replaced by a placeholder value); evaluating them comes
    /// later.
    fn typed_criterion(
        &mut self,
        criterion: &arazzo::Criterion,
        after: &Scope<'_>,
    ) -> Option<ir::Criterion> {
        let context = criterion.context.as_ref()?; // a missing context was reported while reading
        let scope = Scope {
            place: Place::SuccessCriterion,
            ..*after
        };
        let mut context = self.expr(At::whole(context), &context.value, &scope);
        let condition = &criterion.condition;
        let text = &condition.value;
        let language = match &criterion.kind {
            CriterionKind::Regex => Language::Regex,
            CriterionKind::JsonPath(_) => Language::JsonPath,
            CriterionKind::XPath(_) => {
                // Without the `xpath` feature: the one error that says how to enable it.
                self.xpath_enabled(condition, "criteria")?;
                // A context that cannot be XML is reported beside the condition's own errors.
                if let (Some(value), Some(written)) = (&context, &criterion.context)
                    && self
                        .xpath_context(written.loc, &written.value, value, &scope)
                        .is_none()
                {
                    context = None;
                }
                Language::XPath
            }
            CriterionKind::Simple => return None, // handled by `criterion`
        };
        // In 1.0 a `{$…}` is text of the condition; 1.1 substitutes it before evaluating.
        let template = if self
            .doc
            .version
            .semantics()
            .embedded_expressions_in_typed_conditions
        {
            self.template(At::whole(condition), &scope, true)?
        } else {
            None
        };
        match &template {
            // XPath's own check adds a help (`$name` is an XPath variable there).
            None if language == Language::XPath => self.xpath(condition, "criteria")?,
            None => {
                if let Some(problem) = language.problem(text) {
                    self.diags.error(condition.loc, problem);
                    return None;
                }
            }
            Some(parts) => self.check_placeholders(condition, language, parts)?,
        }
        let typed = ir::Typed {
            context: context?,
            template,
        };
        Some(ir::Criterion {
            text: text.clone(),
            test: match language {
                Language::Regex => ir::Test::Regex(typed),
                Language::JsonPath => ir::Test::JsonPath(typed),
                Language::XPath => ir::Test::XPath(typed),
            },
        })
    }

    /// Checks that a condition with embedded expressions compiles with some placeholder value
    /// in place of each (one that fits its type: `0` for a number, a plain word for text, …),
    /// so only the values substituted at run time can make it invalid.
    fn check_placeholders(
        &mut self,
        condition: &S,
        language: Language,
        parts: &[ir::TemplatePart],
    ) -> Option<()> {
        let mut first_problem = None;
        for text in placeholder_texts(parts) {
            match language.problem(&text) {
                None => return Some(()),
                Some(problem) => {
                    first_problem.get_or_insert((text, problem));
                }
            }
        }
        let (tried, problem) = first_problem?;
        self.diags.error_help(
            condition.loc,
            format!(
                "this {} condition is invalid whatever values its `{{$…}}` expressions stand for: with placeholder values it reads `{tried}`, and {problem}",
                language.name()
            ),
            Some(language.placeholder_help().to_owned()),
        );
        None
    }

    /// Checks that a JSONPath query (a criterion's condition, a selector) parses (RFC 9535).
    pub(super) fn jsonpath(&mut self, query: &S) -> Option<()> {
        match Language::JsonPath.problem(&query.value) {
            Some(problem) => {
                self.diags.error(query.loc, problem);
                None
            }
            None => Some(()),
        }
    }

    /// Parses and lowers a simple condition.
    fn condition(&mut self, text: &S, scope: &Scope<'_>) -> Option<ir::Cond> {
        let parsed = match condition::parse(&text.value) {
            Ok(c) => c,
            Err(e) => {
                let fix = e.respelling.and_then(|r| {
                    if r.text.starts_with('$') {
                        self.respell(At::whole(text), &text.value, r.range, &r.text, scope)
                    } else {
                        // An operator: its one Arazzo spelling, whatever the rest holds.
                        crate::fix::edit(&text.value, text.written, r.range, &r.text)
                    }
                });
                self.diags.error_fix(
                    text.loc,
                    format!("invalid condition `{}`: {}", text.value, e.message),
                    e.help,
                    fix,
                );
                return None;
            }
        };
        self.lower_cond(At::whole(text), &parsed, scope)
    }

    /// Lowers a parsed condition, resolving its expressions in `scope`.
    fn lower_cond(
        &mut self,
        at: At<'_>,
        cond: &condition::Cond,
        scope: &Scope<'_>,
    ) -> Option<ir::Cond> {
        let loc = at.loc;
        Some(match cond {
            condition::Cond::Or(a, b) => {
                let (a, b) = (self.lower_cond(at, a, scope), self.lower_cond(at, b, scope));
                ir::Cond::Or(Box::new(a?), Box::new(b?))
            }
            condition::Cond::And(a, b) => {
                let (a, b) = (self.lower_cond(at, a, scope), self.lower_cond(at, b, scope));
                ir::Cond::And(Box::new(a?), Box::new(b?))
            }
            condition::Cond::Not(a) => ir::Cond::Not(Box::new(self.lower_cond(at, a, scope)?)),
            condition::Cond::Value(o) => ir::Cond::Value(self.operand(at, o, scope)?),
            condition::Cond::Cmp(a, op, b) => {
                let (a, b) = (self.operand(at, a, scope), self.operand(at, b, scope));
                let (a, b) = (a?, b?);
                self.check_comparable(loc, &a, &b, scope);
                ir::Cond::Cmp(a, *op, b)
            }
        })
    }

    /// Lowers one side of a comparison.
    fn operand(
        &mut self,
        at: At<'_>,
        operand: &condition::Operand,
        scope: &Scope<'_>,
    ) -> Option<ir::Operand> {
        match operand {
            condition::Operand::Lit(l) => Some(ir::Operand::Lit(l.clone())),
            condition::Operand::Expr(_, text, offset) => Some(ir::Operand::Expr(self.expr(
                at.inner(*offset),
                text,
                scope,
            )?)),
        }
    }

    /// Reports a comparison that can never hold: a number with non-numeric text, a string
    /// enum with a number or with text outside the enum, a boolean with a number.
    fn check_comparable(&mut self, loc: Loc, a: &ir::Operand, b: &ir::Operand, scope: &Scope<'_>) {
        use condition::Literal;
        for (x, y) in [(a, b), (b, a)] {
            let ir::Operand::Expr(e) = x else {
                continue;
            };
            let ty = e.ty();
            let values =
                enum_name(&ty).and_then(|(module, name)| self.enum_values(module, name, scope));
            let problem = match (y, values) {
                (ir::Operand::Lit(Literal::Str(s)), _)
                    if ty.is_numeric() && s.trim().parse::<f64>().is_err() =>
                {
                    Some((
                        format!(
                            "this condition compares a number ({}) with the text '{s}', which can never be equal",
                            ty.rust()
                        ),
                        Some("compare with a number literal".to_owned()),
                    ))
                }
                (ir::Operand::Lit(Literal::Str(s)), Some(values))
                    if !values.iter().any(|v| v.eq_ignore_ascii_case(s)) =>
                {
                    Some((
                        format!(
                            "this condition compares a value that can only be {} with '{s}'",
                            one_of(&as_strs(&values))
                        ),
                        suggest(s, values.iter().map(String::as_str)),
                    ))
                }
                (ir::Operand::Lit(Literal::Number(n)), Some(values))
                    if !values.iter().any(|v| v.trim().parse::<f64>().is_ok()) =>
                {
                    let first = values.first().map(String::as_str).unwrap_or_default();
                    Some((
                        format!(
                            "this condition compares a value that can only be {} with the number {n}, which can never be equal",
                            one_of(&as_strs(&values))
                        ),
                        Some(format!(
                            "compare with one of its values as quoted text, e.g. '{first}'"
                        )),
                    ))
                }
                (ir::Operand::Lit(Literal::Number(n)), _) if is_bool(&ty) => Some((
                    format!(
                        "this condition compares a boolean with the number {n}, which can never be equal"
                    ),
                    Some("compare with `true` or `false`".to_owned()),
                )),
                (ir::Operand::Lit(Literal::Bool(b)), _) if ty.is_numeric() => Some((
                    format!(
                        "this condition compares a number ({}) with `{b}`, which can never be equal",
                        ty.rust()
                    ),
                    Some("compare with a number literal".to_owned()),
                )),
                _ => None,
            };
            if let Some((message, help)) = problem {
                self.diags.error_help(loc, message, help);
                return;
            }
        }
    }

    /// The values of the string enum `name`: a shared type of a source's `module`, or one
    /// generated for this workflow's inputs, step outputs or condition operands (a callee
    /// workflow's is not checked).
    fn enum_values(
        &self,
        module: Option<&str>,
        name: &str,
        scope: &Scope<'_>,
    ) -> Option<Vec<String>> {
        let local = [
            &scope.space.enums,
            &self.out_space.enums,
            &self.scratch.enums,
        ];
        crate::library::enum_values(self.library, module, name, local.into_iter().flatten())
    }
}

/// The strings of `values`, borrowed.
fn as_strs(values: &[String]) -> Vec<&str> {
    values.iter().map(String::as_str).collect()
}

/// Whether `ty` is `bool` (directly or inside `Option`).
fn is_bool(ty: &Ty) -> bool {
    match ty {
        Ty::Bool => true,
        Ty::Option(inner) => is_bool(inner),
        _ => false,
    }
}

/// The enum a type is (directly or inside `Option`), if any, and the module it is in when
/// another (a source's named schemas, a callee workflow's).
pub(super) fn enum_name(ty: &Ty) -> Option<(Option<&str>, &str)> {
    match ty {
        Ty::Enum(name) => Some((None, name)),
        Ty::Option(inner) => enum_name(inner),
        Ty::InModule(module, inner) => {
            let (_, name) = enum_name(inner)?;
            Some((Some(module), name))
        }
        _ => None,
    }
}

/// The language of a `regex`/`jsonpath` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Language {
    Regex,
    JsonPath,
    XPath,
}

impl Language {
    fn name(self) -> &'static str {
        match self {
            Language::Regex => "regex",
            Language::JsonPath => "JSONPath",
            Language::XPath => "XPath",
        }
    }

    /// Why `text` is not a condition of this language the runtime accepts, if it is not:
    /// the same engines and bounds as at run time ([`arazzo_bounds`]).
    fn problem(self, text: &str) -> Option<String> {
        match self {
            Language::Regex => {
                // The runtime's engine with its limits: a pattern that parses but is too
                // large to compile would otherwise never match at run time.
                let e = arazzo_bounds::regex(text).err()?;
                let detail = e.to_string();
                let last = detail.lines().last().unwrap_or(&detail).trim();
                let last = last.strip_prefix("error: ").unwrap_or(last);
                Some(format!("regex `{text}` does not compile: {last}"))
            }
            Language::JsonPath => {
                if let Some(problem) = arazzo_bounds::jsonpath_bounds(text) {
                    return Some(problem);
                }
                let e = serde_json_path::JsonPath::parse(text).err()?;
                Some(format!(
                    "JSONPath `{text}` does not parse (RFC 9535): {}",
                    e.to_string().lines().next().unwrap_or_default()
                ))
            }
            Language::XPath => super::xpath::problem(text),
        }
    }

    fn placeholder_help(self) -> &'static str {
        match self {
            Language::Regex => {
                "a value is substituted as regex syntax, as it is; write the condition so it is a regex whatever the values are, e.g. `^({$inputs.pattern})$`"
            }
            Language::JsonPath => {
                "a value is substituted as text, as it is: inside a string literal (`'{$inputs.name}'`) it is part of the string; elsewhere it must be JSONPath syntax, such as a number"
            }
            Language::XPath => {
                "a value is substituted as text, as it is: inside a string literal (`'{$inputs.name}'`) it is part of the string; elsewhere it must be XPath syntax, such as a number"
            }
        }
    }
}

/// The most condition texts tried with placeholder values.
const MAX_PLACEHOLDER_TRIES: usize = 64;

/// The placeholder values tried for an expression of type `ty`, most likely first.
fn placeholders(ty: &Ty) -> &'static [&'static str] {
    if ty.is_numeric() {
        &["0", "9"]
    } else if is_bool(ty) {
        &["true"]
    } else {
        &["x", "0", "9"]
    }
}

/// The texts of a template with placeholder values in place of its expressions: every
/// combination, first placeholders first, at most [`MAX_PLACEHOLDER_TRIES`].
fn placeholder_texts(parts: &[ir::TemplatePart]) -> Vec<String> {
    let mut texts = vec![String::new()];
    for part in parts {
        match part {
            ir::TemplatePart::Lit(l) => texts.iter_mut().for_each(|t| t.push_str(l)),
            ir::TemplatePart::Expr(e) => {
                let values = placeholders(&e.ty());
                let mut next = Vec::with_capacity(texts.len() * values.len());
                'outer: for value in values {
                    for text in &texts {
                        if next.len() == MAX_PLACEHOLDER_TRIES {
                            break 'outer;
                        }
                        next.push(format!("{text}{value}"));
                    }
                }
                texts = next;
            }
        }
    }
    texts
}
