//! An async client for the gateway protocol (`docs/protocol.md`): typed requests and events
//! over one WebSocket, with clear errors and no automatic reconnection. Messages and frames
//! are encoded by `anoghost-protocol`, the crate the gateway decodes them with.

mod client;
mod event;
mod paid;
mod replies;
pub mod sign_in;

pub use client::{decode_control, encode_control, http_base, ClientError, GatewayClient, Joined};
pub use event::GatewayEvent;
pub use paid::{burn_key, paid_invitee};

/// The gateway a client talks to when none is given.
pub const DEFAULT_GATEWAY: &str = "ws://127.0.0.1:8787/v1/ws";
