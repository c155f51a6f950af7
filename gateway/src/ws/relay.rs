//! Binary frames: read the routing header, stamp the sender, fan out. The payload is never
//! parsed.

use super::connection::{Connection, Flow};
use crate::protocol::frame::{parse_inbound, stamp_outbound};
use crate::protocol::{ErrorCode, ServerMessage};

impl Connection {
    /// Relays one binary frame to the other members of its room.
    pub(super) async fn on_binary(&mut self, frame: &[u8]) -> Flow {
        if self.memberships.is_empty() {
            return self
                .reply(ServerMessage::error(ErrorCode::BinaryBeforeJoin))
                .await;
        }
        let Some(header) = parse_inbound(frame) else {
            return self.reply(ServerMessage::error(ErrorCode::BadFrame)).await;
        };
        let Some(membership) = self.memberships.get(&header.room) else {
            return self.reply(ServerMessage::error(ErrorCode::NotInRoom)).await;
        };
        let stamped = stamp_outbound(header.room, membership.member, frame);
        membership.room.relay(membership.member, stamped);
        Flow::Continue
    }
}
