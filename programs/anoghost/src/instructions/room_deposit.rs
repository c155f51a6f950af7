use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::create_account::{create_program_account, NewAccount};
use crate::seeds::{SEED_CONFIG, SEED_ESCROW};
use crate::state::{Config, RoomEscrow};

/// Funds a room escrow with `price_per_key × keys` lamports. The escrow's address follows
/// from the payer and the nonce, both visible in the pending transaction and the Solana Pay
/// link, so it is created in a way that lamports sent there first cannot block.
///
/// Accounts:
/// 0. `[writable, signer]` payer: funds the escrow and its rent.
/// 1. `[]` config: PDA `[SEED_CONFIG]`; must not be paused.
/// 2. `[writable]` escrow: PDA `[SEED_ESCROW, payer, nonce]`, created here.
/// 3. `[]` system_program.
#[derive(Accounts)]
#[instruction(nonce: [u8; 32])]
pub struct RoomDeposit<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,

    #[account(seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Account<'info, Config>,

    /// CHECK: the escrow PDA, created in the handler.
    #[account(mut, seeds = [SEED_ESCROW, payer.key().as_ref(), nonce.as_ref()], bump)]
    pub escrow: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

pub fn process_room_deposit(ctx: Context<RoomDeposit>, nonce: [u8; 32], keys: u16) -> Result<()> {
    let accounts = &ctx.accounts;
    let config = &accounts.config;
    config.require_active()?;
    let now = Clock::get()?.unix_timestamp;
    let payer = accounts.payer.key();
    let bump = ctx.bumps.escrow;
    let escrow = RoomEscrow::open(payer, nonce, keys, config, now, bump)?;
    let payer_info = accounts.payer.to_account_info();
    let escrow_info = accounts.escrow.to_account_info();
    create_program_account(
        NewAccount {
            payer: &payer_info,
            target: &escrow_info,
            system_program: &accounts.system_program.to_account_info(),
            seeds: &[SEED_ESCROW, payer.as_ref(), nonce.as_ref(), &[bump]],
        },
        &escrow,
    )?;
    system_program::transfer(
        CpiContext::new(
            system_program::ID,
            system_program::Transfer {
                from: payer_info,
                to: escrow_info,
            },
        ),
        escrow.amount,
    )
}
