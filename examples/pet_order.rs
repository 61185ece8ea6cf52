//! An HTTP step and the Arazzo specification's pet-order send/receive pair, on a real MQTT
//! broker: find an available pet, send the order message, receive the confirmation whose
//! `orderRequestId` header matches.
//!
//! ```sh
//! cargo run --example pet_order
//! ```
//!
//! The workflow is `examples/workflows/pet-order.arazzo.yml`, its AsyncAPI source the
//! specification's `pet-asyncapi.yaml` (a Kafka server there; the broker URL set on the client
//! picks MQTT instead). This program starts mosquitto (`/usr/sbin/mosquitto`, Debian package
//! `mosquitto`) on a free port, serves the HTTP API on 127.0.0.1, and runs a responder that
//! answers each order on `confirm-order`: first with another order's id (skipped by the
//! workflow's `correlationId`), then with the order's own.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use arazzo::message::{Broker, Message};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

arazzo::arazzo_workflow!("examples/workflows/pet-order.arazzo.yml");

const MOSQUITTO: &str = "/usr/sbin/mosquitto";

/// The broker process; stopped when dropped.
struct Mosquitto {
    child: Child,
    dir: std::path::PathBuf,
}

impl Drop for Mosquitto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts mosquitto on a free port of 127.0.0.1 and waits until it accepts connections.
async fn start_mosquitto() -> Result<(Mosquitto, u16), Box<dyn std::error::Error>> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dir = std::env::temp_dir().join(format!("arazzo-pet-order-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let config = dir.join("mosquitto.conf");
    std::fs::write(
        &config,
        format!("listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"),
    )?;
    let child = Command::new(MOSQUITTO)
        .arg("-c")
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let broker = Mosquitto { child, dir };
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return Ok((broker, port));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Err("mosquitto did not start listening within 5 s".into())
}

/// Answers each order on `place-order` on `confirm-order`: a wrong correlation id first.
async fn responder(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let broker = Broker::connect(url).await?;
    let mut orders = broker.subscribe("place-order").await?;
    tokio::spawn(async move {
        let mut next_order = 1000;
        while let Ok(order) = orders.next(Duration::from_secs(30)).await {
            let id = order
                .header("orderRequestId")
                .unwrap_or_default()
                .to_owned();
            println!(
                "responder: order {id} with {}",
                String::from_utf8_lossy(&order.payload)
            );
            next_order += 1;
            let other = Message::new(json!({"orderId": 1}).to_string())
                .with_header("orderRequestId", "somebody-else");
            let own = Message::new(json!({"orderId": next_order}).to_string())
                .with_header("orderRequestId", id);
            for reply in [other, own] {
                if let Err(error) = broker.send("confirm-order", &reply).await {
                    eprintln!("responder: {error}");
                }
            }
        }
    });
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    if !std::path::Path::new(MOSQUITTO).exists() {
        eprintln!(
            "this example needs an MQTT broker: install the Debian package `mosquitto` \
             (apt-get install mosquitto), which provides {MOSQUITTO}"
        );
        std::process::exit(1);
    }
    let (_mosquitto, port) = start_mosquitto().await?;
    let mqtt = format!("mqtt://127.0.0.1:{port}");

    let app = Router::new().route(
        "/pets",
        get(|| async { Json(json!([{"id": 7, "name": "Rex"}, {"id": 9, "name": "Tom"}])) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let http = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    responder(&mqtt).await?;

    let client = Client::builder()
        .base_url_pet_store(&http)
        .broker_async_order_api_local_kafka(&mqtt)
        .build()?;
    let out = order_pet::run(
        &client,
        order_pet::Inputs {
            order_correlation_id: "order-42".into(),
        },
    )
    .await?;
    let pet = out.pet_name.as_deref().unwrap_or("(no name)");
    println!("ordered {pet} (order {})", out.order_id);
    Ok(())
}
