//! Values the gateway must never leak: they zeroize on drop and print as `***`.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Defines a 32-byte public-key newtype the gateway must not keep or log: zeroized on drop,
/// printed as `Name(***)`.
macro_rules! address_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
        pub struct $name([u8; 32]);

        impl $name {
            /// Wraps raw public key bytes.
            pub fn from_bytes(bytes: [u8; 32]) -> Self {
                Self(bytes)
            }

            /// Parses a base58 address; `None` unless it decodes to exactly 32 bytes.
            pub fn from_base58(text: &str) -> Option<Self> {
                let mut bytes = [0u8; 32];
                match bs58::decode(text).onto(&mut bytes) {
                    Ok(32) => Some(Self(bytes)),
                    _ => {
                        bytes.zeroize();
                        None
                    }
                }
            }

            /// The base58 text.
            pub fn to_base58(&self) -> String {
                bs58::encode(&self.0).into_string()
            }

            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; 32] {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "(***)"))
            }
        }
    };
}

address_type!(
    /// A wallet's public key. Public on chain, but to this gateway an identifier it must not
    /// keep or log: held only in memory while a connection is signed in or a request needs
    /// it. Only initiators sign in with a wallet.
    WalletAddress
);

address_type!(
    /// A one-time key holder address, derived by an invitee's client from its wallet. The
    /// gateway sees it inside ghostIds and at paid joins, never together with the wallet,
    /// and must not keep or log it.
    HolderAddress
);

/// 32 secret bytes: an epoch key or a master key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes32([u8; 32]);

impl SecretBytes32 {
    /// Wraps secret bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for keying a cipher.
    pub fn expose(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_is_redacted() {
        let wallet = WalletAddress::from_bytes([7; 32]);
        let secret = SecretBytes32::new([9; 32]);
        assert_eq!(format!("{wallet:?}"), "WalletAddress(***)");
        let holder = HolderAddress::from_bytes([7; 32]);
        assert_eq!(format!("{holder:?}"), "HolderAddress(***)");
        assert_eq!(format!("{secret:?}"), "***");
        assert!(!format!("{wallet:?}").contains(&wallet.to_base58()));
    }

    #[test]
    fn zeroize_clears_the_bytes() {
        let mut secret = SecretBytes32::new([9; 32]);
        secret.zeroize();
        assert_eq!(secret.expose(), &[0; 32]);
        let mut wallet = WalletAddress::from_bytes([7; 32]);
        wallet.zeroize();
        assert_eq!(wallet.as_bytes(), &[0; 32]);
    }

    #[test]
    fn base58_round_trips_and_rejects_wrong_lengths() {
        let wallet = WalletAddress::from_bytes([42; 32]);
        assert_eq!(
            WalletAddress::from_base58(&wallet.to_base58()),
            Some(wallet)
        );
        assert_eq!(WalletAddress::from_base58("abc"), None);
        assert_eq!(WalletAddress::from_base58("0OIl"), None, "not base58");
    }
}
