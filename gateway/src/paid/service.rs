//! What the commands ask of paid rooms, kept out of the socket code: creating a room (a
//! background task that answers through the initiator's queue) and admitting a holder.

use std::sync::Arc;

use anoghost_protocol::{ErrorCode, ServerMessage};

use super::creation::{create_room, CreateRequest};
use super::{check_key, RoomTag};
use crate::rooms::{MemberHandle, Outbound};
use crate::secret::HolderAddress;
use crate::state::Gateway;

/// Locks the escrow and has the room's keys minted in the background; the answer
/// (`paid_room_created` or an `error`) is queued for `reply_to` when every key is done.
pub fn start_create(gateway: Arc<Gateway>, request: CreateRequest, reply_to: MemberHandle) {
    tokio::spawn(async move {
        let Some(paid) = gateway.paid.as_ref() else {
            return;
        };
        let reply = match create_room(paid, request).await {
            Ok(done) => match done.await {
                Ok(minted) => {
                    tracing::debug!("paid room minted");
                    ServerMessage::PaidRoomCreated { minted }
                }
                // The gateway is shutting down with keys still pooled.
                Err(_) => ServerMessage::error(ErrorCode::ChainUnavailable),
            },
            Err(error) => ServerMessage::error(error.into()),
        };
        reply_to.deliver(Outbound::Text(crate::commands::encode(&reply).into()));
    });
}

/// Checks on chain that `holder` holds a key to the room with `tag`.
pub async fn admit(
    paid: &super::PaidRooms,
    holder: &HolderAddress,
    tag: &RoomTag,
) -> Result<(), ErrorCode> {
    Ok(check_key(paid.chain.as_ref(), &paid.keys, holder, tag).await?)
}
