//! Kafka transport (rskafka).
//!
//! - An address is a topic. A topic that does not exist is created (one partition, replication
//!   factor 1) by the first `send` or `subscribe` that names it.
//! - Headers travel as Kafka record headers (a map: order is not kept and a repeated name keeps
//!   its last value); the content type travels as the `content-type` header and is read back
//!   from it. Header values received are read as UTF-8 (invalid bytes replaced).
//! - `send` produces the record to partition 0 and returns when the partition leader
//!   acknowledged it.
//! - `subscribe` reads every partition's latest offset before it returns, then fetches from
//!   there: a record produced after `subscribe` returned has a later offset and is never missed.
//!   It uses no consumer group: nothing is committed and the broker keeps no state for it, so
//!   dropping the [`Subscription`] just stops fetching.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use rskafka::client::partition::{Compression, OffsetAt, PartitionClient, UnknownTopicHandling};
use rskafka::client::{Client, ClientBuilder, Credentials as SaslCredentials, SaslConfig};
use rskafka::record::Record;
use tokio::sync::{Mutex, oneshot};

use super::broker::Settings;
use super::inbox::Inbox;
use super::{Credentials, Message, MessageError, Subscription};

/// The header that carries [`Message::content_type`].
const CONTENT_TYPE: &str = "content-type";
/// How long one fetch waits for new records on the broker.
const FETCH_WAIT_MS: i32 = 200;

pub(crate) struct Kafka {
    client: Client,
    timeout: Duration,
    max_payload: usize,
    producers: Mutex<HashMap<String, Arc<PartitionClient>>>,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl Kafka {
    pub(crate) async fn connect(settings: Settings) -> Result<Kafka, MessageError> {
        let (host, port) = settings.host_port(9092)?;
        let mut builder = ClientBuilder::new(vec![format!("{host}:{port}")])
            .max_message_size(settings.max_payload.saturating_mul(4).max(16 * 1024 * 1024));
        match settings.credentials() {
            None => {}
            Some(Credentials::UserPassword { user, password }) => {
                builder = builder.sasl_config(SaslConfig::Plain(SaslCredentials::new(
                    user,
                    password.expose().to_owned(),
                )));
            }
            Some(Credentials::Token(_)) => {
                return Err(MessageError::Credentials(
                    "Kafka token (OAUTHBEARER) authentication is not supported; use a user and password (SASL PLAIN)"
                        .to_owned(),
                ));
            }
        }
        let client = match tokio::time::timeout(settings.timeout, builder.build()).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => return Err(MessageError::Connect(Box::new(e))),
            Err(_) => {
                return Err(MessageError::Connect(MessageError::boxed(format!(
                    "no answer within {:?}",
                    settings.timeout
                ))));
            }
        };
        Ok(Kafka {
            client,
            timeout: settings.timeout,
            max_payload: settings.max_payload,
            producers: Mutex::new(HashMap::new()),
        })
    }

    /// The topic's partitions, creating the topic (one partition) if it does not exist.
    async fn partitions(&self, topic: &str) -> Result<Vec<i32>, BoxError> {
        for attempt in 0..2 {
            let topics = self.client.list_topics().await?;
            if let Some(found) = topics.into_iter().find(|t| t.name == topic)
                && !found.partitions.is_empty()
            {
                return Ok(found.partitions.into_iter().collect());
            }
            if attempt == 0 {
                let timeout_ms = i32::try_from(self.timeout.as_millis()).unwrap_or(i32::MAX);
                // Another client may create it at the same time: an error here is checked by
                // listing again.
                let _ = self
                    .client
                    .controller_client()?
                    .create_topic(topic, 1, 1, timeout_ms)
                    .await;
            }
        }
        Err(format!("topic `{topic}` does not exist and could not be created").into())
    }

    async fn partition_client(
        &self,
        topic: &str,
        partition: i32,
    ) -> Result<PartitionClient, BoxError> {
        Ok(self
            .client
            .partition_client(topic.to_owned(), partition, UnknownTopicHandling::Retry)
            .await?)
    }

    pub(crate) async fn send(&self, address: &str, message: &Message) -> Result<(), MessageError> {
        let mut headers = BTreeMap::new();
        for (name, value) in &message.headers {
            headers.insert(name.clone(), value.clone().into_bytes());
        }
        if let Some(content_type) = &message.content_type {
            headers.insert(CONTENT_TYPE.to_owned(), content_type.clone().into_bytes());
        }
        let record = Record {
            key: None,
            value: Some(message.payload.to_vec()),
            headers,
            timestamp: now(),
        };
        let produce = async {
            let producer = {
                let mut producers = self.producers.lock().await;
                match producers.get(address) {
                    Some(p) => Arc::clone(p),
                    None => {
                        self.partitions(address).await?;
                        let p = Arc::new(self.partition_client(address, 0).await?);
                        producers.insert(address.to_owned(), Arc::clone(&p));
                        p
                    }
                }
            };
            producer
                .produce(vec![record], Compression::NoCompression)
                .await
                .map_err(BoxError::from)
        };
        match tokio::time::timeout(self.timeout, produce).await {
            Ok(Ok(_offsets)) => Ok(()),
            Ok(Err(source)) => {
                self.producers.lock().await.remove(address);
                Err(MessageError::Send {
                    address: address.to_owned(),
                    source,
                })
            }
            Err(_) => Err(MessageError::Send {
                address: address.to_owned(),
                source: MessageError::boxed(format!("not acknowledged within {:?}", self.timeout)),
            }),
        }
    }

    pub(crate) async fn subscribe(
        &self,
        address: &str,
        settings: &Settings,
    ) -> Result<Subscription, MessageError> {
        let armed = tokio::time::timeout(settings.timeout, async {
            let mut readers = Vec::new();
            for partition in self.partitions(address).await? {
                let client = self.partition_client(address, partition).await?;
                let offset = client.get_offset(OffsetAt::Latest).await?;
                readers.push((client, offset));
            }
            Ok::<_, BoxError>(readers)
        })
        .await;
        let mut readers = match armed {
            Ok(Ok(readers)) => readers,
            Ok(Err(source)) => {
                return Err(MessageError::Subscribe {
                    address: address.to_owned(),
                    source,
                });
            }
            Err(_) => {
                return Err(MessageError::Subscribe {
                    address: address.to_owned(),
                    source: MessageError::boxed(format!(
                        "no offsets within {:?}",
                        settings.timeout
                    )),
                });
            }
        };
        let inbox = Arc::new(Inbox::new(settings.capacity, settings.max_payload));
        let (stop, mut stopped) = oneshot::channel::<()>();
        let sink = Arc::clone(&inbox);
        // One fetch asks for at most this many bytes (Kafka still returns a first record that
        // is larger, which the inbox then drops as oversized).
        let fetch_bytes = i32::try_from(self.max_payload.max(64 * 1024)).unwrap_or(i32::MAX);
        tokio::spawn(async move {
            loop {
                for (client, offset) in &mut readers {
                    let fetch = client.fetch_records(*offset, 1..fetch_bytes, FETCH_WAIT_MS);
                    let fetched = tokio::select! {
                        _ = &mut stopped => return,
                        fetched = fetch => fetched,
                    };
                    match fetched {
                        Ok((records, _high_watermark)) => {
                            for record in records {
                                *offset = record.offset + 1;
                                sink.push(from_record(record.record));
                            }
                        }
                        Err(e) => {
                            sink.close(format!("Kafka fetch failed: {e}"));
                            return;
                        }
                    }
                }
            }
        });
        Ok(Subscription::new(address.to_owned(), inbox, stop))
    }
}

fn from_record(record: Record) -> Message {
    let mut headers = Vec::new();
    let mut content_type = None;
    for (name, value) in record.headers {
        let value = String::from_utf8_lossy(&value).into_owned();
        if name.eq_ignore_ascii_case(CONTENT_TYPE) && content_type.is_none() {
            content_type = Some(value);
        } else {
            headers.push((name, value));
        }
    }
    Message {
        headers,
        payload: record.value.unwrap_or_default().into(),
        content_type,
    }
}

/// The current time as a record timestamp (the epoch if the clock is before it).
fn now() -> rskafka::chrono::DateTime<rskafka::chrono::Utc> {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    rskafka::chrono::DateTime::from_timestamp_millis(millis).unwrap_or_default()
}
