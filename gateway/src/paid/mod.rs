//! Paid rooms: admission with a soulbound key NFT minted by the `anoghost` program.
//!
//! - [`seal`]: the AES-256-GCM seals written into a key's metadata (room id and ghost).
//! - [`chain`]: the [`Chain`] trait through which the gateway reads the chain, and
//!   its JSON-RPC implementation.
//! - [`admission`]: the checks a key passes before its holder joins the room it opens.
//! - [`minting`]: creating a paid room: escrow check, one key per invitee, settlement.
//! - [`service`]: what the commands ask of paid rooms: start a creation, admit a holder.

pub mod admission;
pub mod chain;
pub mod minting;
pub mod seal;
pub mod service;

pub use admission::{check_key, KeyRefused};
pub use chain::{Chain, ChainError, RpcChain};
pub use seal::{load_master_key, load_sealer, MasterKeyError, SealKind, Sealer};

/// A paid room's identity: 32 random bytes, known only sealed inside its keys.
pub type RoomId = [u8; 32];
