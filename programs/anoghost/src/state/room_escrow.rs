use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::state::Config;

/// Most keys one room escrow may pay for.
pub const MAX_KEYS_PER_ROOM: u16 = 1000;

/// Lamports held for one paid room until the gateway settles it or the payer reclaims it.
/// Lives at `[SEED_ESCROW, payer, nonce]`. The nonce is random and is not the room id, so
/// nothing on chain ties this escrow to the keys minted for the room.
#[account]
#[derive(InitSpace, Debug)]
pub struct RoomEscrow {
    /// Funded the escrow; receives the unused part and the rent back.
    pub payer: Pubkey,
    /// Client-chosen random nonce, part of the address.
    pub nonce: [u8; 32],
    /// Keys paid for.
    pub keys: u16,
    /// Price per key when the deposit was made: later price changes do not apply.
    pub price_per_key: u64,
    /// Lamports deposited on top of rent: `keys × price_per_key`.
    pub amount: u64,
    /// Unix time from which the payer may reclaim an unsettled escrow.
    pub refundable_at: i64,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

/// How a settlement divides an escrow's deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// Lamports for the treasury: `minted × price_per_key`.
    pub to_treasury: u64,
    /// Lamports back to the payer, before the rent that closing returns too.
    pub refund: u64,
}

impl RoomEscrow {
    /// Records a fresh deposit of `keys` keys at the config's current price, refundable the
    /// config's refund timeout after `now`. Later config changes do not touch this escrow.
    pub fn open(
        &mut self,
        payer: Pubkey,
        nonce: [u8; 32],
        keys: u16,
        config: &Config,
        now: i64,
        bump: u8,
    ) -> Result<()> {
        let price_per_key = config.price_per_key;
        require!(
            (1..=MAX_KEYS_PER_ROOM).contains(&keys),
            AnoGhostError::InvalidKeyCount
        );
        self.payer = payer;
        self.nonce = nonce;
        self.keys = keys;
        self.price_per_key = price_per_key;
        self.amount = price_per_key
            .checked_mul(u64::from(keys))
            .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
        self.refundable_at = now
            .checked_add(config.refund_timeout_secs)
            .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
        self.bump = bump;
        Ok(())
    }

    /// Splits the deposit for `minted` keys. Fails if more were minted than paid for.
    pub fn settlement(&self, minted: u16) -> Result<Settlement> {
        require!(minted <= self.keys, AnoGhostError::MintedExceedsKeys);
        let to_treasury = self
            .price_per_key
            .checked_mul(u64::from(minted))
            .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
        let refund = self
            .amount
            .checked_sub(to_treasury)
            .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
        Ok(Settlement {
            to_treasury,
            refund,
        })
    }

    /// Fails with [`AnoGhostError::RefundTooEarly`] before the refund time.
    pub fn require_refundable(&self, now: i64) -> Result<()> {
        require!(now >= self.refundable_at, AnoGhostError::RefundTooEarly);
        Ok(())
    }
}
