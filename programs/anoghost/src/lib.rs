//! AnoGhost on-chain program: paid-room escrow, soulbound Token-2022 key NFTs and claimable
//! in-chat payments.
//!
//! # Layout
//! - [`instructions`]: one file per instruction, each with its accounts, checks and handler.
//! - [`state`]: the accounts this program owns, and the rules for changing them.
//! - [`key_metadata`]: the extensions, metadata fields and rent of a key NFT.
//! - [`seeds`]: every PDA seed prefix. [`errors`]: every error.
//!
//! # Privacy
//! `key_mint` never sees a room's escrow, so the chain does not tie the keys of one room
//! together; the gateway settles escrows in a separate instruction.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;

pub mod errors;
pub mod instructions;
pub mod key_metadata;
mod lamports;
pub mod seeds;
pub mod state;

pub use instructions::*;
pub use state::ConfigParams;

declare_id!("5tsoq7CPtUVda1jWoZZfjhBqgsw23UdJLpZibCrfGAH1");

/// The AnoGhost instructions. Each one delegates to its own module.
#[program]
pub mod anoghost {
    use super::*;

    /// Creates the config. Signed by the program's upgrade authority.
    pub fn config_init(ctx: Context<ConfigInit>, params: ConfigParams) -> Result<()> {
        instructions::process_config_init(ctx, params)
    }

    /// Changes the config, pauses or resumes. Admin only.
    pub fn config_update(ctx: Context<ConfigUpdate>, args: ConfigUpdateArgs) -> Result<()> {
        instructions::process_config_update(ctx, args)
    }

    /// Funds a room escrow with `price × keys` lamports.
    pub fn room_deposit(ctx: Context<RoomDeposit>, nonce: [u8; 32], keys: u16) -> Result<()> {
        instructions::process_room_deposit(ctx, nonce, keys)
    }

    /// Mints one soulbound key NFT carrying a sealed room id and a sealed ghostId. Gateway only.
    pub fn key_mint(
        ctx: Context<KeyMint>,
        sealed_room: Vec<u8>,
        sealed_ghost: Vec<u8>,
        name: String,
    ) -> Result<()> {
        instructions::process_key_mint(ctx, sealed_room, sealed_ghost, name)
    }

    /// Pays the treasury for `minted` keys, refunds the rest and closes the escrow. Gateway only.
    pub fn room_settle(ctx: Context<RoomSettle>, nonce: [u8; 32], minted: u16) -> Result<()> {
        instructions::process_room_settle(ctx, nonce, minted)
    }

    /// Returns an unsettled escrow to its payer after the refund timeout.
    pub fn room_refund(ctx: Context<RoomRefund>) -> Result<()> {
        instructions::process_room_refund(ctx)
    }

    /// Closes a burned key's mint and returns its rent to the gateway authority.
    pub fn key_close(ctx: Context<KeyClose>) -> Result<()> {
        instructions::process_key_close(ctx)
    }

    /// Locks lamports for whoever signs with `claim_pubkey` before `expiry`.
    pub fn payment_deposit(
        ctx: Context<PaymentDeposit>,
        claim_pubkey: Pubkey,
        amount: u64,
        expiry: i64,
    ) -> Result<()> {
        instructions::process_payment_deposit(ctx, claim_pubkey, amount, expiry)
    }

    /// Pays a claimable payment to any recipient; signed by the claim key.
    pub fn payment_claim(ctx: Context<PaymentClaim>) -> Result<()> {
        instructions::process_payment_claim(ctx)
    }

    /// Returns an expired, unclaimed payment to its depositor.
    pub fn payment_reclaim(ctx: Context<PaymentReclaim>) -> Result<()> {
        instructions::process_payment_reclaim(ctx)
    }
}
