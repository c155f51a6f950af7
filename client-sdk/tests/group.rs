//! libsignal-style group tests of the session state machine, over an in-memory room.

mod support;

use anoghost_sdk::crypto::announce::Verification;
use anoghost_sdk::crypto::chain::{MAX_FORWARD_JUMP, MAX_SKIPPED_KEYS};
use anoghost_sdk::crypto::secret::RoomSecret;
use anoghost_sdk::crypto::session::{RoomSession, SessionEvent};
use anoghost_sdk::crypto::CryptoError;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use support::sim::{SimRoom, ROOM};

const ALICE: u16 = 1111;
const BOB: u16 = 2222;
const CAROL: u16 = 3333;
const DAVE: u16 = 4444;

fn room_of(members: &[u16]) -> SimRoom {
    let mut room = SimRoom::new(Some(RoomSecret::new([9; 16])));
    for member in members {
        room.join(*member);
    }
    room
}

#[test]
fn everyone_reads_everyone_after_joining() {
    let mut room = room_of(&[ALICE, BOB, CAROL]);
    room.say(ALICE, "hi from alice");
    room.say(CAROL, "hi from carol");
    assert_eq!(
        room.read_by(BOB),
        vec![
            (ALICE, "hi from alice".into()),
            (CAROL, "hi from carol".into())
        ]
    );
    assert_eq!(room.read_by(CAROL), vec![(ALICE, "hi from alice".into())]);
    assert_eq!(room.read_by(ALICE), vec![(CAROL, "hi from carol".into())]);
}

#[test]
fn duplicate_message_is_rejected() {
    let mut room = room_of(&[ALICE, BOB]);
    let payload = room.encrypt(ALICE, "once");
    room.deliver_to(BOB, ALICE, &payload).unwrap();
    assert_eq!(
        room.deliver_to(BOB, ALICE, &payload),
        Err(CryptoError::Replay)
    );
    assert_eq!(room.read_by(BOB).len(), 1);
}

#[test]
fn hundred_shuffled_messages_all_decrypt() {
    let mut room = room_of(&[ALICE, BOB]);
    let mut payloads: Vec<(usize, Vec<u8>)> = (0..100)
        .map(|i| (i, room.encrypt(ALICE, &format!("message {i}"))))
        .collect();
    payloads.shuffle(&mut rand::rngs::StdRng::seed_from_u64(7));
    for (_, payload) in &payloads {
        room.deliver_to(BOB, ALICE, payload).unwrap();
    }
    let mut read: Vec<String> = room
        .read_by(BOB)
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    read.sort_by_key(|text| text[8..].parse::<usize>().unwrap());
    let expected: Vec<String> = (0..100).map(|i| format!("message {i}")).collect();
    assert_eq!(read, expected);
}

#[test]
fn jump_past_the_cap_is_refused() {
    let mut room = room_of(&[ALICE, BOB]);
    let mut last = Vec::new();
    for _ in 0..=MAX_FORWARD_JUMP + 1 {
        last = room.encrypt(ALICE, "x");
    }
    assert_eq!(
        room.deliver_to(BOB, ALICE, &last),
        Err(CryptoError::JumpTooFar)
    );
}

#[test]
fn old_skipped_keys_are_evicted() {
    let mut room = room_of(&[ALICE, BOB]);
    let payloads: Vec<Vec<u8>> = (0..MAX_SKIPPED_KEYS + 100)
        .map(|i| room.encrypt(ALICE, &i.to_string()))
        .collect();
    room.deliver_to(BOB, ALICE, payloads.last().unwrap())
        .unwrap();
    assert_eq!(
        room.deliver_to(BOB, ALICE, &payloads[0]),
        Err(CryptoError::Replay)
    );
    assert_eq!(
        room.deliver_to(BOB, ALICE, &payloads[98]),
        Err(CryptoError::Replay)
    );
    room.deliver_to(BOB, ALICE, &payloads[99]).unwrap();
    room.deliver_to(BOB, ALICE, &payloads[MAX_SKIPPED_KEYS + 98])
        .unwrap();
}

#[test]
fn late_joiner_cannot_read_earlier_messages() {
    let mut room = room_of(&[ALICE, BOB]);
    let before = room.encrypt(ALICE, "before carol");
    room.broadcast(ALICE, before.clone());
    room.join(CAROL);
    assert!(room.deliver_to(CAROL, ALICE, &before).is_err());
    assert!(room.read_by(CAROL).is_empty());
    room.say(ALICE, "after carol");
    assert_eq!(room.read_by(CAROL), vec![(ALICE, "after carol".into())]);
}

#[test]
fn leaver_cannot_read_later_messages() {
    let mut room = room_of(&[ALICE, BOB, CAROL]);
    room.say(ALICE, "while carol is here");
    let mut carol = room.leave(CAROL);
    let after = room.encrypt(ALICE, "after carol left");
    room.broadcast(ALICE, after.clone());
    assert_eq!(
        carol.receive(ALICE, &after, &mut OsRng).err(),
        Some(CryptoError::UnknownChain),
        "carol's old copy of alice's chain does not open the new one"
    );
    assert_eq!(
        room.read_by(BOB),
        vec![
            (ALICE, "while carol is here".into()),
            (ALICE, "after carol left".into())
        ]
    );
}

#[test]
fn member_signing_as_another_is_rejected() {
    let mut room = room_of(&[ALICE, BOB, CAROL]);
    // Bob writes a message and a malicious relay stamps it as Alice's.
    let forged = room.encrypt(BOB, "I am alice, trust me");
    assert_eq!(
        room.deliver_to(CAROL, ALICE, &forged),
        Err(CryptoError::BadSignature)
    );
    assert!(room.read_by(CAROL).is_empty());
}

#[test]
fn key_substituted_by_a_malicious_relay_is_detected_with_the_room_secret() {
    let secret = RoomSecret::new([9; 16]);
    let (mut alice, _) = RoomSession::join(ROOM, ALICE, &[], Some(&secret), &mut OsRng);
    let (_, genuine) = RoomSession::join(ROOM, BOB, &[ALICE], Some(&secret), &mut OsRng);
    // The relay keeps Bob's MAC but swaps in a key pair it controls, correctly self-signed.
    let (_, relay_own) = RoomSession::join(ROOM, BOB, &[ALICE], None, &mut OsRng);
    let mut forged = relay_own[..68].to_vec();
    forged[1] = 0x01;
    forged.extend_from_slice(&genuine[68..100]);
    forged.extend_from_slice(&relay_own[68..]);
    let outcome = alice.receive(BOB, &forged, &mut OsRng).unwrap();
    assert!(matches!(
        outcome.events.as_slice(),
        [SessionEvent::PeerRejected {
            member: BOB,
            reason: CryptoError::BadSignature | CryptoError::BadMac
        }]
    ));
    assert!(
        outcome.outgoing.is_empty(),
        "nothing is sent to an impostor"
    );
    assert!(alice.rejected().any(|m| m == BOB));

    // The genuine announcement is accepted as verified by the room secret.
    let (mut carol, _) = RoomSession::join(ROOM, CAROL, &[], Some(&secret), &mut OsRng);
    let outcome = carol.receive(BOB, &genuine, &mut OsRng).unwrap();
    assert!(outcome.events.contains(&SessionEvent::PeerKeys {
        member: BOB,
        verification: Verification::RoomSecret
    }));
}

#[test]
fn without_a_secret_substitution_shows_up_in_safety_numbers() {
    let mut room = SimRoom::new(None);
    room.join(ALICE);
    room.join(BOB);
    let alice_view = room.sessions[&ALICE].safety_number(BOB).unwrap();
    let bob_view = room.sessions[&BOB].safety_number(ALICE).unwrap();
    assert_eq!(
        alice_view, bob_view,
        "honest relay: both sides see the same number"
    );
    assert!(room.events[&ALICE].contains(&SessionEvent::PeerKeys {
        member: BOB,
        verification: Verification::Unverified
    }));

    // A relay that answers each side with its own keys makes the numbers differ.
    let (mut alice, _) = RoomSession::join(ROOM, ALICE, &[], None, &mut OsRng);
    let (_, fake_bob) = RoomSession::join(ROOM, BOB, &[ALICE], None, &mut OsRng);
    let (bob, _) = RoomSession::join(ROOM, BOB, &[ALICE], None, &mut OsRng);
    alice.receive(BOB, &fake_bob, &mut OsRng).unwrap();
    let alice_number = alice.safety_number(BOB).unwrap();
    let honest_number = anoghost_sdk::crypto::safety::safety_number(&alice.public(), &bob.public());
    assert_ne!(alice_number, honest_number);
}

#[test]
fn rejoining_member_gets_fresh_keys() {
    let mut room = room_of(&[ALICE, BOB]);
    let before = room.sessions[&BOB].public();
    room.leave(BOB);
    room.join(BOB);
    assert_ne!(room.sessions[&BOB].public(), before);
    room.say(BOB, "back again");
    assert_eq!(room.read_by(ALICE), vec![(BOB, "back again".into())]);
}

#[test]
fn four_members_with_churn_keep_talking() {
    let mut room = room_of(&[ALICE, BOB, CAROL]);
    room.join(DAVE);
    room.leave(BOB);
    room.say(DAVE, "dave here");
    room.say(CAROL, "carol here");
    assert!(room.read_by(ALICE).contains(&(DAVE, "dave here".into())));
    assert!(room.read_by(ALICE).contains(&(CAROL, "carol here".into())));
    assert!(room.read_by(DAVE).contains(&(CAROL, "carol here".into())));
}
