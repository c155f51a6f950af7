//! The group end-to-end encryption core. It does no I/O and takes its randomness as an
//! argument; `docs/crypto.md` specifies every label and byte layout.
//!
//! # Layout
//! - [`secret`]: key newtypes that zeroize on drop and print `***`.
//! - [`kdf`]: every derivation (chain steps, message keys, pairwise keys, the room MAC key).
//! - [`identity`]: a member's per-room, per-session X25519 and Ed25519 keys.
//! - [`announce`]: key announcements, MACed with the room secret when there is one.
//! - [`sender_key`]: pairwise-sealed distribution of a member's sending chain.
//! - [`chain`]: sending and receiving chains, with replay, skip and jump limits.
//! - [`message`]: encrypted, signed group messages.
//! - [`direct`]: messages for one member only (payment vouchers).
//! - [`body`]: typed message bodies and size-bucket padding.
//! - [`session`]: the per-room state machine that ties them together.
//! - [`safety`]: safety numbers for rooms without a secret.
//!
//! # Security notes
//! - Keys are fresh per room and per session; nothing is reused across rooms.
//! - Every payload is signed with the sender's Ed25519 key and bound to the room reference
//!   and the sender's member number, so a relay cannot move it between rooms or senders.
//! - With a room secret, a relay that substitutes announced keys is detected (MAC failure).
//!   Without one, members must compare safety numbers.

mod aead;
pub mod announce;
pub mod body;
pub mod chain;
pub mod direct;
mod error;
pub mod identity;
pub mod kdf;
pub mod message;
pub mod safety;
pub mod secret;
pub mod sender_key;
pub mod session;

pub use error::CryptoError;

/// Payload kind byte of an announcement.
pub const KIND_ANNOUNCE: u8 = 0x01;
/// Payload kind byte of a sender-key distribution.
pub const KIND_SENDER_KEY: u8 = 0x02;
/// Payload kind byte of a group message.
pub const KIND_MESSAGE: u8 = 0x03;
/// Payload kind byte of a direct message.
pub const KIND_DIRECT: u8 = 0x04;
