//! Wallet sign-in with Sign In With Solana (SIWS) messages.
//!
//! 1. `POST /v1/auth/challenge {"address": …}` returns a SIWS message with a single-use nonce.
//! 2. The wallet signs the message bytes with its ed25519 key.
//! 3. The client sends `{"type":"auth","message":…,"signature":…}` on the WebSocket.
//!
//! Only initiators sign in: their wallet must own the escrow they spend. Invitees prove
//! control of a one-time holder address instead, with a [`proof`] bound to the connection.
//!
//! [`nonces`] issues MAC'd nonces that cost no memory and remembers only spent ones;
//! [`siws`] builds, parses and verifies the message.

pub mod nonces;
pub mod proof;
pub mod siws;

pub use nonces::{ChallengeNonces, SpentNonce};
pub use siws::{SignInError, SiwsMessage};
