//! A member's keys for one room and one session: an X25519 key for pairwise agreement and
//! an Ed25519 key for signing. Both are fresh each time a member joins a room.

use std::fmt;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use rand_core::{CryptoRng, RngCore};
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::CryptoError;

/// The public half of a member's keys, as announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberPublic {
    /// X25519 public key.
    pub x25519: [u8; 32],
    /// Ed25519 verifying key.
    pub ed25519: [u8; 32],
}

/// A member's secret keys. Both zeroize on drop.
pub struct MemberKeys {
    agreement: StaticSecret,
    signing: SigningKey,
}

impl fmt::Debug for MemberKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MemberKeys(***)")
    }
}

impl MemberKeys {
    /// Fresh keys from `rng`.
    pub fn generate(rng: &mut (impl RngCore + CryptoRng)) -> Self {
        let mut agreement = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(agreement.as_mut());
        let mut signing = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(signing.as_mut());
        Self::from_secrets(*agreement, *signing)
    }

    /// Keys from fixed secret bytes (for known-answer tests).
    pub fn from_secrets(agreement: [u8; 32], signing: [u8; 32]) -> Self {
        Self {
            agreement: StaticSecret::from(agreement),
            signing: SigningKey::from_bytes(&signing),
        }
    }

    /// The public half.
    pub fn public(&self) -> MemberPublic {
        MemberPublic {
            x25519: PublicKey::from(&self.agreement).to_bytes(),
            ed25519: self.signing.verifying_key().to_bytes(),
        }
    }

    /// X25519 with a peer's public key. Refuses low-order keys whose result is all zeros,
    /// which would let a malicious peer force a known shared secret.
    pub fn agree(&self, peer_x25519: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>, CryptoError> {
        let shared = self
            .agreement
            .diffie_hellman(&PublicKey::from(*peer_x25519));
        if !shared.was_contributory() {
            return Err(CryptoError::WeakKey);
        }
        Ok(Zeroizing::new(shared.to_bytes()))
    }

    /// An Ed25519 signature over `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

/// Verifies an Ed25519 signature (strictly: no malleable or small-order forms).
pub fn verify(public: &[u8; 32], message: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let key = VerifyingKey::from_bytes(public).map_err(|_| CryptoError::BadSignature)?;
    let signature = Signature::from_slice(signature).map_err(|_| CryptoError::BadSignature)?;
    key.verify_strict(message, &signature)
        .map_err(|_| CryptoError::BadSignature)
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;

    #[test]
    fn agreement_is_symmetric() {
        let a = MemberKeys::generate(&mut OsRng);
        let b = MemberKeys::generate(&mut OsRng);
        let ab = a.agree(&b.public().x25519).unwrap();
        let ba = b.agree(&a.public().x25519).unwrap();
        assert_eq!(*ab, *ba);
    }

    #[test]
    fn low_order_public_key_is_refused() {
        let a = MemberKeys::generate(&mut OsRng);
        assert_eq!(a.agree(&[0; 32]).err(), Some(CryptoError::WeakKey));
    }

    #[test]
    fn signatures_verify_only_for_their_key_and_message() {
        let a = MemberKeys::generate(&mut OsRng);
        let b = MemberKeys::generate(&mut OsRng);
        let signature = a.sign(b"hello");
        assert_eq!(verify(&a.public().ed25519, b"hello", &signature), Ok(()));
        assert!(verify(&b.public().ed25519, b"hello", &signature).is_err());
        assert!(verify(&a.public().ed25519, b"hellO", &signature).is_err());
    }
}
