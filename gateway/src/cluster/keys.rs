//! The cluster secret's two uses: routing ids that hide which room a subject carries, and
//! the sealing of every message between gateways, so NATS (and whoever runs it) sees
//! opaque subjects and ciphertext only.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::rooms::RoomKey;
use crate::secret::SecretBytes32;

/// XChaCha20-Poly1305's nonce: 24 random bytes, safe to draw at random for as many messages
/// as a cluster will ever send under one key (AES-GCM's 12 would not be).
const NONCE_LEN: usize = 24;
/// Poly1305's tag.
const TAG_LEN: usize = 16;
/// Hex digits of a routing id: 128 bits of HMAC-SHA256.
const ROUTING_ID_HEX: usize = 32;

/// The subjects of one room.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomSubjects {
    /// Where the room's orderer listens: joins, inputs, claims.
    pub orderer: String,
    /// Where the orderer publishes the room's events.
    pub events: String,
}

/// Keys derived from the cluster secret.
pub struct ClusterKeys {
    routing: SecretBytes32,
    sealing: XChaCha20Poly1305,
}

impl std::fmt::Debug for ClusterKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClusterKeys(***)")
    }
}

impl ClusterKeys {
    /// Derives both keys from the cluster secret with HKDF-SHA256.
    pub fn new(secret: &SecretBytes32) -> Self {
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(b"anoghost/cluster/v1"), secret.expose());
        let mut routing = Zeroizing::new([0u8; 32]);
        let mut sealing = Zeroizing::new([0u8; 32]);
        // 32-byte outputs are far below HKDF-SHA256's limit: expanding cannot fail.
        let _ = hkdf.expand(b"routing", routing.as_mut());
        let _ = hkdf.expand(b"sealing", sealing.as_mut());
        Self {
            routing: SecretBytes32::new(*routing),
            sealing: XChaCha20Poly1305::new(sealing.as_ref().into()),
        }
    }

    /// A key for `label`, derived from the cluster secret (HKDF-SHA256), for state every
    /// gateway must share (such as the sign-in nonce key).
    pub fn derive(&self, label: &[u8]) -> SecretBytes32 {
        let hkdf = hkdf::Hkdf::<Sha256>::new(Some(b"anoghost/cluster/v1"), self.routing.expose());
        let mut key = Zeroizing::new([0u8; 32]);
        let _ = hkdf.expand(label, key.as_mut());
        SecretBytes32::new(*key)
    }

    /// The subjects of the room at `key`: `ag.r.<id>` and `ag.r.<id>.e`, where the id is
    /// an HMAC of the key under the cluster secret. A subject names no code, member,
    /// wallet or room id, and the same room always gets the same subject.
    pub fn subjects(&self, key: &RoomKey) -> RoomSubjects {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(self.routing.expose())
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        match key {
            RoomKey::Free(code) => {
                mac.update(b"free");
                mac.update(&code.to_be_bytes());
            }
            RoomKey::Paid(id) => {
                mac.update(b"paid");
                mac.update(id);
            }
        }
        let digest = mac.finalize().into_bytes();
        let mut id = String::with_capacity(ROUTING_ID_HEX);
        for byte in &digest[..ROUTING_ID_HEX / 2] {
            id.push_str(&format!("{byte:02x}"));
        }
        RoomSubjects {
            orderer: format!("ag.r.{id}"),
            events: format!("ag.r.{id}.e"),
        }
    }

    /// Seals `plaintext` for `subject` (bound as associated data: a message cannot be
    /// moved to another room's subject).
    pub fn seal(&self, subject: &str, plaintext: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plaintext,
            aad: subject.as_bytes(),
        };
        let sealed = self
            .sealing
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_else(|_| unreachable!("encryption has no failure for these sizes"));
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Opens what [`Self::seal`] sealed for `subject`; `None` if anything was changed, or it
    /// was sealed under another secret or for another subject.
    pub fn open(&self, subject: &str, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad: subject.as_bytes(),
        };
        self.sealing
            .decrypt(XNonce::from_slice(nonce), payload)
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(byte: u8) -> ClusterKeys {
        ClusterKeys::new(&SecretBytes32::new([byte; 32]))
    }

    #[test]
    fn subjects_are_opaque_stable_and_differ_by_secret_and_room() {
        let a = keys(1).subjects(&RoomKey::Free(123_456));
        assert_eq!(a, keys(1).subjects(&RoomKey::Free(123_456)));
        assert!(!a.orderer.contains("123456") && !a.orderer.contains("1e240"));
        assert_eq!(a.orderer.len(), "ag.r.".len() + 32);
        assert_eq!(a.events, format!("{}.e", a.orderer));
        assert_ne!(a, keys(2).subjects(&RoomKey::Free(123_456)));
        assert_ne!(a, keys(1).subjects(&RoomKey::Free(123_457)));
        let paid = keys(1).subjects(&RoomKey::Paid([7; 32]));
        assert!(!paid.orderer.contains("0707"));
    }

    #[test]
    fn a_sealed_message_opens_only_for_its_subject_and_secret() {
        let sealed = keys(1).seal("ag.r.x", b"member 1234 joined");
        assert!(!sealed.windows(4).any(|w| w == b"1234"));
        assert_eq!(
            keys(1).open("ag.r.x", &sealed).as_deref(),
            Some(&b"member 1234 joined"[..])
        );
        assert_eq!(
            keys(1).open("ag.r.y", &sealed),
            None,
            "moved to another subject"
        );
        assert_eq!(
            keys(2).open("ag.r.x", &sealed),
            None,
            "another cluster's secret"
        );
        let mut flipped = sealed.clone();
        flipped[30] ^= 1;
        assert_eq!(keys(1).open("ag.r.x", &flipped), None);
        assert_eq!(keys(1).open("ag.r.x", &sealed[..20]), None);
    }
}
