//! Rooms and their members, in memory only. A room exists while it has a member.
//!
//! [`Registry`] finds rooms by their key (a free room's code, a paid room's id) under one
//! short-lived lock; each [`Room`] keeps its own member list under its own lock, so
//! relaying in one room never waits on another.

mod member;
mod order;
mod registry;
mod room;

pub use member::{KickSignal, Member, MemberHandle, Outbound, Outbox};
pub use order::{CommitOrder, RoomOrder, MAX_GROUP_ID};
pub use registry::{JoinError, JoinTarget, Joined, Registry, RoomKey};
pub use room::{RelayRefused, Room};

pub use anoghost_protocol::limits::{MEMBER_MAX, MEMBER_MIN, MEMBER_NUMBERS, ROOM_CODES};

/// A member's number in a room: four digits, [`MEMBER_MIN`]..=[`MEMBER_MAX`].
pub type MemberNumber = u16;
