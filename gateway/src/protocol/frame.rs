//! Binary relay frames. The gateway reads only the header; the payload is opaque ciphertext.
//!
//! ```text
//! client → gateway:  version (1) = 1 | room (4, big-endian) | payload
//! gateway → client:  version (1) = 1 | room (4, big-endian) | sender (2, big-endian) | payload
//! ```

use bytes::{BufMut, Bytes, BytesMut};

use super::PROTOCOL_VERSION;

/// Bytes before the payload in a client frame.
pub const INBOUND_HEADER_LEN: usize = 5;
/// Bytes before the payload in a relayed frame.
pub const OUTBOUND_HEADER_LEN: usize = 7;

/// The routing header of a client's binary frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboundHeader {
    /// The room the frame is for.
    pub room: u32,
}

/// Reads the header of a client frame; `None` if it is too short or of another version.
pub fn parse_inbound(frame: &[u8]) -> Option<InboundHeader> {
    if frame.len() < INBOUND_HEADER_LEN || frame[0] != PROTOCOL_VERSION {
        return None;
    }
    let room = u32::from_be_bytes([frame[1], frame[2], frame[3], frame[4]]);
    Some(InboundHeader { room })
}

/// Builds the frame relayed to the other members: the header stamped with the sender's
/// member number, then the untouched payload. Built once and shared by every recipient.
pub fn stamp_outbound(room: u32, sender: u16, inbound: &[u8]) -> Bytes {
    let payload = &inbound[INBOUND_HEADER_LEN..];
    let mut frame = BytesMut::with_capacity(OUTBOUND_HEADER_LEN + payload.len());
    frame.put_u8(PROTOCOL_VERSION);
    frame.put_u32(room);
    frame.put_u16(sender);
    frame.put_slice(payload);
    frame.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relayed_frame_carries_room_sender_and_untouched_payload() {
        let inbound = [1, 0, 0, 0x30, 0x39, 0xde, 0xad];
        let header = parse_inbound(&inbound).unwrap();
        assert_eq!(header.room, 12345);
        let out = stamp_outbound(header.room, 4821, &inbound);
        assert_eq!(&out[..], &[1, 0, 0, 0x30, 0x39, 0x12, 0xd5, 0xde, 0xad]);
    }

    #[test]
    fn short_or_foreign_version_frames_are_refused() {
        assert_eq!(parse_inbound(&[1, 0, 0, 0]), None);
        assert_eq!(parse_inbound(&[2, 0, 0, 0, 1, 9]), None);
        assert!(
            parse_inbound(&[1, 0, 0, 0, 1]).is_some(),
            "empty payload is allowed"
        );
    }
}
