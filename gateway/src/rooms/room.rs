use std::sync::Mutex;

use bytes::Bytes;
use rand::Rng;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::{Member, MemberHandle, MemberNumber, Outbound, MEMBER_MAX, MEMBER_MIN};
use crate::sync::lock;

/// One live room: its reference and its members.
#[derive(Debug)]
pub struct Room {
    reference: u32,
    members: Mutex<Vec<Member>>,
}

impl Room {
    pub(super) fn new(reference: u32) -> Self {
        Self {
            reference,
            members: Mutex::new(Vec::new()),
        }
    }

    /// The room's reference, as used in frames and control messages.
    pub fn reference(&self) -> u32 {
        self.reference
    }

    /// Adds a member under a fresh random number unique in the room. Returns the number and
    /// the numbers of the members already there, or `None` if the room holds `capacity`.
    pub(super) fn admit(
        &self,
        handle: MemberHandle,
        capacity: usize,
    ) -> Option<(MemberNumber, Vec<MemberNumber>)> {
        let mut members = lock(&self.members);
        if members.len() >= capacity {
            return None;
        }
        let mut rng = rand::rngs::OsRng;
        let number = loop {
            let candidate = rng.gen_range(MEMBER_MIN..=MEMBER_MAX);
            if members.iter().all(|m| m.number != candidate) {
                break candidate;
            }
        };
        let others = members.iter().map(|m| m.number).collect();
        members.push(Member { number, handle });
        Some((number, others))
    }

    /// Removes member `number`; returns how many members remain.
    pub(super) fn remove(&self, number: MemberNumber) -> usize {
        let mut members = lock(&self.members);
        members.retain(|m| m.number != number);
        members.len()
    }

    /// Members in the room.
    pub fn len(&self) -> usize {
        lock(&self.members).len()
    }

    /// Whether the room is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues a relayed frame for every member but `sender`.
    pub fn relay(&self, sender: MemberNumber, frame: Bytes) {
        for member in lock(&self.members).iter() {
            if member.number != sender {
                member.handle.deliver(Outbound::Binary(frame.clone()));
            }
        }
    }

    /// Queues a control message for every member but `except`.
    pub fn announce(&self, except: MemberNumber, text: Utf8Bytes) {
        for member in lock(&self.members).iter() {
            if member.number != except {
                member.handle.deliver(Outbound::Text(text.clone()));
            }
        }
    }
}
