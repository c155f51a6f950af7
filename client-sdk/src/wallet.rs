//! A Solana wallet key, loaded from a Solana CLI keypair file, for signing in to the gateway
//! (a SIWS message, as wallets' `signMessage` signs it) and for signing transactions.

use std::fmt;
use std::path::Path;

use anoghost_program_client::keypair_file::{self, KeypairFileError};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

/// An ed25519 wallet key. The secret stays inside the [`Keypair`] (zeroised on drop);
/// `Debug` shows nothing of it.
pub struct Wallet {
    keypair: Keypair,
}

impl fmt::Debug for Wallet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wallet").field("secret", &"***").finish()
    }
}

impl Wallet {
    /// Wraps a keypair.
    pub fn new(keypair: Keypair) -> Self {
        Self { keypair }
    }

    /// Wraps an ed25519 secret key.
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        Self::new(Keypair::new_from_array(*secret))
    }

    /// Reads a Solana CLI keypair file: `[s0, …, s31, p0, …, p31]`.
    pub fn from_keypair_file(path: &Path) -> Result<Self, KeypairFileError> {
        keypair_file::read(path).map(Self::new)
    }

    /// The keypair, to sign transactions with.
    pub fn keypair(&self) -> &Keypair {
        &self.keypair
    }

    /// The wallet's address.
    pub fn pubkey(&self) -> Pubkey {
        self.keypair.pubkey()
    }

    /// The 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.keypair.pubkey().to_bytes()
    }

    /// The base58 address.
    pub fn address(&self) -> String {
        self.keypair.pubkey().to_string()
    }

    /// A base58 ed25519 signature over `message`, as wallets' `signMessage` produce.
    pub fn sign_message(&self, message: &[u8]) -> String {
        self.keypair.sign_message(message).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_under_the_address() {
        let wallet = Wallet::from_secret(&[7; 32]);
        let signature: solana_sdk::signature::Signature = wallet
            .sign_message(b"hello")
            .parse()
            .unwrap_or_else(|_| unreachable!());
        assert!(signature.verify(&wallet.public_key(), b"hello"));
    }

    #[test]
    fn debug_hides_the_secret() {
        assert_eq!(
            format!("{:?}", Wallet::from_secret(&[7; 32])),
            "Wallet { secret: \"***\" }"
        );
    }
}
