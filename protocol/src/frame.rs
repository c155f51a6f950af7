//! Binary relay frames: a routing header the gateway reads, then an opaque payload it never
//! parses.
//!
//! ```text
//! client → gateway:  version (1) | room (4, big-endian) | payload
//! gateway → client:  version (1) | room (4, big-endian) | sender (2, big-endian) | payload
//! ```

use bytes::{BufMut, Bytes, BytesMut};

use crate::{ErrorCode, PROTOCOL_VERSION};

/// Bytes before the payload in a client's frame.
pub const CLIENT_HEADER_LEN: usize = 5;
/// Bytes before the payload in a relayed frame.
pub const RELAYED_HEADER_LEN: usize = 7;

/// Why a binary frame was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// Raised if the frame is shorter than its header.
    #[error("binary frame of {0} bytes is shorter than its header")]
    TooShort(usize),
    /// Raised if the first byte names another protocol version.
    #[error("binary frame of protocol version {0}; this side speaks {PROTOCOL_VERSION}")]
    Version(u8),
}

impl From<FrameError> for ErrorCode {
    fn from(_: FrameError) -> Self {
        ErrorCode::BadFrame
    }
}

/// A frame a client sends: the room it is for, then the payload for the other members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientFrame<'a> {
    /// The room reference from `joined`.
    pub room: u32,
    /// Opaque bytes for the other members.
    pub payload: &'a [u8],
}

/// A frame the gateway delivers: the room, the sender's member number (stamped by the
/// gateway, never taken from the payload), and the payload byte for byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelayedFrame<'a> {
    /// The room reference.
    pub room: u32,
    /// The sender's member number.
    pub sender: u16,
    /// Opaque bytes, as the sender sent them.
    pub payload: &'a [u8],
}

fn check_header(frame: &[u8], header_len: usize) -> Result<(), FrameError> {
    if frame.len() < header_len {
        return Err(FrameError::TooShort(frame.len()));
    }
    if frame[0] != PROTOCOL_VERSION {
        return Err(FrameError::Version(frame[0]));
    }
    Ok(())
}

fn room_at(frame: &[u8]) -> u32 {
    u32::from_be_bytes([frame[1], frame[2], frame[3], frame[4]])
}

impl<'a> ClientFrame<'a> {
    /// Reads a client's frame.
    pub fn decode(frame: &'a [u8]) -> Result<Self, FrameError> {
        check_header(frame, CLIENT_HEADER_LEN)?;
        Ok(Self {
            room: room_at(frame),
            payload: &frame[CLIENT_HEADER_LEN..],
        })
    }

    /// The frame's bytes.
    pub fn encode(&self) -> Bytes {
        let mut frame = BytesMut::with_capacity(CLIENT_HEADER_LEN + self.payload.len());
        frame.put_u8(PROTOCOL_VERSION);
        frame.put_u32(self.room);
        frame.put_slice(self.payload);
        frame.freeze()
    }

    /// The relayed frame the gateway builds from this one: the same room and payload,
    /// stamped with `sender`. Built once and shared by every recipient.
    pub fn stamp(&self, sender: u16) -> Bytes {
        RelayedFrame {
            room: self.room,
            sender,
            payload: self.payload,
        }
        .encode()
    }
}

impl<'a> RelayedFrame<'a> {
    /// Reads a relayed frame.
    pub fn decode(frame: &'a [u8]) -> Result<Self, FrameError> {
        check_header(frame, RELAYED_HEADER_LEN)?;
        Ok(Self {
            room: room_at(frame),
            sender: u16::from_be_bytes([frame[5], frame[6]]),
            payload: &frame[RELAYED_HEADER_LEN..],
        })
    }

    /// The frame's bytes.
    pub fn encode(&self) -> Bytes {
        let mut frame = BytesMut::with_capacity(RELAYED_HEADER_LEN + self.payload.len());
        frame.put_u8(PROTOCOL_VERSION);
        frame.put_u32(self.room);
        frame.put_u16(self.sender);
        frame.put_slice(self.payload);
        frame.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_encodes_and_stamps_exactly() {
        let sent = ClientFrame {
            room: 12345,
            payload: &[0xde, 0xad],
        };
        let bytes = sent.encode();
        assert_eq!(&bytes[..], &[1, 0, 0, 0x30, 0x39, 0xde, 0xad]);
        let decoded = ClientFrame::decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(decoded, sent);
        let relayed = decoded.stamp(4821);
        assert_eq!(&relayed[..], &[1, 0, 0, 0x30, 0x39, 0x12, 0xd5, 0xde, 0xad]);
        assert_eq!(
            RelayedFrame::decode(&relayed),
            Ok(RelayedFrame {
                room: 12345,
                sender: 4821,
                payload: &[0xde, 0xad]
            })
        );
    }

    #[test]
    fn short_frames_and_other_versions_are_refused_by_name() {
        assert_eq!(
            ClientFrame::decode(&[1, 0, 0, 0]),
            Err(FrameError::TooShort(4))
        );
        assert_eq!(
            ClientFrame::decode(&[2, 0, 0, 0, 1, 9]),
            Err(FrameError::Version(2))
        );
        assert_eq!(
            RelayedFrame::decode(&[1, 0, 0, 0, 1, 0]),
            Err(FrameError::TooShort(6))
        );
        let empty = ClientFrame::decode(&[1, 0, 0, 0, 1]);
        assert_eq!(
            empty.map(|f| f.payload.len()),
            Ok(0),
            "an empty payload is allowed"
        );
    }
}
