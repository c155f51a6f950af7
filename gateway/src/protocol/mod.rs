//! The wire protocol, exactly as `docs/protocol.md` documents it: JSON control messages
//! (text frames) and the binary relay frame layout.

mod client;
mod error_code;
pub mod frame;
mod server;

pub use client::ClientMessage;
pub use error_code::ErrorCode;
pub use server::{Limits, ServerMessage};

/// The protocol version this gateway speaks. Clients send it in `hello`.
pub const PROTOCOL_VERSION: u8 = 1;
