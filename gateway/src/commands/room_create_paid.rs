//! `room_create_paid`: checks the request, then hands it to the paid-room service, which
//! mints in the background and answers through the connection's queue.

use anoghost_protocol::limits::MAX_INVITEES;
use anoghost_protocol::ErrorCode;

use crate::paid::service::{start_create, CreateRequest};
use crate::session::Session;

pub(super) fn run(
    session: &mut Session,
    name: String,
    escrow_nonce: &str,
    invitees: &[String],
) -> Result<(), ErrorCode> {
    let initiator = session
        .wallet()
        .cloned()
        .ok_or(ErrorCode::NotAuthenticated)?;
    if session.gateway().paid.is_none() {
        return Err(ErrorCode::PaidRoomsUnavailable);
    }
    if invitees.len() > MAX_INVITEES {
        return Err(ErrorCode::TooManyGhostIds);
    }
    let mut nonce = [0u8; 32];
    match bs58::decode(escrow_nonce).onto(&mut nonce) {
        Ok(32) => {}
        _ => return Err(ErrorCode::EscrowNotFound),
    }
    let gateway = session.gateway().clone();
    // Opening a ghostId yields its wallet in memory only, for this request.
    let invitees = invitees
        .iter()
        .map(|ghost| gateway.open_ghost(ghost))
        .collect();
    let request = CreateRequest {
        initiator,
        nonce,
        name,
        invitees,
    };
    start_create(gateway, request, session.handle().clone());
    Ok(())
}
