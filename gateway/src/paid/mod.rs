//! Paid rooms: admission with a soulbound key NFT minted by the `anoghost` program.
//!
//! - [`seal`]: the AES-256-GCM seals written into a key's metadata (room id and ghost).
//! - [`chain`]: the [`ChainReader`] trait through which the gateway reads the chain, and
//!   its JSON-RPC implementation.
//! - [`admission`]: the checks a key passes before its holder joins the room it opens.

pub mod admission;
pub mod chain;
pub mod seal;

pub use admission::{check_key, KeyRefused};
pub use chain::{ChainError, ChainReader, RpcChainReader};
pub use seal::{load_master_key, MasterKeyError, SealKind, Sealer};

/// A paid room's identity: 32 random bytes, known only sealed inside its keys.
pub type RoomId = [u8; 32];
