//! `secrets = ["stepId.output"]`: a step output (a login token read from a response) is masked
//! like a configured credential wherever it flows, here a request body a failing server echoes.

mod support;

use support::Reply;

arazzo::arazzo_workflow!(
    "tests/fixtures/headers/headers.arazzo.yml",
    secrets = ["login.token"]
);

#[tokio::test]
async fn a_step_output_named_secret_is_masked_in_errors() {
    const TOKEN: &str = "sess-77a0c2";
    let server = support::start(vec![
        Reply::json(200, serde_json::json!({"token": TOKEN})),
        Reply::raw(
            500,
            "text/plain",
            &format!("no title like 'session {TOKEN}'"),
        ),
    ])
    .await;
    let client = Client::builder()
        .base_url_tracker(&server.url)
        .tracker_bearer("configured-bearer")
        .build()
        .expect("client builds");
    let error = login_and_note::run(
        &client,
        login_and_note::Inputs {
            user: "ada".into(),
            password: "pw".into(),
        },
    )
    .await
    .expect_err("the server fails");
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(display.contains("no title like 'session ***'"), "{display}");
    assert!(
        !display.contains(TOKEN) && !debug.contains(TOKEN),
        "{display}\n{debug}"
    );
    // Its step's outputs print `***` for it.
    let progress = login_and_note::Progress::of(&error).expect("the run's progress");
    let login = progress.login.as_ref().expect("login completed");
    assert_eq!(login.token, TOKEN);
    let outputs = format!("{login:?}");
    assert!(
        !outputs.contains(TOKEN) && outputs.contains("***"),
        "{outputs}"
    );
    // The token was sent as the document says; the client's own bearer went with it.
    let seen = &server.seen()[1];
    assert_eq!(seen.body, format!(r#"{{"title":"session {TOKEN}"}}"#));
    assert!(
        seen.headers
            .iter()
            .any(|(n, v)| n == "authorization" && v == "Bearer configured-bearer")
    );
}
