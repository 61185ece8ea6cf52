//! Hostile documents end in a located error, not a panic, a stack overflow, a hang or an
//! exhausted memory: a 10 MB document, nesting 10,000 levels deep (flow and block style) and
//! an alias bomb ("billion laughs").

mod support;

use support::Scratch;

/// Compiles `text` as `workflows/doc.yml` and returns its diagnostics, rendered.
fn errors(name: &str, text: &str) -> Vec<String> {
    let scratch = Scratch::with_sources(name);
    scratch.write("workflows/doc.yml", text.as_bytes());
    match scratch.expand("workflows/doc.yml") {
        Ok(_) => panic!("{name}: the document compiled"),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            for d in &diagnostics {
                assert_eq!(d.file, "workflows/doc.yml", "{d}");
                assert!(d.line >= 1 && d.col >= 1, "not located: {d}");
            }
            diagnostics.iter().map(ToString::to_string).collect()
        }
    }
}

fn assert_mentions(all: &[String], needle: &str) {
    assert!(
        all.iter().any(|d| d.contains(needle)),
        "expected a diagnostic containing `{needle}`, got:\n{}",
        all.join("\n")
    );
}

const HEAD: &str = "arazzo: 1.0.1\ninfo:\n  title: t\n  version: 1.0.0\nsourceDescriptions:\n- name: queryApi\n  url: ../openapi/mixpanel-query-openapi.yml\n  type: openapi\n";

#[test]
fn flow_sequences_nested_10000_deep() {
    let depth = 10_000;
    let text = format!(
        "{HEAD}workflows: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let all = errors("flow-seq", &text);
    assert_mentions(&all, "nests deeper than");
}

#[test]
fn flow_mappings_nested_10000_deep() {
    let depth = 10_000;
    let text = format!(
        "{HEAD}workflows: {}1{}\n",
        "{a: ".repeat(depth),
        "}".repeat(depth)
    );
    let all = errors("flow-map", &text);
    assert_mentions(&all, "nests deeper than");
}

#[test]
fn block_sequences_nested_10000_deep() {
    let depth = 10_000;
    let text = format!("{HEAD}workflows:\n{}x\n", "- ".repeat(depth));
    let all = errors("block-seq", &text);
    assert_mentions(&all, "nests deeper than");
}

#[test]
fn block_mappings_nested_10000_deep() {
    let depth = 10_000;
    let mut text = format!("{HEAD}workflows:\n");
    for level in 1..=depth {
        text.push_str(&" ".repeat(level));
        text.push_str("a:\n");
    }
    let all = errors("block-map", &text);
    assert_mentions(&all, "nests deeper than");
}

#[test]
fn mixed_nesting_10000_deep() {
    let depth = 10_000;
    let mut text = format!("{HEAD}workflows:\n");
    for level in 0..depth / 2 {
        text.push_str(&" ".repeat(2 * level));
        text.push_str("- a:\n");
    }
    let all = errors("mixed", &text);
    assert_mentions(&all, "nests deeper than");
}

#[test]
fn billion_laughs() {
    let mut text = format!(
        "{HEAD}lol: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        text.push_str(&format!(
            "{next}{next}: &{next} [{}]\n",
            vec![format!("*{prev}"); 10].join(",")
        ));
    }
    text.push_str("workflows: *j\n");
    let all = errors("laughs", &text);
    assert_mentions(&all, "the document's aliases expand to too much");
}

#[test]
fn ten_megabytes_of_small_nodes() {
    let mut text = format!("{HEAD}workflows:\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("- {workflowId: w, steps: [{stepId: s, operationId: o}]}\n");
    }
    let all = errors("10mb-nodes", &text);
    assert_mentions(&all, "the document has more than 250000 values");
}

/// A valid document whose workflow description is 10 MB long compiles (into a long doc
/// comment).
#[test]
fn ten_megabytes_in_one_scalar() {
    let description = "x".repeat(10 * 1024 * 1024);
    let doc = shallow_doc().replace(
        "- workflowId: w\n",
        &format!("- workflowId: w\n  description: {description}\n"),
    );
    let api = DEEP_API.replace('@', "{type: object}");
    compile_deep("10mb-scalar", &doc, &api).expect("compiles");
}

#[test]
fn ten_megabytes_of_steps() {
    let mut text = format!("{HEAD}workflows:\n- workflowId: w\n  steps:\n");
    let mut i = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!(
            "  - stepId: s{i}\n    operationId: queryApi.segmentaton\n    successCriteria:\n    - condition: $steps.s{}.outputs.x == 1\n",
            i + 1
        ));
        i += 1;
    }
    let all = errors("10mb-steps", &text);
    assert_mentions(&all, "the document has more than 250000 values");
}

/// A document nested exactly as deep as the parser allows parses; one level more does not.
#[test]
fn the_depth_limit_is_exact() {
    let max = arazzo_compiler::yaml::MAX_DEPTH;
    let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let parse = |text: &str| arazzo_compiler::yaml::parse(text, arazzo_compiler::diag::FileId(0));
    assert!(parse(&nested(max)).is_ok());
    let err = parse(&nested(max + 1)).expect_err("too deep");
    assert_eq!(
        err.message,
        format!("the document nests deeper than {max} levels")
    );
    assert_eq!((err.line, err.col), (1, max as u32 + 1));
}

/// `{a: ` opened `n` times around `leaf`.
fn nest_maps(n: usize, leaf: &str) -> String {
    format!("{}{leaf}{}", "{a: ".repeat(n), "}".repeat(n))
}

/// Replaces `@` in `template` by `fill(n)` for the largest `n` that still parses.
fn deepest(template: &str, fill: impl Fn(usize) -> String) -> String {
    let mut n = arazzo_compiler::yaml::MAX_DEPTH;
    loop {
        let text = template.replace('@', &fill(n));
        if arazzo_compiler::yaml::parse(&text, arazzo_compiler::diag::FileId(0)).is_ok() {
            return text;
        }
        n -= 1;
    }
}

const DEEP_API: &str = "openapi: 3.1.0
info: {title: deep, version: '1'}
servers: [{url: 'https://example.invalid'}]
paths:
  /x:
    post:
      operationId: op
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: @
";

const DEEP_DOC: &str = "arazzo: 1.0.1
info: {title: deep, version: 1.0.0}
sourceDescriptions:
- {name: api, url: ../openapi/deep.yml, type: openapi}
workflows:
- workflowId: w
  inputs: INPUTS
  steps:
  - stepId: s
    operationId: op
    requestBody: {contentType: application/json, payload: PAYLOAD}
    successCriteria:
    - condition: COND
    outputs:
      deep: $response.body#POINTER
  outputs:
    deep: $steps.s.outputs.deep
";

/// Compiles `doc` against the OpenAPI document `api`.
fn compile_deep(name: &str, doc: &str, api: &str) -> Result<(), Vec<String>> {
    let scratch = Scratch::new(name);
    scratch.write("openapi/deep.yml", api.as_bytes());
    scratch.write("workflows/doc.yml", doc.as_bytes());
    scratch
        .expand("workflows/doc.yml")
        .map(drop)
        .map_err(|all| all.iter().map(ToString::to_string).collect())
}

fn shallow_doc() -> String {
    DEEP_DOC
        .replace("INPUTS", "{type: object}")
        .replace("PAYLOAD", "{a: 1}")
        .replace("COND", "$statusCode == 200")
        .replace("POINTER", "/a")
}

fn object_schema(n: usize) -> String {
    format!(
        "{}{{type: string}}{}",
        "{type: object, properties: {a: ".repeat(n),
        "}}".repeat(n)
    )
}

#[test]
fn the_deepest_payload_the_parser_allows_compiles() {
    let doc = deepest(
        &shallow_doc().replace("payload: {a: 1}", "payload: @"),
        |n| nest_maps(n, "1"),
    );
    let api = DEEP_API.replace('@', "{type: object}");
    compile_deep("deep-payload", &doc, &api).expect("compiles");
}

#[test]
fn the_deepest_inputs_schema_the_parser_allows_compiles() {
    let doc = deepest(
        &shallow_doc().replace("inputs: {type: object}", "inputs: @"),
        object_schema,
    );
    let api = DEEP_API.replace('@', "{type: object}");
    compile_deep("deep-inputs", &doc, &api).expect("compiles");
}

#[test]
fn the_deepest_response_schema_and_pointer_compile() {
    let api = deepest(DEEP_API, object_schema);
    let levels = api.matches("properties").count();
    let pointer = "/a".repeat(levels);
    let doc = shallow_doc().replace("#/a\n", &format!("#{pointer}\n"));
    compile_deep("deep-response", &doc, &api).expect("compiles");
    let wrong = shallow_doc().replace("#/a\n", &format!("#{pointer}/b\n"));
    let all = compile_deep("deep-response-wrong", &wrong, &api).expect_err("no `b`");
    assert_mentions(&all, "`b` is not declared by the response schema");
}

#[test]
fn a_chain_of_five_thousand_schema_references() {
    let n = 5_000;
    let mut api = DEEP_API.replace('@', "{$ref: '#/components/schemas/s0'}");
    api.push_str("components:\n  schemas:\n");
    for i in 0..n {
        api.push_str(&format!(
            "    s{i}: {{type: object, properties: {{a: {{$ref: '#/components/schemas/s{}'}}}}}}\n",
            (i + 1) % n
        ));
    }
    let doc = shallow_doc().replace("#/a\n", &format!("#{}\n", "/a".repeat(n)));
    compile_deep("ref-chain", &doc, &api).expect("compiles");
    let inputs = shallow_doc().replace(
        "inputs: {type: object}",
        "inputs: {type: object, properties: {x: {$ref: '#/components/inputs/i0'}}}",
    );
    let mut with_inputs = inputs.clone();
    with_inputs.push_str("components:\n  inputs:\n");
    for i in 0..n {
        with_inputs.push_str(&format!(
            "    i{i}: {{type: object, properties: {{a: {{$ref: '#/components/inputs/i{}'}}}}}}\n",
            (i + 1) % n
        ));
    }
    compile_deep("ref-chain-inputs", &with_inputs, &api).expect("compiles");
}

#[test]
fn the_deepest_condition_compiles() {
    let max = arazzo_compiler::condition::MAX_DEPTH;
    let api = DEEP_API.replace('@', "{type: object}");
    for cond in [
        format!("{}$statusCode == 200{}", "(".repeat(max), ")".repeat(max)),
        format!("{}$statusCode == 200", "!".repeat(max)),
        vec!["$statusCode == 200"; max + 1].join(" || "),
    ] {
        let doc = shallow_doc().replace("$statusCode == 200", &format!("'{cond}'"));
        compile_deep("deep-cond", &doc, &api).expect("compiles");
    }
    let too_deep = format!("{}$statusCode == 200", "!".repeat(10_000));
    let doc = shallow_doc().replace("$statusCode == 200", &format!("'{too_deep}'"));
    let all = compile_deep("deep-cond", &doc, &api).expect_err("too deep");
    assert_mentions(&all, "nests deeper than");
}

/// Workflows that call workflows, 5,000 links long (the checker orders the calls).
#[test]
fn a_chain_of_five_thousand_workflow_calls() {
    let n = 5_000;
    let api = DEEP_API.replace('@', "{type: object}");
    let mut doc = shallow_doc().replace("workflowId: w\n", "workflowId: w0\n");
    for i in 1..n {
        doc.push_str(&format!(
            "- workflowId: w{i}\n  steps:\n  - stepId: s\n    workflowId: w{}\n",
            i - 1
        ));
    }
    compile_deep("workflow-chain", &doc, &api).expect("compiles");
}

/// One megabyte of text, referred to 3,000 times: 3 GB if aliases were copied without limit.
#[test]
fn aliases_of_a_large_string() {
    let text = format!(
        "{HEAD}big: &a \"{}\"\nworkflows: [{}]\n",
        "x".repeat(1_000_000),
        vec!["*a"; 3_000].join(", ")
    );
    let all = errors("big-alias", &text);
    assert_mentions(&all, "the document's text adds up to more than 64 MiB");
}

/// The path from the scratch directory's `workflows/` to `absolute`, through `../`.
fn climbing_to(scratch: &Scratch, absolute: &str) -> String {
    let depth = scratch.path().join("workflows").components().count();
    format!(
        "{}{}",
        "../".repeat(depth),
        absolute.trim_start_matches('/')
    )
}

/// A source or a `$ref` naming a device (`/dev/zero` would be read until memory runs out) or a
/// named pipe (opening one blocks until a writer comes) is refused without reading it.
#[test]
fn devices_and_pipes_are_not_read() {
    let scratch = Scratch::new("devices");
    let mut names = vec![climbing_to(&scratch, "/dev/zero")];
    #[cfg(unix)]
    {
        let fifo = scratch.path().join("workflows/pipe.yml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "mkfifo (coreutils) is needed to test named pipes"
        );
        names.push("./pipe.yml".to_owned());
    }
    for url in names {
        let doc = format!(
            "arazzo: 1.0.1\ninfo: {{title: t, version: 1.0.0}}\nsourceDescriptions:\n- name: api\n  url: {url}\n  type: openapi\nworkflows: []\n"
        );
        scratch.write("workflows/doc.yml", doc.as_bytes());
        let started = std::time::Instant::now();
        let errors = scratch.expand("workflows/doc.yml").expect_err(&url);
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("is not a regular file")),
            "{url}: {errors:?}"
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(30),
            "{url}"
        );
        // A `$ref` inside an OpenAPI document is refused the same way.
        let api = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /x:\n    get:\n      operationId: x\n      responses:\n        '200': {{$ref: '{url}'}}\n"
        );
        scratch.write("workflows/api.yml", api.as_bytes());
        let doc = "arazzo: 1.0.1\ninfo: {title: t, version: 1.0.0}\nsourceDescriptions:\n- name: api\n  url: ./api.yml\n  type: openapi\nworkflows:\n- workflowId: w\n  steps:\n  - stepId: s\n    operationId: x\n";
        scratch.write("workflows/doc.yml", doc.as_bytes());
        let errors = scratch.expand("workflows/doc.yml").expect_err(&url);
        assert!(
            errors
                .iter()
                .any(|e| e.to_string().contains("is not a regular file")),
            "$ref {url}: {errors:?}"
        );
    }
}

/// A document that is not UTF-8 is an error at the first bad byte's line and column, with no
/// suggestion (it used to be "line 0, column 0" and "did you mean" the same file).
#[test]
fn invalid_utf8_is_located_at_the_byte() {
    let scratch = Scratch::new("utf8");
    scratch.write(
        "workflows/doc.yml",
        b"arazzo: 1.0.1\ninfo:\n  title: caf\xe9 au lait\n  version: 1.0.0\n",
    );
    let errors = scratch.expand("workflows/doc.yml").expect_err("not UTF-8");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].line, errors[0].col), (3, 13), "{}", errors[0]);
    assert!(errors[0].message.contains("not UTF-8"), "{}", errors[0]);
    assert_eq!(errors[0].help, None);
}

/// A typed criterion in place of the step's condition.
fn with_typed_criterion(kind: &str, condition: &str) -> String {
    shallow_doc().replace(
        "    - condition: $statusCode == 200\n",
        &format!(
            "    - condition: '{}'\n      context: $response.body\n      type: {kind}\n",
            condition.replace('\'', "''")
        ),
    )
}

/// Nested JSONPath filters used to overflow the stack (100,000 levels: `arazzo check` aborted,
/// rustc died) or take exponential time (24 levels, 97 characters: 40 s); the query's nesting
/// and length are bounded before it is parsed.
#[test]
fn deeply_nested_jsonpath_filters_are_refused_quickly() {
    let api = DEEP_API.replace('@', "{type: object}");
    for levels in [11, 24, 100_000] {
        let query = format!("${}{}", "[?@".repeat(levels), "]".repeat(levels));
        let started = std::time::Instant::now();
        let errors = compile_deep(
            "jsonpath-deep",
            &with_typed_criterion("jsonpath", &query),
            &api,
        )
        .expect_err("too deep");
        let bound = if query.len() > 4_096 {
            "bytes long"
        } else {
            "nests brackets"
        };
        assert!(errors.iter().any(|e| e.contains(bound)), "{errors:?}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{levels}"
        );
    }
    let long = format!("$[?@.a == '{}']", "x".repeat(5_000));
    let errors = compile_deep(
        "jsonpath-long",
        &with_typed_criterion("jsonpath", &long),
        &api,
    )
    .expect_err("too long");
    assert!(
        errors.iter().any(|e| e.contains("bytes long")),
        "{errors:?}"
    );
    // Ten levels, within the bound, compile.
    let query = format!("${}{}", "[?@".repeat(10), "]".repeat(10));
    compile_deep(
        "jsonpath-ten",
        &with_typed_criterion("jsonpath", &query),
        &api,
    )
    .expect("ten levels compile");
}

/// A regex that parses but exceeds the regex engine's size limit is a compile-time error (it
/// used to pass and then never match at run time).
#[test]
fn a_regex_too_large_for_the_engine_is_refused() {
    let api = DEEP_API.replace('@', "{type: object}");
    let errors = compile_deep(
        "regex-large",
        &with_typed_criterion("regex", r"\w{1000}{1000}"),
        &api,
    )
    .expect_err("too large");
    assert!(
        errors.iter().any(|e| e.contains("does not compile")),
        "{errors:?}"
    );
}

/// "Did you mean" compares names at a cost of the product of their lengths: 100 references
/// to unknown 3,000-character step ids used to take 96 s. Names longer than the suggestion
/// limit are not compared, and messages quote at most 1,000 characters of anything.
#[test]
fn long_unknown_names_are_not_compared_for_suggestions() {
    let long = "s".repeat(3_000);
    let mut doc = String::from(
        "arazzo: 1.0.1\ninfo: {title: t, version: 1.0.0}\nsourceDescriptions:\n- {name: api, url: ../openapi/deep.yml, type: openapi}\nworkflows:\n- workflowId: w\n  steps:\n",
    );
    doc.push_str(&format!("  - stepId: {long}a\n    operationId: op\n"));
    doc.push_str("  - stepId: last\n    operationId: op\n    outputs:\n");
    for i in 0..100 {
        doc.push_str(&format!("      o{i}: $steps.{long}{i}.outputs.x\n"));
    }
    let api = DEEP_API.replace('@', "{type: object}");
    let started = std::time::Instant::now();
    let errors = compile_deep("long-names", &doc, &api).expect_err("unknown steps");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    assert!(errors.len() >= 100, "{}", errors.len());
    for e in &errors {
        assert!(!e.contains("did you mean"), "{e}");
        // A message and a help of at most 1,000 characters each, with the location.
        assert!(
            e.chars().count() < 2_100,
            "{} characters",
            e.chars().count()
        );
    }
}

/// One anchor reused by a hundred aliases (generators write `successCriteria: &ok` once and
/// `*ok` on every step) compiles: only what aliases replay is bounded, which stops the alias
/// bomb above.
#[test]
fn one_anchor_reused_by_many_aliases_compiles() {
    let api = DEEP_API.replace('@', "{type: object}");
    let mut doc = String::from(
        "arazzo: 1.0.1\ninfo: {title: t, version: 1.0.0}\nsourceDescriptions:\n- {name: api, url: ../openapi/deep.yml, type: openapi}\nworkflows:\n- workflowId: w\n  steps:\n  - stepId: s0\n    operationId: op\n    successCriteria: &ok\n    - condition: $statusCode == 200\n",
    );
    for i in 1..=101 {
        doc.push_str(&format!(
            "  - stepId: s{i}\n    operationId: op\n    successCriteria: *ok\n"
        ));
    }
    compile_deep("anchor-reused", &doc, &api).expect("compiles");
}

/// One component reached by many paths inside one value (here 3^12 paths: each level has
/// three properties of the next level's type) is typed once per value: typing took minutes
/// on real vendor documents (a 760 KB OpenAPI file never finished) and is now linear.
#[test]
fn a_component_reached_by_many_paths_is_typed_once() {
    let mut schemas = String::new();
    for level in 0..12 {
        let next = format!("{{\"$ref\": \"#/components/schemas/L{}\"}}", level + 1);
        schemas.push_str(&format!(
            "\"L{level}\": {{\"type\": \"object\", \"properties\": {{\"a\": {next}, \"b\": {next}, \"c\": {next}}}}},"
        ));
    }
    schemas.push_str(
        "\"L12\": {\"type\": \"object\", \"properties\": {\"leaf\": {\"type\": \"string\"}}}",
    );
    let api = format!(
        r##"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
      "paths": {{"/tree": {{"get": {{"operationId": "tree", "responses": {{"200": {{"description": "ok",
        "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/L0"}}}}}}}}}}}}}}}},
      "components": {{"schemas": {{{schemas}}}}}}}"##
    );
    let doc = "arazzo: 1.0.1
info: {title: t, version: '1'}
sourceDescriptions: [{name: api, url: api.json, type: openapi}]
workflows:
  - workflowId: w
    steps:
      - stepId: tree
        operationId: tree
        outputs: {tree: $response.body}
";
    let tokens = arazzo_compiler::expand_text(doc, &[("api.json", &api)])
        .unwrap_or_else(|e| panic!("{e:#?}"))
        .tokens
        .to_string();
    // One struct per level, not one per path.
    assert!(tokens.matches("pub struct").count() < 40, "{tokens}");
}
