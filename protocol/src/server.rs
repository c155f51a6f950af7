//! Control messages the gateway sends, as JSON text frames: replies and room events.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// The limits a client must respect, announced in `welcome`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest binary frame accepted, in bytes (header included).
    pub max_frame_bytes: usize,
    /// Largest control (text) message accepted, in bytes.
    pub max_control_bytes: usize,
    /// Messages per second per connection.
    pub messages_per_second: u32,
    /// Join attempts per minute per connection.
    pub joins_per_minute: u32,
    /// Members per room.
    pub max_members_per_room: usize,
    /// Rooms one connection may be in.
    pub max_rooms_per_connection: usize,
    /// Seconds of silence after which the gateway closes an idle connection.
    pub idle_timeout_secs: u64,
    /// Seconds between the gateway's WebSocket pings.
    pub heartbeat_interval_secs: u64,
}

/// A control message from the gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ServerMessage {
    /// Reply to `hello`.
    Welcome {
        /// The protocol version in use.
        v: u8,
        /// Limits this gateway enforces.
        limits: Limits,
        /// Seconds between ghostId rotations.
        ghost_period_secs: u64,
        /// How many periods a ghostId stays valid.
        ghost_window: usize,
        /// 32 random bytes in base58, fresh for this connection. Proofs that must not be
        /// replayed on another connection sign it (`room_join`, `ghost_issue`,
        /// `room_join_paid`).
        challenge: String,
    },
    /// The wallet is signed in (an initiator, about to spend its escrow).
    Authenticated {},
    /// Reply to `ghost_issue`: a ghostId sealing the holder.
    Ghost {
        /// The ghostId, base58.
        ghost_id: String,
    },
    /// Reply to `presence`: one boolean per ghostId asked about, in order.
    Presence {
        /// `true` if that ghostId was issued by this gateway within the window.
        present: Vec<bool>,
    },
    /// This connection joined a room (after `room_create`, `room_join` or `room_join_paid`).
    Joined {
        /// The room's reference, used in binary frames and `room_leave`.
        room: u32,
        /// The 6-digit room code, for free rooms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// This connection's member number in the room.
        member: u16,
        /// The other members already in the room.
        members: Vec<u16>,
    },
    /// The keys of a paid room were minted: for each invitee, in order, whether its key
    /// was minted. No mint address is ever sent: it would reveal the invitee's holder.
    PaidRoomCreated {
        /// `true` where a key was minted.
        minted: Vec<bool>,
    },
    /// This connection left a room.
    Left {
        /// The room's reference.
        room: u32,
    },
    /// Another member joined a room this connection is in.
    MemberJoined {
        /// The room's reference.
        room: u32,
        /// The newcomer's member number.
        member: u16,
    },
    /// Another member left a room this connection is in.
    MemberLeft {
        /// The room's reference.
        room: u32,
        /// The leaver's member number.
        member: u16,
    },
    /// This connection's commit for `epoch` was put in the room's order, ahead of anything
    /// relayed after it: the group is now in `epoch + 1`.
    Committed {
        /// The room's reference.
        room: u32,
        /// The epoch the commit was made in.
        epoch: u64,
    },
    /// This connection's commit for `epoch` was refused and relayed to nobody: another
    /// commit was ordered first, and the group is in `current`.
    CommitRefused {
        /// The room's reference.
        room: u32,
        /// The epoch the refused commit was made in.
        epoch: u64,
        /// The epoch the room's group is in.
        current: u64,
    },
    /// Reply to `sync`: everything this connection sent before it has been handled.
    Synced {},
    /// A request failed; the connection stays open.
    Error {
        /// What went wrong, machine-readable.
        code: ErrorCode,
        /// What went wrong, for people.
        message: String,
    },
    /// A `type` this side does not know (sent by a newer gateway). Never sent.
    #[serde(other, skip_serializing)]
    Unknown,
}

impl ServerMessage {
    /// An `error` message with the code's standard text.
    pub fn error(code: ErrorCode) -> Self {
        Self::Error {
            code,
            message: code.describe().to_owned(),
        }
    }

    /// The JSON text of this message. [`ServerMessage::Unknown`] is never sent and encodes
    /// as an empty string.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Parses a control message from the gateway. Unknown `type`s parse as
    /// [`ServerMessage::Unknown`], so a newer gateway's extra events can be skipped.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}
