use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::create_account::{create_program_account, NewAccount};
use crate::seeds::{SEED_CONFIG, SEED_PAYMENT};
use crate::state::{Config, PaymentVault};

/// Locks `amount` lamports for whoever can sign with `claim_pubkey` until `expiry`. The
/// vault's address follows from the claim key, which need not sign here, so it is created in
/// a way that lamports sent there first cannot block.
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

    /// CHECK: the vault PDA, created in the handler.
    #[account(mut, seeds = [SEED_PAYMENT, claim_pubkey.as_ref()], bump)]
    pub payment: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

pub fn process_payment_deposit(
    ctx: Context<PaymentDeposit>,
    claim_pubkey: Pubkey,
    amount: u64,
    expiry: i64,
) -> Result<()> {
    let accounts = &ctx.accounts;
    accounts.config.require_active()?;
    let now = Clock::get()?.unix_timestamp;
    let min_amount = Rent::get()?.minimum_balance(0);
    let bump = ctx.bumps.payment;
    let vault = PaymentVault::open(
        accounts.depositor.key(),
        claim_pubkey,
        amount,
        expiry,
        (now, min_amount),
        bump,
    )?;
    let depositor = accounts.depositor.to_account_info();
    let payment = accounts.payment.to_account_info();
    create_program_account(
        NewAccount {
            payer: &depositor,
            target: &payment,
            system_program: &accounts.system_program.to_account_info(),
            seeds: &[SEED_PAYMENT, claim_pubkey.as_ref(), &[bump]],
        },
        &vault,
    )?;
    system_program::transfer(
        CpiContext::new(
            system_program::ID,
            system_program::Transfer {
                from: depositor,
                to: payment,
            },
        ),
        amount,
    )
}
