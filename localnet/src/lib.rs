//! A local Solana JSON-RPC endpoint backed by a real `solana-program-test` bank, in which the
//! `anoghost` program runs natively and Token-2022 and the associated token program run as
//! their real SBF binaries. For machines that cannot build SBF and so cannot load the
//! program into `solana-test-validator`. State lives in memory and is gone at exit.
//!
//! # Layout
//! - [`shim`]: the native entry point that lets the bank call the Anchor program.
//! - [`genesis`]: the starting bank: program, ProgramData, funded wallets, config.
//! - [`rpc`]: the JSON-RPC methods, answering as the Solana RPC documentation specifies.
//! - [`events`]: processed transactions and new slots, broadcast to subscribers.
//! - [`ledger`]: processed transactions and touched accounts, which the bank does not index.
//! - [`pubsub`]: the PubSub WebSocket (signature, account and slot subscriptions).
//! - [`server`]: the HTTP endpoints and the slot ticker.
//!
//! Everything but [`rpc`]'s request reader needs the `bank` feature (on by default).
// solana-program-test marks its whole API deprecated ahead of moving it behind an
// "unstable API" feature in 4.x; 3.1 is the version pinned here (see DESIGN.md).
#![allow(deprecated)]
#![warn(missing_docs)]

#[cfg(feature = "bank")]
pub mod events;
#[cfg(feature = "bank")]
pub mod genesis;
#[cfg(feature = "bank")]
pub mod ledger;
#[cfg(feature = "bank")]
pub mod pubsub;
pub mod rpc;
#[cfg(feature = "bank")]
pub mod server;
#[cfg(feature = "bank")]
pub mod shim;
