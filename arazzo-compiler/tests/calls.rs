//! Values passed to another workflow are checked against its typed inputs at compile time,
//! and simple conditions get precise messages for impossible comparisons and operator typos.

const API: &str = r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
  "paths": {"/issue": {"get": {"operationId": "getIssue",
    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
      {"type": "object", "properties": {
        "state": {"type": "string", "enum": ["open", "closed"]},
        "title": {"type": "string"},
        "count": {"type": "integer"},
        "done": {"type": "boolean"}}}}}}}}}}}"#;

/// A document whose workflow `label` takes typed inputs, and whose workflow `caller` (inputs
/// `name`, a string, `count`, an integer, and the optional `maybe`, an integer, and `state`, a
/// string) runs `steps`.
fn doc(caller_extra: &str, steps: &str) -> String {
    format!(
        "arazzo: 1.0.1
info: {{title: Tracker, version: 1.0.0}}
sourceDescriptions: [{{name: api, url: ./api.json, type: openapi}}]
workflows:
- workflowId: label
  inputs:
    type: object
    required: [count, state]
    properties:
      count: {{type: integer}}
      state: {{type: string, enum: [open, closed]}}
      note: {{type: string}}
  steps:
  - {{stepId: get, operationId: getIssue}}
- workflowId: caller
{caller_extra}  inputs:
    type: object
    required: [name, count]
    properties:
      name: {{type: string}}
      maybe: {{type: integer}}
      count: {{type: integer}}
      state: {{type: string}}
  steps:
{steps}"
    )
}

/// The messages and helps of compiling `doc`, in order; empty when it compiles.
fn errors(doc: &str) -> Vec<(String, Option<String>)> {
    match arazzo_compiler::expand_text(doc, &[("api.json", API)]) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.message, e.help)).collect(),
    }
}

fn call(parameters: &str) -> String {
    format!("  - stepId: call\n    workflowId: label\n    parameters:\n{parameters}")
}

#[test]
fn a_value_of_another_type_is_an_error_naming_the_input() {
    for (parameters, message, help) in [
        (
            "    - {name: count, value: $inputs.name}\n    - {name: state, value: open}\n",
            "input `count` of workflow `label` is an integer; the value `$inputs.name` is a string",
            "pass an integer to `count`, or change its type in the inputs of workflow `label`",
        ),
        (
            "    - {name: count, value: '3'}\n    - {name: state, value: open}\n",
            "input `count` of workflow `label` is an integer; the value `3` is a string",
            "write the number without quotes: `3`",
        ),
        (
            "    - {name: count, value: 2.5}\n    - {name: state, value: open}\n",
            "input `count` of workflow `label` is an integer; the value `2.5` is a number",
            "pass an integer to `count`, or change its type in the inputs of workflow `label`",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: true}\n",
            "input `state` of workflow `label` is a string enum; the value `true` is a boolean",
            "pass a string enum to `state`, or change its type in the inputs of workflow `label`",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: opne}\n",
            "input `state` of workflow `label` can only be `open` or `closed`; the value 'opne' is none of them",
            "did you mean `open`?",
        ),
        (
            "    - {name: count, value: $inputs.maybe}\n    - {name: state, value: open}\n",
            "input `count` of workflow `label` is required; the value `$inputs.maybe` may be absent (Option<i64>)",
            "make the value required (or give it a `default`), or make `count` optional in workflow `label`",
        ),
        (
            "    - {name: count, value: null}\n    - {name: state, value: open}\n",
            "input `count` of workflow `label` is required, and the value is `null`",
            "pass an integer or leave `count` out once it is optional in workflow `label`",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: note, value: [a]}\n",
            "input `note` of workflow `label` is a string that may be absent; this array is an array",
            "pass a string that may be absent to `note`, or change its type in the inputs of workflow `label`",
        ),
    ] {
        let got = errors(&doc("", &call(parameters)));
        assert_eq!(
            got,
            vec![(message.to_owned(), Some(help.to_owned()))],
            "{parameters}"
        );
    }
}

#[test]
fn values_that_fit_compile() {
    for parameters in [
        // An integer fits an integer, text an enum (checked at run time), a value an optional input.
        "    - {name: count, value: 3}\n    - {name: state, value: $inputs.name}\n    - {name: note, value: $inputs.name}\n",
        "    - {name: count, value: $inputs.count}\n    - {name: state, value: closed}\n    - {name: note, value: 'n {$inputs.maybe}'}\n",
        "    - {name: count, value: $inputs.count}\n    - {name: state, value: open}\n    - {name: note, value: null}\n",
    ] {
        assert_eq!(
            errors(&doc("", &call(parameters))),
            Vec::new(),
            "{parameters}"
        );
    }
}

#[test]
fn inputs_taken_by_name_must_fit_too() {
    let step = "  - {stepId: get, operationId: getIssue}\n";
    // `count` fits; `state` may be absent in the caller (that it is any string there is
    // checked at run time).
    let got = errors(&doc("  dependsOn: [label]\n", step));
    assert_eq!(
        got,
        vec![(
            "workflow `caller` depends on `label`, which takes input `state` by name: it is required there, and optional in this workflow".to_owned(),
            Some("make `state` required in this workflow (or give it a `default`), or optional in the other".to_owned()),
        )]
    );
    let goto = "  - stepId: get\n    operationId: getIssue\n    onSuccess:\n    - {name: next, type: goto, workflowId: label}\n";
    let got = errors(&doc("", goto));
    assert_eq!(
        got,
        vec![(
            "`goto` workflow `label`, which takes input `state` by name: it is required there, and optional in this workflow".to_owned(),
            Some("make `state` required in this workflow (or give it a `default`), or optional in the other".to_owned()),
        )]
    );
}
