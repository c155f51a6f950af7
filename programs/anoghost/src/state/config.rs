use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;

/// Longest refund timeout an admin may set: 30 days.
pub const MAX_REFUND_TIMEOUT_SECS: i64 = 30 * 24 * 60 * 60;
/// Shortest refund timeout an admin may set: one minute, so the gateway always has time to
/// settle a locked escrow before its payer may take it back.
pub const MIN_REFUND_TIMEOUT_SECS: i64 = 60;

/// The program's single configuration account, at `[SEED_CONFIG]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct Config {
    /// May change this config. Starts as the upgrade authority that ran `config_init`.
    pub admin: Pubkey,
    /// The admin proposed by `admin_propose`, until it signs `admin_accept`.
    pub pending_admin: Option<Pubkey>,
    /// The only signer allowed to lock escrows, mint keys and settle: the gateway's hot key.
    pub gateway_authority: Pubkey,
    /// Receives `price_per_key × locked_keys` when an escrow is settled. Owned by the System
    /// Program when it was set.
    pub treasury: Pubkey,
    /// Lamports a payer deposits per invited key.
    pub price_per_key: u64,
    /// Seconds a payer waits to refund an escrow: after the deposit while it is open, after
    /// the lock once the gateway has locked it.
    pub refund_timeout_secs: i64,
    /// While true, no deposits, locks or key mints are accepted. Settlements, refunds,
    /// claims and reclaims go on.
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
    /// Refuses a price below `min_price` (the rent-exempt minimum of an empty account, so a
    /// settlement to an empty treasury always lands) and a timeout outside
    /// 60 s ..= 30 days.
    pub fn validate(&self, min_price: u64) -> Result<()> {
        require!(
            self.price_per_key >= min_price,
            AnoGhostError::InvalidConfig
        );
        require!(
            (MIN_REFUND_TIMEOUT_SECS..=MAX_REFUND_TIMEOUT_SECS).contains(&self.refund_timeout_secs),
            AnoGhostError::InvalidConfig
        );
        Ok(())
    }
}

impl Config {
    /// A fresh config: `admin` administers it, nothing is proposed, nothing is paused.
    pub fn new(admin: Pubkey, params: ConfigParams, bump: u8) -> Self {
        Self {
            admin,
            pending_admin: None,
            gateway_authority: params.gateway_authority,
            treasury: params.treasury,
            price_per_key: params.price_per_key,
            refund_timeout_secs: params.refund_timeout_secs,
            paused: false,
            bump,
        }
    }

    /// Replaces the admin-settable values.
    pub fn apply(&mut self, params: ConfigParams) {
        self.gateway_authority = params.gateway_authority;
        self.treasury = params.treasury;
        self.price_per_key = params.price_per_key;
        self.refund_timeout_secs = params.refund_timeout_secs;
    }

    /// The values `config_update` may change, as they stand.
    pub fn params(&self) -> ConfigParams {
        ConfigParams {
            gateway_authority: self.gateway_authority,
            treasury: self.treasury,
            price_per_key: self.price_per_key,
            refund_timeout_secs: self.refund_timeout_secs,
        }
    }

    /// Records `new_admin` as proposed; it takes over only when it signs `admin_accept`.
    pub fn propose_admin(&mut self, new_admin: Pubkey) {
        self.pending_admin = Some(new_admin);
    }

    /// Hands the config to `signer` if it is the proposed admin.
    pub fn accept_admin(&mut self, signer: Pubkey) -> Result<()> {
        require!(
            self.pending_admin == Some(signer),
            AnoGhostError::NotProposedAdmin
        );
        self.admin = signer;
        self.pending_admin = None;
        Ok(())
    }

    /// Fails with [`AnoGhostError::Paused`] while the admin has paused the program.
    pub fn require_active(&self) -> Result<()> {
        require!(!self.paused, AnoGhostError::Paused);
        Ok(())
    }
}
