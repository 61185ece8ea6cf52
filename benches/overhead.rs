//! What the generated code costs at run time against hand-written reqwest (issue 7,
//! measure 1): the seed workflow through the generated `run`, and a hand-written function that
//! sends the same three requests (same method, URL, query, headers, JSON bodies, basic auth;
//! checked byte for byte against the emulator's record) and decodes the same typed values, on
//! the same in-process Mixpanel emulator, the same `reqwest::Client` and the same tokio
//! runtime.
//!
//! ```sh
//! cargo bench --bench overhead            # ROUNDS=5000 for more rounds
//! bench/instructions.sh                    # the same comparison in instructions (valgrind)
//! ```
//!
//! A paired harness rather than divan: each round times one generated batch and one
//! hand-written batch back to back (alternating which goes first), so drift on a shared
//! machine hits both alike. A batch is 1 run, or 64 runs at once (spawned on the runtime and
//! joined). The emulator is reset before every batch, so its memory does not grow. Prints the
//! median, 10th and 90th percentile of each and the ratio of the medians.
//!
//! With `OVERHEAD_ONLY=generated` (or `hand-written`) it runs only that variant, `ROUNDS` runs
//! one at a time, and times nothing: for `bench/instructions.sh`, which counts the
//! instructions of such processes under valgrind, a measure that a busy machine does not move.

use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use arazzo::reqwest;
use serde::Deserialize;
use serde_json::json;

mod seed {
    arazzo::arazzo_workflow!("workflows/mixpanel.yml");
}

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(2000);
    let env: &'static SeedEnv = &SEED;
    // Both variants must produce the same outputs, or the comparison means nothing.
    check_same_outputs(env);
    if let Ok(only) = std::env::var("OVERHEAD_ONLY") {
        run_only(env, &only, rounds);
        return;
    }
    println!("seed workflow, {rounds} rounds per concurrency, medians (p10 .. p90):");
    for concurrency in [1, 64] {
        let rounds = if concurrency == 1 { rounds } else { rounds / 8 };
        let (mut generated, mut by_hand) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            let time_generated = || batch(env, concurrency, run_generated);
            let time_by_hand = || batch(env, concurrency, run_by_hand);
            if round % 2 == 0 {
                generated.push(time_generated());
                by_hand.push(time_by_hand());
            } else {
                by_hand.push(time_by_hand());
                generated.push(time_generated());
            }
        }
        let g = percentiles(&mut generated);
        let h = percentiles(&mut by_hand);
        println!(
            "  concurrency {concurrency:>2}: generated {} | hand-written {} | ratio {:.3}",
            show(g),
            show(h),
            g.1.as_secs_f64() / h.1.as_secs_f64()
        );
    }
}

/// `OVERHEAD_ONLY`: `rounds` runs of one variant, one at a time, each on a fresh emulator
/// (as in a timed batch).
fn run_only(env: &'static SeedEnv, variant: &str, rounds: usize) {
    match variant {
        "generated" => (0..rounds).for_each(|_| {
            batch(env, 1, run_generated);
        }),
        "hand-written" => (0..rounds).for_each(|_| {
            batch(env, 1, run_by_hand);
        }),
        other => panic!("OVERHEAD_ONLY is `generated` or `hand-written`, not `{other}`"),
    }
}

/// One run of the generated `run`.
async fn run_generated(
    env: &'static SeedEnv,
    inputs: seed::identity_resolve_and_track::Inputs,
) -> Result<(), String> {
    seed::identity_resolve_and_track::run(&env.generated, inputs)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// One run of the hand-written version.
async fn run_by_hand(
    env: &'static SeedEnv,
    inputs: seed::identity_resolve_and_track::Inputs,
) -> Result<(), String> {
    seed_by_hand(env, &inputs)
        .await
        .map(drop)
        .map_err(|e| e.to_string())
}

/// Runs `concurrency` copies of a workflow at once and returns the wall time; panics when one
/// fails (a benchmark of a failing run would measure the wrong thing).
fn batch<F, Fut>(env: &'static SeedEnv, concurrency: usize, one: F) -> Duration
where
    F: Fn(&'static SeedEnv, seed::identity_resolve_and_track::Inputs) -> Fut,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    env.emulator.reset();
    let inputs: Vec<_> = (0..concurrency).map(|i| seed_inputs(env, i)).collect();
    let started = Instant::now();
    env.runtime.block_on(async {
        if concurrency == 1 {
            for input in inputs {
                if let Err(e) = one(env, input).await {
                    panic!("run failed: {e}");
                }
            }
            return;
        }
        let mut set = tokio::task::JoinSet::new();
        for input in inputs {
            set.spawn(one(env, input));
        }
        while let Some(done) = set.join_next().await {
            match done {
                Ok(Ok(())) => {}
                Ok(Err(e)) => panic!("run failed: {e}"),
                Err(e) => panic!("task failed: {e}"),
            }
        }
    });
    started.elapsed()
}

/// (p10, median, p90).
fn percentiles(times: &mut [Duration]) -> (Duration, Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.1), at(0.5), at(0.9))
}

fn show((p10, median, p90): (Duration, Duration, Duration)) -> String {
    format!("{median:>9.1?} ({p10:.1?} .. {p90:.1?})")
}

/// Runs both once and compares what they return, and what the emulator received.
fn check_same_outputs(env: &'static SeedEnv) {
    env.emulator.reset();
    let generated = env
        .runtime
        .block_on(seed::identity_resolve_and_track::run(
            &env.generated,
            seed_inputs(env, 0),
        ))
        .expect("generated run");
    let sent_generated = env.emulator.requests();
    env.emulator.reset();
    let by_hand = env
        .runtime
        .block_on(seed_by_hand(env, &seed_inputs(env, 0)))
        .expect("hand-written run");
    let sent_by_hand = env.emulator.requests();
    assert_eq!(
        (
            generated.identity_status,
            generated.track_status,
            &generated.values
        ),
        (
            by_hand.identity_status,
            by_hand.track_status,
            &by_hand.values
        )
    );
    let shape = |sent: &[mixpanel_emulator::RecordedRequest]| {
        sent.iter()
            .map(|r| {
                let headers: Vec<_> = r.headers.iter().filter(|(n, _)| n != "host").collect();
                format!(
                    "{} {} {:?} {headers:?} {:?}",
                    r.method, r.path, r.raw_query, r.body
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        shape(&sent_generated),
        shape(&sent_by_hand),
        "the same requests"
    );
}

/// The emulator, one `reqwest::Client`, the generated client on it, and a tokio runtime.
struct SeedEnv {
    runtime: tokio::runtime::Runtime,
    emulator: mixpanel_emulator::EmulatorHandle,
    http: reqwest::Client,
    generated: seed::Client,
}

static SEED: LazyLock<SeedEnv> = LazyLock::new(|| {
    // One thread for client and emulator alike: no cross-thread wake-ups, so the two
    // variants are compared on CPU work, not on the scheduler's luck.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let config = mixpanel_emulator::Config {
        query_rate_limit_per_hour: None,
        query_concurrency_limit: None,
        ..mixpanel_emulator::Config::default()
    };
    let (_addr, emulator) = runtime
        .block_on(mixpanel_emulator::start_with(config))
        .expect("emulator starts");
    // What the generated client uses by default: no redirects, pooled connections.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("reqwest client");
    let c = emulator.config();
    let generated = seed::Client::builder()
        .http_client(http.clone())
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_ingestion_api(emulator.ingestion_base_url())
        .base_url_query_api(emulator.query_base_url())
        .identity_api_basic_auth(&c.service_account_username, &c.service_account_secret)
        .query_api_basic_auth(&c.service_account_username, &c.service_account_secret)
        .build()
        .expect("generated client");
    SeedEnv {
        runtime,
        emulator,
        http,
        generated,
    }
});

fn seed_inputs(env: &SeedEnv, run: usize) -> seed::identity_resolve_and_track::Inputs {
    let c = env.emulator.config();
    let today = mixpanel_emulator::today_utc();
    seed::identity_resolve_and_track::Inputs {
        project_token: c.project_token.clone(),
        project_id: c.project_id,
        identified_id: format!("user-{run}"),
        anon_id: format!("device-{run}"),
        event_name: "Bench".to_owned(),
        from_date: today.clone(),
        to_date: today,
    }
}

/// What the hand-written version returns: the same typed values as the generated `Outputs`.
#[derive(Debug)]
#[allow(dead_code)] // read through `Debug` and `black_box` only
struct HandOutputs {
    identity_status: i64,
    track_status: i64,
    values: BTreeMap<String, BTreeMap<String, f64>>,
}

#[derive(Deserialize)]
struct StatusBody {
    status: i64,
}

#[derive(Deserialize)]
struct SegmentationBody {
    data: SegmentationData,
}

#[derive(Deserialize)]
struct SegmentationData {
    values: BTreeMap<String, BTreeMap<String, f64>>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// `base` + `path` with `query` appended, percent-encoded.
fn url(base: &str, path: &str, query: &[(&str, &str)]) -> Result<reqwest::Url, BoxError> {
    let mut url = reqwest::Url::parse(&format!("{base}{path}"))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

/// Sends `request` and decodes a 200 response's JSON body as `T`.
async fn expect_200<T: serde::de::DeserializeOwned>(
    what: &str,
    request: reqwest::RequestBuilder,
) -> Result<T, BoxError> {
    let response = request.timeout(Duration::from_secs(30)).send().await?;
    if response.status() != 200 {
        return Err(format!("{what}: HTTP {}", response.status()).into());
    }
    let body = response.bytes().await?;
    Ok(serde_json::from_slice(&body)?)
}

/// The seed workflow written by hand with reqwest: three requests, each checked for 200.
async fn seed_by_hand(
    env: &SeedEnv,
    inputs: &seed::identity_resolve_and_track::Inputs,
) -> Result<HandOutputs, BoxError> {
    let c = env.emulator.config();
    let (user, secret) = (&c.service_account_username, &c.service_account_secret);
    let api = env.emulator.identity_base_url();
    let json_body = |value: serde_json::Value| serde_json::to_vec(&value);

    let identity: StatusBody = expect_200(
        "identity",
        env.http
            .post(url(&api, "/identity/create", &[])?)
            .basic_auth(user, Some(secret))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(json_body(json!({
                "$identified_id": inputs.identified_id,
                "$anon_id": inputs.anon_id,
                "$token": inputs.project_token,
            }))?),
    )
    .await?;

    let track: StatusBody = expect_200(
        "track",
        env.http
            .post(url(
                &api,
                "/track",
                &[("token", &inputs.project_token), ("verbose", "1")],
            )?)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(json_body(json!({
                "data": {
                    "event": inputs.event_name,
                    "properties": {
                        "distinct_id": inputs.identified_id,
                        "token": inputs.project_token,
                    },
                },
            }))?),
    )
    .await?;

    let project_id = inputs.project_id.to_string();
    let segmentation: SegmentationBody = expect_200(
        "segmentation",
        env.http
            .get(url(
                &env.emulator.query_base_url(),
                "/segmentation",
                &[
                    ("project_id", &project_id),
                    ("event", &inputs.event_name),
                    ("from_date", &inputs.from_date),
                    ("to_date", &inputs.to_date),
                    ("type", "unique"),
                ],
            )?)
            .basic_auth(user, Some(secret)),
    )
    .await?;
    Ok(HandOutputs {
        identity_status: identity.status,
        track_status: track.status,
        values: segmentation.data.values,
    })
}
