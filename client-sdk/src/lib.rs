//! AnoGhost client SDK: everything a client needs to chat and pay through a gateway. The
//! `anoghost` terminal client (the `anoghost-cli` crate) is built on it.
//!
//! # Layout
//! - [`mls`]: group end-to-end encryption on MLS (OpenMLS), and the room's admission rules
//!   (no I/O).
//! - [`gateway`]: an async client for the gateway protocol (`docs/protocol.md`), whose
//!   messages come from `anoghost-protocol`.
//! - [`chat`]: a room you can talk in: the gateway client and the crypto core together.
//! - [`invite`]: free-room invites (code plus room secret).
//! - [`payments`]: claimable in-chat payments: deposit, voucher, claim, reclaim.
//! - [`paid`]: paid rooms: holder addresses, ghost contacts, sealed invites, held keys.
//! - [`chain`]: sending transactions, with typed errors.
//! - [`wallet`]: a Solana wallet key from a keypair file.
//!
//! Addresses and instruction builders of the on-chain program are in
//! `anoghost-program-client`.
#![warn(missing_docs)]

pub mod chain;
pub mod chat;
pub mod gateway;
pub mod invite;
pub mod mls;
pub mod paid;
pub mod payments;
pub mod wallet;
