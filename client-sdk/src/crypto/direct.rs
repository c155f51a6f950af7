//! Direct messages: a body for one member only, sealed with the pairwise key. Used for
//! payment vouchers, whose claim secret must reach exactly one recipient.
//!
//! ```text
//! direct    = 0x04 | recipient (2, BE) | nonce (12) | AES-256-GCM(pairwise key, nonce, padded body, aad) | signature (64)
//! aad       = "anoghost/direct/v1" | room (4, BE) | sender (2, BE) | recipient (2, BE)
//! signature = Ed25519(sender, aad | nonce | ciphertext)
//! ```

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::aead;
use super::identity::{verify, MemberKeys};
use super::secret::PairwiseKey;
use super::{CryptoError, KIND_DIRECT};

/// AAD and signature context of direct messages.
pub const DIRECT_CONTEXT: &[u8] = b"anoghost/direct/v1";
const HEADER_LEN: usize = 1 + 2 + 12;

fn aad(room: u32, sender: u16, recipient: u16) -> Vec<u8> {
    let mut aad = Vec::with_capacity(DIRECT_CONTEXT.len() + 8);
    aad.extend_from_slice(DIRECT_CONTEXT);
    aad.extend_from_slice(&room.to_be_bytes());
    aad.extend_from_slice(&sender.to_be_bytes());
    aad.extend_from_slice(&recipient.to_be_bytes());
    aad
}

/// Seals `padded` for `recipient` and signs it.
pub fn seal(
    room: u32,
    sender: u16,
    keys: &MemberKeys,
    recipient: u16,
    pairwise: &PairwiseKey,
    padded: &[u8],
    rng: &mut (impl RngCore + CryptoRng),
) -> Vec<u8> {
    let mut nonce = [0u8; 12];
    rng.fill_bytes(&mut nonce);
    let aad = aad(room, sender, recipient);
    let ciphertext = aead::seal(pairwise.expose(), &nonce, padded, &aad);
    let mut signed = aad;
    signed.extend_from_slice(&nonce);
    signed.extend_from_slice(&ciphertext);
    let signature = keys.sign(&signed);
    let mut payload = Vec::with_capacity(HEADER_LEN + ciphertext.len() + 64);
    payload.push(KIND_DIRECT);
    payload.extend_from_slice(&recipient.to_be_bytes());
    payload.extend_from_slice(&nonce);
    payload.extend_from_slice(&ciphertext);
    payload.extend_from_slice(&signature);
    payload
}

/// The recipient of a direct message, if the payload is long enough to have one.
pub fn recipient(payload: &[u8]) -> Option<u16> {
    (payload.len() >= 3 && payload[0] == KIND_DIRECT)
        .then(|| u16::from_be_bytes([payload[1], payload[2]]))
}

/// Verifies and opens a direct message to `me`. Returns the padded body and the nonce (for
/// duplicate detection).
pub fn open(
    room: u32,
    sender: u16,
    sender_ed25519: &[u8; 32],
    me: u16,
    pairwise: &PairwiseKey,
    payload: &[u8],
) -> Result<(Zeroizing<Vec<u8>>, [u8; 12]), CryptoError> {
    if payload.len() < HEADER_LEN + 16 + 64 || recipient(payload) != Some(me) {
        return Err(CryptoError::Malformed);
    }
    let (body, signature) = payload.split_at(payload.len() - 64);
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&body[3..HEADER_LEN]);
    let ciphertext = &body[HEADER_LEN..];
    let aad = aad(room, sender, me);
    let mut signed = aad.clone();
    signed.extend_from_slice(&nonce);
    signed.extend_from_slice(ciphertext);
    verify(sender_ed25519, &signed, signature)?;
    let padded = aead::open(pairwise.expose(), &nonce, ciphertext, &aad)?;
    Ok((padded, nonce))
}
