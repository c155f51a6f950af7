//! Wallet sign-in with Sign In With Solana (SIWS) messages.
//!
//! 1. `POST /v1/auth/challenge {"address": …}` returns a SIWS message with a single-use nonce.
//! 2. The wallet signs the message bytes with its ed25519 key.
//! 3. The client sends `{"type":"auth","message":…,"signature":…}` on the WebSocket.
//!
//! [`nonces`] holds outstanding nonces in memory with a TTL; [`siws`] builds, parses and
//! verifies the message.

pub mod nonces;
pub mod siws;

pub use nonces::NonceStore;
pub use siws::{SignInError, SiwsMessage};
