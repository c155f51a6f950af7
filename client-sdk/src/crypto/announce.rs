//! Key announcements. A member announces its keys when it joins and in reply to a newcomer's
//! announcement.
//!
//! ```text
//! announce = 0x01 | flags (1) | member (2, BE) | x25519 (32) | ed25519 (32) | [mac (32)] | signature (64)
//! flags bit 0: a MAC is present
//! mac       = HMAC-SHA3-256(room MAC key, "anoghost/announce/v1" | room (4, BE) | member | x25519 | ed25519)
//! signature = Ed25519(ed25519 key, "anoghost/announce/v1" | room (4, BE) | every byte before the signature)
//! ```

use super::identity::{verify, MemberKeys, MemberPublic};
use super::kdf::{mac, verify_mac};
use super::secret::MacKey;
use super::{CryptoError, KIND_ANNOUNCE};

/// Signature and MAC context of announcements.
pub const ANNOUNCE_CONTEXT: &[u8] = b"anoghost/announce/v1";
const FLAG_MAC: u8 = 0x01;
const BODY_LEN: usize = 1 + 1 + 2 + 32 + 32;

/// How far an announcement could be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The MAC under the room secret verified: these keys come from someone holding the
    /// invite, not from the relay.
    RoomSecret,
    /// No room secret: compare safety numbers to be sure.
    Unverified,
}

fn mac_input(room: u32, member: u16, public: &MemberPublic) -> Vec<u8> {
    let mut input = Vec::with_capacity(ANNOUNCE_CONTEXT.len() + 4 + 2 + 64);
    input.extend_from_slice(ANNOUNCE_CONTEXT);
    input.extend_from_slice(&room.to_be_bytes());
    input.extend_from_slice(&member.to_be_bytes());
    input.extend_from_slice(&public.x25519);
    input.extend_from_slice(&public.ed25519);
    input
}

fn signed_input(room: u32, unsigned: &[u8]) -> Vec<u8> {
    let mut input = Vec::with_capacity(ANNOUNCE_CONTEXT.len() + 4 + unsigned.len());
    input.extend_from_slice(ANNOUNCE_CONTEXT);
    input.extend_from_slice(&room.to_be_bytes());
    input.extend_from_slice(unsigned);
    input
}

/// Builds `member`'s announcement of `keys` in `room`, MACed when there is a room MAC key.
pub fn encode(room: u32, member: u16, keys: &MemberKeys, mac_key: Option<&MacKey>) -> Vec<u8> {
    let public = keys.public();
    let mut payload = Vec::with_capacity(BODY_LEN + 32 + 64);
    payload.push(KIND_ANNOUNCE);
    payload.push(if mac_key.is_some() { FLAG_MAC } else { 0 });
    payload.extend_from_slice(&member.to_be_bytes());
    payload.extend_from_slice(&public.x25519);
    payload.extend_from_slice(&public.ed25519);
    if let Some(key) = mac_key {
        payload.extend_from_slice(&mac(key, &mac_input(room, member, &public)));
    }
    let signature = keys.sign(&signed_input(room, &payload));
    payload.extend_from_slice(&signature);
    payload
}

/// Checks an announcement relayed from `sender` in `room` and returns the announced keys.
pub fn decode(
    room: u32,
    sender: u16,
    payload: &[u8],
    mac_key: Option<&MacKey>,
) -> Result<(MemberPublic, Verification), CryptoError> {
    if payload.len() < BODY_LEN + 64 || payload[0] != KIND_ANNOUNCE {
        return Err(CryptoError::Malformed);
    }
    let flags = payload[1];
    let has_mac = match flags {
        0 => false,
        FLAG_MAC => true,
        _ => return Err(CryptoError::Malformed),
    };
    let expected_len = BODY_LEN + if has_mac { 32 } else { 0 } + 64;
    if payload.len() != expected_len {
        return Err(CryptoError::Malformed);
    }
    let member = u16::from_be_bytes([payload[2], payload[3]]);
    if member != sender {
        return Err(CryptoError::WrongMember);
    }
    let mut public = MemberPublic {
        x25519: [0; 32],
        ed25519: [0; 32],
    };
    public.x25519.copy_from_slice(&payload[4..36]);
    public.ed25519.copy_from_slice(&payload[36..68]);
    let (unsigned, signature) = payload.split_at(expected_len - 64);
    verify(&public.ed25519, &signed_input(room, unsigned), signature)?;
    let verification = match (mac_key, has_mac) {
        (Some(key), true) => {
            if !verify_mac(key, &mac_input(room, member, &public), &payload[68..100]) {
                return Err(CryptoError::BadMac);
            }
            Verification::RoomSecret
        }
        (Some(_), false) => return Err(CryptoError::MissingMac),
        (None, _) => Verification::Unverified,
    };
    Ok((public, verification))
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;
    use crate::crypto::kdf::room_mac_key;
    use crate::crypto::secret::RoomSecret;

    #[test]
    fn announcement_round_trips_with_and_without_mac() {
        let keys = MemberKeys::generate(&mut OsRng);
        let mac_key = room_mac_key(&RoomSecret::new([1; 16]));
        let with_mac = encode(9, 4821, &keys, Some(&mac_key));
        assert_eq!(
            decode(9, 4821, &with_mac, Some(&mac_key)),
            Ok((keys.public(), Verification::RoomSecret))
        );
        let without = encode(9, 4821, &keys, None);
        assert_eq!(
            decode(9, 4821, &without, None),
            Ok((keys.public(), Verification::Unverified))
        );
        assert_eq!(
            decode(9, 4821, &without, Some(&mac_key)),
            Err(CryptoError::MissingMac)
        );
    }

    #[test]
    fn relay_substituting_keys_is_detected_by_the_mac() {
        let member = MemberKeys::generate(&mut OsRng);
        let relay = MemberKeys::generate(&mut OsRng);
        let mac_key = room_mac_key(&RoomSecret::new([1; 16]));
        let genuine = encode(9, 4821, &member, Some(&mac_key));
        // The relay swaps in its own keys, keeps the MAC and re-signs with its own key.
        let mut forged = genuine[..68].to_vec();
        forged[4..36].copy_from_slice(&relay.public().x25519);
        forged[36..68].copy_from_slice(&relay.public().ed25519);
        forged.extend_from_slice(&genuine[68..100]);
        let signature = relay.sign(&signed_input(9, &forged));
        forged.extend_from_slice(&signature);
        assert_eq!(
            decode(9, 4821, &forged, Some(&mac_key)),
            Err(CryptoError::BadMac)
        );
    }

    #[test]
    fn announcement_under_another_member_number_or_room_is_refused() {
        let keys = MemberKeys::generate(&mut OsRng);
        let payload = encode(9, 4821, &keys, None);
        assert_eq!(
            decode(9, 1234, &payload, None),
            Err(CryptoError::WrongMember)
        );
        assert_eq!(
            decode(10, 4821, &payload, None),
            Err(CryptoError::BadSignature)
        );
    }
}
