//! The WebSocket transport: the upgrade (origin check, connection limit) and one task per
//! socket. What the messages mean is in `commands` and `session`.

mod closing;
mod connection;
mod flow;
mod lazy_read;
mod sockets;
mod upgrade;

pub use sockets::SocketRuntime;
pub use upgrade::{upgrade, upgrade_required, HttpConnection, WS_PATH};
