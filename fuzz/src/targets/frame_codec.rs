//! The binary relay frame codec, both directions (`protocol/src/frame.rs`).
//!
//! Invariants: decoding never panics; a decoded frame encodes back to exactly the bytes it
//! was read from (the codec is canonical, so the gateway relays what it read); a stamped
//! frame decodes as the same room, kind and payload from the stamping sender; a frame built
//! field by field decodes back to itself.

use anoghost_protocol::frame::{
    ClientFrame, FrameKind, RelayedFrame, CLIENT_HEADER_LEN, RELAYED_HEADER_LEN,
};
use arbitrary::Arbitrary;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    /// Bytes as a client (or a gateway, to the SDK) could send them.
    Raw(&'a [u8]),
    /// A frame built field by field.
    Built {
        room: u32,
        kind: u8,
        to: u16,
        sender: u16,
        payload: &'a [u8],
    },
}

fn kind(byte: u8) -> FrameKind {
    let kinds = [
        FrameKind::Group,
        FrameKind::JoinRequest,
        FrameKind::Welcome,
        FrameKind::Denied,
        FrameKind::Challenge,
    ];
    kinds[usize::from(byte) % kinds.len()]
}

fn check_stamp(frame: &ClientFrame<'_>, sender: u16) {
    let stamped = frame.stamp(sender);
    assert_eq!(stamped.len(), RELAYED_HEADER_LEN + frame.payload.len());
    let relayed = RelayedFrame::decode(&stamped).expect("a stamped frame decodes");
    assert_eq!(
        relayed,
        RelayedFrame {
            room: frame.room,
            sender,
            kind: frame.kind,
            payload: frame.payload,
        }
    );
}

fn run(input: Input<'_>) {
    match input {
        Input::Raw(bytes) => {
            if let Ok(frame) = ClientFrame::decode(bytes) {
                assert_eq!(&frame.encode()[..], bytes, "client frames are canonical");
                assert!(frame.payload.len() + CLIENT_HEADER_LEN <= bytes.len());
                assert_eq!(frame.to.is_some(), frame.kind.is_directed());
                check_stamp(&frame, 4821);
            }
            if let Ok(frame) = RelayedFrame::decode(bytes) {
                assert_eq!(&frame.encode()[..], bytes, "relayed frames are canonical");
            }
        }
        Input::Built {
            room,
            kind: kind_byte,
            to,
            sender,
            payload,
        } => {
            let kind = kind(kind_byte);
            let frame = if kind.is_directed() {
                ClientFrame::to_member(room, kind, to, payload)
            } else {
                ClientFrame::to_room(room, kind, payload)
            };
            let bytes = frame.encode();
            assert_eq!(ClientFrame::decode(&bytes), Ok(frame));
            check_stamp(&frame, sender);
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
