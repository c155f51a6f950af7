//! Rooms and their members, in memory only. A room exists while it has a member.
//!
//! [`Registry`] finds rooms by their key (a free room's code; later a paid room's id) under
//! one short-lived lock; each [`Room`] keeps its own member list under its own lock, so
//! relaying in one room never waits on another.

mod member;
mod registry;
mod room;

pub use member::{KickSignal, Member, MemberHandle, Outbound, Outbox};
pub use registry::{JoinError, Joined, Registry, RoomKey};
pub use room::Room;

/// A member's number in a room: four digits, 1000..=9999.
pub type MemberNumber = u16;
/// Lowest member number.
pub const MEMBER_MIN: MemberNumber = 1000;
/// Highest member number.
pub const MEMBER_MAX: MemberNumber = 9999;
/// Most members a room can hold: one per four-digit number.
pub const MEMBER_NUMBERS: usize = (MEMBER_MAX - MEMBER_MIN + 1) as usize;
/// Free-room codes are six digits: 000000..=999999.
pub const ROOM_CODES: u32 = 1_000_000;
