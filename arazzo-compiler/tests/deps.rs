//! Arazzo 1.1's step-level `dependsOn` and action `parameters` at compile time: dependencies
//! must name steps that have completed before the dependent step in document order (no `goto`
//! around them; a step of another workflow only when this workflow's `dependsOn` or an earlier
//! step runs it), and
//! an action's parameters are the inputs of the workflow it runs, checked like a call step's.
//! Both are errors in a 1.0 document.

mod support;

use support::{expand_issue_doc, issue_doc};

/// An Arazzo 1.1 document: workflow `label` (inputs `count`, required integer, and `state`, a
/// string), workflow `prep` (no inputs, steps `get` and `again`), then `workflows` (YAML list
/// items).
fn doc(workflows: &str) -> String {
    issue_doc(&format!(
        "- workflowId: label
  inputs:
    type: object
    required: [count]
    properties:
      count: {{type: integer}}
      state: {{type: string}}
  steps:
  - {{stepId: get, operationId: getIssue}}
- workflowId: prep
  steps:
  - {{stepId: get, operationId: getIssue}}
  - {{stepId: again, operationId: getIssue}}
{workflows}"
    ))
    .replace("arazzo: 1.0.1", "arazzo: 1.1.0")
}

/// Workflow `w` (input `n`, an integer) with `steps` (YAML at the steps' indentation) and
/// `extra` fields before `steps`.
fn workflow(extra: &str, steps: &str) -> String {
    format!(
        "- workflowId: w
  inputs:
    type: object
    properties:
      n: {{type: integer}}
      text: {{type: string}}
{extra}  steps:
{steps}"
    )
}

/// The messages and helps of compiling `doc`, in order; empty when it compiles.
fn errors(doc: &str) -> Vec<(String, Option<String>)> {
    match expand_issue_doc(doc) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| (e.message, e.help)).collect(),
    }
}

/// The messages of compiling `doc`.
fn messages(doc: &str) -> Vec<String> {
    errors(doc).into_iter().map(|(m, _)| m).collect()
}

/// The generated code of `doc`, which must compile.
fn expanded(doc: &str) -> String {
    match expand_issue_doc(doc) {
        Ok(expansion) => expansion.tokens.to_string(),
        Err(errors) => panic!("{errors:#?}"),
    }
}

const THREE_STEPS: &str = "  - {stepId: a, operationId: getIssue}
  - {stepId: b, operationId: getIssue, dependsOn: [a]}
  - {stepId: c, operationId: getIssue, dependsOn: [a, b]}
";

#[test]
fn dependencies_on_earlier_steps_compile() {
    expanded(&doc(&workflow("", THREE_STEPS)));
}

#[test]
fn a_dependency_on_a_later_step_names_the_step_to_move() {
    let steps = "  - {stepId: a, operationId: getIssue, dependsOn: [b]}
  - {stepId: b, operationId: getIssue}
";
    assert_eq!(
        errors(&doc(&workflow("", steps))),
        [(
            "step `a` depends on `b`, which comes after it; steps run in document order".to_owned(),
            Some("move step `b` before step `a`".to_owned())
        )]
    );
}

#[test]
fn unknown_duplicate_self_and_cyclic_dependencies_are_errors() {
    let steps = "  - {stepId: a, operationId: getIssue, dependsOn: [c]}
  - {stepId: b, operationId: getIssue, dependsOn: [b, aa, a, a]}
  - {stepId: c, operationId: getIssue, dependsOn: [b]}
";
    let found = errors(&doc(&workflow("", steps)));
    assert_eq!(
        found,
        [
            (
                "cyclic step dependencies: a → c → b → a".to_owned(),
                Some("remove one of these `dependsOn` entries".to_owned())
            ),
            (
                "step `b` depends on itself".to_owned(),
                Some("remove `b` from its `dependsOn`".to_owned())
            ),
            (
                "unknown step `aa` in this workflow".to_owned(),
                Some("did you mean `a`?".to_owned())
            ),
            (
                "step `b` lists `a` twice in `dependsOn`".to_owned(),
                Some("remove the repeated entry".to_owned())
            ),
        ],
        "{found:#?}"
    );
}

#[test]
fn a_goto_around_the_dependency_is_an_error() {
    let steps = "  - stepId: a
    operationId: getIssue
    onSuccess:
    - {name: skip, type: goto, stepId: c, criteria: [{condition: $statusCode == 200}]}
  - {stepId: b, operationId: getIssue}
  - {stepId: c, operationId: getIssue, dependsOn: [b]}
";
    assert_eq!(
        messages(&doc(&workflow("", steps))),
        [
            "step `c` depends on `b`, but a `goto` or failure action can reach `c` without `b` having succeeded"
        ]
    );
}

#[test]
fn a_step_of_another_workflow_needs_that_workflow_in_depends_on() {
    let step = "  - {stepId: a, operationId: getIssue, dependsOn: [$workflows.prep.steps.again]}\n";
    expanded(&doc(&workflow("  dependsOn: [prep]\n", step)));
    // A step that calls `prep` before runs it too.
    let call = "  - {stepId: call, workflowId: prep}\n";
    expanded(&doc(&workflow("", &format!("{call}{step}"))));
    let found = errors(&doc(&workflow("", &format!("{step}{call}"))));
    assert_eq!(
        found,
        [(
            "step `a` depends on a step of workflow `prep`, which has not run before it".to_owned(),
            Some("add `prep` to the `dependsOn` of workflow `w` (it then runs before the first step), or call it in an earlier step".to_owned())
        )]
    );
    let wrong = "  - {stepId: a, operationId: getIssue, dependsOn: [$workflows.prep.steps.agian, $workflows.perp.steps.get, $steps.get]}\n";
    assert_eq!(
        messages(&doc(&workflow("  dependsOn: [prep]\n", wrong))),
        [
            "unknown step `agian` in workflow `prep`",
            "unknown workflow `perp`",
            "`$steps.get` is not a step reference",
        ]
    );
}

#[test]
fn a_step_of_another_documents_workflow_is_named_through_its_source() {
    let shared =
        issue_doc("- workflowId: login\n  steps:\n  - {stepId: get, operationId: getIssue}\n");
    let text = issue_doc(
        "- workflowId: w
  dependsOn: [$sourceDescriptions.shared.login]
  steps:
  - {stepId: a, operationId: getIssue, dependsOn: [$sourceDescriptions.shared.login.steps.get]}
  - {stepId: b, operationId: getIssue, dependsOn: [$sourceDescriptions.shared.login.steps.got]}
",
    )
    .replace("arazzo: 1.0.1", "arazzo: 1.1.0")
    .replace(
        "sourceDescriptions: [",
        "sourceDescriptions: [{name: shared, url: ./shared.arazzo.yml, type: arazzo}, ",
    );
    let found = match arazzo_compiler::expand_text(
        &text,
        &[
            ("api.json", support::ISSUE_API),
            ("shared.arazzo.yml", &shared),
        ],
    ) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.message).collect(),
    };
    assert_eq!(found, ["unknown step `got` in workflow `login`"]);
}

#[test]
fn step_depends_on_in_a_1_0_document_points_at_upgrade() {
    let text = doc(&workflow("", THREE_STEPS)).replace("arazzo: 1.1.0", "arazzo: 1.0.1");
    let found = errors(&text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0],
        (
            "step field `dependsOn` is Arazzo 1.1; this document is Arazzo 1.0".to_owned(),
            Some(
                "run `arazzo upgrade` on this document to move it to Arazzo 1.1.0, or remove it"
                    .to_owned()
            )
        )
    );
}

/// Step `s` of workflow `w`, with `actions` (YAML list items under `onFailure`).
fn failing(actions: &str) -> String {
    workflow(
        "",
        &format!("  - stepId: s\n    operationId: getIssue\n    onFailure:\n{actions}"),
    )
}

#[test]
fn action_parameters_pass_the_target_workflows_inputs() {
    let actions = "    - name: fallback
      type: goto
      workflowId: label
      parameters:
      - {name: count, value: $inputs.n}
      - {name: state, value: '{$response.header.x-state}'}
";
    let code = expanded(&doc(&failing(actions)));
    assert!(
        code.contains("rt :: callee_inputs (\"label\" , rt :: object ([(\"count\" ,"),
        "{code}"
    );
    assert!(!code.contains("inputs_by_name"), "{code}");
    // Without parameters the target still takes this workflow's inputs by name.
    let by_name = "    - {name: fallback, type: goto, workflowId: label}\n";
    let found = messages(&doc(&failing(by_name)));
    assert_eq!(
        found,
        [
            "`goto` workflow `label` needs input `count`, which this workflow does not declare (it takes its inputs by name from this workflow's)"
        ]
    );
}

#[test]
fn an_action_parameter_may_reference_a_component() {
    let actions = "    - name: fallback
      type: goto
      workflowId: label
      parameters:
      - {reference: $components.parameters.one}
";
    let text = format!(
        "{}components:\n  parameters:\n    one: {{name: count, value: 1}}\n",
        doc(&failing(actions))
    );
    let code = expanded(&text);
    assert!(code.contains("(\"count\" , 1i64"), "{code}");
}

#[test]
fn action_parameters_are_checked_like_a_call_steps() {
    let actions = "    - name: fallback
      type: retry
      workflowId: label
      parameters:
      - {name: cuont, value: 1}
      - {name: state, in: query, value: 2}
      - {name: state, value: $inputs.text}
";
    assert_eq!(
        errors(&doc(&failing(actions))),
        [
            (
                "workflow `label` has no input `cuont`".to_owned(),
                Some("did you mean `count`?".to_owned())
            ),
            (
                "an action's parameters are workflow inputs and take no `in`".to_owned(),
                Some("remove `in`".to_owned())
            ),
            (
                "input `state` of workflow `label` is a string that may be absent; the value `2` is an integer"
                    .to_owned(),
                Some(
                    "pass a string to `state`, or change its type in the inputs of workflow `label`"
                        .to_owned()
                )
            ),
            (
                "duplicate parameter `state` in this action".to_owned(),
                None
            ),
        ]
    );
    let missing = "    - {name: fallback, type: goto, workflowId: label, parameters: [{name: state, value: x}]}\n";
    assert_eq!(
        messages(&doc(&failing(missing))),
        ["action `fallback` does not supply required input `count` of workflow `label`"]
    );
}

#[test]
fn action_parameters_need_a_workflow_target_and_arazzo_1_1() {
    let to_step =
        "    - {name: again, type: retry, stepId: s, parameters: [{name: count, value: 1}]}\n";
    assert_eq!(
        errors(&doc(&failing(to_step))),
        [(
            "an action's `parameters` are the inputs of the workflow it runs, and this action names no `workflowId`".to_owned(),
            Some("remove `parameters`, or name the workflow to run with `workflowId`".to_owned())
        )]
    );
    let ok = "    - {name: fallback, type: goto, workflowId: label, parameters: [{name: count, value: 1}]}\n";
    let old = doc(&failing(ok)).replace("arazzo: 1.1.0", "arazzo: 1.0.1");
    // Reported once; the parameters are still read, so nothing else is reported for them.
    assert_eq!(
        messages(&old),
        ["action field `parameters` is Arazzo 1.1; this document is Arazzo 1.0"]
    );
}
