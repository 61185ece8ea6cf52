//! Turning a corrected part of a YAML string into an edit of its file ([`Fix`]), for the
//! forms other runners accept that have exactly one Arazzo spelling (`arazzo fix` applies
//! them).

use std::ops::Range;

use crate::diag::Fix;
use crate::yaml::{Style, Written};

/// The edit of the file that replaces bytes `range` of `value` (a string scalar written as
/// `written`) with `replacement`, the rest of the value unchanged and the YAML still valid: a
/// plain scalar that could not hold the new value is single-quoted whole, a quoted one keeps
/// its quotes (the replacement escaped for them).
///
/// `None` when the scalar is not located ([`Written`]), the range is not in the value or
/// crosses a line, or the replacement holds a line break: no edit is ever guessed.
pub(crate) fn edit(
    value: &str,
    written: Option<Written>,
    range: Range<usize>,
    replacement: &str,
) -> Option<Fix> {
    let written = written?;
    let old = value.get(range.clone())?;
    if old.contains('\n') || replacement.contains('\n') {
        return None;
    }
    let at = |i: usize| written.offset(value, i);
    let part = |text: String| {
        Some(Fix {
            range: at(range.start)..at(range.end),
            replacement: text,
        })
    };
    match written.style {
        Style::Plain => {
            let new = format!(
                "{}{replacement}{}",
                &value[..range.start],
                &value[range.end..]
            );
            if plain_holds(&new) {
                part(replacement.to_owned())
            } else {
                Some(Fix {
                    range: written.start..written.start + written.len,
                    replacement: format!("'{}'", new.replace('\'', "''")),
                })
            }
        }
        Style::SingleQuoted => part(replacement.replace('\'', "''")),
        Style::DoubleQuoted => part(replacement.replace('\\', "\\\\").replace('"', "\\\"")),
        Style::Block { .. } => part(replacement.to_owned()),
    }
}

/// Whether `text`, written as a plain scalar, reads back as exactly this string in any
/// context, block or flow (conservatively: no indicator, no flow character, nothing that
/// would read as another type).
fn plain_holds(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let other_type = matches!(
        text,
        "null" | "Null" | "NULL" | "~" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    ) || text.parse::<f64>().is_ok()
        || text.starts_with('.');
    !other_type
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !text.contains([',', '[', ']', '{', '}', '\t', '\n', '\r'])
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([':', ' '])
        && !text.starts_with(' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::FileId;
    use crate::yaml::{Node, parse};

    /// Applies the fix that replaces `old` (once in the value of `key`) with `new`, and
    /// returns the edited text with the value `key` then has.
    fn fixed(text: &str, key: &str, old: &str, new: &str) -> Option<(String, String)> {
        let root = parse(text, FileId(0)).expect("parses");
        let node: &Node = root.get(key).expect("key");
        let value = node.as_str().expect("a string");
        let start = value.find(old).expect("old text");
        let fix = edit(value, node.written, start..start + old.len(), new)?;
        let mut out = text.to_owned();
        out.replace_range(fix.range, &fix.replacement);
        let reparsed = parse(&out, FileId(0)).expect("still YAML");
        let now = reparsed.get(key).and_then(Node::as_str).expect("a string");
        Some((out, now.to_owned()))
    }

    #[test]
    fn each_style_keeps_its_quoting() {
        let cases = [
            (
                "k: $response.headers.X == 1\n",
                "k: $response.header.X == 1\n",
            ),
            (
                "k: '$response.headers.X == ''a'''\n",
                "k: '$response.header.X == ''a'''\n",
            ),
            (
                "k: \"$response.headers.X == 'a'\"\n",
                "k: \"$response.header.X == 'a'\"\n",
            ),
            (
                "k: |-\n  $statusCode == 200 &&\n  $response.headers.X == 1\n",
                "k: |-\n  $statusCode == 200 &&\n  $response.header.X == 1\n",
            ),
            (
                "k: >\n  $response.headers.X == 1\n",
                "k: >\n  $response.header.X == 1\n",
            ),
            (
                "k: '''é'' == $response.headers.X'\n",
                "k: '''é'' == $response.header.X'\n",
            ),
            (
                "k: |\n  $statusCode == 200\n\n  && $response.headers.X == 1\n",
                "k: |\n  $statusCode == 200\n\n  && $response.header.X == 1\n",
            ),
        ];
        for (before, after) in cases {
            let (text, value) =
                fixed(before, "k", "$response.headers.X", "$response.header.X").expect("a fix");
            assert_eq!(text, after);
            assert!(
                value.contains("$response.header.X") && !value.contains("headers"),
                "{value}"
            );
        }
    }

    #[test]
    fn a_plain_scalar_is_quoted_when_the_new_value_needs_it() {
        let text = "k: api#/paths/~1x/get\n";
        let (out, value) = fixed(
            text,
            "k",
            "api#/paths/~1x/get",
            "{$sourceDescriptions.api.url}#/paths/~1x/get",
        )
        .expect("a fix");
        assert_eq!(out, "k: '{$sourceDescriptions.api.url}#/paths/~1x/get'\n");
        assert_eq!(value, "{$sourceDescriptions.api.url}#/paths/~1x/get");
        // In a flow mapping too.
        let text = "m: {k: api#/p, o: 1}\n";
        let root = parse(text, FileId(0)).expect("parses");
        let node = root.get("m").and_then(|m| m.get("k")).expect("k");
        let fix = edit("api#/p", node.written, 0..6, "{$x}#/p").expect("a fix");
        let mut out = text.to_owned();
        out.replace_range(fix.range, &fix.replacement);
        assert_eq!(out, "m: {k: '{$x}#/p', o: 1}\n");
        // A template in a plain scalar: the result has `{`, so the whole value is quoted.
        let (out, value) = fixed(
            "k: id {$steps.a.b} x\n",
            "k",
            "$steps.a.b",
            "$steps.a.outputs.b",
        )
        .expect("a fix");
        assert_eq!(out, "k: 'id {$steps.a.outputs.b} x'\n");
        assert_eq!(value, "id {$steps.a.outputs.b} x");
    }

    #[test]
    fn strings_not_held_verbatim_get_no_fix() {
        for text in [
            "k: \"$response.headers.X \\u0041\"\n",
            "k: $response.headers.X\n  == 1\n",
            "a: &x $response.headers.X\nk: *x\n",
            "k: \"$response.headers.X\n  == 1\"\n",
            "k: |\n  a\n \n  b\n",
            "k: |\r\n  $response.headers.X\r\n",
        ] {
            let root = parse(text, FileId(0)).expect("parses");
            let node = root.get("k").expect("k");
            assert_eq!(node.written, None, "{text}");
        }
        // A range that crosses a line of a block scalar.
        let text = "k: |\n  a\n  b\n";
        let root = parse(text, FileId(0)).expect("parses");
        let node = root.get("k").expect("k");
        assert!(node.written.is_some());
        assert_eq!(edit("a\nb\n", node.written, 0..3, "x"), None);
    }
}
