use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::seeds::SEED_PAYMENT;
use crate::state::PaymentVault;

/// Returns an unclaimed payment to its depositor after expiry.
///
/// Accounts:
/// 0. `[writable, signer]` depositor: the payment's depositor; receives everything.
/// 1. `[writable]` payment: PDA `[SEED_PAYMENT, payment.claim_pubkey]`; closed here.
#[derive(Accounts)]
pub struct PaymentReclaim<'info> {
    #[account(mut)]
    pub depositor: Signer<'info>,

    #[account(
        mut,
        seeds = [SEED_PAYMENT, payment.claim_pubkey.as_ref()],
        bump = payment.bump,
        has_one = depositor @ AnoGhostError::WrongPayer,
        close = depositor,
    )]
    pub payment: Account<'info, PaymentVault>,
}

pub fn process_payment_reclaim(ctx: Context<PaymentReclaim>) -> Result<()> {
    ctx.accounts
        .payment
        .require_reclaimable(Clock::get()?.unix_timestamp)
}
