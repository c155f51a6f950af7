//! Opening a sealed invite (`client-sdk/src/paid/invite.rs`): an invitee's client opens the
//! 97 bytes written into each key it holds, bytes an initiator (or anyone who mints to the
//! holder) chose and an RPC node relayed.
//!
//! Inputs are invites sealed by the real `seal`, then damaged; plaintexts of any bytes
//! sealed with HPKE exactly as `seal` does, so the checks after decryption (length, name
//! length, UTF-8, padding) see every shape; and raw bytes.
//!
//! Invariants: opening never panics; a sealed invite opens to itself under its key and
//! under no other; damaged bytes never open; an HPKE plaintext opens exactly when it is a
//! room secret, a 1–32 byte UTF-8 name and zero padding, and then reads back those bytes.

use crate::Damage;
use anoghost_sdk::mls::RoomSecret;
use anoghost_sdk::paid::invite::{INVITE_INFO, MAX_NAME_LEN, SEALED_INVITE_LEN};
use anoghost_sdk::paid::{HolderRoot, InviteError, PaidInvite};
use arbitrary::Arbitrary;
use hpke::aead::AesGcm128;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, OpModeS, Serializable};
use rand::rngs::StdRng;
use rand::SeedableRng;

#[derive(Debug, Arbitrary)]
struct Input {
    root: [u8; 64],
    index: u32,
    secret: [u8; 16],
    name: String,
    seed: u64,
    probe: Probe,
}

#[derive(Debug, Arbitrary)]
enum Probe {
    /// The sealed invite, damaged.
    Damaged(Damage),
    /// Any plaintext, sealed to the right key as `seal` seals.
    Plaintext(Vec<u8>),
    /// Any 97 bytes.
    Bytes([u8; SEALED_INVITE_LEN]),
}

/// Whether `plaintext` is what `open` must accept: secret ‖ length ‖ name ‖ zero padding.
fn well_formed(plaintext: &[u8]) -> bool {
    if plaintext.len() != 16 + 1 + MAX_NAME_LEN {
        return false;
    }
    let len = usize::from(plaintext[16]);
    (1..=MAX_NAME_LEN).contains(&len)
        && std::str::from_utf8(&plaintext[17..17 + len]).is_ok()
        && plaintext[17 + len..].iter().all(|b| *b == 0)
}

fn run(input: Input) {
    let root = HolderRoot::from_signature(&input.root);
    let key = root.invite_key(input.index);
    let other = root.invite_key(input.index.wrapping_add(1));
    let rng = &mut StdRng::seed_from_u64(input.seed);
    let invite = PaidInvite {
        secret: RoomSecret::new(input.secret),
        name: input.name.clone(),
    };
    let sealed = match invite.seal(&key.public(), rng) {
        Ok(sealed) => sealed,
        Err(error) => {
            assert_eq!(error, InviteError::Name);
            assert!(input.name.is_empty() || input.name.len() > MAX_NAME_LEN);
            return;
        }
    };
    assert_eq!(PaidInvite::open(&sealed, &key), Ok(invite.clone()));
    assert_eq!(
        PaidInvite::open(&sealed, &other),
        Err(InviteError::DoesNotOpen)
    );
    match input.probe {
        Probe::Damaged(damage) => {
            let damaged = damage.applied(&sealed);
            let Ok(damaged) = <[u8; SEALED_INVITE_LEN]>::try_from(damaged.as_slice()) else {
                return;
            };
            let opened = PaidInvite::open(&damaged, &key);
            if damaged != sealed {
                assert!(opened.is_err(), "a damaged invite opened");
            }
        }
        Probe::Plaintext(plaintext) => {
            let public = <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&key.public().0)
                .expect("an invite public key is an X25519 key");
            let (encapped, ciphertext) =
                hpke::single_shot_seal::<AesGcm128, HkdfSha256, X25519HkdfSha256, _>(
                    &OpModeS::Base,
                    &public,
                    INVITE_INFO,
                    &plaintext,
                    &key.public().0,
                    rng,
                )
                .expect("HPKE seals any plaintext");
            let mut bytes = encapped.to_bytes().to_vec();
            bytes.extend_from_slice(&ciphertext);
            let Ok(bytes) = <[u8; SEALED_INVITE_LEN]>::try_from(bytes.as_slice()) else {
                return;
            };
            match PaidInvite::open(&bytes, &key) {
                Ok(opened) => {
                    assert!(well_formed(&plaintext), "a malformed invite opened");
                    assert_eq!(opened.secret.expose()[..], plaintext[..16]);
                    let len = usize::from(plaintext[16]);
                    assert_eq!(opened.name.as_bytes(), &plaintext[17..17 + len]);
                }
                Err(error) => {
                    assert_eq!(error, InviteError::Malformed);
                    assert!(!well_formed(&plaintext));
                }
            }
        }
        Probe::Bytes(bytes) => {
            if PaidInvite::open(&bytes, &key).is_ok() {
                assert_eq!(bytes, sealed, "bytes nobody sealed opened");
            }
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
