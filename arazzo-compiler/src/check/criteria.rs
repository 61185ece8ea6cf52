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

    /// Checks a `regex`/`jsonpath`/`xpath` criterion as far as this compiler can: the context
    /// is a valid expression and a regex compiles; evaluating them comes later.
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
                // The parser's time grows exponentially with nested filters, and its stack
                // with any nesting: bound both before parsing.
                if let Some(problem) = jsonpath_bounds(text) {
                    self.diags.error(criterion.condition.loc, problem);
                    return None;
                }
                if let Err(e) = serde_json_path::JsonPath::parse(text) {
                    self.diags.error(
                        criterion.condition.loc,
                        format!(
                            "JSONPath `{text}` does not parse (RFC 9535): {}",
                            e.to_string().lines().next().unwrap_or_default()
                        ),
                    );
                    return None;
                }
                ir::Test::JsonPath(context?)
            }
            _ => {
                self.diags.error_help(
                    criterion.loc,
                    "`xpath` criteria are not supported: no maintained XPath 1.0 crate exists for Rust",
                    Some("test the XML body with a `regex` criterion instead".to_owned()),
                );
                return None;
            }
        };
        Some(ir::Criterion {
            text: text.clone(),
            test: typed,
        })
    }

    /// Parses and lowers a simple condition.
    fn condition(&mut self, text: &S, scope: &Scope<'_>) -> Option<ir::Cond> {
        let parsed = match condition::parse(&text.value) {
            Ok(c) => c,
            Err(e) => {
                let fix = e.respelling.and_then(|r| {
                    self.respell(At::whole(text), &text.value, r.range, &r.text, scope)
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

    /// Comparing a number-typed value with a non-numeric string literal can never be true.
    fn check_comparable(&mut self, loc: Loc, a: &ir::Operand, b: &ir::Operand, scope: &Scope<'_>) {
        use condition::Literal;
        for (x, y) in [(a, b), (b, a)] {
            let (ir::Operand::Expr(e), ir::Operand::Lit(Literal::Str(s))) = (x, y) else {
                continue;
            };
            let ty = e.ty();
            if ty.is_numeric() && s.trim().parse::<f64>().is_err() {
                self.diags.error_help(
                    loc,
                    format!(
                        "this condition compares a number ({}) with the text '{s}', which can never be equal",
                        ty.rust()
                    ),
                    Some("compare with a number literal".to_owned()),
                );
                return;
            }
            if let Some((module, name)) = enum_name(&ty) {
                let listed = match module {
                    // A shared type of a source's module (a callee workflow's is not checked).
                    Some(module) => crate::library::enum_values(self.library, module, name),
                    None => [
                        &scope.space.enums,
                        &self.out_space.enums,
                        &self.scratch.enums,
                    ]
                    .into_iter()
                    .flatten()
                    .find(|d| d.name == name)
                    .map(|d| d.variants.iter().map(|(_, v)| v.clone()).collect()),
                };
                if let Some(listed) = listed
                    && !listed.iter().any(|v| v.eq_ignore_ascii_case(s))
                {
                    let values: Vec<&str> = listed.iter().map(String::as_str).collect();
                    self.diags.error_help(
                        loc,
                        format!(
                            "this condition compares a value that can only be {} with '{s}'",
                            one_of(&values)
                        ),
                        suggest(s, values.iter().copied()),
                    );
                    return;
                }
            }
        }
    }
}

/// The enum a type is (directly or inside `Option`), if any, and the module it is in when
/// another (a source's named schemas, a callee workflow's).
fn enum_name(ty: &Ty) -> Option<(Option<&str>, &str)> {
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
