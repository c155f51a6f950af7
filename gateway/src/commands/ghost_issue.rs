//! `ghost_issue`: a ghostId sealing a one-time holder address, for a holder that proves
//! control of it on this connection. No wallet sign-in: the gateway never sees which wallet
//! derived the holder.

use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::auth::proof::{verify_proof, GHOST_ISSUE_LABEL};
use crate::secret::HolderAddress;
use crate::session::Session;

pub(super) fn run(
    session: &mut Session,
    holder: &str,
    signature: &str,
) -> Result<ServerMessage, ErrorCode> {
    let holder = HolderAddress::from_base58(holder).ok_or(ErrorCode::BadSignature)?;
    let challenge = *session.challenge();
    if !verify_proof(
        &holder,
        GHOST_ISSUE_LABEL,
        &challenge,
        holder.as_bytes(),
        signature,
    ) {
        return Err(ErrorCode::BadSignature);
    }
    Ok(ServerMessage::Ghost {
        ghost_id: session.gateway().issue_ghost(&holder),
    })
}
