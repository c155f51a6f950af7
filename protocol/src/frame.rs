//! Binary relay frames: a routing header the gateway reads, then a payload. For `group`
//! frames the payload is an MLS PrivateMessage, whose cleartext header the gateway reads to
//! order commits (`mls_header`); every other payload it passes on unread.
//!
//! ```text
//! client → gateway:  version (1) | room (4) | kind (1) | [to (2), directed kinds only] | payload
//! gateway → client:  version (1) | room (4) | sender (2) | kind (1) | payload
//! ```
//!
//! All integers are big-endian. `sender` is stamped by the gateway, never taken from the
//! payload; `to` is read and dropped.

use bytes::{BufMut, Bytes, BytesMut};

use crate::{ErrorCode, PROTOCOL_VERSION};

/// What a frame carries, and so who receives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// An MLS PrivateMessage of the room's group (application data, proposal or commit),
    /// for every other member, in the room's one order.
    Group,
    /// A member's challenge to a newcomer (`to`): a nonce its join request must answer.
    Challenge,
    /// A newcomer's KeyPackage with its proof of the room's secret, answering the
    /// challenge of one member (`to`).
    JoinRequest,
    /// An MLS Welcome and its group proof, for one member (`to`).
    Welcome,
    /// A knock refused by the room's creator, for one member (`to`); no payload.
    Denied,
}

impl FrameKind {
    /// The kind's byte on the wire.
    pub fn to_byte(self) -> u8 {
        match self {
            Self::Group => 1,
            Self::JoinRequest => 2,
            Self::Welcome => 3,
            Self::Denied => 4,
            Self::Challenge => 5,
        }
    }

    /// The kind a byte names.
    pub fn from_byte(byte: u8) -> Result<Self, FrameError> {
        Ok(match byte {
            1 => Self::Group,
            2 => Self::JoinRequest,
            3 => Self::Welcome,
            4 => Self::Denied,
            5 => Self::Challenge,
            other => return Err(FrameError::Kind(other)),
        })
    }

    /// Whether frames of this kind go to one member, named by `to`: every kind but
    /// [`FrameKind::Group`].
    pub fn is_directed(self) -> bool {
        !matches!(self, Self::Group)
    }
}

/// Bytes before the payload in a client's frame to the whole room.
pub const CLIENT_HEADER_LEN: usize = 6;
/// Bytes before the payload in a client's frame to one member.
pub const DIRECTED_HEADER_LEN: usize = 8;
/// Bytes before the payload in a relayed frame.
pub const RELAYED_HEADER_LEN: usize = 8;

/// Why a binary frame was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Raised if the frame is shorter than its header.
    #[error("binary frame of {0} bytes is shorter than its header")]
    TooShort(usize),
    /// Raised if the first byte names another protocol version.
    #[error("binary frame of protocol version {0}; this side speaks {PROTOCOL_VERSION}")]
    Version(u8),
    /// Raised if the kind byte names no frame kind.
    #[error("unknown binary frame kind {0}")]
    Kind(u8),
}

impl From<FrameError> for ErrorCode {
    fn from(_: FrameError) -> Self {
        ErrorCode::BadFrame
    }
}

/// A frame a client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientFrame<'a> {
    /// The room reference from `joined`.
    pub room: u32,
    /// What the frame carries.
    pub kind: FrameKind,
    /// The one recipient of a directed frame (`None` for the others).
    pub to: Option<u16>,
    /// The bytes for the other members.
    pub payload: &'a [u8],
}

/// A frame the gateway delivers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayedFrame<'a> {
    /// The room reference.
    pub room: u32,
    /// The sender's member number.
    pub sender: u16,
    /// What the frame carries.
    pub kind: FrameKind,
    /// The payload, as the sender sent it.
    pub payload: &'a [u8],
}

fn check_version(frame: &[u8], header_len: usize) -> Result<(), FrameError> {
    if frame.is_empty() {
        return Err(FrameError::TooShort(0));
    }
    if frame[0] != PROTOCOL_VERSION {
        return Err(FrameError::Version(frame[0]));
    }
    if frame.len() < header_len {
        return Err(FrameError::TooShort(frame.len()));
    }
    Ok(())
}

fn room_at(frame: &[u8]) -> u32 {
    u32::from_be_bytes([frame[1], frame[2], frame[3], frame[4]])
}

impl<'a> ClientFrame<'a> {
    /// A frame for every other member of `room`.
    pub fn to_room(room: u32, kind: FrameKind, payload: &'a [u8]) -> Self {
        Self {
            room,
            kind,
            to: None,
            payload,
        }
    }

    /// A frame for member `to` of `room` only.
    pub fn to_member(room: u32, kind: FrameKind, to: u16, payload: &'a [u8]) -> Self {
        Self {
            room,
            kind,
            to: Some(to),
            payload,
        }
    }

    /// Reads a client's frame.
    pub fn decode(frame: &'a [u8]) -> Result<Self, FrameError> {
        check_version(frame, CLIENT_HEADER_LEN)?;
        let kind = FrameKind::from_byte(frame[5])?;
        if !kind.is_directed() {
            return Ok(Self::to_room(
                room_at(frame),
                kind,
                &frame[CLIENT_HEADER_LEN..],
            ));
        }
        if frame.len() < DIRECTED_HEADER_LEN {
            return Err(FrameError::TooShort(frame.len()));
        }
        Ok(Self::to_member(
            room_at(frame),
            kind,
            u16::from_be_bytes([frame[6], frame[7]]),
            &frame[DIRECTED_HEADER_LEN..],
        ))
    }

    /// The frame's bytes. A directed kind without `to` (or a room-wide kind with one) is
    /// encoded by its kind: `to` is written exactly when the kind is directed, as 0 if unset.
    pub fn encode(&self) -> Bytes {
        let directed = self.kind.is_directed();
        let header = if directed {
            DIRECTED_HEADER_LEN
        } else {
            CLIENT_HEADER_LEN
        };
        let mut frame = BytesMut::with_capacity(header + self.payload.len());
        frame.put_u8(PROTOCOL_VERSION);
        frame.put_u32(self.room);
        frame.put_u8(self.kind.to_byte());
        if directed {
            frame.put_u16(self.to.unwrap_or(0));
        }
        frame.put_slice(self.payload);
        frame.freeze()
    }

    /// The frame the gateway delivers: the same room, kind and payload, stamped with
    /// `sender`. Built once and shared by every recipient.
    pub fn stamp(&self, sender: u16) -> Bytes {
        RelayedFrame {
            room: self.room,
            sender,
            kind: self.kind,
            payload: self.payload,
        }
        .encode()
    }
}

impl<'a> RelayedFrame<'a> {
    /// Reads a relayed frame.
    pub fn decode(frame: &'a [u8]) -> Result<Self, FrameError> {
        check_version(frame, RELAYED_HEADER_LEN)?;
        Ok(Self {
            room: room_at(frame),
            sender: u16::from_be_bytes([frame[5], frame[6]]),
            kind: FrameKind::from_byte(frame[7])?,
            payload: &frame[RELAYED_HEADER_LEN..],
        })
    }

    /// The frame's bytes.
    pub fn encode(&self) -> Bytes {
        let mut frame = BytesMut::with_capacity(RELAYED_HEADER_LEN + self.payload.len());
        frame.put_u8(PROTOCOL_VERSION);
        frame.put_u32(self.room);
        frame.put_u16(self.sender);
        frame.put_u8(self.kind.to_byte());
        frame.put_slice(self.payload);
        frame.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_examples_encode_and_stamp_exactly() {
        let sent = ClientFrame::to_room(12345, FrameKind::Group, &[0xde, 0xad]);
        let bytes = sent.encode();
        assert_eq!(&bytes[..], &[2, 0, 0, 0x30, 0x39, 1, 0xde, 0xad]);
        let decoded = ClientFrame::decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded, sent);
        let relayed = decoded.stamp(4821);
        assert_eq!(
            &relayed[..],
            &[2, 0, 0, 0x30, 0x39, 0x12, 0xd5, 1, 0xde, 0xad]
        );
        assert_eq!(
            RelayedFrame::decode(&relayed),
            Ok(RelayedFrame {
                room: 12345,
                sender: 4821,
                kind: FrameKind::Group,
                payload: &[0xde, 0xad]
            })
        );
        let welcome = ClientFrame::to_member(12345, FrameKind::Welcome, 5310, &[7]);
        assert_eq!(
            &welcome.encode()[..],
            &[2, 0, 0, 0x30, 0x39, 3, 0x14, 0xbe, 7]
        );
        let relayed = welcome.stamp(4821);
        assert_eq!(&relayed[..], &[2, 0, 0, 0x30, 0x39, 0x12, 0xd5, 3, 7]);
    }

    #[test]
    fn short_frames_other_versions_and_unknown_kinds_are_refused_by_name() {
        assert_eq!(ClientFrame::decode(&[]), Err(FrameError::TooShort(0)));
        assert_eq!(
            ClientFrame::decode(&[2, 0, 0, 0, 1]),
            Err(FrameError::TooShort(5))
        );
        assert_eq!(
            ClientFrame::decode(&[1, 0, 0, 0, 1, 1, 9]),
            Err(FrameError::Version(1))
        );
        assert_eq!(
            ClientFrame::decode(&[2, 0, 0, 0, 1, 9]),
            Err(FrameError::Kind(9))
        );
        assert_eq!(
            ClientFrame::decode(&[2, 0, 0, 0, 1, 3, 0]),
            Err(FrameError::TooShort(7)),
            "a directed frame needs its recipient"
        );
        assert_eq!(
            RelayedFrame::decode(&[2, 0, 0, 0, 1, 0, 1]),
            Err(FrameError::TooShort(7))
        );
        let empty = ClientFrame::decode(&[2, 0, 0, 0, 1, 1]);
        assert_eq!(empty.map(|f| f.payload.len()), Ok(0));
    }
}
