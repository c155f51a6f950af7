//! The gateway's one NATS connection: this gateway's node id, whether the link is up, and
//! a single ordered queue for everything it publishes.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use bytes::Bytes;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::mpsc;

use super::keys::ClusterKeys;
use super::wire;
use crate::rooms::NodeId;

/// Messages queued for NATS before publishing fails; a message that does not fit is lost,
/// and its receivers notice the gap.
const OUTGOING_CAPACITY: usize = 65_536;

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
        let (outgoing, queue) = mpsc::channel(OUTGOING_CAPACITY);
        let transport = Self {
            client,
            keys,
            node: AtomicU64::new(fresh_node_id()),
            up: AtomicBool::new(false),
            outgoing,
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

    /// Whether the NATS link is up.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    pub(super) fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::Release);
    }

    /// Seals `message` for `aad` (its subject, or the subject a reply answers) and queues
    /// it for `subject`. `false` if the queue is full.
    pub(super) fn send(&self, subject: &str, aad: &str, message: &impl Serialize) -> bool {
        let payload = self.seal(aad, message);
        let outgoing = Outgoing {
            subject: subject.to_owned(),
            payload,
        };
        self.outgoing.try_send(outgoing).is_ok()
    }

    /// `message`, sealed for `aad`.
    pub(super) fn seal(&self, aad: &str, message: &impl Serialize) -> Bytes {
        self.keys.seal(aad, &wire::encode(message)).into()
    }

    /// Opens and decodes a message sealed for `aad`; `None` for anything else.
    pub(super) fn open<T: DeserializeOwned>(&self, aad: &str, payload: &[u8]) -> Option<T> {
        wire::decode(&self.keys.open(aad, payload)?)
    }
}

/// The subject whose messages' answers are sealed for `subject`'s reply.
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
