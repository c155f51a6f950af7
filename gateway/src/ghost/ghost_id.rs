use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::{CryptoRng, RngCore};

use super::GhostEpochKeys;
use crate::secret::HolderAddress;

/// Format version byte of a ghostId: 2 since ghostIds seal a one-time holder address (1
/// sealed the wallet itself).
const GHOST_VERSION: u8 = 2;
const EPOCH_LEN: usize = 8;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
const HEADER_LEN: usize = 1 + EPOCH_LEN;
/// Bytes in a decoded ghostId.
pub const GHOST_ID_LEN: usize = HEADER_LEN + NONCE_LEN + 32 + TAG_LEN;

/// Why a ghostId did not open. Callers usually collapse these into one answer, so that a
/// caller cannot tell an expired ghostId from a forged one.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum GhostError {
    /// Raised if the text is not base58 of the right length and version.
    #[error("not a ghostId")]
    Malformed,
    /// Raised if its epoch key has left the window (or is from the future).
    #[error("ghostId expired")]
    Expired,
    /// Raised if it does not decrypt: forged, altered, or issued by another gateway.
    #[error("ghostId not issued by this gateway")]
    Forged,
}

impl GhostEpochKeys {
    /// Issues a ghostId for `holder` under the current epoch key. Every call draws a fresh
    /// nonce, so two ghostIds of one holder never look alike.
    pub fn issue(&self, holder: &HolderAddress, rng: &mut (impl RngCore + CryptoRng)) -> String {
        let (epoch, key) = self.current();
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let header = header(epoch);
        let cipher = Aes256Gcm::new(key.expose().into());
        // unwrap: AES-GCM encryption of 32 bytes cannot fail.
        #[allow(clippy::unwrap_used)]
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: holder.as_bytes(),
                    aad: &header,
                },
            )
            .unwrap();
        let mut raw = Vec::with_capacity(GHOST_ID_LEN);
        raw.extend_from_slice(&header);
        raw.extend_from_slice(&nonce);
        raw.extend_from_slice(&sealed);
        bs58::encode(raw).into_string()
    }

    /// Opens a ghostId back into its holder, if its epoch key is still held.
    pub fn open(&self, ghost_id: &str) -> Result<HolderAddress, GhostError> {
        let mut raw = [0u8; GHOST_ID_LEN];
        match bs58::decode(ghost_id).onto(&mut raw) {
            Ok(GHOST_ID_LEN) => {}
            _ => return Err(GhostError::Malformed),
        }
        if raw[0] != GHOST_VERSION {
            return Err(GhostError::Malformed);
        }
        let mut epoch_bytes = [0u8; EPOCH_LEN];
        epoch_bytes.copy_from_slice(&raw[1..HEADER_LEN]);
        let epoch = u64::from_be_bytes(epoch_bytes);
        let key = self.key_for(epoch).ok_or(GhostError::Expired)?;
        let (header, rest) = raw.split_at(HEADER_LEN);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let cipher = Aes256Gcm::new(key.expose().into());
        let mut holder = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: header,
                },
            )
            .map_err(|_| GhostError::Forged)?;
        let mut bytes = [0u8; 32];
        bytes.copy_from_slice(&holder);
        zeroize::Zeroize::zeroize(&mut holder);
        Ok(HolderAddress::from_bytes(bytes))
    }
}

fn header(epoch: u64) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[0] = GHOST_VERSION;
    header[1..].copy_from_slice(&epoch.to_be_bytes());
    header
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;
    use crate::secret::SecretBytes32;

    fn keys(seed: u8) -> GhostEpochKeys {
        GhostEpochKeys::new(SecretBytes32::new([seed; 32]), 1_000, 5)
    }

    #[test]
    fn issued_ghost_id_opens_to_its_holder() {
        let keys = keys(1);
        let holder = HolderAddress::from_bytes([9; 32]);
        let ghost = keys.issue(&holder, &mut OsRng);
        assert_eq!(keys.open(&ghost), Ok(holder));
    }

    #[test]
    fn two_ghost_ids_of_one_holder_differ() {
        let keys = keys(1);
        let holder = HolderAddress::from_bytes([9; 32]);
        assert_ne!(
            keys.issue(&holder, &mut OsRng),
            keys.issue(&holder, &mut OsRng)
        );
    }

    #[test]
    fn ghost_id_opens_within_window_and_not_after() {
        let mut keys = keys(1);
        let holder = HolderAddress::from_bytes([9; 32]);
        let ghost = keys.issue(&holder, &mut OsRng);
        keys.advance_to(1_004);
        assert!(
            keys.open(&ghost).is_ok(),
            "4 periods later it is still in a window of 5"
        );
        keys.advance_to(1_005);
        assert_eq!(keys.open(&ghost), Err(GhostError::Expired));
    }

    #[test]
    fn ghost_id_of_another_gateway_is_refused() {
        let holder = HolderAddress::from_bytes([9; 32]);
        let ghost = keys(1).issue(&holder, &mut OsRng);
        assert_eq!(keys(2).open(&ghost), Err(GhostError::Forged));
    }

    #[test]
    fn every_single_bit_flip_is_refused() {
        let keys = keys(1);
        let ghost = keys.issue(&HolderAddress::from_bytes([9; 32]), &mut OsRng);
        let raw = bs58::decode(&ghost).into_vec().unwrap();
        for bit in 0..raw.len() * 8 {
            let mut flipped = raw.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let text = bs58::encode(&flipped).into_string();
            assert!(keys.open(&text).is_err(), "bit {bit} flip opened");
        }
    }

    #[test]
    fn version_1_ghost_ids_which_sealed_wallets_are_refused() {
        let keys = keys(1);
        let ghost = keys.issue(&HolderAddress::from_bytes([9; 32]), &mut OsRng);
        let mut raw = bs58::decode(&ghost).into_vec().unwrap();
        raw[0] = 1;
        let old = bs58::encode(&raw).into_string();
        assert_eq!(keys.open(&old), Err(GhostError::Malformed));
    }

    #[test]
    fn malformed_text_is_refused() {
        let keys = keys(1);
        assert_eq!(keys.open("not-base58-0OIl"), Err(GhostError::Malformed));
        assert_eq!(keys.open("abc"), Err(GhostError::Malformed));
    }
}
