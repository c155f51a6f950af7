//! Files arriving: one per sender at a time, kept in memory only, checked chunk by chunk
//! and then against the manifest's SHA-256.

use std::collections::BTreeMap;
use std::time::Instant;

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::{Cut, FileError, FileEvent, MAX_INCOMING, STALL_TIMEOUT};
use crate::mls::file_content::{FileChunk, FileManifest, FilePart, TransferId};

struct Incoming {
    manifest: FileManifest,
    data: Zeroizing<Vec<u8>>,
    hasher: Sha256,
    next: u32,
    last_progress: Instant,
}

/// The files arriving at this member, by sender.
#[derive(Default)]
pub struct Receiving {
    by_sender: BTreeMap<u16, Incoming>,
}

impl std::fmt::Debug for Receiving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiving")
            .field("arriving", &self.by_sender.len())
            .finish()
    }
}

impl Receiving {
    /// Transfers arriving now.
    pub fn arriving(&self) -> Vec<(u16, TransferId)> {
        self.by_sender
            .iter()
            .map(|(from, incoming)| (*from, incoming.manifest.transfer))
            .collect()
    }

    /// Bytes held for unfinished files.
    pub fn held_bytes(&self) -> usize {
        self.by_sender.values().map(|i| i.data.len()).sum()
    }

    /// A part from member `from`, in a room whose file limit is `limit`. A cancel from
    /// someone other than the transfer's sender is not for receivers (see `outgoing`).
    pub fn on_part(
        &mut self,
        from: u16,
        part: FilePart,
        limit: u64,
        now: Instant,
    ) -> Vec<FileEvent> {
        match part {
            FilePart::Manifest(manifest) => self.on_manifest(from, manifest, limit, now),
            FilePart::Chunk(chunk) => self.on_chunk(from, chunk, now),
            FilePart::Cancel(transfer) => match self.by_sender.get(&from) {
                Some(incoming) if incoming.manifest.transfer == transfer => {
                    self.by_sender.remove(&from);
                    vec![FileEvent::Cancelled {
                        transfer,
                        from,
                        by: from,
                    }]
                }
                _ => Vec::new(),
            },
        }
    }

    fn on_manifest(
        &mut self,
        from: u16,
        manifest: FileManifest,
        limit: u64,
        now: Instant,
    ) -> Vec<FileEvent> {
        let refuse = |error| {
            vec![FileEvent::Failed {
                transfer: manifest.transfer,
                from,
                error,
            }]
        };
        if manifest.size > limit {
            return refuse(FileError::TooLarge {
                size: manifest.size,
                limit,
            });
        }
        if self.by_sender.contains_key(&from) || self.by_sender.len() >= MAX_INCOMING {
            return refuse(FileError::TooManyTransfers);
        }
        let mut events = vec![FileEvent::Offered {
            from,
            file: manifest.clone(),
        }];
        let incoming = Incoming {
            manifest,
            data: Zeroizing::new(Vec::new()),
            hasher: Sha256::new(),
            next: 0,
            last_progress: now,
        };
        if incoming.manifest.chunk_count == 0 {
            events.push(finish(from, incoming));
        } else {
            self.by_sender.insert(from, incoming);
        }
        events
    }

    fn on_chunk(&mut self, from: u16, chunk: FileChunk, now: Instant) -> Vec<FileEvent> {
        let Some(incoming) = self.by_sender.get_mut(&from) else {
            // A transfer this member never saw offered (it joined mid-way, or refused the
            // manifest): not for it.
            return Vec::new();
        };
        let manifest = &incoming.manifest;
        if manifest.transfer != chunk.transfer {
            return Vec::new();
        }
        let (index, count) = (chunk.index, manifest.chunk_count);
        let expected = manifest.chunk_len(index);
        let error = if index >= count {
            Some(FileError::ChunkOutOfRange { index, count })
        } else if index < incoming.next {
            Some(FileError::DuplicateChunk { index })
        } else if index > incoming.next {
            Some(FileError::MissingChunk {
                expected: incoming.next,
                got: index,
            })
        } else if chunk.bytes.len() as u64 != expected {
            Some(FileError::WrongChunkSize {
                index,
                len: chunk.bytes.len(),
                expected,
            })
        } else {
            None
        };
        let transfer = manifest.transfer;
        if let Some(error) = error {
            self.by_sender.remove(&from);
            return vec![FileEvent::Failed {
                transfer,
                from,
                error,
            }];
        }
        incoming.hasher.update(&chunk.bytes);
        incoming.data.extend_from_slice(&chunk.bytes);
        incoming.next += 1;
        incoming.last_progress = now;
        let mut events = vec![FileEvent::Progress {
            transfer,
            from,
            done: incoming.data.len() as u64,
            total: incoming.manifest.size,
        }];
        if incoming.next == count {
            if let Some(incoming) = self.by_sender.remove(&from) {
                events.push(finish(from, incoming));
            }
        }
        events
    }

    /// Member `member` left the room or the group: a file it was sending never completes.
    pub fn on_member_gone(&mut self, member: u16) -> Vec<FileEvent> {
        self.by_sender
            .remove(&member)
            .map(|incoming| cut(member, &incoming, Cut::SenderLeft))
            .into_iter()
            .collect()
    }

    /// Gives up transfers that made no progress for [`STALL_TIMEOUT`].
    pub fn tick(&mut self, now: Instant) -> Vec<FileEvent> {
        let stalled: Vec<u16> = self
            .by_sender
            .iter()
            .filter(|(_, i)| now.saturating_duration_since(i.last_progress) >= STALL_TIMEOUT)
            .map(|(from, _)| *from)
            .collect();
        stalled
            .into_iter()
            .filter_map(|from| {
                let incoming = self.by_sender.remove(&from)?;
                Some(cut(from, &incoming, Cut::Stalled))
            })
            .collect()
    }

    /// Declines an arriving file: drops what arrived and returns the cancel to send, which
    /// tells its sender.
    pub fn decline(&mut self, transfer: TransferId) -> Option<FilePart> {
        let from = self
            .by_sender
            .iter()
            .find(|(_, i)| i.manifest.transfer == transfer)
            .map(|(from, _)| *from)?;
        self.by_sender.remove(&from);
        Some(FilePart::Cancel(transfer))
    }
}

fn cut(from: u16, incoming: &Incoming, why: Cut) -> FileEvent {
    FileEvent::Failed {
        transfer: incoming.manifest.transfer,
        from,
        error: FileError::Incomplete {
            received: incoming.next,
            expected: incoming.manifest.chunk_count,
            why,
        },
    }
}

/// Every chunk arrived: the file, if it is the one the manifest describes.
fn finish(from: u16, incoming: Incoming) -> FileEvent {
    let Incoming {
        manifest,
        data,
        hasher,
        ..
    } = incoming;
    let digest: [u8; 32] = hasher.finalize().into();
    if digest != manifest.sha256 {
        return FileEvent::Failed {
            transfer: manifest.transfer,
            from,
            error: FileError::HashMismatch,
        };
    }
    FileEvent::Received {
        from,
        file: manifest,
        bytes: data,
    }
}

#[cfg(test)]
#[path = "incoming_tests.rs"]
mod tests;
