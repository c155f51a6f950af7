//! MLS ingestion in the SDK (`client-sdk/src/mls/room/`, `RoomGroup::on_frame` and the
//! member events), fed as a malicious gateway or member would feed it.
//!
//! Each run builds a real room on the SDK's in-memory Delivery Service: member 1001
//! creates it, 1002 joins and says hello, 1003 waits to be let in. Then the input drives
//! the gateway's side: frames of any kind from any claimed sender, made of the run's own
//! frames (commits, Welcomes, join requests, challenges, messages) damaged byte by byte or
//! of arbitrary bytes; made-up member events; commit verdicts; time; texts; departures.
//! Raw bytes alone would never get past the MLS framing, let alone a MAC.
//!
//! Invariants: nothing panics; every roster holds unique member numbers, all of members
//! who hold the room's secret; every message shown was sent by the member it names, and
//! no member is shown one message twice (replays are refused); the room stops talking
//! (no endless exchange of frames) once the gateway stops injecting.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::Damage;
use anoghost_protocol::frame::FrameKind;
use anoghost_sdk::mls::room::FALLBACK;
use anoghost_sdk::mls::testing::{Delivered, Ds};
use anoghost_sdk::mls::{Admission, RoomEvent};
use arbitrary::Arbitrary;

const CREATOR: u16 = 1001;
const MEMBER: u16 = 1002;
const NEWCOMER: u16 = 1003;
const HONEST: [u16; 3] = [CREATOR, MEMBER, NEWCOMER];
/// Inputs handled per run, so one run stays well under a second.
const MAX_OPS: usize = 12;
/// Deliveries after which a room still talking is talking forever.
const MAX_STEPS: usize = 2_000;

#[derive(Debug, Arbitrary)]
struct Input {
    ops: Vec<Op>,
}

#[derive(Debug, Arbitrary)]
enum Op {
    /// A frame for member `to`, relayed as if `sender` sent it.
    Inject {
        to: u8,
        sender: Number,
        kind: u8,
        payload: Payload,
    },
    /// The gateway says `member` joined, or left.
    Joined {
        to: u8,
        member: Number,
    },
    Left {
        to: u8,
        member: Number,
    },
    /// The gateway's order answers a commit, truthfully or not.
    Committed {
        to: u8,
        epoch: u8,
    },
    Refused {
        to: u8,
        epoch: u8,
    },
    /// A member sends a text.
    Say {
        from: u8,
    },
    /// A member approves or denies a knock.
    Approve {
        who: u8,
        member: Number,
    },
    Deny {
        who: u8,
        member: Number,
    },
    /// Timers fire.
    Tick,
    /// Everything queued is delivered.
    Run,
    /// A member's connection closes.
    Disconnect {
        who: u8,
    },
}

#[derive(Debug, Arbitrary)]
enum Number {
    Honest(u8),
    Any(u16),
}

impl Number {
    fn get(&self) -> u16 {
        match self {
            Self::Honest(i) => honest(*i),
            Self::Any(n) => *n,
        }
    }
}

#[derive(Debug, Arbitrary)]
enum Payload {
    /// One of the frames delivered so far in this run, damaged.
    Seen {
        index: u16,
        damage: Damage,
    },
    Bytes(Vec<u8>),
}

fn honest(i: u8) -> u16 {
    HONEST[usize::from(i) % HONEST.len()]
}

fn kind(byte: u8) -> FrameKind {
    match byte % 5 {
        0 => FrameKind::Group,
        1 => FrameKind::JoinRequest,
        2 => FrameKind::Welcome,
        3 => FrameKind::Denied,
        _ => FrameKind::Challenge,
    }
}

/// Every frame delivered so far, in a fixed order.
fn seen(ds: &Ds) -> Vec<Delivered> {
    ds.delivered.values().flatten().cloned().collect()
}

fn drain(ds: &mut Ds) {
    let mut steps = 0;
    while ds.step() {
        steps += 1;
        assert!(steps < MAX_STEPS, "the room keeps exchanging frames");
    }
}

fn say(ds: &mut Ds, from: u16, text: &str, said: &mut BTreeSet<(u16, String)>) {
    let Some(member) = ds.members.get_mut(&from) else {
        return;
    };
    if let Ok(out) = member.send_text(text, 0) {
        said.insert((from, text.to_owned()));
        ds.route(from, out);
    }
}

fn apply(ds: &mut Ds, op: Op, said: &mut BTreeSet<(u16, String)>, texts: &mut usize) {
    match op {
        Op::Inject {
            to,
            sender,
            kind: kind_byte,
            payload,
        } => {
            let payload = match payload {
                Payload::Seen { index, damage } => {
                    let seen = seen(ds);
                    if seen.is_empty() {
                        return;
                    }
                    damage.applied(&seen[usize::from(index) % seen.len()].payload)
                }
                Payload::Bytes(bytes) => bytes,
            };
            let frame = Delivered {
                sender: sender.get(),
                kind: kind(kind_byte),
                payload,
            };
            ds.inject(honest(to), frame);
        }
        Op::Joined { to, member } => ds.announce_joined(honest(to), member.get()),
        Op::Left { to, member } => ds.announce_left(honest(to), member.get()),
        Op::Committed { to, epoch } => {
            if let Some(member) = ds.members.get_mut(&honest(to)) {
                let out = member.on_committed(u64::from(epoch));
                ds.route(honest(to), out);
            }
        }
        Op::Refused { to, epoch } => {
            if let Some(member) = ds.members.get_mut(&honest(to)) {
                let out = member.on_commit_refused(u64::from(epoch));
                ds.route(honest(to), out);
            }
        }
        Op::Say { from } => {
            *texts += 1;
            say(ds, honest(from), &format!("text {texts}"), said);
        }
        Op::Approve { who, member } => {
            if let Some(group) = ds.members.get_mut(&honest(who)) {
                let out = group.approve(member.get());
                ds.route(honest(who), out);
            }
        }
        Op::Deny { who, member } => {
            if let Some(group) = ds.members.get_mut(&honest(who)) {
                let out = group.deny(member.get());
                ds.route(honest(who), out);
            }
        }
        Op::Tick => {
            for member in HONEST {
                if ds.members.contains_key(&member) {
                    ds.tick_member(member, FALLBACK + Duration::from_secs(1));
                }
            }
        }
        Op::Run => drain(ds),
        Op::Disconnect { who } => {
            // The creator stays, so the room always has someone to check.
            if honest(who) != CREATOR && ds.members.contains_key(&honest(who)) {
                ds.disconnect(honest(who));
            }
        }
    }
}

fn check(ds: &Ds, said: &BTreeSet<(u16, String)>) {
    for (member, group) in &ds.members {
        let roster: Vec<u16> = group.roster().iter().map(|e| e.member).collect();
        let unique: BTreeSet<u16> = roster.iter().copied().collect();
        assert_eq!(
            unique.len(),
            roster.len(),
            "#{member}'s roster repeats a number: {roster:?}"
        );
        assert!(
            unique.iter().all(|n| HONEST.contains(n)),
            "#{member}'s roster holds a member without the secret: {roster:?}"
        );
    }
    for (member, events) in &ds.events {
        let mut shown: BTreeMap<(u16, &str), usize> = BTreeMap::new();
        for event in events {
            if let RoomEvent::Message { from, text, .. } = event {
                assert!(
                    said.contains(&(*from, text.clone())),
                    "#{member} was shown {text:?} as #{from}'s, who never sent it"
                );
                *shown.entry((*from, text.as_str())).or_default() += 1;
            }
        }
        assert!(
            shown.values().all(|n| *n == 1),
            "#{member} was shown a message twice"
        );
    }
}

fn run(input: Input) {
    let mut ds = Ds::new(CREATOR, [7; 16], Admission::Open);
    let mut said = BTreeSet::new();
    ds.join(MEMBER);
    drain(&mut ds);
    say(&mut ds, MEMBER, "hello", &mut said);
    drain(&mut ds);
    ds.join(NEWCOMER);
    let mut texts = 0;
    for op in input.ops.into_iter().take(MAX_OPS) {
        apply(&mut ds, op, &mut said, &mut texts);
    }
    drain(&mut ds);
    check(&ds, &said);
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
