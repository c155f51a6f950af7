use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::seeds::{SEED_CONFIG, SEED_PAYMENT};
use crate::state::{Config, PaymentVault};

/// Locks `amount` lamports for whoever can sign with `claim_pubkey` until `expiry`.
///
/// Accounts:
/// 0. `[writable, signer]` depositor: funds the payment and its rent.
/// 1. `[]` config: PDA `[SEED_CONFIG]`; must not be paused.
/// 2. `[writable]` payment: PDA `[SEED_PAYMENT, claim_pubkey]`, created here.
/// 3. `[]` system_program.
#[derive(Accounts)]
#[instruction(claim_pubkey: Pubkey)]
pub struct PaymentDeposit<'info> {
    #[account(mut)]
    pub depositor: Signer<'info>,

    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Account<'info, Config>,

    #[account(
        init,
        payer = depositor,
        space = 8 + PaymentVault::INIT_SPACE,
        seeds = [SEED_PAYMENT, claim_pubkey.as_ref()],
        bump,
    )]
    pub payment: Account<'info, PaymentVault>,

    pub system_program: Program<'info, System>,
}

pub fn process_payment_deposit(
    ctx: Context<PaymentDeposit>,
    claim_pubkey: Pubkey,
    amount: u64,
    expiry: i64,
) -> Result<()> {
    ctx.accounts.config.require_active()?;
    let now = Clock::get()?.unix_timestamp;
    let depositor = ctx.accounts.depositor.key();
    ctx.accounts.payment.open(
        depositor,
        claim_pubkey,
        amount,
        expiry,
        now,
        ctx.bumps.payment,
    )?;
    system_program::transfer(
        CpiContext::new(
            system_program::ID,
            system_program::Transfer {
                from: ctx.accounts.depositor.to_account_info(),
                to: ctx.accounts.payment.to_account_info(),
            },
        ),
        amount,
    )
}
