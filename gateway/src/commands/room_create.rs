//! `room_create`: a new free room under a fresh code, with this connection as its first
//! member. It does not count as a join attempt: it reveals nothing about other rooms.

use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::rooms::JoinTarget;
use crate::session::Session;

pub(super) fn run(session: &mut Session) -> Result<ServerMessage, ErrorCode> {
    let joined = session.join(JoinTarget::NewFree)?;
    tracing::debug!(rooms = session.gateway().rooms.room_count(), "room created");
    Ok(joined)
}
