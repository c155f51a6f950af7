//! The `room` field of a key: which room the key opens, readable only with the master key
//! and the room's tag.
//!
//! ```text
//! binding = key id (1) | HMAC-SHA256(K, mint address (32))
//! K       = HKDF-SHA256(ikm = master key of that id, salt = "anoghost/room-binding/v1",
//!                       info = room tag (32))
//! ```
//!
//! At join the holder names the room tag; the gateway recomputes the MAC for the key's mint
//! and compares in constant time. Someone who steals the master key but knows no room tag
//! cannot tell which keys share a room (the MAC is keyed per room); a member, who knows one
//! room's tag, cannot test keys against it without the master key. The key id selects the
//! master key, so bindings made before a rotation still verify.

use anchor_lang::prelude::Pubkey;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::master_keys::MasterKeys;
use super::RoomTag;
use crate::secret::SecretBytes32;

/// Bytes of a binding: key id and MAC.
pub const BINDING_LEN: usize = 33;
const SALT: &[u8] = b"anoghost/room-binding/v1";

type HmacSha256 = Hmac<Sha256>;

fn mac(master: &SecretBytes32, tag: &RoomTag, mint: &Pubkey) -> HmacSha256 {
    let mut room_key = Zeroizing::new([0u8; 32]);
    // unwrap: 32 bytes is far below HKDF-SHA256's output limit (255 × 32).
    #[allow(clippy::unwrap_used)]
    Hkdf::<Sha256>::new(Some(SALT), master.expose())
        .expand(tag, room_key.as_mut())
        .unwrap();
    // unwrap: HMAC takes keys of any length.
    #[allow(clippy::unwrap_used)]
    let mut mac = HmacSha256::new_from_slice(room_key.as_ref()).unwrap();
    mac.update(mint.as_ref());
    mac
}

/// The binding of the key at `mint` to the room with `tag`, under the current master key.
pub fn bind(keys: &MasterKeys, tag: &RoomTag, mint: &Pubkey) -> [u8; BINDING_LEN] {
    let (key_id, master) = keys.current();
    let mut binding = [0u8; BINDING_LEN];
    binding[0] = key_id;
    binding[1..].copy_from_slice(&mac(master, tag, mint).finalize().into_bytes());
    binding
}

/// Whether `binding` binds the key at `mint` to the room with `tag`, under a master key
/// this gateway holds.
pub fn verifies(
    keys: &MasterKeys,
    tag: &RoomTag,
    mint: &Pubkey,
    binding: &[u8; BINDING_LEN],
) -> bool {
    let Some(master) = keys.key(binding[0]) else {
        return false;
    };
    mac(master, tag, mint).verify_slice(&binding[1..]).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(id: u8, byte: u8) -> MasterKeys {
        MasterKeys::new(id, SecretBytes32::new([byte; 32]), Vec::new())
    }

    fn tag() -> RoomTag {
        std::array::from_fn(|i| i as u8)
    }

    #[test]
    fn binding_matches_an_independent_hkdf_and_hmac() {
        // Computed with Python's hmac and hashlib (RFC 5869 HKDF written out by hand).
        let expected = "013e8b300b9692bb5a720df656c368b6a12d93cfa189ac3534f9c8ce985d90817d";
        let binding = bind(&keys(1, 0x42), &tag(), &Pubkey::new_from_array([7; 32]));
        let hex: String = binding.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, expected);
    }

    #[test]
    fn a_binding_verifies_only_for_its_room_mint_and_master_key() {
        let keys = keys(1, 0x42);
        let mint = Pubkey::new_from_array([7; 32]);
        let binding = bind(&keys, &tag(), &mint);
        assert!(verifies(&keys, &tag(), &mint, &binding));
        assert!(!verifies(&keys, &[9; 32], &mint, &binding), "another room");
        let other_mint = Pubkey::new_from_array([8; 32]);
        assert!(
            !verifies(&keys, &tag(), &other_mint, &binding),
            "another key"
        );
        assert!(
            !verifies(&self::keys(1, 0x43), &tag(), &mint, &binding),
            "another master key"
        );
        for bit in 0..BINDING_LEN * 8 {
            let mut flipped = binding;
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert!(!verifies(&keys, &tag(), &mint, &flipped), "bit {bit}");
        }
    }

    #[test]
    fn a_rotated_gateway_verifies_old_bindings_by_key_id() {
        let old = keys(1, 0x42);
        let mint = Pubkey::new_from_array([7; 32]);
        let binding = bind(&old, &tag(), &mint);
        let rotated = MasterKeys::new(
            2,
            SecretBytes32::new([0x43; 32]),
            vec![(1, SecretBytes32::new([0x42; 32]))],
        );
        assert!(verifies(&rotated, &tag(), &mint, &binding));
        assert_eq!(bind(&rotated, &tag(), &mint)[0], 2);
        assert!(
            !verifies(&keys(2, 0x43), &tag(), &mint, &binding),
            "key 1 forgotten"
        );
    }
}
