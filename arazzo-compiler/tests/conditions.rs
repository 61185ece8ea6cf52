//! Simple conditions: comparisons that can never hold and operators written as other
//! languages write them get precise messages, the operators a fix `arazzo fix` applies.

mod support;

use support::{expand_issue_doc, issue_doc};

/// A document with one step whose success criterion is `condition`, as written (a YAML
/// scalar).
fn doc(condition: &str) -> String {
    issue_doc(&format!(
        "- workflowId: poll
  steps:
  - stepId: get
    operationId: getIssue
    successCriteria:
    - condition: {condition}
"
    ))
}

/// The one error of compiling `doc`: message, help and the document with its fix applied.
fn error(doc: &str) -> (String, Option<String>, Option<String>) {
    let errors = expand_issue_doc(doc).expect_err(doc);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    let fixed = e.fix.as_ref().map(|f| {
        let mut fixed = doc.to_owned();
        fixed.replace_range(f.range.clone(), &f.replacement);
        fixed
    });
    (e.message.clone(), e.help.clone(), fixed)
}

#[test]
fn impossible_comparisons_say_why() {
    for (condition, message, help) in [
        (
            "$response.body#/state == 3",
            "this condition compares a value that can only be `open` or `closed` with the number 3, which can never be equal",
            "compare with one of its values as quoted text, e.g. 'open'",
        ),
        (
            "$response.body#/done != 1",
            "this condition compares a boolean with the number 1, which can never be equal",
            "compare with `true` or `false`",
        ),
        (
            "$statusCode == true",
            "this condition compares a number (u16) with `true`, which can never be equal",
            "compare with a number literal",
        ),
        (
            "$statusCode == 'OK'",
            "this condition compares a number (u16) with the text 'OK', which can never be equal",
            "compare with a number literal",
        ),
        (
            "$response.body#/state == 'opne'",
            "this condition compares a value that can only be `open` or `closed` with 'opne'",
            "did you mean `open`?",
        ),
    ] {
        let (got, got_help, fix) = error(&doc(&format!("\"{condition}\"")));
        assert_eq!(
            (got.as_str(), got_help.as_deref(), fix),
            (message, Some(help), None),
            "{condition}"
        );
    }
    // Numeric text compares as a number (Arazzo 1.1): a string with a number may hold.
    assert!(expand_issue_doc(&doc("$response.body#/title == 3")).is_ok());
}

#[test]
fn operators_of_other_languages_are_fixed() {
    for (written, right, operator, arazzo) in [
        (
            "$statusCode == 200 and $response.body#/done == true",
            "$statusCode == 200 && $response.body#/done == true",
            "and",
            "&&",
        ),
        (
            "\"$response.body#/state == 'open' or $response.body#/state == 'closed'\"",
            "\"$response.body#/state == 'open' || $response.body#/state == 'closed'\"",
            "or",
            "||",
        ),
        ("$statusCode => 200", "$statusCode >= 200", "=>", ">="),
        ("'$statusCode =< 299'", "'$statusCode <= 299'", "=<", "<="),
        ("$statusCode <> 500", "$statusCode != 500", "<>", "!="),
        ("$statusCode === 200", "$statusCode == 200", "===", "=="),
        ("$statusCode !== 500", "$statusCode != 500", "!==", "!="),
    ] {
        let (message, help, fixed) = error(&doc(written));
        let quoted = match written.chars().next() {
            Some(q @ ('"' | '\'')) => &written[1..written.len() - q.len_utf8()],
            _ => written,
        };
        assert_eq!(
            message,
            format!(
                "invalid condition `{quoted}`: `{operator}` is not an operator of Arazzo conditions"
            ),
        );
        assert_eq!(help, Some(format!("write `{arazzo}`")), "{written}");
        let fixed = fixed.unwrap_or_else(|| panic!("a fix for {written}"));
        assert_eq!(fixed, doc(right), "{written}");
        assert!(expand_issue_doc(&fixed).is_ok(), "{fixed}");
    }
}
