//! One file going out: its manifest, then its chunks in order, to the members who were in
//! the group when it was offered.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{FileError, FileEvent};
use crate::mls::file_content::{
    chunk_count, FileChunk, FileManifest, FilePart, TransferId, CHUNK_SIZE,
};

/// A file this member is sending.
pub struct Outgoing {
    me: u16,
    manifest: FileManifest,
    data: Zeroizing<Vec<u8>>,
    next: u32,
    /// Members offered the file who have neither declined it nor left.
    recipients: BTreeSet<u16>,
}

impl std::fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outgoing")
            .field("transfer", &self.manifest.transfer)
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

/// What a file to send is: its name and MIME type, and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct FileToSend {
    /// Its name (at most 255 bytes of UTF-8; no directories).
    pub name: String,
    /// Its MIME type, e.g. `image/png` (empty: unknown).
    pub mime: String,
    /// Its bytes.
    pub bytes: Zeroizing<Vec<u8>>,
}

impl FileToSend {
    /// A file named `name`, of MIME type `mime`, made of `bytes`.
    pub fn new(name: impl Into<String>, mime: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            mime: mime.into(),
            bytes: Zeroizing::new(bytes),
        }
    }
}

impl std::fmt::Debug for FileToSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileToSend")
            .field("name", &self.name)
            .field("mime", &self.mime)
            .field("size", &self.bytes.len())
            .finish()
    }
}

impl Outgoing {
    /// Starts sending `file` as member `me` to `recipients`, in a room whose limit is
    /// `limit`; returns the transfer and the manifest to send first.
    pub fn start(
        me: u16,
        file: FileToSend,
        limit: u64,
        recipients: BTreeSet<u16>,
    ) -> Result<(Self, FilePart), FileError> {
        let size = file.bytes.len() as u64;
        if size > limit {
            return Err(FileError::TooLarge { size, limit });
        }
        if recipients.is_empty() {
            return Err(FileError::NoRecipients);
        }
        // Under the limit, the count always fits (limit / chunk size is far below 2^32).
        let count = chunk_count(size, CHUNK_SIZE).ok_or(FileError::TooLarge { size, limit })?;
        let manifest = FileManifest {
            transfer: TransferId::random(),
            name: file.name,
            size,
            mime: file.mime,
            sha256: Sha256::digest(&*file.bytes).into(),
            chunk_size: CHUNK_SIZE,
            chunk_count: count,
        };
        let part = FilePart::Manifest(manifest.clone());
        let outgoing = Self {
            me,
            manifest,
            data: file.bytes,
            next: 0,
            recipients,
        };
        Ok((outgoing, part))
    }

    /// The transfer's id.
    pub fn transfer(&self) -> TransferId {
        self.manifest.transfer
    }

    /// The manifest sent.
    pub fn manifest(&self) -> &FileManifest {
        &self.manifest
    }

    /// Whether every chunk went out.
    pub fn is_done(&self) -> bool {
        self.next >= self.manifest.chunk_count
    }

    /// The next chunk to send, if any.
    pub fn next_chunk(&self) -> Option<FilePart> {
        if self.is_done() {
            return None;
        }
        let start = self.next as usize * self.manifest.chunk_size as usize;
        let len = self.manifest.chunk_len(self.next) as usize;
        Some(FilePart::Chunk(FileChunk {
            transfer: self.manifest.transfer,
            index: self.next,
            bytes: Zeroizing::new(self.data[start..start + len].to_vec()),
        }))
    }

    /// The chunk from [`Self::next_chunk`] went out: progress, and the end once it was the
    /// last.
    pub fn advance(&mut self) -> Vec<FileEvent> {
        self.next += 1;
        let done =
            (u64::from(self.next) * u64::from(self.manifest.chunk_size)).min(self.manifest.size);
        let mut events = vec![FileEvent::Progress {
            transfer: self.manifest.transfer,
            from: self.me,
            done,
            total: self.manifest.size,
        }];
        if self.is_done() {
            events.push(FileEvent::Sent {
                file: self.manifest.clone(),
            });
        }
        events
    }

    /// A cancel from `by` for `transfer`: if `by` was offered this file, it declines it.
    /// Returns the events, and whether the transfer should stop (nobody left who wants it).
    pub fn on_cancel(&mut self, by: u16, transfer: TransferId) -> (Vec<FileEvent>, bool) {
        if transfer != self.manifest.transfer || !self.recipients.remove(&by) {
            return (Vec::new(), false);
        }
        let mut events = vec![FileEvent::Cancelled {
            transfer,
            from: self.me,
            by,
        }];
        let stop = self.nobody_left(&mut events);
        (events, stop)
    }

    /// `member` left the room or the group. Returns the events, and whether the transfer
    /// should stop.
    pub fn on_member_gone(&mut self, member: u16) -> (Vec<FileEvent>, bool) {
        let mut events = Vec::new();
        if !self.recipients.remove(&member) {
            return (events, false);
        }
        let stop = self.nobody_left(&mut events);
        (events, stop)
    }

    fn nobody_left(&self, events: &mut Vec<FileEvent>) -> bool {
        if !self.recipients.is_empty() {
            return false;
        }
        events.push(FileEvent::Failed {
            transfer: self.manifest.transfer,
            from: self.me,
            error: FileError::NoRecipients,
        });
        true
    }
}
