//! Control messages a client sends, as JSON text frames.

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// A control message from a client. `type` carries the snake_case variant name, and any
/// field a variant does not declare is refused, so a typo is an error rather than a
/// silently ignored option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// Must be first on a connection; `v` is the protocol version the client speaks.
    Hello {
        /// Protocol version.
        v: u8,
    },
    /// Sign in with a wallet: the SIWS message from `/v1/auth/challenge` and the wallet's
    /// signature over it.
    Auth {
        /// The exact SIWS text.
        message: String,
        /// Base58 ed25519 signature over `message`.
        signature: String,
    },
    /// Ask for a ghostId sealing a one-time holder address. No wallet sign-in is needed:
    /// the holder proves itself, and the gateway never learns which wallet derived it.
    GhostIssue {
        /// The holder address, base58.
        holder: String,
        /// Base58 ed25519 signature by the holder over `"anoghost/ghost-issue/v1" ‖
        /// challenge (32, from welcome) ‖ holder (32)`.
        signature: String,
    },
    /// Ask which ghostIds this gateway issued within its window.
    Presence {
        /// The ghostIds to check.
        ghost_ids: Vec<String>,
    },
    /// Create a free room and join it. The gateway keeps only `verifier`, the public half of
    /// a key derived from the invite's secret, to check later joins against.
    RoomCreate {
        /// Base58 of a 32-byte Ed25519 public key.
        verifier: String,
    },
    /// Join a free room by its six-digit code, proving the invite's secret without showing
    /// it: `proof` is the signature of the room's admission key over
    /// `"anoghost/room-join/v1" ‖ challenge ‖ code`.
    RoomJoin {
        /// Six ASCII digits.
        code: String,
        /// Base58 of a 64-byte Ed25519 signature.
        proof: String,
    },
    /// Have the gateway lock the signed-in wallet's escrow and mint one key NFT per
    /// invitee, each to the holder its ghostId seals.
    RoomCreatePaid {
        /// The escrow's nonce, base58 of 32 bytes.
        escrow_nonce: String,
        /// The room tag, base58 of 32 bytes: derived from the room secret, which the gateway
        /// never sees.
        room_tag: String,
        /// One entry per invitee.
        invitees: Vec<PaidInvitee>,
    },
    /// Join a paid room with the key NFT a holder address holds.
    RoomJoinPaid {
        /// The holder address, base58.
        holder: String,
        /// The room tag, base58 of 32 bytes.
        room_tag: String,
        /// Base58 ed25519 signature by the holder over `"anoghost/paid-join/v1" ‖
        /// challenge (32) ‖ room tag (32)`.
        signature: String,
    },
    /// Leave a room.
    RoomLeave {
        /// The room reference from `joined`.
        room: u32,
    },
    /// A barrier: answered with `synced` once everything sent before it was handled, so an
    /// `error` for an earlier relay frame arrives before the answer.
    Sync {},
    /// A `type` this side does not know (sent by a newer client). Never sent.
    #[serde(other, skip_serializing)]
    Unknown,
}

/// One invitee of `room_create_paid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaidInvitee {
    /// The invitee's ghostId (the first part of its ghost contact).
    pub ghost_id: String,
    /// Base64 of the 97-byte HPKE-sealed invite for the invitee's invite key: written into
    /// its key as is; the gateway cannot open it.
    pub invite: String,
}

impl ClientMessage {
    /// Parses a control message. Malformed JSON, a missing `type` or wrong fields give
    /// [`ErrorCode::BadJson`]; a `type` this side does not know gives
    /// [`ErrorCode::UnknownType`].
    pub fn from_json(text: &str) -> Result<Self, ErrorCode> {
        match serde_json::from_str(text) {
            Ok(Self::Unknown) => Err(ErrorCode::UnknownType),
            Ok(message) => Ok(message),
            Err(_) => Err(ErrorCode::BadJson),
        }
    }

    /// The JSON text of this message. [`ClientMessage::Unknown`] is never sent and encodes
    /// as an empty string.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
