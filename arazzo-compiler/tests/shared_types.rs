//! Named schemas (`components/schemas`, Swagger 2.0 `definitions`) become one Rust type each,
//! in a module per source description, shared by every step and workflow that reads them;
//! response enums get `Other(String)`, request-side enums stay closed.

mod support;

const API: &str = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /issues:
    post:
      operationId: create
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Issue'}
  /issues/{id}:
    get:
      operationId: show
      parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  issue: {$ref: '#/components/schemas/Issue'}
                  kind: {type: string, enum: [bug, task]}
components:
  schemas:
    Issue:
      type: object
      required: [id, state]
      properties:
        id: {type: integer}
        state: {type: string, enum: [open, other]}
        parent: {$ref: '#/components/schemas/Issue'}
        thread: {$ref: '#/components/schemas/Thread'}
    Thread:
      type: object
      properties:
        first: {$ref: '#/components/schemas/Issue'}
    IssueState: {type: object, properties: {since: {type: string}}}
    Option: {type: object, properties: {x: {type: string}}}
";

/// Compiles a document whose source `source` is [`API`] with `workflows` (YAML, a list).
fn compile(test: &str, source: &str, workflows: &str) -> Result<String, Vec<String>> {
    compile_with(test, API, source, workflows)
}

/// Compiles a document whose source `source` is `api` with `workflows`.
fn compile_with(
    test: &str,
    api: &str,
    source: &str,
    workflows: &str,
) -> Result<String, Vec<String>> {
    let doc = format!(
        "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: {source}, url: ./api.yml, type: openapi}}
workflows:
{workflows}"
    );
    support::compile_with_api(test, api, &doc)
}

const TWO_STEPS: &str = "- workflowId: one
  steps:
  - stepId: create
    operationId: create
    outputs: {issue: $response.body, state: $response.body#/state}
  - stepId: show
    operationId: show
    parameters: [{name: id, in: path, value: 1}]
    outputs: {issue: $response.body#/issue, kind: $response.body#/kind}
- workflowId: two
  steps:
  - stepId: again
    operationId: create
    outputs: {issue: $response.body}
";

#[test]
fn two_steps_and_two_workflows_reading_one_component_share_one_type() {
    let code = compile("shared", "tracker", TWO_STEPS).expect("compiles");
    assert_eq!(code.matches("pub struct Issue ").count(), 1, "{code}");
    assert!(code.contains("pub mod tracker"), "{code}");
    assert_eq!(
        code.matches("pub issue : super :: tracker :: Issue ,")
            .count(),
        2,
        "create and again read the whole body: {code}"
    );
    assert!(code.contains("pub issue : Option < super :: tracker :: Issue >"));
    // The enum inside the named schema is one type too, whichever pointer reads it.
    assert!(code.contains("pub state : super :: tracker :: IssueState_2 ,"));
    assert!(!code.contains("CreateIssue"), "no per-step copy: {code}");
    // An anonymous response schema keeps its generated name in the workflow's module.
    assert!(code.contains("pub enum ShowKind"), "{code}");
}

#[test]
fn names_that_collide_are_made_unique_and_named_schemas_keep_theirs() {
    let code = compile("collide", "tracker", TWO_STEPS).expect("compiles");
    // `IssueState` is a named schema: the generated enum of `Issue.state` gives way.
    assert!(code.contains("pub enum IssueState_2"), "{code}");
    // The listed value `other` does not take the catch-all's name.
    assert!(code.contains("Other_2 ,"), "{code}");
    assert!(code.contains("Other (String) ,"), "{code}");
    // A source named like a workflow gets `_types`; the prelude names stay free.
    let code = compile("module", "one", TWO_STEPS).expect("compiles");
    assert!(code.contains("pub mod one_types"), "{code}");
    assert!(code.contains("super :: one_types :: Issue"), "{code}");
}

#[test]
fn a_named_schema_that_comes_back_inside_itself_is_json_there() {
    let code = compile("recursive", "tracker", TWO_STEPS).expect("compiles");
    assert!(
        code.contains("pub parent : Option < rt :: serde_json :: Value >"),
        "{code}"
    );
    // Issue → Thread → Issue: the way back is untyped, Thread itself is typed once.
    assert!(code.contains("pub thread : Option < Thread >"), "{code}");
    assert!(
        code.contains("pub first : Option < rt :: serde_json :: Value >"),
        "{code}"
    );
}

#[test]
fn request_side_enums_stay_closed_and_response_enums_are_open() {
    let code = compile(
        "sides",
        "tracker",
        "- workflowId: one
  inputs:
    type: object
    properties:
      kind: {type: string, enum: [bug, task]}
  steps:
  - stepId: show
    operationId: show
    parameters: [{name: id, in: path, value: 1}]
    outputs: {kind: $response.body#/kind}
",
    )
    .expect("compiles");
    let inputs = code.find("pub enum InputsKind").expect("input enum");
    let closed = &code[inputs..];
    let end = closed.find("pub enum ShowKind").unwrap_or(closed.len());
    assert!(!closed[..end].contains("Other"), "{}", &closed[..end]);
    assert!(code.contains("rt :: open_enum ! (ShowKind)"), "{code}");
}

#[test]
fn a_condition_with_a_value_a_shared_enum_does_not_list_is_an_error() {
    let errors = compile(
        "typo",
        "tracker",
        "- workflowId: one
  steps:
  - stepId: create
    operationId: create
    successCriteria:
    - condition: $response.body#/state == 'opne'
    outputs: {state: $response.body#/state}
  - stepId: check
    operationId: create
    successCriteria:
    - condition: $steps.create.outputs.state == 'closed'
",
    )
    .expect_err("the values are checked");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("can only be `open` or `other` with 'closed'")),
        "{errors:?}"
    );
}

#[test]
fn a_clear_one_of_is_an_untagged_enum_and_an_unclear_one_stays_json() {
    let api = "openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [clear, unclear]
                properties:
                  clear:
                    oneOf:
                    - {$ref: '#/components/schemas/Cat'}
                    - {type: object, required: [bark], properties: {bark: {type: boolean}}}
                  unclear:
                    anyOf:
                    - {$ref: '#/components/schemas/Cat'}
                    - {type: object, properties: {maybe: {type: string}}}
components:
  schemas:
    Cat: {type: object, required: [meow], properties: {meow: {type: string}}}
";
    let code = compile_with(
        "one-of",
        api,
        "pets",
        "- workflowId: w
  steps:
  - stepId: a
    operationId: a
    outputs: {clear: $response.body#/clear, unclear: $response.body#/unclear}
",
    )
    .expect("compiles");
    assert!(
        code.contains("# [serde (crate = \"rt::serde\" , untagged)]"),
        "{code}"
    );
    assert!(
        code.contains(
            "Cat (super :: pets :: Cat) , # [doc = \" `AClearVariant2`\"] Variant2 (AClearVariant2)"
        ),
        "{code}"
    );
    // An alternative with no required property could match anything: not typed.
    assert!(
        code.contains("pub unclear : rt :: serde_json :: Value"),
        "{code}"
    );
}
