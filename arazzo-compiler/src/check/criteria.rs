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
    /// `xpath`, one that can be XML text) and the pattern or query compiles.
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
        let context = self.expr(At::whole(context), &context.value, &scope);
        let text = &criterion.condition.value;
        // In 1.0 a `{$…}` is text of the pattern; 1.1 substitutes it before evaluating.
        if self
            .doc
            .version
            .semantics()
            .embedded_expressions_in_typed_conditions
            && text.contains("{$")
        {
            crate::version::not_yet(
                self.diags,
                criterion.condition.loc,
                "a runtime expression embedded in a `regex`/`jsonpath`/`xpath` condition",
            );
            return None;
        }
        let typed = match &criterion.kind {
            CriterionKind::Regex => {
                // The runtime's engine with its limits: a pattern that parses but is too large
                // to compile would otherwise never match at run time.
                if let Err(e) = regex::Regex::new(text) {
                    let detail = e.to_string();
                    let last = detail.lines().last().unwrap_or(&detail).trim();
                    let last = last.strip_prefix("error: ").unwrap_or(last);
                    self.diags.error(
                        criterion.condition.loc,
                        format!("regex `{text}` does not compile: {last}"),
                    );
                    return None;
                }
                ir::Test::Regex(context?)
            }
            CriterionKind::JsonPath(_) => {
                self.jsonpath(&criterion.condition)?;
                ir::Test::JsonPath(context?)
            }
            CriterionKind::XPath(_) => {
                self.xpath(&criterion.condition, "criteria")?;
                let context = context?;
                let written = criterion
                    .context
                    .as_ref()
                    .map(|c| (c.loc, c.value.as_str()));
                if let Some((loc, written)) = written {
                    self.xpath_context(loc, written, &context, &scope)?;
                }
                ir::Test::XPath(context)
            }
            CriterionKind::Simple => return None, // handled by `criterion`
        };
        Some(ir::Criterion {
            text: text.clone(),
            test: typed,
        })
    }

    /// Checks that a JSONPath query (a criterion's condition, a selector) parses (RFC 9535).
    pub(super) fn jsonpath(&mut self, query: &S) -> Option<()> {
        let text = &query.value;
        // The parser's time grows exponentially with nested filters, and its stack with any
        // nesting: bound both before parsing.
        if let Some(problem) = jsonpath_bounds(text) {
            self.diags.error(query.loc, problem);
            return None;
        }
        if let Err(e) = serde_json_path::JsonPath::parse(text) {
            self.diags.error(
                query.loc,
                format!(
                    "JSONPath `{text}` does not parse (RFC 9535): {}",
                    e.to_string().lines().next().unwrap_or_default()
                ),
            );
            return None;
        }
        Some(())
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

/// The longest JSONPath query parsed, in bytes.
const MAX_JSONPATH_LEN: usize = 4_096;
/// The deepest nesting of brackets and parentheses in a JSONPath query.
const MAX_JSONPATH_DEPTH: usize = 10;

/// Why the JSONPath query `text` is not parsed at all, if it is too long or nests too deep
/// (brackets and parentheses outside string literals).
fn jsonpath_bounds(text: &str) -> Option<String> {
    if text.len() > MAX_JSONPATH_LEN {
        return Some(format!(
            "this JSONPath query is {} bytes long; at most {MAX_JSONPATH_LEN} are accepted",
            text.len()
        ));
    }
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '[' | '(' => {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
                ']' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    (deepest > MAX_JSONPATH_DEPTH).then(|| {
        format!(
            "this JSONPath query nests brackets and parentheses {deepest} deep; at most \
             {MAX_JSONPATH_DEPTH} are accepted"
        )
    })
}
