//! Cluster mode: gateways share rooms over core NATS and keep nothing.
//!
//! Each room is ordered by one gateway (the one that created it, or the one that took over
//! when that gateway went away); every other gateway with a member in the room follows it.
//! Members' inputs go to the orderer on `ag.r.<id>`; the orderer numbers the room's events
//! and publishes them on `ag.r.<id>.e`; followers apply them in order and deliver to their
//! own members. `<id>` is an HMAC of the room's key under the cluster secret, and every
//! message is sealed under it, so NATS carries opaque subjects and ciphertext only. Core
//! NATS is at-most-once: numbering turns a lost message into a clean close of the room on
//! the gateways that missed it, never into a fork of the room's order. `docs/scaling.md`
//! describes the failure behaviour.
//!
//! # Layout
//! - [`options`]: the `--cluster*` flags. [`keys`]: routing ids and sealing.
//! - [`transport`]: the NATS connection, node id and publish queue. [`wire`]: messages.
//! - [`link`]: a room's link (implements `rooms::RoomLink`).
//! - [`claim`]: becoming a room's orderer. `join`: joining anywhere in the cluster.
//! - `orderer` and `follower`: the two listeners a room can have.
//! - [`nodes`]: heartbeats. `liveness`: what happens when a gateway or the link goes.
//! - `shared`: sign-in nonces and the ghostId key chain, shared by every gateway.

mod bounded;
mod claim;
mod follower;
mod join;
pub mod keys;
mod link;
mod liveness;
pub mod nodes;
pub mod options;
mod orderer;
mod replay;
mod shared;
pub mod transport;
pub mod wire;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use futures_util::FutureExt;
use tokio::sync::{mpsc, OwnedMutexGuard};

pub use options::{ClusterError, ClusterOptions};

use keys::ClusterKeys;
use liveness::Orphan;
use nodes::Nodes;
use transport::Transport;

use crate::sync::lock;

/// How often the NATS client pings its server: a lost link is noticed within two pings.
const PING_INTERVAL: Duration = Duration::from_secs(1);

/// This gateway's membership of the cluster.
pub struct Cluster {
    transport: Arc<Transport>,
    nodes: Nodes,
    /// One join at a time per room on this gateway, by orderer subject.
    join_locks: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
    /// Followed rooms whose orderer went away, waiting for its successor.
    orphans: Mutex<Vec<Orphan>>,
    /// The moving average of join answers, in microseconds (see `join`).
    join_micros: AtomicU64,
    /// The origin of the ghostId key chain this gateway holds (0 until settled; see
    /// `shared`).
    chain_origin: AtomicU64,
    /// Whether an ask for the chain is under way.
    asking: AtomicBool,
    /// The sweep of rooms ordered here for members of gateways that are not alive.
    sweep: Mutex<nodes::Sweep>,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster").finish_non_exhaustive()
    }
}

/// The NATS client's connection events, for [`Cluster::run`].
pub type LinkEvents = mpsc::Receiver<async_nats::Event>;

impl Cluster {
    /// Connects to NATS as `options` say. The connection is made in the background and
    /// retried for as long as the gateway runs; until it is up, joins are refused with
    /// `cluster_unavailable`. Must be called inside a Tokio runtime.
    pub fn connect(options: &ClusterOptions) -> Result<(Arc<Self>, LinkEvents), ClusterError> {
        let secret = options.secret()?;
        let (events_tx, events) = mpsc::channel(64);
        let mut connect = async_nats::ConnectOptions::new()
            // A gateway never needs its own messages back.
            .no_echo()
            .ping_interval(PING_INTERVAL)
            .connection_timeout(Duration::from_secs(2))
            .retry_on_initial_connect()
            .max_reconnects(None)
            .reconnect_delay_callback(|attempts| {
                Duration::from_millis(100u64.saturating_mul(1 << attempts.min(4)))
            })
            .event_callback(move |event| {
                let events_tx = events_tx.clone();
                async move {
                    let _ = events_tx.send(event).await;
                }
            });
        if let Some(token) = &options.token {
            connect = connect.token(token.0.clone());
        }
        if let Some(path) = &options.credentials {
            let bad = |reason: String| ClusterError::BadCredentials {
                path: path.clone(),
                reason,
            };
            let text = zeroize::Zeroizing::new(
                std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?,
            );
            connect = connect.credentials(&text).map_err(|e| bad(e.to_string()))?;
        }
        let servers: Vec<async_nats::ServerAddr> = options
            .servers
            .iter()
            .map(|url| {
                url.parse()
                    .map_err(|_| ClusterError::BadServer(url.clone()))
            })
            .collect::<Result<_, _>>()?;
        // With `retry_on_initial_connect` the client is built without waiting for the
        // server: the future completes on its first poll.
        let client = connect
            .connect(servers)
            .now_or_never()
            .ok_or_else(|| ClusterError::BadServer("the NATS client did not start".into()))?
            .map_err(|e| ClusterError::BadServer(e.to_string()))?;
        let (transport, queue) = Transport::new(client.clone(), ClusterKeys::new(&secret));
        tokio::spawn(transport::run_publisher(client, queue));
        Ok((Self::with_transport(transport), events))
    }

    /// A fresh membership on `transport`: no other gateway heard of yet.
    fn with_transport(transport: Transport) -> Arc<Self> {
        Arc::new(Self {
            transport: Arc::new(transport),
            nodes: Nodes::default(),
            join_locks: Mutex::new(HashMap::new()),
            orphans: Mutex::new(Vec::new()),
            join_micros: AtomicU64::new(0),
            chain_origin: AtomicU64::new(0),
            asking: AtomicBool::new(false),
            sweep: Mutex::new(nodes::Sweep::default()),
        })
    }

    /// A cluster link that never reaches a server (tests of what a gateway does with
    /// messages, without NATS). Must be called inside a Tokio runtime.
    #[cfg(test)]
    pub(crate) fn offline() -> Arc<Self> {
        let client = async_nats::ConnectOptions::new()
            .retry_on_initial_connect()
            .connect("127.0.0.1:1")
            .now_or_never()
            .and_then(Result::ok)
            .unwrap_or_else(|| unreachable!("a client that retries starts at once"));
        let keys = ClusterKeys::new(&crate::secret::SecretBytes32::new([1; 32]));
        let (transport, _queue) = Transport::new(client, keys);
        Self::with_transport(transport)
    }

    /// A key for `label` that every gateway of the cluster derives alike.
    pub fn derive_key(&self, label: &[u8]) -> crate::secret::SecretBytes32 {
        self.transport.keys.derive(label)
    }

    /// Whether the link to NATS is up.
    pub fn is_up(&self) -> bool {
        self.transport.is_up()
    }

    /// This gateway's node id.
    pub fn node(&self) -> crate::rooms::NodeId {
        self.transport.node()
    }

    /// Other gateways heard from recently.
    pub fn peers(&self) -> usize {
        self.nodes.count()
    }

    /// Waits for this gateway's turn to join the room whose orderer subject is `subject`.
    async fn serialize(&self, subject: &str) -> OwnedMutexGuard<()> {
        let mutex = {
            let mut locks = lock(&self.join_locks);
            locks.retain(|_, held| held.strong_count() > 0);
            match locks.get(subject).and_then(Weak::upgrade) {
                Some(mutex) => mutex,
                None => {
                    let mutex = Arc::new(tokio::sync::Mutex::new(()));
                    locks.insert(subject.to_owned(), Arc::downgrade(&mutex));
                    mutex
                }
            }
        };
        mutex.lock_owned().await
    }
}
