//! Group end-to-end encryption on MLS (RFC 9420) through OpenMLS, and the rules this
//! project adds on top: who may be added (a proof of the room's secret), what a Welcome must
//! prove, who commits, and what travels inside application messages. No I/O: frames and
//! gateway events go in, frames to send and events for the application come out.
//!
//! # Layout
//! - [`secrets`]: the room secret and what it derives (admission key, member MAC, group id).
//! - [`config`]: the ciphersuite and the OpenMLS group settings, in one place.
//! - [`identity`]: a member's fresh per-room, per-session MLS identity and credential.
//! - [`join_request`]: a KeyPackage with its proof of the secret, bound to an epoch.
//! - [`content`]: application messages: text, direct messages, padding to size buckets.
//! - [`direct`]: direct messages sealed with HPKE to one member's key.
//! - [`roster`]: the group's member list as the application shows it, with safety codes.
//! - [`room`]: [`RoomGroup`], the per-room state machine that ties them together.
//! - `error`: [`MlsError`].
//! - `testing` (feature `testing`): an in-memory Delivery Service that tests can make
//!   misbehave.
//!
//! # Security notes
//! - The gateway orders messages (the Delivery Service) but holds no group secret. It cannot
//!   add a member: members add only a KeyPackage whose MAC proves the room's secret, and a
//!   joiner accepts only a Welcome whose MAC proves the secret over the new epoch.
//! - Application messages are PrivateMessages, so the sender is encrypted; MLS refuses a
//!   replayed message, and a removed member holds no key of later epochs.
//! - Keys are fresh per room and per session; the credential carries only the member
//!   number the gateway gave this session and a per-session key for direct messages.

pub mod config;
pub mod content;
pub mod direct;
mod error;
pub mod identity;
pub mod join_request;
pub mod room;
pub mod roster;
pub mod secrets;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(test)]
mod web_vectors;

pub use error::MlsError;
pub use room::{Admission, OutFrame, Output, RoomEvent, RoomGroup};
pub use secrets::{RoomKeys, RoomSecret};
