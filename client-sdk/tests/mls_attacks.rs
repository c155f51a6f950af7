//! What a malicious gateway (or a member working with it) tries, and how the group refuses
//! it. Each test is an attack that worked on the first design's sender keys; here the
//! in-memory Delivery Service of `anoghost_sdk::mls::testing` plays the gateway, because the real one
//! cannot be made to misbehave. The members are real OpenMLS groups.
// A test panics on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use anoghost_protocol::frame::FrameKind;
use anoghost_sdk::mls::identity::MlsIdentity;
use anoghost_sdk::mls::join_request::JoinRequest;
use anoghost_sdk::mls::settings::MAX_ROOM_FILE_LIMIT;
use anoghost_sdk::mls::testing::{Delivered, Ds};
use anoghost_sdk::mls::{Admission, MlsError, RoomEvent, RoomKeys, RoomSecret, RoomSettings};

const ALICE: u16 = 1111;
const BOB: u16 = 2222;
const CAROL: u16 = 3333;
const DAVE: u16 = 4444;
const MALLORY: u16 = 6666;

fn room_of(members: &[u16]) -> Ds {
    let mut ds = Ds::new(members[0], [7; 16], Admission::Open);
    for member in &members[1..] {
        ds.join(*member);
        ds.run();
    }
    ds
}

fn refused_with(ds: &Ds, member: u16, expected: &MlsError) -> bool {
    ds.events
        .get(&member)
        .into_iter()
        .flatten()
        .any(|e| matches!(e, RoomEvent::Refused { reason, .. } if reason == expected))
}

fn refused_by_mls(ds: &Ds, member: u16, text: &str) -> bool {
    ds.refusals(member)
        .iter()
        .any(|(_, reason)| reason.contains(text))
}

#[test]
fn a_replayed_application_message_is_refused() {
    let mut ds = room_of(&[ALICE, BOB]);
    ds.say(ALICE, "pay bob 1 SOL");
    let message = ds.last_delivered(BOB, FrameKind::Group);
    ds.inject(BOB, message);
    ds.run();
    assert_eq!(
        ds.texts(BOB),
        vec![(ALICE, "pay bob 1 SOL".to_owned())],
        "shown once"
    );
    assert!(
        refused_by_mls(&ds, BOB, "SecretReuseError"),
        "{:?}",
        ds.refusals(BOB)
    );
}

#[test]
fn a_replayed_commit_is_refused_and_changes_nothing() {
    let mut ds = room_of(&[ALICE, BOB, CAROL]);
    let commit = ds.last_delivered(BOB, FrameKind::Group);
    let epoch = ds.members[&BOB].epoch();
    ds.inject(BOB, commit);
    ds.run();
    assert_eq!(ds.members[&BOB].epoch(), epoch);
    assert!(
        refused_by_mls(&ds, BOB, "WrongEpoch"),
        "{:?}",
        ds.refusals(BOB)
    );
    ds.say(ALICE, "still in step");
    assert_eq!(ds.texts(BOB).last().unwrap().1, "still in step");
}

#[test]
fn a_replayed_welcome_is_refused_by_its_member_and_useless_to_anyone_else() {
    let mut ds = room_of(&[ALICE, BOB]);
    let welcome = ds.last_delivered(BOB, FrameKind::Welcome);
    let epoch = ds.members[&BOB].epoch();
    ds.inject(BOB, welcome.clone());
    ds.run();
    assert_eq!(
        ds.members[&BOB].epoch(),
        epoch,
        "bob ignores it: he is in the group"
    );
    // Dave, waiting to be let in, is handed Bob's Welcome: it is not for his KeyPackage.
    ds.withhold_left = true;
    ds.join(DAVE);
    ds.inject(DAVE, welcome);
    ds.step();
    ds.step();
    ds.step();
    assert!(!ds.members[&DAVE].in_group());
    assert!(!ds.refusals(DAVE).is_empty(), "dave refused it");
}

#[test]
fn the_gateway_cannot_invent_a_member_it_gets_no_welcome_and_reads_nothing() {
    // The gateway lets a connection of its own into the room (a paid room's key, or a free
    // room's code, is all it needs there) but it does not hold the room's secret.
    let mut ds = room_of(&[ALICE, BOB]);
    ds.join_with(MALLORY, &RoomSecret::new([9; 16]));
    ds.run();
    ds.tick(Duration::from_secs(10));
    assert!(refused_with(&ds, ALICE, &MlsError::BadJoinProof));
    assert!(!ds.members[&MALLORY].in_group());
    assert_eq!(ds.roster(ALICE), vec![ALICE, BOB], "nobody added it");
    assert!(
        !ds.delivered
            .get(&MALLORY)
            .into_iter()
            .flatten()
            .any(|f| f.kind == FrameKind::Welcome),
        "no Welcome was sent to it"
    );
    ds.say(ALICE, "not for mallory");
    assert!(ds.texts(MALLORY).is_empty(), "it reads nothing");
}

#[test]
fn a_welcome_that_does_not_prove_the_rooms_secret_is_refused() {
    let mut ds = room_of(&[ALICE, BOB]);
    ds.held_welcomes = Some(Vec::new());
    ds.join(CAROL);
    ds.run();
    let (to, mut welcome) = ds.held_welcomes.take().unwrap().pop().unwrap();
    assert_eq!(to, CAROL);
    // The group proof is the last 32 bytes: a gateway that made up a group, or altered this
    // one, cannot produce it without the room's secret.
    let last = welcome.payload.len() - 1;
    welcome.payload[last] ^= 1;
    ds.inject(CAROL, welcome);
    ds.run();
    assert!(refused_with(&ds, CAROL, &MlsError::ForgedWelcome));
    assert!(!ds.members[&CAROL].in_group());
}

#[test]
fn a_withheld_leave_keeps_the_leaver_in_every_roster_and_once_removed_it_reads_nothing_new() {
    let mut ds = room_of(&[ALICE, BOB, CAROL]);
    ds.withhold_left = true;
    let mut carol = ds.disconnect(CAROL);
    ds.tick(Duration::from_secs(10));
    for member in [ALICE, BOB] {
        assert_eq!(
            ds.roster(member),
            vec![ALICE, BOB, CAROL],
            "the gateway hid the leave, and every roster still shows carol"
        );
    }
    // The leave becomes known (the gateway tells, or a member drops carol); she is removed
    // by commit, and whatever she kept opens nothing sent afterwards.
    ds.announce_left(ALICE, CAROL);
    ds.announce_left(BOB, CAROL);
    ds.run();
    assert_eq!(ds.roster(ALICE), vec![ALICE, BOB]);
    let removal = ds.last_delivered(BOB, FrameKind::Group);
    let out = carol.on_frame(removal.sender, removal.kind, &removal.payload);
    assert!(out.events.contains(&RoomEvent::Removed), "{:?}", out.events);
    ds.say(ALICE, "after carol left");
    let later = ds.last_delivered(BOB, FrameKind::Group);
    let out = carol.on_frame(later.sender, later.kind, &later.payload);
    assert!(
        !out.events
            .iter()
            .any(|e| matches!(e, RoomEvent::Message { .. })),
        "{:?}",
        out.events
    );
}

#[test]
fn a_leavers_replayed_join_request_does_not_readmit_it() {
    let mut ds = Ds::new(ALICE, [7; 16], Admission::Open);
    ds.join(BOB);
    ds.run();
    ds.join(CAROL);
    ds.run();
    let old_request = ds.last_delivered(ALICE, FrameKind::JoinRequest);
    assert_eq!(old_request.sender, CAROL);
    ds.disconnect(CAROL);
    ds.run();
    assert_eq!(ds.roster(ALICE), vec![ALICE, BOB]);
    // The gateway gives the number to a connection of its own, and replays Carol's old
    // request, whose KeyPackage Carol (working with it) can still open.
    ds.announce_joined(ALICE, CAROL);
    ds.announce_joined(BOB, CAROL);
    ds.run();
    ds.inject(ALICE, old_request);
    ds.run();
    ds.tick(Duration::from_secs(10));
    assert!(refused_with(&ds, ALICE, &MlsError::UnchallengedJoinRequest));
    assert_eq!(ds.roster(ALICE), vec![ALICE, BOB], "not readmitted");
    assert_eq!(ds.roster(BOB), vec![ALICE, BOB]);
}

#[test]
fn an_invite_holder_cannot_take_over_another_members_place() {
    let mut ds = room_of(&[ALICE, BOB]);
    // Mallory holds the invite. Challenged under her own number, she answers with a valid
    // proof of the secret for that number, but with a KeyPackage that names Bob.
    ds.withhold_left = true;
    let secret = ds.secret.clone();
    ds.join(MALLORY);
    ds.take(MALLORY);
    ds.run();
    let challenge = ds
        .delivered
        .get(&MALLORY)
        .into_iter()
        .flatten()
        .find(|f| f.kind == FrameKind::Challenge)
        .cloned();
    let challenge = match challenge {
        Some(challenge) => challenge,
        None => {
            // The challenge went to Mallory's connection, which the test took over: read it
            // from what Alice sent.
            let (to, frame) = ds.sent_challenges().pop().unwrap();
            assert_eq!(to, MALLORY);
            frame
        }
    };
    let nonce: [u8; 16] = challenge.payload.as_slice().try_into().unwrap();
    let as_bob = MlsIdentity::generate(BOB)
        .unwrap()
        .key_package(now())
        .unwrap();
    let request = JoinRequest::new(&RoomKeys::derive(&secret), MALLORY, nonce, as_bob);
    ds.inject(
        ALICE,
        Delivered {
            sender: MALLORY,
            kind: FrameKind::JoinRequest,
            payload: request.encode(),
        },
    );
    ds.run();
    assert!(refused_with(&ds, ALICE, &MlsError::WrongIdentity));
    assert_eq!(ds.roster(ALICE), vec![ALICE, BOB]);

    // Let in as herself, she sends a message the gateway stamps with Bob's number.
    let mut ds = room_of(&[ALICE, BOB, MALLORY]);
    let out = ds
        .members
        .get_mut(&MALLORY)
        .unwrap()
        .send_text("I am bob", 0)
        .unwrap();
    let frame = out.frames.into_iter().next().unwrap();
    ds.inject(
        ALICE,
        Delivered {
            sender: BOB,
            kind: frame.kind,
            payload: frame.payload,
        },
    );
    ds.run();
    assert!(refused_with(&ds, ALICE, &MlsError::SenderMismatch));
    assert!(ds.texts(ALICE).is_empty(), "nothing is shown as Bob's");
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn a_late_joiner_cannot_read_what_was_sent_before_it_joined() {
    let mut ds = room_of(&[ALICE, BOB]);
    ds.say(ALICE, "before dave");
    let earlier = ds.last_delivered(BOB, FrameKind::Group);
    ds.join(DAVE);
    ds.run();
    assert!(ds.members[&DAVE].in_group());
    ds.inject(DAVE, earlier);
    ds.run();
    assert!(ds.texts(DAVE).is_empty());
    assert!(!ds.refusals(DAVE).is_empty(), "refused, not shown");
}

#[test]
fn in_knock_mode_an_add_by_anyone_but_the_creator_is_refused() {
    let mut ds = Ds::new(ALICE, [8; 16], Admission::Knock);
    // Bob's client ignores knock mode (or the gateway talked it out of it).
    let secret = ds.secret.clone();
    ds.join_as(BOB, BOB, &secret, Admission::Open);
    ds.run();
    let out = ds.members.get_mut(&ALICE).unwrap().approve(BOB);
    ds.route(ALICE, out);
    ds.run();
    assert!(ds.members[&BOB].in_group());
    // Carol knocks; the creator says nothing; Bob's timer runs out and he adds her himself.
    ds.join(CAROL);
    ds.run();
    ds.tick(Duration::from_secs(10));
    assert!(ds.roster(BOB).contains(&CAROL), "Bob did commit the add");
    assert!(refused_with(
        &ds,
        ALICE,
        &MlsError::RuleBroken("an add not by the room's creator")
    ));
    assert!(
        !ds.roster(ALICE).contains(&CAROL),
        "the creator never let Carol in"
    );
}

#[test]
fn a_member_cannot_change_the_file_limit_the_rooms_creator_set() {
    let mut ds = room_of(&[ALICE, BOB, CAROL]);
    // Bob commits a GroupContextExtensions proposal raising the limit for everyone.
    let raised = RoomSettings::with_max_file_bytes(MAX_ROOM_FILE_LIMIT).unwrap();
    let out = ds
        .members
        .get_mut(&BOB)
        .unwrap()
        .commit_settings_change(raised);
    ds.route(BOB, out);
    ds.run();
    for member in [ALICE, CAROL] {
        assert!(refused_with(
            &ds,
            member,
            &MlsError::RuleBroken("a change of the room's settings")
        ));
        assert_eq!(ds.members[&member].settings(), RoomSettings::default());
    }
}
