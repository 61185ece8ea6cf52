//! Values passed to another workflow are checked against its typed inputs at compile time,
//! and simple conditions get precise messages for impossible comparisons and operator typos.

mod support;

use support::{expand_issue_doc, issue_doc};

/// A document whose workflow `label` takes typed inputs, and whose workflow `caller` (inputs
/// `name`, a string, `count`, an integer, and the optional `maybe`, an integer, and `state`, a
/// string) runs `steps`.
fn doc(caller_extra: &str, steps: &str) -> String {
    issue_doc(&format!(
        "- workflowId: label
  inputs:
    type: object
    required: [count, state]
    properties:
      count: {{type: integer}}
      state: {{type: string, enum: [open, closed]}}
      note: {{type: string}}
      author:
        type: object
        required: [name]
        properties:
          name: {{type: string}}
          email: {{type: string}}
      tags: {{type: array, items: {{type: string}}}}
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
    ))
}

/// The messages and helps of compiling `doc`, in order; empty when it compiles.
fn errors(doc: &str) -> Vec<(String, Option<String>)> {
    match expand_issue_doc(doc) {
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
            "    - {name: count, value: null}\n    - {name: state, value: open}\n",
            "input `count` of workflow `label` is required, and the value is `null`",
            "pass an integer, or make `count` optional in workflow `label` and leave it out",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: note, value: [a]}\n",
            "input `note` of workflow `label` is a string that may be absent; this array is an array",
            "pass a string to `note`, or change its type in the inputs of workflow `label`",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: author, value: {name: 7}}\n",
            "input `author/name` of workflow `label` is a string; the value `7` is an integer",
            "pass a string to `author/name`, or change its type in the inputs of workflow `label`",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: author, value: {email: a@b.c}}\n",
            "input `author` of workflow `label` needs member `name`, which this object leaves out",
            "add `name` (a string)",
        ),
        (
            "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: tags, value: [a, 2]}\n",
            "input `tags/1` of workflow `label` is a string; the value `2` is an integer",
            "pass a string to `tags/1`, or change its type in the inputs of workflow `label`",
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

/// A response member the schema does not list in `required` is an `Option`; it may be passed
/// to a required input (documents often leave members that are always sent out of `required`):
/// whether it is there is checked at run time. Its type is still checked.
#[test]
fn a_step_output_that_may_be_absent_fits_a_required_input_of_its_type() {
    let get =
        "  - stepId: get\n    operationId: getIssue\n    outputs: {count: $response.body#/count}\n";
    let parameters =
        "    - {name: count, value: $steps.get.outputs.count}\n    - {name: state, value: open}\n";
    assert_eq!(
        errors(&doc("", &format!("{get}{}", call(parameters)))),
        Vec::new()
    );
    let parameters = "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: note, value: $steps.get.outputs.count}\n";
    assert_eq!(
        errors(&doc("", &format!("{get}{}", call(parameters)))),
        vec![(
            "input `note` of workflow `label` is a string that may be absent; the value `$steps.get.outputs.count` is an integer that may be absent".to_owned(),
            Some("pass a string to `note`, or change its type in the inputs of workflow `label`".to_owned()),
        )]
    );
}

#[test]
fn values_that_fit_compile() {
    for parameters in [
        // An integer fits an integer, text an enum (checked at run time), a value an optional input.
        "    - {name: count, value: 3}\n    - {name: state, value: $inputs.name}\n    - {name: note, value: $inputs.name}\n",
        "    - {name: count, value: $inputs.count}\n    - {name: state, value: closed}\n    - {name: note, value: 'n {$inputs.maybe}'}\n",
        "    - {name: count, value: $inputs.count}\n    - {name: state, value: open}\n    - {name: note, value: null}\n",
        // An optional input into a required one: whether it is there is checked at run time.
        "    - {name: count, value: $inputs.maybe}\n    - {name: state, value: open}\n",
        "    - {name: count, value: 1}\n    - {name: state, value: open}\n    - {name: author, value: {name: $inputs.name, email: x}}\n    - {name: tags, value: [a, $inputs.name]}\n",
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
    let action = |kind: &str| {
        format!(
            "  - stepId: get\n    operationId: getIssue\n    onFailure:\n    - {{name: again, type: {kind}, workflowId: label}}\n"
        )
    };
    // `count` fits; `state` is optional in the caller and required in `label`: whether it is
    // there is checked at run time.
    for doc in [
        doc("  dependsOn: [label]\n", step),
        doc("", &action("goto")),
        doc("", &action("retry")),
    ] {
        assert_eq!(errors(&doc), Vec::new(), "{doc}");
    }
    // A type that does not fit stays a compile error.
    let clash = doc("  dependsOn: [label]\n", step)
        .replace(
            "count: {type: integer}\n      state: {type: string}\n",
            "count: {type: string}\n      state: {type: string, enum: [open]}\n",
        )
        .replace("required: [name, count]", "required: [name, count, state]");
    assert_eq!(
        errors(&clash),
        vec![(
            "workflow `caller` depends on `label`, which takes input `count` by name: it is an integer there, and a string in this workflow".to_owned(),
            Some("give the input the same type in both workflows".to_owned()),
        )],
        "{clash}"
    );
}
