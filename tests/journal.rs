//! The durable-execution hook (`run_journaled`, `arazzo::Journal`) with an in-memory journal
//! that behaves as an engine does: it records each effect's outcome in order, and a run
//! replayed with a recorded prefix gets those outcomes back instead of sending again. The
//! servers are real (the Mixpanel emulator and a scripted HTTP server on 127.0.0.1).

mod support;

use std::sync::Mutex;
use std::time::Duration;

use arazzo::{Effect, EffectError, Journal};
use support::Reply;

mod seed {
    arazzo::arazzo_workflow!("workflows/mixpanel.yml");
}

mod jobs {
    arazzo::arazzo_workflow!("tests/fixtures/actions/jobs.arazzo.yml");
}

/// One thing a journaled run did, in order.
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Effect {
        name: String,
        outcome: Result<Vec<u8>, EffectError>,
    },
    Sleep(Duration),
}

/// A journal that replays `recorded` first (effects are not run), then runs and records.
#[derive(Default)]
struct Recorder {
    recorded: Vec<Entry>,
    entries: Mutex<Vec<Entry>>,
    completed: Mutex<Vec<(String, serde_json::Value)>>,
}

impl Recorder {
    fn replaying(recorded: Vec<Entry>) -> Self {
        Recorder {
            recorded,
            ..Recorder::default()
        }
    }

    fn entries(&self) -> Vec<Entry> {
        self.entries.lock().expect("not poisoned").clone()
    }

    /// The entry at the journal's next position, when it was recorded earlier.
    fn next_recorded(&self) -> (usize, Option<Entry>) {
        let position = self.entries.lock().expect("not poisoned").len();
        (position, self.recorded.get(position).cloned())
    }

    fn push(&self, entry: Entry) {
        self.entries.lock().expect("not poisoned").push(entry);
    }
}

impl Journal for Recorder {
    fn effect<'a>(&'a self, name: &'a str, effect: Effect<'a, Vec<u8>>) -> Effect<'a, Vec<u8>> {
        Box::pin(async move {
            let outcome = match self.next_recorded() {
                (_, Some(Entry::Effect { name: was, outcome })) => {
                    assert_eq!(was, name, "replay follows the recorded order");
                    outcome
                }
                (position, Some(other)) => panic!("position {position}: {other:?}, not {name}"),
                (_, None) => effect.await,
            };
            self.push(Entry::Effect {
                name: name.to_owned(),
                outcome: outcome.clone(),
            });
            outcome
        })
    }

    fn sleep<'a>(&'a self, duration: Duration) -> Effect<'a, ()> {
        Box::pin(async move {
            if self.next_recorded().1.is_none() {
                tokio::time::sleep(duration).await;
            }
            self.push(Entry::Sleep(duration));
            Ok(())
        })
    }

    fn step_completed(
        &self,
        workflow: &'static str,
        step: &'static str,
        outputs: &serde_json::Value,
    ) {
        self.completed
            .lock()
            .expect("not poisoned")
            .push((format!("{workflow}/{step}"), outputs.clone()));
    }
}

fn seed_client(emulator: &mixpanel_emulator::EmulatorHandle) -> seed::Client {
    let config = emulator.config();
    seed::Client::builder()
        .base_url_identity_api(emulator.identity_base_url())
        .base_url_ingestion_api(emulator.ingestion_base_url())
        .base_url_query_api(emulator.query_base_url())
        .identity_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .query_api_basic_auth(
            &config.service_account_username,
            &config.service_account_secret,
        )
        .build()
        .expect("client builds")
}

fn seed_inputs(
    emulator: &mixpanel_emulator::EmulatorHandle,
) -> seed::identity_resolve_and_track::Inputs {
    let today = mixpanel_emulator::today_utc();
    seed::identity_resolve_and_track::Inputs {
        project_token: emulator.config().project_token.clone(),
        project_id: emulator.config().project_id,
        identified_id: "user-42".to_owned(),
        anon_id: "device-a".to_owned(),
        event_name: "Signup".to_owned(),
        from_date: today.clone(),
        to_date: today,
    }
}

fn effect_names(entries: &[Entry]) -> Vec<&str> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Effect { name, .. } => Some(name.as_str()),
            Entry::Sleep(_) => None,
        })
        .collect()
}

#[tokio::test]
async fn a_journaled_run_records_each_exchange_and_a_replay_sends_nothing() {
    use seed::identity_resolve_and_track as wf;
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = seed_client(&emulator);

    let journal = Recorder::default();
    let first = wf::run_journaled(&client, seed_inputs(&emulator), &journal)
        .await
        .expect("the journaled run succeeds");
    let plain = wf::run(&client, seed_inputs(&emulator))
        .await
        .expect("plain run");
    assert_eq!(first.identity_status, plain.identity_status);
    assert_eq!(
        emulator.requests().len(),
        6,
        "each run sent its three requests"
    );
    let entries = journal.entries();
    assert_eq!(
        effect_names(&entries),
        ["createIdentity", "trackForUser", "segmentEvent"]
    );
    let completed = journal.completed.lock().expect("not poisoned").clone();
    let steps: Vec<&str> = completed.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        steps,
        [
            "identity-resolve-and-track/createIdentity",
            "identity-resolve-and-track/trackForUser",
            "identity-resolve-and-track/segmentEvent"
        ]
    );
    assert_eq!(completed[0].1, serde_json::json!({ "identityStatus": 1 }));
    assert_eq!(completed[1].1, serde_json::json!({ "trackStatus": 1 }));
    assert_eq!(
        completed[2].1["values"]["Signup"][mixpanel_emulator::today_utc()],
        serde_json::json!(1.0)
    );

    // A replay of the whole journal sends nothing and returns the same typed outputs.
    let replay = Recorder::replaying(entries.clone());
    let again = wf::run_journaled(&client, seed_inputs(&emulator), &replay)
        .await
        .expect("the replay succeeds");
    assert_eq!(again, first);
    assert_eq!(emulator.requests().len(), 6, "the replay sent nothing");
    assert_eq!(replay.entries(), entries);
}

#[tokio::test]
async fn a_run_resumed_after_its_first_step_sends_only_the_rest() {
    use seed::identity_resolve_and_track as wf;
    let (_addr, emulator) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = seed_client(&emulator);
    let journal = Recorder::default();
    wf::run_journaled(&client, seed_inputs(&emulator), &journal)
        .await
        .expect("the journaled run succeeds");

    // As after a crash once `createIdentity` was answered and recorded: the engine replays
    // that entry and the run goes on from there, on another emulator.
    let (_addr, other) = mixpanel_emulator::start().await.expect("emulator starts");
    let client = seed_client(&other);
    let resumed = Recorder::replaying(journal.entries()[..1].to_vec());
    let out = wf::run_journaled(&client, seed_inputs(&other), &resumed)
        .await
        .expect("the resumed run succeeds");
    assert_eq!(out.identity_status, 1, "from the journal");
    assert_eq!(out.track_status, 1);
    let paths: Vec<String> = other.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        ["/track", "/api/2.0/segmentation"],
        "createIdentity was not sent again"
    );
}

#[tokio::test]
async fn retry_waits_go_through_the_journal_and_a_replayed_failure_keeps_its_message() {
    use jobs::retry_when_busy as wf;
    let server = support::start(vec![Reply::status(503), jobs_done()]).await;
    let client = jobs::Client::builder()
        .base_url_jobs(&server.url)
        .build()
        .expect("client builds");
    let journal = Recorder::default();
    let out = wf::run_journaled(&client, wf::Inputs { id: "1".into() }, &journal)
        .await
        .expect("succeeds after one retry");
    assert_eq!(out.state, jobs::jobs::JobState::Done);
    let entries = journal.entries();
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(
        matches!(&entries[1], Entry::Sleep(d) if *d == Duration::from_millis(50)),
        "retryAfter 0.05 s is a journal wait: {entries:?}"
    );

    // A failure the journal returns (recorded by an earlier attempt) is the step's failure,
    // with its message; the step's criteria see no response.
    let failed = vec![Entry::Effect {
        name: "read".to_owned(),
        outcome: Err(EffectError {
            message: "connection reset".to_owned(),
            retryable: false,
        }),
    }];
    let err = wf::run_journaled(
        &client,
        wf::Inputs { id: "1".into() },
        &Recorder::replaying(failed),
    )
    .await
    .expect_err("the recorded failure fails the step");
    assert!(
        matches!(err.kind(), arazzo::ErrorKind::Journaled(m) if m == "connection reset"),
        "{err:?}"
    );
    assert_eq!(err.step(), Some("read"));
    assert_eq!(server.seen().len(), 2, "the replay sent nothing");
}

fn jobs_done() -> Reply {
    Reply::json(200, serde_json::json!({ "state": "done" }))
}

/// Every generated workflow module has a `Workflow` an engine can serve generically.
#[test]
fn each_workflow_module_implements_the_engine_trait() {
    fn id<W: arazzo::Workflow>() -> &'static str {
        W::ID
    }
    assert_eq!(
        id::<seed::identity_resolve_and_track::Workflow>(),
        "identity-resolve-and-track"
    );
    assert_eq!(id::<jobs::retry_when_busy::Workflow>(), "retry-when-busy");
}
