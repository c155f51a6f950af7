//! Cross-crate integration tests for AnoGhost.
//!
//! # Layout
//! - [`bank`]: a real `solana-program-test` bank running the program natively, with the real
//!   Token-2022 and ATA programs, plus helpers to send transactions and read accounts.
//! - the native entry shim lives in `anoghost_localnet::shim`, shared with the localnet.
//! - [`chain`]: the gateway's chain reader backed by the bank (in process, no RPC).
//! - [`measure`]: compute units of a transaction, as far as the bank counts them.
//! - [`paid`]: a gateway wired to the bank, with helpers to mint keys and sign in.
//! - [`rpc`]: helpers for tests that reach the localnet over JSON-RPC.
// solana-program-test marks its whole API deprecated ahead of moving it behind an
// "unstable API" feature in 4.x; 3.1 is the version pinned here (see DESIGN.md).
#![allow(deprecated)]

pub mod bank;
pub mod chain;
pub mod measure;
pub mod paid;
pub mod rpc;
