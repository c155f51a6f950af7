use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;

/// Longest time a claimable payment may stay open: 30 days.
pub const MAX_PAYMENT_LIFETIME_SECS: i64 = 30 * 24 * 60 * 60;

/// A claimable in-chat payment at `[SEED_PAYMENT, claim_pubkey]`. Whoever holds the secret
/// half of `claim_pubkey` (sent inside the end-to-end encrypted chat) can claim it to any
/// wallet; after `expiry` only the depositor can take it back.
#[account]
#[derive(InitSpace, Debug)]
pub struct PaymentVault {
    /// Funded the payment; may reclaim it after expiry and gets the rent back.
    pub depositor: Pubkey,
    /// One-time key whose signature releases the payment.
    pub claim_pubkey: Pubkey,
    /// Lamports held on top of rent.
    pub amount: u64,
    /// Unix time at which claiming stops and reclaiming starts.
    pub expiry: i64,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl PaymentVault {
    /// A fresh deposit. The amount must be at least `min_amount` (the rent-exempt minimum of
    /// an empty account, so a claim to a brand-new wallet always lands) and the expiry must
    /// lie in `(now, now + 30 days]`.
    pub fn open(
        depositor: Pubkey,
        claim_pubkey: Pubkey,
        amount: u64,
        expiry: i64,
        (now, min_amount): (i64, u64),
        bump: u8,
    ) -> Result<Self> {
        require!(amount >= min_amount, AnoGhostError::AmountBelowRentMinimum);
        let latest = now
            .checked_add(MAX_PAYMENT_LIFETIME_SECS)
            .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
        require!(
            expiry > now && expiry <= latest,
            AnoGhostError::InvalidExpiry
        );
        Ok(Self {
            depositor,
            claim_pubkey,
            amount,
            expiry,
            bump,
        })
    }

    /// Fails once the payment has expired.
    pub fn require_claimable(&self, now: i64) -> Result<()> {
        require!(now < self.expiry, AnoGhostError::PaymentExpired);
        Ok(())
    }

    /// Fails while the payment can still be claimed.
    pub fn require_reclaimable(&self, now: i64) -> Result<()> {
        require!(now >= self.expiry, AnoGhostError::PaymentNotExpired);
        Ok(())
    }
}
