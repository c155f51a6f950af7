//! Rooms and their members, in memory only. A room exists while it has a member.
//!
//! [`Registry`] finds rooms by their key (a free room's code, a paid room's id) under one
//! short-lived lock; each [`Room`] keeps its members and its order under its own lock, so
//! relaying in one room never waits on another.
//!
//! A room is a sequence of [`Event`]s (see [`event`]). A gateway running alone orders every
//! room and applies each event at once. In a cluster, one gateway orders each room and the
//! others follow it (`crate::cluster` carries the events); [`Room`] is the same either way.

mod admission;
mod apply;
pub mod event;
mod follow;
mod member;
mod order;
mod registry;
mod room;
mod seat;

pub use admission::{Admission, Admitted};
pub use apply::Diverged;
pub use event::{Event, Input, RoomLink, Snapshot};
pub use follow::Broken;
pub use member::{Kick, KickSignal, MemberHandle, Next, Outbound, Outbox};
pub use order::{CommitOrder, RoomOrder, MAX_GROUP_ID};
pub use registry::{JoinError, JoinTarget, Joined, Registry, RoomKey};
pub use room::{Role, Room, Unreachable};
pub use seat::{Member, NodeId, Seat};

pub use anoghost_protocol::limits::{MEMBER_MAX, MEMBER_MIN, MEMBER_NUMBERS, ROOM_CODES};

/// A member's number in a room: four digits, [`MEMBER_MIN`]..=[`MEMBER_MAX`].
pub type MemberNumber = u16;
