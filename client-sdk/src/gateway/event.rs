//! What a gateway sends a client: control messages (shared with the gateway through
//! `anoghost-protocol`) and relayed frames.

use anoghost_protocol::frame::FrameKind;
use anoghost_protocol::ServerMessage;

/// Something the gateway sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayEvent {
    /// A control message: a reply, a room event or an error.
    Message(ServerMessage),
    /// A relayed frame.
    Frame {
        /// The room.
        room: u32,
        /// The sender's member number, stamped by the gateway.
        sender: u16,
        /// What the frame carries.
        kind: FrameKind,
        /// The opaque payload.
        payload: Vec<u8>,
    },
}
