//! Secret key material. Every type zeroizes on drop, prints `***` in `Debug` and compares in
//! constant time; the bytes are reachable only through `expose`.

use std::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

macro_rules! secret_bytes {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Zeroize, ZeroizeOnDrop)]
        pub struct $name([u8; $len]);

        impl $name {
            /// Wraps secret bytes.
            pub fn new(bytes: [u8; $len]) -> Self {
                Self(bytes)
            }

            /// The secret bytes.
            pub fn expose(&self) -> &[u8; $len] {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "(***)"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.0.ct_eq(&other.0).into()
            }
        }

        impl Eq for $name {}
    };
}

secret_bytes!(
    /// A sender chain key: the state from which one message key and the next chain key
    /// are derived.
    ChainKey,
    32
);
secret_bytes!(
    /// An AES-256-GCM key for one message.
    MessageKey,
    32
);
secret_bytes!(
    /// An AES-256-GCM key shared by two members, for sealing sender keys.
    PairwiseKey,
    32
);
secret_bytes!(
    /// A free room's high-entropy secret, carried in the invite and never sent to the gateway.
    RoomSecret,
    16
);
secret_bytes!(
    /// The HMAC key that authenticates announcements in a room with a secret.
    MacKey,
    32
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted_and_zeroize_clears() {
        let mut key = ChainKey::new([7; 32]);
        assert_eq!(format!("{key:?}"), "ChainKey(***)");
        key.zeroize();
        assert_eq!(key.expose(), &[0; 32]);
        assert_eq!(format!("{:?}", RoomSecret::new([1; 16])), "RoomSecret(***)");
    }

    #[test]
    fn equality_compares_contents() {
        assert_eq!(MessageKey::new([1; 32]), MessageKey::new([1; 32]));
        assert_ne!(MessageKey::new([1; 32]), MessageKey::new([2; 32]));
    }
}
