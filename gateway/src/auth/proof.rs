//! Proofs bound to one connection: an ed25519 signature by a holder address over a label,
//! the connection's challenge (from `welcome`) and a payload. A proof seen on one connection
//! is worthless on any other.
//!
//! ```text
//! signed = label ‖ challenge (32) ‖ payload
//! ghost_issue:     label "anoghost/ghost-issue/v1", payload = holder (32)
//! room_join_paid:  label "anoghost/paid-join/v1",   payload = room tag (32)
//! ```

use ed25519_dalek::{Signature, VerifyingKey};

use crate::secret::HolderAddress;

/// Label of the proof that asks for a ghostId.
pub const GHOST_ISSUE_LABEL: &[u8] = b"anoghost/ghost-issue/v1";
/// Label of the proof that joins a paid room.
pub const PAID_JOIN_LABEL: &[u8] = b"anoghost/paid-join/v1";

/// The bytes a proof signs.
pub fn proof_message(label: &[u8], challenge: &[u8; 32], payload: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(label.len() + 32 + payload.len());
    message.extend_from_slice(label);
    message.extend_from_slice(challenge);
    message.extend_from_slice(payload);
    message
}

/// Whether `signature` (base58, 64 bytes) is `holder`'s strict ed25519 signature over
/// `label ‖ challenge ‖ payload`.
pub fn verify_proof(
    holder: &HolderAddress,
    label: &[u8],
    challenge: &[u8; 32],
    payload: &[u8],
    signature: &str,
) -> bool {
    let mut bytes = [0u8; 64];
    if !matches!(bs58::decode(signature).onto(&mut bytes), Ok(64)) {
        return false;
    }
    let Ok(key) = VerifyingKey::from_bytes(holder.as_bytes()) else {
        return false;
    };
    key.verify_strict(
        &proof_message(label, challenge, payload),
        &Signature::from_bytes(&bytes),
    )
    .is_ok()
}

#[cfg(test)]
mod tests {
    use ed25519_dalek::{Signer, SigningKey};

    use super::*;

    #[test]
    fn a_proof_verifies_only_for_its_label_challenge_payload_and_key() {
        let key = SigningKey::from_bytes(&[3; 32]);
        let holder = HolderAddress::from_bytes(key.verifying_key().to_bytes());
        let challenge = [1; 32];
        let sign = |label: &[u8], challenge: &[u8; 32], payload: &[u8]| {
            bs58::encode(
                key.sign(&proof_message(label, challenge, payload))
                    .to_bytes(),
            )
            .into_string()
        };
        let good = sign(PAID_JOIN_LABEL, &challenge, &[9; 32]);
        assert!(verify_proof(
            &holder,
            PAID_JOIN_LABEL,
            &challenge,
            &[9; 32],
            &good
        ));
        assert!(!verify_proof(
            &holder,
            GHOST_ISSUE_LABEL,
            &challenge,
            &[9; 32],
            &good
        ));
        assert!(!verify_proof(
            &holder,
            PAID_JOIN_LABEL,
            &[2; 32],
            &[9; 32],
            &good
        ));
        assert!(!verify_proof(
            &holder,
            PAID_JOIN_LABEL,
            &challenge,
            &[8; 32],
            &good
        ));
        let other = HolderAddress::from_bytes([4; 32]);
        assert!(!verify_proof(
            &other,
            PAID_JOIN_LABEL,
            &challenge,
            &[9; 32],
            &good
        ));
        assert!(!verify_proof(
            &holder,
            PAID_JOIN_LABEL,
            &challenge,
            &[9; 32],
            "nope"
        ));
    }
}
