//! Files inside application messages (docs/crypto.md §7): a manifest first, then the chunks
//! in order, and a cancel that either side may send. Like every application message they
//! are encrypted, authenticated and padded; a chunk is always padded to the last bucket,
//! so every chunk of every file is the same size on the wire.
//!
//! ```text
//! kind 0x03 manifest  body = transfer id (16) ‖ size (8) ‖ chunk size (4) ‖ chunk count (4)
//!                            ‖ SHA-256 of the file (32) ‖ name length (1) ‖ name (UTF-8)
//!                            ‖ type length (1) ‖ MIME type (UTF-8)
//! kind 0x04 chunk     body = transfer id (16) ‖ index (4) ‖ bytes
//! kind 0x05 cancel    body = transfer id (16)
//! ```

use zeroize::Zeroizing;

use super::content::{HEADER_LEN, MAX_PAYLOAD};
use super::error::MlsError;

/// Bytes of a transfer id.
pub const TRANSFER_ID_LEN: usize = 16;
/// Longest file name, in bytes of UTF-8 (a file name's limit on common file systems).
pub const MAX_NAME_BYTES: usize = 255;
/// Longest MIME type, in bytes.
pub const MAX_MIME_BYTES: usize = 255;
/// A chunk body's bytes before the file's: transfer id and index.
pub const CHUNK_HEADER_LEN: usize = TRANSFER_ID_LEN + 4;
/// Most file bytes one chunk can carry: a chunk fills the last bucket exactly.
pub const MAX_CHUNK: usize = MAX_PAYLOAD - HEADER_LEN - CHUNK_HEADER_LEN;
/// The chunk size this SDK sends: 63.5 KiB, under [`MAX_CHUNK`].
pub const CHUNK_SIZE: u32 = 65_024;
const FIXED_MANIFEST_LEN: usize = TRANSFER_ID_LEN + 8 + 4 + 4 + 32;

/// A transfer's id: 16 random bytes the sender picks.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransferId(pub [u8; TRANSFER_ID_LEN]);

impl TransferId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(rand::random())
    }

    /// The first four bytes in hex: enough to tell a room's transfers apart on screen.
    pub fn short(&self) -> String {
        self.0[..4].iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl std::fmt::Display for TransferId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl std::fmt::Debug for TransferId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TransferId({self})")
    }
}

/// What a file is, sent before its chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileManifest {
    /// The transfer's id, repeated in every chunk.
    pub transfer: TransferId,
    /// The file's name as the sender had it (a receiver makes it safe for its disk).
    pub name: String,
    /// The file's size in bytes.
    pub size: u64,
    /// Its MIME type (empty: unknown).
    pub mime: String,
    /// SHA-256 of the whole file.
    pub sha256: [u8; 32],
    /// Bytes in every chunk but the last.
    pub chunk_size: u32,
    /// How many chunks follow: `size / chunk_size`, rounded up.
    pub chunk_count: u32,
}

/// One piece of a file, in order from index 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChunk {
    /// The transfer it belongs to.
    pub transfer: TransferId,
    /// Its place, from 0.
    pub index: u32,
    /// Its bytes.
    pub bytes: Zeroizing<Vec<u8>>,
}

/// A file transfer's application message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilePart {
    /// A file is coming.
    Manifest(FileManifest),
    /// A piece of it.
    Chunk(FileChunk),
    /// From the sender: the transfer stopped. From anyone else: it declines the file.
    Cancel(TransferId),
}

/// How many chunks of `chunk_size` a file of `size` bytes takes.
pub fn chunk_count(size: u64, chunk_size: u32) -> Option<u32> {
    if chunk_size == 0 || chunk_size as usize > MAX_CHUNK {
        return None;
    }
    u32::try_from(size.div_ceil(u64::from(chunk_size))).ok()
}

impl FileManifest {
    /// The size chunk `index` must have.
    pub fn chunk_len(&self, index: u32) -> u64 {
        let start = u64::from(index) * u64::from(self.chunk_size);
        self.size
            .saturating_sub(start)
            .min(u64::from(self.chunk_size))
    }
}

fn transfer_id(bytes: &[u8]) -> Option<TransferId> {
    bytes
        .get(..TRANSFER_ID_LEN)?
        .try_into()
        .ok()
        .map(TransferId)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn u64_at(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// A length-prefixed (1 byte) UTF-8 string at `at`, and where it ends.
fn short_string(bytes: &[u8], at: usize) -> Option<(String, usize)> {
    let len = usize::from(*bytes.get(at)?);
    let text = bytes.get(at + 1..at + 1 + len)?;
    Some((String::from_utf8(text.to_vec()).ok()?, at + 1 + len))
}

impl FilePart {
    /// The transfer this part belongs to.
    pub fn transfer(&self) -> TransferId {
        match self {
            Self::Manifest(manifest) => manifest.transfer,
            Self::Chunk(chunk) => chunk.transfer,
            Self::Cancel(transfer) => *transfer,
        }
    }

    /// The message body (after the common header).
    pub(crate) fn encode_body(&self) -> Result<Zeroizing<Vec<u8>>, MlsError> {
        let mut body = Zeroizing::new(Vec::new());
        body.extend_from_slice(&self.transfer().0);
        match self {
            Self::Manifest(m) => {
                let bad = MlsError::Malformed("file manifest");
                if m.name.is_empty()
                    || m.name.len() > MAX_NAME_BYTES
                    || m.mime.len() > MAX_MIME_BYTES
                    || chunk_count(m.size, m.chunk_size) != Some(m.chunk_count)
                {
                    return Err(bad);
                }
                body.extend_from_slice(&m.size.to_be_bytes());
                body.extend_from_slice(&m.chunk_size.to_be_bytes());
                body.extend_from_slice(&m.chunk_count.to_be_bytes());
                body.extend_from_slice(&m.sha256);
                for text in [&m.name, &m.mime] {
                    body.push(u8::try_from(text.len()).map_err(|_| bad.clone())?);
                    body.extend_from_slice(text.as_bytes());
                }
            }
            Self::Chunk(chunk) => {
                if chunk.bytes.len() > MAX_CHUNK {
                    return Err(MlsError::TooLarge {
                        len: chunk.bytes.len(),
                        max: MAX_CHUNK,
                    });
                }
                body.extend_from_slice(&chunk.index.to_be_bytes());
                body.extend_from_slice(&chunk.bytes);
            }
            Self::Cancel(_) => {}
        }
        Ok(body)
    }

    /// Parses a manifest's body.
    pub(crate) fn decode_manifest(body: &[u8]) -> Result<Self, MlsError> {
        let bad = MlsError::Malformed("file manifest");
        let fixed = body.get(..FIXED_MANIFEST_LEN).ok_or(bad.clone())?;
        let transfer = transfer_id(fixed).ok_or(bad.clone())?;
        let size = u64_at(fixed, 16).ok_or(bad.clone())?;
        let chunk_size = u32_at(fixed, 24).ok_or(bad.clone())?;
        let count = u32_at(fixed, 28).ok_or(bad.clone())?;
        let mut sha256 = [0u8; 32];
        sha256.copy_from_slice(&fixed[32..64]);
        let (name, at) = short_string(body, FIXED_MANIFEST_LEN).ok_or(bad.clone())?;
        let (mime, end) = short_string(body, at).ok_or(bad.clone())?;
        if end != body.len() || name.is_empty() || chunk_count(size, chunk_size) != Some(count) {
            return Err(bad);
        }
        Ok(Self::Manifest(FileManifest {
            transfer,
            name,
            size,
            mime,
            sha256,
            chunk_size,
            chunk_count: count,
        }))
    }

    /// Parses a chunk's body.
    pub(crate) fn decode_chunk(body: &[u8]) -> Result<Self, MlsError> {
        let bad = MlsError::Malformed("file chunk");
        let transfer = transfer_id(body).ok_or(bad.clone())?;
        let index = u32_at(body, TRANSFER_ID_LEN).ok_or(bad)?;
        Ok(Self::Chunk(FileChunk {
            transfer,
            index,
            bytes: Zeroizing::new(body[CHUNK_HEADER_LEN..].to_vec()),
        }))
    }

    /// Parses a cancel's body.
    pub(crate) fn decode_cancel(body: &[u8]) -> Result<Self, MlsError> {
        match body.len() {
            TRANSFER_ID_LEN => transfer_id(body).map(Self::Cancel),
            _ => None,
        }
        .ok_or(MlsError::Malformed("file cancel"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mls::content::{AppMessage, Content};

    fn manifest() -> FileManifest {
        FileManifest {
            transfer: TransferId([3; 16]),
            name: "photo of the board.png".into(),
            size: 200_000,
            mime: "image/png".into(),
            sha256: [9; 32],
            chunk_size: CHUNK_SIZE,
            chunk_count: 4,
        }
    }

    fn message(part: FilePart) -> AppMessage {
        AppMessage {
            ttl_secs: 0,
            content: Content::File(part),
        }
    }

    #[test]
    fn file_parts_round_trip_and_every_chunk_fills_the_last_bucket() {
        let chunks = [0, 1, 1000, CHUNK_SIZE as usize, MAX_CHUNK].map(|len| {
            FilePart::Chunk(FileChunk {
                transfer: TransferId([3; 16]),
                index: 7,
                bytes: Zeroizing::new(vec![0xa5; len]),
            })
        });
        for chunk in chunks {
            let payload = message(chunk.clone()).encode().unwrap();
            assert_eq!(payload.len(), MAX_PAYLOAD);
            assert_eq!(AppMessage::decode(&payload), Ok(message(chunk)));
        }
        for part in [
            FilePart::Manifest(manifest()),
            FilePart::Cancel(TransferId([3; 16])),
        ] {
            let payload = message(part.clone()).encode().unwrap();
            assert!(payload.len() <= 1024, "{}", payload.len());
            assert_eq!(AppMessage::decode(&payload), Ok(message(part)));
        }
    }

    #[test]
    fn a_chunk_one_byte_over_the_most_is_refused_and_a_chunk_payload_of_another_size_too() {
        let over = FilePart::Chunk(FileChunk {
            transfer: TransferId([3; 16]),
            index: 0,
            bytes: Zeroizing::new(vec![0; MAX_CHUNK + 1]),
        });
        assert_eq!(
            message(over).encode().err(),
            Some(MlsError::TooLarge {
                len: MAX_CHUNK + 1,
                max: MAX_CHUNK
            })
        );
        // A small chunk padded to the smallest bucket, as a text would be, is not a chunk.
        let mut payload = vec![0u8; 256];
        payload[0] = 0x04;
        payload[8] = 20;
        assert_eq!(
            AppMessage::decode(&payload),
            Err(MlsError::Malformed("application message"))
        );
    }

    #[test]
    fn manifests_that_contradict_themselves_are_refused_both_ways() {
        let mut wrong_count = manifest();
        wrong_count.chunk_count = 5;
        let mut no_name = manifest();
        no_name.name.clear();
        let mut zero_chunk = manifest();
        zero_chunk.chunk_size = 0;
        let mut huge_chunk = manifest();
        huge_chunk.chunk_size = MAX_CHUNK as u32 + 1;
        huge_chunk.chunk_count = 4;
        for bad in [wrong_count, no_name, zero_chunk, huge_chunk] {
            assert_eq!(
                message(FilePart::Manifest(bad.clone())).encode().err(),
                Some(MlsError::Malformed("file manifest")),
                "{bad:?}"
            );
        }
        // The same contradiction made by hand is refused on the way in.
        let good = FilePart::Manifest(manifest()).encode_body().unwrap();
        let mut body = good.to_vec();
        body[31] = 5;
        assert!(FilePart::decode_manifest(&body).is_err());
        let mut trailing = good.to_vec();
        trailing.push(0);
        assert!(FilePart::decode_manifest(&trailing).is_err());
        assert!(FilePart::decode_manifest(&good[..good.len() - 1]).is_err());
        assert!(FilePart::decode_cancel(&[0; 15]).is_err());
        assert!(FilePart::decode_chunk(&[0; 19]).is_err());
    }

    #[test]
    fn chunk_lengths_follow_the_manifest() {
        let m = manifest();
        assert_eq!(chunk_count(200_000, CHUNK_SIZE), Some(4));
        assert_eq!(chunk_count(0, CHUNK_SIZE), Some(0));
        assert_eq!(m.chunk_len(0), u64::from(CHUNK_SIZE));
        assert_eq!(m.chunk_len(3), 200_000 - 3 * u64::from(CHUNK_SIZE));
        assert_eq!(m.chunk_len(4), 0);
    }
}
