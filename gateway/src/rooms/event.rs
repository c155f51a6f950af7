//! A room as a sequence of events. The gateway that orders a room turns what its members
//! ask for ([`Input`]) into [`Event`]s, numbered one after another. Every gateway with a
//! member in the room applies the same events in the same order, and delivers to the
//! members connected to it, so all members see one order. A gateway running alone is the
//! orderer of every room and applies its events at once.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::{MemberNumber, NodeId};

/// Something that happened in a room, in the room's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// A member was admitted, connected to gateway `node`, whose join had id `join_id`.
    Joined {
        /// Its number.
        member: MemberNumber,
        /// Its gateway.
        node: NodeId,
        /// Its gateway's id for the join.
        join_id: u64,
    },
    /// A member left (or its gateway went away).
    Left {
        /// Its number.
        member: MemberNumber,
    },
    /// A binary frame, for the room (`to` is `None`) or for one member.
    Frame {
        /// The sending member.
        sender: MemberNumber,
        /// The frame kind's wire byte.
        kind: u8,
        /// The one recipient of a directed frame.
        to: Option<MemberNumber>,
        /// The payload, as the sender sent it.
        payload: Bytes,
    },
    /// A commit was not in its group's current epoch: nobody got it, its sender is told.
    CommitRefused {
        /// The sender.
        member: MemberNumber,
        /// The epoch the commit was made in.
        epoch: u64,
        /// The epoch the group is in.
        current: u64,
    },
    /// A directed frame named nobody in the room: its sender is told.
    NoSuchMember {
        /// The sender.
        member: MemberNumber,
    },
    /// Everything `member` sent before its `sync` is in the order.
    Synced {
        /// The member.
        member: MemberNumber,
        /// The connection's barrier.
        barrier: u32,
    },
    /// Gateway `node` orders the room from here on: the gateway that ordered it went away.
    /// `after` is the last event of the previous orderer that `node` applied.
    Takeover {
        /// The new orderer.
        node: NodeId,
        /// The sequence number it continues from.
        after: u64,
    },
}

/// What a member connected to one gateway asks of a room ordered by another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Input {
    /// Relay a frame.
    Frame {
        /// The sending member.
        sender: MemberNumber,
        /// The frame kind's wire byte.
        kind: u8,
        /// The one recipient of a directed frame.
        to: Option<MemberNumber>,
        /// The payload.
        payload: Bytes,
    },
    /// The member left.
    Leave {
        /// Its number.
        member: MemberNumber,
    },
    /// Answer the member's `sync` once everything before it is ordered.
    Sync {
        /// Its number.
        member: MemberNumber,
        /// The connection's barrier.
        barrier: u32,
    },
    /// The join with this id was given up (its answer never came): if it was admitted,
    /// the member leaves.
    Abandon {
        /// The gateway's id for the join.
        join_id: u64,
    },
}

/// Everything a gateway needs to follow a room from event `seq` on, or to order it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The room's incarnation: a room re-created under the same key is another room.
    pub incarnation: u64,
    /// The gateway ordering it.
    pub orderer: NodeId,
    /// The last event applied.
    pub seq: u64,
    /// A free room's verifier, for a gateway that takes over its ordering.
    pub verifier: Option<[u8; 32]>,
    /// `(number, node, join id)` of every member.
    pub members: Vec<(MemberNumber, NodeId, u64)>,
    /// `(group id, epoch)` of the groups in the room's commit order.
    pub groups: Vec<(Vec<u8>, u64)>,
}

/// How a room reaches the rest of the cluster. The calls only queue (they run under the
/// room's lock, which keeps the order); `false` means the message could not be queued, and
/// the receivers will see a gap in the numbering.
pub trait RoomLink: Send + Sync + std::fmt::Debug {
    /// As the orderer: sends event number `seq` of room incarnation `incarnation` to the
    /// gateways following the room.
    fn publish(&self, incarnation: u64, orderer: NodeId, seq: u64, event: &Event) -> bool;
    /// As a follower: sends a member's input to gateway `orderer`, the orderer it follows
    /// (0 before it knows which).
    fn forward(&self, incarnation: u64, orderer: NodeId, input: &Input) -> bool;
    /// The room ended on this gateway: stop listening for it.
    fn ended(&self);
    /// This gateway is to take the room's ordering over from gateway `gone`.
    fn promote(&self, gone: NodeId);
}
