use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::lamports::move_lamports;
use crate::seeds::SEED_PAYMENT;
use crate::state::PaymentVault;

/// Pays a claimable payment to any recipient. The claim key must sign, so a claim seen in
/// flight cannot be redirected: changing the recipient needs the claim secret. The rent goes
/// back to the depositor, who paid it.
///
/// The depositor is only credited, so it is a plain account checked by address: a
/// depositor that reassigns its wallet to a program of its own cannot block the claim until
/// the payment expires (a `SystemAccount` would let it).
///
/// Accounts:
/// 0. `[signer]` claimer: the payment's claim key.
/// 1. `[writable]` payment: PDA `[SEED_PAYMENT, claimer]`; closed here.
/// 2. `[writable]` recipient: any account; receives the amount.
/// 3. `[writable]` depositor: the payment's depositor (any owner); receives the rent.
#[derive(Accounts)]
pub struct PaymentClaim<'info> {
    pub claimer: Signer<'info>,

    #[account(
        mut,
        seeds = [SEED_PAYMENT, claimer.key().as_ref()],
        bump = payment.bump,
        constraint = payment.claim_pubkey == claimer.key() @ AnoGhostError::WrongClaimKey,
        has_one = depositor @ AnoGhostError::WrongPayer,
        close = depositor,
    )]
    pub payment: Account<'info, PaymentVault>,

    /// CHECK: the claimer chooses where the money goes; only lamports are credited.
    #[account(mut)]
    pub recipient: UncheckedAccount<'info>,

    /// CHECK: must be `payment.depositor` (`has_one`); only credited.
    #[account(mut)]
    pub depositor: UncheckedAccount<'info>,
}

impl PaymentClaim<'_> {
    fn validate(&self) -> Result<()> {
        // Paying the vault to itself would silently hand everything back to the depositor.
        require_keys_neq!(
            self.recipient.key(),
            self.payment.key(),
            AnoGhostError::DuplicateMutableAccount
        );
        self.payment.require_claimable(Clock::get()?.unix_timestamp)
    }
}

pub fn process_payment_claim(ctx: Context<PaymentClaim>) -> Result<()> {
    ctx.accounts.validate()?;
    let accounts = &ctx.accounts;
    move_lamports(
        &accounts.payment.to_account_info(),
        &accounts.recipient.to_account_info(),
        accounts.payment.amount,
    )
}
