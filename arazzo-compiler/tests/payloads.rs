//! Payload checks by content type: XML and multipart payloads compile into static tables
//! from the request body's schema; structured payloads for text and binary types, and
//! payloads of the wrong shape, are located errors.

mod support;

use support::Scratch;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /x:
    post:
      operationId: send
      requestBody:
        content:
          application/xml:
            schema:
              $ref: '#/components/schemas/Order'
          multipart/form-data:
            schema:
              type: object
              properties:
                doc: {type: string, format: binary}
                note: {type: string}
            encoding:
              note: {contentType: text/markdown}
          application/octet-stream:
            schema: {type: string, format: binary}
          image/*:
            schema: {type: string, format: binary}
          text/plain:
            schema: {type: string}
      responses:
        '200': {description: ok}
components:
  schemas:
    Order:
      type: object
      xml: {name: order, namespace: 'urn:o'}
      properties:
        id: {type: integer, xml: {attribute: true}}
        lines:
          type: array
          xml: {wrapped: true}
          items: {type: string, xml: {name: line}}
";

/// A document whose one step sends `body` (YAML at the step's indentation + 4) with
/// inputs `count` (integer), `doc` (binary), `data` (object) and `text` (string).
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
      count: {{type: integer}}
      doc: {{type: string, format: binary}}
      data: {{type: object, properties: {{a: {{type: string}}}}}}
      text: {{type: string}}
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

#[test]
fn an_xml_payload_compiles_into_the_schemas_element_table() {
    let code = compile(
        "xml",
        "      contentType: application/xml\n      payload: {id: $inputs.count, lines: [a, b]}",
    )
    .expect("compiles");
    for expected in [
        "static BODY_S : rt :: XmlNode",
        "name : \"order\"",
        "namespace : Some (\"urn:o\")",
        "key : \"id\"",
        "attribute : true",
        "wrapped : true",
        "name : \"line\"",
        "req . xml_body (\"application/xml\" , & BODY_S ,",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
}

#[test]
fn a_multipart_payload_compiles_into_its_declared_fields() {
    let code = compile(
        "multipart",
        "      contentType: multipart/form-data\n      payload: {doc: $inputs.doc, note: '# {$inputs.text}', n: $inputs.count}",
    )
    .expect("compiles");
    for expected in [
        "static BODY_S : & [rt :: PartSpec]",
        "rt :: PartSpec { name : \"doc\" , file : true , content_type : None }",
        "rt :: PartSpec { name : \"note\" , file : false , content_type : Some (\"text/markdown\") }",
        "parts . bytes (\"doc\" ,",
        "parts . value (\"note\" ,",
        "req . multipart_body (parts)",
        "pub doc : Option < Vec < u8 > >",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
}

#[test]
fn binary_inputs_are_sent_as_bytes_for_any_binary_type() {
    for (name, content_type) in [
        ("octet", "application/octet-stream"),
        ("image", "image/png"),
    ] {
        let code = compile(
            name,
            &format!("      contentType: {content_type}\n      payload: $inputs.doc"),
        )
        .expect("compiles");
        assert!(
            code.contains(&format!("req . bytes_body (\"{content_type}\" ,")),
            "{code}"
        );
    }
}

#[test]
fn a_number_for_a_text_type_is_sent_as_text() {
    let code = compile(
        "text-number",
        "      contentType: text/plain\n      payload: $inputs.count",
    )
    .expect("compiles");
    assert!(
        code.contains("req . text_body (\"text/plain\" , rt :: concat"),
        "{code}"
    );
}

#[track_caller]
fn assert_error(name: &str, body: &str, line_col: &str, needle: &str) {
    let errors = compile(name, body).expect_err("does not compile");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("workflows/doc.yml:{line_col}")) && e.contains(needle)),
        "expected `{needle}` at {line_col}, got:\n{}",
        errors.join("\n")
    );
}

#[test]
fn structured_payloads_for_text_types_say_to_write_a_string() {
    assert_error(
        "text-mapping",
        "      contentType: text/plain\n      payload: {a: 1}",
        "19:16",
        "a structured payload cannot be sent as `text/plain`; write the payload as a string",
    );
    assert_error(
        "text-object-input",
        "      contentType: text/plain\n      payload: $inputs.data",
        "19:16",
        "a payload of type `Option<InputsData>` cannot be sent as `text/plain`",
    );
}

#[test]
fn structured_payloads_for_binary_types_ask_for_a_binary_input() {
    assert_error(
        "octet-mapping",
        "      contentType: application/octet-stream\n      payload: [1, 2]",
        "19:16",
        "a binary input (`type: string, format: binary`)",
    );
}

#[test]
fn payloads_of_the_wrong_shape_for_xml_and_multipart_are_errors() {
    assert_error(
        "xml-number",
        "      contentType: application/xml\n      payload: 5",
        "19:16",
        "must be a mapping or sequence",
    );
    assert_error(
        "multipart-list",
        "      contentType: multipart/form-data\n      payload: [a]",
        "19:16",
        "a multipart/form-data payload must be a mapping of field names to values",
    );
    assert_error(
        "multipart-bytes",
        "      contentType: multipart/form-data\n      payload: $inputs.doc",
        "19:16",
        "a multipart/form-data payload must be a mapping of field names to values",
    );
}

#[test]
fn a_binary_input_is_no_parameter_value() {
    let scratch = Scratch::new("bytes-param");
    scratch.write("workflows/api.yml", API.replace("      requestBody:\n", "      parameters:\n      - {name: q, in: query, schema: {type: string}}\n      requestBody:\n").as_bytes());
    let doc = document("      contentType: text/plain\n      payload: hi").replace(
        "    requestBody:\n",
        "    parameters:\n    - {name: q, in: query, value: $inputs.doc}\n    requestBody:\n",
    );
    scratch.write("workflows/doc.yml", doc.as_bytes());
    let Err(diagnostics) = scratch.expand("workflows/doc.yml") else {
        panic!("the document compiled");
    };
    let errors: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert!(
        errors.iter().any(|e| e.contains(
            "workflows/doc.yml:18:35: parameter `q` cannot carry a binary value (`Option<Vec<u8>>`)"
        )),
        "{errors:?}"
    );
}
