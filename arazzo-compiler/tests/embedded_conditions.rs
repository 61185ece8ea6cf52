//! Runtime expressions embedded in `regex` and `jsonpath` conditions (Arazzo 1.1, "Runtime
//! Expressions in Conditions"): each is checked where it is written, the condition must
//! compile with placeholder values in their place, and a 1.0 document keeps `{$` as text.

mod support;

use support::{ISSUE_API, compile_with_api};

/// A document of `version` whose workflow `w` has inputs `pattern` (text), `expected` (text)
/// and `min` (integer), and one step `get` (`getIssue`) with the success criterion `criterion`
/// (a YAML flow mapping).
fn doc(version: &str, criterion: &str) -> String {
    format!(
        "arazzo: {version}
info: {{title: Tracker, version: 1.0.0}}
sourceDescriptions: [{{name: api, url: ./api.yml, type: openapi}}]
workflows:
- workflowId: w
  inputs:
    type: object
    properties:
      pattern: {{type: string}}
      expected: {{type: string}}
      min: {{type: integer}}
  steps:
  - stepId: get
    operationId: getIssue
    successCriteria:
    - {criterion}
"
    )
}

fn compile(name: &str, version: &str, criterion: &str) -> Result<String, Vec<String>> {
    compile_with_api(name, ISSUE_API, &doc(version, criterion))
}

#[test]
fn embedded_expressions_compile_into_a_substituted_condition() {
    for (name, criterion, call) in [
        (
            "regex",
            "{context: $response.body#/title, condition: '^({$inputs.pattern})$', type: regex}",
            "substituted_regex_matches",
        ),
        (
            "jsonpath",
            "{context: $response.body, condition: \"$[?@.state == '{$inputs.expected}']\", type: jsonpath}",
            "substituted_jsonpath_matches",
        ),
        // A number where JSONPath wants a literal: the placeholder `0` parses.
        (
            "number",
            "{context: $response.body, condition: '$[?@.count > {$inputs.min}]', type: jsonpath}",
            "substituted_jsonpath_matches",
        ),
        // Each expression gets its own placeholder: `x` in the string literal, `0` after `>`.
        (
            "two",
            "{context: $response.body, condition: \"$[?@.title == '{$inputs.expected}' && @.count > {$inputs.pattern}]\", type: jsonpath}",
            "substituted_jsonpath_matches",
        ),
        // Text there is tried as `0` too: its value may be a number or a quoted string.
        (
            "text",
            "{context: $response.body, condition: '$[?@.count > {$inputs.pattern}]', type: jsonpath}",
            "substituted_jsonpath_matches",
        ),
    ] {
        let code = compile(name, "1.1.0", criterion).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(code.contains(call), "{name}: {code}");
        assert!(code.contains("rt :: concat"), "{name}");
        // No compile-once cache for a condition whose text changes.
        assert!(
            !code.contains("static PATTERN") && !code.contains("static QUERY"),
            "{name}"
        );
    }
}

#[test]
fn a_1_0_document_keeps_embedded_braces_as_text() {
    let criterion = "{context: $response.body, condition: \"$[?@.title == '{$inputs.expected}']\", type: jsonpath}";
    let code = compile("v10", "1.0.1", criterion).expect("compiles");
    assert!(code.contains("static QUERY"), "{code}");
    assert!(
        code.contains(r#""$[?@.title == '{$inputs.expected}']""#),
        "the query is the text as written: {code}"
    );
    assert!(!code.contains("substituted_jsonpath_matches"));
}

#[test]
fn a_bad_embedded_expression_is_located_at_its_column() {
    let errors = compile(
        "bad-expr",
        "1.1.0",
        "{context: $response.body#/title, condition: '^({$inputs.patern})$', type: regex}",
    )
    .expect_err("no input `patern`");
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Column 55: the `$` of `$inputs.patern` inside the quoted condition (which starts at
    // column 51).
    assert_eq!(
        errors,
        [
            "workflows/doc.yml:16:55: unknown input `patern` in `$inputs.patern`; did you mean `pattern`?"
        ]
    );
    let errors = compile(
        "bad-root",
        "1.1.0",
        "{context: $response.body, condition: \"$[?@.state == '{$input.expected}']\", type: jsonpath}",
    )
    .expect_err("`$input` is no expression");
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Column 61: the `$` of `$input.expected`, after `"$[?@.state == '{`.
    assert!(
        errors[0].starts_with("workflows/doc.yml:16:61: "),
        "{errors:?}"
    );
}

#[test]
fn a_condition_invalid_with_every_placeholder_is_an_error() {
    let errors = compile(
        "regex-unclosed",
        "1.1.0",
        "{context: $response.body#/title, condition: '^({$inputs.pattern}$', type: regex}",
    )
    .expect_err("the group is never closed");
    assert_eq!(
        errors,
        [
            "workflows/doc.yml:16:51: this regex condition is invalid whatever values its `{$…}` expressions stand for: with placeholder values it reads `^(x$`, and regex `^(x$` does not compile: unclosed group; a value is substituted as regex syntax, as it is; write the condition so it is a regex whatever the values are, e.g. `^({$inputs.pattern})$`"
        ]
    );
    let errors = compile(
        "jsonpath-unclosed",
        "1.1.0",
        "{context: $response.body, condition: '$[?@.count > {$inputs.min}', type: jsonpath}",
    )
    .expect_err("the filter is never closed");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("workflows/doc.yml:16:44: this JSONPath condition is invalid whatever values its `{$…}` expressions stand for: with placeholder values it reads `$[?@.count > 0`, and JSONPath `$[?@.count > 0` does not parse"),
        "{errors:?}"
    );
}

/// XPath conditions embed expressions the same way (feature `xpath`): substituted at run
/// time, checked with placeholders at compile time.
#[cfg(feature = "xpath")]
#[test]
fn xpath_conditions_embed_expressions_too() {
    let code = compile(
        "xpath",
        "1.1.0",
        "{context: $inputs.expected, condition: '/issue/count > {$inputs.min}', type: xpath}",
    )
    .expect("compiles");
    assert!(code.contains("rt :: substituted_xpath_matches"), "{code}");
    let errors = compile(
        "xpath-unclosed",
        "1.1.0",
        "{context: $inputs.expected, condition: '/issue[count > {$inputs.min}', type: xpath}",
    )
    .expect_err("the predicate is never closed");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("workflows/doc.yml:16:46: this XPath condition is invalid whatever values its `{$…}` expressions stand for: with placeholder values it reads `/issue[count > 0`, and XPath `/issue[count > 0` does not compile"),
        "{errors:?}"
    );
}
