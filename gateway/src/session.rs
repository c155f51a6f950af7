//! One connection's protocol state, apart from its socket: whether it said `hello`, the
//! wallet it signed in with, the rooms it is in and its join budget. Commands change it
//! only through these methods; the transport (`ws::connection`) never looks inside.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use anoghost_protocol::{ErrorCode, ServerMessage};

use crate::limits::JoinWindow;
use crate::rooms::{Admission, JoinTarget, Joined, MemberHandle, MemberNumber, Room, RoomKey};
use crate::secret::WalletAddress;
use crate::state::Gateway;

/// A room this connection is in.
pub struct Membership {
    reference: u32,
    key: RoomKey,
    room: Arc<Room>,
    member: MemberNumber,
}

impl Membership {
    /// The room.
    pub fn room(&self) -> &Room {
        &self.room
    }

    /// How the room is found.
    pub fn key(&self) -> RoomKey {
        self.key
    }

    /// This connection's member number in it.
    pub fn member(&self) -> MemberNumber {
        self.member
    }
}

/// The protocol state of one connection.
pub struct Session {
    gateway: Arc<Gateway>,
    peer_ip: Option<IpAddr>,
    handle: MemberHandle,
    said_hello: bool,
    wallet: Option<WalletAddress>,
    /// A short list rather than a map: a connection is in few rooms (at most
    /// `--max-rooms-per-connection`), and an idle connection in one room keeps one entry
    /// instead of a hash table's four buckets (about 190 bytes less).
    memberships: Vec<Membership>,
    join_window: JoinWindow,
    challenge: [u8; 32],
}

impl Session {
    /// A fresh session for a connection from `peer_ip`, reached through `handle`.
    pub fn new(gateway: Arc<Gateway>, peer_ip: Option<IpAddr>, handle: MemberHandle) -> Self {
        Self {
            gateway,
            peer_ip,
            handle,
            said_hello: false,
            wallet: None,
            memberships: Vec::new(),
            join_window: JoinWindow::default(),
            challenge: rand::random(),
        }
    }

    /// This connection's challenge: proofs that must not be replayed on another connection
    /// sign it.
    pub fn challenge(&self) -> &[u8; 32] {
        &self.challenge
    }

    /// The gateway this session belongs to.
    pub fn gateway(&self) -> &Arc<Gateway> {
        &self.gateway
    }

    /// The handle that queues frames and replies for this connection.
    pub fn handle(&self) -> &MemberHandle {
        &self.handle
    }

    /// Whether `hello` was accepted.
    pub fn said_hello(&self) -> bool {
        self.said_hello
    }

    /// Records an accepted `hello`.
    pub fn mark_hello(&mut self) {
        self.said_hello = true;
    }

    /// The signed-in wallet, if any.
    pub fn wallet(&self) -> Option<&WalletAddress> {
        self.wallet.as_ref()
    }

    /// Records a successful sign-in.
    pub fn sign_in(&mut self, wallet: WalletAddress) {
        self.wallet = Some(wallet);
    }

    /// The membership of the room with this reference.
    pub fn membership(&self, room: u32) -> Option<&Membership> {
        self.memberships.iter().find(|m| m.reference == room)
    }

    /// Whether this connection is in any room.
    pub fn in_any_room(&self) -> bool {
        !self.memberships.is_empty()
    }

    /// Spends one join attempt from this connection's and its address's budgets, so
    /// guessing codes is slow however many connections a guesser opens.
    pub fn spend_join_attempt(&mut self) -> Result<(), ErrorCode> {
        let now = Instant::now();
        let config = &self.gateway.config;
        if !self.join_window.try_record(config.joins_per_minute, now) {
            return Err(ErrorCode::JoinRateLimited);
        }
        if let Some(ip) = self.peer_ip {
            if !self.gateway.join_limiter.try_record(ip, now) {
                return Err(ErrorCode::JoinRateLimited);
            }
        }
        Ok(())
    }

    /// Joins the room `target` names, unless this connection is already in it or in as
    /// many rooms as it may be, or `admission` does not admit it (see `Registry::join`; in a
    /// cluster, `Cluster::join`). Returns the `joined` reply; the others hear of it from
    /// the room's order.
    pub async fn join(
        &mut self,
        target: JoinTarget,
        admission: Admission,
    ) -> Result<ServerMessage, ErrorCode> {
        let already_in = |key: RoomKey| self.memberships.iter().any(|m| m.key == key);
        let in_target = match target {
            JoinTarget::NewFree(_) => false,
            JoinTarget::Free(code) => already_in(RoomKey::Free(code)),
            JoinTarget::Paid(id) => already_in(RoomKey::Paid(id)),
        };
        if in_target {
            return Err(ErrorCode::AlreadyInRoom);
        }
        if self.memberships.len() >= self.gateway.config.max_rooms_per_connection {
            return Err(ErrorCode::TooManyRoomsPerConnection);
        }
        let gateway = self.gateway.clone();
        let handle = self.handle.clone();
        let joined = match &gateway.cluster {
            None => gateway.rooms.join(target, handle, &admission)?,
            Some(cluster) => cluster.join(&gateway, target, handle, admission).await?,
        };
        Ok(self.enter(joined))
    }

    /// Records a membership and builds the `joined` reply.
    fn enter(&mut self, joined: Joined) -> ServerMessage {
        let reference = joined.room.reference();
        let code = match joined.key {
            RoomKey::Free(code) => Some(format!("{code:06}")),
            RoomKey::Paid(_) => None,
        };
        // Exactly one more slot: `push` alone would reserve four.
        self.memberships.reserve_exact(1);
        self.memberships.push(Membership {
            reference,
            key: joined.key,
            room: joined.room,
            member: joined.member,
        });
        ServerMessage::Joined {
            room: reference,
            code,
            member: joined.member,
            members: joined.others,
        }
    }

    /// `sync`: `synced` once everything this connection sent is in its rooms' order. A
    /// room ordered here has ordered it already; a room ordered by another gateway of the
    /// cluster answers through its order. Returns `synced` when no room needs asking.
    pub fn sync(&self) -> Option<ServerMessage> {
        let followed: Vec<&Membership> = self
            .memberships
            .iter()
            .filter(|m| !m.room.is_ordered_here())
            .collect();
        if followed.is_empty() {
            return Some(ServerMessage::Synced {});
        }
        let rooms = u32::try_from(followed.len()).unwrap_or(u32::MAX);
        let barrier = self.handle.open_barrier(rooms);
        let synced = crate::commands::encode(&ServerMessage::Synced {}).into();
        for membership in followed {
            if membership.room.sync(membership.member, barrier).is_err() {
                // The room cannot reach its orderer, so nothing more reaches it either:
                // there is nothing to wait for.
                self.handle.answer_barrier(barrier, &synced);
            }
        }
        None
    }

    /// Leaves the room with this reference and tells the others.
    pub fn leave(&mut self, room: u32) -> Result<(), ErrorCode> {
        let index = self
            .memberships
            .iter()
            .position(|m| m.reference == room)
            .ok_or(ErrorCode::NotInRoom)?;
        let membership = self.memberships.swap_remove(index);
        self.depart(membership);
        Ok(())
    }

    /// Leaves every room: the connection is closing.
    pub fn leave_all(&mut self) {
        for membership in std::mem::take(&mut self.memberships) {
            self.depart(membership);
        }
    }

    fn depart(&self, membership: Membership) {
        self.gateway
            .rooms
            .leave(membership.key, &membership.room, membership.member);
    }
}
