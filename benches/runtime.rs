//! What one step of generated code costs without the network (issue 7, measure 2).
//!
//! ```sh
//! cargo bench --bench runtime
//! ```
//!
//! `per_step` runs a 20-step workflow (`benches/fixtures/twenty.arazzo.yml`: each step a path
//! parameter from the previous step's output, a header, two criteria, two typed outputs)
//! against a server that answers from memory; `per_step_handwritten` sends the same 20
//! requests with reqwest by hand. The client runs on a current-thread runtime on the benchmark
//! thread and the server on its own thread, so divan's allocation counts are the client's
//! alone. Divide by 20 for one step. The seed workflow against hand-written code is
//! `benches/overhead.rs`.

use std::sync::LazyLock;
use std::time::Duration;

use arazzo::reqwest;
use divan::{AllocProfiler, Bencher};
use serde::Deserialize;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

mod chain {
    arazzo::arazzo_workflow!("benches/fixtures/twenty.arazzo.yml");
}

/// The 20-step chain's server: answers every `GET /items/{id}` from memory, on its own thread
/// and runtime so that its allocations are not counted as the client's.
static ITEMS_URL: LazyLock<String> = LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            const ITEM: &str = r#"{"id":"a","next":"a","count":3}"#;
            let app = axum::Router::new().route(
                "/items/{id}",
                axum::routing::get(|| async {
                    (
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        ITEM,
                    )
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("addr");
            tx.send(format!("http://{addr}")).expect("send address");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server address")
});

/// A current-thread runtime for the client side of the per-step benchmarks.
fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime")
}

/// One run of the 20-step chain (divide time and allocations by 20 for one step).
#[divan::bench(sample_count = 500)]
fn per_step(bencher: Bencher) {
    let runtime = client_runtime();
    let client = chain::Client::builder()
        .base_url_items(ITEMS_URL.as_str())
        .build()
        .expect("client");
    let inputs = || chain::chain::Inputs {
        start: "a".to_owned(),
        trace: "bench".to_owned(),
    };
    // Warm the connection pool so every sample reuses one connection.
    runtime
        .block_on(chain::chain::run(&client, inputs()))
        .expect("warm-up run");
    bencher.with_inputs(inputs).bench_local_values(|inputs| {
        let out = runtime
            .block_on(chain::chain::run(&client, inputs))
            .expect("chain run");
        divan::black_box(out)
    });
}

#[derive(Deserialize)]
#[allow(dead_code)] // decoded as the generated code decodes it; `id` is not read
struct Item {
    id: String,
    next: String,
    count: i64,
}

/// The same 20 requests by hand: path from the previous answer, the header, status and
/// `count >= 0` checked, the item decoded. The baseline that `per_step` is compared with.
#[divan::bench(sample_count = 500)]
fn per_step_handwritten(bencher: Bencher) {
    let runtime = client_runtime();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let base = reqwest::Url::parse(&format!("{}/", ITEMS_URL.as_str())).expect("base URL");
    let chain = |start: String| {
        let (http, base) = (&http, &base);
        async move {
            let mut id = start;
            let mut count = 0;
            for _ in 0..20 {
                let mut url = base.clone();
                url.path_segments_mut()
                    .map_err(|()| "base URL cannot have segments")?
                    .pop_if_empty()
                    .extend(["items", id.as_str()]);
                let response = http
                    .get(url)
                    .header("trace", "bench")
                    .timeout(Duration::from_secs(30))
                    .send()
                    .await?;
                if response.status() != 200 {
                    return Err(format!("HTTP {}", response.status()).into());
                }
                let item: Item = serde_json::from_slice(&response.bytes().await?)?;
                if item.count < 0 {
                    return Err("count < 0".into());
                }
                (id, count) = (item.next, item.count);
            }
            Ok::<_, BoxError>((id, count))
        }
    };
    runtime
        .block_on(chain("a".to_owned()))
        .expect("warm-up run");
    bencher
        .with_inputs(|| "a".to_owned())
        .bench_local_values(|start| {
            let out = runtime.block_on(chain(start)).expect("chain run");
            divan::black_box(out)
        });
}
