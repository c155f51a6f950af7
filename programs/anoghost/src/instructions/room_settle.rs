use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::lamports::move_lamports;
use crate::seeds::{SEED_CONFIG, SEED_ESCROW};
use crate::state::{Config, RoomEscrow};

/// Settles a locked escrow: `price × locked_keys` goes to the treasury, the rest and the
/// rent go back to the payer, and the escrow is closed.
///
/// The payer and the treasury are only credited, so both are plain accounts checked by
/// address: a payer that reassigns its wallet to a program of its own cannot make the
/// settlement fail (a `SystemAccount` would), and so cannot turn its keys into a refund.
///
/// Accounts:
/// 0. `[signer]` gateway_authority: the config's gateway authority.
/// 1. `[]` config: PDA `[SEED_CONFIG]`.
/// 2. `[writable]` escrow: PDA `[SEED_ESCROW, payer, nonce]`, locked; closed here.
/// 3. `[writable]` payer: the escrow's payer (any owner); receives the refund and the rent.
/// 4. `[writable]` treasury: the config's treasury.
#[derive(Accounts)]
#[instruction(nonce: [u8; 32])]
pub struct RoomSettle<'info> {
    pub gateway_authority: Signer<'info>,

    #[account(
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = gateway_authority @ AnoGhostError::NotGatewayAuthority,
        has_one = treasury @ AnoGhostError::WrongTreasury,
    )]
    pub config: Account<'info, Config>,

    #[account(
        mut,
        seeds = [SEED_ESCROW, payer.key().as_ref(), nonce.as_ref()],
        bump = escrow.bump,
        has_one = payer @ AnoGhostError::WrongPayer,
        close = payer,
    )]
    pub escrow: Account<'info, RoomEscrow>,

    /// CHECK: must be `escrow.payer` (`has_one`); only credited.
    #[account(mut)]
    pub payer: UncheckedAccount<'info>,

    /// CHECK: must be `config.treasury` (`has_one`); only credited.
    #[account(mut)]
    pub treasury: UncheckedAccount<'info>,
}

pub fn process_room_settle(ctx: Context<RoomSettle>, _nonce: [u8; 32]) -> Result<()> {
    let accounts = &ctx.accounts;
    let settlement = accounts.escrow.settlement()?;
    // The refund part and the rent reach the payer through `close = payer`.
    move_lamports(
        &accounts.escrow.to_account_info(),
        &accounts.treasury.to_account_info(),
        settlement.to_treasury,
    )
}
