//! The master keys: the current one, which binds new keys to their rooms, and older ones
//! still accepted at join, each under the id byte written into what it bound. Rotation: move
//! the current key to `--old-master-key-file ID:FILE` and give a new `--master-key-file` and
//! `--master-key-id`.

use rand::RngCore;
use zeroize::Zeroizing;

use crate::secret::SecretBytes32;

/// The current master key and the older ones still accepted.
#[derive(Debug)]
pub struct MasterKeys {
    current: (u8, SecretBytes32),
    older: Vec<(u8, SecretBytes32)>,
}

impl MasterKeys {
    /// `key` under `key_id` for new bindings, and `older` keys still accepted.
    pub fn new(key_id: u8, key: SecretBytes32, older: Vec<(u8, SecretBytes32)>) -> Self {
        Self {
            current: (key_id, key),
            older,
        }
    }

    /// The id and key new bindings are made with.
    pub fn current(&self) -> (u8, &SecretBytes32) {
        (self.current.0, &self.current.1)
    }

    /// The key with this id, current or older, if it is configured.
    pub fn key(&self, key_id: u8) -> Option<&SecretBytes32> {
        std::iter::once(&self.current)
            .chain(&self.older)
            .find(|(id, _)| *id == key_id)
            .map(|(_, key)| key)
    }
}

/// Why the configured master key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    /// Raised if a key file cannot be read.
    #[error("cannot read the master key file {path}: {source}")]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Raised if a key is not 64 hex digits.
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

/// The master keys the configuration describes: the current one (or a random one, `true` in
/// the second field) and every older one given with `--old-master-key-file`.
pub fn load_master_keys(
    config: &crate::config::GatewayConfig,
) -> Result<(MasterKeys, bool), MasterKeyError> {
    let (current, generated) = load_master_key(config)?;
    let mut older = Vec::with_capacity(config.old_master_keys.len());
    for old in &config.old_master_keys {
        let id_taken = old.id == config.master_key_id || older.iter().any(|(id, _)| *id == old.id);
        if id_taken {
            return Err(MasterKeyError::DuplicateId(old.id));
        }
        older.push((old.id, read_key_file(&old.path)?));
    }
    Ok((
        MasterKeys::new(config.master_key_id, current, older),
        generated,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_key_text_must_be_64_hex_digits() {
        let key = parse_master_key(&format!(" {} \n", "ab".repeat(32))).unwrap();
        assert_eq!(key.expose(), &[0xAB; 32]);
        assert!(parse_master_key("abcd").is_err());
        assert!(parse_master_key(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn old_master_keys_load_by_id_and_a_reused_id_is_refused() {
        let dir = std::env::temp_dir().join(format!("anoghost-master-{}", std::process::id()));
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
        let (keys, generated) = load_master_keys(&config).unwrap();
        assert!(!generated);
        assert_eq!(keys.current().0, 2);
        assert_eq!(keys.key(1).unwrap().expose(), &[7; 32]);
        assert_eq!(keys.key(2).unwrap().expose(), &[8; 32]);
        assert!(keys.key(3).is_none());
        config.old_master_keys[0].id = 2;
        assert!(matches!(
            load_master_keys(&config),
            Err(MasterKeyError::DuplicateId(2))
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
