//! AMQP 0-9-1 transport (lapin), for RabbitMQ.
//!
//! - An address is a routing key on the `amq.topic` exchange (AsyncAPI's amqp channel binding
//!   `is: routingKey`, the default): `send` publishes there, `subscribe` declares a
//!   server-named, exclusive, auto-delete queue bound to `amq.topic` with the address as
//!   binding key (so AMQP topic patterns `*` and `#` work when subscribing), each subscriber
//!   getting its own copy.
//! - Headers travel in the message's headers table as long strings (received numbers and
//!   booleans are turned into text; other value types are left out); the content type is the
//!   `content_type` property.
//! - `send` waits for the publisher confirm: the broker has the message.
//! - `subscribe` returns on `queue.bind-ok` and `basic.consume-ok` (armed). Each subscription
//!   has its own channel with a prefetch of `capacity` unacknowledged messages (acknowledged as
//!   they enter the [`Subscription`]'s buffer). Dropping the [`Subscription`] closes the
//!   channel, which deletes the queue.

use std::sync::Arc;

use futures_util::StreamExt as _;
use lapin::options::{
    BasicAckOptions, BasicConsumeOptions, BasicPublishOptions, BasicQosOptions,
    ConfirmSelectOptions, QueueBindOptions, QueueDeclareOptions,
};
use lapin::types::{AMQPValue, FieldTable, LongString, ShortString};
use lapin::{BasicProperties, Channel, Confirmation, Connection, ConnectionProperties};
use tokio::sync::{Mutex, oneshot};

use super::broker::Settings;
use super::inbox::Inbox;
use super::{Credentials, Message, MessageError, Subscription};

/// The exchange every address is a routing key on.
const EXCHANGE: &str = "amq.topic";

pub(crate) struct Amqp {
    connection: Connection,
    publisher: Mutex<Channel>,
    timeout: std::time::Duration,
}

impl Amqp {
    pub(crate) async fn connect(settings: Settings) -> Result<Amqp, MessageError> {
        let mut url = settings.url.clone();
        match settings.credentials() {
            None => {}
            Some(Credentials::UserPassword { user, password }) => {
                let bad =
                    |_| MessageError::InvalidUrl("cannot put credentials in the URL".to_owned());
                url.set_username(&user).map_err(bad)?;
                url.set_password(Some(password.expose())).map_err(bad)?;
            }
            Some(Credentials::Token(_)) => {
                return Err(MessageError::Credentials(
                    "AMQP has no token authentication here; use a user and password".to_owned(),
                ));
            }
        }
        let connect = async {
            let connection = Connection::connect(url.as_str(), ConnectionProperties::default())
                .await
                .map_err(MessageError::boxed)?;
            let channel = connection
                .create_channel()
                .await
                .map_err(MessageError::boxed)?;
            channel
                .confirm_select(ConfirmSelectOptions::default())
                .await
                .map_err(MessageError::boxed)?;
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>((connection, channel))
        };
        let (connection, channel) = match tokio::time::timeout(settings.timeout, connect).await {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return Err(MessageError::Connect(e)),
            Err(_) => {
                return Err(MessageError::Connect(MessageError::boxed(format!(
                    "no answer within {:?}",
                    settings.timeout
                ))));
            }
        };
        Ok(Amqp {
            connection,
            publisher: Mutex::new(channel),
            timeout: settings.timeout,
        })
    }

    pub(crate) async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        let routing_key = short(address).map_err(|reason| MessageError::InvalidAddress {
            address: address.to_owned(),
            reason,
        })?;
        let mut headers = FieldTable::default();
        for (name, value) in &message.headers {
            let key = short(name).map_err(|reason| MessageError::InvalidHeader {
                name: name.clone(),
                reason,
            })?;
            headers.insert(
                key,
                AMQPValue::LongString(LongString::from(value.as_bytes())),
            );
        }
        let mut properties = BasicProperties::default().with_headers(headers);
        if let Some(content_type) = &message.content_type {
            let value = short(content_type).map_err(|reason| MessageError::InvalidHeader {
                name: "content_type".to_owned(),
                reason,
            })?;
            properties = properties.with_content_type(value);
        }
        let send_error = |source: Box<dyn std::error::Error + Send + Sync>| MessageError::Send {
            address: address.to_owned(),
            source,
        };
        let channel = self.publisher.lock().await;
        let publish = async {
            let confirm = channel
                .basic_publish(
                    ShortString::from(EXCHANGE),
                    routing_key,
                    BasicPublishOptions::default(),
                    &message.payload,
                    properties,
                )
                .await
                .map_err(MessageError::boxed)?;
            match confirm.await.map_err(MessageError::boxed)? {
                Confirmation::Nack(_) => {
                    Err(MessageError::boxed("the broker refused the message (nack)"))
                }
                _ => Ok(()),
            }
        };
        match tokio::time::timeout(self.timeout, publish).await {
            Ok(result) => result.map_err(send_error),
            Err(_) => Err(send_error(MessageError::boxed(format!(
                "no publisher confirm within {:?}",
                self.timeout
            )))),
        }
    }

    pub(crate) async fn subscribe(
        &self,
        address: &str,
        settings: &Settings,
    ) -> Result<Subscription, MessageError> {
        let binding_key = short(address).map_err(|reason| MessageError::InvalidAddress {
            address: address.to_owned(),
            reason,
        })?;
        let sub_error =
            |source: Box<dyn std::error::Error + Send + Sync>| MessageError::Subscribe {
                address: address.to_owned(),
                source,
            };
        let prefetch = u16::try_from(settings.capacity).unwrap_or(u16::MAX);
        let armed = tokio::time::timeout(settings.timeout, async {
            let channel = self.connection.create_channel().await?;
            channel
                .basic_qos(prefetch, BasicQosOptions::default())
                .await?;
            let queue = channel
                .queue_declare(
                    ShortString::from(""),
                    QueueDeclareOptions {
                        exclusive: true,
                        auto_delete: true,
                        ..QueueDeclareOptions::default()
                    },
                    FieldTable::default(),
                )
                .await?;
            channel
                .queue_bind(
                    queue.name().clone(),
                    ShortString::from(EXCHANGE),
                    binding_key,
                    QueueBindOptions::default(),
                    FieldTable::default(),
                )
                .await?;
            let consumer = channel
                .basic_consume(
                    queue.name().clone(),
                    ShortString::from(""),
                    BasicConsumeOptions::default(),
                    FieldTable::default(),
                )
                .await?;
            Ok::<_, lapin::Error>((channel, consumer))
        })
        .await;
        let (channel, mut consumer) = match armed {
            Ok(Ok(pair)) => pair,
            Ok(Err(e)) => return Err(sub_error(MessageError::boxed(e))),
            Err(_) => {
                return Err(sub_error(MessageError::boxed(format!(
                    "not confirmed within {:?}",
                    settings.timeout
                ))));
            }
        };
        let inbox = Arc::new(Inbox::new(settings.capacity, settings.max_payload));
        let (stop, mut stopped) = oneshot::channel::<()>();
        let sink = Arc::clone(&inbox);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => {
                        // Closing the channel cancels the consumer; the exclusive auto-delete
                        // queue goes with it.
                        let _ = channel.close(200, ShortString::from("unsubscribed")).await;
                        return;
                    }
                    next = consumer.next() => match next {
                        Some(Ok(delivery)) => {
                            let _ = delivery.ack(BasicAckOptions::default()).await;
                            sink.push(from_delivery(delivery.properties, delivery.data));
                        }
                        Some(Err(e)) => {
                            sink.close(format!("AMQP consumer failed: {e}"));
                            return;
                        }
                        None => {
                            sink.close("the AMQP consumer was cancelled".to_owned());
                            return;
                        }
                    }
                }
            }
        });
        Ok(Subscription::new(address.to_owned(), inbox, stop))
    }
}

/// An AMQP short string (at most 255 bytes).
fn short(text: &str) -> Result<ShortString, String> {
    ShortString::try_new(text).map_err(|e| e.to_string())
}

fn from_delivery(properties: BasicProperties, data: Vec<u8>) -> Message {
    let mut headers = Vec::new();
    if let Some(table) = properties.headers() {
        for (name, value) in table {
            let text = match value {
                AMQPValue::LongString(s) => String::from_utf8_lossy(s.as_bytes()).into_owned(),
                AMQPValue::ShortString(s) => s.as_str().to_owned(),
                AMQPValue::Boolean(b) => b.to_string(),
                AMQPValue::ShortShortInt(n) => n.to_string(),
                AMQPValue::ShortShortUInt(n) => n.to_string(),
                AMQPValue::ShortInt(n) => n.to_string(),
                AMQPValue::ShortUInt(n) => n.to_string(),
                AMQPValue::LongInt(n) => n.to_string(),
                AMQPValue::LongUInt(n) => n.to_string(),
                AMQPValue::LongLongInt(n) => n.to_string(),
                AMQPValue::Float(n) => n.to_string(),
                AMQPValue::Double(n) => n.to_string(),
                _ => continue,
            };
            headers.push((name.as_str().to_owned(), text));
        }
    }
    Message {
        headers,
        payload: data.into(),
        content_type: properties
            .content_type()
            .as_ref()
            .map(|c| c.as_str().to_owned()),
    }
}
