use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::seeds::SEED_CONFIG;
use crate::state::{Config, ConfigParams};

/// What `config_update` changes. `None` leaves a value as it is.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigUpdateArgs {
    /// Hands the config to a new admin.
    pub admin: Option<Pubkey>,
    /// Replaces the gateway authority (for example after a key rotation).
    pub gateway_authority: Option<Pubkey>,
    /// Replaces the treasury.
    pub treasury: Option<Pubkey>,
    /// Replaces the price per key. Existing escrows keep the price they were funded at.
    pub price_per_key: Option<u64>,
    /// Replaces the refund timeout. Existing escrows keep their refund time.
    pub refund_timeout_secs: Option<i64>,
    /// Pauses (`true`) or resumes (`false`) deposits and mints.
    pub paused: Option<bool>,
}

/// Changes the program config. Admin only.
///
/// Accounts:
/// 0. `[signer]` admin: the config's current admin.
/// 1. `[writable]` config: PDA `[SEED_CONFIG]`.
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
}

pub fn process_config_update(ctx: Context<ConfigUpdate>, args: ConfigUpdateArgs) -> Result<()> {
    let config = &mut ctx.accounts.config;
    let params = ConfigParams {
        gateway_authority: args.gateway_authority.unwrap_or(config.gateway_authority),
        treasury: args.treasury.unwrap_or(config.treasury),
        price_per_key: args.price_per_key.unwrap_or(config.price_per_key),
        refund_timeout_secs: args
            .refund_timeout_secs
            .unwrap_or(config.refund_timeout_secs),
    };
    params.validate()?;
    config.apply(params);
    if let Some(admin) = args.admin {
        config.admin = admin;
    }
    if let Some(paused) = args.paused {
        config.paused = paused;
    }
    Ok(())
}
