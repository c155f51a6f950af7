//! The WebSocket endpoint: the upgrade (origin check, connection limit) and one task per
//! socket.

mod closing;
mod connection;
mod control;
mod relay;
mod upgrade;

pub use upgrade::{upgrade, upgrade_required, HttpConnection, WS_PATH};
