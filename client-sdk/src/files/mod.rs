//! File transfers in a room, streamed through the group and never stored: a sender's file
//! becomes a manifest and chunks inside MLS application messages (`mls::file_content`), and
//! receivers put it back together in memory, checking every chunk and the whole file's
//! SHA-256. No I/O here: parts and member events go in, parts to send and [`FileEvent`]s
//! come out; [`crate::chat::ChatRoom`] runs it.
//!
//! # Layout
//! - [`incoming`]: reassembly, with every refusal a [`FileError`].
//! - [`outgoing`]: one file going out, chunk by chunk, to the members offered it.
//! - [`pacer`]: when the next chunk may go, so files use at most half the gateway's message
//!   rate and chat always has the other half.
//!
//! # Security notes
//! - Only members read a file, and nobody but its sender can alter it: MLS authenticates
//!   every chunk. The SHA-256 in the manifest binds the chunks to what the sender announced,
//!   so a sender that changes a chunk on the way (or a bug) is caught before anything is
//!   handed to the application.
//! - A receiver holds at most [`MAX_INCOMING`] files at once, one per sender, each at most
//!   the room's limit, and refuses one over the limit at its manifest, before keeping any
//!   chunk.
//! - Members who join mid-transfer never saw the manifest: its chunks are for a transfer they
//!   do not know, and they ignore them.

pub mod incoming;
pub mod outgoing;
pub mod pacer;

use std::time::Duration;

use zeroize::Zeroizing;

use crate::mls::file_content::{FileManifest, TransferId};

/// How long a receiver waits for the next chunk before giving a transfer up.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(30);
/// Most files arriving at once, from different senders.
pub const MAX_INCOMING: usize = 4;

/// Why a transfer stopped before it was complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// The sender left the room or the group.
    SenderLeft,
    /// Nothing arrived for [`STALL_TIMEOUT`].
    Stalled,
}

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SenderLeft => write!(f, "the sender left"),
            Self::Stalled => write!(f, "nothing more for {} s", STALL_TIMEOUT.as_secs()),
        }
    }
}

/// Why a file was refused, or could not be sent. A refused file is discarded whole: nothing
/// of it reaches the application.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Raised if a file is larger than the room's limit: by its sender, before anything is
    /// sent; by a receiver, at the manifest, before it keeps any chunk.
    #[error("the file is {size} bytes; this room takes files up to {limit} bytes")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The room's limit.
        limit: u64,
    },
    /// Raised if a transfer stopped before its last chunk.
    #[error("incomplete: {received} of {expected} chunks arrived, then {why}; discarded")]
    Incomplete {
        /// Chunks that arrived.
        received: u32,
        /// Chunks announced.
        expected: u32,
        /// What stopped it.
        why: Cut,
    },
    /// Raised if the file that arrived is not the one its manifest describes: a chunk was
    /// altered.
    #[error("the file does not match its SHA-256; discarded")]
    HashMismatch,
    /// Raised if a chunk's index is past the file's last chunk.
    #[error("chunk {index} of a file of {count} chunks; discarded")]
    ChunkOutOfRange {
        /// The chunk's index.
        index: u32,
        /// Chunks announced.
        count: u32,
    },
    /// Raised if a chunk arrives a second time.
    #[error("chunk {index} arrived twice; discarded")]
    DuplicateChunk {
        /// The chunk's index.
        index: u32,
    },
    /// Raised if chunks skip one: the sender sends them in order and the gateway keeps the
    /// order, so one was lost (dropped over the rate limit, say).
    #[error("chunk {got} arrived where chunk {expected} was due; discarded")]
    MissingChunk {
        /// The index due.
        expected: u32,
        /// The index that came.
        got: u32,
    },
    /// Raised if a chunk is not the size the manifest implies.
    #[error("chunk {index} is {len} bytes where {expected} were due; discarded")]
    WrongChunkSize {
        /// The chunk's index.
        index: u32,
        /// Its size.
        len: usize,
        /// The size due.
        expected: u64,
    },
    /// Raised if a member offers a second file while its first is arriving, or
    /// [`MAX_INCOMING`] files are already arriving.
    #[error("too many files arriving at once (one per member, {MAX_INCOMING} in all); refused")]
    TooManyTransfers,
    /// Raised if this member starts a file while another of its own is still going out.
    #[error("a file is already going out; wait for it or cancel it")]
    Busy,
    /// Raised if nobody is in the group to send to, or everybody offered the file has
    /// declined it or left.
    #[error("nobody left to receive the file")]
    NoRecipients,
}

/// What happened to a file transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileEvent {
    /// A member offers a file; it is arriving (decline it with `ChatRoom::cancel_file`).
    Offered {
        /// The sender.
        from: u16,
        /// What it says the file is.
        file: FileManifest,
    },
    /// More of a file went out (`from` is this member) or arrived.
    Progress {
        /// The transfer.
        transfer: TransferId,
        /// Its sender.
        from: u16,
        /// Bytes so far.
        done: u64,
        /// Bytes in all.
        total: u64,
    },
    /// A file arrived whole and matches its SHA-256.
    Received {
        /// The sender.
        from: u16,
        /// What it is.
        file: FileManifest,
        /// Its bytes (wiped from memory when dropped).
        bytes: Zeroizing<Vec<u8>>,
    },
    /// This member's file went out whole to the gateway.
    Sent {
        /// What it was.
        file: FileManifest,
    },
    /// A transfer was refused or broke off; whatever had arrived is discarded.
    Failed {
        /// The transfer.
        transfer: TransferId,
        /// Its sender.
        from: u16,
        /// Why.
        error: FileError,
    },
    /// Member `by` cancelled transfer `transfer` of `from`. When `by` is the sender, the
    /// transfer is over and receivers discarded what they had. Otherwise a receiver declined
    /// it (only the sender hears of it), and the sender stops once nobody offered the file
    /// still wants it ([`FileError::NoRecipients`]).
    Cancelled {
        /// The transfer.
        transfer: TransferId,
        /// Its sender.
        from: u16,
        /// Who cancelled.
        by: u16,
    },
}
