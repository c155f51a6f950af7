use serde::Serialize;

use super::ErrorCode;

/// The limits a client must respect, announced in `welcome`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
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
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
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
    },
    /// Signed in; carries the first ghostId.
    Authenticated {
        /// The wallet's current ghostId.
        ghost_id: String,
    },
    /// A new ghostId: pushed at each rotation, or in reply to `ghost_rotate`.
    Ghost {
        /// The wallet's new ghostId.
        ghost_id: String,
    },
    /// Reply to `presence`: one boolean per ghostId asked about, in order.
    Presence {
        /// `true` if that ghostId was issued by this gateway within the window.
        present: Vec<bool>,
    },
    /// This connection joined a room (after `room_create` or `room_join`).
    Joined {
        /// The room's reference, used in binary frames and `room_leave`.
        room: u32,
        /// The 6-digit room code, for free rooms.
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        /// This connection's member number in the room.
        member: u16,
        /// The other members already in the room.
        members: Vec<u16>,
    },
    /// The keys of a paid room were minted: one mint address per invitee, in order, or
    /// `null` where the invitee's ghostId did not open or the mint failed.
    PaidRoomCreated {
        /// Mint addresses, base58.
        mints: Vec<Option<String>>,
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
    /// A request failed; the connection stays open.
    Error {
        /// What went wrong, machine-readable.
        code: ErrorCode,
        /// What went wrong, for people.
        message: String,
    },
}

impl ServerMessage {
    /// An `error` message with the code's standard text.
    pub fn error(code: ErrorCode) -> Self {
        Self::Error {
            code,
            message: code.describe().to_owned(),
        }
    }

    /// The JSON text of this message.
    pub fn to_json(&self) -> String {
        // unwrap: these types contain only strings, numbers and lists; serialising them
        // cannot fail.
        #[allow(clippy::unwrap_used)]
        serde_json::to_string(self).unwrap()
    }
}

impl ErrorCode {
    /// The human-readable text sent with this code.
    pub fn describe(self) -> &'static str {
        match self {
            Self::BadJson => "the message is not valid JSON or has the wrong fields for its type",
            Self::UnknownType => "unknown message type",
            Self::UnsupportedVersion => "unsupported protocol version: this gateway speaks v1",
            Self::HelloRequired => "send hello first",
            Self::AlreadyHello => "hello was already sent on this connection",
            Self::RateLimited => "too many messages per second: message dropped",
            Self::JoinRateLimited => "too many join attempts: wait a minute and retry",
            Self::BadMessage => "the sign-in message is not a valid SIWS message",
            Self::NonceUnknown => "unknown or expired sign-in nonce: request a new challenge",
            Self::NonceReused => "this sign-in nonce was already used: request a new challenge",
            Self::DomainMismatch => "the sign-in message is for another domain",
            Self::MessageExpired => "the sign-in message has expired: request a new challenge",
            Self::MessageNotYetValid => "the sign-in message is not valid yet",
            Self::BadSignature => "the signature does not match the address",
            Self::AlreadyAuthenticated => "this connection is already signed in",
            Self::NotAuthenticated => "sign in with a wallet first",
            Self::TooManyGhostIds => "too many ghostIds in one presence request",
            Self::RoomNotFound => "no room with that code",
            Self::RoomFull => "the room is full",
            Self::TooManyRooms => "the gateway cannot host more rooms right now",
            Self::TooManyRoomsPerConnection => "this connection is in too many rooms",
            Self::EscrowNotFound => "no escrow of this wallet under that nonce",
            Self::EscrowTooSmall => "the escrow paid for fewer keys than there are invitees",
            Self::EscrowUsed => "this escrow was already used for a room",
            Self::BadRoomName => "the room name must be 1 to 32 bytes",
            Self::KeyRefused => "this key does not admit this wallet",
            Self::ChainUnavailable => "the chain could not be read; retry shortly",
            Self::PaidRoomsUnavailable => {
                "this gateway has no chain configured: paid rooms are off"
            }
            Self::AlreadyInRoom => "this connection is already in that room",
            Self::NotInRoom => "this connection is not in that room",
            Self::BinaryBeforeJoin => "join a room before sending binary frames",
            Self::BadFrame => "binary frame too short or of an unknown version",
        }
    }
}
