//! JSON payloads written as template strings (`payload: '{"name": "{$inputs.name}"}'` with a
//! JSON content type): parsed at compile time as JSON with typed holes and lowered to the
//! same [`ir::Value`] as a payload written as a mapping, so the generated code builds a
//! `serde_json::Value` and serializes it. A substitution can then never change the
//! document's structure: a hole inside a JSON string is the value's text escaped as string
//! content, a hole that stands as a whole JSON value is the typed value serialized as JSON.
//!
//! How: each hole is replaced by a marker character from Unicode's supplementary private
//! use planes (inside a string: U+F0000 + its index; as a whole value: a string holding
//! U+100000 + its index), the text is parsed by `serde_json`, and the markers are found in
//! the parsed strings. Literal text holding such characters itself is refused (it would be
//! read as a hole), as is a hole in a member name (names are fixed by the template).

use crate::ir::{self, TemplatePart};
use crate::yaml::serde_json_lite::Value as Json;

/// The first marker of a hole inside a JSON string.
const IN_STRING: u32 = 0xF_0000;
/// The first marker of a hole that stands as a whole JSON value.
const WHOLE: u32 = 0x10_0000;
/// How many holes a template may have (markers of one plane, minus its two noncharacters).
const MAX_HOLES: usize = 0xFFFE;

/// Why a JSON template cannot be lowered: the message and a help text.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct TemplateError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

fn error(message: String, help: &str) -> TemplateError {
    TemplateError {
        message,
        help: help.to_owned(),
    }
}

/// One segment of the text handed to the JSON parser: where it starts there, and where it
/// starts in the template as written.
struct Segment {
    built: usize,
    written: usize,
    hole: bool,
}

/// The JSON value of a template (its parts as checked, and each hole's expression as
/// written, in order).
pub(super) fn json_template(
    parts: Vec<TemplatePart>,
    sources: &[String],
) -> Result<ir::Value, TemplateError> {
    let mut built = String::new();
    let mut written = String::new();
    let mut segments = Vec::new();
    let mut exprs = Vec::new();
    let mut whole = Vec::new();
    // The lexical state of the JSON text so far: inside a string, after a backslash there.
    let (mut in_string, mut escaped) = (false, false);
    for part in parts {
        segments.push(Segment {
            built: built.len(),
            written: written.len(),
            hole: matches!(part, TemplatePart::Expr(_)),
        });
        match part {
            TemplatePart::Lit(text) => {
                for c in text.chars() {
                    if in_string {
                        if escaped {
                            escaped = false;
                        } else if c == '\\' {
                            escaped = true;
                        } else if c == '"' {
                            in_string = false;
                        }
                    } else if c == '"' {
                        in_string = true;
                    }
                }
                built.push_str(&text);
                written.push_str(&text);
            }
            TemplatePart::Expr(e) => {
                let index = exprs.len();
                if index >= MAX_HOLES {
                    return Err(error(
                        format!(
                            "a JSON payload template may hold at most {MAX_HOLES} `{{$…}}` placeholders"
                        ),
                        "write the payload as a mapping",
                    ));
                }
                let source = sources.get(index).map_or("$…", String::as_str);
                written.push_str(&format!("{{{source}}}"));
                if in_string {
                    // After a backslash the marker makes an invalid escape: a parse error.
                    escaped = false;
                    built.push(marker(IN_STRING, index));
                } else {
                    built.push('"');
                    built.push(marker(WHOLE, index));
                    built.push('"');
                }
                whole.push(!in_string);
                exprs.push(Some(e));
            }
        }
    }
    let parsed: serde_json::Value = serde_json::from_str(&built).map_err(|e| {
        let at = written_position(&built, &written, &segments, e.line(), e.column());
        error(
            format!(
                "this JSON payload template is not valid JSON{at}: {}",
                parse_message(&e)
            ),
            "a `{$…}` placeholder stands inside a JSON string (`\"Hello {$inputs.name}\"`, its text is escaped) or as a whole JSON value (`\"id\": {$inputs.id}`, the value is written as JSON); the rest must be JSON as written",
        )
    })?;
    let mut lowering = Lowering {
        exprs,
        whole,
        sources,
    };
    let value = lowering.value(parsed)?;
    if let Some(index) = lowering.exprs.iter().position(Option::is_some) {
        return Err(error(
            format!(
                "the placeholder `{{{}}}` of this JSON payload template is not part of the JSON value",
                lowering.source(index)
            ),
            "a member written twice keeps only its last value; write each member once",
        ));
    }
    Ok(value)
}

fn marker(base: u32, index: usize) -> char {
    u32::try_from(index)
        .ok()
        .and_then(|i| char::from_u32(base + i))
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The hole a character marks: (whole value, index).
fn hole(c: char) -> Option<(bool, usize)> {
    let c = u32::from(c);
    let (whole, index) = if c >= WHOLE {
        (true, c - WHOLE)
    } else if c >= IN_STRING {
        (false, c - IN_STRING)
    } else {
        return None;
    };
    usize::try_from(index).ok().map(|i| (whole, i))
}

/// serde_json's message without its own position (which counts in the parsed text).
fn parse_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// ` at line L, column C` of the template as written, for a 1-based line and byte column of
/// the parsed text.
fn written_position(
    built: &str,
    written: &str,
    segments: &[Segment],
    line: usize,
    column: usize,
) -> String {
    if line == 0 {
        return String::new();
    }
    // The byte offset in the parsed text.
    let line_start: usize = built
        .split_inclusive('\n')
        .take(line - 1)
        .map(str::len)
        .sum();
    let offset = (line_start + column.saturating_sub(1)).min(built.len());
    let index = segments
        .iter()
        .rposition(|s| s.built <= offset)
        .unwrap_or(0);
    let (start, next) = (segments.get(index), segments.get(index + 1));
    let (built_start, written_start) = start.map_or((0, 0), |s| (s.built, s.written));
    let written_end = next.map_or(written.len(), |s| s.written);
    let mut at = if start.is_some_and(|s| s.hole) && offset > built_start {
        // Inside a hole's marker: its last character as written.
        written_end.saturating_sub(1)
    } else {
        written_start + (offset - built_start)
    };
    at = at.min(written_end.saturating_sub(1)).min(written.len());
    while !written.is_char_boundary(at) {
        at -= 1;
    }
    let before = &written[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    if written.contains('\n') {
        format!(" at line {line}, column {column} of the template")
    } else {
        format!(" at column {column} of the template")
    }
}

/// Turns the parsed JSON back into a value, taking each hole's expression where its marker
/// is found.
struct Lowering<'s> {
    exprs: Vec<Option<ir::Expr>>,
    whole: Vec<bool>,
    sources: &'s [String],
}

impl Lowering<'_> {
    fn source(&self, index: usize) -> &str {
        self.sources.get(index).map_or("$…", String::as_str)
    }

    fn value(&mut self, json: serde_json::Value) -> Result<ir::Value, TemplateError> {
        Ok(match json {
            serde_json::Value::Null => ir::Value::Lit(Json::Null),
            serde_json::Value::Bool(b) => ir::Value::Lit(Json::Bool(b)),
            serde_json::Value::Number(n) => ir::Value::Lit(match n.as_i64() {
                Some(i) => Json::Int(i),
                None => Json::Float(n.as_f64().unwrap_or(0.0)),
            }),
            serde_json::Value::String(s) => self.string(&s)?,
            serde_json::Value::Array(items) => ir::Value::Array(
                items
                    .into_iter()
                    .map(|i| self.value(i))
                    .collect::<Result<_, _>>()?,
            ),
            serde_json::Value::Object(members) => {
                let mut out = Vec::new();
                for (key, value) in members {
                    if let Some((_, index)) = key.chars().find_map(hole) {
                        let source = self.source(index).to_owned();
                        return Err(error(
                            format!(
                                "the placeholder `{{{source}}}` is in a member name of this JSON payload template; member names are fixed"
                            ),
                            "write the name as text, or write the payload as a mapping and the varying part as a member's value",
                        ));
                    }
                    out.push((key, self.value(value)?));
                }
                ir::Value::Object(out)
            }
        })
    }

    /// A JSON string: a whole-value hole, a string with holes (a template), or literal text.
    fn string(&mut self, s: &str) -> Result<ir::Value, TemplateError> {
        if !s.chars().any(|c| hole(c).is_some()) {
            return Ok(ir::Value::Lit(Json::Str(s.to_owned())));
        }
        let mut chars = s.chars();
        if let (Some(c), None) = (chars.next(), chars.next())
            && let Some((true, index)) = hole(c)
        {
            return Ok(ir::Value::Expr(self.take(index, true)?));
        }
        let mut parts = Vec::new();
        let mut lit = String::new();
        for c in s.chars() {
            match hole(c) {
                Some((whole, index)) => {
                    if whole {
                        return Err(reserved());
                    }
                    if !lit.is_empty() {
                        parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
                    }
                    parts.push(TemplatePart::Expr(self.take(index, false)?));
                }
                None => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(TemplatePart::Lit(lit));
        }
        Ok(ir::Value::Template(parts))
    }

    /// The expression of hole `index`, found where a hole of kind `whole` is; a marker that
    /// is not one (literal text in those planes) is refused.
    fn take(&mut self, index: usize, whole: bool) -> Result<ir::Expr, TemplateError> {
        if self.whole.get(index) != Some(&whole) {
            return Err(reserved());
        }
        self.exprs
            .get_mut(index)
            .and_then(Option::take)
            .ok_or_else(reserved)
    }
}

fn reserved() -> TemplateError {
    error(
        "this JSON payload template holds characters of Unicode planes 15 and 16 (private use), which the compiler reserves to mark `{$…}` placeholders".to_owned(),
        "write the payload as a mapping, or pass such text through an input",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Ty;

    fn input(name: &str, ty: Ty) -> ir::Expr {
        ir::Expr::Input(vec![name.to_owned()], ty)
    }

    /// The parts of a template: text with `{$inputs.x}` holes, typed as strings.
    fn parts(text: &str) -> (Vec<TemplatePart>, Vec<String>) {
        let mut parts = Vec::new();
        let mut sources = Vec::new();
        for part in crate::expr::template(text).expect("parses").expect("holes") {
            match part {
                crate::expr::Part::Lit(l) => parts.push(TemplatePart::Lit(l)),
                crate::expr::Part::Expr(_, source) => {
                    let name = source.trim_start_matches("$inputs.").to_owned();
                    parts.push(TemplatePart::Expr(input(&name, Ty::Str)));
                    sources.push(source);
                }
            }
        }
        (parts, sources)
    }

    fn lower(text: &str) -> Result<ir::Value, TemplateError> {
        let (parts, sources) = parts(text);
        json_template(parts, &sources)
    }

    /// A compact rendering of a lowered value, holes as `<name>` (whole) or `[name]` (text).
    fn show(v: &ir::Value) -> String {
        fn name(e: &ir::Expr) -> String {
            match e {
                ir::Expr::Input(path, _) => path.join("."),
                _ => "?".to_owned(),
            }
        }
        match v {
            ir::Value::Lit(j) => format!("{j:?}"),
            ir::Value::Expr(e) => format!("<{}>", name(e)),
            ir::Value::Template(parts) => parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Lit(l) => l.clone(),
                    TemplatePart::Expr(e) => format!("[{}]", name(e)),
                })
                .collect(),
            ir::Value::Array(items) => {
                format!(
                    "({})",
                    items.iter().map(show).collect::<Vec<_>>().join(", ")
                )
            }
            ir::Value::Object(members) => format!(
                "{{{}}}",
                members
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", show(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    #[test]
    fn holes_in_strings_and_as_whole_values() {
        let v = lower(
            r#"{"name": "Mr {$inputs.name}!", "id": {$inputs.id}, "tags": ["a", {$inputs.tag}, "{$inputs.a}{$inputs.b}"], "n": 1.5, "ok": true, "none": null}"#,
        )
        .expect("lowers");
        assert_eq!(
            show(&v),
            r#"{name: Mr [name]!, id: <id>, tags: (Str("a"), <tag>, [a][b]), n: Float(1.5), ok: Bool(true), none: Null}"#
        );
        // A whole template that is one hole is the value itself.
        assert_eq!(show(&lower("{$inputs.body}").expect("lowers")), "<body>");
        // Escapes and quotes in the literal text are JSON's.
        assert_eq!(
            show(&lower(r#"{"q": "say \"{$inputs.x}\" \\ {$inputs.y}"}"#).expect("lowers")),
            r#"{q: say "[x]" \ [y]}"#
        );
    }

    #[test]
    fn text_that_is_not_json_is_refused_with_its_position() {
        let e = lower(r#"{"name": {$inputs.name}"#).expect_err("unclosed");
        assert!(e.message.starts_with("this JSON payload template is not valid JSON at column 23 of the template: EOF while parsing an object"), "{e:?}");
        let e = lower("{\n  \"a\": 1\n  \"b\": {$inputs.b}\n}").expect_err("missing comma");
        assert_eq!(
            e.message,
            "this JSON payload template is not valid JSON at line 3, column 3 of the template: expected `,` or `}`"
        );
        // Holes next to literal values, or next to each other outside a string.
        assert!(lower(r#"{"a": 1{$inputs.x}}"#).is_err());
        assert!(lower(r#"{"a": {$inputs.x}{$inputs.y}}"#).is_err());
        // A hole right after a backslash in a string is an invalid escape.
        assert!(lower(r#"{"a": "\{$inputs.x}"}"#).is_err());
    }

    #[test]
    fn holes_in_member_names_are_refused() {
        for text in [
            r#"{"{$inputs.key}": 1}"#,
            r#"{"x-{$inputs.key}": 1}"#,
            r#"{{$inputs.key}: 1}"#,
        ] {
            let e = lower(text).expect_err(text);
            assert_eq!(
                e.message,
                "the placeholder `{$inputs.key}` is in a member name of this JSON payload template; member names are fixed",
                "{text}"
            );
        }
    }

    #[test]
    fn lost_holes_and_reserved_characters_are_refused() {
        let e = lower(r#"{"a": {$inputs.x}, "a": 1}"#).expect_err("duplicate");
        assert!(e.message.contains("`{$inputs.x}`"), "{e:?}");
        let e = lower("{\"a\": \"\u{F0000}\", \"b\": \"{$inputs.x}\"}").expect_err("reserved");
        assert!(e.message.contains("planes 15 and 16"), "{e:?}");
        let e = lower(r#"{"a": "\uDB80\uDC00", "b": {$inputs.x}}"#).expect_err("escaped");
        assert!(e.message.contains("planes 15 and 16"), "{e:?}");
    }
}
