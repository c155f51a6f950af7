//! A room's secret and everything derived from it. Whoever holds the invite (a free room)
//! or the HPKE-sealed invitation in a key (a paid room) holds the secret; the gateway never
//! sees it, only the public half of the admission key.
//!
//! ```text
//! k(info)        = HKDF-SHA256(ikm = room secret, salt = "anoghost/v2", info)
//! admission key  = Ed25519 key with seed k("gateway-admission")   — proves the secret to the gateway
//! member MAC key = k("member-admission"), 32 bytes                — proves it to the members
//! group base     = k("group-id"), 16 bytes
//! group id       = group base ‖ 8 random bytes                    — one per incarnation
//! ```
//!
//! A room's group normally lives as long as the room; if every member leaves while a
//! newcomer waits, the newcomer starts a new incarnation of it, under a new group id with
//! the same base (so the gateway orders it afresh, and members recognise it as the room's).

use std::fmt;

use ed25519_dalek::{Signer, SigningKey};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Bytes in a room secret.
pub const ROOM_SECRET_LEN: usize = 16;
/// Bytes in the base of a room's MLS group id.
pub const GROUP_BASE_LEN: usize = 16;
/// Bytes in a room's MLS group id: the base and an incarnation.
pub const GROUP_ID_LEN: usize = GROUP_BASE_LEN + 8;

const SALT: &[u8] = b"anoghost/v2";

/// A room's 128-bit secret. Zeroised on drop; `Debug` prints `***`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct RoomSecret([u8; ROOM_SECRET_LEN]);

impl RoomSecret {
    /// Wraps secret bytes.
    pub fn new(bytes: [u8; ROOM_SECRET_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw bytes (for encoding an invite).
    pub fn expose(&self) -> &[u8; ROOM_SECRET_LEN] {
        &self.0
    }
}

impl fmt::Debug for RoomSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The keys a room's secret gives its holders.
pub struct RoomKeys {
    admission: SigningKey,
    member_mac: Zeroizing<[u8; 32]>,
    group_base: [u8; GROUP_BASE_LEN],
}

impl fmt::Debug for RoomKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RoomKeys(***)")
    }
}

fn expand<const N: usize>(secret: &RoomSecret, info: &[u8]) -> Zeroizing<[u8; N]> {
    let mut okm = Zeroizing::new([0u8; N]);
    // unwrap: HKDF-SHA256 expands up to 8,160 bytes; these are at most 32.
    #[allow(clippy::unwrap_used)]
    Hkdf::<Sha256>::new(Some(SALT), secret.expose())
        .expand(info, okm.as_mut())
        .unwrap();
    okm
}

type HmacSha256 = Hmac<Sha256>;

impl RoomKeys {
    /// Derives the room's keys from its secret.
    pub fn derive(secret: &RoomSecret) -> Self {
        let seed = expand::<32>(secret, b"gateway-admission");
        Self {
            admission: SigningKey::from_bytes(&seed),
            member_mac: expand::<32>(secret, b"member-admission"),
            group_base: *expand::<GROUP_BASE_LEN>(secret, b"group-id"),
        }
    }

    /// The verifier the gateway keeps for a free room: the admission key's public half.
    pub fn verifier(&self) -> [u8; 32] {
        self.admission.verifying_key().to_bytes()
    }

    /// The proof of the secret that `room_join` carries (docs/protocol.md): the admission
    /// key's signature over [`anoghost_protocol::proofs::room_join`].
    pub fn join_proof(&self, challenge: &[u8; 32], code: &str) -> [u8; 64] {
        let message = anoghost_protocol::proofs::room_join(challenge, code);
        self.admission.sign(&message).to_bytes()
    }

    /// The base every group id of the room starts with.
    pub fn group_base(&self) -> &[u8; GROUP_BASE_LEN] {
        &self.group_base
    }

    /// The group id of one incarnation of the room's group.
    pub fn group_id(&self, incarnation: [u8; 8]) -> [u8; GROUP_ID_LEN] {
        let mut id = [0u8; GROUP_ID_LEN];
        id[..GROUP_BASE_LEN].copy_from_slice(&self.group_base);
        id[GROUP_BASE_LEN..].copy_from_slice(&incarnation);
        id
    }

    /// Whether `group_id` is one of the room's.
    pub fn is_room_group(&self, group_id: &[u8]) -> bool {
        group_id.len() == GROUP_ID_LEN && group_id.starts_with(&self.group_base)
    }

    fn mac(&self, label: &[u8], parts: &[&[u8]]) -> [u8; 32] {
        // unwrap: HMAC takes a key of any length.
        #[allow(clippy::unwrap_used)]
        let mut mac = HmacSha256::new_from_slice(self.member_mac.as_ref()).unwrap();
        mac.update(label);
        mac.update(&self.group_base);
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The MAC that makes a KeyPackage a join request members accept: it binds the
    /// KeyPackage to the secret, to the member number the gateway gave its sender, and to
    /// the nonce of the challenge it answers, so a replayed request is refused.
    pub fn join_request_mac(&self, member: u16, nonce: &[u8; 16], key_package: &[u8]) -> [u8; 32] {
        let digest = Sha256::digest(key_package);
        self.mac(
            b"anoghost/join-request/v1",
            &[&member.to_be_bytes(), nonce, &digest],
        )
    }

    /// The proof a Welcome carries that the group it opens was made by holders of the
    /// secret: a MAC over the new epoch's exporter value, which only the group's members
    /// can compute. A group the gateway made up cannot produce it.
    pub fn group_proof(&self, exporter: &[u8]) -> [u8; 32] {
        self.mac(b"anoghost/group-proof/v1", &[exporter])
    }
}

/// Compares two MACs in constant time.
pub fn macs_match(a: &[u8; 32], b: &[u8; 32]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derivations_are_fixed_functions_of_the_secret_and_differ_from_each_other() {
        let keys = RoomKeys::derive(&RoomSecret::new([1; 16]));
        let again = RoomKeys::derive(&RoomSecret::new([1; 16]));
        let other = RoomKeys::derive(&RoomSecret::new([2; 16]));
        assert_eq!(keys.verifier(), again.verifier());
        assert_eq!(keys.group_base(), again.group_base());
        assert_ne!(keys.verifier(), other.verifier());
        assert_ne!(keys.group_base(), other.group_base());
        assert!(keys.is_room_group(&keys.group_id([1; 8])));
        assert!(!keys.is_room_group(&other.group_id([1; 8])));
        let mac = keys.join_request_mac(4821, &[3; 16], b"kp");
        assert!(macs_match(
            &mac,
            &again.join_request_mac(4821, &[3; 16], b"kp")
        ));
        assert!(!macs_match(
            &mac,
            &keys.join_request_mac(4822, &[3; 16], b"kp")
        ));
        assert!(!macs_match(
            &mac,
            &keys.join_request_mac(4821, &[4; 16], b"kp")
        ));
        assert!(!macs_match(
            &mac,
            &other.join_request_mac(4821, &[3; 16], b"kp")
        ));
    }

    #[test]
    fn the_join_proof_verifies_under_the_verifier_for_its_challenge_only() {
        let keys = RoomKeys::derive(&RoomSecret::new([3; 16]));
        let verifier = ed25519_dalek::VerifyingKey::from_bytes(&keys.verifier()).unwrap();
        let proof = ed25519_dalek::Signature::from_bytes(&keys.join_proof(&[9; 32], "042817"));
        let signed = anoghost_protocol::proofs::room_join(&[9; 32], "042817");
        assert!(verifier.verify_strict(&signed, &proof).is_ok());
        let other = anoghost_protocol::proofs::room_join(&[8; 32], "042817");
        assert!(verifier.verify_strict(&other, &proof).is_err());
    }

    #[test]
    fn debug_shows_no_secret() {
        assert_eq!(format!("{:?}", RoomSecret::new([7; 16])), "***");
        assert_eq!(
            format!("{:?}", RoomKeys::derive(&RoomSecret::new([7; 16]))),
            "RoomKeys(***)"
        );
    }
}
