//! Synthetic Arazzo documents of any size, for the compiler benchmarks: `steps` steps in one
//! workflow, each calling its own operation of an OpenAPI document with as many operations.
//!
//! Step `i` calls `getItem{i}` (`GET /items{i}/{id}`) with the path parameter taken from step
//! `i-1`'s output, one query parameter from the inputs, a two-part success criterion and two
//! typed outputs, so the checker resolves every kind of reference once per step.

/// The file name under which [`openapi`] is referenced by [`arazzo`].
pub const OPENAPI_FILE: &str = "items.openapi.json";

/// An Arazzo document with one workflow of `steps` steps.
pub fn arazzo(steps: usize) -> String {
    let mut doc = format!(
        "arazzo: 1.0.1
info:
  title: Synthetic {steps}
  version: 1.0.0
sourceDescriptions:
- name: items
  url: ./{OPENAPI_FILE}
  type: openapi
workflows:
- workflowId: chain
  summary: {steps} steps, each reading the item the previous one named.
  inputs:
    type: object
    required: [start, tag]
    properties:
      start:
        type: string
      tag:
        type: string
  steps:
"
    );
    for i in 0..steps {
        let id = if i == 0 {
            "$inputs.start".to_owned()
        } else {
            format!("$steps.s{}.outputs.next", i - 1)
        };
        doc.push_str(&format!(
            "  - stepId: s{i}
    operationId: getItem{i}
    parameters:
    - name: id
      in: path
      value: {id}
    - name: tag
      in: query
      value: $inputs.tag
    successCriteria:
    - condition: $statusCode == 200 && $response.body#/count >= 0
    outputs:
      next: $response.body#/next
      count: $response.body#/count
"
        ));
    }
    let last = steps.saturating_sub(1);
    doc.push_str(&format!(
        "  outputs:\n    next: $steps.s{last}.outputs.next\n    count: $steps.s{last}.outputs.count\n"
    ));
    doc
}

/// An OpenAPI 3.1 document (JSON) with `operations` operations `getItem{i}`.
pub fn openapi(operations: usize) -> String {
    let paths: serde_json::Map<String, serde_json::Value> = (0..operations)
        .map(|i| {
            let operation = serde_json::json!({
                "get": {
                    "operationId": format!("getItem{i}"),
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": "tag", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": "The item.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
                        }
                    }
                }
            });
            (format!("/items{i}/{{id}}"), operation)
        })
        .collect();
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "Items", "version": "1.0.0"},
        "servers": [{"url": "http://localhost"}],
        "paths": paths,
        "components": {"schemas": {"Item": {
            "type": "object",
            "required": ["id", "next", "count"],
            "properties": {
                "id": {"type": "string"},
                "next": {"type": "string"},
                "count": {"type": "integer"}
            }
        }}}
    })
    .to_string()
}
