//! [`EmulatorHandle`]: inspecting and stopping a running emulator.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::watch;

use crate::config::Config;
use crate::record::RecordedRequest;
use crate::state::{Shared, StoredEvent};

/// Access to a running emulator: its address, configuration and memory, and its shutdown.
///
/// Clones share the same emulator. The server keeps running while at least one clone is alive;
/// when the last clone is dropped it shuts down the same way as [`EmulatorHandle::shutdown`]
/// (new connections are refused, requests in flight get up to 5 seconds to finish), but in the
/// background without waiting. The server task also ends when its tokio runtime shuts down, as at
/// the end of a `#[tokio::test]`.
#[derive(Clone)]
pub struct EmulatorHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Arc<StopOnDrop>,
    stopped: watch::Receiver<bool>,
}

/// Signals the server task to stop when the last handle goes away.
struct StopOnDrop(watch::Sender<bool>);

impl Drop for StopOnDrop {
    fn drop(&mut self) {
        self.0.send_replace(true);
    }
}

impl std::fmt::Debug for EmulatorHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorHandle")
            .field("addr", &self.addr)
            .field("project_id", &self.shared.config.project_id)
            .finish_non_exhaustive()
    }
}

impl EmulatorHandle {
    pub(crate) fn new(
        addr: SocketAddr,
        shared: Arc<Shared>,
        stop: watch::Sender<bool>,
        stopped: watch::Receiver<bool>,
    ) -> Self {
        Self {
            addr,
            shared,
            stop: Arc::new(StopOnDrop(stop)),
            stopped,
        }
    }

    /// The address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in arrival order, including refused ones.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared
            .store()
            .requests
            .iter()
            .map(|request| RecordedRequest::clone(request))
            .collect()
    }

    /// Forgets the recorded requests (events and identity links stay).
    pub fn clear_requests(&self) {
        self.shared.store().requests.clear();
    }

    /// Forgets everything the emulator has stored: recorded requests, events and identity
    /// links, as if it had just started (for benchmarks that must not let state grow).
    pub fn reset(&self) {
        *self.shared.store() = crate::state::Store::default();
    }

    /// The accepted events, in acceptance order, after `$insert_id` deduplication.
    pub fn events(&self) -> Vec<StoredEvent> {
        self.shared.store().events.clone()
    }

    /// The identity links as `(anon_id, identified_id)`, in creation order.
    pub fn identities(&self) -> Vec<(String, String)> {
        self.shared.store().links.clone()
    }

    /// The configuration the emulator runs with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// Base URL of the Ingestion API (`/track`), e.g. `http://127.0.0.1:41234`.
    pub fn ingestion_base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Base URL of the Identity API (`/identity/create`); the same host as ingestion.
    pub fn identity_base_url(&self) -> String {
        self.ingestion_base_url()
    }

    /// Base URL of the Query API (`/segmentation`), e.g. `http://127.0.0.1:41234/api/2.0`.
    pub fn query_base_url(&self) -> String {
        format!("http://{}/api/2.0", self.addr)
    }

    /// Stops the emulator (for every clone of this handle) and waits until it has stopped: new
    /// connections are refused at once, requests in flight get up to 5 seconds to finish.
    pub async fn shutdown(self) {
        self.stop.0.send_replace(true);
        let mut stopped = self.stopped.clone();
        // An error means the server task is gone already, which is what we wait for.
        let _ = stopped.wait_for(|done| *done).await;
    }
}
