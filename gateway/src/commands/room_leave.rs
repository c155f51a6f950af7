//! `room_leave`: leaves a room; the others get `member_left`.

use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::session::Session;

pub(super) fn run(session: &mut Session, room: u32) -> Result<ServerMessage, ErrorCode> {
    session.leave(room)?;
    Ok(ServerMessage::Left { room })
}
