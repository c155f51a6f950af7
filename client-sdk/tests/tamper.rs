//! Tampering: one test per header field and per ciphertext region of each payload kind.
//! Every tampered payload must be refused, and the genuine one must still decrypt after.

mod support;

use anoghost_sdk::crypto::secret::RoomSecret;
use anoghost_sdk::crypto::CryptoError;
use proptest::prelude::*;
use support::sim::SimRoom;

const ALICE: u16 = 1111;
const BOB: u16 = 2222;

fn pair() -> SimRoom {
    let mut room = SimRoom::new(Some(RoomSecret::new([9; 16])));
    room.join(ALICE);
    room.join(BOB);
    room
}

/// Flips one bit at `offset` (negative: from the end) and checks the refusal, then checks
/// that the untouched message still decrypts (nothing was consumed by the forgery).
fn assert_flip_refused(offset: isize, expected: &[CryptoError]) {
    let mut room = pair();
    let genuine = room.encrypt(ALICE, "the genuine message");
    let mut tampered = genuine.clone();
    let at = if offset < 0 {
        (tampered.len() as isize + offset) as usize
    } else {
        offset as usize
    };
    tampered[at] ^= 0x01;
    let result = room.deliver_to(BOB, ALICE, &tampered);
    let error = result.expect_err("tampered payload accepted");
    assert!(expected.contains(&error), "offset {offset}: got {error:?}");
    room.deliver_to(BOB, ALICE, &genuine)
        .expect("genuine still decrypts");
}

#[test]
fn tampered_kind_byte_is_refused() {
    assert_flip_refused(0, &[CryptoError::Malformed, CryptoError::UnknownChain]);
}

#[test]
fn message_turned_into_an_announcement_does_not_discredit_its_sender() {
    // 0x03 ^ 0x02 = 0x01: the relay makes Alice's message look like a bad announcement.
    let mut room = pair();
    let mut tampered = room.encrypt(ALICE, "hello");
    tampered[0] ^= 0x02;
    assert!(room.deliver_to(BOB, ALICE, &tampered).is_err());
    assert!(room.sessions[&BOB].rejected().next().is_none());
    assert!(room.sessions[&BOB].can_read(ALICE));
}

#[test]
fn tampered_chain_id_is_refused() {
    assert_flip_refused(1, &[CryptoError::BadSignature]);
    assert_flip_refused(4, &[CryptoError::BadSignature]);
}

#[test]
fn tampered_index_is_refused() {
    assert_flip_refused(5, &[CryptoError::BadSignature]);
    assert_flip_refused(8, &[CryptoError::BadSignature]);
}

#[test]
fn tampered_ttl_is_refused() {
    assert_flip_refused(9, &[CryptoError::BadSignature]);
    assert_flip_refused(12, &[CryptoError::BadSignature]);
}

#[test]
fn tampered_ciphertext_body_is_refused() {
    assert_flip_refused(13, &[CryptoError::BadSignature]);
    assert_flip_refused(40, &[CryptoError::BadSignature]);
}

#[test]
fn tampered_gcm_tag_is_refused() {
    assert_flip_refused(-64 - 1, &[CryptoError::BadSignature]);
    assert_flip_refused(-64 - 16, &[CryptoError::BadSignature]);
}

#[test]
fn tampered_signature_is_refused() {
    assert_flip_refused(-1, &[CryptoError::BadSignature]);
    assert_flip_refused(-64, &[CryptoError::BadSignature]);
}

#[test]
fn truncated_or_extended_message_is_refused() {
    let mut room = pair();
    let genuine = room.encrypt(ALICE, "x");
    let short = &genuine[..genuine.len() - 1];
    assert!(room.deliver_to(BOB, ALICE, short).is_err());
    let mut long = genuine.clone();
    long.push(0);
    assert!(room.deliver_to(BOB, ALICE, &long).is_err());
    assert!(room.deliver_to(BOB, ALICE, &genuine[..10]).is_err());
    room.deliver_to(BOB, ALICE, &genuine).unwrap();
}

#[test]
fn message_moved_to_another_sender_is_refused() {
    let mut room = pair();
    room.join(3333);
    let genuine = room.encrypt(ALICE, "from alice");
    assert_eq!(
        room.deliver_to(BOB, 3333, &genuine),
        Err(CryptoError::BadSignature)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any single-bit flip anywhere in a message is refused.
    #[test]
    fn any_single_bit_flip_in_a_message_fails(bit in 0usize..(13 + 64 + 16 + 64) * 8) {
        let mut room = pair();
        let genuine = room.encrypt(ALICE, "proptest");
        let mut tampered = genuine.clone();
        let bit = bit % (tampered.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(room.deliver_to(BOB, ALICE, &tampered).is_err());
        prop_assert!(room.deliver_to(BOB, ALICE, &genuine).is_ok());
        prop_assert!(room.sessions[&BOB].rejected().next().is_none());
    }
}
