//! Settling locked escrows from chain state alone.
//!
//! A sweep asks the chain for every escrow in the `Locked` state (`getProgramAccounts`
//! with a `memcmp` on the state byte) and settles each after a random delay. Sweeps run at
//! start, periodically, and soon after this gateway locks an escrow. So a restart, or a
//! second gateway with the same authority, settles what another left: nothing waits in
//! memory to be settled, and no file is written. When two gateways settle the same escrow
//! one wins; the other's transaction fails in preflight and costs nothing.
//!
//! The delay is random up to `--settle-delay-max-secs`, but never more than half the time
//! left before the payer may refund, so the lock's refund timeout always leaves room.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::accounts::{decode_config, decode_escrow, escrow_len, EscrowState};
use anoghost_program_client::limits::ESCROW_STATE_OFFSET;
use anoghost_program_client::{instructions as ix, pda, PROGRAM_ID};
use solana_sdk::signature::{Keypair, Signer};
use tokio::sync::{watch, Notify};

use super::chain::{send_alone, AccountFilter, Chain, ChainError};
use super::minter::random_delay;
use crate::sync::lock;

/// The filters that select locked escrows.
pub fn locked_escrows() -> [AccountFilter; 2] {
    [
        AccountFilter::DataSize(escrow_len() as u64),
        AccountFilter::Memcmp {
            offset: ESCROW_STATE_OFFSET,
            bytes: vec![EscrowState::Locked.byte()],
        },
    ]
}

/// Finds and settles locked escrows.
pub struct Settler {
    authority: Arc<Keypair>,
    sweep_every: Duration,
    delay_max: Duration,
    scheduled: std::sync::Mutex<HashSet<Pubkey>>,
    wake: Notify,
}

impl std::fmt::Debug for Settler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settler").finish_non_exhaustive()
    }
}

impl Settler {
    /// A settler signing as `authority`, sweeping every `sweep_every` and waiting up to
    /// `delay_max` before each settlement.
    pub fn new(authority: Arc<Keypair>, sweep_every: Duration, delay_max: Duration) -> Self {
        Self {
            authority,
            sweep_every,
            delay_max,
            scheduled: std::sync::Mutex::new(HashSet::new()),
            wake: Notify::new(),
        }
    }

    /// Asks for a sweep now (after this gateway locked an escrow).
    pub fn sweep_soon(&self) {
        self.wake.notify_one();
    }

    /// Sweeps at start and then every period (or when asked), until shutdown.
    pub async fn run(self: Arc<Self>, chain: Arc<dyn Chain>, mut shutdown: watch::Receiver<bool>) {
        loop {
            if let Err(error) = self.sweep(&chain, &shutdown).await {
                // The error text may carry addresses, so only the fact is logged.
                drop(error);
                tracing::warn!("escrow sweep failed; retrying at the next one");
            }
            tokio::select! {
                () = tokio::time::sleep(self.sweep_every) => {}
                () = self.wake.notified() => {}
                _ = shutdown.changed() => return,
            }
        }
    }

    async fn sweep(
        self: &Arc<Self>,
        chain: &Arc<dyn Chain>,
        shutdown: &watch::Receiver<bool>,
    ) -> Result<(), ChainError> {
        let filters = locked_escrows();
        let locked = chain.get_program_accounts(&PROGRAM_ID, &filters).await?;
        for (address, account) in locked {
            let Ok(escrow) = decode_escrow(&account.owner, &account.data) else {
                continue;
            };
            if escrow.state != EscrowState::Locked || !lock(&self.scheduled).insert(address) {
                continue;
            }
            let delay = random_delay(self.delay_max.min(half_the_time_left(escrow.refundable_at)));
            let settler = self.clone();
            let chain = chain.clone();
            let mut shutdown = shutdown.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = tokio::time::sleep(delay) => {}
                    _ = shutdown.changed() => return,
                }
                settler
                    .settle(chain.as_ref(), address, escrow.payer, escrow.nonce)
                    .await;
            });
        }
        Ok(())
    }

    async fn settle(&self, chain: &dyn Chain, address: Pubkey, payer: Pubkey, nonce: [u8; 32]) {
        let result = async {
            let accounts = chain.get_multiple_accounts(&[pda::config()]).await?;
            let config = accounts
                .first()
                .and_then(Option::as_ref)
                .and_then(|account| decode_config(&account.owner, &account.data).ok())
                .ok_or_else(|| ChainError::new("program config not found"))?;
            let settle = ix::room_settle(&self.authority.pubkey(), &payer, &config.treasury, nonce);
            send_alone(chain, &self.authority, settle).await
        }
        .await;
        lock(&self.scheduled).remove(&address);
        match result {
            Ok(_) => tracing::debug!("escrow settled"),
            Err(_) => {
                let gone = chain
                    .get_multiple_accounts(&[address])
                    .await
                    .is_ok_and(|accounts| accounts.first().is_some_and(Option::is_none));
                if gone {
                    tracing::debug!("escrow already settled or refunded");
                } else {
                    tracing::warn!("escrow settlement failed; retrying at the next sweep");
                }
            }
        }
    }
}

/// Half the time from now until `refundable_at` (unix seconds), or zero.
fn half_the_time_left(refundable_at: i64) -> Duration {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let left = u64::try_from(refundable_at)
        .unwrap_or(0)
        .saturating_sub(now);
    Duration::from_secs(left / 2)
}
