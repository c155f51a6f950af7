//! The gateway's one NATS connection: this gateway's node id, whether the link is up, and
//! a single ordered queue for what it publishes about rooms and sign-ins. Heartbeats and
//! claim answers skip that queue: a backlog of room events must not make a live gateway
//! look gone, or let a claimant miss the orderer's answer.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::mpsc;

use super::keys::ClusterKeys;
use super::wire;
use crate::rooms::NodeId;

/// Messages queued for NATS before publishing fails; a message that does not fit is lost,
/// and its receivers notice the gap.
const OUTGOING_CAPACITY: usize = 65_536;

/// The longest a direct message waits for room in the NATS client's buffer, which stops
/// taking messages while the link is down: the caller (the liveness loop, which must see
/// the link's events, or a room's orderer) goes on without it. A later one would be too late
/// for a claim window (`claim::CLAIM_WINDOW`) anyway.
const DIRECT_WAIT: Duration = Duration::from_millis(100);

/// One message to publish.
pub(super) struct Outgoing {
    subject: String,
    payload: Bytes,
}

/// The NATS connection and what every part of the cluster code shares about it.
pub struct Transport {
    pub(super) client: async_nats::Client,
    pub(super) keys: ClusterKeys,
    node: AtomicU64,
    up: AtomicBool,
    outgoing: mpsc::Sender<Outgoing>,
    /// The number of the last heartbeat sent (see `nodes`): every message to an orderer
    /// carries it, so a receiver tells a fresh message from one recorded long ago.
    beats: AtomicU64,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport").finish_non_exhaustive()
    }
}

impl Transport {
    /// Wraps `client`, and returns the queue the publisher task drains.
    pub(super) fn new(
        client: async_nats::Client,
        keys: ClusterKeys,
    ) -> (Self, mpsc::Receiver<Outgoing>) {
        Self::with_capacity(client, keys, OUTGOING_CAPACITY)
    }

    fn with_capacity(
        client: async_nats::Client,
        keys: ClusterKeys,
        capacity: usize,
    ) -> (Self, mpsc::Receiver<Outgoing>) {
        let (outgoing, queue) = mpsc::channel(capacity);
        let transport = Self {
            client,
            keys,
            node: AtomicU64::new(fresh_node_id()),
            up: AtomicBool::new(false),
            outgoing,
            beats: AtomicU64::new(0),
        };
        (transport, queue)
    }

    /// This gateway's node id in the cluster.
    pub fn node(&self) -> NodeId {
        self.node.load(Ordering::Acquire)
    }

    /// Takes a new node id: after losing the link, this gateway comes back as a new
    /// gateway, so the others finish with the old one cleanly.
    pub(super) fn renew_node(&self) {
        self.node.store(fresh_node_id(), Ordering::Release);
    }

    /// The number of the last heartbeat sent.
    pub fn beat(&self) -> u64 {
        self.beats.load(Ordering::Acquire)
    }

    /// Numbers the next heartbeat.
    pub(super) fn next_beat(&self) -> u64 {
        self.beats.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// Whether the NATS link is up.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    pub(super) fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::Release);
    }

    /// Seals `message` for `aad` (its subject, or the subject a reply answers) and queues
    /// it for `subject`. `false` if the queue is full or the message too large.
    pub(super) fn send(&self, subject: &str, aad: &str, message: &impl Serialize) -> bool {
        let Some(payload) = self.seal(aad, message) else {
            return false;
        };
        let outgoing = Outgoing {
            subject: subject.to_owned(),
            payload,
        };
        self.outgoing.try_send(outgoing).is_ok()
    }

    /// Seals `message` for `aad` and hands it to the NATS client at once, past the queue
    /// (for heartbeats and claim answers, whose lateness would fork a room's order).
    /// `false` if the client has stopped, has had no room for `DIRECT_WAIT`, or the
    /// message is too large.
    pub(super) async fn send_now(
        &self,
        subject: &str,
        aad: &str,
        message: &impl Serialize,
    ) -> bool {
        let Some(payload) = self.seal(aad, message) else {
            return false;
        };
        let publish = self.client.publish(subject.to_owned(), payload);
        matches!(tokio::time::timeout(DIRECT_WAIT, publish).await, Ok(Ok(())))
    }

    /// `message`, sealed for `aad`; `None` if it is too large to send (see
    /// [`wire::encode`]).
    pub(super) fn seal(&self, aad: &str, message: &impl Serialize) -> Option<Bytes> {
        let encoded = wire::encode(message).ok()?;
        Some(self.keys.seal(aad, &encoded).into())
    }

    /// Opens and decodes a message sealed for `aad`; `None` for anything else.
    pub(super) fn open<T: DeserializeOwned>(&self, aad: &str, payload: &[u8]) -> Option<T> {
        wire::decode(&self.keys.open(aad, payload)?)
    }

    /// Sends `message`, a request whose answers are sealed for [`answer_aad`]`(subject,
    /// request)`, and waits up to `timeout` for the first answer that opens as one. Anything
    /// else arriving in the answer inbox (an answer to another request, copied there by
    /// whoever can publish on NATS) is ignored, so it cannot take the real answer's place.
    pub(super) async fn ask<T: DeserializeOwned>(
        &self,
        subject: &str,
        request: u64,
        message: &impl Serialize,
        timeout: Duration,
    ) -> Asked<T> {
        let Some(sealed) = self.seal(subject, message) else {
            return Asked::NoAnswer;
        };
        let aad = answer_aad(subject, request);
        let ask = async {
            let inbox = self.client.new_inbox();
            let Ok(mut answers) = self.client.subscribe(inbox.clone()).await else {
                return Asked::NoAnswer;
            };
            let sent = self
                .client
                .publish_with_reply(subject.to_owned(), inbox, sealed)
                .await;
            if sent.is_err() {
                return Asked::NoAnswer;
            }
            while let Some(answer) = answers.next().await {
                // The server's own notice that nobody listens on `subject`.
                if answer.status == Some(async_nats::StatusCode::NO_RESPONDERS) {
                    return Asked::NoResponders;
                }
                if let Some(answer) = self.open(&aad, &answer.payload) {
                    return Asked::Answer(answer);
                }
            }
            Asked::NoAnswer
        };
        tokio::time::timeout(timeout, ask)
            .await
            .unwrap_or(Asked::NoAnswer)
    }
}

/// What came of [`Transport::ask`].
#[derive(Debug)]
pub(super) enum Asked<T> {
    /// The answer.
    Answer(T),
    /// Nobody listens on the subject.
    NoResponders,
    /// No answer in time, or the request could not be sent.
    NoAnswer,
}

/// What the answers to request `request` on `subject` are sealed for: each answer is bound
/// to the one request it answers, so a recorded answer opens for no other.
pub fn answer_aad(subject: &str, request: u64) -> String {
    format!("{subject}.reply.{request:016x}")
}

/// What the answers on `subject` are sealed for when the request carries its own binding
/// (the ghostId key chain's asks carry a one-time key the answer is sealed to).
pub(super) fn reply_aad(subject: &str) -> String {
    format!("{subject}.reply")
}

fn fresh_node_id() -> NodeId {
    // Never 0, the node id of a gateway running alone.
    rand::random::<NodeId>().max(1)
}

/// Publishes queued messages in queue order, for as long as the gateway runs. Publishing
/// itself only hands the message to the NATS client, which sends it (or, while the link is
/// down, buffers it; stale messages are dropped by their receivers).
pub(super) async fn run_publisher(client: async_nats::Client, mut queue: mpsc::Receiver<Outgoing>) {
    while let Some(Outgoing { subject, payload }) = queue.recv().await {
        if client.publish(subject, payload).await.is_err() {
            tracing::debug!("cluster: a message could not be published");
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::FutureExt;

    use super::*;
    use crate::secret::SecretBytes32;

    #[tokio::test]
    async fn heartbeats_and_claim_answers_go_out_past_a_full_queue() {
        // A client that never reaches a server: publishing hands the message to it.
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connect("127.0.0.1:1")
            .now_or_never()
            .unwrap()
            .unwrap();
        let keys = ClusterKeys::new(&SecretBytes32::new([1; 32]));
        let (transport, _queue) = Transport::with_capacity(client, keys, 1);
        assert!(transport.send("ag.r.x", "ag.r.x", &1u8));
        assert!(
            !transport.send("ag.r.x", "ag.r.x", &2u8),
            "the queue is full: a room event is lost"
        );
        assert!(
            transport.send_now("ag.hb", "ag.hb", &3u8).await,
            "a heartbeat does not wait behind the queue"
        );
    }

    #[tokio::test]
    async fn a_direct_message_the_client_cannot_take_is_given_up_not_waited_for() {
        // No server: the client's buffer of one message fills and is never drained.
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .client_capacity(1)
            .connect("127.0.0.1:1")
            .now_or_never()
            .unwrap()
            .unwrap();
        let keys = ClusterKeys::new(&SecretBytes32::new([1; 32]));
        let (transport, _queue) = Transport::new(client, keys);
        assert!(transport.send_now("ag.hb", "ag.hb", &1u8).await);
        assert!(
            !transport.send_now("ag.hb", "ag.hb", &2u8).await,
            "the liveness loop goes on without this heartbeat"
        );
    }
}
