//! Who may enter a room: its creator, a joiner proving the invite's secret, or a joiner
//! this gateway already checked (a paid room's key, on chain).

use ed25519_dalek::{Signature, VerifyingKey};

/// What a joiner brings.
#[derive(Debug, Clone)]
pub enum Admission {
    /// Creates the room.
    Creator,
    /// A free room's invite proof: `signature` over `message` (the connection's challenge
    /// and the code, `proofs::room_join`) by the key the room's verifier names.
    Proof {
        /// The signed message.
        message: Vec<u8>,
        /// The signature, if it parsed.
        signature: Option<Signature>,
    },
    /// Checked by the gateway the joiner is connected to.
    Checked,
}

impl Admission {
    /// Whether this admits the joiner to a room with `verifier` (`None`: the room does not
    /// exist, or is a paid room). A proof is verified against a stand-in key when there is
    /// no verifier, so a missing room costs the same work as a wrong proof.
    pub fn admits(&self, verifier: Option<&VerifyingKey>) -> bool {
        match self {
            Self::Creator | Self::Checked => true,
            Self::Proof { message, signature } => {
                let (key, real) = match verifier {
                    Some(key) => (key, true),
                    None => (&*STAND_IN, false),
                };
                let verified = signature
                    .as_ref()
                    .is_some_and(|s| key.verify_strict(message, s).is_ok());
                verified && real
            }
        }
    }
}

/// Any valid key will do: it only makes the work for a missing room match a real one.
static STAND_IN: std::sync::LazyLock<VerifyingKey> =
    std::sync::LazyLock::new(|| ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    #[test]
    fn a_proof_admits_only_under_the_rooms_own_verifier() {
        let invite = SigningKey::from_bytes(&[9; 32]);
        let proof = Admission::Proof {
            message: b"challenge and code".to_vec(),
            signature: Some(invite.sign(b"challenge and code")),
        };
        assert!(proof.admits(Some(&invite.verifying_key())));
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert!(!proof.admits(Some(&other)));
        assert!(!proof.admits(None), "no room: refused after the same work");
        let forged = Admission::Proof {
            message: b"challenge and code".to_vec(),
            signature: Some(STAND_IN_SIGNER.sign(b"challenge and code")),
        };
        assert!(
            !forged.admits(None),
            "a signature by the stand-in key opens nothing"
        );
        let missing = Admission::Proof {
            message: b"challenge and code".to_vec(),
            signature: None,
        };
        assert!(!missing.admits(Some(&invite.verifying_key())));
    }

    static STAND_IN_SIGNER: std::sync::LazyLock<SigningKey> =
        std::sync::LazyLock::new(|| SigningKey::from_bytes(&[1; 32]));
}
