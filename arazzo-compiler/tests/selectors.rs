//! Arazzo 1.1 Selector Objects and Expression Type Objects: a `jsonpointer` selector is typed
//! from the response schema like `$response.body#/p`, a `jsonpath` selector is JSON (one
//! value for a singular query, every node for another), and each mistake is a located error.

mod support;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users/{id}:
    get:
      operationId: getUser
      parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
      - {name: tag, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, profile, tags]
                properties:
                  id: {type: integer}
                  profile:
                    type: object
                    required: [email]
                    properties:
                      email: {type: string}
                  tags: {type: array, items: {type: string}}
";

/// A 1.1 (or `version`) document whose step `get` has these `outputs` (YAML at the step's
/// indentation + 4) and whose step `again` sends `tag` with this value (indentation + 6).
fn document(version: &str, outputs: &str, tag: &str) -> String {
    format!(
        "{head}    outputs:
{outputs}
  - stepId: again
    operationId: getUser
    parameters:
    - {{name: id, in: path, value: 2}}
    - name: tag
      in: query
      value:
{tag}
  outputs:
    firstTag: $steps.get.outputs.email
",
        head = head(version)
    )
}

/// A document's first lines, up to the parameters of its first step `get`.
fn head(version: &str) -> String {
    format!(
        "arazzo: {version}
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: api, url: ./api.yml, type: openapi}}
workflows:
- workflowId: w
  steps:
  - stepId: get
    operationId: getUser
    parameters:
    - {{name: id, in: path, value: 1}}
"
    )
}

const OUTPUTS: &str = "      email:
        context: $response.body
        selector: /profile/email
        type: jsonpointer
      tags:
        context: $response.body
        selector: $.tags[*]
        type: {type: jsonpath, version: rfc9535}
      first:
        context: $response.body#/tags
        selector: $[0]
        type: jsonpath
      id:
        context: $response.body#/profile
        selector: /email
        type: {type: jsonpointer, version: rfc6901}";

const TAG: &str = "        context: $steps.get.outputs.tags
        selector: /0
        type: jsonpointer";

fn compile(name: &str, doc: &str) -> Result<String, Vec<String>> {
    support::compile_with_api(name, API, doc)
}

fn assert_error(name: &str, doc: &str, line_col: &str, needle: &str) {
    let errors = compile(name, doc).expect_err("does not compile");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("doc.yml:{line_col}")) && e.contains(needle)),
        "no `{needle}` at {line_col} in {errors:#?}"
    );
}

#[test]
fn selectors_are_typed_by_their_syntax() {
    let code = compile("typed", &document("1.1.0", OUTPUTS, TAG)).expect("compiles");
    for expected in [
        // A JSON pointer into the typed body has the schema's type.
        "pub email : String",
        // A JSONPath selects nodes: every node of a wildcard, at most one of a singular query.
        "pub tags : Vec < rt :: serde_json :: Value >",
        "pub first : Option < rt :: serde_json :: Value >",
        "rt :: select_all (& QUERY , \"$.tags[*]\"",
        "rt :: select_one (& QUERY , \"$[0]\"",
        // A pointer after a context that has one reads on from there.
        "pub id : String",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
}

#[test]
fn a_selector_in_a_1_0_document_says_to_upgrade() {
    assert_error(
        "old",
        &document("1.0.1", OUTPUTS, "        1"),
        "14:9",
        "a Selector Object is Arazzo 1.1; this document is Arazzo 1.0",
    );
}

#[test]
fn a_pointer_the_schema_lacks_is_an_error_at_the_selector() {
    let outputs = "      email:
        context: $response.body
        selector: /profile/mail
        type: jsonpointer";
    assert_error("missing", &document("1.1.0", outputs, TAG), "15:19", "mail");
}

#[test]
fn a_malformed_pointer_is_an_error() {
    let outputs = "      email:
        context: $response.body
        selector: profile
        type: jsonpointer";
    assert_error(
        "malformed",
        &document("1.1.0", outputs, TAG),
        "15:19",
        "must start with `/`; write `/profile`",
    );
}

#[test]
fn a_jsonpath_that_does_not_parse_is_an_error() {
    let outputs = "      email:
        context: $response.body
        selector: $.tags[
        type: jsonpath";
    assert_error(
        "jsonpath",
        &document("1.1.0", outputs, TAG),
        "15:19",
        "does not parse (RFC 9535)",
    );
}

#[test]
fn unknown_types_and_versions_are_errors() {
    let outputs = "      email:
        context: $response.body
        selector: /id
        type: jsonpointr";
    assert_error(
        "type",
        &document("1.1.0", outputs, TAG),
        "16:15",
        "unknown selector type `jsonpointr`",
    );
    let outputs = "      email:
        context: $response.body
        selector: $.id
        type: {type: jsonpath, version: rfc6901}";
    assert_error(
        "version",
        &document("1.1.0", outputs, TAG),
        "16:41",
        "`rfc6901` is not a version of `jsonpath`",
    );
}

#[test]
fn a_context_that_is_no_expression_is_an_error() {
    let outputs = "      email:
        context: body
        selector: /id
        type: jsonpointer";
    assert_error(
        "context",
        &document("1.1.0", outputs, TAG),
        "14:18",
        "must be a runtime expression",
    );
}

#[test]
fn a_parameter_value_selector_reads_an_earlier_output() {
    let tag = "        context: $steps.get.outputs.tags
        selector: /0
        type: jsonpointer";
    let code = compile("param", &document("1.1.0", OUTPUTS, tag)).expect("compiles");
    // `tags` is a `Vec` of JSON values: its first item, walked through the type.
    assert!(
        code.contains(". tags) . and_then (| v | v . get (0usize)) . cloned ()"),
        "{code}"
    );
    let tag = "        context: $steps.nope.outputs.tags
        selector: /0
        type: jsonpointer";
    assert_error(
        "param_bad",
        &document("1.1.0", OUTPUTS, tag),
        "37:19",
        "nope",
    );
}

/// A 1.1 document whose one step posts a JSON payload with this replacement (YAML at the
/// list item's indentation + 2).
fn replacing(replacement: &str) -> String {
    format!(
        "{head}    requestBody:
      contentType: application/json
      payload: {{items: [{{qty: 1}}]}}
      replacements:
      - {replacement}
",
        head = head("1.1.0")
    )
}

#[test]
fn replacement_targets_follow_their_selector_type() {
    let code = compile(
        "replace",
        &replacing(
            "target: $.items[*].qty\n        targetSelectorType: jsonpath\n        value: 2",
        ),
    )
    .expect("compiles");
    assert!(
        code.contains("rt :: replace_selected (& mut payload , & QUERY , \"$.items[*].qty\""),
        "{code}"
    );
    assert_error(
        "replace_root",
        &replacing("target: $\n        targetSelectorType: jsonpath\n        value: 2"),
        "16:17",
        "must select inside the payload",
    );
    assert_error(
        "replace_xpath",
        &replacing("target: /items/qty\n        targetSelectorType: xpath\n        value: 2"),
        "16:17",
        "an `xpath` replacement target needs an XML payload; this one is `application/json`",
    );
    assert_error(
        "replace_query",
        &replacing("target: $.items[\n        targetSelectorType: jsonpath\n        value: 2"),
        "16:17",
        "does not parse (RFC 9535)",
    );
}
