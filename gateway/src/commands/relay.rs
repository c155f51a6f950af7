//! Binary frames: read the routing header and hand the payload to the room, which stamps
//! the sender and puts it in the room's order. A group frame's MLS header is read too
//! (never its content), so commits are ordered; challenges, join requests, welcomes and
//! refusals go to the one member they name.

use anoghost_protocol::frame::{ClientFrame, FrameKind};
use anoghost_protocol::mls_header::private_message_header;
use anoghost_protocol::{ErrorCode, ServerMessage};
use bytes::Bytes;

use crate::rooms::MAX_GROUP_ID;
use crate::session::Session;

/// Relays one binary frame. Returns the message to send back to the sender at once, if
/// any; refusals that depend on the room's order (a stale commit, a directed frame to
/// nobody) come through the order instead.
pub fn relay(session: &Session, frame: Bytes) -> Option<ServerMessage> {
    route(session, frame).err().map(ServerMessage::error)
}

fn route(session: &Session, bytes: Bytes) -> Result<(), ErrorCode> {
    if !session.said_hello() {
        return Err(ErrorCode::HelloRequired);
    }
    if !session.in_any_room() {
        return Err(ErrorCode::BinaryBeforeJoin);
    }
    let frame = ClientFrame::decode(&bytes)?;
    let membership = session.membership(frame.room).ok_or(ErrorCode::NotInRoom)?;
    let sender = membership.member();
    let to = match frame.kind {
        FrameKind::Group => {
            private_message_header(frame.payload)
                .ok()
                .filter(|header| header.group_id.len() <= MAX_GROUP_ID)
                .ok_or(ErrorCode::BadFrame)?;
            None
        }
        FrameKind::Challenge | FrameKind::JoinRequest | FrameKind::Welcome | FrameKind::Denied => {
            match frame.to {
                Some(to) if to != sender => Some(to),
                _ => return Err(ErrorCode::NoSuchMember),
            }
        }
    };
    let payload = bytes.slice(bytes.len() - frame.payload.len()..);
    membership
        .room()
        .relay(sender, frame.kind, to, payload)
        .map_err(|_| ErrorCode::ClusterUnavailable)
}
