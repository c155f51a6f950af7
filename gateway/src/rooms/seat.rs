//! A room's members and where each one is connected.

use super::{MemberHandle, MemberNumber};

/// A gateway of the cluster: a random id, fresh each time the gateway (re)joins the
/// cluster. A gateway running alone is node 0.
pub type NodeId = u64;

/// Where a member's connection is, seen from this gateway.
#[derive(Debug, Clone)]
pub enum Seat {
    /// On this gateway: frames for the member go into its queue.
    Here(MemberHandle),
    /// On another gateway of the cluster, which delivers to it.
    Away,
    /// Was on this gateway and has left (or never arrived: its join was abandoned). Its
    /// departure is not yet in the room's order; nothing more is delivered to it.
    Leaving,
}

/// One member of a room.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member's number in this room.
    pub number: MemberNumber,
    /// The gateway it is connected to.
    pub node: NodeId,
    /// The id its gateway gave the join, so the gateway can recognise its own member in
    /// the room's order (0 for a member admitted on the ordering gateway itself).
    pub join_id: u64,
    /// How to reach it from here.
    pub seat: Seat,
}

impl Member {
    /// Its queue, if it is connected to this gateway.
    pub fn here(&self) -> Option<&MemberHandle> {
        match &self.seat {
            Seat::Here(handle) => Some(handle),
            Seat::Away | Seat::Leaving => None,
        }
    }
}
