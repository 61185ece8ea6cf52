//! AsyncAPI sources and message steps (Arazzo 1.1, issue 16 part 2): reading AsyncAPI 3.0/3.1
//! documents, checking a step's operation or channel, `action`, `correlationId`, parameters,
//! payload and `$message` expressions with located errors, typing `$message` from the message
//! schemas, lowering message steps into the IR, and generating their code.

mod support;

use arazzo_compiler::ir::{self, MessageAction, Step};

/// An AsyncAPI 3.0 document of an order service: `placeOrder` (the application receives an
/// order and replies on `confirm-order`), `orderShipped` (the application sends a shipment
/// notice on `shipments/{region}`, with no `correlationId`).
const ASYNC: &str = r##"
asyncapi: 3.0.0
info: {title: Orders, version: "1.0.0"}
defaultContentType: application/json
servers:
  broker: {host: "localhost:1883", protocol: mqtt}
channels:
  place-order:
    address: place-order
    messages:
      request: {$ref: "#/components/messages/OrderRequest"}
  confirm-order:
    address: confirm-order
    messages:
      response: {$ref: "#/components/messages/OrderResponse"}
  shipments:
    address: "shipments/{region}"
    parameters:
      region: {}
    messages:
      shipped: {$ref: "#/components/messages/Shipped"}
operations:
  placeOrder:
    action: receive
    channel: {$ref: "#/channels/place-order"}
    messages: [{$ref: "#/channels/place-order/messages/request"}]
    reply:
      channel: {$ref: "#/channels/confirm-order"}
      messages: [{$ref: "#/channels/confirm-order/messages/response"}]
  orderShipped:
    action: send
    channel: {$ref: "#/channels/shipments"}
components:
  messages:
    OrderRequest:
      correlationId: {location: "$message.header#/orderRequestId"}
      headers:
        type: object
        required: [orderRequestId]
        properties:
          orderRequestId: {type: string}
      payload:
        type: object
        required: [petId]
        properties:
          petId: {type: integer}
          note: {type: string}
    OrderResponse:
      correlationId: {location: "$message.header#/orderRequestId"}
      headers:
        type: object
        properties:
          orderRequestId: {type: string}
      payload:
        type: object
        required: [orderId]
        properties:
          orderId: {type: integer}
          status: {type: string}
    Shipped:
      headers:
        type: object
        properties:
          traceId: {type: string}
      payload:
        type: object
        properties:
          orderId: {type: integer}
"##;

/// A 1.1 document with the AsyncAPI source `orders` and one workflow `w` with `steps` (YAML
/// list items at the steps' indentation).
fn doc(steps: &str) -> String {
    format!(
        "arazzo: 1.1.0\ninfo: {{title: Orders, version: 1.0.0}}\nsourceDescriptions:\n- {{name: orders, url: ./orders.yaml, type: asyncapi}}\nworkflows:\n- workflowId: w\n  inputs:\n    type: object\n    properties:\n      id: {{type: string}}\n  steps:\n{steps}"
    )
}

/// The send step of the pet-purchase example, corrected.
const SEND: &str = "  - stepId: send
    operationId: $sourceDescriptions.orders.placeOrder
    action: send
    parameters:
    - {name: orderRequestId, in: header, value: $inputs.id}
    requestBody:
      payload: {petId: 7}
";

/// The receive step of the pet-purchase example, corrected, with `extra` (YAML).
fn receive(extra: &str) -> String {
    format!(
        "  - stepId: confirm
    operationId: $sourceDescriptions.orders.placeOrder
    action: receive
    correlationId: $inputs.id
    dependsOn: [send]
{extra}"
    )
}

/// The checked program of `document`, or its errors as `line:col: message` (help).
fn check(document: &str) -> Result<ir::Program, Vec<String>> {
    arazzo_compiler::compile_text(document, &[("orders.yaml", ASYNC)])
        .map(|c| c.program)
        .map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    format!(
                        "{}:{}: {} ({})",
                        e.line,
                        e.col,
                        e.message,
                        e.help.unwrap_or_default()
                    )
                })
                .collect()
        })
}

/// The errors of `document`; panics when it checks.
fn errors(document: &str) -> Vec<String> {
    match check(document) {
        Ok(_) => panic!("the document checks:\n{document}"),
        Err(errors) => errors,
    }
}

fn step<'p>(program: &'p ir::Program, id: &str) -> &'p Step {
    program.workflows[0]
        .steps
        .iter()
        .find(|s| s.id == id)
        .expect("the step is lowered")
}

#[test]
fn the_corrected_send_receive_pair_checks_and_lowers_to_message_steps() {
    let outputs = "    successCriteria:
    - condition: $message.payload#/status == 'placed'
    outputs:
      orderId: $message.payload#/orderId
      status: $message.payload#/status
      request: $message.header.orderRequestId
    timeout: 6000
";
    let program = check(&doc(&format!("{SEND}{}", receive(outputs)))).expect("it checks");
    let send = step(&program, "send");
    let message = send.message.as_ref().expect("a message step");
    assert_eq!(message.action, MessageAction::Send);
    assert_eq!(message.operation.as_deref(), Some("placeOrder"));
    assert_eq!(message.channel, "place-order");
    assert!(!message.reply);
    assert_eq!(message.headers[0].name, "orderRequestId");
    assert!(message.payload.is_some());
    assert_eq!(message.content_type.as_deref(), Some("application/json"));
    assert_eq!(message.servers[0].protocol, "mqtt");
    assert_eq!(send.operation, "send placeOrder");

    let confirm = step(&program, "confirm");
    let message = confirm.message.as_ref().expect("a message step");
    assert_eq!(message.action, MessageAction::Receive);
    assert!(message.reply, "receives the reply of placeOrder");
    assert_eq!(message.channel, "confirm-order");
    assert_eq!(message.timeout_millis, 6000);
    let correlation = message.correlation.as_ref().expect("correlated");
    assert_eq!(correlation.location, "$message.header#/orderRequestId");
    // Typed from the message schemas like a response body: a required integer, an optional
    // string, an optional header.
    let types: Vec<(String, String)> = confirm
        .outputs
        .iter()
        .map(|o| (o.name.clone(), o.expr.ty().rust()))
        .collect();
    assert_eq!(
        types,
        [
            ("orderId".to_owned(), "i64".to_owned()),
            ("status".to_owned(), "Option<String>".to_owned()),
            ("request".to_owned(), "Option<String>".to_owned()),
        ]
    );
    assert_eq!(confirm.criteria.len(), 1);
}

#[test]
fn a_receive_step_without_timeout_waits_the_default() {
    let program = check(&doc(&format!("{SEND}{}", receive("")))).expect("it checks");
    let message = step(&program, "confirm").message.as_ref().expect("message");
    assert_eq!(message.timeout_millis, ir::DEFAULT_RECEIVE_TIMEOUT_MILLIS);
}

#[test]
fn message_steps_generate_a_send_a_subscription_and_a_broker_method() {
    let document = doc(&format!("{SEND}{}", receive("")));
    let code = arazzo_compiler::expand_text(&document, &[("orders.yaml", ASYNC)])
        .expect("message steps are generated");
    let code = code.tokens.to_string().replace(" ", "");
    for expected in [
        "pubfnbroker_orders_broker(",
        "pubfnbroker_orders_broker_credentials(",
        "default_url:\"mqtt://localhost:1883\"",
        ".send(&address,&message)",
        "broker.subscribe(&address)",
        "rt::message::correlates(m,\"$message.header#/orderRequestId\",&expected)",
        "asyncfnarm(",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
}

#[test]
fn a_channel_without_an_address_is_refused_when_generating() {
    let document = doc(&format!("{SEND}{}", receive("")));
    let dynamic = ASYNC.replace("    address: confirm-order\n", "    address: null\n");
    assert!(dynamic != ASYNC);
    let errors = arazzo_compiler::expand_text(&document, &[("orders.yaml", &dynamic)])
        .expect_err("no address to subscribe to");
    let shown: Vec<String> = errors
        .iter()
        .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.col, e.message))
        .collect();
    assert_eq!(
        shown,
        [
            "document.arazzo.yaml:19:5: step `confirm` uses a channel without a static `address`; code generation needs one"
        ]
    );
}

#[test]
fn action_is_required_and_says_which_fits() {
    let step = SEND.replace("    action: send\n", "");
    assert_eq!(
        errors(&doc(&step)),
        [
            "12:5: step `send` names AsyncAPI operation `placeOrder`, so it needs `action` (required on AsyncAPI steps) (add `action: send`: operation `placeOrder` has AsyncAPI `action: receive`: the application receives that message, so a workflow sends it, or `action: receive` to receive its reply)"
        ]
    );
}

#[test]
fn the_opposite_action_is_an_error_that_explains_the_direction() {
    let step = "  - stepId: ship
    operationId: orderShipped
    action: send
    parameters:
    - {name: region, in: channel, value: eu}
";
    assert_eq!(
        errors(&doc(step)),
        [
            "14:13: step `ship` would send to operation `orderShipped`, which has AsyncAPI `action: send`: AsyncAPI describes the application, and the workflow is its peer, so the application sends that message, so a workflow receives it; and the operation has no `reply` (write `action: receive`)"
        ]
    );
    let fixed = step.replace("action: send", "action: receive").replace(
        "    parameters:\n",
        "    outputs:\n      order: $message.payload#/orderId\n    parameters:\n",
    );
    let program = check(&doc(&fixed)).expect("the fix checks");
    let ship = program.workflows[0].steps[0]
        .message
        .as_ref()
        .expect("message");
    assert_eq!(ship.address.as_deref(), Some("shipments/{region}"));
    assert_eq!(ship.channel_params[0].name, "region");
}

#[test]
fn correlation_id_only_on_receive_steps_whose_message_declares_one() {
    let send = SEND.replace(
        "    action: send\n",
        "    action: send\n    correlationId: $inputs.id\n",
    );
    assert_eq!(
        errors(&doc(&send)),
        [
            "15:20: `correlationId` applies only to steps with `action: receive`, and step `send` sends (remove it: the message carries its correlation id at `$message.header#/orderRequestId`, which this step sets like any other part of the message)"
        ]
    );
    let shipped = "  - stepId: ship
    operationId: orderShipped
    action: receive
    correlationId: $inputs.id
    parameters:
    - {name: region, in: channel, value: eu}
";
    assert_eq!(
        errors(&doc(shipped)),
        [
            "15:20: operation `orderShipped` declares no `correlationId` for its message `shipped`, so step `ship` has nothing to match `correlationId` against (remove `correlationId` and test the message in `successCriteria`, or declare `correlationId.location` on the message in the AsyncAPI document)"
        ]
    );
}

#[test]
fn parameters_name_message_headers_and_address_parameters() {
    let step = "  - stepId: ship
    operationId: orderShipped
    action: receive
    parameters:
    - {name: regoin, in: channel, value: eu}
    - {name: page, in: query, value: 1}
";
    assert_eq!(
        errors(&doc(step)),
        [
            "12:5: step `ship` gives no value for parameter `region` of the address of channel `shipments` (add `- {name: region, in: channel, value: …}` to its `parameters`)",
            "16:14: the address of channel `shipments` has no parameter `regoin` (did you mean `region`?)",
            "17:24: `in: query` does not apply to step `ship`, which sends or receives a message (a message step takes `in: header` (a header of the message it sends) and `in: channel` (a parameter of the channel's address))",
        ]
    );
    let send = SEND.replace("name: orderRequestId", "name: orderRequestID2");
    assert_eq!(
        errors(&doc(&send)),
        [
            "16:14: the message `request` of operation `placeOrder` declares no header `orderRequestID2` (did you mean `orderRequestId`?)"
        ]
    );
    let send = SEND.replace(
        "    - {name: orderRequestId, in: header, value: $inputs.id}\n",
        "",
    );
    let send = send.replace("    parameters:\n", "");
    assert_eq!(
        errors(&doc(&send)),
        [
            "12:5: message `request` requires header `orderRequestId`, which step `send` does not send (add `- {name: orderRequestId, in: header, value: …}` to its `parameters`)"
        ]
    );
}

#[test]
fn a_payload_member_the_message_schema_does_not_declare_is_located() {
    let send = SEND.replace("{petId: 7}", "{petId: 7, petName: rex}");
    assert_eq!(
        errors(&doc(&send)),
        [
            "18:27: the message payload schema declares no member `petName` (expected `petId` or `note`)"
        ]
    );
    let send = SEND.replace("{petId: 7}", "{note: hi}");
    assert_eq!(
        errors(&doc(&send)),
        [
            "18:16: the message payload schema requires member `petId`, which this payload lacks (add `petId: …`)"
        ]
    );
}

#[test]
fn message_expressions_only_where_a_message_was_received() {
    let send = SEND.replace(
        "      payload: {petId: 7}\n",
        "      payload: {petId: 7}\n    outputs:\n      id: $message.payload#/orderId\n",
    );
    assert_eq!(
        errors(&doc(&send)),
        [
            "20:11: `$message.payload#/orderId` reads the message a step with `action: receive` received; it is only allowed in that step's success criteria, outputs and actions, not in a step output (a send step receives nothing: read the reply in the step that receives it (`action: receive`))"
        ]
    );
    let confirm = receive("    outputs:\n      code: $statusCode\n");
    assert_eq!(
        errors(&doc(&format!("{SEND}{confirm}"))),
        [
            "25:13: `$statusCode` reads an HTTP request or response, and this step sends or receives a message (read the received message with `$message.payload#/…` or `$message.header.<name>` (in a step with `action: receive`))"
        ]
    );
}

#[test]
fn message_pointers_and_headers_are_checked_against_the_schemas() {
    let confirm = receive(
        "    outputs:\n      id: $message.payload#/ordreId\n      h: $message.header.traceId\n",
    );
    assert_eq!(
        errors(&doc(&format!("{SEND}{confirm}"))),
        [
            "25:11: `$message.payload#/ordreId`: `ordreId` is not declared by the payload schema of message `response` at this point of the pointer, which lists `orderId` or `status` (did you mean `orderId`?)",
            "26:10: `$message.header.traceId`: the headers of message `response` declare no header `traceId` (expected `orderRequestId`)",
        ]
    );
    let confirm = receive("    outputs:\n      id: $message.payload.orderId\n");
    assert_eq!(
        errors(&doc(&format!("{SEND}{confirm}"))),
        [
            "25:11: `$message.payload.orderId`: a place in the payload is a JSON pointer after `#` (write `$message.payload#/orderId`)"
        ]
    );
}

#[test]
fn unknown_operations_and_channels_are_located_with_suggestions() {
    let confirm = receive("").replace("orders.placeOrder", "orders.confirmOrder");
    assert_eq!(
        errors(&doc(&format!("{SEND}{confirm}"))),
        [
            "20:18: AsyncAPI source `orders` has no operation `confirmOrder` (operation `placeOrder` replies on channel `confirm-order`: to receive its reply write `operationId: $sourceDescriptions.orders.placeOrder` with `action: receive`)"
        ]
    );
    let by_path = "  - stepId: listen
    channelPath: '{$sourceDescriptions.orders.url}#/channels/confirm-ordr'
    action: receive
";
    assert_eq!(
        errors(&doc(by_path)),
        [
            "13:18: AsyncAPI source `orders` has no channel `confirm-ordr` (did you mean `confirm-order`?)"
        ]
    );
    let fixed = by_path.replace("confirm-ordr", "confirm-order")
        + "    outputs:\n      id: $message.payload#/orderId\n";
    let program = check(&doc(&fixed)).expect("a channel by path");
    let listen = &program.workflows[0].steps[0];
    assert_eq!(
        listen.message.as_ref().map(|m| m.channel.as_str()),
        Some("confirm-order")
    );
    assert_eq!(listen.outputs[0].expr.ty().rust(), "i64");
}

#[test]
fn an_operation_path_to_an_asyncapi_source_names_the_operation_id() {
    let send = SEND.replace(
        "operationId: $sourceDescriptions.orders.placeOrder",
        "operationPath: $sourceDescriptions.orders.placeOrder",
    );
    assert_eq!(
        errors(&doc(&send)),
        [
            "13:20: `operationPath` names an operation of an OpenAPI document; `orders` is an AsyncAPI source, whose operations are named by `operationId` (and channels by `channelPath`) (write `operationId: $sourceDescriptions.orders.placeOrder`)"
        ]
    );
}

#[test]
fn only_asyncapi_3_is_read() {
    let old = ASYNC.replace("asyncapi: 3.0.0", "asyncapi: 2.6.0");
    let errors = arazzo_compiler::compile_text(&doc(SEND), &[("orders.yaml", &old)])
        .expect_err("2.6 is not read");
    assert_eq!(
        errors[0].message,
        "AsyncAPI version `2.6.0` is not supported"
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("this compiler reads AsyncAPI 3.0.x and 3.1.x documents")
    );
    let newer = ASYNC.replace("asyncapi: 3.0.0", "asyncapi: 3.1.0");
    assert!(arazzo_compiler::compile_text(&doc(SEND), &[("orders.yaml", &newer)]).is_ok());
}

#[test]
fn action_and_correlation_id_belong_to_asyncapi_steps() {
    let document = "arazzo: 1.1.0\ninfo: {title: T, version: 1.0.0}\nsourceDescriptions: [{name: api, url: ./api.json, type: openapi}]\nworkflows:\n- workflowId: w\n  steps:\n  - stepId: get\n    operationId: getIssue\n    action: send\n";
    let errors = arazzo_compiler::compile_text(document, &[("api.json", support::ISSUE_API)])
        .expect_err("action on an HTTP step");
    assert_eq!(
        errors[0].to_string(),
        "document.arazzo.yaml:9:13: `action` applies only to steps that name an AsyncAPI operation or channel, and step `get` does not; remove `action`, or name an operation of a `type: asyncapi` source"
    );
}

/// [`ASYNC`] with a second server, `backup`, that channel `confirm-order` lists.
fn two_servers(listed: &str) -> String {
    let two = ASYNC
        .replace(
            "  broker: {host: \"localhost:1883\", protocol: mqtt}\n",
            "  broker: {host: \"localhost:1883\", protocol: mqtt}\n  backup: {host: \"localhost:2883\", protocol: mqtt}\n",
        )
        .replace(
            "    address: confirm-order\n",
            &format!("    address: confirm-order\n    servers: [{{$ref: \"{listed}\"}}]\n"),
        );
    assert!(two != ASYNC);
    two
}

#[test]
fn a_step_uses_the_first_server_its_channel_lists() {
    let document = doc(&format!("{SEND}{}", receive("")));
    let api = two_servers("#/servers/backup");
    let program = arazzo_compiler::compile_text(&document, &[("orders.yaml", &api)])
        .expect("it checks")
        .program;
    let server = |id: &str| {
        let message = step(&program, id).message.as_ref().expect("message");
        message.servers[message.server].name.clone()
    };
    assert_eq!(server("send"), "broker", "place-order lists no servers");
    assert_eq!(server("confirm"), "backup");
    let code = arazzo_compiler::expand_text(&document, &[("orders.yaml", &api)])
        .expect("generated")
        .tokens
        .to_string()
        .replace(' ', "");
    assert!(code.contains("pubfnbroker_orders_backup("), "{code}");
    assert!(code.contains("cx.client.core.broker(1)"), "{code}");
}

#[test]
fn a_channel_server_ref_that_does_not_resolve_is_located() {
    let document = doc(&format!("{SEND}{}", receive("")));
    for (listed, message) in [
        (
            "#/servers/bakup",
            "orders.yaml:15:15: `$ref: #/servers/bakup` points at nothing",
        ),
        (
            "#/components/messages/Shipped",
            "orders.yaml:15:15: channel `confirm-order` lists a server that is not one of the document's `servers`",
        ),
    ] {
        let errors =
            arazzo_compiler::compile_text(&document, &[("orders.yaml", &two_servers(listed))])
                .expect_err("the server is unknown");
        let shown: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{}:{}: {}", e.file, e.line, e.col, e.message))
            .collect();
        assert!(
            shown.iter().any(|e| e.starts_with(message)),
            "{listed}: {shown:?}"
        );
    }
}

#[test]
fn security_schemes_get_a_builder_method_where_a_transport_carries_them() {
    let document = doc(&format!("{SEND}{}", receive("")));
    let secured = ASYNC
        .replace(
            "  broker: {host: \"localhost:1883\", protocol: mqtt}\n",
            "  broker:\n    host: \"localhost:1883\"\n    protocol: mqtt\n    security:\n    - {$ref: \"#/components/securitySchemes/login\"}\n    - {$ref: \"#/components/securitySchemes/cert\"}\n    - {$ref: \"#/components/securitySchemes/scram\"}\n    - {$ref: \"#/components/securitySchemes/bearer\"}\n",
        )
        .replace(
            "components:\n",
            "components:\n  securitySchemes:\n    login: {type: userPassword, description: The shop's broker account.}\n    cert: {type: X509}\n    scram: {type: scramSha256}\n    bearer: {type: http, scheme: bearer}\n",
        );
    let code = arazzo_compiler::expand_text(&document, &[("orders.yaml", &secured)])
        .expect("generated")
        .tokens
        .to_string();
    let compact = code.replace(' ', "");
    assert!(
        compact.contains("pubfnbroker_orders_broker_login(mutself,user:implInto<String>,password:implInto<::arazzo::Secret>)"),
        "{code}"
    );
    assert!(code.contains("The shop's broker account."), "{code}");
    assert!(
        code.contains("Its security schemes `cert` (X509), `scram` (scramSha256), `bearer` (http bearer) are carried by no transport"),
        "{code}"
    );
    for absent in [
        "broker_orders_broker_cert",
        "broker_orders_broker_scram",
        "broker_orders_broker_bearer",
    ] {
        assert!(!compact.contains(absent), "{absent}: {code}");
    }

    let broken = secured.replace(
        "#/components/securitySchemes/cert",
        "#/components/securitySchemes/crt",
    );
    let errors = arazzo_compiler::compile_text(&document, &[("orders.yaml", &broken)])
        .expect_err("the scheme is unknown");
    assert!(
        errors
            .iter()
            .any(|e| e.file == "orders.yaml" && e.line == 11 && e.message.contains("crt")),
        "{errors:?}"
    );
}

/// [`ASYNC`] whose `placeOrder` replies on the address its request carries in header
/// `replyTo`, on a channel without an address.
fn located_reply() -> String {
    let located = ASYNC
        .replace("    address: confirm-order\n", "    address: null\n")
        .replace(
            "    reply:\n      channel:",
            "    reply:\n      address: {location: \"$message.header#/replyTo\"}\n      channel:",
        )
        .replace(
            "          orderRequestId: {type: string}\n      payload:\n        type: object\n        required: [petId]",
            "          orderRequestId: {type: string}\n          replyTo: {type: string}\n      payload:\n        type: object\n        required: [petId]",
        );
    assert_eq!(located.matches("replyTo").count(), 2, "{located}");
    located
}

#[test]
fn a_reply_at_the_address_its_request_carries_subscribes_to_that_value() {
    let send = SEND.replace(
        "    - {name: orderRequestId, in: header, value: $inputs.id}\n",
        "    - {name: orderRequestId, in: header, value: $inputs.id}\n    - {name: replyTo, in: header, value: \"replies/{$inputs.id}\"}\n",
    );
    let document = doc(&format!("{send}{}", receive("")));
    let code = arazzo_compiler::expand_text(&document, &[("orders.yaml", &located_reply())])
        .expect("a channel without an address is fine for a located reply")
        .tokens
        .to_string()
        .replace(' ', "");
    assert!(
        code.contains("letaddress:String=rt::concat(&[&\"replies/\",&cx.inputs.id]);"),
        "{code}"
    );
}

#[test]
fn the_request_must_carry_the_reply_address_and_be_sent() {
    let api = located_reply();
    let document = doc(&format!("{SEND}{}", receive("")));
    let errors = arazzo_compiler::expand_text(&document, &[("orders.yaml", &api)])
        .expect_err("the request does not say where to reply");
    let shown: Vec<String> = errors
        .iter()
        .map(|e| {
            format!(
                "{}:{}: {} ({})",
                e.line,
                e.col,
                e.message,
                e.help.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "12:5: operation `placeOrder` replies to the address its request carries at `$message.header#/replyTo`, which step `send` does not set (add `- {name: replyTo, in: header, value: …}` to its `parameters`: the address the reply is to be sent to)"
        ]
    );

    let alone = doc(&receive("").replace("    dependsOn: [send]\n", ""));
    let errors = arazzo_compiler::expand_text(&alone, &[("orders.yaml", &api)])
        .expect_err("no request is sent");
    assert!(
        errors.iter().any(|e| e
            .message
            .contains("no step of this workflow sends that request")),
        "{errors:?}"
    );
}
