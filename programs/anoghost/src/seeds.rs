//! PDA seed prefixes, in one place so the program and every client derive the same addresses.

/// `[SEED_CONFIG]`: the single program config.
pub const SEED_CONFIG: &[u8] = b"config";
/// `[SEED_ESCROW, payer, nonce]`: one room escrow per payer and client-chosen nonce.
pub const SEED_ESCROW: &[u8] = b"escrow";
/// `[SEED_KEY_AUTHORITY]`: signs key mints, owns their metadata and may close them.
pub const SEED_KEY_AUTHORITY: &[u8] = b"key_authority";
/// `[SEED_KEY, holder]`: the one key mint a holder address may have.
pub const SEED_KEY: &[u8] = b"key";
/// `[SEED_PAYMENT, claim_pubkey]`: one claimable in-chat payment.
pub const SEED_PAYMENT: &[u8] = b"payment";
