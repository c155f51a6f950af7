use std::sync::Mutex;

use anoghost_protocol::mls_header::{ContentType, PrivateMessageHeader};
use anoghost_protocol::ServerMessage;
use bytes::Bytes;
use ed25519_dalek::VerifyingKey;
use rand::Rng;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::order::{CommitOrder, RoomOrder};
use super::{Member, MemberHandle, MemberNumber, Outbound, MEMBER_MAX, MEMBER_MIN};
use crate::sync::lock;

/// One live room: its reference, its members and its commit order. Both live under one
/// lock, so a frame's place in the order is the same for every member.
#[derive(Debug)]
pub struct Room {
    reference: u32,
    verifier: Option<VerifyingKey>,
    state: Mutex<RoomState>,
}

#[derive(Debug, Default)]
struct RoomState {
    members: Vec<Member>,
    order: RoomOrder,
}

/// Why a frame was not relayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelayRefused {
    /// The commit was not in the group's current epoch; nothing was relayed.
    StaleCommit {
        /// The epoch the group is in.
        current: u64,
    },
    /// A directed frame names no member of the room.
    NoSuchMember,
}

impl Room {
    pub(super) fn new(reference: u32, verifier: Option<VerifyingKey>) -> Self {
        Self {
            reference,
            verifier,
            state: Mutex::new(RoomState::default()),
        }
    }

    /// The room's reference, as used in frames and control messages.
    pub fn reference(&self) -> u32 {
        self.reference
    }

    /// The key a free room's joiners prove the invite's secret against.
    pub fn verifier(&self) -> Option<&VerifyingKey> {
        self.verifier.as_ref()
    }

    /// Adds a member under a fresh random number unique in the room. Returns the number and
    /// the numbers of the members already there, or `None` if the room holds `capacity`.
    pub(super) fn admit(
        &self,
        handle: MemberHandle,
        capacity: usize,
    ) -> Option<(MemberNumber, Vec<MemberNumber>)> {
        let mut state = lock(&self.state);
        if state.members.len() >= capacity {
            return None;
        }
        let mut rng = rand::rngs::OsRng;
        let number = loop {
            let candidate = rng.gen_range(MEMBER_MIN..=MEMBER_MAX);
            if state.members.iter().all(|m| m.number != candidate) {
                break candidate;
            }
        };
        let others = state.members.iter().map(|m| m.number).collect();
        state.members.push(Member { number, handle });
        Some((number, others))
    }

    /// Removes member `number`; returns how many members remain.
    pub(super) fn remove(&self, number: MemberNumber) -> usize {
        let mut state = lock(&self.state);
        state.members.retain(|m| m.number != number);
        state.members.len()
    }

    /// The members' numbers, in the order they joined.
    pub fn members(&self) -> Vec<MemberNumber> {
        lock(&self.state).members.iter().map(|m| m.number).collect()
    }

    /// Members in the room.
    pub fn len(&self) -> usize {
        lock(&self.state).members.len()
    }

    /// Whether the room is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Relays a group frame in the room's order. A commit is first offered to the order: if
    /// refused, nobody gets it; if accepted, the sender's `committed` is queued at the same
    /// point of the order as everyone else's copy of the commit.
    pub fn relay_group(
        &self,
        sender: MemberNumber,
        header: &PrivateMessageHeader<'_>,
        frame: Bytes,
    ) -> Result<(), RelayRefused> {
        let mut state = lock(&self.state);
        if header.content_type == ContentType::Commit {
            if let CommitOrder::Refused { current } =
                state.order.offer_commit(header.group_id, header.epoch)
            {
                return Err(RelayRefused::StaleCommit { current });
            }
            let committed = ServerMessage::Committed {
                room: self.reference,
                epoch: header.epoch,
            };
            if let Some(member) = state.members.iter().find(|m| m.number == sender) {
                member
                    .handle
                    .deliver(Outbound::Text(crate::commands::encode(&committed).into()));
            }
        }
        deliver_to_others(&state.members, sender, &frame);
        Ok(())
    }

    /// Queues a frame for member `to` only.
    pub fn relay_to(&self, to: MemberNumber, frame: Bytes) -> Result<(), RelayRefused> {
        let state = lock(&self.state);
        let member = state
            .members
            .iter()
            .find(|m| m.number == to)
            .ok_or(RelayRefused::NoSuchMember)?;
        member.handle.deliver(Outbound::Binary(frame));
        Ok(())
    }

    /// Queues a control message for every member but `except`.
    pub fn announce(&self, except: MemberNumber, text: Utf8Bytes) {
        for member in lock(&self.state).members.iter() {
            if member.number != except {
                member.handle.deliver(Outbound::Text(text.clone()));
            }
        }
    }
}

fn deliver_to_others(members: &[Member], sender: MemberNumber, frame: &Bytes) {
    for member in members {
        if member.number != sender {
            member.handle.deliver(Outbound::Binary(frame.clone()));
        }
    }
}
