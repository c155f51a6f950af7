use anchor_lang::prelude::*;

use super::config_init::require_treasury_system_owned;
use crate::errors::AnoGhostError;
use crate::seeds::SEED_CONFIG;
use crate::state::Config;

/// What `config_update` changes. `None` leaves a value as it is. The admin is handed over
/// with `admin_propose` and `admin_accept`, never here.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigUpdateArgs {
    /// Replaces the gateway authority (for example after a key rotation).
    pub gateway_authority: Option<Pubkey>,
    /// Replaces the treasury; its account must be passed and owned by the System Program.
    pub treasury: Option<Pubkey>,
    /// Replaces the price per key. Existing escrows keep the price they were funded at.
    pub price_per_key: Option<u64>,
    /// Replaces the refund timeout. Existing escrows keep their refund time.
    pub refund_timeout_secs: Option<i64>,
    /// Pauses (`true`) or resumes (`false`) deposits, locks and mints.
    pub paused: Option<bool>,
}

/// Changes the program config. Admin only.
///
/// Accounts:
/// 0. `[signer]` admin: the config's current admin.
/// 1. `[writable]` config: PDA `[SEED_CONFIG]`.
/// 2. `[]` treasury (optional): the new treasury, required when `args.treasury` is set; must
///    be owned by the System Program. Pass the program id when the treasury stays.
#[derive(Accounts)]
pub struct ConfigUpdate<'info> {
    pub admin: Signer<'info>,

    #[account(
        mut,
        seeds = [SEED_CONFIG],
        bump = config.bump,
        has_one = admin @ AnoGhostError::NotAdmin,
    )]
    pub config: Account<'info, Config>,

    /// CHECK: only its address and owner are read.
    pub treasury: Option<UncheckedAccount<'info>>,
}

impl ConfigUpdate<'_> {
    fn validate(&self, args: &ConfigUpdateArgs) -> Result<()> {
        if let Some(new_treasury) = args.treasury {
            let account = self
                .treasury
                .as_ref()
                .ok_or_else(|| error!(AnoGhostError::WrongTreasury))?;
            require_keys_eq!(account.key(), new_treasury, AnoGhostError::WrongTreasury);
            require_treasury_system_owned(account)?;
        }
        Ok(())
    }
}

pub fn process_config_update(ctx: Context<ConfigUpdate>, args: ConfigUpdateArgs) -> Result<()> {
    ctx.accounts.validate(&args)?;
    let config = &mut ctx.accounts.config;
    let current = config.params();
    let params = crate::state::ConfigParams {
        gateway_authority: args.gateway_authority.unwrap_or(current.gateway_authority),
        treasury: args.treasury.unwrap_or(current.treasury),
        price_per_key: args.price_per_key.unwrap_or(current.price_per_key),
        refund_timeout_secs: args
            .refund_timeout_secs
            .unwrap_or(current.refund_timeout_secs),
    };
    params.validate(Rent::get()?.minimum_balance(0))?;
    config.apply(params);
    if let Some(paused) = args.paused {
        config.paused = paused;
    }
    Ok(())
}
