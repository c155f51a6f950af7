use anchor_lang::prelude::*;
use anchor_lang::system_program;

use crate::seeds::{SEED_CONFIG, SEED_ESCROW};
use crate::state::{Config, RoomEscrow};

/// Funds a room escrow with `price_per_key × keys` lamports.
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

    #[account(
        init,
        payer = payer,
        space = 8 + RoomEscrow::INIT_SPACE,
        seeds = [SEED_ESCROW, payer.key().as_ref(), nonce.as_ref()],
        bump,
    )]
    pub escrow: Account<'info, RoomEscrow>,

    pub system_program: Program<'info, System>,
}

pub fn process_room_deposit(ctx: Context<RoomDeposit>, nonce: [u8; 32], keys: u16) -> Result<()> {
    let config = &ctx.accounts.config;
    config.require_active()?;
    let now = Clock::get()?.unix_timestamp;
    let payer = ctx.accounts.payer.key();
    ctx.accounts
        .escrow
        .open(payer, nonce, keys, config, now, ctx.bumps.escrow)?;
    let amount = ctx.accounts.escrow.amount;
    system_program::transfer(
        CpiContext::new(
            system_program::ID,
            system_program::Transfer {
                from: ctx.accounts.payer.to_account_info(),
                to: ctx.accounts.escrow.to_account_info(),
            },
        ),
        amount,
    )
}
