//! The gateway's shared in-memory state. Nothing here is ever written to disk.

use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::RngCore;
use tokio::sync::{watch, Semaphore};

use crate::auth::ChallengeNonces;
use crate::cluster::Cluster;
use crate::config::GatewayConfig;
use crate::ghost::GhostEpochKeys;
use crate::limits::{client_ip, PerAddressLimiter};
use crate::paid::PaidRooms;
use crate::rooms::Registry;
use crate::secret::{HolderAddress, SecretBytes32};
use crate::sync::{read, write};

/// Everything the connections share.
pub struct Gateway {
    /// The configuration it was started with.
    pub config: GatewayConfig,
    /// Live rooms.
    pub rooms: Registry,
    /// Sign-in nonces: issued without state, remembered once spent.
    pub nonces: ChallengeNonces,
    /// The ghostId epoch keys.
    ghosts: RwLock<GhostEpochKeys>,
    /// Join attempts per client address.
    pub join_limiter: PerAddressLimiter,
    /// Key-burn requests per client address.
    pub burn_limiter: PerAddressLimiter,
    /// One permit per open WebSocket.
    pub connections: Arc<Semaphore>,
    /// Becomes `true` when the gateway shuts down.
    pub shutdown: watch::Receiver<bool>,
    shutdown_tx: watch::Sender<bool>,
    /// Paid rooms, when a chain is configured.
    pub paid: Option<PaidRooms>,
    /// The cluster, in cluster mode.
    pub cluster: Option<Arc<Cluster>>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway").finish_non_exhaustive()
    }
}

/// The ghost epoch of `at` for a rotation `period`.
pub fn epoch_at(at: SystemTime, period: Duration) -> u64 {
    let secs = at.duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
    secs / period.as_secs().max(1)
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}

impl Gateway {
    /// Fresh state: empty rooms, no spent nonces, and a ghost key chain from a random seed.
    /// In cluster mode, `cluster` is this gateway's membership. `shutdown` is the channel
    /// that tells every task to stop.
    pub fn new(
        config: GatewayConfig,
        paid: Option<PaidRooms>,
        cluster: Option<Arc<Cluster>>,
        shutdown: (watch::Sender<bool>, watch::Receiver<bool>),
    ) -> Arc<Self> {
        let period = GatewayConfig::secs(config.ghost_period_secs);
        let epoch = epoch_at(SystemTime::now(), period);
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        let ghosts = GhostEpochKeys::new(
            SecretBytes32::new(seed),
            epoch,
            config.ghost_window as usize,
        );
        zeroize::Zeroize::zeroize(&mut seed);
        let (shutdown_tx, shutdown_rx) = shutdown;
        Arc::new(Self {
            rooms: Registry::new(config.max_rooms, config.max_members_per_room as usize),
            // In a cluster, a challenge fetched from one gateway is answered on another.
            nonces: ChallengeNonces::new(
                cluster.as_ref().map(|c| c.derive_key(b"sign-in-nonces")),
                GatewayConfig::secs(config.challenge_ttl_secs),
                config.max_used_nonces,
            ),
            ghosts: RwLock::new(ghosts),
            join_limiter: PerAddressLimiter::new(config.joins_per_minute_per_ip),
            burn_limiter: PerAddressLimiter::new(config.burns_per_minute_per_ip),
            connections: Arc::new(Semaphore::new(config.max_connections)),
            shutdown: shutdown_rx,
            shutdown_tx,
            paid,
            cluster,
            config,
        })
    }

    /// A fresh ghostId for `holder` under the current epoch key.
    pub fn issue_ghost(&self, holder: &HolderAddress) -> String {
        read(&self.ghosts).issue(holder, &mut rand::rngs::OsRng)
    }

    /// The holder inside `ghost_id`, if it opens under a key still in the window. Callers
    /// hold it only for the request at hand.
    pub fn open_ghost(&self, ghost_id: &str) -> Option<HolderAddress> {
        read(&self.ghosts).open(ghost_id).ok()
    }

    /// Whether `ghost_id` opens under a key still in the window. The holder inside is
    /// dropped (and zeroized) before this returns.
    pub fn ghost_is_present(&self, ghost_id: &str) -> bool {
        self.open_ghost(ghost_id).is_some()
    }

    /// The ghost chain's newest epoch and key, to hand to another gateway of the cluster.
    pub fn ghost_chain(&self) -> (u64, SecretBytes32) {
        let keys = read(&self.ghosts);
        let (epoch, key) = keys.current();
        (epoch, key.clone())
    }

    /// The ghost chain's mark (see `GhostEpochKeys::mark`).
    pub fn ghost_mark(&self) -> (u64, u64) {
        read(&self.ghosts).mark()
    }

    /// Replaces the ghost chain with the one another gateway of the cluster holds, so a
    /// ghostId issued by any gateway opens on every one. GhostIds issued under the old chain
    /// stop opening.
    pub fn adopt_ghost_chain(&self, epoch: u64, key: SecretBytes32) {
        let mut chain = GhostEpochKeys::new(key, epoch, self.config.ghost_window as usize);
        let now = epoch_at(
            SystemTime::now(),
            GatewayConfig::secs(self.config.ghost_period_secs),
        );
        chain.advance_to(now);
        *write(&self.ghosts) = chain;
    }

    /// Moves the ghost key chain to the epoch of `now`.
    pub fn rotate_ghosts(&self, now: SystemTime) {
        let epoch = epoch_at(now, GatewayConfig::secs(self.config.ghost_period_secs));
        let mut keys = write(&self.ghosts);
        if epoch > keys.current_epoch() {
            keys.advance_to(epoch);
        }
    }

    /// The client address of a request from TCP peer `peer` with these header values,
    /// honouring forwarding headers only from `--trusted-proxy` peers.
    pub fn client_ip<'a>(
        &self,
        peer: IpAddr,
        forwarded: impl Iterator<Item = &'a str>,
        x_forwarded_for: impl Iterator<Item = &'a str>,
    ) -> IpAddr {
        client_ip(
            peer,
            forwarded,
            x_forwarded_for,
            &self.config.trusted_proxies,
        )
    }

    /// Tells every connection and task to stop.
    pub fn begin_shutdown(&self) {
        self.shutdown_tx.send_replace(true);
    }

    /// Open WebSocket connections.
    pub fn open_connections(&self) -> usize {
        self.config.max_connections - self.connections.available_permits()
    }
}

/// Rotates the ghost keys at every period boundary, for as long as the gateway runs. Keys
/// that leave the window are zeroized, so old ghostIds stop opening.
pub async fn run_ghost_rotation(gateway: Arc<Gateway>) {
    let period = GatewayConfig::secs(gateway.config.ghost_period_secs);
    let mut shutdown = gateway.shutdown.clone();
    loop {
        let now = SystemTime::now();
        let into_period = now
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis()
            % period.as_millis().max(1);
        let until_next = period.saturating_sub(Duration::from_millis(into_period as u64));
        tokio::select! {
            _ = tokio::time::sleep(until_next + Duration::from_millis(5)) => {
                gateway.rotate_ghosts(SystemTime::now());
            }
            _ = shutdown.changed() => return,
        }
    }
}
