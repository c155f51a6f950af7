//! The WebSocket endpoint: the upgrade (origin check, connection limit) and one task per
//! socket.

mod connection;
mod control;
mod relay;
mod upgrade;

pub use upgrade::ws_upgrade;
