//! AnoGhost client SDK.
//!
//! # Layout
//! - [`program`]: addresses ([`program::pda`]) and instruction builders for every
//!   instruction of the on-chain program, kept next to its wire format (the SPL habit).
#![warn(missing_docs)]

pub mod program;
