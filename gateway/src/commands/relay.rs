//! Binary frames: read the routing header, stamp the sender, fan out. The payload is never
//! parsed.

use anoghost_protocol::frame::ClientFrame;
use anoghost_protocol::ErrorCode;

use crate::session::Session;

/// Relays one binary frame to the other members of its room.
pub fn relay(session: &Session, frame: &[u8]) -> Result<(), ErrorCode> {
    if !session.said_hello() {
        return Err(ErrorCode::HelloRequired);
    }
    if !session.in_any_room() {
        return Err(ErrorCode::BinaryBeforeJoin);
    }
    let frame = ClientFrame::decode(frame)?;
    let membership = session.membership(frame.room).ok_or(ErrorCode::NotInRoom)?;
    let stamped = frame.stamp(membership.member());
    membership.room().relay(membership.member(), stamped);
    Ok(())
}
