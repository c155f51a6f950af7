//! The batch minter shared by every paid room.
//!
//! Minting a room's keys back to back from one fee payer would let anyone who watches the
//! chain group them by timing. Instead every room puts its keys into one pool; a single task
//! waits a random delay (up to `--mint-delay-max-ms`), takes a key chosen at random from the
//! whole pool, mints it in a transaction of its own, and repeats. Keys of rooms created
//! around the same time come out interleaved, and no transaction carries two keys. What this
//! hides depends on traffic: a room alone in the pool is still a run of mints
//! (`docs/program.md`, Privacy).
//!
//! The pool lives in memory: a restart loses the mints not yet sent (their escrow was locked
//! and is settled for them all the same; see `docs/program.md`).

use std::sync::Arc;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::instructions as ix;
use anoghost_program_client::key::read_key_mint;
use anoghost_program_client::limits::{INVITE_LEN, ROOM_BINDING_LEN};
use rand::Rng;
use solana_sdk::signature::{Keypair, Signer};
use tokio::sync::{oneshot, watch, Notify};

use super::chain::{send_alone, Chain};
use crate::secret::HolderAddress;
use crate::sync::lock;

/// Attempts per key before it counts as not minted.
const MINT_ATTEMPTS: usize = 3;
/// Pause between attempts.
const RETRY_PAUSE: Duration = Duration::from_millis(500);

/// One key to mint.
pub struct KeyOrder {
    /// Where the key goes.
    pub holder: HolderAddress,
    /// Its `room` field.
    pub binding: [u8; ROOM_BINDING_LEN],
    /// Its `invite` field.
    pub invite: [u8; INVITE_LEN],
    /// Its invitee's position in the room's request.
    pub slot: usize,
}

/// How far one room's keys have got.
struct RoomProgress {
    minted: Vec<bool>,
    remaining: usize,
    done: Option<oneshot::Sender<Vec<bool>>>,
}

struct PendingKey {
    order: KeyOrder,
    room: Arc<std::sync::Mutex<RoomProgress>>,
}

/// The shared pool and the task that empties it.
pub struct BatchMinter {
    authority: Arc<Keypair>,
    delay_max: Duration,
    pool: std::sync::Mutex<Vec<PendingKey>>,
    wake: Notify,
}

impl std::fmt::Debug for BatchMinter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BatchMinter").finish_non_exhaustive()
    }
}

impl BatchMinter {
    /// A minter signing as `authority`, waiting up to `delay_max` before each mint.
    pub fn new(authority: Arc<Keypair>, delay_max: Duration) -> Self {
        Self {
            authority,
            delay_max,
            pool: std::sync::Mutex::new(Vec::new()),
            wake: Notify::new(),
        }
    }

    /// Adds a room's keys to the pool. The receiver gets, for each of the room's `invitees`
    /// slots, whether its key was minted, once every key is done.
    pub fn submit(&self, invitees: usize, orders: Vec<KeyOrder>) -> oneshot::Receiver<Vec<bool>> {
        let (done, receiver) = oneshot::channel();
        let room = Arc::new(std::sync::Mutex::new(RoomProgress {
            minted: vec![false; invitees],
            remaining: orders.len(),
            done: Some(done),
        }));
        if orders.is_empty() {
            finish(&mut lock(&room));
            return receiver;
        }
        lock(&self.pool).extend(orders.into_iter().map(|order| PendingKey {
            order,
            room: room.clone(),
        }));
        self.wake.notify_one();
        receiver
    }

    /// Keys waiting in the pool.
    pub fn pending(&self) -> usize {
        lock(&self.pool).len()
    }

    fn take_random(&self) -> Option<PendingKey> {
        let mut pool = lock(&self.pool);
        if pool.is_empty() {
            return None;
        }
        let index = rand::thread_rng().gen_range(0..pool.len());
        Some(pool.swap_remove(index))
    }

    /// Mints pooled keys, one at a time, until the gateway shuts down.
    pub async fn run(self: Arc<Self>, chain: Arc<dyn Chain>, mut shutdown: watch::Receiver<bool>) {
        loop {
            while self.pending() == 0 {
                tokio::select! {
                    () = self.wake.notified() => {}
                    _ = shutdown.changed() => return,
                }
            }
            let delay = random_delay(self.delay_max);
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                _ = shutdown.changed() => return,
            }
            let Some(key) = self.take_random() else {
                continue;
            };
            let minted = self.mint(chain.as_ref(), &key.order).await;
            if minted {
                tracing::debug!("key minted");
            } else {
                // The error text may carry addresses, so only the fact is logged.
                tracing::warn!("key mint failed");
            }
            let mut room = lock(&key.room);
            room.minted[key.order.slot] = minted;
            room.remaining = room.remaining.saturating_sub(1);
            if room.remaining == 0 {
                finish(&mut room);
            }
        }
    }

    /// Mints one key; whether it exists afterwards with this order's binding.
    async fn mint(&self, chain: &dyn Chain, order: &KeyOrder) -> bool {
        let holder = Pubkey::new_from_array(*order.holder.as_bytes());
        let (instruction, mint) = ix::key_mint(
            &self.authority.pubkey(),
            &holder,
            order.binding,
            order.invite,
        );
        for _ in 0..MINT_ATTEMPTS {
            if send_alone(chain, &self.authority, instruction.clone())
                .await
                .is_ok()
            {
                return true;
            }
            // A lost confirmation, or a key already at this holder (another room's contact
            // collided with this one): the chain says which.
            if let Ok(accounts) = chain.get_multiple_accounts(&[mint]).await {
                if let Some(Some(account)) = accounts.first() {
                    return read_key_mint(&account.data)
                        .is_ok_and(|key| key.room_binding == order.binding);
                }
            }
            tokio::time::sleep(RETRY_PAUSE).await;
        }
        false
    }
}

fn finish(room: &mut RoomProgress) {
    if let Some(done) = room.done.take() {
        let _ = done.send(std::mem::take(&mut room.minted));
    }
}

/// A uniformly random delay in `[0, max]`.
pub fn random_delay(max: Duration) -> Duration {
    let max_ms = u64::try_from(max.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::thread_rng().gen_range(0..=max_ms))
}
