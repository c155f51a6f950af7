//! `room_join_paid`: checks a key NFT on chain and joins the room it opens.

use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::paid::service::admit;
use crate::rooms::{Admission, JoinTarget};
use crate::session::Session;

pub(super) async fn run(session: &mut Session, mint: &str) -> Result<ServerMessage, ErrorCode> {
    let wallet = session
        .wallet()
        .cloned()
        .ok_or(ErrorCode::NotAuthenticated)?;
    let gateway = session.gateway().clone();
    let paid = gateway
        .paid
        .as_ref()
        .ok_or(ErrorCode::PaidRoomsUnavailable)?;
    session.spend_join_attempt()?;
    let room_id = admit(paid, &wallet, mint).await?;
    let joined = session
        .join(JoinTarget::Paid(room_id), Admission::Checked)
        .await?;
    tracing::debug!("paid room joined");
    Ok(joined)
}
