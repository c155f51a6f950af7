//! The AnoGhost gateway protocol (`docs/protocol.md`), written down once for every side:
//! the gateway decodes what the SDK and the load generator encode, and the other way round.
//!
//! Text frames carry one JSON control message each; binary frames carry relay frames, a
//! small routing header in front of an opaque payload. This crate holds both shapes and
//! nothing that does I/O. Its dependencies are serde and serde_json (the JSON half of the
//! codec), `bytes` (the binary half), `time` (the sign-in message's timestamps) and
//! thiserror.
//!
//! # Layout
//! - [`client`]: [`ClientMessage`], every control message a client sends.
//! - [`server`]: [`ServerMessage`], every control message the gateway sends, and the
//!   [`Limits`] it announces.
//! - [`error_code`]: [`ErrorCode`], every refusal, with the text sent beside it.
//! - [`frame`]: the binary relay frames, encoded and decoded in both directions.
//! - [`mls_header`]: the cleartext header of an MLS message, which the gateway reads to
//!   order a room's commits without any key.
//! - [`proofs`]: the exact bytes a client signs to prove something to the gateway.
//! - [`siws`]: the sign-in message, built by the gateway and checked by clients.
//! - [`limits`]: the protocol version and the sizes both sides must agree on.
//! - `samples`: one of every message, for tests on both sides.
#![warn(missing_docs)]

pub mod client;
pub mod error_code;
pub mod frame;
pub mod limits;
pub mod mls_header;
pub mod proofs;
#[doc(hidden)]
pub mod samples;
pub mod server;
pub mod siws;

pub use client::{ClientMessage, PaidInvitee};
pub use error_code::ErrorCode;
pub use limits::PROTOCOL_VERSION;
pub use server::{Limits, ServerMessage};
