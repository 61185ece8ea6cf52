//! Source descriptions in OpenAPI 3.2 and Swagger 2.0: what each adds is read where a
//! workflow uses it, and errors in a Swagger document still point into it.

/// The generated tokens of `doc` over `api.yaml`, as text.
fn code(doc: &str, api: &str) -> String {
    arazzo_compiler::expand_text(doc, &[("api.yaml", api)])
        .unwrap_or_else(|e| panic!("{}", messages(&e).join("\n")))
        .tokens
        .to_string()
}

/// The messages of `doc` over `api.yaml`, which must not compile.
fn errors(doc: &str, api: &str) -> Vec<String> {
    match arazzo_compiler::expand_text(doc, &[("api.yaml", api)]) {
        Ok(_) => panic!("expected errors"),
        Err(e) => messages(&e),
    }
}

fn messages(diagnostics: &[arazzo_compiler::Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(ToString::to_string).collect()
}

/// An Arazzo document with one workflow whose steps are `steps` (YAML, indented by two).
fn doc(steps: &str) -> String {
    format!(
        "arazzo: 1.1.0
info: {{title: t, version: 1.0.0}}
sourceDescriptions: [{{name: api, url: ./api.yaml, type: openapi}}]
workflows:
- workflowId: w
  inputs:
    type: object
    properties:
      text: {{type: string}}
      tags: {{type: array, items: {{type: string}}}}
  steps:
{steps}"
    )
}

// ---- OpenAPI 3.2 ----------------------------------------------------------------------------

const API_3_2: &str = r##"openapi: 3.2.0
info: {title: t, version: "1"}
servers: [{url: "https://example.com/v1", name: prod}]
paths:
  /items:
    query:
      operationId: search
      requestBody:
        content:
          application/json:
            schema: {type: object}
      responses:
        "200":
          description: ok
          content:
            application/json:
              $ref: '#/components/mediaTypes/Page'
    additionalOperations:
      copy:
        operationId: copyItems
        responses:
          "200":
            description: ok
            content:
              application/jsonl:
                itemSchema: {type: object, properties: {id: {type: integer}}}
              application/json:
                itemSchema: {type: object, properties: {id: {type: integer}}}
  /find:
    get:
      operationId: find
      parameters:
      - name: q
        in: querystring
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object}
      responses:
        "200": {description: ok}
  /lookup:
    get:
      operationId: lookup
      parameters:
      - name: q
        in: querystring
        content:
          application/json:
            schema: {type: object}
      responses:
        "200": {description: ok}
components:
  mediaTypes:
    Page:
      schema:
        type: object
        required: [total]
        properties:
          total: {type: integer}
  securitySchemes:
    device:
      type: oauth2
      deprecated: true
      oauth2MetadataUrl: https://example.com/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://example.com/device
          tokenUrl: https://example.com/token
          scopes: {}
security:
- device: []
"##;

#[test]
fn openapi_3_2_query_method_and_additional_operations() {
    let tokens = code(
        &doc("
  - stepId: search
    operationPath: '{$sourceDescriptions.api.url}#/paths/~1items/query'
    requestBody: {payload: {a: 1}}
    outputs: {total: $response.body#/total}
  - stepId: copy
    operationPath: '{$sourceDescriptions.api.url}#/paths/~1items/additionalOperations/copy'
    outputs: {all: $response.body}
  - stepId: again
    operationId: copyItems
"),
        API_3_2,
    );
    assert!(tokens.contains("method : \"QUERY\""), "{tokens}");
    // The key as written, upper-cased for the request.
    assert!(tokens.contains("method : \"COPY\""), "{tokens}");
    // A response media type that is a `$ref` to `components.mediaTypes` types the body.
    assert!(tokens.contains("pub total : i64"), "{tokens}");
    // A media type described by `itemSchema` alone is untyped JSON.
    assert!(
        tokens.contains("pub all : Option < rt :: serde_json :: Value >"),
        "{tokens}"
    );
    // The oauth2 scheme (device authorization flow, metadata URL, deprecated) takes a token.
    assert!(
        tokens.contains("pub fn api_device (mut self , token : impl Into < String >)"),
        "{tokens}"
    );
}

#[test]
fn openapi_3_2_operation_paths_name_methods_as_written() {
    let errors = errors(
        &doc("
  - stepId: upper
    operationPath: '{$sourceDescriptions.api.url}#/paths/~1items/additionalOperations/COPY'
  - stepId: fixed
    operationPath: '{$sourceDescriptions.api.url}#/paths/~1items/copy'
"),
        API_3_2,
    );
    assert_eq!(
        errors,
        [
            "document.arazzo.yaml:14:20: source `api` has no operation at `/paths/~1items/additionalOperations/COPY`; point at `…/additionalOperations/copy`",
            "document.arazzo.yaml:16:20: source `api` has no operation at `/paths/~1items/copy`; point at `…/additionalOperations/copy`",
        ]
    );
}

#[test]
fn the_query_field_is_a_method_only_in_openapi_3_2() {
    let api = API_3_2.replace("openapi: 3.2.0", "openapi: 3.1.0");
    let errors = errors(
        &doc("
  - stepId: search
    operationId: search
"),
        &api,
    );
    assert_eq!(
        errors,
        [
            "document.arazzo.yaml:14:18: no source description defines operationId `search`; expected `find` or `lookup`"
        ]
    );
}

#[test]
fn additional_operations_need_method_names_no_fixed_field_has() {
    let api = API_3_2.replace(
        "      copy:\n",
        "      get:\n        operationId: badGet\n        responses: {}\n      not a method:\n        operationId: badName\n        responses: {}\n      copy:\n",
    );
    // Reported when a step calls them, at the key in the OpenAPI document.
    let errors = errors(
        &doc("
  - stepId: get
    operationId: badGet
  - stepId: name
    operationId: badName
"),
        &api,
    );
    assert_eq!(
        errors,
        [
            "api.yaml:19:7: `additionalOperations` may not hold `get`, a method the path item has a field for; move the operation to the path item's `get` field",
            "api.yaml:22:7: `not a method` is not an HTTP method name; a method name is a token: letters, digits and `!#$%&'*+-.^_`|~`, no spaces",
        ]
    );
    // An operation no step calls is no error of the build.
    code(
        &doc("
  - stepId: copy
    operationId: copyItems
"),
        &api,
    );
}

#[test]
fn querystring_parameters_are_the_whole_query_string() {
    let tokens = code(
        &doc("
  - stepId: find
    operationId: find
    parameters:
    - {name: q, in: querystring, value: 'a=1&text={$inputs.text}'}
  - stepId: lookup
    operationId: lookup
    parameters:
    - {name: q, in: querystring, value: '{\"a\":1}'}
"),
        API_3_2,
    );
    // Form-urlencoded content is query-ready: sent as written; JSON is encoded whole.
    assert!(
        tokens.contains(
            "req . query_string (rt :: concat (& [& \"a=1&text=\" , & cx . inputs . text]) , true)"
        ),
        "{tokens}"
    );
    assert!(
        tokens.contains("req . query_string (\"{\\\"a\\\":1}\" , false)"),
        "{tokens}"
    );
}

#[test]
fn querystring_parameters_are_checked() {
    let errors = errors(
        &doc("
  - stepId: find
    operationId: find
    parameters:
    - {name: q, in: querystring, value: {a: 1}}
  - stepId: missing
    operationId: find
  - stepId: misplaced
    operationId: lookup
    parameters:
    - {name: q, in: query, value: a=1}
"),
        API_3_2,
    );
    assert_eq!(
        errors,
        [
            "document.arazzo.yaml:16:41: the value of querystring parameter `q` must be a string: the whole query string; write it serialized, e.g. `a=1&b=2`",
            "document.arazzo.yaml:17:5: step `missing` does not supply required querystring parameter `q` of operation `find`; add `- name: q` with `in: querystring` and a `value` to `parameters`",
            "document.arazzo.yaml:22:14: operation `lookup` declares `q` as a querystring parameter, not query; write `in: querystring`",
        ]
    );
}

#[test]
fn openapi_versions() {
    let step = doc("
  - stepId: search
    operationId: search
");
    let errors_of = |version: &str| errors(&step, &API_3_2.replace("openapi: 3.2.0", version));
    assert_eq!(
        errors_of("openapi: 3.3.0"),
        [
            "api.yaml:1:10: OpenAPI version `3.3.0` is not supported; use OpenAPI 3.0.x, 3.1.x or 3.2.x, or Swagger 2.0"
        ]
    );
    assert_eq!(
        errors_of("swagger: '1.2'"),
        [
            "api.yaml:1:10: this Swagger version is not supported; use Swagger 2.0 (`swagger: \"2.0\"`) or OpenAPI 3.x"
        ]
    );
    assert!(code(&step, &API_3_2.replace("openapi: 3.2.0", "openapi: '3.2'")).contains("QUERY"));
}

// ---- Swagger 2.0 ----------------------------------------------------------------------------

const SWAGGER: &str = r##"swagger: "2.0"
info: {title: t, version: "1"}
host: api.example.com
basePath: /v2
schemes: [http]
consumes: [application/vnd.pets+json]
produces: [application/json, application/xml]
securityDefinitions:
  basic: {type: basic, description: Staff accounts.}
  key: {type: apiKey, name: key, in: query}
  oauth: {type: oauth2, flow: implicit, authorizationUrl: "https://example.com/auth", scopes: {}}
parameters:
  limit: {name: limit, in: query, type: integer, required: true}
  pet: {name: pet, in: body, required: true, schema: {$ref: '#/definitions/Pet'}}
responses:
  Pets:
    description: ok
    schema: {type: array, items: {$ref: '#/definitions/Pet'}}
    headers:
      X-Total: {type: integer}
paths:
  /pets:
    parameters:
    - $ref: '#/parameters/limit'
    get:
      operationId: list
      security: [{key: []}]
      parameters:
      - {name: csv, in: query, type: array, items: {type: string}}
      - {name: ssv, in: query, type: array, items: {type: string}, collectionFormat: ssv}
      - {name: tsv, in: query, type: array, items: {type: string}, collectionFormat: tsv}
      - {name: pipes, in: query, type: array, items: {type: string}, collectionFormat: pipes}
      - {name: multi, in: query, type: array, items: {type: string}, collectionFormat: multi}
      - {name: mode, in: header, type: string, enum: [fast, slow]}
      responses:
        "200": {$ref: '#/responses/Pets'}
    post:
      operationId: add
      security: [{basic: []}, {oauth: []}]
      parameters:
      - $ref: '#/parameters/pet'
      responses:
        "201":
          description: created
          schema: {$ref: '#/definitions/Pet'}
  /pets/{id}:
    parameters:
    - {name: id, in: path, type: integer, required: true}
    put:
      operationId: rename
      consumes: [application/x-www-form-urlencoded, multipart/form-data]
      produces: [application/xml]
      parameters:
      - {name: name, in: formData, type: string, required: true}
      - {name: note, in: formData, type: string}
      responses:
        "200": {description: ok, schema: {$ref: '#/definitions/Pet'}}
    post:
      operationId: upload
      parameters:
      - {name: photo, in: formData, type: file, required: true}
      responses:
        "204": {description: stored}
definitions:
  Pet:
    type: object
    required: [id, name]
    properties:
      id: {type: integer}
      name: {type: string}
"##;

#[test]
fn swagger_parameters_bodies_and_responses() {
    let tokens = code(
        &doc("
  - stepId: list
    operationId: list
    parameters:
    - {name: limit, in: query, value: 10}
    - {name: csv, in: query, value: $inputs.tags}
    - {name: ssv, in: query, value: $inputs.tags}
    - {name: tsv, in: query, value: $inputs.tags}
    - {name: pipes, in: query, value: $inputs.tags}
    - {name: multi, in: query, value: $inputs.tags}
    - {name: mode, in: header, value: fast}
    outputs:
      first: $response.body#/0/name
      total: $response.header.X-Total
  - stepId: add
    operationId: add
    parameters:
    - {name: limit, in: query, value: 1}
    requestBody:
      payload: {id: 1, name: Rex}
    outputs:
      id: $response.body#/id
  - stepId: rename
    operationId: rename
    parameters:
    - {name: id, in: path, value: $steps.add.outputs.id}
    requestBody:
      contentType: application/x-www-form-urlencoded
      payload: {name: Max}
    outputs:
      pet: $response.body
"),
        SWAGGER,
    );
    // `host`, `basePath` and the only scheme, `http`.
    assert!(
        tokens.contains("default_base_url : Some (\"http://api.example.com/v2\")"),
        "{tokens}"
    );
    // `collectionFormat`: csv (the default) and the delimited ones join, multi repeats.
    for (name, explode, delimiter) in [
        ("csv", false, ","),
        ("ssv", false, " "),
        ("tsv", false, "\\t"),
        ("pipes", false, "|"),
        ("multi", true, ","),
    ] {
        let call = format!(
            "req . query_list (\"{name}\" , & rt :: to_json (& cx . inputs . tags) ? , {explode} , \"{delimiter}\")"
        );
        assert!(tokens.contains(&call), "missing {call}: {tokens}");
    }
    // The body parameter: its schema, the root `consumes` (a JSON type).
    assert!(
        tokens.contains("req . json_body (\"application/vnd.pets+json\""),
        "{tokens}"
    );
    // Responses: the schema under the `produces` types (JSON of them types the outputs),
    // `$ref`s to `#/responses` and `#/definitions` followed; an XML-only response body is
    // read as text.
    assert!(tokens.contains("pub first : Option < String >"), "{tokens}");
    assert!(tokens.contains("pub id : i64"), "{tokens}");
    assert!(
        tokens.contains("pub pet : String") && tokens.contains("pet : resp . text ()"),
        "{tokens}"
    );
    // The form parameters are a form body.
    assert!(
        tokens.contains("req . form_body (\"application/x-www-form-urlencoded\""),
        "{tokens}"
    );
    // basic → HTTP basic, apiKey as is, oauth2 → a bearer token.
    assert!(
        tokens.contains("pub fn api_basic (mut self , username"),
        "{tokens}"
    );
    assert!(tokens.contains("Staff accounts."), "{tokens}");
    assert!(
        tokens.contains("pub fn api_key (mut self , key"),
        "{tokens}"
    );
    assert!(
        tokens.contains("pub fn api_oauth (mut self , token"),
        "{tokens}"
    );
}

#[test]
fn swagger_requests_are_checked_like_openapi_ones() {
    let errors = errors(
        &doc("
  - stepId: list
    operationId: list
    parameters:
    - {name: mode, in: header, value: medium}
  - stepId: add
    operationId: add
    parameters:
    - {name: limit, in: query, value: 1}
  - stepId: upload
    operationId: upload
    parameters:
    - {name: id, in: path, value: 1}
    requestBody:
      contentType: application/x-www-form-urlencoded
      payload: {photo: x}
"),
        SWAGGER,
    );
    assert_eq!(
        errors,
        [
            // The path item's `$ref: '#/parameters/limit'`; the enum of an inline `type`.
            "document.arazzo.yaml:13:5: step `list` does not supply required query parameter `limit` of operation `list`; add `- name: limit` with `in: query` and a `value` to `parameters`",
            "document.arazzo.yaml:16:39: `medium` is not an allowed value of parameter `mode`; expected `fast` or `slow`",
            // A required body parameter.
            "document.arazzo.yaml:17:5: operation `add` requires a request body and step `add` has no `requestBody`; add `requestBody` with `contentType` `application/vnd.pets+json`",
            // A `type: file` form field: multipart only.
            "document.arazzo.yaml:26:20: operation `upload` does not accept content type `application/x-www-form-urlencoded`; it accepts `multipart/form-data`",
        ]
    );
}

#[test]
fn swagger_base_urls() {
    let step = doc("
  - stepId: list
    operationId: list
    parameters:
    - {name: limit, in: query, value: 1}
");
    let base = |api: String| {
        let tokens = code(&step, &api);
        let at = tokens
            .find("default_base_url : ")
            .expect("a base URL field");
        tokens[at..]
            .split(',')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    assert_eq!(
        base(SWAGGER.replace("schemes: [http]", "schemes: [http, https]")),
        "default_base_url : Some (\"https://api.example.com/v2\")"
    );
    assert_eq!(
        base(
            SWAGGER
                .replace("schemes: [http]\n", "")
                .replace("basePath: /v2", "basePath: /")
        ),
        "default_base_url : Some (\"https://api.example.com\")"
    );
    assert_eq!(
        base(SWAGGER.replace("basePath: /v2", "basePath: v2/")),
        "default_base_url : Some (\"http://api.example.com/v2\")"
    );
    assert_eq!(
        base(SWAGGER.replace("host: api.example.com\n", "")),
        "default_base_url : None"
    );
}

#[test]
fn swagger_errors_point_into_the_swagger_file() {
    let api = SWAGGER
        .replace("- $ref: '#/parameters/limit'", "- $ref: '#/parameters/limt'")
        .replace("collectionFormat: ssv", "collectionFormat: spaces")
        .replace(
            "      - {name: note, in: formData, type: string}",
            "      - {name: note, in: formData, type: string}\n      - {name: extra, in: body, schema: {type: object}}",
        )
        .replace("\"200\": {$ref: '#/responses/Pets'}", "\"200\": {$ref: '#/responses/Pet'}");
    let errors = errors(
        &doc("
  - stepId: list
    operationId: list
  - stepId: rename
    operationId: rename
    parameters:
    - {name: id, in: path, value: 1}
"),
        &api,
    );
    assert_eq!(
        errors,
        [
            // `$ref`s are read as in an OpenAPI 3 document.
            "api.yaml:24:7: `$ref: #/parameters/limt` points at nothing (no `limt`)",
            // Swagger's own.
            "api.yaml:30:86: `collectionFormat: spaces` is not a Swagger 2.0 collection format; use csv, ssv, tsv, pipes or multi",
            "api.yaml:36:23: `$ref: #/responses/Pet` points at nothing (no `Pet`)",
            "api.yaml:54:9: an operation cannot have both an `in: body` and `in: formData` parameters; send the form fields as properties of the body's schema, or drop the body parameter",
        ]
    );
    // Swagger's own errors are reported when a step calls the operation, not otherwise.
    code(
        &doc("
  - stepId: add
    operationId: add
    parameters:
    - {name: limit, in: query, value: 1}
    requestBody:
      payload: {id: 1, name: Rex}
"),
        &api.replace("'#/parameters/limt'", "'#/parameters/limit'"),
    );
}

#[test]
fn swagger_refs_into_other_files() {
    let api = SWAGGER
        .replace("- $ref: '#/parameters/limit'", "- $ref: 'common.yaml#/parameters/limit'")
        .replace(
            "\"201\":\n          description: created\n          schema: {$ref: '#/definitions/Pet'}",
            "\"201\": {$ref: 'common.yaml#/responses/Created'}",
        );
    let common = r##"parameters:
  limit: {name: limit, in: query, type: integer, required: true}
responses:
  Created:
    description: created
    schema: {$ref: '#/definitions/Pet'}
definitions:
  Pet:
    type: object
    required: [code]
    properties:
      code: {type: string}
"##;
    let doc = doc("
  - stepId: add
    operationId: add
    parameters:
    - {name: limit, in: query, value: 1}
    requestBody:
      payload: {id: 1, name: Rex}
    outputs:
      code: $response.body#/code
");
    let tokens = arazzo_compiler::expand_text(&doc, &[("api.yaml", &api), ("common.yaml", common)])
        .unwrap_or_else(|e| panic!("{}", messages(&e).join("\n")))
        .tokens
        .to_string();
    // The response's schema `$ref` is resolved in the file it is written in.
    assert!(tokens.contains("pub code : String"), "{tokens}");
    assert!(tokens.contains("req . query (\"limit\""), "{tokens}");
}

#[test]
fn status_codes_written_unquoted_type_responses() {
    let step = doc("
  - stepId: add
    operationId: add
    parameters:
    - {name: limit, in: query, value: 1}
    requestBody:
      payload: {id: 1, name: Rex}
    outputs:
      id: $response.body#/id
");
    // `x-nullable: true`, the common Swagger 2.0 extension, makes a property an `Option`.
    let nullable = SWAGGER.replace(
        "      name: {type: string}\n",
        "      name: {type: string, x-nullable: true}\n",
    );
    let tokens = code(
        &step.replace("id: $response.body#/id", "name: $response.body#/name"),
        &nullable,
    );
    assert!(tokens.contains("pub name : Option < String >"), "{tokens}");
    // A media type range that admits JSON types the body too.
    let tokens = code(
        &step,
        &SWAGGER.replace(
            "produces: [application/json, application/xml]",
            "produces: ['*/*']",
        ),
    );
    assert!(tokens.contains("pub id : i64"), "{tokens}");
    // YAML reads `201:` as an integer key, in Swagger 2.0 and OpenAPI 3 documents alike.
    let tokens = code(&step, &SWAGGER.replace("\"201\":", "201:"));
    assert!(tokens.contains("pub id : i64"), "{tokens}");
    let api = r#"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: add
      parameters: [{name: limit, in: query, schema: {type: integer}}]
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses:
        201:
          description: created
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: integer}}}
"#;
    assert!(code(&step, api).contains("pub id : i64"));
}
