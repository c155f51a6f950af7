//! `hello`: the handshake; announces the limits a client must respect.

use anoghost_protocol::{ErrorCode, ServerMessage, PROTOCOL_VERSION};

use crate::session::Session;

pub(super) fn run(session: &mut Session, version: u8) -> Result<ServerMessage, ErrorCode> {
    if session.said_hello() {
        return Err(ErrorCode::AlreadyHello);
    }
    if version != PROTOCOL_VERSION {
        return Err(ErrorCode::UnsupportedVersion);
    }
    session.mark_hello();
    let config = &session.gateway().config;
    Ok(ServerMessage::Welcome {
        v: PROTOCOL_VERSION,
        limits: config.limits(),
        ghost_period_secs: config.ghost_period_secs,
        ghost_window: config.ghost_window as usize,
        challenge: bs58::encode(session.challenge()).into_string(),
    })
}
