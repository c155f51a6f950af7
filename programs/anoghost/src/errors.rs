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
    /// Raised if a gateway-only instruction is signed by another key, or if rent that the
    /// gateway authority fronted is sent to another account.
    #[msg("only the configured gateway authority may do this or receive this rent")]
    NotGatewayAuthority,
    /// Raised if a deposit, lock or mint is attempted while the admin has paused the program.
    #[msg("the program is paused: no deposits, locks or key mints until the admin resumes it")]
    Paused,
    /// Raised if a config value is out of range: a price below the rent-exempt minimum of an
    /// empty account, or a refund timeout outside 60 s ..= 30 days.
    #[msg("config value out of range: price must be at least the rent-exempt minimum of an empty account, refund timeout 60 s ..= 30 days")]
    InvalidConfig,
    /// Raised if a room deposit asks for zero keys or more than `MAX_KEYS_PER_ROOM`.
    #[msg("a room needs between 1 and 1000 keys")]
    InvalidKeyCount,
    /// Raised if a checked arithmetic operation would overflow or underflow.
    #[msg("arithmetic overflow: an amount or count is too large")]
    ArithmeticOverflow,
    /// Raised if `room_lock` asks for more keys than the escrow paid for.
    #[msg("cannot lock an escrow for more keys than it paid for")]
    LockExceedsKeys,
    /// Raised if `room_refund` is called before the escrow's refund time (which a lock
    /// restarts).
    #[msg("the escrow cannot be refunded yet: wait for the refund timeout")]
    RefundTooEarly,
    /// Raised if the escrow or payment account does not belong to the signer, or the account
    /// that should receive its rent is not its payer or depositor.
    #[msg("this account belongs to another payer")]
    WrongPayer,
    /// Raised if an account this instruction creates already exists at its address: a
    /// config initialised twice, an escrow or payment address reused, or a second key for a
    /// holder that already has one.
    #[msg("the address is taken: an account already exists there")]
    AddressTaken,
    /// Raised if `room_lock` is given an escrow that is already locked.
    #[msg("the escrow is not open: it was already locked")]
    EscrowNotOpen,
    /// Raised if `room_settle` is given an escrow the gateway never locked.
    #[msg("the escrow is not locked: only a locked escrow can be settled")]
    EscrowNotLocked,
    /// Raised if the treasury account passed is not the one the config names (or is to
    /// name).
    #[msg("this is not the config's treasury")]
    WrongTreasury,
    /// Raised if a treasury is not owned by the System Program, which would make every
    /// settlement fail.
    #[msg("the treasury must be a System Program account (a plain wallet)")]
    TreasuryNotSystemOwned,
    /// Raised if `admin_accept` is signed by anyone but the admin proposed by
    /// `admin_propose`, or nobody is proposed.
    #[msg("only the proposed admin may accept the config")]
    NotProposedAdmin,
    /// Raised if `key_close` is called on a key whose token has not been burned.
    #[msg("the key still has supply: burn it before closing the mint")]
    KeyNotBurned,
    /// Raised if `key_close` is given a mint this program cannot close.
    #[msg("this mint is not an AnoGhost key")]
    NotAnoGhostKey,
    /// Raised if a payment is smaller than the rent-exempt minimum of an empty account, so a
    /// claim to a fresh wallet could not land.
    #[msg("payment amount must be at least the rent-exempt minimum of an empty account (890,880 lamports at today's rent)")]
    AmountBelowRentMinimum,
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
