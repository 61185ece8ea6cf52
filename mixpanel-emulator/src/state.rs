//! The emulator's memory: recorded requests, accepted events and identity links.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::config::Config;
use crate::ratelimit::QueryLimiter;
use crate::record::RecordedRequest;

/// An event accepted by `/track`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// The event name (`event`).
    pub event: String,
    /// The `distinct_id` the event was tracked with, as sent (identity links are applied at query
    /// time, not here).
    pub distinct_id: String,
    /// When the event happened, in unix seconds: `properties.time` (milliseconds converted), or
    /// the arrival time when absent.
    pub time: i64,
    /// The `$insert_id` used for deduplication, if the event had one.
    pub insert_id: Option<String>,
    /// All properties exactly as sent, including `distinct_id`, `time`, `token` and `$insert_id`.
    pub properties: serde_json::Map<String, serde_json::Value>,
}

/// Why an identity link was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkError {
    /// Both ids are the same.
    SameIds,
    /// The anonymous id is already linked to another identified id.
    AlreadyLinked { to: String },
    /// The anonymous id is used as the identified id of other links.
    AnonIsIdentified,
    /// The identified id is itself an anonymous id linked to someone.
    IdentifiedIsAnon { to: String },
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SameIds => f.write_str("$anon_id and $identified_id must differ"),
            Self::AlreadyLinked { to } => {
                write!(
                    f,
                    "$anon_id is already linked to a different $identified_id ('{to}')"
                )
            }
            Self::AnonIsIdentified => f.write_str(
                "$anon_id is already an identified id and cannot be linked to another user",
            ),
            Self::IdentifiedIsAnon { to } => write!(
                f,
                "$identified_id is an anonymous id already linked to '{to}'; link to '{to}' instead"
            ),
        }
    }
}

/// Everything that changes while the emulator runs.
#[derive(Debug, Default)]
pub(crate) struct Store {
    /// Every request, in arrival order.
    pub requests: Vec<Arc<RecordedRequest>>,
    /// Accepted events, in acceptance order.
    pub events: Vec<StoredEvent>,
    /// `(event, distinct_id, $insert_id)` of every stored event that had an insert id.
    dedup_keys: HashSet<(String, String, String)>,
    /// `(anon_id, identified_id)` links in creation order.
    pub links: Vec<(String, String)>,
    /// anon id → identified id.
    anon_to_identified: HashMap<String, String>,
    /// Every identified id of some link.
    identified: HashSet<String>,
}

impl Store {
    /// Stores `event` unless an event with the same name, distinct id and insert id is stored
    /// already; returns whether it was stored.
    pub(crate) fn insert_event(&mut self, event: StoredEvent) -> bool {
        if let Some(insert_id) = &event.insert_id {
            let key = (
                event.event.clone(),
                event.distinct_id.clone(),
                insert_id.clone(),
            );
            if !self.dedup_keys.insert(key) {
                return false;
            }
        }
        self.events.push(event);
        true
    }

    /// Links `anon` to `identified` (simplified ID merge: one level, an anonymous id belongs to
    /// at most one user). Linking an existing pair again succeeds without change.
    pub(crate) fn link(&mut self, anon: &str, identified: &str) -> Result<(), LinkError> {
        if anon == identified {
            return Err(LinkError::SameIds);
        }
        match self.anon_to_identified.get(anon) {
            Some(existing) if existing == identified => return Ok(()),
            Some(existing) => {
                return Err(LinkError::AlreadyLinked {
                    to: existing.clone(),
                });
            }
            None => {}
        }
        if self.identified.contains(anon) {
            return Err(LinkError::AnonIsIdentified);
        }
        if let Some(owner) = self.anon_to_identified.get(identified) {
            return Err(LinkError::IdentifiedIsAnon { to: owner.clone() });
        }
        self.anon_to_identified
            .insert(anon.to_owned(), identified.to_owned());
        self.identified.insert(identified.to_owned());
        self.links.push((anon.to_owned(), identified.to_owned()));
        Ok(())
    }

    /// The user a `distinct_id` belongs to: its identified id when it is a linked anonymous id,
    /// else the id itself.
    pub(crate) fn resolve<'a>(&'a self, distinct_id: &'a str) -> &'a str {
        self.anon_to_identified
            .get(distinct_id)
            .map_or(distinct_id, String::as_str)
    }
}

/// State shared by the server task and every [`EmulatorHandle`](crate::EmulatorHandle).
#[derive(Debug)]
pub(crate) struct Shared {
    /// The configuration the emulator was started with.
    pub config: Config,
    /// The segmentation rate and concurrency limits.
    pub limiter: Arc<QueryLimiter>,
    store: Mutex<Store>,
}

impl Shared {
    pub(crate) fn new(config: Config) -> Self {
        let limiter = Arc::new(QueryLimiter::new(
            config.query_rate_limit_per_hour,
            config.query_concurrency_limit,
        ));
        Self {
            config,
            limiter,
            store: Mutex::new(Store::default()),
        }
    }

    /// Locks the store; a poisoned lock is recovered (the store stays consistent between calls).
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &str, distinct_id: &str, insert_id: Option<&str>) -> StoredEvent {
        StoredEvent {
            event: name.to_owned(),
            distinct_id: distinct_id.to_owned(),
            time: 0,
            insert_id: insert_id.map(str::to_owned),
            properties: serde_json::Map::new(),
        }
    }

    #[test]
    fn dedups_by_name_distinct_id_and_insert_id() {
        let mut store = Store::default();
        assert!(store.insert_event(event("a", "u", Some("1"))));
        assert!(!store.insert_event(event("a", "u", Some("1"))));
        assert!(store.insert_event(event("a", "v", Some("1"))));
        assert!(store.insert_event(event("b", "u", Some("1"))));
        assert!(store.insert_event(event("a", "u", None)));
        assert!(store.insert_event(event("a", "u", None)));
        assert_eq!(store.events.len(), 5);
    }

    #[test]
    fn links_one_level() {
        let mut store = Store::default();
        assert_eq!(store.link("a", "u"), Ok(()));
        assert_eq!(store.link("a", "u"), Ok(()));
        assert_eq!(store.link("b", "u"), Ok(()));
        assert_eq!(
            store.link("a", "v"),
            Err(LinkError::AlreadyLinked { to: "u".into() })
        );
        assert_eq!(store.link("u", "v"), Err(LinkError::AnonIsIdentified));
        assert_eq!(
            store.link("c", "a"),
            Err(LinkError::IdentifiedIsAnon { to: "u".into() })
        );
        assert_eq!(store.link("c", "c"), Err(LinkError::SameIds));
        assert_eq!(
            store.links,
            vec![("a".into(), "u".into()), ("b".into(), "u".into())]
        );
        assert_eq!(store.resolve("a"), "u");
        assert_eq!(store.resolve("b"), "u");
        assert_eq!(store.resolve("u"), "u");
        assert_eq!(store.resolve("x"), "x");
    }
}
