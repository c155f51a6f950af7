//! `presence`: which ghostIds this gateway issued within its window, and nothing else. It
//! needs no sign-in: the answer names no holder and no wallet.

use anoghost_protocol::limits::MAX_PRESENCE_IDS;
use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::session::Session;

pub(super) fn run(session: &mut Session, ghost_ids: &[String]) -> Result<ServerMessage, ErrorCode> {
    if ghost_ids.len() > MAX_PRESENCE_IDS {
        return Err(ErrorCode::TooManyGhostIds);
    }
    let gateway = session.gateway();
    let present = ghost_ids
        .iter()
        .map(|id| gateway.ghost_is_present(id))
        .collect();
    Ok(ServerMessage::Presence { present })
}
