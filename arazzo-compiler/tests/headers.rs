//! `Authorization`, `Accept` and `Content-Type` header parameters: OpenAPI ignores their
//! declarations, but a workflow may send them on any operation. `Content-Type` must agree with
//! the request body (a located error otherwise) and, without `requestBody.contentType`,
//! selects the body's encoding; a document that sends `Authorization` itself needs no builder
//! credential for the schemes that travel in it.

mod support;

const API: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /issues:
    post:
      operationId: create
      security: [{bearer: []}]
      parameters:
      - {name: Accept, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {title: {type: string}}}
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {title: {type: string}}}
      responses:
        '201': {description: created}
  /issues/{id}:
    get:
      operationId: show
      security: [{oauth: []}, {basic: []}]
      parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: ok}
  /digest:
    get:
      operationId: digest
      security: [{digest: []}]
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    digest: {type: http, scheme: digest}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://example.com/token', scopes: {}}}
";

/// A document whose one step calls `operation` with `rest` (YAML at the step's
/// indentation, after `operationId`).
fn document(operation: &str, rest: &str) -> String {
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
      token: {{type: string}}
      title: {{type: string}}
  steps:
  - stepId: s
    operationId: {operation}
{rest}
"
    )
}

fn compile(name: &str, operation: &str, rest: &str) -> Result<String, Vec<String>> {
    support::compile_with_api(name, API, &document(operation, rest))
}

#[test]
fn authorization_accept_and_content_type_are_headers_of_every_operation() {
    let code = compile(
        "reserved",
        "create",
        "    parameters:
    - {name: authorization, in: header, value: 'Bearer {$inputs.token}'}
    - {name: Accept, in: header, value: application/json}
    - {name: CONTENT-TYPE, in: header, value: application/json; charset=utf-8}
    requestBody:
      payload: {title: $inputs.title}",
    )
    .expect("compiles");
    for expected in [
        "req . secret_header (\"authorization\"",
        "req . header (\"Accept\"",
        "req . json_body (\"application/json; charset=utf-8\"",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in {code}");
    }
    // The content type goes with the body, once.
    assert!(!code.contains("req . header (\"CONTENT-TYPE\""), "{code}");
}

#[test]
fn a_content_type_header_without_request_body_content_type_selects_the_encoding() {
    let code = compile(
        "form",
        "create",
        "    parameters:
    - {name: Authorization, in: header, value: $inputs.token}
    - {name: Content-Type, in: header, value: application/x-www-form-urlencoded}
    requestBody:
      payload: {title: $inputs.title}",
    )
    .expect("compiles");
    assert!(
        code.contains("req . form_body (\"application/x-www-form-urlencoded\""),
        "{code}"
    );
}

#[test]
fn a_content_type_header_must_agree_with_the_request_body() {
    let errors = compile(
        "disagree",
        "create",
        "    parameters:
    - {name: Content-Type, in: header, value: application/x-www-form-urlencoded}
    requestBody:
      contentType: application/json
      payload: {title: $inputs.title}",
    )
    .expect_err("the content types disagree");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("doc.yml:16:47")
            && errors[0].contains(
                "header `Content-Type` `application/x-www-form-urlencoded` disagrees with the `requestBody.contentType` `application/json` of step `s`"
            ),
        "{errors:?}"
    );
}

#[test]
fn a_content_type_header_must_be_one_the_operation_accepts() {
    let errors = compile(
        "unaccepted",
        "create",
        "    parameters:
    - {name: Content-Type, in: header, value: application/xml}
    requestBody:
      payload: {title: $inputs.title}",
    )
    .expect_err("the operation takes no XML");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("doc.yml:16:47")
            && errors[0]
                .contains("operation `create` does not accept content type `application/xml`"),
        "{errors:?}"
    );
}

#[test]
fn a_content_type_header_is_a_literal() {
    let errors = compile(
        "dynamic",
        "create",
        "    parameters:
    - {name: Content-Type, in: header, value: $inputs.title}
    requestBody:
      payload: {title: $inputs.title}",
    )
    .expect_err("the encoding cannot depend on an input");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].contains("parameter `Content-Type` must be a literal media type"),
        "{errors:?}"
    );
}

#[test]
fn other_undeclared_headers_are_still_refused() {
    let errors = compile(
        "undeclared",
        "create",
        "    parameters:
    - {name: X-Trace, in: header, value: x}
    requestBody:
      payload: {title: $inputs.title}",
    )
    .expect_err("X-Trace is not declared");
    assert!(
        errors[0].contains("operation `create` has no header parameter `X-Trace`"),
        "{errors:?}"
    );
}

#[test]
fn a_document_authorization_needs_no_builder_credential() {
    let without = compile(
        "credential",
        "show",
        "    parameters:
    - {name: id, in: path, value: 1}",
    )
    .expect("compiles");
    assert!(without.contains("SchemeKind :: HttpBearer"), "{without}");
    for (name, operation, parameters) in [
        (
            "oauth",
            "show",
            "    - {name: id, in: path, value: 1}\n    - {name: Authorization, in: header, value: $inputs.token}",
        ),
        (
            "bearer",
            "create",
            "    - {name: AUTHORIZATION, in: header, value: 'Bearer {$inputs.token}'}\n    requestBody:\n      payload: {}",
        ),
        (
            "digest",
            "digest",
            "    - {name: Authorization, in: header, value: $inputs.token}",
        ),
    ] {
        let code = compile(name, operation, &format!("    parameters:\n{parameters}"))
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        assert!(!code.contains("SchemeKind :: Http"), "{name}: {code}");
    }
}

#[test]
fn an_unsupported_scheme_still_needs_the_documents_authorization() {
    let errors = compile("no-digest", "digest", "").expect_err("digest cannot be applied");
    assert!(
        errors[0].contains("requires security this runtime cannot apply: `digest` (http (digest))"),
        "{errors:?}"
    );
}
