//! What the commands ask of paid rooms, kept out of the socket code: creating a room (a
//! background task that answers through the initiator's queue) and admitting a key holder.

use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use anoghost_protocol::{ErrorCode, ServerMessage};

use super::{check_key, RoomId};
use crate::rooms::{MemberHandle, Outbound};
use crate::secret::WalletAddress;
use crate::state::{Gateway, PaidRooms};

/// A checked `room_create_paid`.
pub struct CreateRequest {
    /// The signed-in wallet, which must own the escrow.
    pub initiator: WalletAddress,
    /// The escrow's nonce.
    pub nonce: [u8; 32],
    /// The room's name.
    pub name: String,
    /// Each invitee's wallet, opened from its ghostId (`None` where it did not open).
    pub invitees: Vec<Option<WalletAddress>>,
}

/// Mints the room's keys in the background; the answer (`paid_room_created` or an `error`)
/// is queued for `reply_to` when minting is done.
pub fn start_create(gateway: Arc<Gateway>, request: CreateRequest, reply_to: MemberHandle) {
    tokio::spawn(async move {
        let Some(paid) = gateway.paid.as_ref() else {
            return;
        };
        let result = paid
            .minter
            .create_room(
                paid.chain.as_ref(),
                &paid.sealer,
                &request.initiator,
                request.nonce,
                &request.name,
                &request.invitees,
            )
            .await;
        let reply = match result {
            Ok(mints) => ServerMessage::PaidRoomCreated {
                mints: mints.iter().map(|m| m.map(|m| m.to_string())).collect(),
            },
            Err(error) => ServerMessage::error(error.into()),
        };
        tracing::debug!("paid room minted");
        reply_to.deliver(Outbound::Text(crate::commands::encode(&reply).into()));
    });
}

/// Checks the key `mint` on chain for `wallet` and returns the room it opens.
pub async fn admit(
    paid: &PaidRooms,
    wallet: &WalletAddress,
    mint: &str,
) -> Result<RoomId, ErrorCode> {
    let mint = mint.parse::<Pubkey>().map_err(|_| ErrorCode::KeyRefused)?;
    Ok(check_key(paid.chain.as_ref(), &paid.sealer, wallet, mint).await?)
}
