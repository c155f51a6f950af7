//! `room_join_paid`: a holder proves control of its address on this connection, the gateway
//! checks its key on chain for the named room, and it joins. No wallet sign-in: the gateway
//! never learns which wallet the holder belongs to. Every failure is `key_refused`.

use anoghost_protocol::{ErrorCode, ServerMessage};

use super::room_create_paid::decode_32;
use crate::auth::proof::{verify_proof, PAID_JOIN_LABEL};
use crate::paid::paid_room_id;
use crate::paid::service::admit;
use crate::rooms::{Admission, JoinTarget};
use crate::secret::HolderAddress;
use crate::session::Session;

pub(super) async fn run(
    session: &mut Session,
    holder: &str,
    room_tag: &str,
    signature: &str,
) -> Result<ServerMessage, ErrorCode> {
    let gateway = session.gateway().clone();
    let paid = gateway
        .paid
        .as_ref()
        .ok_or(ErrorCode::PaidRoomsUnavailable)?;
    // Spent first, so probing keys costs the same budget as guessing codes.
    session.spend_join_attempt()?;
    let holder = HolderAddress::from_base58(holder).ok_or(ErrorCode::KeyRefused)?;
    let tag = decode_32(room_tag).ok_or(ErrorCode::KeyRefused)?;
    let challenge = *session.challenge();
    if !verify_proof(&holder, PAID_JOIN_LABEL, &challenge, &tag, signature) {
        return Err(ErrorCode::KeyRefused);
    }
    admit(paid, &holder, &tag).await?;
    let joined = session
        .join(JoinTarget::Paid(paid_room_id(&tag)), Admission::Checked)
        .await?;
    tracing::debug!("paid room joined");
    Ok(joined)
}
