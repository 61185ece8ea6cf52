//! A live subscription: armed when created, unsubscribed when dropped.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

use super::inbox::{Inbox, Take};
use super::{Message, MessageError};

/// Messages arriving on one address, from the moment [`Broker::subscribe`](super::Broker::subscribe)
/// returned.
///
/// - **Armed**: `subscribe` returns only after the broker confirmed the subscription (MQTT
///   SUBACK, a NATS round trip after SUB, AMQP `queue.bind-ok`, the WebSocket handshake), so a
///   message published after that is buffered even if [`next_matching`](Self::next_matching)
///   is called much later.
/// - **Bounded**: at most [`capacity`](Self::capacity) messages are buffered; when full, the
///   oldest buffered message is dropped ([`overflowed`](Self::overflowed) counts them). A
///   payload larger than the broker's `max_payload` is dropped on arrival
///   ([`oversized`](Self::oversized)).
/// - **Cancel-safe**: dropping a pending `next_matching` future loses no message it did not
///   return; dropping the `Subscription` unsubscribes (the transport's reader task sends the
///   protocol's unsubscribe or closes its channel/connection and ends).
#[derive(Debug)]
pub struct Subscription {
    address: String,
    inbox: Arc<Inbox>,
    /// Dropping the sender tells the transport's reader task to unsubscribe and end.
    _stop: oneshot::Sender<()>,
}

impl Subscription {
    pub(crate) fn new(address: String, inbox: Arc<Inbox>, stop: oneshot::Sender<()>) -> Self {
        Subscription {
            address,
            inbox,
            _stop: stop,
        }
    }

    /// The address this subscription listens on.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The next message `matches` accepts, waiting at most `timeout`.
    ///
    /// Buffered messages are offered in arrival order; a message `matches` refuses (for example
    /// one with another correlation id) is consumed and not offered again. After `timeout`
    /// without a match the result is [`MessageError::Timeout`]; if the subscription ended
    /// (connection lost) and nothing buffered matches, [`MessageError::Closed`].
    ///
    /// Cancel-safe: if the returned future is dropped before it completes, every message it did
    /// not consume stays buffered.
    pub async fn next_matching<F>(
        &mut self,
        mut matches: F,
        timeout: Duration,
    ) -> Result<Message, MessageError>
    where
        F: FnMut(&Message) -> bool,
    {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            match self.inbox.take_matching(&mut matches) {
                Take::Found(message) => return Ok(message),
                Take::Closed(reason) => return Err(MessageError::Closed(reason)),
                Take::Empty => {}
            }
            if tokio::time::timeout_at(deadline, self.inbox.changed())
                .await
                .is_err()
            {
                return Err(MessageError::Timeout(timeout));
            }
        }
    }

    /// The next message, whatever it is, waiting at most `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Result<Message, MessageError> {
        self.next_matching(|_| true, timeout).await
    }

    /// How many messages are buffered now (never more than [`capacity`](Self::capacity)).
    pub fn buffered(&self) -> usize {
        self.inbox.len()
    }

    /// The buffer's capacity ([`BrokerBuilder::capacity`](super::BrokerBuilder::capacity)).
    pub fn capacity(&self) -> usize {
        self.inbox.capacity()
    }

    /// How many messages were dropped because the buffer was full.
    pub fn overflowed(&self) -> u64 {
        self.inbox.overflowed()
    }

    /// How many messages were dropped because their payload exceeded the maximum.
    pub fn oversized(&self) -> u64 {
        self.inbox.oversized()
    }
}
