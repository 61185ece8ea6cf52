//! `xpath` criteria and Selector Objects at compile time: with the `xpath` feature the
//! expression is compiled with xee and its context must be able to be XML text; without it,
//! each is an error that says how to enable the feature.

mod support;

/// An API whose `getOrder` answers XML or (`getJson`) JSON only.
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
            application/xml:
              schema: {type: object}
  /json:
    get:
      operationId: getJson
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  xml: {type: string}
                  count: {type: integer}
";

/// A document (`version`) with one step calling `operation`, with this success criterion
/// and these outputs (YAML at the step's indentation + 4 and + 4).
fn document(version: &str, operation: &str, criterion: &str, outputs: &str) -> String {
    format!(
        "arazzo: {version}
info: {{title: t, version: '1'}}
sourceDescriptions:
- {{name: api, url: ./api.yml, type: openapi}}
workflows:
- workflowId: w
  inputs:
    type: object
    properties:
      count: {{type: integer}}
      xml: {{type: string}}
  steps:
  - stepId: get
    operationId: {operation}
    successCriteria:
{criterion}
    outputs:
{outputs}
"
    )
}

const CRITERION: &str = "    - context: $response.body
      condition: /Order/Status = 'open'
      type: xpath";

const OUTPUT: &str = "      status:
        context: $response.body
        selector: /Order/Status
        type: {type: xpath, version: xpath-30}";

fn order(version: &str, criterion: &str, outputs: &str) -> String {
    let doc = document(version, "getOrder", criterion, outputs);
    // getOrder takes an id.
    doc.replace(
        "    operationId: getOrder\n",
        "    operationId: getOrder\n    parameters:\n    - {name: id, in: path, value: 1}\n",
    )
}

fn assert_error(name: &str, doc: &str, line_col: &str, needles: &[&str]) {
    let errors = support::compile_with_api(name, API, doc).expect_err("does not compile");
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("doc.yml:{line_col}"))
                && needles.iter().all(|n| e.contains(n))),
        "no {needles:?} at {line_col} in {errors:#?}"
    );
}

#[cfg(feature = "xpath")]
mod enabled {
    use super::*;

    #[test]
    fn criteria_and_selectors_on_an_xml_body_compile() {
        let code = support::compile_with_api("ok", API, &order("1.1.0", CRITERION, OUTPUT))
            .expect("compiles");
        for expected in [
            "rt :: xpath_matches (& QUERY , \"/Order/Status = 'open'\" , & resp . text_operand ())",
            "rt :: xpath_select (& QUERY , \"/Order/Status\" , & resp . text_operand ()) ?",
            "pub status : Option < String >",
            "thread_local !",
        ] {
            assert!(code.contains(expected), "missing `{expected}` in {code}");
        }
    }

    #[test]
    fn a_1_0_document_compiles_xpath_criteria_of_every_version() {
        for kind in [
            "xpath",
            "{type: xpath, version: xpath-10}",
            "{type: xpath, version: xpath-20}",
            "{type: xpath, version: xpath-30}",
        ] {
            let criterion = CRITERION.replace("type: xpath", &format!("type: {kind}"));
            let outputs = "      id: $statusCode";
            support::compile_with_api("v10", API, &order("1.0.1", &criterion, outputs))
                .unwrap_or_else(|e| panic!("{kind}: {e:#?}"));
        }
    }

    #[test]
    fn an_expression_that_does_not_compile_is_located() {
        let criterion = CRITERION.replace("= 'open'", "= 'open");
        // The condition is on line 19, column 18; the selector on line 24, column 19.
        assert_error(
            "syntax",
            &order("1.1.0", &criterion, OUTPUT),
            "19:18",
            &["XPath `/Order/Status = 'open` does not compile: XPST0003"],
        );
        let output = OUTPUT.replace("/Order/Status", "/Order/nosuch(1)");
        assert_error(
            "function",
            &order("1.1.0", CRITERION, &output),
            "24:19",
            &["does not compile: XPST0017"],
        );
    }

    #[test]
    fn a_runtime_expression_inside_xpath_is_an_undeclared_variable() {
        let criterion = CRITERION.replace("/Order/Status = 'open'", "$statusCode = 200");
        assert_error(
            "variable",
            &order("1.1.0", &criterion, OUTPUT),
            "19:18",
            &["XPST0008", "XPath variable, not a runtime expression"],
        );
    }

    #[test]
    fn a_json_only_response_is_rejected() {
        let doc = document("1.1.0", "getJson", CRITERION, OUTPUT);
        // The criterion's and the selector's `context`.
        for line_col in ["16:16", "21:18"] {
            assert_error(
                "json",
                &doc,
                line_col,
                &[
                    "xpath needs an XML document",
                    "application/json: use `type: jsonpath`",
                ],
            );
        }
    }

    #[test]
    fn string_values_are_contexts_and_other_types_are_not() {
        // A string member of a JSON body, and a string input.
        let criterion = CRITERION.replace("$response.body", "$response.body#/xml");
        let output = OUTPUT.replace("$response.body", "$inputs.xml");
        support::compile_with_api(
            "strings",
            API,
            &document("1.1.0", "getJson", &criterion, &output),
        )
        .expect("compiles");
        let output = OUTPUT.replace("$response.body", "$inputs.count");
        assert_error(
            "integer",
            &document(
                "1.1.0",
                "getJson",
                CRITERION
                    .replace("$response.body", "$response.body#/xml")
                    .as_str(),
                &output,
            ),
            "21:18",
            &["xpath needs an XML document as text; `$inputs.count` is typed `Option<i64>`"],
        );
    }
}

#[cfg(not(feature = "xpath"))]
#[test]
fn without_the_feature_each_says_how_to_enable_it() {
    let doc = order("1.1.0", CRITERION, OUTPUT);
    let enable = "arazzo = { version = \"0.1\", features = [\"xpath\"] }";
    assert_error(
        "off",
        &doc,
        "19:18",
        &["`xpath` criteria need the `xpath` feature", enable],
    );
    assert_error(
        "off",
        &doc,
        "24:19",
        &["`xpath` selectors need the `xpath` feature", enable],
    );
}
