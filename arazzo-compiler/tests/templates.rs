//! Payload templates by content type: a JSON template is parsed as JSON with typed holes and
//! built as a JSON value (its text not JSON, or a hole in a member name, is a located error);
//! form and XML templates escape their substitutions; text templates send them as they are.

mod support;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    post:
      operationId: send
      requestBody:
        content:
          application/json:
            schema: {type: object}
          application/merge-patch+json:
            schema: {type: object}
          application/x-www-form-urlencoded:
            schema: {type: object}
          application/atom+xml:
            schema: {type: object}
          text/plain:
            schema: {type: string}
      responses:
        '200': {description: ok}
";

/// A document whose one step sends `body` (YAML at the step's indentation + 4) with inputs
/// `name` (string) and `id` (integer).
fn document(body: &str) -> String {
    format!(
        "arazzo: 1.0.1
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: api, url: ./api.yml, type: openapi}}
workflows:
- workflowId: w
  inputs:
    type: object
    properties:
      name: {{type: string}}
      id: {{type: integer}}
  steps:
  - stepId: s
    operationId: send
    requestBody:
{body}
"
    )
}

fn compile(name: &str, body: &str) -> Result<String, Vec<String>> {
    support::compile_with_api(name, API, &document(body))
}

#[track_caller]
fn assert_error(name: &str, body: &str, line_col: &str, needles: &[&str]) {
    let errors = compile(name, body).expect_err("does not compile");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("workflows/doc.yml:{line_col}"))
                && needles.iter().all(|n| e.contains(n))),
        "expected {needles:?} at {line_col}, got:\n{}",
        errors.join("\n")
    );
}

#[test]
fn a_json_template_is_built_as_a_json_value() {
    for content_type in ["application/json", "application/merge-patch+json"] {
        let code = compile(
            "json",
            &format!(
                "      contentType: {content_type}\n      payload: '{{\"name\": \"Mr {{$inputs.name}}\", \"id\": {{$inputs.id}}}}'"
            ),
        )
        .expect("compiles");
        let expected = format!(
            "req . json_body (\"{content_type}\" , & rt :: object ([(\"name\" , rt :: concat (& [& \"Mr \" , & cx . inputs . name]) . into ()) , (\"id\" , rt :: to_json (& cx . inputs . id) ?)])) ?"
        );
        assert!(code.contains(&expected), "missing `{expected}` in {code}");
    }
}

#[test]
fn a_json_template_whose_text_is_not_json_is_a_located_error() {
    assert_error(
        "json-invalid",
        "      contentType: application/json\n      payload: '{\"name\": {$inputs.name}'",
        "17:16",
        &[
            "this JSON payload template is not valid JSON at column 23 of the template: EOF while parsing an object",
            "a `{$…}` placeholder stands inside a JSON string",
        ],
    );
    assert_error(
        "json-block",
        "      contentType: application/json\n      payload: |\n        {\n          \"id\": {$inputs.id}\n          \"name\": \"{$inputs.name}\"\n        }",
        "18:9",
        &["not valid JSON at line 3, column 3 of the template: expected `,` or `}`"],
    );
    assert_error(
        "json-adjacent",
        "      contentType: application/json\n      payload: '[{$inputs.id}{$inputs.name}]'",
        "17:16",
        &["not valid JSON at column 14 of the template"],
    );
}

#[test]
fn a_placeholder_in_a_member_name_is_a_located_error() {
    assert_error(
        "json-key",
        "      contentType: application/json\n      payload: '{\"{$inputs.name}\": 1}'",
        "17:16",
        &[
            "the placeholder `{$inputs.name}` is in a member name of this JSON payload template; member names are fixed",
            "write the payload as a mapping and the varying part as a member's value",
        ],
    );
}

#[test]
fn form_and_xml_templates_escape_their_substitutions_and_text_ones_do_not() {
    let code = compile(
        "form",
        "      contentType: application/x-www-form-urlencoded\n      payload: 'a={$inputs.name}&b=1'",
    )
    .expect("compiles");
    assert!(
        code.contains("req . text_body (\"application/x-www-form-urlencoded\" , rt :: escaped (rt :: Escape :: Form , & [rt :: Piece :: Lit (\"a=\") , rt :: Piece :: Value (& cx . inputs . name) , rt :: Piece :: Lit (\"&b=1\")]) ?)"),
        "{code}"
    );
    let code = compile(
        "xml",
        "      contentType: application/atom+xml\n      payload: '<a>{$inputs.name}</a>'",
    )
    .expect("compiles");
    assert!(
        code.contains("rt :: escaped (rt :: Escape :: Xml , & [rt :: Piece :: Lit (\"<a>\") , rt :: Piece :: Value (& cx . inputs . name)"),
        "{code}"
    );
    let code = compile(
        "text",
        "      contentType: text/plain\n      payload: '{\"a\": \"{$inputs.name}\"'",
    )
    .expect("compiles");
    assert!(
        code.contains("req . text_body (\"text/plain\" , rt :: concat (& [& \"{\\\"a\\\": \\\"\" , & cx . inputs . name"),
        "{code}"
    );
}
