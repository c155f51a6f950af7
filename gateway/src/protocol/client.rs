use serde::Deserialize;

/// A control message from a client. The `type` field selects the variant.
#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// First message on every connection: the protocol version the client speaks.
    Hello {
        /// Must be [`super::PROTOCOL_VERSION`].
        v: u8,
    },
    /// Sign in with a signed SIWS message from `POST /v1/auth/challenge`.
    Auth {
        /// The exact message text that was signed.
        message: String,
        /// The ed25519 signature over the message bytes, base58.
        signature: String,
    },
    /// Ask for a fresh ghostId now.
    GhostRotate {},
    /// Ask which of these ghostIds were issued within the window.
    Presence {
        /// The ghostIds to check.
        ghost_ids: Vec<String>,
    },
    /// Create a free room and join it.
    RoomCreate {},
    /// Join a free room by its 6-digit code.
    RoomJoin {
        /// The room code, six ASCII digits.
        code: String,
    },
    /// Create a paid room: mint one key NFT per invitee against the signed-in wallet's escrow.
    RoomCreatePaid {
        /// The room's display name, written into every key (1..=32 bytes).
        name: String,
        /// The escrow's nonce, base58 of 32 bytes.
        escrow_nonce: String,
        /// The invitees' ghostIds.
        invitees: Vec<String>,
    },
    /// Join a paid room with a key NFT held by the signed-in wallet.
    RoomJoinPaid {
        /// The key's mint address, base58.
        mint: String,
    },
    /// Leave a room.
    RoomLeave {
        /// The room reference from `joined`.
        room: u32,
    },
}

/// Every `type` a client may send, to tell an unknown type from a malformed known one.
const KNOWN_TYPES: [&str; 9] = [
    "hello",
    "auth",
    "ghost_rotate",
    "presence",
    "room_create",
    "room_join",
    "room_create_paid",
    "room_join_paid",
    "room_leave",
];

impl ClientMessage {
    /// Parses a control message, telling apart malformed JSON ([`ErrorCode::BadJson`]) and a
    /// `type` this gateway does not know ([`ErrorCode::UnknownType`]).
    pub fn parse(text: &str) -> Result<Self, super::ErrorCode> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| super::ErrorCode::BadJson)?;
        let known = value
            .get("type")
            .and_then(serde_json::Value::as_str)
            .is_some_and(|t| KNOWN_TYPES.contains(&t));
        if !known {
            return Err(if value.get("type").is_some() {
                super::ErrorCode::UnknownType
            } else {
                super::ErrorCode::BadJson
            });
        }
        serde_json::from_value(value).map_err(|_| super::ErrorCode::BadJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ErrorCode;

    #[test]
    fn known_messages_parse() {
        assert!(matches!(
            ClientMessage::parse(r#"{"type":"hello","v":1}"#),
            Ok(ClientMessage::Hello { v: 1 })
        ));
        assert!(matches!(
            ClientMessage::parse(r#"{"type":"room_join","code":"123456"}"#),
            Ok(ClientMessage::RoomJoin { code }) if code == "123456"
        ));
    }

    #[test]
    fn malformed_and_unknown_are_told_apart() {
        assert_eq!(
            ClientMessage::parse("{nope").err(),
            Some(ErrorCode::BadJson)
        );
        assert_eq!(
            ClientMessage::parse(r#"{"v":1}"#).err(),
            Some(ErrorCode::BadJson)
        );
        assert_eq!(
            ClientMessage::parse(r#"{"type":"teleport"}"#).err(),
            Some(ErrorCode::UnknownType)
        );
        assert_eq!(
            ClientMessage::parse(r#"{"type":"room_join","code":7}"#).err(),
            Some(ErrorCode::BadJson)
        );
        assert_eq!(
            ClientMessage::parse(r#"{"type":"hello","v":1,"extra":true}"#).err(),
            Some(ErrorCode::BadJson)
        );
    }
}
