use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;

/// Longest refund timeout an admin may set: 30 days.
pub const MAX_REFUND_TIMEOUT_SECS: i64 = 30 * 24 * 60 * 60;

/// The program's single configuration account, at `[SEED_CONFIG]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Config {
    /// May change this config. Starts as the upgrade authority that ran `config_init`.
    pub admin: Pubkey,
    /// The only signer allowed to mint keys and settle escrows: the gateway's hot key.
    pub gateway_authority: Pubkey,
    /// Receives `price_per_key × minted` when an escrow is settled.
    pub treasury: Pubkey,
    /// Lamports a payer deposits per invited key.
    pub price_per_key: u64,
    /// Seconds after a deposit when its payer may reclaim an unsettled escrow.
    pub refund_timeout_secs: i64,
    /// While true, no deposits and no key mints are accepted. Settlements and refunds go on.
    pub paused: bool,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

/// The values an admin sets at `config_init` and may change later.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct ConfigParams {
    /// See [`Config::gateway_authority`].
    pub gateway_authority: Pubkey,
    /// See [`Config::treasury`].
    pub treasury: Pubkey,
    /// See [`Config::price_per_key`].
    pub price_per_key: u64,
    /// See [`Config::refund_timeout_secs`].
    pub refund_timeout_secs: i64,
}

impl ConfigParams {
    /// Refuses a zero price and a timeout outside 1 s ..= 30 days.
    pub fn validate(&self) -> Result<()> {
        require!(self.price_per_key > 0, AnoGhostError::InvalidConfig);
        require!(
            (1..=MAX_REFUND_TIMEOUT_SECS).contains(&self.refund_timeout_secs),
            AnoGhostError::InvalidConfig
        );
        Ok(())
    }
}

impl Config {
    /// Sets every field of a freshly created config.
    pub fn initialise(&mut self, admin: Pubkey, params: ConfigParams, bump: u8) {
        self.admin = admin;
        self.bump = bump;
        self.paused = false;
        self.apply(params);
    }

    /// Replaces the admin-settable values.
    pub fn apply(&mut self, params: ConfigParams) {
        self.gateway_authority = params.gateway_authority;
        self.treasury = params.treasury;
        self.price_per_key = params.price_per_key;
        self.refund_timeout_secs = params.refund_timeout_secs;
    }

    /// Fails with [`AnoGhostError::Paused`] while the admin has paused the program.
    pub fn require_active(&self) -> Result<()> {
        require!(!self.paused, AnoGhostError::Paused);
        Ok(())
    }
}
