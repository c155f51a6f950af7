//! Binary frames: read the routing header, stamp the sender, and hand the frame to the room.
//! A group frame's MLS header is read too (never its content), so commits go into the
//! room's one order; challenges, join requests, welcomes and refusals go to the one member
//! they name.

use anoghost_protocol::frame::{ClientFrame, FrameKind};
use anoghost_protocol::mls_header::private_message_header;
use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::rooms::{RelayRefused, MAX_GROUP_ID};
use crate::session::Session;

/// Relays one binary frame. Returns the message to send back to the sender, if any.
pub fn relay(session: &Session, frame: &[u8]) -> Option<ServerMessage> {
    route(session, frame).err()
}

fn route(session: &Session, bytes: &[u8]) -> Result<(), ServerMessage> {
    let refuse = |code| ServerMessage::error(code);
    if !session.said_hello() {
        return Err(refuse(ErrorCode::HelloRequired));
    }
    if !session.in_any_room() {
        return Err(refuse(ErrorCode::BinaryBeforeJoin));
    }
    let frame = ClientFrame::decode(bytes).map_err(|e| refuse(e.into()))?;
    let membership = session
        .membership(frame.room)
        .ok_or(refuse(ErrorCode::NotInRoom))?;
    let (room, sender) = (membership.room(), membership.member());
    let stamped = frame.stamp(sender);
    match frame.kind {
        FrameKind::Group => {
            let header = private_message_header(frame.payload)
                .ok()
                .filter(|header| header.group_id.len() <= MAX_GROUP_ID)
                .ok_or(refuse(ErrorCode::BadFrame))?;
            room.relay_group(sender, &header, stamped)
                .map_err(|refused| match refused {
                    RelayRefused::StaleCommit { current } => ServerMessage::CommitRefused {
                        room: frame.room,
                        epoch: header.epoch,
                        current,
                    },
                    RelayRefused::NoSuchMember => refuse(ErrorCode::NoSuchMember),
                })
        }
        FrameKind::Challenge | FrameKind::JoinRequest | FrameKind::Welcome | FrameKind::Denied => {
            let to = frame.to.unwrap_or(sender);
            if to == sender {
                return Err(refuse(ErrorCode::NoSuchMember));
            }
            room.relay_to(to, stamped)
                .map_err(|_| refuse(ErrorCode::NoSuchMember))
        }
    }
}
