use anchor_lang::prelude::*;

use crate::seeds::SEED_CONFIG;
use crate::state::Config;

/// The proposed admin takes over the config.
///
/// Accounts:
/// 0. `[signer]` new_admin: the admin proposed by `admin_propose`.
/// 1. `[writable]` config: PDA `[SEED_CONFIG]`.
#[derive(Accounts)]
pub struct AdminAccept<'info> {
    pub new_admin: Signer<'info>,

    #[account(mut, seeds = [SEED_CONFIG], bump = config.bump)]
    pub config: Account<'info, Config>,
}

pub fn process_admin_accept(ctx: Context<AdminAccept>) -> Result<()> {
    let signer = ctx.accounts.new_admin.key();
    ctx.accounts.config.accept_admin(signer)
}
