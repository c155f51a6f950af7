//! `ghost_rotate`: a fresh ghostId for the signed-in wallet.

use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::session::Session;

pub(super) fn run(session: &mut Session) -> Result<ServerMessage, ErrorCode> {
    let wallet = session.wallet().ok_or(ErrorCode::NotAuthenticated)?;
    Ok(ServerMessage::Ghost {
        ghost_id: session.gateway().issue_ghost(wallet),
    })
}
