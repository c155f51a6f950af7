//! AnoGhost gateway: wallet sign-in, rotating ghostIds, free rooms, and a relay that only
//! ever sees ciphertext. It keeps everything in memory, writes no files and logs no
//! identifiers. The wire protocol is specified in `docs/protocol.md`.
//!
//! # Layout
//! - [`config`]: every option, as flags and environment variables.
//! - [`server`]: starts the actix-web server and shuts it down gracefully.
//! - [`state`]: the shared in-memory state and the ghost-key rotation task.
//! - [`ws`]: the WebSocket endpoint; one task per socket.
//! - [`http`]: health and the sign-in challenge.
//! - [`protocol`]: control messages, error codes and the binary frame layout.
//! - [`auth`]: SIWS messages and single-use nonces.
//! - [`ghost`]: the epoch-key chain and ghostIds.
//! - [`rooms`]: rooms, members and fan-out.
//! - [`paid`]: paid-room admission: sealed key fields, the chain reader, key checks.
//! - [`limits`]: rate and join limits.
//! - [`secret`]: zeroizing, redacted newtypes. [`logging`]: identifier-free logging.
#![warn(missing_docs)]

pub mod auth;
pub mod config;
pub mod ghost;
pub mod http;
pub mod limits;
pub mod logging;
pub mod paid;
pub mod protocol;
pub mod rooms;
pub mod secret;
pub mod server;
pub mod state;
pub mod ws;

pub use config::GatewayConfig;
pub use server::{start, start_with_chain, RunningGateway};
