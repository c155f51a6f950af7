use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::seeds::{SEED_CONFIG, SEED_ESCROW};
use crate::state::{Config, RoomEscrow};

/// Locks an open escrow for `keys` keys before the gateway mints any of them, and records
/// the gateway's random `lock_id` so it can later tell its own lock from a rival's. From now on
/// only a settlement ends it, until a fresh refund timeout has passed: the payer cannot
/// refund while the keys are being minted, and settlement depends on the escrow's state
/// alone (not on anything a gateway remembers).
///
/// Accounts:
/// 0. `[signer]` gateway_authority: the config's gateway authority.
/// 1. `[]` config: PDA `[SEED_CONFIG]`; must not be paused.
/// 2. `[writable]` escrow: PDA `[SEED_ESCROW, escrow.payer, nonce]`.
#[derive(Accounts)]
#[instruction(nonce: [u8; 32])]
pub struct RoomLock<'info> {
    pub gateway_authority: Signer<'info>,

    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = gateway_authority @ AnoGhostError::NotGatewayAuthority,
    )]
    pub config: Account<'info, Config>,

    #[account(
        mut,
        seeds = [SEED_ESCROW, escrow.payer.as_ref(), nonce.as_ref()],
        bump = escrow.bump,
    )]
    pub escrow: Account<'info, RoomEscrow>,
}

pub fn process_room_lock(
    ctx: Context<RoomLock>,
    _nonce: [u8; 32],
    keys: u16,
    lock_id: [u8; 16],
) -> Result<()> {
    let config = &ctx.accounts.config;
    config.require_active()?;
    let timeout = config.refund_timeout_secs;
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.escrow.lock(keys, lock_id, timeout, now)
}
