//! `room_create_paid`: checks the request, then hands it to the paid-room service, which
//! locks the escrow, has the keys minted in the background and answers through the
//! connection's queue.

use anoghost_program_client::limits::INVITE_LEN;
use anoghost_protocol::limits::MAX_INVITEES;
use anoghost_protocol::{ErrorCode, PaidInvitee};
use base64::Engine as _;

use crate::paid::creation::{CreateRequest, Invitee};
use crate::paid::service::start_create;
use crate::session::Session;

pub(super) fn run(
    session: &mut Session,
    escrow_nonce: &str,
    room_tag: &str,
    invitees: &[PaidInvitee],
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
    let nonce = decode_32(escrow_nonce).ok_or(ErrorCode::EscrowNotFound)?;
    let tag = decode_32(room_tag).ok_or(ErrorCode::BadRoomTag)?;
    let gateway = session.gateway().clone();
    let invitees = invitees
        .iter()
        .map(|invitee| {
            let invite = base64::engine::general_purpose::STANDARD
                .decode(&invitee.invite)
                .ok()
                .and_then(|bytes| <[u8; INVITE_LEN]>::try_from(bytes).ok())
                .ok_or(ErrorCode::BadInvite)?;
            // Opening a ghostId yields its holder in memory only, for this request.
            Ok(Invitee {
                holder: gateway.open_ghost(&invitee.ghost_id),
                invite,
            })
        })
        .collect::<Result<Vec<_>, ErrorCode>>()?;
    let request = CreateRequest {
        initiator,
        nonce,
        tag,
        invitees,
    };
    start_create(gateway, request, session.handle().clone());
    Ok(())
}

/// Base58 of exactly 32 bytes.
pub(super) fn decode_32(text: &str) -> Option<[u8; 32]> {
    let mut bytes = [0u8; 32];
    matches!(bs58::decode(text).onto(&mut bytes), Ok(32)).then_some(bytes)
}
