//! MQTT 5 transport (rumqttc's v5 client).
//!
//! - Headers travel as MQTT 5 user properties and the content type as the `Content Type`
//!   property, so nothing is added to the payload.
//! - `send` publishes at QoS 1 on one shared connection and returns on the broker's PUBACK.
//! - Each `subscribe` opens its own clean-start connection, subscribes at QoS 1 and returns on
//!   the SUBACK; dropping the [`Subscription`] disconnects it, which removes the subscription
//!   on the broker. The connection advertises a maximum packet size of `max_payload` plus room
//!   for the topic and properties, so an MQTT 5 broker does not deliver larger messages to it.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rumqttc::Outgoing;
use rumqttc::v5::mqttbytes::QoS;
use rumqttc::v5::mqttbytes::v5::{Packet, PubAckReason, PublishProperties, SubscribeReasonCode};
use rumqttc::v5::{AsyncClient, Event, EventLoop, MqttOptions};
use tokio::sync::{Mutex, mpsc, oneshot};

use super::broker::Settings;
use super::inbox::Inbox;
use super::{Credentials, Message, MessageError, Subscription};

/// Room for the fixed header, topic and properties on top of the payload.
const PACKET_OVERHEAD: usize = 64 * 1024;
/// Bounded request queue between a client handle and its event loop.
const REQUEST_CAPACITY: usize = 64;

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

pub(crate) struct Mqtt {
    settings: Settings,
    publisher: Mutex<Option<Publisher>>,
}

/// The shared publishing connection: its event loop runs in a task that forwards the packet
/// ids of outgoing publishes and the PUBACKs.
struct Publisher {
    client: AsyncClient,
    events: mpsc::Receiver<Result<Ack, String>>,
    _stop: oneshot::Sender<()>,
}

enum Ack {
    Sent(u16),
    Acked(u16, PubAckReason),
}

impl Mqtt {
    pub(crate) async fn connect(settings: Settings) -> Result<Mqtt, MessageError> {
        let publisher = Publisher::connect(&settings).await?;
        Ok(Mqtt {
            settings,
            publisher: Mutex::new(Some(publisher)),
        })
    }

    pub(crate) async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        let send_error = |source: String| MessageError::Send {
            address: address.to_owned(),
            source: MessageError::boxed(source),
        };
        let mut slot = self.publisher.lock().await;
        let publisher = match slot.as_mut() {
            Some(p) => p,
            None => slot.insert(Publisher::connect(&self.settings).await?),
        };
        let properties = PublishProperties {
            user_properties: message.headers.clone(),
            content_type: message.content_type.clone(),
            ..PublishProperties::default()
        };
        let outcome = tokio::time::timeout(self.settings.timeout, async {
            publisher
                .client
                .publish_with_properties(
                    address,
                    QoS::AtLeastOnce,
                    false,
                    message.payload.clone(),
                    properties,
                )
                .await
                .map_err(|e| e.to_string())?;
            let mut pkid = None;
            loop {
                match publisher.events.recv().await {
                    Some(Ok(Ack::Sent(id))) if pkid.is_none() => pkid = Some(id),
                    Some(Ok(Ack::Acked(id, reason))) if Some(id) == pkid => {
                        return match reason {
                            PubAckReason::Success | PubAckReason::NoMatchingSubscribers => Ok(()),
                            refused => Err(format!("the broker refused the message: {refused:?}")),
                        };
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(e),
                    None => return Err("the connection ended".to_owned()),
                }
            }
        })
        .await;
        match outcome {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => {
                // The connection is unusable; the next send reconnects.
                *slot = None;
                Err(send_error(reason))
            }
            Err(_) => {
                *slot = None;
                Err(send_error(format!(
                    "no PUBACK within {:?}",
                    self.settings.timeout
                )))
            }
        }
    }

    pub(crate) async fn subscribe(
        &self,
        address: &str,
        settings: &Settings,
    ) -> Result<Subscription, MessageError> {
        let sub_error = |source: String| MessageError::Subscribe {
            address: address.to_owned(),
            source: MessageError::boxed(source),
        };
        let (client, mut eventloop) = open(settings, "sub")?;
        let armed = tokio::time::timeout(settings.timeout, async {
            wait_connack(&mut eventloop).await?;
            client
                .subscribe(address, QoS::AtLeastOnce)
                .await
                .map_err(|e| e.to_string())?;
            loop {
                match eventloop.poll().await.map_err(|e| e.to_string())? {
                    Event::Incoming(Packet::SubAck(ack)) => {
                        return match ack.return_codes.first() {
                            Some(SubscribeReasonCode::Success(_)) => Ok(()),
                            other => Err(format!("the broker refused: {other:?}")),
                        };
                    }
                    _ => continue,
                }
            }
        })
        .await;
        match armed {
            Ok(Ok(())) => {}
            Ok(Err(reason)) => return Err(sub_error(reason)),
            Err(_) => {
                return Err(sub_error(format!(
                    "no SUBACK within {:?}",
                    settings.timeout
                )));
            }
        }
        let inbox = Arc::new(Inbox::new(settings.capacity, settings.max_payload));
        let (stop, mut stopped) = oneshot::channel();
        let sink = Arc::clone(&inbox);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut stopped => {
                        // Clean-start session: disconnecting removes the subscription.
                        let _ = client.try_disconnect();
                        let _ = tokio::time::timeout(std::time::Duration::from_secs(1), async {
                            while eventloop.poll().await.is_ok() {}
                        })
                        .await;
                        return;
                    }
                    event = eventloop.poll() => match event {
                        Ok(Event::Incoming(Packet::Publish(publish))) => {
                            let properties = publish.properties.unwrap_or_default();
                            sink.push(Message {
                                headers: properties.user_properties,
                                payload: publish.payload,
                                content_type: properties.content_type,
                            });
                        }
                        Ok(_) => {}
                        Err(e) => {
                            sink.close(format!("MQTT connection lost: {e}"));
                            return;
                        }
                    }
                }
            }
        });
        Ok(Subscription::new(address.to_owned(), inbox, stop))
    }
}

impl Publisher {
    async fn connect(settings: &Settings) -> Result<Publisher, MessageError> {
        let (client, mut eventloop) = open(settings, "pub")?;
        match tokio::time::timeout(settings.timeout, wait_connack(&mut eventloop)).await {
            Ok(Ok(())) => {}
            Ok(Err(reason)) => return Err(MessageError::Connect(MessageError::boxed(reason))),
            Err(_) => {
                return Err(MessageError::Connect(MessageError::boxed(format!(
                    "no CONNACK within {:?}",
                    settings.timeout
                ))));
            }
        }
        let (events_tx, events) = mpsc::channel(REQUEST_CAPACITY);
        let (stop, mut stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            loop {
                let event = tokio::select! {
                    _ = &mut stopped => return,
                    event = eventloop.poll() => event,
                };
                let forwarded = match event {
                    Ok(Event::Outgoing(Outgoing::Publish(id))) => Ok(Ack::Sent(id)),
                    Ok(Event::Incoming(Packet::PubAck(ack))) => {
                        Ok(Ack::Acked(ack.pkid, ack.reason))
                    }
                    Ok(_) => continue,
                    Err(e) => Err(format!("MQTT connection lost: {e}")),
                };
                let failed = forwarded.is_err();
                if events_tx.send(forwarded).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(Publisher {
            client,
            events,
            _stop: stop,
        })
    }
}

/// A client and event loop for a fresh clean-start connection.
fn open(settings: &Settings, role: &str) -> Result<(AsyncClient, EventLoop), MessageError> {
    let (host, port) = settings.host_port(1883)?;
    let id = format!(
        "arazzo-{role}-{}-{}-{:x}",
        std::process::id(),
        NEXT_ID.fetch_add(1, Ordering::Relaxed),
        fastrand::u32(..)
    );
    let mut options = MqttOptions::new(id, host, port);
    options.set_clean_start(true);
    let max_packet = settings.max_payload.saturating_add(PACKET_OVERHEAD);
    options.set_max_packet_size(Some(u32::try_from(max_packet).unwrap_or(u32::MAX)));
    options.set_connection_timeout(settings.timeout.as_secs().max(1));
    match settings.credentials() {
        None => {}
        Some(Credentials::UserPassword { user, password }) => {
            options.set_credentials(user, password.expose());
        }
        Some(Credentials::Token(_)) => {
            return Err(MessageError::Credentials(
                "MQTT has no token authentication; use a user and password".to_owned(),
            ));
        }
    }
    Ok(AsyncClient::new(options, REQUEST_CAPACITY))
}

/// Polls until the broker accepted the connection.
async fn wait_connack(eventloop: &mut EventLoop) -> Result<(), String> {
    loop {
        match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(_))) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}
