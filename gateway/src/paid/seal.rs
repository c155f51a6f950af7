//! Sealed metadata fields. A key NFT carries its room id and its holder's wallet sealed
//! under the gateway's master key, each with a fresh nonce so no two keys look alike:
//!
//! ```text
//! sealed = key id (1) | nonce (12) | AES-256-GCM(master key, nonce, value, aad = label | key id)
//! label  = "anoghost/seal/room/v1" or "anoghost/seal/ghost/v1"
//! ```
//!
//! The label keeps a sealed ghost from ever opening as a room id and vice versa; the key id
//! lets an operator rotate the master key while keys sealed under the old one still open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand::RngCore;
use zeroize::Zeroizing;

use crate::secret::SecretBytes32;

const NONCE_LEN: usize = 12;

/// What a seal holds, and so which label binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SealKind {
    /// A paid room's id.
    Room,
    /// A holder's wallet (the key's ghost).
    Ghost,
}

impl SealKind {
    fn label(self) -> &'static [u8] {
        match self {
            SealKind::Room => b"anoghost/seal/room/v1",
            SealKind::Ghost => b"anoghost/seal/ghost/v1",
        }
    }
}

/// Seals with the current master key and opens with it or any older one still configured.
#[derive(Debug)]
pub struct Sealer {
    current: (u8, SecretBytes32),
    older: Vec<(u8, SecretBytes32)>,
}

fn aad(kind: SealKind, key_id: u8) -> Vec<u8> {
    let mut aad = kind.label().to_vec();
    aad.push(key_id);
    aad
}

impl Sealer {
    /// A sealer with master key `key` under `key_id`, also opening seals of `older` keys.
    pub fn new(key_id: u8, key: SecretBytes32, older: Vec<(u8, SecretBytes32)>) -> Self {
        Self {
            current: (key_id, key),
            older,
        }
    }

    /// Seals `value` with a fresh random nonce.
    pub fn seal(&self, kind: SealKind, value: &[u8]) -> Vec<u8> {
        let (key_id, key) = &self.current;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let cipher = Aes256Gcm::new(key.expose().into());
        // unwrap: AES-GCM encryption of a short value cannot fail.
        #[allow(clippy::unwrap_used)]
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: value,
                    aad: &aad(kind, *key_id),
                },
            )
            .unwrap();
        let mut out = Vec::with_capacity(1 + NONCE_LEN + sealed.len());
        out.push(*key_id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens a seal of `kind`; `None` if it is not one of ours.
    pub fn open(&self, kind: SealKind, sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < 1 + NONCE_LEN + 16 {
            return None;
        }
        let key_id = sealed[0];
        let key = std::iter::once(&self.current)
            .chain(&self.older)
            .find(|(id, _)| *id == key_id)
            .map(|(_, key)| key)?;
        let cipher = Aes256Gcm::new(key.expose().into());
        cipher
            .decrypt(
                Nonce::from_slice(&sealed[1..1 + NONCE_LEN]),
                Payload {
                    msg: &sealed[1 + NONCE_LEN..],
                    aad: &aad(kind, key_id),
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

/// Why the configured master key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    /// Raised if the key file cannot be read.
    #[error("cannot read the master key file {path}: {source}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Raised if the key is not 64 hex digits.
    #[error("the master key must be 64 hex digits (32 bytes)")]
    Format,
    /// Raised if two keys are given the same id byte.
    #[error("master key id {0} is given twice: every key needs its own id")]
    DuplicateId(u8),
}

/// Parses a master key written as 64 hex digits (surrounding whitespace ignored).
pub fn parse_master_key(text: &str) -> Result<SecretBytes32, MasterKeyError> {
    let text = Zeroizing::new(text.trim().to_owned());
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(MasterKeyError::Format);
    }
    let mut bytes = Zeroizing::new([0u8; 32]);
    for (i, pair) in text.as_bytes().chunks_exact(2).enumerate() {
        let digits = std::str::from_utf8(pair).map_err(|_| MasterKeyError::Format)?;
        bytes[i] = u8::from_str_radix(digits, 16).map_err(|_| MasterKeyError::Format)?;
    }
    Ok(SecretBytes32::new(*bytes))
}

fn read_key_file(path: &std::path::Path) -> Result<SecretBytes32, MasterKeyError> {
    let text =
        Zeroizing::new(
            std::fs::read_to_string(path).map_err(|source| MasterKeyError::Read {
                path: path.to_owned(),
                source,
            })?,
        );
    parse_master_key(&text)
}

/// The configured master key, or a fresh random one (`true` in the second field) when none
/// is configured.
pub fn load_master_key(
    config: &crate::config::GatewayConfig,
) -> Result<(SecretBytes32, bool), MasterKeyError> {
    if let Some(text) = &config.master_key {
        return parse_master_key(text).map(|key| (key, false));
    }
    if let Some(path) = &config.master_key_file {
        return read_key_file(path).map(|key| (key, false));
    }
    let mut bytes = Zeroizing::new([0u8; 32]);
    rand::rngs::OsRng.fill_bytes(bytes.as_mut());
    Ok((SecretBytes32::new(*bytes), true))
}

/// The sealer the configuration describes: the current master key (or a random one, `true`
/// in the second field) and every older key given with `--old-master-key-file`.
pub fn load_sealer(
    config: &crate::config::GatewayConfig,
) -> Result<(Sealer, bool), MasterKeyError> {
    let (current, generated) = load_master_key(config)?;
    let mut older = Vec::with_capacity(config.old_master_keys.len());
    for old in &config.old_master_keys {
        let id_taken = old.id == config.master_key_id || older.iter().any(|(id, _)| *id == old.id);
        if id_taken {
            return Err(MasterKeyError::DuplicateId(old.id));
        }
        older.push((old.id, read_key_file(&old.path)?));
    }
    Ok((Sealer::new(config.master_key_id, current, older), generated))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(id: u8, byte: u8) -> Sealer {
        Sealer::new(id, SecretBytes32::new([byte; 32]), Vec::new())
    }

    #[test]
    fn seal_then_open_round_trips_and_two_seals_differ() {
        let sealer = sealer(1, 7);
        let a = sealer.seal(SealKind::Ghost, &[9; 32]);
        let b = sealer.seal(SealKind::Ghost, &[9; 32]);
        assert_ne!(a, b, "fresh nonce per seal");
        assert_eq!(a.len(), 61);
        assert_eq!(
            sealer.open(SealKind::Ghost, &a).unwrap().as_slice(),
            &[9; 32]
        );
        assert_eq!(
            sealer.open(SealKind::Ghost, &b).unwrap().as_slice(),
            &[9; 32]
        );
    }

    #[test]
    fn a_ghost_seal_never_opens_as_a_room() {
        let sealer = sealer(1, 7);
        let ghost = sealer.seal(SealKind::Ghost, &[9; 32]);
        assert!(sealer.open(SealKind::Room, &ghost).is_none());
    }

    #[test]
    fn other_master_keys_and_tampering_are_refused() {
        let ours = sealer(1, 7);
        let theirs = sealer(1, 8);
        let sealed = theirs.seal(SealKind::Room, &[1; 32]);
        assert!(ours.open(SealKind::Room, &sealed).is_none());
        let mut tampered = ours.seal(SealKind::Room, &[1; 32]);
        tampered[20] ^= 1;
        assert!(ours.open(SealKind::Room, &tampered).is_none());
        assert!(ours.open(SealKind::Room, &[1, 2, 3]).is_none());
    }

    #[test]
    fn master_key_text_must_be_64_hex_digits() {
        let key = parse_master_key(&format!(" {} \n", "ab".repeat(32))).unwrap();
        assert_eq!(key.expose(), &[0xAB; 32]);
        assert!(parse_master_key("abcd").is_err());
        assert!(parse_master_key(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn rotated_master_key_still_opens_old_seals() {
        let old = sealer(1, 7);
        let sealed = old.seal(SealKind::Room, &[3; 32]);
        let rotated = Sealer::new(
            2,
            SecretBytes32::new([8; 32]),
            vec![(1, SecretBytes32::new([7; 32]))],
        );
        assert_eq!(
            rotated.open(SealKind::Room, &sealed).unwrap().as_slice(),
            &[3; 32]
        );
        assert_eq!(rotated.seal(SealKind::Room, &[3; 32])[0], 2);
    }

    #[test]
    fn old_master_keys_load_and_a_reused_id_is_refused() {
        let dir = std::env::temp_dir().join(format!("anoghost-seal-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let old = dir.join("old.hex");
        std::fs::write(&old, "07".repeat(32)).unwrap();
        let mut config = crate::config::GatewayConfig::local_defaults();
        config.master_key = Some("08".repeat(32));
        config.master_key_id = 2;
        config.old_master_keys = vec![crate::config::OldMasterKey {
            id: 1,
            path: old.clone(),
        }];
        let (rotated, generated) = load_sealer(&config).unwrap();
        assert!(!generated);
        let sealed = sealer(1, 7).seal(SealKind::Room, &[3; 32]);
        assert_eq!(
            rotated.open(SealKind::Room, &sealed).unwrap().as_slice(),
            &[3; 32]
        );
        config.old_master_keys[0].id = 2;
        assert!(matches!(
            load_sealer(&config),
            Err(MasterKeyError::DuplicateId(2))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
