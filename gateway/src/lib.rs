//! AnoGhost gateway: wallet sign-in for initiators, ghostIds for one-time key holders, free
//! and paid rooms, Solana Pay transaction requests, and a relay that only ever sees
//! ciphertext. It keeps everything in
//! memory, writes no files and logs no identifiers. The wire protocol is specified in
//! `docs/protocol.md` and encoded by the `anoghost-protocol` crate.
//!
//! # Layout
//! - [`config`]: every option, as flags and environment variables.
//! - [`server`]: starts the HTTP server and shuts it down gracefully.
//! - [`state`]: the shared in-memory state and the ghost epoch-key rotation task.
//! - [`ws`]: the WebSocket transport: the upgrade, and one task per socket.
//! - [`session`]: one connection's protocol state (hello, wallet, rooms, join budget).
//! - [`commands`]: one file per control message, one dispatch, and the relay.
//! - [`error_codes`]: how every internal failure maps to a protocol error code.
//! - [`http`]: health, the sign-in challenge, key burns paid by the gateway, Solana Pay
//!   transaction requests, and the web client's page and assets.
//! - [`auth`]: SIWS messages, stateless single-use nonces, and holder proofs bound to a
//!   connection.
//! - [`ghost`]: the epoch-key chain and ghostIds.
//! - [`rooms`]: rooms as ordered events, members, outbound queues and fan-out.
//! - [`cluster`]: cluster mode: rooms shared with other gateways over core NATS.
//! - [`paid`]: paid rooms: master keys and room bindings, the chain reader, key checks,
//!   escrow locks, the shared minter, the settlement sweep, key burns.
//! - [`limits`]: rate and per-address limits (behind trusted proxies, IPv6 by /64), and the
//!   connection cap.
//! - [`secret`]: zeroizing, redacted newtypes. [`logging`]: identifier-free logging.
//! - [`sync`]: locks that survive a panic elsewhere.
#![warn(missing_docs)]

pub mod auth;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod error_codes;
pub mod ghost;
pub mod http;
pub mod limits;
pub mod logging;
pub mod paid;
pub mod rooms;
pub mod secret;
pub mod server;
pub mod session;
pub mod state;
pub mod sync;
pub mod ws;

pub use config::GatewayConfig;
pub use server::{start, start_with_chain, RunningGateway};
