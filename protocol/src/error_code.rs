//! Every refusal a client can receive, as the `code` of an `error` message.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Every error a client can receive in an `error` message. The wire form is the snake_case
/// name; [`ErrorCode::describe`] is the text sent beside it, and `docs/protocol.md` lists
/// each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The text frame is not valid JSON or does not match any message shape.
    BadJson,
    /// The `type` field names no known message.
    UnknownType,
    /// `hello` carried a protocol version this gateway does not speak.
    UnsupportedVersion,
    /// A message other than `hello` arrived before `hello`.
    HelloRequired,
    /// `hello` was sent twice.
    AlreadyHello,
    /// Too many messages per second on this connection; the message was dropped.
    RateLimited,
    /// Too many join attempts from this connection or address; wait and retry.
    JoinRateLimited,
    /// The SIWS message could not be parsed.
    BadMessage,
    /// The SIWS nonce was never issued (or was issued for another address, or expired).
    NonceUnknown,
    /// The SIWS nonce was already used.
    NonceReused,
    /// Too many sign-ins completed within the challenge lifetime; retry shortly.
    SignInBusy,
    /// The SIWS message names another domain.
    DomainMismatch,
    /// The SIWS message has expired.
    MessageExpired,
    /// The SIWS message is not valid yet.
    MessageNotYetValid,
    /// The signature does not verify for the address in the message.
    BadSignature,
    /// The connection is already signed in.
    AlreadyAuthenticated,
    /// This needs a signed-in wallet.
    NotAuthenticated,
    /// `presence` or `room_create_paid` named too many ghostIds or invitees at once.
    TooManyGhostIds,
    /// No room with that code (also returned for a malformed code).
    RoomNotFound,
    /// The room has reached its member limit.
    RoomFull,
    /// The gateway has reached its room limit.
    TooManyRooms,
    /// This connection is in as many rooms as it may be.
    TooManyRoomsPerConnection,
    /// No escrow of the signed-in wallet exists under that nonce.
    EscrowNotFound,
    /// The escrow paid for fewer keys than there are invitees.
    EscrowTooSmall,
    /// The escrow is no longer open: it was already locked for a room.
    EscrowUsed,
    /// The room tag is not base58 of 32 bytes.
    BadRoomTag,
    /// An invite is not base64 of a 97-byte sealed invite.
    BadInvite,
    /// The key does not admit this holder to this room (missing, fake, not held by it, bound
    /// to another room or master key, or a bad signature: deliberately one answer for all).
    KeyRefused,
    /// The chain could not be read; retry.
    ChainUnavailable,
    /// This gateway runs without a chain, so paid rooms are off.
    PaidRoomsUnavailable,
    /// This connection is already in that room.
    AlreadyInRoom,
    /// The room reference names no room this connection is in.
    NotInRoom,
    /// A binary frame arrived before the connection joined any room.
    BinaryBeforeJoin,
    /// A binary frame is shorter than its header, has an unknown version or kind, or a group
    /// frame does not carry an MLS PrivateMessage.
    BadFrame,
    /// `room_create`'s verifier is not base58 of a 32-byte Ed25519 public key.
    BadVerifier,
    /// A directed frame names a member who is not in the room.
    NoSuchMember,
    /// In a cluster, this gateway cannot reach the others right now, so it admits nobody to a
    /// room it cannot coordinate; retry shortly.
    ClusterUnavailable,
    /// A code this side does not know, sent by a newer peer.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The human-readable text sent with this code.
    pub fn describe(self) -> &'static str {
        match self {
            Self::BadJson => "the message is not valid JSON or has the wrong fields for its type",
            Self::UnknownType => "unknown message type",
            Self::UnsupportedVersion => "unsupported protocol version: this gateway speaks v2",
            Self::HelloRequired => "send hello first",
            Self::AlreadyHello => "hello was already sent on this connection",
            Self::RateLimited => "too many messages per second: message dropped",
            Self::JoinRateLimited => "too many join attempts: wait a minute and retry",
            Self::BadMessage => "the sign-in message is not a valid SIWS message",
            Self::NonceUnknown => "unknown or expired sign-in nonce: request a new challenge",
            Self::NonceReused => "this sign-in nonce was already used: request a new challenge",
            Self::SignInBusy => "too many sign-ins right now: retry in a minute",
            Self::DomainMismatch => "the sign-in message is for another domain",
            Self::MessageExpired => "the sign-in message has expired: request a new challenge",
            Self::MessageNotYetValid => "the sign-in message is not valid yet",
            Self::BadSignature => "the signature does not match the address",
            Self::AlreadyAuthenticated => "this connection is already signed in",
            Self::NotAuthenticated => "sign in with a wallet first",
            Self::TooManyGhostIds => "too many ghostIds in one request",
            Self::RoomNotFound => "no room with that code",
            Self::RoomFull => "the room is full",
            Self::TooManyRooms => "the gateway cannot host more rooms right now",
            Self::TooManyRoomsPerConnection => "this connection is in too many rooms",
            Self::EscrowNotFound => "no escrow of this wallet under that nonce",
            Self::EscrowTooSmall => "the escrow paid for fewer keys than there are invitees",
            Self::EscrowUsed => "this escrow was already locked for a room",
            Self::BadRoomTag => "the room tag must be base58 of 32 bytes",
            Self::BadInvite => "each invite must be base64 of a 97-byte sealed invite",
            Self::KeyRefused => "this key does not admit this holder to this room",
            Self::ChainUnavailable => "the chain could not be read; retry shortly",
            Self::PaidRoomsUnavailable => {
                "this gateway has no chain configured: paid rooms are off"
            }
            Self::AlreadyInRoom => "this connection is already in that room",
            Self::NotInRoom => "this connection is not in that room",
            Self::BinaryBeforeJoin => "join a room before sending binary frames",
            Self::BadFrame => {
                "binary frame too short, of an unknown version or kind, or a group frame \
                 without an MLS PrivateMessage"
            }
            Self::BadVerifier => "the room verifier must be a base58 32-byte Ed25519 public key",
            Self::NoSuchMember => "no member with that number is in the room",
            Self::ClusterUnavailable => {
                "this gateway cannot reach its cluster right now: retry shortly"
            }
            Self::Unknown => "an error this client does not know (the gateway is newer)",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

impl ErrorCode {
    /// The code as it appears on the wire, e.g. `room_not_found`.
    pub fn wire_name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => "unknown".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_travel_as_snake_case_and_unknown_ones_are_kept_apart() {
        assert_eq!(ErrorCode::RoomNotFound.wire_name(), "room_not_found");
        let parsed: ErrorCode = serde_json::from_str(r#""too_many_rooms_per_connection""#)
            .unwrap_or(ErrorCode::Unknown);
        assert_eq!(parsed, ErrorCode::TooManyRoomsPerConnection);
        let newer: ErrorCode =
            serde_json::from_str(r#""invented_later""#).unwrap_or(ErrorCode::BadJson);
        assert_eq!(newer, ErrorCode::Unknown);
    }
}
