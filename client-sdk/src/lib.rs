//! AnoGhost client SDK.
//!
//! # Layout
//! - [`crypto`]: the group end-to-end encryption core (no I/O; randomness passed in).
//! - [`holdings`]: the AnoGhost keys a wallet holds, read over JSON-RPC.
//! - [`invite`]: free-room invites (code plus room secret).
//! - [`gateway`]: an async client for the gateway protocol (`docs/protocol.md`).
//! - [`chat`]: a room you can talk in: the gateway client and the crypto core together.
//! - [`payments`]: claimable in-chat payments: deposit, voucher, claim, reclaim.
//! - [`program`]: addresses and instruction builders for the on-chain program.
//! - [`wallet`]: a Solana wallet key from a keypair file.
//!
//! The `anoghost` command-line client (`src/bin/anoghost.rs`) is built on [`chat`].
#![warn(missing_docs)]

pub mod chat;
pub mod crypto;
pub mod gateway;
pub mod holdings;
pub mod invite;
pub mod payments;
pub mod program;
pub mod wallet;
