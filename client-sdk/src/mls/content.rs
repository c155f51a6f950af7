//! What travels inside an MLS application message, padded so its length says little:
//!
//! ```text
//! payload = kind (1) ‖ ttl seconds (4) ‖ length (4) ‖ body ‖ zero padding to the bucket
//! kind 0x01 text    body = UTF-8 text
//! kind 0x02 direct  body = recipient member (2) ‖ sealed (direct.rs)
//! sealed opens to   kind (1) ‖ body: 0x01 text (UTF-8) | 0x02 payment voucher
//! kind 0x03–0x05    a file's manifest, chunk and cancel (file_content.rs)
//! ```
//!
//! Buckets are 256, 512, … doubling to 32 KiB, then one last bucket, [`MAX_PAYLOAD`], sized so
//! that the MLS message and its frame fit the gateway's default 64 KiB frame. A file chunk
//! always fills the last bucket, whatever its length, so all chunks look alike. `ttl` asks
//! receivers to delete the message that many seconds after receipt (0: keep); it travels
//! encrypted, like everything here.

use zeroize::Zeroizing;

use super::error::MlsError;
use super::file_content::FilePart;
use crate::payments::PaymentVoucher;

const KIND_TEXT: u8 = 0x01;
const KIND_DIRECT: u8 = 0x02;
const KIND_FILE_MANIFEST: u8 = 0x03;
const KIND_FILE_CHUNK: u8 = 0x04;
const KIND_FILE_CANCEL: u8 = 0x05;
const DIRECT_TEXT: u8 = 0x01;
const DIRECT_VOUCHER: u8 = 0x02;
/// Bytes before the body: kind, ttl and length.
pub const HEADER_LEN: usize = 9;
/// Smallest padded payload.
pub const MIN_BUCKET: usize = 256;
/// Largest doubling bucket.
pub const LAST_DOUBLING_BUCKET: usize = 32 * 1024;
/// The largest padded payload: a 64 KiB frame less the frame header (6 bytes) and the MLS
/// PrivateMessage around the payload (at most 200 bytes for this ciphersuite and a 16-byte
/// group id; `client-sdk/tests/chat.rs` sends the largest text through a real gateway).
pub const MAX_PAYLOAD: usize = 64 * 1024 - 256;
/// The largest text one message carries: the documented maximum body.
pub const MAX_TEXT: usize = 60 * 1024;

/// A direct message's content, before sealing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectContent {
    /// Text for one member.
    Text(String),
    /// A claimable payment for one member.
    Voucher(PaymentVoucher),
}

/// What an application message says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Text for the group.
    Text(String),
    /// A direct message for member `to`, sealed to its key.
    Direct {
        /// The recipient's member number.
        to: u16,
        /// The sealed content.
        sealed: Vec<u8>,
    },
    /// A file's manifest, chunk or cancel.
    File(FilePart),
}

/// An application message: its content and its disappearing timer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppMessage {
    /// Seconds after receipt to delete it (0: keep).
    pub ttl_secs: u32,
    /// What it says.
    pub content: Content,
}

/// The padded size for a body of `len` bytes of `kind`: a file chunk always fills the last
/// bucket, anything else the smallest that holds it.
fn bucket_for_kind(kind: u8, len: usize) -> Option<usize> {
    match kind {
        KIND_FILE_CHUNK => (len.checked_add(HEADER_LEN)? <= MAX_PAYLOAD).then_some(MAX_PAYLOAD),
        _ => bucket_for(len),
    }
}

/// The padded size for a body of `len` bytes.
pub fn bucket_for(len: usize) -> Option<usize> {
    let needed = len.checked_add(HEADER_LEN)?;
    if needed <= LAST_DOUBLING_BUCKET {
        Some(needed.next_power_of_two().max(MIN_BUCKET))
    } else if needed <= MAX_PAYLOAD {
        Some(MAX_PAYLOAD)
    } else {
        None
    }
}

impl AppMessage {
    /// The padded payload.
    pub fn encode(&self) -> Result<Zeroizing<Vec<u8>>, MlsError> {
        let (kind, body) = match &self.content {
            Content::Text(text) => {
                if text.len() > MAX_TEXT {
                    return Err(MlsError::TooLarge {
                        len: text.len(),
                        max: MAX_TEXT,
                    });
                }
                (KIND_TEXT, Zeroizing::new(text.as_bytes().to_vec()))
            }
            Content::Direct { to, sealed } => {
                let mut body = Zeroizing::new(Vec::with_capacity(2 + sealed.len()));
                body.extend_from_slice(&to.to_be_bytes());
                body.extend_from_slice(sealed);
                (KIND_DIRECT, body)
            }
            Content::File(part) => {
                let kind = match part {
                    FilePart::Manifest(_) => KIND_FILE_MANIFEST,
                    FilePart::Chunk(_) => KIND_FILE_CHUNK,
                    FilePart::Cancel(_) => KIND_FILE_CANCEL,
                };
                (kind, part.encode_body()?)
            }
        };
        let bucket = bucket_for_kind(kind, body.len()).ok_or(MlsError::TooLarge {
            len: body.len(),
            max: MAX_PAYLOAD - HEADER_LEN,
        })?;
        let mut payload = Zeroizing::new(Vec::with_capacity(bucket));
        payload.push(kind);
        payload.extend_from_slice(&self.ttl_secs.to_be_bytes());
        payload.extend_from_slice(&(body.len() as u32).to_be_bytes());
        payload.extend_from_slice(&body);
        payload.resize(bucket, 0);
        Ok(payload)
    }

    /// Parses a padded payload; the padding must be zeros and fill exactly one bucket.
    pub fn decode(payload: &[u8]) -> Result<Self, MlsError> {
        let bad = MlsError::Malformed("application message");
        if payload.len() < HEADER_LEN {
            return Err(bad);
        }
        let ttl_secs = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
        let len = u32::from_be_bytes([payload[5], payload[6], payload[7], payload[8]]) as usize;
        if bucket_for_kind(payload[0], len) != Some(payload.len()) {
            return Err(bad);
        }
        let body = &payload[HEADER_LEN..HEADER_LEN + len];
        if payload[HEADER_LEN + len..].iter().any(|b| *b != 0) {
            return Err(bad);
        }
        let content = match payload[0] {
            KIND_TEXT if len <= MAX_TEXT => {
                Content::Text(String::from_utf8(body.to_vec()).map_err(|_| bad.clone())?)
            }
            KIND_DIRECT if len >= 2 => Content::Direct {
                to: u16::from_be_bytes([body[0], body[1]]),
                sealed: body[2..].to_vec(),
            },
            KIND_FILE_MANIFEST => Content::File(FilePart::decode_manifest(body)?),
            KIND_FILE_CHUNK => Content::File(FilePart::decode_chunk(body)?),
            KIND_FILE_CANCEL => Content::File(FilePart::decode_cancel(body)?),
            _ => return Err(bad),
        };
        Ok(Self { ttl_secs, content })
    }
}

impl DirectContent {
    /// The bytes sealed for the recipient.
    pub fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut bytes = Zeroizing::new(Vec::new());
        match self {
            Self::Text(text) => {
                bytes.push(DIRECT_TEXT);
                bytes.extend_from_slice(text.as_bytes());
            }
            Self::Voucher(voucher) => {
                bytes.push(DIRECT_VOUCHER);
                bytes.extend_from_slice(&voucher.encode());
            }
        }
        bytes
    }

    /// Parses opened bytes.
    pub fn decode(bytes: &[u8]) -> Result<Self, MlsError> {
        let bad = MlsError::Malformed("direct message");
        let (kind, body) = bytes.split_first().ok_or(bad.clone())?;
        match *kind {
            DIRECT_TEXT => String::from_utf8(body.to_vec())
                .map(Self::Text)
                .map_err(|_| bad),
            DIRECT_VOUCHER => PaymentVoucher::decode(body).map(Self::Voucher).ok_or(bad),
            _ => Err(bad),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_double_to_32_kib_then_end_at_the_frame_limit() {
        assert_eq!(bucket_for(0), Some(256));
        assert_eq!(bucket_for(247), Some(256));
        assert_eq!(bucket_for(248), Some(512));
        assert_eq!(
            bucket_for(LAST_DOUBLING_BUCKET - 9),
            Some(LAST_DOUBLING_BUCKET)
        );
        assert_eq!(bucket_for(LAST_DOUBLING_BUCKET - 8), Some(MAX_PAYLOAD));
        assert_eq!(bucket_for(MAX_PAYLOAD - 9), Some(MAX_PAYLOAD));
        assert_eq!(bucket_for(MAX_PAYLOAD - 8), None);
    }

    #[test]
    fn messages_round_trip_and_the_largest_text_fits() {
        for message in [
            AppMessage {
                ttl_secs: 0,
                content: Content::Text(String::new()),
            },
            AppMessage {
                ttl_secs: 30,
                content: Content::Text("x".repeat(MAX_TEXT)),
            },
            AppMessage {
                ttl_secs: 0,
                content: Content::Direct {
                    to: 4821,
                    sealed: vec![7; 80],
                },
            },
        ] {
            let payload = message.encode().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(AppMessage::decode(&payload), Ok(message));
        }
        let too_long = AppMessage {
            ttl_secs: 0,
            content: Content::Text("x".repeat(MAX_TEXT + 1)),
        };
        assert_eq!(
            too_long.encode().err(),
            Some(MlsError::TooLarge {
                len: MAX_TEXT + 1,
                max: MAX_TEXT
            })
        );
    }

    #[test]
    fn non_zero_padding_and_wrong_lengths_are_refused() {
        let message = AppMessage {
            ttl_secs: 0,
            content: Content::Text("hi".into()),
        };
        let mut payload = message.encode().unwrap_or_else(|e| panic!("{e}"));
        payload[100] = 1;
        assert!(AppMessage::decode(&payload).is_err());
        let payload = message.encode().unwrap_or_else(|e| panic!("{e}"));
        assert!(AppMessage::decode(&payload[..255]).is_err());
    }
}
