//! Group messages: encrypted with a sender-chain message key, bound to the room and the
//! sender, and signed.
//!
//! ```text
//! message   = header (13) | ciphertext (padded plaintext + 16-byte tag) | signature (64)
//! header    = 0x03 | chain id (4, BE) | index (4, BE) | ttl seconds (4, BE; 0 = keep)
//! aad       = "anoghost/message/v1" | room (4, BE) | sender (2, BE) | header
//! signature = Ed25519(sender, aad | ciphertext)
//! key, nonce = message key and nonce of the sender's chain at `index`
//! ```

use zeroize::Zeroizing;

use super::aead;
use super::chain::MessageSecret;
use super::identity::{verify, MemberKeys};
use super::{CryptoError, KIND_MESSAGE};

/// AAD and signature context of group messages.
pub const MESSAGE_CONTEXT: &[u8] = b"anoghost/message/v1";
/// Bytes in a message header.
pub const HEADER_LEN: usize = 13;
const TAG_LEN: usize = 16;
const SIGNATURE_LEN: usize = 64;

/// A message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageHeader {
    /// The sender's chain.
    pub chain_id: u32,
    /// The message's index in that chain.
    pub index: u32,
    /// Seconds after receipt when clients should delete the message; 0 keeps it.
    pub ttl_secs: u32,
}

impl MessageHeader {
    /// The header bytes.
    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut bytes = [0u8; HEADER_LEN];
        bytes[0] = KIND_MESSAGE;
        bytes[1..5].copy_from_slice(&self.chain_id.to_be_bytes());
        bytes[5..9].copy_from_slice(&self.index.to_be_bytes());
        bytes[9..13].copy_from_slice(&self.ttl_secs.to_be_bytes());
        bytes
    }

    /// Parses a header; `None` if too short or not a message.
    pub fn parse(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < HEADER_LEN || bytes[0] != KIND_MESSAGE {
            return None;
        }
        let word = |at: usize| {
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        Some(Self {
            chain_id: word(1),
            index: word(5),
            ttl_secs: word(9),
        })
    }
}

fn aad(room: u32, sender: u16, header: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(MESSAGE_CONTEXT.len() + 6 + HEADER_LEN);
    aad.extend_from_slice(MESSAGE_CONTEXT);
    aad.extend_from_slice(&room.to_be_bytes());
    aad.extend_from_slice(&sender.to_be_bytes());
    aad.extend_from_slice(header);
    aad
}

/// Encrypts and signs a padded plaintext.
pub fn seal(
    room: u32,
    sender: u16,
    keys: &MemberKeys,
    header: MessageHeader,
    (key, nonce): &MessageSecret,
    padded: &[u8],
) -> Vec<u8> {
    let header_bytes = header.to_bytes();
    let aad = aad(room, sender, &header_bytes);
    let ciphertext = aead::seal(key.expose(), nonce, padded, &aad);
    let mut signed = aad;
    signed.extend_from_slice(&ciphertext);
    let signature = keys.sign(&signed);
    let mut payload = Vec::with_capacity(HEADER_LEN + ciphertext.len() + SIGNATURE_LEN);
    payload.extend_from_slice(&header_bytes);
    payload.extend_from_slice(&ciphertext);
    payload.extend_from_slice(&signature);
    payload
}

/// Splits a message into its header, checking its shape and signature. The signature is
/// checked before any chain state is touched.
pub fn verify_message(
    room: u32,
    sender: u16,
    sender_ed25519: &[u8; 32],
    payload: &[u8],
) -> Result<MessageHeader, CryptoError> {
    if payload.len() < HEADER_LEN + TAG_LEN + SIGNATURE_LEN {
        return Err(CryptoError::Malformed);
    }
    let header = MessageHeader::parse(payload).ok_or(CryptoError::Malformed)?;
    let (signed_part, signature) = payload.split_at(payload.len() - SIGNATURE_LEN);
    let mut signed = aad(room, sender, &signed_part[..HEADER_LEN]);
    signed.extend_from_slice(&signed_part[HEADER_LEN..]);
    verify(sender_ed25519, &signed, signature)?;
    Ok(header)
}

/// Decrypts a verified message's ciphertext into its padded plaintext.
pub fn open(
    room: u32,
    sender: u16,
    (key, nonce): &MessageSecret,
    payload: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let header = &payload[..HEADER_LEN];
    let ciphertext = &payload[HEADER_LEN..payload.len() - SIGNATURE_LEN];
    aead::open(key.expose(), nonce, ciphertext, &aad(room, sender, header))
}
