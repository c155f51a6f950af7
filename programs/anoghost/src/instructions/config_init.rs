use anchor_lang::prelude::*;
use anchor_lang::solana_program::bpf_loader_upgradeable;

use crate::create_account::{create_program_account, NewAccount};
use crate::errors::AnoGhostError;
use crate::seeds::SEED_CONFIG;
use crate::state::{Config, ConfigParams};

/// Creates the program config. Only the program's upgrade authority may call it, so nobody
/// can hijack the window between `deploy` and `config_init`; and the config is created so
/// that lamports sent to its (public) address beforehand cannot block it.
///
/// Accounts:
/// 0. `[writable, signer]` admin: the program's upgrade authority; pays for the config.
/// 1. `[writable]` config: PDA `[SEED_CONFIG]`, created here.
/// 2. `[]` program_data: the program's ProgramData account, PDA of the upgradeable loader at
///    `[program_id]`, whose upgrade authority must be `admin`.
/// 3. `[]` treasury: the treasury named in `params`; must be owned by the System Program.
/// 4. `[]` system_program.
#[derive(Accounts)]
#[instruction(params: ConfigParams)]
pub struct ConfigInit<'info> {
    #[account(mut)]
    pub admin: Signer<'info>,

    /// CHECK: the config PDA, created in the handler (not with `init`, see `create_account`).
    #[account(mut, seeds = [SEED_CONFIG], bump)]
    pub config: UncheckedAccount<'info>,

    #[account(
        seeds = [crate::ID.as_ref()],
        bump,
        seeds::program = bpf_loader_upgradeable::ID,
    )]
    pub program_data: Account<'info, ProgramData>,

    /// CHECK: only its address and owner are read.
    #[account(address = params.treasury @ AnoGhostError::WrongTreasury)]
    pub treasury: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl ConfigInit<'_> {
    fn validate(&self, params: &ConfigParams) -> Result<()> {
        require!(
            self.program_data.upgrade_authority_address == Some(self.admin.key()),
            AnoGhostError::NotUpgradeAuthority
        );
        require_treasury_system_owned(&self.treasury)?;
        params.validate(Rent::get()?.minimum_balance(0))
    }
}

/// Fails unless `treasury` belongs to the System Program: a settlement credits it, and an
/// account of another program could make every settlement fail.
pub fn require_treasury_system_owned(treasury: &AccountInfo) -> Result<()> {
    require_keys_eq!(
        *treasury.owner,
        System::id(),
        AnoGhostError::TreasuryNotSystemOwned
    );
    Ok(())
}

pub fn process_config_init(ctx: Context<ConfigInit>, params: ConfigParams) -> Result<()> {
    ctx.accounts.validate(&params)?;
    let accounts = &ctx.accounts;
    let bump = ctx.bumps.config;
    let config = Config::new(accounts.admin.key(), params, bump);
    create_program_account(
        NewAccount {
            payer: &accounts.admin.to_account_info(),
            target: &accounts.config.to_account_info(),
            system_program: &accounts.system_program.to_account_info(),
            seeds: &[SEED_CONFIG, &[bump]],
        },
        &config,
    )
}
