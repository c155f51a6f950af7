//! The room's group, member by member: joining by challenge and Welcome, chatting, leaving,
//! two commits racing, knock mode. The members are real OpenMLS groups; the gateway between
//! them is the in-memory Delivery Service of `anoghost_sdk::mls::testing` (see there why).

use std::time::Duration;

use anoghost_sdk::mls::content::DirectContent;
use anoghost_sdk::mls::testing::Ds;
use anoghost_sdk::mls::{Admission, RoomEvent};

const ALICE: u16 = 1111;
const BOB: u16 = 2222;
const CAROL: u16 = 3333;
const DAVE: u16 = 4444;

fn room_of(members: &[u16]) -> Ds {
    let mut ds = Ds::new(members[0], [7; 16], Admission::Open);
    for member in &members[1..] {
        ds.join(*member);
        ds.run();
    }
    ds
}

#[test]
fn newcomers_are_challenged_added_and_welcomed_and_everyone_sees_the_same_roster() {
    let mut ds = room_of(&[ALICE, BOB, CAROL]);
    for member in [ALICE, BOB, CAROL] {
        assert!(ds.members[&member].in_group(), "#{member} is in the group");
        assert_eq!(ds.roster(member), vec![ALICE, BOB, CAROL]);
    }
    let code = ds.members[&ALICE].safety_code();
    assert!(code.is_some());
    assert_eq!(
        ds.members[&BOB].safety_code(),
        code,
        "one safety code for all"
    );
    ds.say(BOB, "hello everyone");
    assert_eq!(ds.texts(ALICE), vec![(BOB, "hello everyone".to_owned())]);
    assert_eq!(ds.texts(CAROL), vec![(BOB, "hello everyone".to_owned())]);
    assert!(ds.texts(BOB).is_empty(), "the gateway never echoes");
    for member in [ALICE, BOB, CAROL] {
        assert!(ds.refusals(member).is_empty(), "{:?}", ds.refusals(member));
    }
}

#[test]
fn a_direct_message_opens_for_its_recipient_only() {
    let mut ds = room_of(&[ALICE, BOB, CAROL]);
    let out = ds
        .members
        .get_mut(&ALICE)
        .unwrap()
        .send_direct(BOB, &DirectContent::Text("for bob".into()))
        .unwrap();
    ds.route(ALICE, out);
    ds.run();
    let direct = |member| {
        ds.events[&member]
            .iter()
            .filter(|e| matches!(e, RoomEvent::Direct { .. }))
            .count()
    };
    assert_eq!(direct(BOB), 1);
    assert!(ds.events[&BOB].contains(&RoomEvent::Direct {
        from: ALICE,
        content: DirectContent::Text("for bob".into())
    }));
    assert_eq!(
        direct(CAROL),
        0,
        "carol received the message but cannot open it"
    );
}

#[test]
fn a_leaver_is_removed_by_commit_and_the_rest_go_on() {
    let mut ds = room_of(&[ALICE, BOB, CAROL]);
    let out = ds.members.get_mut(&CAROL).unwrap().leave();
    ds.route(CAROL, out);
    ds.run();
    ds.disconnect(CAROL);
    ds.run();
    for member in [ALICE, BOB] {
        assert_eq!(ds.roster(member), vec![ALICE, BOB]);
        assert!(ds.members[&member].can_send());
    }
    ds.say(ALICE, "after carol");
    assert_eq!(ds.texts(BOB).last().unwrap().1, "after carol");
}

#[test]
fn two_commits_in_one_epoch_the_gateways_order_decides_and_everyone_ends_in_one_epoch() {
    let mut ds = room_of(&[ALICE, BOB, CAROL, DAVE]);
    // Dave's connection drops. Alice, the designated member, hears first and commits his
    // removal; before her commit reaches Bob, Bob's timer runs out and he commits the same
    // removal in the same epoch.
    ds.disconnect(DAVE);
    ds.step();
    ds.step();
    ds.tick_member(BOB, Duration::from_secs(10));
    ds.run();
    assert_eq!(ds.refused_commits, 1, "Bob's commit lost the race");
    let epochs: Vec<Option<u64>> = [ALICE, BOB, CAROL]
        .iter()
        .map(|m| ds.members[m].epoch())
        .collect();
    assert!(epochs.windows(2).all(|w| w[0] == w[1]), "{epochs:?}");
    for member in [ALICE, BOB, CAROL] {
        assert_eq!(ds.roster(member), vec![ALICE, BOB, CAROL]);
    }
    ds.say(CAROL, "still one group");
    assert_eq!(ds.texts(ALICE).last().unwrap().1, "still one group");
    assert_eq!(ds.texts(BOB).last().unwrap().1, "still one group");
}

#[test]
fn in_knock_mode_the_creators_refusal_keeps_a_joiner_out_and_its_approval_lets_one_in() {
    let mut ds = Ds::new(ALICE, [8; 16], Admission::Knock);
    ds.join(BOB);
    ds.run();
    assert!(ds.events[&ALICE].contains(&RoomEvent::Knock { member: BOB }));
    let out = ds.members.get_mut(&ALICE).unwrap().deny(BOB);
    ds.route(ALICE, out);
    ds.run();
    assert!(ds.events[&BOB].contains(&RoomEvent::Denied));
    assert!(!ds.members[&BOB].in_group());
    ds.tick(Duration::from_secs(10));
    assert!(
        !ds.members[&BOB].in_group(),
        "no timer lets a refused knock in"
    );

    ds.join(CAROL);
    ds.run();
    let out = ds.members.get_mut(&ALICE).unwrap().approve(CAROL);
    ds.route(ALICE, out);
    ds.run();
    assert!(ds.members[&CAROL].in_group());
    assert_eq!(ds.roster(ALICE), vec![ALICE, CAROL]);
}
