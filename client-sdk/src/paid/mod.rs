//! Paid rooms, client side: keys at one-time holder addresses that only the wallet's owner
//! can find, invites sealed end to end, and the room tag the gateway admits by.
//!
//! - [`holder`]: the holder root a wallet signs into, and holder *i* and invite key *i*.
//! - [`contact`]: a ghost contact, what an invitee shares with an initiator.
//! - [`invite`]: the HPKE-sealed invite (room secret and name) and the room tag.
//! - [`held`]: finding a wallet's keys on chain, and choosing the index of a new contact.
//! - [`escrow`]: finding a room escrow by its nonce, whoever paid it.
//!
//! # Security notes
//! - The holder root is a hash of the wallet's ed25519 signature over a fixed message that
//!   names the program. Ed25519 signatures are deterministic, so the wallet alone always
//!   gets the same root back, and nobody without the wallet's key can compute it.
//! - Holders and invite keys are HKDF outputs of the root: nothing on chain or at the
//!   gateway links a holder to its wallet or to another holder of the same wallet.
//! - HKDF, HMAC, SHA-256 and HPKE come from RustCrypto and the `hpke` crate; nothing here
//!   implements a primitive.

pub mod contact;
pub mod escrow;
pub mod held;
pub mod holder;
pub mod invite;
#[cfg(test)]
mod web_vectors;

pub use contact::{ContactError, GhostContact};
pub use held::{held_keys, next_contact_index, open_held_key, HeldKey};
pub use holder::{HolderRoot, InviteKey, InvitePublicKey};
pub use invite::{room_tag, InviteError, PaidInvite, RoomTag};

/// The HKDF salt of every derivation in paid rooms.
pub const SALT: &[u8] = b"anoghost/v2";
