//! An async client for the gateway protocol (`docs/protocol.md`): typed requests and events
//! over one WebSocket, with clear errors and no automatic reconnection. Messages and frames
//! are encoded by `anoghost-protocol`, the crate the gateway decodes them with. `ws://` and
//! `wss://` both work: [`tls`] holds the roots a `wss://` gateway's certificate must chain
//! to, including the extra CAs of `ANOGHOST_CA_FILE`.

mod client;
mod error;
mod event;
mod paid;
mod replies;
pub mod sign_in;
pub mod tls;

pub use client::{decode_control, encode_control, http_base, GatewayClient, Joined};
pub use error::ClientError;
pub use event::GatewayEvent;
pub use paid::{burn_key, ghost_issue_proof, paid_invitee, paid_join_proof};

/// The gateway a client talks to when none is given.
pub const DEFAULT_GATEWAY: &str = "ws://127.0.0.1:8787/v1/ws";
