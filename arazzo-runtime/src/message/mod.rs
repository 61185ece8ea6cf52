//! Message brokers for AsyncAPI steps: send a message, receive a matching one.
//!
//! Arazzo 1.1 steps can `send` or `receive` a message on an AsyncAPI channel. This module is
//! the protocol-neutral layer the generated code calls:
//!
//! - [`Broker`]: one connection, made by [`Broker::builder`] from a URL whose scheme selects
//!   the transport (`mqtt://`, `nats://`, `amqp://`, `ws://`, `kafka://`), with optional [`Credentials`];
//! - [`Broker::send`]: hands a [`Message`] to the broker (a send step completes then);
//! - [`Broker::subscribe`] → [`Subscription`], armed when it returns;
//!   [`Subscription::next_matching`] waits for the first message a predicate accepts (a
//!   receive step's `correlationId`) and fails with [`MessageError::Timeout`] after the
//!   step's `timeout`.
//!
//! Every subscription buffers at most [`BrokerBuilder::capacity`] messages (the oldest is
//! dropped when full) and no payload over [`BrokerBuilder::max_payload`]; dropping it
//! unsubscribes.
//!
//! Each transport is behind a cargo feature; with none enabled this module still compiles
//! (and [`Broker::connect`] answers [`MessageError::FeatureDisabled`]) so generated code does
//! not depend on the features chosen.
//!
//! ```no_run
//! # async fn demo() -> Result<(), arazzo_runtime::message::MessageError> {
//! use std::time::Duration;
//! use arazzo_runtime::message::{Broker, Message};
//!
//! let broker = Broker::connect("mqtt://127.0.0.1:1883").await?;
//! let mut replies = broker.subscribe("pet/order/reply").await?; // armed before the send
//! broker
//!     .send("pet/order", &Message::new(r#"{"petId":7}"#).with_header("correlationId", "c-1"))
//!     .await?;
//! let reply = replies
//!     .next_matching(|m| m.header("correlationId") == Some("c-1"), Duration::from_secs(5))
//!     .await?;
//! # let _ = reply; Ok(()) }
//! ```

// With only some transports compiled in, helpers used by the others are unused.
#![cfg_attr(
    not(all(
        feature = "mqtt",
        feature = "nats",
        feature = "amqp",
        feature = "websocket"
    )),
    allow(dead_code, unused_imports)
)]

mod broker;
mod error;
mod inbox;
#[allow(clippy::module_inception)]
mod message;
mod step;
mod subscription;

#[cfg(feature = "amqp")]
mod amqp;
#[cfg(feature = "kafka")]
mod kafka;
#[cfg(feature = "mqtt")]
mod mqtt;
#[cfg(feature = "nats")]
mod nats;
#[cfg(feature = "websocket")]
mod websocket;

pub use broker::{
    Broker, BrokerBuilder, Credentials, DEFAULT_CAPACITY, DEFAULT_MAX_PAYLOAD, DEFAULT_TIMEOUT,
};
pub use error::MessageError;
pub use message::Message;
pub use step::{BrokerSpec, Brokers, BrokersBuilder, Received, correlates, message_text};
pub use subscription::Subscription;
