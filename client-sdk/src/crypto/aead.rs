//! The one AEAD every payload uses: AES-256-GCM with a 12-byte nonce and the 16-byte tag
//! appended. Wrapped once so each payload kind states only its key, nonce and AAD.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use zeroize::Zeroizing;

use super::CryptoError;

/// Encrypts `plaintext` under `key` and `nonce`, binding `aad`.
pub fn seal(key: &[u8; 32], nonce: &[u8; 12], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.into());
    // unwrap: AES-GCM encryption only fails for plaintexts past 64 GiB.
    #[allow(clippy::unwrap_used)]
    cipher
        .encrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .unwrap()
}

/// Decrypts and authenticates `ciphertext` (tag included).
pub fn open(
    key: &[u8; 32],
    nonce: &[u8],
    ciphertext: &[u8],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if nonce.len() != 12 {
        return Err(CryptoError::Malformed);
    }
    Aes256Gcm::new(key.into())
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| CryptoError::Decrypt)
}
