use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::seeds::SEED_CONFIG;
use crate::state::Config;

/// Proposes a new admin. Nothing changes hands until the proposed admin signs
/// `admin_accept`, so a mistyped address cannot lock the config away. Proposing again
/// replaces the proposal.
///
/// Accounts:
/// 0. `[signer]` admin: the config's current admin.
/// 1. `[writable]` config: PDA `[SEED_CONFIG]`.
#[derive(Accounts)]
pub struct AdminPropose<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = admin @ AnoGhostError::NotAdmin,
    )]
    pub config: Account<'info, Config>,
}

pub fn process_admin_propose(ctx: Context<AdminPropose>, new_admin: Pubkey) -> Result<()> {
    ctx.accounts.config.propose_admin(new_admin);
    Ok(())
}
