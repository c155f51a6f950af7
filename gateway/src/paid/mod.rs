//! Paid rooms: admission with a soulbound key NFT minted by the `anoghost` program to a
//! one-time holder address, escrows locked before minting and settled from chain state.
//!
//! - [`master_keys`]: the master keys, current and older.
//! - [`binding`]: the `room` field of a key, binding its mint to a room tag.
//! - [`chain`]: the [`Chain`] trait through which the gateway reads and writes the chain,
//!   and its JSON-RPC implementation.
//! - [`admission`]: the checks a key passes before its holder joins the room it opens.
//! - [`creation`]: `room_create_paid`: escrow check, on-chain lock, keys to the minter.
//! - [`minter`]: the batch minter every room shares.
//! - [`settlement`]: sweeps for locked escrows and settles them.
//! - [`burn`]: co-signing a holder's `key_burn` as fee payer.
//! - [`service`]: what the commands ask of paid rooms.

pub mod admission;
pub mod binding;
pub mod burn;
pub mod chain;
pub mod creation;
pub mod master_keys;
pub mod minter;
pub mod service;
pub mod settlement;

use std::sync::Arc;

use sha2::{Digest, Sha256};
use solana_sdk::signature::Keypair;

pub use admission::{check_key, KeyRefused};
pub use chain::{AccountFilter, Chain, ChainError, RpcChain};
pub use master_keys::{load_master_keys, MasterKeyError, MasterKeys};

/// A paid room's identity at this gateway: SHA-256 of its tag, under a label.
pub type RoomId = [u8; 32];
/// A paid room's tag: derived by clients from the room secret, which the gateway never sees.
pub type RoomTag = [u8; 32];

/// The gateway's room for the paid room with `tag`:
/// `SHA-256("anoghost/paid-room/v1" ‖ tag)`.
pub fn paid_room_id(tag: &RoomTag) -> RoomId {
    let mut hasher = Sha256::new();
    hasher.update(b"anoghost/paid-room/v1");
    hasher.update(tag);
    hasher.finalize().into()
}

/// What paid rooms need: the chain, the master keys, the authority, the minter and the
/// settler.
pub struct PaidRooms {
    /// Reads key accounts and sends lock, mint, settle and burn transactions.
    pub chain: Arc<dyn Chain>,
    /// Binds keys to rooms.
    pub keys: MasterKeys,
    /// The gateway authority: pays for and signs everything the gateway sends.
    pub authority: Arc<Keypair>,
    /// Mints every room's keys from one pool.
    pub minter: Arc<minter::BatchMinter>,
    /// Settles locked escrows.
    pub settler: Arc<settlement::Settler>,
}

impl std::fmt::Debug for PaidRooms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaidRooms").finish_non_exhaustive()
    }
}
