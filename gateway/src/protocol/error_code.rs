use serde::Serialize;

/// Every error a client can receive in an `error` message. The wire form is the snake_case
/// name; `docs/protocol.md` lists each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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
    /// `presence` asked about too many ghostIds at once.
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
    /// The escrow was already used for a room.
    EscrowUsed,
    /// The paid room's name is empty or longer than 32 bytes.
    BadRoomName,
    /// The key does not admit this wallet (fake, not held by it, or not sealed by this
    /// gateway: deliberately one answer for all).
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
    /// A binary frame is shorter than its header or has an unknown version.
    BadFrame,
}
