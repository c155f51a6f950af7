//! Which control message answers which request. The match is exhaustive on purpose: a new
//! client message does not compile until this says what its answer looks like.

use anoghost_protocol::{ClientMessage, ServerMessage};

/// Whether `reply` is the answer to `request` (rather than an event that happened to
/// arrive first). An `error` answers any request and is handled by the caller.
pub(super) fn answers(request: &ClientMessage, reply: &ServerMessage) -> bool {
    match request {
        ClientMessage::Hello { .. } => matches!(reply, ServerMessage::Welcome { .. }),
        ClientMessage::Auth { .. } => matches!(reply, ServerMessage::Authenticated { .. }),
        ClientMessage::GhostIssue { .. } => matches!(reply, ServerMessage::Ghost { .. }),
        ClientMessage::Presence { .. } => matches!(reply, ServerMessage::Presence { .. }),
        ClientMessage::RoomCreate { .. }
        | ClientMessage::RoomJoin { .. }
        | ClientMessage::RoomJoinPaid { .. } => matches!(reply, ServerMessage::Joined { .. }),
        ClientMessage::RoomCreatePaid { .. } => {
            matches!(reply, ServerMessage::PaidRoomCreated { .. })
        }
        ClientMessage::RoomLeave { room } => {
            matches!(reply, ServerMessage::Left { room: left } if left == room)
        }
        ClientMessage::Sync {} => matches!(reply, ServerMessage::Synced {}),
        ClientMessage::Unknown => false,
    }
}
