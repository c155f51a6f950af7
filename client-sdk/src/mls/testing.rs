//! A Delivery Service in memory, for tests (the `testing` feature): it routes frames between
//! [`RoomGroup`]s with the gateway's rules (one commit order, welcomes to one member,
//! member events), and lets a test act as a gateway that misbehaves: replay a frame,
//! withhold an event, stamp a wrong sender, inject a made-up frame.
//!
//! The real gateway cannot be made to misbehave, so this is the one place the tests use a
//! stand-in for it; every rule it applies is the one `gateway/src/rooms/order.rs` applies,
//! and the end-to-end tests (`client-sdk/tests/chat.rs`) run the same flows through the real
//! gateway.
// A test helper panics on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used, missing_docs)]

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use crate::mls::{Admission, Output, RoomEvent, RoomGroup, RoomSecret};
use anoghost_protocol::frame::FrameKind;
use anoghost_protocol::mls_header::{private_message_header, ContentType};

/// A frame as the gateway delivers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub sender: u16,
    pub kind: FrameKind,
    pub payload: Vec<u8>,
}

enum Input {
    Frame(Delivered),
    Joined(u16),
    Left(u16),
    Committed(u64),
    Refused(u64),
}

/// A room of [`RoomGroup`]s and the order between them.
pub struct Ds {
    pub secret: RoomSecret,
    pub admission: Admission,
    pub members: BTreeMap<u16, RoomGroup>,
    /// Everything each member saw.
    pub events: BTreeMap<u16, Vec<RoomEvent>>,
    /// Every frame delivered to each member, in order, for replays.
    pub delivered: BTreeMap<u16, Vec<Delivered>>,
    /// The group's epoch as ordered (commits seen).
    pub epoch: Option<u64>,
    queue: VecDeque<(u16, Input)>,
    /// Members whose member events the gateway keeps to itself.
    pub withhold_left: bool,
    /// Commits the order refused.
    pub refused_commits: usize,
    /// When set, Welcomes are kept here instead of delivered, for a test to tamper with.
    pub held_welcomes: Option<Vec<(u16, Delivered)>>,
    challenges: Vec<(u16, Delivered)>,
}

impl Ds {
    /// A room created by member `creator`.
    pub fn new(creator: u16, secret: [u8; 16], admission: Admission) -> Self {
        let secret = RoomSecret::new(secret);
        let group = RoomGroup::create(creator, &secret, admission).unwrap();
        let mut ds = Self {
            secret,
            admission,
            members: BTreeMap::new(),
            events: BTreeMap::new(),
            delivered: BTreeMap::new(),
            epoch: None,
            queue: VecDeque::new(),
            withhold_left: false,
            refused_commits: 0,
            held_welcomes: None,
            challenges: Vec::new(),
        };
        ds.members.insert(creator, group);
        ds
    }

    fn others(&self, but: u16) -> Vec<u16> {
        self.members.keys().copied().filter(|m| *m != but).collect()
    }

    /// Member `number` enters the room with `secret` (the room's, or another) and asks to
    /// join; everyone is told, as the gateway tells them.
    pub fn join_with(&mut self, number: u16, secret: &RoomSecret) {
        self.join_as(number, number, secret, self.admission);
    }

    /// A connection the gateway numbers `number` enters, running a client that claims to
    /// be member `claims` and believes the room's mode is `admission`: a member who lies,
    /// with the gateway's help or not.
    pub fn join_as(&mut self, number: u16, claims: u16, secret: &RoomSecret, admission: Admission) {
        let present = self.others(number);
        let group = RoomGroup::join(claims, secret, admission, &present).unwrap();
        for member in &present {
            self.queue.push_back((*member, Input::Joined(number)));
        }
        self.members.insert(number, group);
    }

    /// Member `number` enters with the room's secret.
    pub fn join(&mut self, number: u16) {
        let secret = self.secret.clone();
        self.join_with(number, &secret);
    }

    /// Member `number` leaves the room (its connection closes): the others are told, unless
    /// the gateway withholds it. Returns its state, as a leaver that kept everything.
    pub fn disconnect(&mut self, number: u16) -> RoomGroup {
        let group = self.members.remove(&number).unwrap();
        if !self.withhold_left {
            for member in self.others(number) {
                self.queue.push_back((member, Input::Left(number)));
            }
        }
        group
    }

    /// Routes what member `from` sent, by the gateway's rules.
    pub fn route(&mut self, from: u16, out: Output) {
        self.events.entry(from).or_default().extend(out.events);
        for frame in out.frames {
            let delivered = Delivered {
                sender: from,
                kind: frame.kind,
                payload: frame.payload,
            };
            match frame.kind {
                FrameKind::Group => self.order(from, delivered),
                kind => {
                    let to = frame.to.unwrap();
                    if kind == FrameKind::Challenge {
                        self.challenges.push((to, delivered.clone()));
                    }
                    if let (FrameKind::Welcome, Some(held)) = (kind, &mut self.held_welcomes) {
                        held.push((to, delivered));
                    } else if self.members.contains_key(&to) {
                        self.queue.push_back((to, Input::Frame(delivered)));
                    }
                }
            }
        }
    }

    fn order(&mut self, from: u16, delivered: Delivered) {
        let header = private_message_header(&delivered.payload).unwrap();
        if header.content_type == ContentType::Commit {
            // One group per test room: the gateway's order for it.
            let accepted = self.epoch.is_none_or(|current| header.epoch == current);
            if !accepted {
                self.refused_commits += 1;
                self.queue.push_back((from, Input::Refused(header.epoch)));
                return;
            }
            self.epoch = Some(header.epoch + 1);
            self.queue.push_back((from, Input::Committed(header.epoch)));
        }
        for member in self.others(from) {
            self.queue
                .push_back((member, Input::Frame(delivered.clone())));
        }
    }

    /// Delivers a frame to one member as if the gateway relayed it (a replay, or a made-up
    /// frame).
    pub fn inject(&mut self, to: u16, frame: Delivered) {
        self.queue.push_back((to, Input::Frame(frame)));
    }

    /// Tells member `to` that `member` entered the room (whether or not it did).
    pub fn announce_joined(&mut self, to: u16, member: u16) {
        self.queue.push_back((to, Input::Joined(member)));
    }

    /// Tells member `to` that `member` left the room.
    pub fn announce_left(&mut self, to: u16, member: u16) {
        self.queue.push_back((to, Input::Left(member)));
    }

    /// Removes member `number`'s client from the room without telling anyone, keeping the
    /// room's view of it; returns its state.
    pub fn take(&mut self, number: u16) -> RoomGroup {
        self.members.remove(&number).unwrap()
    }

    /// Delivers everything queued until nothing is left.
    pub fn run(&mut self) {
        while self.step() {}
    }

    /// The member the next queued input goes to, if any.
    pub fn next_recipient(&self) -> Option<u16> {
        self.queue.front().map(|(to, _)| *to)
    }

    /// Delivers the next queued input; `false` when none is left.
    pub fn step(&mut self) -> bool {
        let Some((to, input)) = self.queue.pop_front() else {
            return false;
        };
        {
            let Some(group) = self.members.get_mut(&to) else {
                return true;
            };
            let out = match input {
                Input::Frame(frame) => {
                    self.delivered.entry(to).or_default().push(frame.clone());
                    group.on_frame(frame.sender, frame.kind, &frame.payload)
                }
                Input::Joined(member) => group.on_member_joined(member),
                Input::Left(member) => group.on_member_left(member),
                Input::Committed(epoch) => group.on_committed(epoch),
                Input::Refused(epoch) => group.on_commit_refused(epoch),
            };
            self.route(to, out);
        }
        true
    }

    /// Lets member `member`'s timers fire as if `after` had passed; delivers nothing.
    pub fn tick_member(&mut self, member: u16, after: Duration) {
        let out = self
            .members
            .get_mut(&member)
            .unwrap()
            .tick(Instant::now() + after);
        self.route(member, out);
    }

    /// Lets every member's timers fire as if `after` had passed, then delivers.
    pub fn tick(&mut self, after: Duration) {
        let later = Instant::now() + after;
        for member in self.members.keys().copied().collect::<Vec<_>>() {
            let out = self.members.get_mut(&member).unwrap().tick(later);
            self.route(member, out);
        }
        self.run();
    }

    /// Member `from` sends a text, routed and delivered.
    pub fn say(&mut self, from: u16, text: &str) {
        let out = self
            .members
            .get_mut(&from)
            .unwrap()
            .send_text(text, 0)
            .unwrap();
        self.route(from, out);
        self.run();
    }

    /// The texts member `to` received, as (sender, text).
    pub fn texts(&self, to: u16) -> Vec<(u16, String)> {
        self.events
            .get(&to)
            .into_iter()
            .flatten()
            .filter_map(|event| match event {
                RoomEvent::Message { from, text, .. } => Some((*from, text.clone())),
                _ => None,
            })
            .collect()
    }

    /// What member `to` refused, as (named sender, reason text).
    pub fn refusals(&self, to: u16) -> Vec<(u16, String)> {
        self.events
            .get(&to)
            .into_iter()
            .flatten()
            .filter_map(|event| match event {
                RoomEvent::Refused { from, reason } => Some((*from, reason.to_string())),
                _ => None,
            })
            .collect()
    }

    /// The member numbers in `who`'s roster.
    pub fn roster(&self, who: u16) -> Vec<u16> {
        let mut numbers: Vec<u16> = self.members[&who]
            .roster()
            .iter()
            .map(|e| e.member)
            .collect();
        numbers.sort_unstable();
        numbers
    }

    /// The last frame of `kind` delivered to `to`.
    pub fn last_delivered(&self, to: u16, kind: FrameKind) -> Delivered {
        self.delivered[&to]
            .iter()
            .rev()
            .find(|f| f.kind == kind)
            .cloned()
            .unwrap()
    }

    /// The Welcome queued for `to`, if any.
    pub fn queued_welcome(&self, to: u16) -> Option<Delivered> {
        self.queued(to, FrameKind::Welcome)
    }

    /// The first group frame queued for `to`, if any.
    pub fn queued_group_frame(&self, to: u16) -> Option<Delivered> {
        self.queued(to, FrameKind::Group)
    }

    fn queued(&self, to: u16, kind: FrameKind) -> Option<Delivered> {
        self.queue.iter().find_map(|(member, input)| match input {
            Input::Frame(frame) if *member == to && frame.kind == kind => Some(frame.clone()),
            _ => None,
        })
    }

    /// Delivers `frame` to `to` at once, ahead of the queue, and takes the copy of it
    /// waiting in the queue out (so it is handled once).
    pub fn deliver_now(&mut self, to: u16, frame: Delivered) {
        if let Some(at) = self.queue.iter().position(
            |(member, input)| matches!(input, Input::Frame(f) if *member == to && *f == frame),
        ) {
            self.queue.remove(at);
        }
        self.delivered.entry(to).or_default().push(frame.clone());
        let out =
            self.members
                .get_mut(&to)
                .unwrap()
                .on_frame(frame.sender, frame.kind, &frame.payload);
        self.route(to, out);
    }

    /// Every challenge sent so far, as (recipient, frame), including those to connections
    /// no longer in the room.
    pub fn sent_challenges(&self) -> Vec<(u16, Delivered)> {
        self.challenges.clone()
    }

    /// Forgets the events seen so far.
    pub fn clear_events(&mut self) {
        self.events.clear();
    }
}
