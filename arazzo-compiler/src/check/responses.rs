//! Which responses a step accepts: the statuses its success criteria allow, and the JSON body
//! schemas the operation declares for them, against which `$response.body` pointers are
//! checked and typed.
//!
//! The criteria are read as far as they speak about the status: `$statusCode` compared with
//! a number (in any combination of `&&`, `||`, `!` and parentheses) and `regex` criteria whose
//! context is `$statusCode`. Anything else may be true or false, so it rules no status out.
//! A step whose criteria leave every status possible (none given, or none about the status)
//! accepts the `2xx` statuses: the runtime requires a `2xx` when a step has no criteria, and a
//! workflow author who tests only the body means the usual success responses.

use crate::arazzo::{Criterion, CriterionKind};
use crate::condition::{self, Cond, Literal, Op, Operand};
use crate::expr::Expr;
use crate::refs::Trees;
use crate::yaml::{Kind, Node};

use super::payload::is_xml;
use super::request::is_json;
use crate::openapi::media_base;

/// The final statuses a response can have.
const STATUSES: std::ops::RangeInclusive<u16> = 200..=599;

/// The responses a step can accept.
#[derive(Debug, Default)]
pub(super) struct Accepted<'n> {
    /// One per accepted response, in status order: its key (`200`, `2XX`, `default`) and its
    /// body.
    pub responses: Vec<(String, Body<'n>)>,
    /// When the step accepts only statuses the operation does not declare, so that its
    /// `default` response stands for them: the success statuses it does declare (the step's
    /// criteria likely name the wrong status).
    pub undeclared: Option<Vec<String>>,
}

/// What an accepted response declares as its body.
#[derive(Debug, Clone, Copy)]
pub(super) enum Body<'n> {
    /// A JSON media type, with its schema (`None`: a JSON body of any shape).
    Json(Option<&'n Node>),
    /// Only text media types (`text/*`, XML).
    Text,
    /// No content, or only other media types.
    Other,
}

impl<'n> Accepted<'n> {
    /// The JSON body schemas, without the responses that have none.
    pub fn schemas(&self) -> impl Iterator<Item = &'n Node> + '_ {
        self.responses.iter().filter_map(|(_, body)| match body {
            Body::Json(schema) => *schema,
            _ => None,
        })
    }

    /// Whether some accepted response declares no JSON body with a schema (a pointer then
    /// reads nothing).
    pub fn some_without_body(&self) -> bool {
        self.responses
            .iter()
            .any(|(_, body)| !matches!(body, Body::Json(Some(_))))
    }

    /// Whether the body is text: some accepted response declares a text body and none a JSON
    /// one (`$response.body` is then a `String`).
    pub fn text(&self) -> bool {
        self.responses
            .iter()
            .any(|(_, body)| matches!(body, Body::Text))
            && !self
                .responses
                .iter()
                .any(|(_, body)| matches!(body, Body::Json(_)))
    }

    /// The status keys, for messages: `200`, `201`.
    pub fn keys(&self) -> Vec<&str> {
        self.responses.iter().map(|(key, _)| key.as_str()).collect()
    }
}

/// The responses of operation `op` that a step with these success criteria can accept.
pub(super) fn accepted<'n>(trees: &'n Trees, op: &'n Node, criteria: &[Criterion]) -> Accepted<'n> {
    let tests: Vec<StatusTest> = criteria.iter().map(StatusTest::of).collect();
    let mut statuses: Vec<u16> = STATUSES
        .filter(|&code| tests.iter().all(|t| t.allows(code) != Tri::False))
        .collect();
    if statuses.len() == STATUSES.len() {
        statuses.retain(|code| (200..300).contains(code));
    }
    let Some(responses) = op.get("responses").and_then(Node::as_map) else {
        return Accepted::default();
    };
    // A status code written unquoted in YAML (`200:`) is an integer key.
    let declared: Vec<(String, &Node)> = responses
        .iter()
        .filter_map(|(k, v)| match &k.kind {
            Kind::Str(k) => Some((k.clone(), v)),
            Kind::Int(code) => Some((code.to_string(), v)),
            _ => None,
        })
        .collect();
    let explicit: Vec<u16> = declared
        .iter()
        .filter_map(|(k, _)| exact_status(k))
        .collect();
    let range = |key: &str| range_class(key);
    let covered = |code: u16| {
        explicit.contains(&code) || declared.iter().any(|(k, _)| range(k) == Some(code / 100))
    };
    let mut chosen: Vec<(u16, &str, &Node)> = Vec::new();
    for (key, response) in &declared {
        let order = if let Some(code) = exact_status(key) {
            statuses.contains(&code).then_some(code)
        } else if let Some(class) = range(key) {
            // A range stands for the statuses of its class that no exact key declares.
            statuses
                .iter()
                .copied()
                .find(|&c| c / 100 == class && !explicit.contains(&c))
        } else {
            None
        };
        if let Some(order) = order {
            chosen.push((order, key, response));
        }
    }
    // `default` types a step only when no declared status it accepts exists.
    let mut undeclared = None;
    if chosen.is_empty()
        && statuses.iter().any(|&c| !covered(c))
        && let Some((key, response)) = declared.iter().find(|(k, _)| *k == "default")
    {
        chosen.push((u16::MAX, key, response));
        let success: Vec<String> = declared
            .iter()
            .filter(|(k, _)| k.starts_with('2'))
            .map(|(k, _)| k.clone())
            .collect();
        undeclared = (!success.is_empty()).then_some(success);
    }
    chosen.sort_by_key(|(order, _, _)| *order);
    Accepted {
        responses: chosen
            .into_iter()
            .map(|(_, key, response)| (key.to_owned(), body(trees, response)))
            .collect(),
        undeclared,
    }
}

/// The response of `responses` under status key `key`, which may be written unquoted (an
/// integer key).
pub(super) fn response<'n>(responses: &'n Node, key: &str) -> Option<&'n Node> {
    responses.as_map()?.iter().find_map(|(k, v)| {
        let matches = match &k.kind {
            Kind::Str(k) => k == key,
            Kind::Int(code) => code.to_string() == key,
            _ => false,
        };
        matches.then_some(v)
    })
}

/// A three-digit status key (`200`), as a number.
fn exact_status(key: &str) -> Option<u16> {
    (key.len() == 3 && key.bytes().all(|b| b.is_ascii_digit()))
        .then(|| key.parse().ok())
        .flatten()
}

/// The class of a range key (`2XX` → 2).
fn range_class(key: &str) -> Option<u16> {
    let bytes = key.as_bytes();
    (bytes.len() == 3
        && (b'1'..=b'5').contains(&bytes[0])
        && bytes[1..].iter().all(|b| b.eq_ignore_ascii_case(&b'x')))
    .then(|| u16::from(bytes[0] - b'0'))
}

/// What a response declares as its body. JSON: a JSON media type, else a range that admits
/// JSON (`*/*`, `application/*`, as generators of Swagger 2.0 and OpenAPI 3 documents often
/// write); the media type may be an OpenAPI 3.2 `$ref` to `components.mediaTypes`, and one
/// described by `itemSchema` alone (a sequence of items) has no schema here.
fn body<'n>(trees: &'n Trees, response: &'n Node) -> Body<'n> {
    let Some(content) = trees
        .resolve(response)
        .ok()
        .and_then(|r| r.get("content"))
        .and_then(Node::as_map)
    else {
        return Body::Other;
    };
    let media = |matches: fn(&str) -> bool| {
        content
            .iter()
            .find(|(k, _)| k.as_str().is_some_and(matches))
    };
    let json_range = |m: &str| {
        let m = media_base(m);
        m == "*/*" || m == "application/*"
    };
    if let Some((_, json)) = media(is_json).or_else(|| media(json_range)) {
        return Body::Json(trees.resolve(json).ok().and_then(|m| m.get("schema")));
    }
    let mut keys = content.iter().filter_map(|(k, _)| k.as_str()).peekable();
    if keys.peek().is_some() && keys.all(is_text) {
        return Body::Text;
    }
    Body::Other
}

/// Whether a media type is text a workflow reads as a string: `text/*` and XML.
fn is_text(media: &str) -> bool {
    media_base(media).starts_with("text/") || is_xml(media)
}

/// Three-valued truth: what a criterion says about a status without a response at hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn not(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        }
    }

    fn and(self, other: Tri) -> Tri {
        match (self, other) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, Tri::True) => Tri::True,
            _ => Tri::Unknown,
        }
    }

    fn or(self, other: Tri) -> Tri {
        self.not().and(other.not()).not()
    }
}

/// What one criterion says about the status.
enum StatusTest {
    /// A simple condition.
    Condition(Box<Cond>),
    /// A regex applied to the status code's digits.
    Pattern(regex::Regex),
    /// Nothing that can be known before the response.
    Unknown,
}

impl StatusTest {
    fn of(criterion: &Criterion) -> StatusTest {
        match &criterion.kind {
            CriterionKind::Simple => condition::parse(&criterion.condition.value)
                .map_or(StatusTest::Unknown, |c| StatusTest::Condition(Box::new(c))),
            CriterionKind::Regex
                if criterion
                    .context
                    .as_ref()
                    .is_some_and(|c| c.value.trim() == "$statusCode") =>
            {
                regex::Regex::new(&criterion.condition.value)
                    .map_or(StatusTest::Unknown, StatusTest::Pattern)
            }
            _ => StatusTest::Unknown,
        }
    }

    fn allows(&self, code: u16) -> Tri {
        match self {
            StatusTest::Condition(cond) => eval(cond, code),
            StatusTest::Pattern(re) => {
                if re.is_match(&code.to_string()) {
                    Tri::True
                } else {
                    Tri::False
                }
            }
            StatusTest::Unknown => Tri::Unknown,
        }
    }
}

/// A condition's truth for a response with status `code`, as far as the status decides it.
fn eval(cond: &Cond, code: u16) -> Tri {
    match cond {
        Cond::Or(a, b) => eval(a, code).or(eval(b, code)),
        Cond::And(a, b) => eval(a, code).and(eval(b, code)),
        Cond::Not(a) => eval(a, code).not(),
        Cond::Value(_) => Tri::Unknown,
        Cond::Cmp(left, op, right) => {
            let status = |o: &Operand| matches!(o, Operand::Expr(Expr::StatusCode, ..));
            let number = |o: &Operand| match o {
                Operand::Lit(Literal::Number(n)) => Some(*n),
                _ => None,
            };
            let code = f64::from(code);
            let (a, op, b) = match (status(left), number(left), status(right), number(right)) {
                (true, _, _, Some(n)) => (code, *op, n),
                (_, Some(n), true, _) => (n, *op, code),
                _ => return Tri::Unknown,
            };
            let holds = match op {
                Op::Eq => a == b,
                Op::Ne => a != b,
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                Op::Ge => a >= b,
            };
            if holds { Tri::True } else { Tri::False }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(condition: &str) -> Vec<u16> {
        let cond = condition::parse(condition).expect("parses");
        STATUSES.filter(|&c| eval(&cond, c) != Tri::False).collect()
    }

    #[test]
    fn status_comparisons_decide_and_other_operands_do_not() {
        assert_eq!(statuses("$statusCode == 201"), [201]);
        assert_eq!(
            statuses("$statusCode == 200 || $statusCode == 201"),
            [200, 201]
        );
        assert_eq!(statuses("200 == $statusCode"), [200]);
        assert_eq!(
            statuses("$statusCode >= 200 && $statusCode < 203"),
            [200, 201, 202]
        );
        assert_eq!(
            statuses("$statusCode == 200 && $response.body#/ok == true"),
            [200]
        );
        // Unknown || false is unknown: the status is not ruled out.
        assert_eq!(
            statuses("$response.body#/ok == true || $statusCode == 200").len(),
            STATUSES.len()
        );
        assert!(!statuses("!$statusCode == 404").contains(&404));
    }

    #[test]
    fn keys() {
        assert_eq!(exact_status("201"), Some(201));
        assert_eq!(exact_status("2XX"), None);
        assert_eq!(range_class("2XX"), Some(2));
        assert_eq!(range_class("4xx"), Some(4));
        assert_eq!(range_class("default"), None);
    }
}
