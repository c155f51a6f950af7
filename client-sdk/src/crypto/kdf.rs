//! Every key derivation, each under its own domain-separation label. All of them are
//! SHA3-256 over `label ‖ inputs`; SHA3 has no length-extension weakness, so a plain prefix
//! hash is a sound KDF here.

use hmac::{Hmac, Mac};
use sha3::{Digest, Sha3_256};

use super::secret::{ChainKey, MacKey, MessageKey, PairwiseKey, RoomSecret};

/// Label of the chain step: `ck(i+1) = SHA3-256(LABEL_CHAIN_STEP ‖ ck(i))`.
pub const LABEL_CHAIN_STEP: &[u8] = b"anoghost/chain-step/v1";
/// Label of a message key: `mk(i) = SHA3-256(LABEL_MESSAGE_KEY ‖ ck(i))`.
pub const LABEL_MESSAGE_KEY: &[u8] = b"anoghost/message-key/v1";
/// Label of a message nonce: `nonce(i) = SHA3-256(LABEL_MESSAGE_NONCE ‖ ck(i))[..12]`.
pub const LABEL_MESSAGE_NONCE: &[u8] = b"anoghost/message-nonce/v1";
/// Label of a pairwise key (see [`pairwise_key`]).
pub const LABEL_PAIRWISE: &[u8] = b"anoghost/pairwise/v1";
/// Label of the room MAC key: `SHA3-256(LABEL_ROOM_MAC ‖ room_secret)`.
pub const LABEL_ROOM_MAC: &[u8] = b"anoghost/room-mac/v1";

fn sha3(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha3_256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The chain key after `ck`.
pub fn next_chain_key(ck: &ChainKey) -> ChainKey {
    ChainKey::new(sha3(&[LABEL_CHAIN_STEP, ck.expose()]))
}

/// The message key and nonce of the message at chain state `ck`.
pub fn message_key(ck: &ChainKey) -> (MessageKey, [u8; 12]) {
    let key = MessageKey::new(sha3(&[LABEL_MESSAGE_KEY, ck.expose()]));
    let digest = sha3(&[LABEL_MESSAGE_NONCE, ck.expose()]);
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&digest[..12]);
    (key, nonce)
}

/// The key two members share for sealing sender keys to each other:
///
/// ```text
/// SHA3-256(LABEL_PAIRWISE ‖ X25519(a, B) ‖ room (4, BE) ‖ low member (2, BE) ‖ high member (2, BE)
///          ‖ X25519 public of low member ‖ X25519 public of high member)
/// ```
///
/// where "low" is the smaller member number. Both sides compute the same key.
pub fn pairwise_key(
    shared_secret: &[u8; 32],
    room: u32,
    (member_a, public_a): (u16, &[u8; 32]),
    (member_b, public_b): (u16, &[u8; 32]),
) -> PairwiseKey {
    let ((low, low_public), (high, high_public)) = if member_a <= member_b {
        ((member_a, public_a), (member_b, public_b))
    } else {
        ((member_b, public_b), (member_a, public_a))
    };
    PairwiseKey::new(sha3(&[
        LABEL_PAIRWISE,
        shared_secret,
        &room.to_be_bytes(),
        &low.to_be_bytes(),
        &high.to_be_bytes(),
        low_public,
        high_public,
    ]))
}

/// The HMAC-SHA3-256 key for announcements in a room with `secret`.
pub fn room_mac_key(secret: &RoomSecret) -> MacKey {
    MacKey::new(sha3(&[LABEL_ROOM_MAC, secret.expose()]))
}

/// HMAC-SHA3-256 of `data` under `key`.
pub fn mac(key: &MacKey, data: &[u8]) -> [u8; 32] {
    // unwrap: HMAC accepts keys of any length.
    #[allow(clippy::unwrap_used)]
    let mut mac = <Hmac<Sha3_256> as Mac>::new_from_slice(key.expose()).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Checks an HMAC-SHA3-256 tag in constant time.
pub fn verify_mac(key: &MacKey, data: &[u8], tag: &[u8]) -> bool {
    // unwrap: HMAC accepts keys of any length.
    #[allow(clippy::unwrap_used)]
    let mut mac = <Hmac<Sha3_256> as Mac>::new_from_slice(key.expose()).unwrap();
    mac.update(data);
    mac.verify_slice(tag).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_key_is_symmetric_and_bound_to_everything() {
        let shared = [9u8; 32];
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let ab = pairwise_key(&shared, 7, (1500, &a), (2500, &b));
        let ba = pairwise_key(&shared, 7, (2500, &b), (1500, &a));
        assert_eq!(ab, ba);
        assert_ne!(ab, pairwise_key(&shared, 8, (1500, &a), (2500, &b)), "room");
        assert_ne!(
            ab,
            pairwise_key(&shared, 7, (1501, &a), (2500, &b)),
            "member"
        );
        assert_ne!(
            ab,
            pairwise_key(&[8; 32], 7, (1500, &a), (2500, &b)),
            "secret"
        );
    }

    #[test]
    fn chain_steps_and_message_keys_differ() {
        let ck = ChainKey::new([3; 32]);
        let next = next_chain_key(&ck);
        let (mk, nonce) = message_key(&ck);
        assert_ne!(next.expose(), mk.expose());
        assert_ne!(message_key(&next).1, nonce);
    }

    #[test]
    fn mac_verifies_only_its_own_data() {
        let key = room_mac_key(&RoomSecret::new([4; 16]));
        let tag = mac(&key, b"data");
        assert!(verify_mac(&key, b"data", &tag));
        assert!(!verify_mac(&key, b"date", &tag));
        assert!(!verify_mac(
            &room_mac_key(&RoomSecret::new([5; 16])),
            b"data",
            &tag
        ));
    }
}
