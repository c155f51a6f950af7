//! A Solana wallet key, loaded from a Solana CLI keypair file, for signing in to the gateway
//! and signing transactions.

use std::fmt;
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey};
use zeroize::Zeroizing;

/// Why a keypair file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    /// Raised if the file cannot be read.
    #[error("cannot read keypair file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Raised if the file is not a Solana CLI keypair (a JSON array of 64 bytes).
    #[error("{0} is not a Solana keypair file (a JSON array of 64 numbers, as written by solana-keygen)")]
    Format(String),
}

/// An ed25519 wallet key. Zeroized on drop; `Debug` shows only the address.
pub struct Wallet {
    key: SigningKey,
}

impl fmt::Debug for Wallet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wallet").field("secret", &"***").finish()
    }
}

impl Wallet {
    /// Wraps an ed25519 secret key.
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(secret),
        }
    }

    /// Reads a Solana CLI keypair file: `[s0, …, s31, p0, …, p31]`.
    pub fn from_keypair_file(path: &Path) -> Result<Self, WalletError> {
        let shown = path.display().to_string();
        let text =
            Zeroizing::new(
                std::fs::read_to_string(path).map_err(|source| WalletError::Read {
                    path: shown.clone(),
                    source,
                })?,
            );
        let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(
            serde_json::from_str(&text).map_err(|_| WalletError::Format(shown.clone()))?,
        );
        Self::from_keypair_bytes(&bytes).ok_or(WalletError::Format(shown))
    }

    /// Parses the 64 bytes of a Solana keypair; the public half must match the secret.
    pub fn from_keypair_bytes(bytes: &[u8]) -> Option<Self> {
        let secret: &[u8; 32] = bytes.get(..32)?.try_into().ok()?;
        let wallet = Self::from_secret(secret);
        (bytes.len() == 64 && bytes[32..] == wallet.public_key()).then_some(wallet)
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// The base58 address.
    pub fn address(&self) -> String {
        bs58::encode(self.public_key()).into_string()
    }

    /// A base58 ed25519 signature over `message`, as wallets' `signMessage` produce.
    pub fn sign_message(&self, message: &[u8]) -> String {
        bs58::encode(self.key.sign(message).to_bytes()).into_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keypair_bytes_must_match_their_public_half() {
        let wallet = Wallet::from_secret(&[7; 32]);
        let mut bytes = vec![7u8; 32];
        bytes.extend_from_slice(&wallet.public_key());
        assert!(Wallet::from_keypair_bytes(&bytes).is_some());
        bytes[40] ^= 1;
        assert!(Wallet::from_keypair_bytes(&bytes).is_none());
        assert!(Wallet::from_keypair_bytes(&[7; 32]).is_none());
    }

    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(
            format!("{:?}", Wallet::from_secret(&[7; 32])),
            "Wallet { secret: \"***\" }"
        );
    }
}
