//! Every way an AnoGhost instruction can fail, in one place.

use anchor_lang::prelude::*;

/// Errors raised by the AnoGhost program. Each message says what went wrong and, where it
/// helps, what the caller should do instead.
#[error_code]
pub enum AnoGhostError {
    /// Raised if `config_init` is signed by anyone but the program's upgrade authority.
    #[msg("only the program's upgrade authority may initialise the config")]
    NotUpgradeAuthority,
    /// Raised if an admin-only instruction is signed by another key.
    #[msg("only the config admin may do this")]
    NotAdmin,
    /// Raised if a gateway-only instruction is signed by another key.
    #[msg("only the configured gateway authority may do this")]
    NotGatewayAuthority,
    /// Raised if a deposit or mint is attempted while the admin has paused the program.
    #[msg("the program is paused: no deposits or key mints until the admin resumes it")]
    Paused,
    /// Raised if a config value is out of range (zero price, negative or huge timeout).
    #[msg("config value out of range: price must be > 0 and refund timeout 1 s ..= 30 days")]
    InvalidConfig,
    /// Raised if a room deposit asks for zero keys or more than `MAX_KEYS_PER_ROOM`.
    #[msg("a room needs between 1 and 1000 keys")]
    InvalidKeyCount,
    /// Raised if a checked arithmetic operation would overflow or underflow.
    #[msg("arithmetic overflow: an amount or count is too large")]
    ArithmeticOverflow,
    /// Raised if `room_settle` claims more keys were minted than were paid for.
    #[msg("cannot settle more minted keys than the escrow paid for")]
    MintedExceedsKeys,
    /// Raised if `room_refund` is called before the escrow's refund time.
    #[msg("the escrow cannot be refunded yet: wait for the refund timeout")]
    RefundTooEarly,
    /// Raised if the escrow or payment account does not belong to the signer.
    #[msg("this account belongs to another payer")]
    WrongPayer,
    /// Raised if a sealed field is empty or longer than `MAX_SEALED_LEN`.
    #[msg("sealed field must be 1..=96 bytes")]
    InvalidSealedField,
    /// Raised if the key name is empty or longer than `MAX_KEY_NAME_LEN`.
    #[msg("key name must be 1..=32 bytes")]
    InvalidKeyName,
    /// Raised if the mint passed to `key_mint` is not the key PDA for the sealed ghost field.
    #[msg("mint address is not the key address derived from the sealed ghost field")]
    WrongKeyAddress,
    /// Raised if `key_close` is called on a key whose token has not been burned.
    #[msg("the key still has supply: burn it before closing the mint")]
    KeyNotBurned,
    /// Raised if `key_close` is given a mint this program cannot close.
    #[msg("this mint is not an AnoGhost key")]
    NotAnoGhostKey,
    /// Raised if a payment amount is zero.
    #[msg("payment amount must be greater than zero")]
    InvalidAmount,
    /// Raised if a payment expiry is in the past or more than `MAX_PAYMENT_LIFETIME_SECS` away.
    #[msg("payment expiry must be in the future and at most 30 days away")]
    InvalidExpiry,
    /// Raised if a claim is made at or after the payment's expiry.
    #[msg("the payment has expired: only the depositor can reclaim it now")]
    PaymentExpired,
    /// Raised if the depositor tries to reclaim before the expiry.
    #[msg("the payment has not expired yet: the recipient may still claim it")]
    PaymentNotExpired,
    /// Raised if the claim signer is not the payment's claim key.
    #[msg("the signer is not this payment's claim key")]
    WrongClaimKey,
    /// Raised if two writable accounts that move lamports are the same account.
    #[msg("the same account was passed twice where two different writable accounts are needed")]
    DuplicateMutableAccount,
}
