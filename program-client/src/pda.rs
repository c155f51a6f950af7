//! Every address the program derives, computed the same way the program does.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anoghost::seeds::{SEED_CONFIG, SEED_ESCROW, SEED_KEY, SEED_KEY_AUTHORITY, SEED_PAYMENT};
use anoghost::ID as PROGRAM_ID;

/// The program config, `[SEED_CONFIG]`.
pub fn config() -> Pubkey {
    Pubkey::find_program_address(&[SEED_CONFIG], &PROGRAM_ID).0
}

/// The program's ProgramData account, which holds its upgrade authority.
pub fn program_data() -> Pubkey {
    Pubkey::find_program_address(&[PROGRAM_ID.as_ref()], &bpf_loader_upgradeable::ID).0
}

/// A room escrow, `[SEED_ESCROW, payer, nonce]`.
pub fn escrow(payer: &Pubkey, nonce: &[u8; 32]) -> Pubkey {
    Pubkey::find_program_address(&[SEED_ESCROW, payer.as_ref(), nonce], &PROGRAM_ID).0
}

/// The key authority, `[SEED_KEY_AUTHORITY]`: mint, metadata and close authority of keys.
pub fn key_authority() -> Pubkey {
    Pubkey::find_program_address(&[SEED_KEY_AUTHORITY], &PROGRAM_ID).0
}

/// The key mint of a holder, `[SEED_KEY, holder]`: a holder has at most one key.
pub fn key_mint(holder: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_KEY, holder.as_ref()], &PROGRAM_ID).0
}

/// A claimable payment, `[SEED_PAYMENT, claim_pubkey]`.
pub fn payment(claim_pubkey: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SEED_PAYMENT, claim_pubkey.as_ref()], &PROGRAM_ID).0
}
