//! The step graph (check/flow.rs) at compile time: a step may read the outputs of itself or a
//! later step only when a `goto` loop brings the run back to it after that step succeeded
//! (typed `Option`, `None` on the first pass); other forward reads stay errors. Workflow
//! outputs of a step that some path to a successful end skips are `Option`s.

mod support;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: list
      parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [next, count]
                properties:
                  next: {type: string}
                  count: {type: integer}
  /search:
    post:
      operationId: search
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {cursor: {type: string}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [next]
                properties:
                  next: {type: string}
";

/// A document whose workflow `w` has `steps` (YAML at the steps' indentation) and `outputs`.
fn compile(name: &str, steps: &str, outputs: &str) -> Result<String, Vec<String>> {
    let doc = format!(
        "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: api, url: ./api.yml, type: openapi}}
workflows:
- workflowId: w
  steps:
{steps}
  outputs:
{outputs}
"
    );
    support::compile_with_api(name, API, &doc)
}

/// A `list` step `id` sending `cursor`, with `actions` (YAML after `onSuccess:`).
fn list(id: &str, cursor: &str, actions: &str) -> String {
    format!(
        "  - stepId: {id}
    operationId: list
    parameters:
    - {{name: id, in: path, value: x}}
    - {{name: cursor, in: query, value: '{cursor}'}}
    onSuccess: {actions}
    outputs:
      next: $response.body#/next
      count: $response.body#/count
"
    )
}

const GOTO_SELF_WHILE_NEXT: &str =
    "[{name: more, type: goto, stepId: a, criteria: [{condition: $response.body#/next != null}]}]";

#[test]
fn a_step_in_a_goto_loop_reads_its_own_previous_outputs_as_options() {
    let code = compile(
        "self-loop",
        &list("a", "$steps.a.outputs.next", GOTO_SELF_WHILE_NEXT),
        "    count: $steps.a.outputs.count",
    )
    .expect("a loop may read its own outputs");
    assert!(
        code.contains(
            "req . query (\"cursor\" , cx . progress . a . as_ref () . map (| outputs | outputs . next . clone ()))"
        ),
        "{code}"
    );
    // Every run ends after `a` succeeded: its output keeps its plain type.
    assert!(code.contains("pub count : i64"), "{code}");
}

#[test]
fn a_step_reads_a_later_step_that_loops_back_to_it() {
    let steps = list("a", "$steps.b.outputs.next", "[]")
        + &list(
            "b",
            "x",
            "[{name: back, type: goto, stepId: a, criteria: [{condition: $statusCode == 200}]}]",
        );
    let code = compile("later-loop", &steps, "    count: $steps.b.outputs.count")
        .expect("`b` goes back to `a` after it ran");
    assert!(
        code.contains(
            "cx . progress . b . as_ref () . map (| outputs | outputs . next . clone ())"
        ),
        "{code}"
    );
}

#[test]
fn a_forward_read_no_loop_satisfies_stays_an_error() {
    // `b` reads itself, but nothing goes back to it; `a` reads `b`, which only `a`'s failure
    // would reach again.
    let steps = list("a", "$steps.b.outputs.next", "[]")
        + &list("b", "$steps.b.outputs.next", "[]")
        + "    onFailure: [{name: again, type: goto, stepId: a}]\n";
    let errors = compile("no-loop", &steps, "    count: $steps.b.outputs.count")
        .expect_err("no loop comes back after `b` succeeded");
    assert_eq!(errors.len(), 2, "{errors:?}");
    for (error, line) in errors.iter().zip(["doc.yml:12:", "doc.yml:21:"]) {
        assert!(
            error.contains(line)
                && error.contains(
                    "`$steps.b.outputs.next` reads step `b`, which has not run at this point (a request value)"
                ),
            "{errors:?}"
        );
    }
}

#[test]
fn a_failure_goto_back_does_not_make_the_failed_step_readable() {
    let steps = list("a", "$steps.a.outputs.next", "[]")
        + "    onFailure: [{name: again, type: goto, stepId: a}]\n";
    let errors = compile("failure-loop", &steps, "    count: $steps.a.outputs.count")
        .expect_err("`a` comes back only when it failed: it has no outputs then");
    assert!(
        errors[0].contains("reads step `a`, which has not run at this point"),
        "{errors:?}"
    );
}

#[test]
fn a_path_parameter_may_not_read_a_looped_output() {
    let steps = GOTO_SELF_WHILE_NEXT;
    let step = format!(
        "  - stepId: a
    operationId: list
    parameters:
    - {{name: id, in: path, value: $steps.a.outputs.next}}
    onSuccess: {steps}
    outputs:
      next: $response.body#/next
"
    );
    let errors = compile("path-loop", &step, "    next: $steps.a.outputs.next")
        .expect_err("a path needs a value on the first pass");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("doc.yml:11:")
            && errors[0].contains(
                "path parameter `id` reads a step output that has no value on the first pass of the loop"
            )
            && errors[0].contains("send the loop's value as a query parameter"),
        "{errors:?}"
    );
}

#[test]
fn a_body_member_reads_a_looped_output_as_null_on_the_first_pass() {
    let step = "  - stepId: a
    operationId: search
    requestBody:
      payload: {cursor: $steps.a.outputs.next}
    onSuccess: [{name: more, type: goto, stepId: a, criteria: [{condition: $response.body#/next != ''}]}]
    outputs:
      next: $response.body#/next
";
    let code = compile("body-loop", step, "    next: $steps.a.outputs.next")
        .expect("a payload may read the previous pass");
    assert!(
        code.contains(
            "(\"cursor\" , rt :: to_json (& (cx . progress . a . as_ref () . map (| outputs | outputs . next . clone ()))) ?)"
        ),
        "{code}"
    );
}

#[test]
fn outputs_of_a_step_some_path_skips_are_options() {
    // `a` jumps over `b` when a criterion holds; `c` always runs.
    let steps = list(
        "a",
        "x",
        "[{name: skip, type: goto, stepId: c, criteria: [{condition: $response.body#/count == 0}]}]",
    ) + &list("b", "x", "[]")
        + &list("c", "x", "[]");
    let code = compile(
        "skippable",
        &steps,
        "    first: $steps.a.outputs.count
    middle: $steps.b.outputs.count
    last: $steps.c.outputs.count",
    )
    .expect("compiles");
    for expected in [
        "pub first : i64",
        "pub middle : Option < i64 >",
        "pub last : i64",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
}

#[test]
fn an_end_without_criteria_leaves_later_steps_unreachable_but_not_optional_before_it() {
    // `a` always ends: `b` never runs, and every run ran `a`.
    let steps = list("a", "x", "[{name: stop, type: end}]") + &list("b", "x", "[]");
    let code = compile(
        "always-end",
        &steps,
        "    first: $steps.a.outputs.count
    never: $steps.b.outputs.count",
    )
    .expect("compiles");
    assert!(code.contains("pub first : i64"), "{code}");
    assert!(code.contains("pub never : Option < i64 >"), "{code}");
}
