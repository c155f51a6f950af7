//! What a [`RoomGroup`](super::RoomGroup) hands back: frames to send and events to show.

use anoghost_protocol::frame::FrameKind;

use crate::mls::content::DirectContent;
use crate::mls::error::MlsError;
use crate::mls::file_content::FilePart;

/// A frame to send to the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFrame {
    /// Its kind.
    pub kind: FrameKind,
    /// The one recipient of a directed kind.
    pub to: Option<u16>,
    /// Its payload.
    pub payload: Vec<u8>,
}

/// Something the application should show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoomEvent {
    /// This member is in the group: it created it, or a member's Welcome checked out.
    InGroup,
    /// The group's roster changed.
    RosterChanged {
        /// Member numbers added.
        added: Vec<u16>,
        /// Member numbers removed.
        removed: Vec<u16>,
    },
    /// A message to the group.
    Message {
        /// The sender's member number.
        from: u16,
        /// What it says.
        text: String,
        /// Seconds after which to delete it (0: keep).
        ttl_secs: u32,
    },
    /// A message for this member only.
    Direct {
        /// The sender's member number.
        from: u16,
        /// What it says.
        content: DirectContent,
    },
    /// A member asks to be let in (knock mode); the creator may approve or deny it.
    Knock {
        /// Its member number.
        member: u16,
    },
    /// The room's creator refused this member.
    Denied,
    /// Something from `from` was refused; nothing changed because of it.
    Refused {
        /// The member the gateway named as its sender.
        from: u16,
        /// Why.
        reason: MlsError,
    },
    /// A file transfer's manifest, chunk or cancel from `from` (the `files` module makes
    /// sense of them).
    File {
        /// The sender's member number.
        from: u16,
        /// What it sent.
        part: FilePart,
    },
    /// This member was removed from the group.
    Removed,
}

/// Frames to send and events to show.
#[derive(Debug, Default)]
pub struct Output {
    /// Frames, in order.
    pub frames: Vec<OutFrame>,
    /// Events, in order.
    pub events: Vec<RoomEvent>,
}

impl Output {
    pub(super) fn frame(&mut self, kind: FrameKind, to: Option<u16>, payload: Vec<u8>) {
        self.frames.push(OutFrame { kind, to, payload });
    }

    pub(super) fn refused(&mut self, from: u16, reason: MlsError) {
        self.events.push(RoomEvent::Refused { from, reason });
    }
}
