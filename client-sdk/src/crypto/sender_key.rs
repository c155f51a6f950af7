//! Distributing a sending chain to the other members, each copy sealed with that member's
//! pairwise key, all in one signed bundle.
//!
//! ```text
//! bundle    = 0x02 | chain id (4, BE) | index (4, BE) | count (2, BE)
//!             | count × ( recipient (2, BE) | nonce (12) | AES-256-GCM(pairwise key, nonce, chain key (32), aad) (48) )
//!             | signature (64)
//! aad       = "anoghost/sender-key/v1" | room (4, BE) | sender (2, BE) | recipient (2, BE) | chain id | index
//! signature = Ed25519(sender, "anoghost/sender-key/v1" | room (4, BE) | sender (2, BE) | every byte before the signature)
//! ```

use rand_core::{CryptoRng, RngCore};

use super::aead;
use super::identity::{verify, MemberKeys};
use super::secret::{ChainKey, PairwiseKey};
use super::{CryptoError, KIND_SENDER_KEY};

/// Signature and AAD context of sender-key bundles.
pub const SENDER_KEY_CONTEXT: &[u8] = b"anoghost/sender-key/v1";
const HEADER_LEN: usize = 1 + 4 + 4 + 2;
const ENTRY_LEN: usize = 2 + 12 + 48;

/// A sending chain's state as received from its owner.
#[derive(Debug)]
pub struct ReceivedChain {
    /// The chain id.
    pub id: u32,
    /// The index of the next message the owner will send.
    pub index: u32,
    /// The chain key at that index.
    pub key: ChainKey,
}

fn aad(room: u32, sender: u16, recipient: u16, id: u32, index: u32) -> Vec<u8> {
    let mut aad = Vec::with_capacity(SENDER_KEY_CONTEXT.len() + 16);
    aad.extend_from_slice(SENDER_KEY_CONTEXT);
    aad.extend_from_slice(&room.to_be_bytes());
    aad.extend_from_slice(&sender.to_be_bytes());
    aad.extend_from_slice(&recipient.to_be_bytes());
    aad.extend_from_slice(&id.to_be_bytes());
    aad.extend_from_slice(&index.to_be_bytes());
    aad
}

fn signed_input(room: u32, sender: u16, unsigned: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(SENDER_KEY_CONTEXT.len() + 6 + unsigned.len());
    input.extend_from_slice(SENDER_KEY_CONTEXT);
    input.extend_from_slice(&room.to_be_bytes());
    input.extend_from_slice(&sender.to_be_bytes());
    input.extend_from_slice(unsigned);
    input
}

/// Seals chain `(id, index, key)` for each `(recipient, pairwise key)` and signs the bundle.
pub fn encode<'a>(
    room: u32,
    sender: u16,
    keys: &MemberKeys,
    (id, index, key): (u32, u32, &ChainKey),
    recipients: impl ExactSizeIterator<Item = (u16, &'a PairwiseKey)>,
    rng: &mut (impl RngCore + CryptoRng),
) -> Vec<u8> {
    let count = recipients.len();
    let mut payload = Vec::with_capacity(HEADER_LEN + count * ENTRY_LEN + 64);
    payload.push(KIND_SENDER_KEY);
    payload.extend_from_slice(&id.to_be_bytes());
    payload.extend_from_slice(&index.to_be_bytes());
    payload.extend_from_slice(&(count as u16).to_be_bytes());
    for (recipient, pairwise) in recipients {
        let mut nonce = [0u8; 12];
        rng.fill_bytes(&mut nonce);
        let sealed = aead::seal(
            pairwise.expose(),
            &nonce,
            key.expose(),
            &aad(room, sender, recipient, id, index),
        );
        payload.extend_from_slice(&recipient.to_be_bytes());
        payload.extend_from_slice(&nonce);
        payload.extend_from_slice(&sealed);
    }
    let signature = keys.sign(&signed_input(room, sender, &payload));
    payload.extend_from_slice(&signature);
    payload
}

/// Checks a bundle from `sender` (whose Ed25519 key is `sender_ed25519`) and opens the
/// copy sealed for `me`. `Ok(None)` if the bundle carries no copy for `me`.
pub fn decode(
    room: u32,
    sender: u16,
    sender_ed25519: &[u8; 32],
    me: u16,
    pairwise: &PairwiseKey,
    payload: &[u8],
) -> Result<Option<ReceivedChain>, CryptoError> {
    if payload.len() < HEADER_LEN + 64 || payload[0] != KIND_SENDER_KEY {
        return Err(CryptoError::Malformed);
    }
    let count = u16::from_be_bytes([payload[9], payload[10]]) as usize;
    if payload.len() != HEADER_LEN + count * ENTRY_LEN + 64 {
        return Err(CryptoError::Malformed);
    }
    let (unsigned, signature) = payload.split_at(payload.len() - 64);
    verify(
        sender_ed25519,
        &signed_input(room, sender, unsigned),
        signature,
    )?;
    let id = u32::from_be_bytes([payload[1], payload[2], payload[3], payload[4]]);
    let index = u32::from_be_bytes([payload[5], payload[6], payload[7], payload[8]]);
    let entries = unsigned[HEADER_LEN..].chunks_exact(ENTRY_LEN);
    for entry in entries {
        let recipient = u16::from_be_bytes([entry[0], entry[1]]);
        if recipient != me {
            continue;
        }
        let opened = aead::open(
            pairwise.expose(),
            &entry[2..14],
            &entry[14..],
            &aad(room, sender, recipient, id, index),
        )?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&opened);
        let chain = ReceivedChain {
            id,
            index,
            key: ChainKey::new(key),
        };
        zeroize::Zeroize::zeroize(&mut key);
        return Ok(Some(chain));
    }
    Ok(None)
}
