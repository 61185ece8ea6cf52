//! The bounded buffer between a transport's reader task and a [`Subscription`](super::Subscription).

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::Message;

/// Messages received and not yet consumed, at most `capacity` of them.
///
/// When full, a new message evicts the oldest one (counted in `overflowed`): a flood of
/// unrelated messages costs at most `capacity` messages of memory and leaves the newest ones,
/// which is where a reply to a just-sent request is. A payload larger than `max_payload` is
/// never stored (counted in `oversized`).
#[derive(Debug)]
pub(crate) struct Inbox {
    state: Mutex<State>,
    notify: Notify,
    capacity: usize,
    max_payload: usize,
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Message>,
    overflowed: u64,
    oversized: u64,
    closed: Option<String>,
}

/// What [`Inbox::take_matching`] found.
pub(crate) enum Take {
    /// The first buffered message the predicate accepted.
    Found(Message),
    /// The buffer is empty (refused messages were consumed); wait for more.
    Empty,
    /// The buffer is empty and the reader task ended, with the reason.
    Closed(String),
}

impl Inbox {
    pub(crate) fn new(capacity: usize, max_payload: usize) -> Self {
        let capacity = capacity.max(1);
        Inbox {
            state: Mutex::new(State {
                queue: VecDeque::with_capacity(capacity.min(1024)),
                ..State::default()
            }),
            notify: Notify::new(),
            capacity,
            max_payload,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Stores a received message (evicting the oldest when full) and wakes the reader.
    pub(crate) fn push(&self, message: Message) {
        {
            let mut state = self.lock();
            if message.payload.len() > self.max_payload {
                state.oversized += 1;
                return;
            }
            if state.queue.len() >= self.capacity {
                state.queue.pop_front();
                state.overflowed += 1;
            }
            state.queue.push_back(message);
        }
        self.notify.notify_one();
    }

    /// Marks the subscription as ended; buffered messages can still be taken.
    pub(crate) fn close(&self, reason: String) {
        self.lock().closed.get_or_insert(reason);
        self.notify.notify_one();
    }

    /// Pops messages until one matches; refused messages are consumed.
    pub(crate) fn take_matching(&self, matches: &mut dyn FnMut(&Message) -> bool) -> Take {
        let mut state = self.lock();
        while let Some(message) = state.queue.pop_front() {
            if matches(&message) {
                return Take::Found(message);
            }
        }
        match &state.closed {
            Some(reason) => Take::Closed(reason.clone()),
            None => Take::Empty,
        }
    }

    /// Resolves after the next `push` or `close` (or at once if one happened since the last wait).
    pub(crate) async fn changed(&self) {
        self.notify.notified().await;
    }

    pub(crate) fn len(&self) -> usize {
        self.lock().queue.len()
    }

    pub(crate) fn overflowed(&self) -> u64 {
        self.lock().overflowed
    }

    pub(crate) fn oversized(&self) -> u64 {
        self.lock().oversized
    }

    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }
}
