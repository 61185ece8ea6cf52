//! JSON pointers into typed step outputs (`$steps.s.outputs.o#/p`, and a `jsonpointer`
//! Selector Object whose context is such an output) are walked through the output's Rust type:
//! what they read is typed like the member (an `Option`: an index or a member may find
//! nothing), free-form JSON is read on at run time, and a member the type lacks is a located
//! error.

mod support;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Line:
      type: object
      required: [sku, qty]
      properties:
        sku: {type: string}
        qty: {type: integer}
    Order:
      type: object
      required: [id, customer, items, labels, meta]
      properties:
        id: {type: integer}
        customer:
          type: object
          required: [email]
          properties:
            email: {type: string}
            phone: {type: string}
        items: {type: array, items: {$ref: '#/components/schemas/Line'}}
        labels: {type: object, additionalProperties: {type: string}}
        meta: {type: object}
";

/// A 1.1 document whose workflow reads the outputs of step `get` with these workflow
/// `outputs` (YAML at indentation 4).
fn document(outputs: &str) -> String {
    format!(
        "arazzo: 1.1.0
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: api, url: ./api.yml, type: openapi}}
workflows:
- workflowId: w
  steps:
  - stepId: get
    operationId: getOrder
    parameters:
    - {{name: id, in: path, value: 1}}
    outputs:
      order: $response.body
      items: $response.body#/items
  outputs:
{outputs}
"
    )
}

#[test]
fn pointers_into_outputs_are_typed_by_the_outputs_type() {
    let outputs = "    sku: $steps.get.outputs.items#/0/sku
    line: $steps.get.outputs.items#/1
    email: $steps.get.outputs.order#/customer/email
    phone: $steps.get.outputs.order#/customer/phone
    label: $steps.get.outputs.order#/labels/color
    deep: $steps.get.outputs.order#/meta/a~1b/0
    contact:
      context: $steps.get.outputs.order
      selector: /customer/email
      type: jsonpointer";
    let code = support::compile_with_api("typed", API, &document(outputs)).expect("compiles");
    for expected in [
        "pub sku : Option < String >",
        "pub line : Option < super :: api :: Line >",
        "pub email : Option < String >",
        // An optional member: still one `Option`.
        "pub phone : Option < String >",
        // A map entry.
        "pub label : Option < String >",
        // A free-form object is a map of JSON values: its entry, then the rest of the
        // pointer at run time.
        "pub deep : Option < rt :: serde_json :: Value >",
        ". and_then (| v | v . get (\"a/b\")) . and_then (| v | v . pointer (\"/0\"))",
        "pub contact : Option < String >",
        // The walk as Rust: fields, an index, a map key.
        ". and_then (| v | v . get (0usize)) . map (| v | & v . sku) . cloned ()",
        ". and_then (| v | v . get (\"color\"))",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
}

fn assert_error(name: &str, outputs: &str, line_col: &str, needle: &str) {
    let errors =
        support::compile_with_api(name, API, &document(outputs)).expect_err("does not compile");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("doc.yml:{line_col}")) && e.contains(needle)),
        "no `{needle}` at {line_col} in {errors:#?}"
    );
}

#[test]
fn a_member_the_type_lacks_is_located_with_the_members_it_has() {
    assert_error(
        "member",
        "    email: $steps.get.outputs.order#/customer/mail",
        "16:12",
        "the output at `/customer` has no member `mail` (its schema declares `email` and `phone`); did you mean `email`?",
    );
}

#[test]
fn an_array_is_read_by_index() {
    assert_error(
        "index",
        "    sku: $steps.get.outputs.items#/first/sku",
        "16:10",
        "the output is an array, and `first` is not an index",
    );
    assert_error(
        "zero",
        "    sku: $steps.get.outputs.items#/01/sku",
        "16:10",
        "`01` is not an index (a number without leading zeros)",
    );
}

#[test]
fn a_scalar_has_no_members() {
    assert_error(
        "scalar",
        "    sku: $steps.get.outputs.items#/0/sku/x",
        "16:10",
        "the output at `/0/sku` is a `String`, which has no member `x`",
    );
}
