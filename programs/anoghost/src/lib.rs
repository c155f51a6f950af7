//! AnoGhost on-chain program: paid-room escrow, soulbound Token-2022 key NFTs and claimable
//! in-chat payments.
//!
//! # Layout
//! - [`instructions`]: one file per instruction, each with its accounts, checks and handler.
//! - [`state`]: the accounts this program owns, and the rules for changing them.
//! - [`key_metadata`]: the extensions, metadata fields and rent of a key NFT.
//! - [`create_account`]: creating accounts at addresses someone may have pre-funded.
//! - [`seeds`]: every PDA seed prefix. [`errors`]: every error.
//!
//! # Privacy
//! `key_mint` never sees a room's escrow, and keys are minted to one-time holder addresses
//! with a constant name and fixed-size fields, so the chain ties neither the keys of one
//! room together nor a key to a wallet; the gateway locks and settles escrows in separate
//! instructions (see `docs/program.md` for what timing still shows).
//!
//! # Toolchain
//! The crate builds with Rust 1.89, the compiler of platform-tools v1.52 and later
//! (`rust-version` in Cargo.toml); clippy's `incompatible_msrv` keeps newer standard-library
//! APIs out.
#![allow(unexpected_cfgs)]
#![deny(clippy::incompatible_msrv)]

use anchor_lang::prelude::*;

pub mod create_account;
pub mod errors;
pub mod instructions;
pub mod key_metadata;
mod lamports;
pub mod seeds;
pub mod state;

pub use instructions::*;
pub use state::ConfigParams;

use key_metadata::{INVITE_LEN, ROOM_BINDING_LEN};

declare_id!("5tsoq7CPtUVda1jWoZZfjhBqgsw23UdJLpZibCrfGAH1");

/// The AnoGhost instructions. Each one delegates to its own module.
#[program]
pub mod anoghost {
    use super::*;

    /// Creates the config. Signed by the program's upgrade authority.
    pub fn config_init(ctx: Context<ConfigInit>, params: ConfigParams) -> Result<()> {
        instructions::process_config_init(ctx, params)
    }

    /// Changes the config's values, pauses or resumes. Admin only.
    pub fn config_update(ctx: Context<ConfigUpdate>, args: ConfigUpdateArgs) -> Result<()> {
        instructions::process_config_update(ctx, args)
    }

    /// Proposes a new admin, who takes over with `admin_accept`. Admin only.
    pub fn admin_propose(ctx: Context<AdminPropose>, new_admin: Pubkey) -> Result<()> {
        instructions::process_admin_propose(ctx, new_admin)
    }

    /// The proposed admin takes over the config.
    pub fn admin_accept(ctx: Context<AdminAccept>) -> Result<()> {
        instructions::process_admin_accept(ctx)
    }

    /// Funds a room escrow with `price × keys` lamports.
    pub fn room_deposit(ctx: Context<RoomDeposit>, nonce: [u8; 32], keys: u16) -> Result<()> {
        instructions::process_room_deposit(ctx, nonce, keys)
    }

    /// Locks an open escrow for `keys` keys under a random `lock_id` before any key is
    /// minted. Gateway only.
    pub fn room_lock(
        ctx: Context<RoomLock>,
        nonce: [u8; 32],
        keys: u16,
        lock_id: [u8; 16],
    ) -> Result<()> {
        instructions::process_room_lock(ctx, nonce, keys, lock_id)
    }

    /// Mints one soulbound key NFT to a one-time holder address. Gateway only.
    pub fn key_mint(
        ctx: Context<KeyMint>,
        room_binding: [u8; ROOM_BINDING_LEN],
        invite: [u8; INVITE_LEN],
    ) -> Result<()> {
        instructions::process_key_mint(ctx, room_binding, invite)
    }

    /// Pays the treasury for the locked keys, refunds the rest and closes the escrow.
    /// Gateway only.
    pub fn room_settle(ctx: Context<RoomSettle>, nonce: [u8; 32]) -> Result<()> {
        instructions::process_room_settle(ctx, nonce)
    }

    /// Returns an escrow to its payer after its refund time.
    pub fn room_refund(ctx: Context<RoomRefund>) -> Result<()> {
        instructions::process_room_refund(ctx)
    }

    /// Burns a key and closes its token account and mint; signed by the holder.
    pub fn key_burn(ctx: Context<KeyBurn>) -> Result<()> {
        instructions::process_key_burn(ctx)
    }

    /// Closes a key mint whose token was burned otherwise; rent to the gateway authority.
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
