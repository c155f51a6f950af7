use serde::Deserialize;

/// Something the gateway sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayEvent {
    /// Reply to a create or join.
    Joined(super::Joined),
    /// Reply to a leave.
    Left {
        /// The room left.
        room: u32,
    },
    /// Another member joined a room.
    MemberJoined {
        /// The room.
        room: u32,
        /// The newcomer's number.
        member: u16,
    },
    /// Another member left a room.
    MemberLeft {
        /// The room.
        room: u32,
        /// The leaver's number.
        member: u16,
    },
    /// A relayed frame.
    Frame {
        /// The room.
        room: u32,
        /// The sender's member number, stamped by the gateway.
        sender: u16,
        /// The opaque payload.
        payload: Vec<u8>,
    },
    /// Signed in.
    Authenticated {
        /// The first ghostId.
        ghost_id: String,
    },
    /// A new ghostId.
    Ghost {
        /// The ghostId.
        ghost_id: String,
    },
    /// A paid room's keys were minted: one mint per invitee (`None` where none was).
    PaidRoomCreated {
        /// Mint addresses, base58, in invitee order.
        mints: Vec<Option<String>>,
    },
    /// Presence answers.
    Presence {
        /// One per asked ghostId.
        present: Vec<bool>,
    },
    /// A request failed.
    Error {
        /// The protocol error code.
        code: String,
        /// The gateway's explanation.
        message: String,
    },
}

/// The JSON shapes of control messages, before conversion into [`GatewayEvent`].
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(super) enum Control {
    Welcome {
        v: u8,
    },
    Authenticated {
        ghost_id: String,
    },
    Ghost {
        ghost_id: String,
    },
    Presence {
        present: Vec<bool>,
    },
    PaidRoomCreated {
        mints: Vec<Option<String>>,
    },
    Joined {
        room: u32,
        code: Option<String>,
        member: u16,
        members: Vec<u16>,
    },
    Left {
        room: u32,
    },
    MemberJoined {
        room: u32,
        member: u16,
    },
    MemberLeft {
        room: u32,
        member: u16,
    },
    Error {
        code: String,
        message: String,
    },
}

impl Control {
    /// The event, or `Err(version)` for `welcome`, which only the handshake consumes.
    pub(super) fn into_event(self) -> Result<GatewayEvent, u8> {
        Ok(match self {
            Control::Welcome { v } => return Err(v),
            Control::Authenticated { ghost_id } => GatewayEvent::Authenticated { ghost_id },
            Control::Ghost { ghost_id } => GatewayEvent::Ghost { ghost_id },
            Control::Presence { present } => GatewayEvent::Presence { present },
            Control::PaidRoomCreated { mints } => GatewayEvent::PaidRoomCreated { mints },
            Control::Joined {
                room,
                code,
                member,
                members,
            } => GatewayEvent::Joined(super::Joined {
                room,
                code,
                member,
                members,
            }),
            Control::Left { room } => GatewayEvent::Left { room },
            Control::MemberJoined { room, member } => GatewayEvent::MemberJoined { room, member },
            Control::MemberLeft { room, member } => GatewayEvent::MemberLeft { room, member },
            Control::Error { code, message } => GatewayEvent::Error { code, message },
        })
    }
}
