//! The grammar of Arazzo simple conditions (§4.8.20.3 "Literals" and "Operators").
//!
//! ```text
//! or      = and *( "||" and )
//! and     = not *( "&&" not )
//! not     = "!" not / compare
//! compare = operand [ ( "==" / "!=" / "<" / "<=" / ">" / ">=" ) operand ]
//! operand = "(" or ")" / literal / runtime-expression
//! literal = number / "'" *( char / "''" ) "'" / "true" / "false" / "null"
//! ```
//!
//! Operators other languages write (`and`, `or`, `not`, `=>`, `=<`, `<>`, `===`, `!==`) are
//! errors whose respelling is the one Arazzo operator meant.
//!
//! `!` applies to a whole comparison: `!$statusCode == 200` means "the status is not 200"
//! (in C it would negate the status first, which is never what a workflow author means).

use crate::expr::{self, Expr, ExprError};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A literal value.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Number(f64),
    /// A single-quoted string.
    Str(String),
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A literal.
    Lit(Literal),
    /// A runtime expression, with its text and the byte offset in the condition where that
    /// text is written (`None` when accessors were folded into it, so that its text is not
    /// what is written).
    Expr(Expr, String, Option<usize>),
}

/// A parsed condition over operands of type `O` (the parser produces [`Operand`]s; the
/// checker replaces them with typed ones).
#[derive(Debug, Clone, PartialEq)]
pub enum Cond<O = Operand> {
    /// `a || b`
    Or(Box<Cond<O>>, Box<Cond<O>>),
    /// `a && b`
    And(Box<Cond<O>>, Box<Cond<O>>),
    /// `!a`
    Not(Box<Cond<O>>),
    /// `a op b`
    Cmp(O, Op, O),
    /// A lone operand, true when it is `true`.
    Value(O),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Not,
    And,
    Or,
    Op(Op),
    Lit(Literal),
    /// An expression as written, and its byte offset in the condition.
    Expr(String, usize),
}

fn error(message: impl Into<String>, help: Option<String>) -> ExprError {
    ExprError {
        message: message.into(),
        help,
        respelling: None,
    }
}

/// The error of an operator written as another language writes it (`and`, `=>`, `===`), at
/// bytes `range` of the condition: its only Arazzo spelling, `arazzo`, is the fix.
fn typo(written: &str, arazzo: &str, range: std::ops::Range<usize>) -> ExprError {
    ExprError {
        message: format!("`{written}` is not an operator of Arazzo conditions"),
        help: Some(format!("write `{arazzo}`")),
        respelling: Some(expr::Respelling {
            range,
            text: arazzo.to_owned(),
        }),
    }
}

/// The Arazzo spelling of an operator other languages write with two or three characters
/// (`=>`, `=<`, `<>`, `===`, `!==`), starting at `chars[i]`: (its length, the spelling).
fn misspelled_operator(chars: &[char], i: usize) -> Option<(usize, &'static str)> {
    let at = |k: usize| chars.get(i + k).copied();
    match (at(0)?, at(1)?, at(2)) {
        ('=', '=', Some('=')) => Some((3, "==")),
        ('!', '=', Some('=')) => Some((3, "!=")),
        ('=', '>', _) => Some((2, ">=")),
        ('=', '<', _) => Some((2, "<=")),
        ('<', '>', _) => Some((2, "!=")),
        _ => None,
    }
}

/// The Arazzo operator for a word other languages use as one (`and`, `or`, `not`, any case).
fn operator_word(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "and" => Some("&&"),
        "or" => Some("||"),
        "not" => Some("!"),
        _ => None,
    }
}

fn tokenize(text: &str) -> Result<Vec<Tok>, ExprError> {
    let chars: Vec<char> = text.chars().collect();
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if let Some((len, arazzo)) = misspelled_operator(&chars, i) {
            let end = bytes.get(i + len).copied().unwrap_or(text.len());
            let written: String = chars[i..i + len].iter().collect();
            return Err(typo(&written, arazzo, bytes[i]..end));
        }
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                toks.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                toks.push(Tok::RParen);
                i += 1;
            }
            '&' if next == Some('&') => {
                toks.push(Tok::And);
                i += 2;
            }
            '|' if next == Some('|') => {
                toks.push(Tok::Or);
                i += 2;
            }
            '=' if next == Some('=') => {
                toks.push(Tok::Op(Op::Eq));
                i += 2;
            }
            '!' if next == Some('=') => {
                toks.push(Tok::Op(Op::Ne));
                i += 2;
            }
            '!' => {
                toks.push(Tok::Not);
                i += 1;
            }
            '<' | '>' => {
                let eq = next == Some('=');
                toks.push(Tok::Op(match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    ('>', false) => Op::Gt,
                    _ => Op::Ge,
                }));
                i += if eq { 2 } else { 1 };
            }
            '=' => {
                return Err(error(
                    "`=` is not an operator",
                    Some("write `==` to compare".to_owned()),
                ));
            }
            '&' | '|' => {
                return Err(error(
                    format!("`{c}` is not an operator"),
                    Some(format!("write `{c}{c}`")),
                ));
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err(error("a string literal is not closed with `'`", None)),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            s.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(*ch);
                            i += 1;
                        }
                    }
                }
                toks.push(Tok::Lit(Literal::Str(s)));
            }
            '"' => {
                return Err(error(
                    "string literals in conditions use single quotes",
                    Some("write 'text' instead of \"text\"".to_owned()),
                ));
            }
            '{' | '}' => {
                return Err(error(
                    "a condition is not wrapped in `{…}`",
                    Some("write the expression bare, e.g. `$statusCode == 200`".to_owned()),
                ));
            }
            '$' => {
                let start = i;
                while i < chars.len() && !chars[i].is_whitespace() && !"()!=<>&|".contains(chars[i])
                {
                    i += 1;
                }
                toks.push(Tok::Expr(chars[start..i].iter().collect(), bytes[start]));
            }
            c if c.is_ascii_digit() || (c == '-' && next.is_some_and(|n| n.is_ascii_digit())) => {
                let start = i;
                i += 1;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || matches!(chars[i], '.' | '+' | '-'))
                {
                    // Allow exponents like 1e-3 but stop at a following operator.
                    if matches!(chars[i], '+' | '-') && !matches!(chars[i - 1], 'e' | 'E') {
                        break;
                    }
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n: f64 = text
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| error(format!("`{text}` is not a finite number"), None))?;
                toks.push(Tok::Lit(Literal::Number(n)));
            }
            c if c.is_ascii_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if let Some(arazzo) = operator_word(&word) {
                    let end = bytes.get(i).copied().unwrap_or(text.len());
                    return Err(typo(&word, arazzo, bytes[start]..end));
                }
                toks.push(Tok::Lit(match word.as_str() {
                    "true" => Literal::Bool(true),
                    "false" => Literal::Bool(false),
                    "null" => Literal::Null,
                    _ => {
                        return Err(error(
                            format!("`{word}` is neither a literal nor a runtime expression"),
                            Some(format!(
                                "quote text as '{word}', or start an expression with `$`"
                            )),
                        ));
                    }
                }));
            }
            other => return Err(error(format!("unexpected `{other}` in condition"), None)),
        }
    }
    Ok(toks)
}

/// How deeply a condition may nest: every `(`, `!`, `&&` and `||` on the way from the whole
/// condition to one comparison counts one level. Bounds the parser's recursion and the depth
/// of the tree the checker and the generator walk.
pub const MAX_DEPTH: usize = 64;

fn too_deep() -> ExprError {
    error(
        format!("the condition nests deeper than {MAX_DEPTH} levels of `(`, `!`, `&&` and `||`"),
        Some("split it into several criteria (all of them must hold)".to_owned()),
    )
}

/// The parser's state. Each rule returns its result with the depth of its tree, counting
/// the `(` around it too.
struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    /// The `(` and `!` open around the current position.
    open: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    /// One more level around `depth`, or the error when that passes [`MAX_DEPTH`].
    fn deeper(depth: usize) -> Result<usize, ExprError> {
        let depth = depth + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        Ok(depth)
    }

    /// Opens a `(` or `!` (before recursing, so that the recursion is bounded too).
    fn open(&mut self) -> Result<(), ExprError> {
        self.open = Self::deeper(self.open)?;
        Ok(())
    }

    fn or(&mut self) -> Result<(Cond, usize), ExprError> {
        let (mut left, mut depth) = self.and()?;
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            let (right, right_depth) = self.and()?;
            depth = Self::deeper(depth.max(right_depth))?;
            left = Cond::Or(Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    fn and(&mut self) -> Result<(Cond, usize), ExprError> {
        let (mut left, mut depth) = self.not()?;
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            let (right, right_depth) = self.not()?;
            depth = Self::deeper(depth.max(right_depth))?;
            left = Cond::And(Box::new(left), Box::new(right));
        }
        Ok((left, depth))
    }

    fn not(&mut self) -> Result<(Cond, usize), ExprError> {
        if self.peek() == Some(&Tok::Not) {
            self.pos += 1;
            self.open()?;
            let (inner, depth) = self.not()?;
            self.open -= 1;
            return Ok((Cond::Not(Box::new(inner)), Self::deeper(depth)?));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<(Cond, usize), ExprError> {
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            self.open()?;
            let (inner, depth) = self.or()?;
            if self.peek() != Some(&Tok::RParen) {
                return Err(error("`(` is never closed", None));
            }
            self.pos += 1;
            self.open -= 1;
            return Ok((inner, Self::deeper(depth)?));
        }
        let left = self.operand()?;
        if let Some(Tok::Op(op)) = self.peek().cloned() {
            self.pos += 1;
            let right = self.operand()?;
            return Ok((Cond::Cmp(left, op, right), 0));
        }
        Ok((Cond::Value(left), 0))
    }

    fn operand(&mut self) -> Result<Operand, ExprError> {
        let tok = self.peek().cloned();
        self.pos += 1;
        match tok {
            Some(Tok::Lit(lit)) => Ok(Operand::Lit(lit)),
            Some(Tok::Expr(written, offset)) => {
                let text = fold_accessors(&written)?;
                // A respelling applies to the text as written only.
                let offset = (text == written).then_some(offset);
                match expr::parse(&text) {
                    Ok(e) => Ok(Operand::Expr(e, text, offset)),
                    Err(e) => Err(match offset {
                        Some(offset) => e.at(offset),
                        None => ExprError {
                            respelling: None,
                            ..e
                        },
                    }),
                }
            }
            Some(other) => Err(error(
                format!("expected a value, found {}", describe(&other)),
                None,
            )),
            None => Err(error("the condition ends where a value was expected", None)),
        }
    }
}

fn describe(tok: &Tok) -> &'static str {
    match tok {
        Tok::LParen => "`(`",
        Tok::RParen => "`)`",
        Tok::Not => "`!`",
        Tok::And => "`&&`",
        Tok::Or => "`||`",
        Tok::Op(_) => "an operator",
        Tok::Lit(_) => "a literal",
        Tok::Expr(..) => "an expression",
    }
}

/// Folds the condition accessors `[n]` and `.name` that follow a body expression into its JSON
/// pointer, so they are resolved at compile time like the pointer itself:
/// `$response.body#/items[0].id` and `$response.body.items[0].id` both become
/// `$response.body#/items/0/id`.
fn fold_accessors(text: &str) -> Result<String, ExprError> {
    for root in ["$response.body", "$request.body"] {
        let Some(rest) = text.strip_prefix(root) else {
            continue;
        };
        if rest.is_empty() || !(rest.contains('[') || rest.starts_with('.')) {
            return Ok(text.to_owned());
        }
        let rest = rest.strip_prefix('#').unwrap_or(rest);
        let mut pointer = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '[' => {
                    let index: String = chars.by_ref().take_while(|c| *c != ']').collect();
                    if index.is_empty() || !index.chars().all(|c| c.is_ascii_digit()) {
                        return Err(error(
                            format!("`[{index}]` in `{text}` is not an array index"),
                            Some("write a number, e.g. `[0]`".to_owned()),
                        ));
                    }
                    pointer.push('/');
                    pointer.push_str(&index);
                }
                '.' => pointer.push('/'),
                other => pointer.push(other),
            }
        }
        return Ok(format!("{root}#{pointer}"));
    }
    Ok(text.to_owned())
}

/// Parses a simple condition.
///
/// ```
/// use arazzo_compiler::condition::{parse, Cond};
/// assert!(matches!(parse("$statusCode == 200 && $response.body#/ok"), Ok(Cond::And(..))));
/// let err = parse("$statusCode == ").unwrap_err();
/// assert!(!err.message.is_empty());
/// ```
pub fn parse(text: &str) -> Result<Cond, ExprError> {
    let toks = tokenize(text)?;
    if toks.is_empty() {
        return Err(error("the condition is empty", None));
    }
    let mut parser = Parser {
        toks,
        pos: 0,
        open: 0,
    };
    let (cond, _) = parser.or()?;
    if let Some(tok) = parser.peek() {
        return Err(error(
            format!("unexpected {} after a complete condition", describe(tok)),
            None,
        ));
    }
    Ok(cond)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(offset: usize) -> Operand {
        Operand::Expr(Expr::StatusCode, "$statusCode".into(), Some(offset))
    }

    #[test]
    fn precedence() {
        let c = parse("$statusCode == 200 || $statusCode == 201 && !$statusCode == 202")
            .expect("parses");
        let eq =
            |n: f64, at: usize| Cond::Cmp(status(at), Op::Eq, Operand::Lit(Literal::Number(n)));
        assert_eq!(
            c,
            Cond::Or(
                Box::new(eq(200.0, 0)),
                Box::new(Cond::And(
                    Box::new(eq(201.0, 22)),
                    Box::new(Cond::Not(Box::new(eq(202.0, 45))))
                ))
            )
        );
        let c = parse("($statusCode >= 200) && ($statusCode < 300)").expect("parses");
        assert!(matches!(c, Cond::And(..)));
    }

    #[test]
    fn literals() {
        let c = parse("$response.body#/name == 'O''Brien'").expect("parses");
        assert!(matches!(c, Cond::Cmp(_, Op::Eq, Operand::Lit(Literal::Str(s))) if s == "O'Brien"));
        assert!(matches!(parse("$inputs.flag"), Ok(Cond::Value(_))));
        assert!(matches!(
            parse("$inputs.x != null"),
            Ok(Cond::Cmp(_, Op::Ne, Operand::Lit(Literal::Null)))
        ));
        assert!(
            matches!(parse("$inputs.x > -1.5e2"), Ok(Cond::Cmp(_, Op::Gt, Operand::Lit(Literal::Number(n)))) if n == -150.0)
        );
    }

    #[test]
    fn accessors_fold_into_the_pointer() {
        for (written, folded) in [
            (
                "$response.body#/items[0].id == 1",
                "$response.body#/items/0/id",
            ),
            ("$response.body.items[2] == 1", "$response.body#/items/2"),
            ("$response.body[0] == 1", "$response.body#/0"),
            ("$response.body#/a/b == 1", "$response.body#/a/b"),
        ] {
            let Ok(Cond::Cmp(Operand::Expr(_, text, _), _, _)) = parse(written) else {
                panic!("{written} does not parse");
            };
            assert_eq!(text, folded, "{written}");
        }
        assert!(parse("$response.body#/items[x] == 1").is_err());
    }

    #[test]
    fn errors() {
        for bad in [
            "{$statusCode == 200}",
            "$statusCode = 200",
            "$statusCode == ",
            "($statusCode == 200",
            "$statusCode == 200)",
            "$statusCode == \"200\"",
            "$statusCode == 1e999",
            "$statusCode == ok",
            "$statusCode & 1",
            "",
            "$statusCod == 200",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let e = parse("{$statusCode == 200}").expect_err("braces");
        assert!(e.message.contains("not wrapped"), "{}", e.message);
    }

    #[test]
    fn operators_of_other_languages_are_respelled() {
        for (bad, written, arazzo, range) in [
            ("$statusCode == 200 and $inputs.ok", "and", "&&", 19..22),
            ("$inputs.a OR $inputs.b", "OR", "||", 10..12),
            ("not $inputs.a", "not", "!", 0..3),
            ("$statusCode => 200", "=>", ">=", 12..14),
            ("$statusCode =< 299", "=<", "<=", 12..14),
            ("$statusCode <> 200", "<>", "!=", 12..14),
            ("$statusCode === 200", "===", "==", 12..15),
            ("$statusCode !== 200", "!==", "!=", 12..15),
        ] {
            let e = parse(bad).expect_err(bad);
            assert_eq!(
                e.message,
                format!("`{written}` is not an operator of Arazzo conditions"),
                "{bad}"
            );
            assert_eq!(e.help, Some(format!("write `{arazzo}`")), "{bad}");
            let r = e.respelling.expect("respelled");
            assert_eq!((r.range, r.text.as_str()), (range, arazzo), "{bad}");
        }
        // Inside a quoted literal they are text.
        assert!(parse("$inputs.a == 'this and that => <>'").is_ok());
    }

    #[test]
    fn nesting_is_bounded() {
        let cmp = "$statusCode == 200";
        let parens = |n: usize| format!("{}{cmp}{}", "(".repeat(n), ")".repeat(n));
        let nots = |n: usize| format!("{}{cmp}", "!".repeat(n));
        let chain = |n: usize, op: &str| vec![cmp; n + 1].join(op);
        for ok in [parens(MAX_DEPTH), nots(MAX_DEPTH), chain(MAX_DEPTH, " || ")] {
            assert!(parse(&ok).is_ok(), "{ok}");
        }
        for n in [MAX_DEPTH + 1, 100_000] {
            for bad in [
                parens(n),
                nots(n),
                chain(n, " || "),
                chain(n, " && "),
                format!("{}{cmp}", "(!".repeat(n / 2 + 1)),
            ] {
                let e = parse(&bad).expect_err("too deep");
                assert!(e.message.contains("nests deeper than"), "{}", e.message);
            }
        }
    }
}
