//! The client side of the `anoghost` on-chain program, kept next to it the SPL way: every
//! crate that talks to the program (the gateway, the SDK, the CLI, the localnet and the
//! tests) derives addresses, builds instructions and reads accounts through here, so the
//! program's layout is described once.
//!
//! # Layout
//! - [`pda`]: every address the program derives.
//! - [`instructions`]: one builder per instruction, accounts in the program's order.
//! - [`accounts`]: decoding the accounts the program owns, owner checked.
//! - [`key`]: reading a key NFT back from its Token-2022 mint and token account.
//! - [`limits`]: the program's limits, re-exported from where the program declares them.
//! - [`keypair_file`]: reading and writing Solana CLI keypair files.
#![warn(missing_docs)]

pub mod accounts;
pub mod instructions;
pub mod key;
pub mod keypair_file;
pub mod limits;
pub mod pda;

pub use anoghost::ID as PROGRAM_ID;
pub use instructions::key_token_account;
pub use instructions::{ConfigParams, ConfigUpdateArgs};
