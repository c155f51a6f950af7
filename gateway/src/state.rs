//! The gateway's shared in-memory state. Nothing here is ever written to disk.

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rand::RngCore;
use tokio::sync::{watch, Semaphore};

use crate::auth::NonceStore;
use crate::cluster::Cluster;
use crate::config::GatewayConfig;
use crate::ghost::GhostEpochKeys;
use crate::limits::JoinLimiter;
use crate::paid::{Chain, Sealer};
use crate::rooms::Registry;
use crate::secret::{SecretBytes32, WalletAddress};
use crate::sync::{read, write};

/// Everything the connections share.
pub struct Gateway {
    /// The configuration it was started with.
    pub config: GatewayConfig,
    /// Live rooms.
    pub rooms: Registry,
    /// Outstanding sign-in nonces.
    pub nonces: NonceStore,
    /// The ghostId epoch keys.
    ghosts: RwLock<GhostEpochKeys>,
    /// The current ghost epoch; connections watch it to push fresh ghostIds.
    pub epoch: watch::Receiver<u64>,
    epoch_tx: watch::Sender<u64>,
    /// Join attempts per IP address.
    pub join_limiter: JoinLimiter,
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

/// What paid rooms need: the chain, the master key's sealer and the minting authority.
pub struct PaidRooms {
    /// Reads key accounts and sends mint and settle transactions.
    pub chain: Arc<dyn Chain>,
    /// Seals and opens key metadata fields.
    pub sealer: Sealer,
    /// Mints keys and settles escrows.
    pub minter: Arc<crate::paid::minting::Minter>,
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

impl Gateway {
    /// Fresh state: empty rooms, no nonces, and a ghost key chain from a random seed; in
    /// cluster mode, `cluster` is this gateway's membership.
    pub fn new(
        config: GatewayConfig,
        paid: Option<PaidRooms>,
        cluster: Option<Arc<Cluster>>,
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
        let (epoch_tx, epoch_rx) = watch::channel(epoch);
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        Arc::new(Self {
            rooms: Registry::new(config.max_rooms, config.max_members_per_room as usize),
            nonces: NonceStore::new(
                GatewayConfig::secs(config.challenge_ttl_secs),
                config.max_challenges,
            ),
            ghosts: RwLock::new(ghosts),
            epoch: epoch_rx,
            epoch_tx,
            join_limiter: JoinLimiter::new(config.joins_per_minute_per_ip),
            connections: Arc::new(Semaphore::new(config.max_connections)),
            shutdown: shutdown_rx,
            shutdown_tx,
            paid,
            cluster,
            config,
        })
    }

    /// A fresh ghostId for `wallet` under the current epoch key.
    pub fn issue_ghost(&self, wallet: &WalletAddress) -> String {
        read(&self.ghosts).issue(wallet, &mut rand::rngs::OsRng)
    }

    /// The wallet inside `ghost_id`, if it opens under a key still in the window. Callers
    /// hold it only for the request at hand.
    pub fn open_ghost(&self, ghost_id: &str) -> Option<WalletAddress> {
        read(&self.ghosts).open(ghost_id).ok()
    }

    /// Whether `ghost_id` opens under a key still in the window. The wallet inside is
    /// dropped (and zeroized) before this returns.
    pub fn ghost_is_present(&self, ghost_id: &str) -> bool {
        self.open_ghost(ghost_id).is_some()
    }

    /// Moves the ghost key chain to the epoch of `now` and tells the connections.
    pub fn rotate_ghosts(&self, now: SystemTime) {
        let epoch = epoch_at(now, GatewayConfig::secs(self.config.ghost_period_secs));
        let mut keys = write(&self.ghosts);
        if epoch > keys.current_epoch() {
            keys.advance_to(epoch);
            drop(keys);
            self.epoch_tx.send_replace(epoch);
        }
    }

    /// Tells every connection to close.
    pub fn begin_shutdown(&self) {
        self.shutdown_tx.send_replace(true);
    }

    /// Open WebSocket connections.
    pub fn open_connections(&self) -> usize {
        self.config.max_connections - self.connections.available_permits()
    }
}

/// Rotates the ghost keys at every period boundary, for as long as the gateway runs.
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
                gateway.nonces.sweep(std::time::Instant::now());
            }
            _ = shutdown.changed() => return,
        }
    }
}
