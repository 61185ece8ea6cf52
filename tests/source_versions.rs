//! Source descriptions in the other OpenAPI versions: a Swagger 2.0 document (a `body`
//! parameter, query arrays with `collectionFormat`, a `formData` form, `#/parameters` and
//! `#/definitions` references, `securityDefinitions`) and an OpenAPI 3.2 document (the `query`
//! method, a custom method of `additionalOperations`, a `querystring` parameter, a response
//! media type from `components.mediaTypes`), each driving a generated workflow against a
//! scripted server on 127.0.0.1.

mod support;

use serde_json::json;
use support::Reply;

mod swagger {
    arazzo::arazzo_workflow!("tests/fixtures/swagger/pets.arazzo.yaml");
}

mod openapi32 {
    arazzo::arazzo_workflow!("tests/fixtures/openapi32/catalog.arazzo.yaml");
}

fn header<'a>(seen: &'a support::Seen, name: &str) -> Option<&'a str> {
    seen.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_swagger_2_source_drives_a_workflow() {
    let pet = json!({"id": 7, "name": "Rex", "status": "available"});
    let server = support::start(vec![
        Reply::json(201, pet.clone()).header("location", "/v2/pets/7"),
        Reply::json(200, json!([pet])),
        Reply::json(200, pet),
        Reply::json(
            200,
            json!({"id": 7, "name": "Rex the Second", "status": "sold"}),
        ),
    ])
    .await;
    // The document's `host` is not this server: the base URL, with its `basePath`, is set.
    let client = swagger::Client::builder()
        .base_url_store(format!("{}/v2", server.url))
        .store_basic("staff", "secret")
        .store_api_key("k-1")
        .build()
        .expect("client builds");
    let out = swagger::adopt::run(
        &client,
        swagger::adopt::Inputs {
            name: "Rex".into(),
            tags: vec!["small".into(), "brown dog".into()],
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.id, 7);
    assert_eq!(out.location, "/v2/pets/7");
    assert_eq!(out.first.as_deref(), Some("Rex"));
    assert_eq!(out.status, swagger::store::PetStatus::Available);
    assert_eq!(out.renamed, "Rex the Second");

    let seen = server.seen();
    let wire: Vec<(&str, &str, Option<&str>)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str(), s.query.as_deref()))
        .collect();
    assert_eq!(
        wire,
        [
            ("POST", "/v2/pets", None),
            // `pipes` joins the items with `|` in one pair; `multi` repeats the name.
            (
                "GET",
                "/v2/pets/findByTags",
                Some("tags=small%7Cbrown+dog&status=available&status=pending")
            ),
            ("GET", "/v2/pets/7", None),
            ("POST", "/v2/pets/7", None),
        ]
    );
    // The `in: body` parameter is the JSON request body.
    assert_eq!(seen[0].content_type.as_deref(), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).expect("JSON body");
    assert_eq!(body, json!({"name": "Rex", "tags": ["small", "brown dog"]}));
    // `type: basic` is HTTP basic; `type: apiKey` a header.
    assert_eq!(
        header(&seen[0], "authorization"),
        Some("Basic c3RhZmY6c2VjcmV0")
    );
    assert_eq!(header(&seen[1], "api_key"), Some("k-1"));
    assert_eq!(header(&seen[1], "x-request-id"), Some("find-7"));
    // The `formData` parameters are a form body.
    assert_eq!(
        seen[3].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(seen[3].body, "name=Rex+the+Second&status=sold");
}

#[tokio::test]
async fn an_openapi_3_2_source_drives_a_workflow() {
    let server = support::start(vec![
        Reply::json(
            200,
            json!({"total": 3, "items": [{"sku": "A-1"}, {"sku": "B-2"}]}),
        ),
        Reply::json(200, json!({"dropped": 2})),
        Reply::raw(
            200,
            "application/jsonl",
            "{\"kind\":\"purge\"}\n{\"kind\":\"purge\"}\n",
        ),
    ])
    .await;
    let client = openapi32::Client::builder()
        .base_url_catalog(format!("{}/api", server.url))
        .catalog_device("tok")
        .build()
        .expect("client builds");
    let out = openapi32::tidy::run(
        &client,
        openapi32::tidy::Inputs {
            text: "red mug".into(),
            before: "2026-01-01".into(),
        },
    )
    .await
    .expect("workflow succeeds");
    assert_eq!(out.total, 3);
    assert_eq!(out.first.as_deref(), Some("A-1"));
    assert_eq!(out.dropped, 2);

    let seen = server.seen();
    let wire: Vec<(&str, &str, Option<&str>)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str(), s.query.as_deref()))
        .collect();
    assert_eq!(
        wire,
        [
            // The `query` field of the path item: the QUERY method, with a body.
            ("QUERY", "/api/products", None),
            // `additionalOperations.purge`: the method as written, upper-cased.
            ("PURGE", "/api/products", Some("before=2026-01-01")),
            // The `querystring` parameter is the whole query string.
            ("GET", "/api/events", Some("kind=purge&since=2026-01-01")),
        ]
    );
    let body: serde_json::Value = serde_json::from_str(&seen[0].body).expect("JSON body");
    assert_eq!(body, json!({"text": "red mug", "limit": 2}));
    // An OAuth 2.0 scheme (device authorization flow) takes a bearer token.
    for request in &seen {
        assert_eq!(header(request, "authorization"), Some("Bearer tok"));
    }
}
