//! XPath replacement targets (Arazzo 1.1): followed through the XML description of the
//! request body to a member of the payload value, located errors for what cannot be followed,
//! an error in a JSON payload, and 1.0's JSON pointer reading kept for 1.0 documents.

mod support;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /orders:
    post:
      operationId: createOrder
      requestBody:
        content:
          application/xml:
            schema:
              type: object
              xml: {name: Order}
              properties:
                id: {type: integer, xml: {attribute: true}}
                customer: {type: string, xml: {name: Customer}}
          application/json:
            schema: {type: object}
      responses:
        '200': {description: ok}
";

/// A document of `version` whose one step posts `payload` as `content_type` with these
/// `replacements` (YAML at indentation 6).
fn document(version: &str, content_type: &str, replacements: &str) -> String {
    format!(
        "arazzo: {version}
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: api, url: ./api.yml, type: openapi}}
workflows:
- workflowId: w
  steps:
  - stepId: post
    operationId: createOrder
    requestBody:
      contentType: {content_type}
      payload: {{id: 1, customer: x}}
      replacements:
{replacements}
"
    )
}

fn compile(name: &str, doc: &str) -> Result<String, Vec<String>> {
    support::compile_with_api(name, API, doc)
}

#[test]
fn targets_in_an_xml_payload_are_xpath_by_default() {
    let replacements = "      - {target: /Order/@id, value: 2}
      - {target: /Order/Customer, targetSelectorType: xpath, value: y}";
    let code =
        compile("xml", &document("1.1.0", "application/xml", replacements)).expect("compiles");
    assert!(
        code.contains("rt :: replace_at (& mut payload , & [\"id\"] , 2i64 . into ()) ?"),
        "{code}"
    );
    assert!(code.contains("& [\"customer\"]"), "{code}");
    assert!(code.contains("req . xml_body"), "{code}");
}

#[test]
fn a_target_the_description_cannot_follow_is_located() {
    let errors = compile(
        "missing",
        &document(
            "1.1.0",
            "application/xml",
            "      - {target: /Order/Name, value: y}",
        ),
    )
    .expect_err("no such element");
    assert_eq!(
        errors,
        [
            "workflows/doc.yml:14:18: XPath target `/Order/Name`: `Order` has no element `Name` in the request body schema (it declares `@id`, `Customer`)"
        ]
    );
    let errors = compile(
        "search",
        &document(
            "1.1.0",
            "application/xml",
            "      - {target: '//Customer', value: y}",
        ),
    )
    .expect_err("not a path");
    assert!(
        errors[0].contains("searches the whole document (`//`)"),
        "{errors:?}"
    );
}

#[test]
fn an_xpath_target_needs_an_xml_payload() {
    let errors = compile(
        "json",
        &document(
            "1.1.0",
            "application/json",
            "      - {target: /Order/Customer, targetSelectorType: xpath, value: y}",
        ),
    )
    .expect_err("a JSON payload");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("workflows/doc.yml:14:18: an `xpath` replacement target needs an XML payload; this one is `application/json`"),
        "{errors:?}"
    );
}

/// Arazzo 1.0 says a target is a JSON pointer: in a 1.0 document it stays one, XML or not.
#[test]
fn a_1_0_document_keeps_json_pointer_targets() {
    let code = compile(
        "old",
        &document(
            "1.0.1",
            "application/xml",
            "      - {target: /customer, value: y}",
        ),
    )
    .expect("compiles");
    assert!(code.contains("& [\"customer\"]"), "{code}");
}
