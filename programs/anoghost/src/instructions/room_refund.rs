use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::seeds::SEED_ESCROW;
use crate::state::RoomEscrow;

/// Returns an escrow to its payer once its refund time has passed: an open escrow the
/// gateway never locked, or a locked one it never settled. The time comes from the runtime's
/// clock, never from an account the caller passes.
///
/// Accounts:
/// 0. `[writable, signer]` payer: the escrow's payer; receives everything it holds.
/// 1. `[writable]` escrow: PDA `[SEED_ESCROW, payer, escrow.nonce]`; closed here.
#[derive(Accounts)]
pub struct RoomRefund<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,

    #[account(
        mut,
        seeds = [SEED_ESCROW, payer.key().as_ref(), escrow.nonce.as_ref()],
        bump = escrow.bump,
        has_one = payer @ AnoGhostError::WrongPayer,
        close = payer,
    )]
    pub escrow: Account<'info, RoomEscrow>,
}

pub fn process_room_refund(ctx: Context<RoomRefund>) -> Result<()> {
    ctx.accounts
        .escrow
        .require_refundable(Clock::get()?.unix_timestamp)
}
