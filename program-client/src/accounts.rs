//! Decoding the accounts the program owns. Each decoder checks the owner first: anyone can
//! create an account with the same bytes under another program.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
pub use anoghost::state::{Config, EscrowState, PaymentVault, RoomEscrow};

use crate::PROGRAM_ID;

/// Why an account is not the program account it was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Raised if the account is owned by another program.
    #[error("the account is not owned by the anoghost program")]
    WrongOwner,
    /// Raised if the data does not parse as the expected type (wrong discriminator or size).
    #[error("the account is not a {0}")]
    WrongType(&'static str),
}

fn decode<T: AccountDeserialize>(
    owner: &Pubkey,
    data: &[u8],
    name: &'static str,
) -> Result<T, AccountError> {
    if *owner != PROGRAM_ID {
        return Err(AccountError::WrongOwner);
    }
    T::try_deserialize(&mut &data[..]).map_err(|_| AccountError::WrongType(name))
}

/// The program config, from the account at [`crate::pda::config`].
pub fn decode_config(owner: &Pubkey, data: &[u8]) -> Result<Config, AccountError> {
    decode(owner, data, "program config")
}

/// A room escrow.
pub fn decode_escrow(owner: &Pubkey, data: &[u8]) -> Result<RoomEscrow, AccountError> {
    decode(owner, data, "room escrow")
}

/// A claimable in-chat payment.
pub fn decode_payment(owner: &Pubkey, data: &[u8]) -> Result<PaymentVault, AccountError> {
    decode(owner, data, "payment")
}

/// The size of a room escrow account, for `dataSize` filters.
pub fn escrow_len() -> usize {
    8 + <RoomEscrow as anchor_lang::Space>::INIT_SPACE
}
