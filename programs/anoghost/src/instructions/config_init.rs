use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::errors::AnoGhostError;
use crate::seeds::SEED_CONFIG;
use crate::state::{Config, ConfigParams};

/// Creates the program config. Only the program's upgrade authority may call it, so nobody
/// can front-run the deployer between `deploy` and `config_init`.
///
/// Accounts:
/// 0. `[writable, signer]` admin: the program's upgrade authority; pays for the config.
/// 1. `[writable]` config: PDA `[SEED_CONFIG]`, created here.
/// 2. `[]` program_data: the program's ProgramData account, PDA of the upgradeable loader at
///    `[program_id]`, whose upgrade authority must be `admin`.
/// 3. `[]` system_program.
#[derive(Accounts)]
pub struct ConfigInit<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,

    #[account(
        init,
        payer = admin,
        space = 8 + Config::INIT_SPACE,
        seeds = [SEED_CONFIG],
        bump,
    )]
    pub config: Account<'info, Config>,

    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
    )]
    pub program_data: Account<'info, ProgramData>,

    pub system_program: Program<'info, System>,
}

impl ConfigInit<'_> {
    fn validate(&self, params: &ConfigParams) -> Result<()> {
        require!(
            self.program_data.upgrade_authority_address == Some(self.admin.key()),
            AnoGhostError::NotUpgradeAuthority
        );
        params.validate()
    }
}

pub fn process_config_init(ctx: Context<ConfigInit>, params: ConfigParams) -> Result<()> {
    ctx.accounts.validate(&params)?;
    let admin = ctx.accounts.admin.key();
    ctx.accounts
        .config
        .initialise(admin, params, ctx.bumps.config);
    Ok(())
}
