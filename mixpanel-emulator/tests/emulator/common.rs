//! Small reqwest helpers shared by the tests.

use std::time::Duration;

use mixpanel_emulator::{Config, EmulatorHandle};
use serde_json::Value;

/// An answer, fully read.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON; panics with the body text when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A client that never goes through a proxy.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client builds")
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("request is answered");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("body is read").to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

pub async fn start() -> EmulatorHandle {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> EmulatorHandle {
    mixpanel_emulator::start_with(config)
        .await
        .expect("emulator starts")
        .1
}

/// POST `body` as JSON to `base + path_and_query`.
pub async fn post_json(base: &str, path_and_query: &str, body: &Value) -> Reply {
    let bytes = serde_json::to_vec(body).expect("serializable");
    send(
        client()
            .post(format!("{base}{path_and_query}"))
            .header("content-type", "application/json")
            .body(bytes),
    )
    .await
}

/// POST an identity link with the service account's basic auth.
pub async fn identify(emulator: &EmulatorHandle, anon: &str, user: &str) -> Reply {
    let config = emulator.config();
    let body = serde_json::json!({
        "$identified_id": user,
        "$anon_id": anon,
        "$token": config.project_token,
    });
    send(
        client()
            .post(format!("{}/identity/create", emulator.identity_base_url()))
            .basic_auth(
                &config.service_account_username,
                Some(&config.service_account_secret),
            )
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&body).expect("serializable")),
    )
    .await
}

/// POST `{"data": data}` to `/track?token=<token>&verbose=1`.
pub async fn track(emulator: &EmulatorHandle, data: Value) -> Reply {
    let path = format!("/track?token={}&verbose=1", emulator.config().project_token);
    post_json(
        &emulator.ingestion_base_url(),
        &path,
        &serde_json::json!({ "data": data }),
    )
    .await
}

/// An event at `time` (unix seconds) for `distinct_id`.
pub fn event(name: &str, distinct_id: &str, time: i64) -> Value {
    serde_json::json!({"event": name, "properties": {"distinct_id": distinct_id, "time": time}})
}

/// GET `/segmentation?<query>` with the service account's basic auth.
pub async fn segmentation(emulator: &EmulatorHandle, query: &str) -> Reply {
    let config = emulator.config();
    send(
        client()
            .get(format!(
                "{}/segmentation?{query}",
                emulator.query_base_url()
            ))
            .basic_auth(
                &config.service_account_username,
                Some(&config.service_account_secret),
            ),
    )
    .await
}

/// The `{"status": 1, "error": null}` success body.
pub fn ok_body() -> Value {
    serde_json::json!({"status": 1, "error": null})
}

/// A `{"status": 0, "error": message}` failure body.
pub fn status_error(message: &str) -> Value {
    serde_json::json!({"status": 0, "error": message})
}
