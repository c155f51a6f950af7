use anchor_lang::prelude::*;

use crate::errors::AnoGhostError;
use crate::state::Config;

/// Most keys one room escrow may pay for.
pub const MAX_KEYS_PER_ROOM: u16 = 1000;

/// Byte offset of [`RoomEscrow::payer`] in the account data (after the 8-byte discriminator).
pub const ESCROW_PAYER_OFFSET: usize = 8;
/// Byte offset of [`RoomEscrow::nonce`]: a client finds an escrow by its nonce alone with a
/// `memcmp` filter, whoever paid it.
pub const ESCROW_NONCE_OFFSET: usize = ESCROW_PAYER_OFFSET + 32;
/// Byte offset of [`RoomEscrow::state`]: the gateway finds locked escrows with a `memcmp`
/// filter on this byte.
pub const ESCROW_STATE_OFFSET: usize = ESCROW_NONCE_OFFSET + 32 + 2 + 8 + 8;

/// Where an escrow stands. Stored as one byte at [`ESCROW_STATE_OFFSET`].
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscrowState {
    /// Funded; the payer may refund it after the refund time; the gateway may lock it.
    Open,
    /// Locked by the gateway for minting: only a settlement (or, after a fresh timeout, a
    /// refund) ends it.
    Locked,
}

impl EscrowState {
    /// The byte this state is stored as, for `memcmp` filters.
    pub fn byte(self) -> u8 {
        self as u8
    }
}

/// Lamports held for one paid room until the gateway settles it or the payer reclaims it.
/// Lives at `[SEED_ESCROW, payer, nonce]`. The nonce is random and unrelated to the room, so
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
    /// Open or locked.
    pub state: EscrowState,
    /// Keys the gateway locked the escrow for; what settlement charges.
    pub locked_keys: u16,
    /// Unix time from which the payer may refund it.
    pub refundable_at: i64,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Random id the gateway chose for its lock (zero while open). A gateway whose lock
    /// transaction seemed to fail reads it to tell its own lock, whose confirmation was
    /// lost, from another request's lock of the same escrow: only its own lets it mint.
    pub lock_id: [u8; 16],
}

/// How a settlement divides an escrow's deposit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settlement {
    /// Lamports for the treasury: `locked_keys × price_per_key`.
    pub to_treasury: u64,
    /// Lamports back to the payer, before the rent that closing returns too.
    pub refund: u64,
}

/// Checks a deposit's key count: 1 ..= [`MAX_KEYS_PER_ROOM`].
pub fn check_key_count(keys: u16) -> Result<()> {
    require!(
        (1..=MAX_KEYS_PER_ROOM).contains(&keys),
        AnoGhostError::InvalidKeyCount
    );
    Ok(())
}

impl RoomEscrow {
    /// A fresh deposit of `keys` keys at the config's current price, refundable the config's
    /// refund timeout after `now`. Later config changes do not touch this escrow.
    pub fn open(
        payer: Pubkey,
        nonce: [u8; 32],
        keys: u16,
        config: &Config,
        now: i64,
        bump: u8,
    ) -> Result<Self> {
        check_key_count(keys)?;
        let price_per_key = config.price_per_key;
        Ok(Self {
            payer,
            nonce,
            keys,
            price_per_key,
            amount: price_per_key
                .checked_mul(u64::from(keys))
                .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?,
            state: EscrowState::Open,
            locked_keys: 0,
            refundable_at: now
                .checked_add(config.refund_timeout_secs)
                .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?,
            bump,
            lock_id: [0; 16],
        })
    }

    /// Locks an open escrow for `keys` keys under the gateway's `lock_id`. The refund time
    /// restarts from `now`, so the payer cannot refund while the gateway mints and settles.
    pub fn lock(
        &mut self,
        keys: u16,
        lock_id: [u8; 16],
        refund_timeout_secs: i64,
        now: i64,
    ) -> Result<()> {
        require!(
            self.state == EscrowState::Open,
            AnoGhostError::EscrowNotOpen
        );
        require!(keys <= self.keys, AnoGhostError::LockExceedsKeys);
        self.state = EscrowState::Locked;
        self.locked_keys = keys;
        self.lock_id = lock_id;
        self.refundable_at = now
            .checked_add(refund_timeout_secs)
            .ok_or_else(|| error!(AnoGhostError::ArithmeticOverflow))?;
        Ok(())
    }

    /// Splits a locked escrow's deposit: the locked keys to the treasury, the rest back.
    pub fn settlement(&self) -> Result<Settlement> {
        require!(
            self.state == EscrowState::Locked,
            AnoGhostError::EscrowNotLocked
        );
        let to_treasury = self
            .price_per_key
            .checked_mul(u64::from(self.locked_keys))
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

    /// Fails with [`AnoGhostError::RefundTooEarly`] before the refund time, open or locked.
    pub fn require_refundable(&self, now: i64) -> Result<()> {
        require!(now >= self.refundable_at, AnoGhostError::RefundTooEarly);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_match_the_serialised_layout() {
        let escrow = RoomEscrow {
            payer: Pubkey::new_from_array([1; 32]),
            nonce: [2; 32],
            keys: 3,
            price_per_key: 4,
            amount: 12,
            state: EscrowState::Locked,
            locked_keys: 3,
            refundable_at: 5,
            bump: 6,
            lock_id: [7; 16],
        };
        let mut data = Vec::new();
        escrow
            .try_serialize(&mut data)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(data.len(), 8 + RoomEscrow::INIT_SPACE);
        assert_eq!(data[ESCROW_PAYER_OFFSET..ESCROW_PAYER_OFFSET + 32], [1; 32]);
        assert_eq!(data[ESCROW_NONCE_OFFSET..ESCROW_NONCE_OFFSET + 32], [2; 32]);
        assert_eq!(data[ESCROW_STATE_OFFSET], EscrowState::Locked.byte());
        assert_eq!(data[data.len() - 16..], [7; 16], "the lock id comes last");
        assert_eq!(EscrowState::Open.byte(), 0);
    }
}
