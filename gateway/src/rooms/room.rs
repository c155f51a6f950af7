use std::sync::{Arc, Mutex, MutexGuard};

use anoghost_protocol::frame::FrameKind;
use bytes::Bytes;
use ed25519_dalek::VerifyingKey;

use super::event::{Event, Input, RoomLink, Snapshot};
use super::order::RoomOrder;
use super::{Kick, Member, MemberHandle, MemberNumber, NodeId, Seat};
use crate::sync::lock;

/// One live room, as this gateway sees it: its members (each here or on another gateway of
/// the cluster), its commit order, and its place in the room's event sequence. All of it
/// lives under one lock, so an event's place in the order is the same for every member.
#[derive(Debug)]
pub struct Room {
    reference: u32,
    me: NodeId,
    link: Option<Arc<dyn RoomLink>>,
    state: Mutex<RoomState>,
}

#[derive(Debug)]
pub(super) struct RoomState {
    pub(super) members: Vec<Member>,
    pub(super) order: RoomOrder,
    pub(super) verifier: Option<VerifyingKey>,
    pub(super) incarnation: u64,
    pub(super) role: Role,
    /// The last event applied.
    pub(super) seq: u64,
    /// Joins through this gateway waiting for their `Joined` event: `(join id, queue)`.
    pub(super) pending: Vec<(u64, MemberHandle)>,
    /// The room ended here; nothing more is applied or delivered.
    pub(super) closed: bool,
}

impl RoomState {
    /// The gateway a follower's inputs are addressed to: the orderer it follows, or 0 before
    /// a snapshot has said which (see `cluster::orderer`, which refuses inputs addressed to
    /// another gateway).
    pub(super) fn addressee(&self) -> NodeId {
        match self.role {
            Role::Follower { orderer, .. } => orderer,
            Role::Orderer => 0,
        }
    }
}

/// This gateway's part in a room's order.
#[derive(Debug)]
pub enum Role {
    /// It decides the order (always, for a gateway running alone).
    Orderer,
    /// It applies the order gateway `orderer` decides.
    Follower {
        /// The ordering gateway.
        orderer: NodeId,
        /// Whether a snapshot was installed; events before it wait in `early`.
        synced: bool,
        /// Events that arrived before the snapshot: `(incarnation, orderer, seq, event)`.
        early: Vec<(u64, NodeId, u64, Event)>,
    },
}

/// The room could not reach the gateway that orders it; nothing was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the gateway ordering the room cannot be reached")]
pub struct Unreachable;

impl Room {
    fn with(reference: u32, me: NodeId, link: Option<Arc<dyn RoomLink>>, state: RoomState) -> Self {
        Self {
            reference,
            me,
            link,
            state: Mutex::new(state),
        }
    }

    fn fresh_state(role: Role, verifier: Option<VerifyingKey>, incarnation: u64) -> RoomState {
        RoomState {
            members: Vec::new(),
            order: RoomOrder::default(),
            verifier,
            incarnation,
            role,
            seq: 0,
            pending: Vec::new(),
            closed: false,
        }
    }

    /// A room of a gateway running alone: it orders the room and tells nobody.
    pub fn alone(reference: u32, verifier: Option<VerifyingKey>) -> Self {
        let state = Self::fresh_state(Role::Orderer, verifier, 0);
        Self::with(reference, 0, None, state)
    }

    /// A room this gateway (`me`) orders for the cluster, sending events through `link`.
    pub fn ordered_here(
        reference: u32,
        verifier: Option<VerifyingKey>,
        me: NodeId,
        link: Arc<dyn RoomLink>,
        incarnation: u64,
    ) -> Self {
        let state = Self::fresh_state(Role::Orderer, verifier, incarnation);
        Self::with(reference, me, Some(link), state)
    }

    /// A room another gateway orders, followed here once a join's answer brings a snapshot.
    pub fn followed(reference: u32, me: NodeId, link: Arc<dyn RoomLink>) -> Self {
        let role = Role::Follower {
            orderer: 0,
            synced: false,
            early: Vec::new(),
        };
        Self::with(reference, me, Some(link), Self::fresh_state(role, None, 0))
    }

    pub(super) fn state(&self) -> MutexGuard<'_, RoomState> {
        lock(&self.state)
    }

    /// The room's reference on this gateway, as used in frames and control messages.
    pub fn reference(&self) -> u32 {
        self.reference
    }

    /// This gateway's node id.
    pub(super) fn me(&self) -> NodeId {
        self.me
    }

    pub(super) fn link(&self) -> Option<&Arc<dyn RoomLink>> {
        self.link.as_ref()
    }

    /// Whether this gateway orders the room.
    pub fn is_ordered_here(&self) -> bool {
        matches!(self.state().role, Role::Orderer)
    }

    /// Members in the room, on every gateway.
    pub fn len(&self) -> usize {
        self.state().members.len()
    }

    /// The members' numbers, in the order they joined.
    pub fn members(&self) -> Vec<MemberNumber> {
        self.state().members.iter().map(|m| m.number).collect()
    }

    /// Whether the room has no member.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The gateways the members are connected to, each once.
    pub fn member_gateways(&self) -> Vec<NodeId> {
        let state = self.state();
        let mut nodes: Vec<NodeId> = state.members.iter().map(|m| m.node).collect();
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// Whether any member is connected to gateway `node`.
    pub fn has_members_at(&self, node: NodeId) -> bool {
        self.state().members.iter().any(|m| m.node == node)
    }

    /// Whether this gateway is done with the room: it ended here, or nobody is left that
    /// this gateway serves (ordering it: no member anywhere; following it: no member here
    /// and no join under way).
    pub fn is_done(&self) -> bool {
        let state = self.state();
        state.closed || Self::serves_nobody(&state)
    }

    fn serves_nobody(state: &RoomState) -> bool {
        match state.role {
            Role::Orderer => state.members.is_empty(),
            Role::Follower { .. } => {
                state.pending.is_empty() && state.members.iter().all(|m| m.here().is_none())
            }
        }
    }

    /// Ends the room if this gateway is done with it (see [`Self::is_done`]); says whether
    /// it has ended.
    pub(super) fn retire_if_done(&self) -> bool {
        let mut state = self.state();
        if state.closed {
            return true;
        }
        if !Self::serves_nobody(&state) {
            return false;
        }
        state.closed = true;
        drop(state);
        if let Some(link) = &self.link {
            link.ended();
        }
        true
    }

    /// Whether the room ended here.
    pub fn is_retired(&self) -> bool {
        self.state().closed
    }

    /// A join through this gateway was given up on (its answer never came): if it was
    /// admitted after all, the member leaves.
    pub fn abandon(&self, join_id: u64) {
        self.forget_join(join_id);
        let _ = self.submit(Input::Abandon { join_id });
    }

    /// A member connected here sends a frame: ordered here, or forwarded to the orderer.
    pub fn relay(
        &self,
        sender: MemberNumber,
        kind: FrameKind,
        to: Option<MemberNumber>,
        payload: Bytes,
    ) -> Result<(), Unreachable> {
        let input = Input::Frame {
            sender,
            kind: kind.to_byte(),
            to,
            payload,
        };
        self.submit(input)
    }

    /// A member connected here leaves: nothing more is delivered to it, and its departure
    /// is ordered like anything else.
    pub fn leave(&self, member: MemberNumber) {
        {
            let mut state = self.state();
            if let Some(m) = state.members.iter_mut().find(|m| m.number == member) {
                m.seat = Seat::Leaving;
            }
        }
        // Unreachable: the orderer learns of it when this gateway's members are evicted.
        let _ = self.submit(Input::Leave { member });
    }

    /// A member connected here asked for `sync` barrier `barrier`; only a followed room is
    /// asked (a room ordered here has ordered everything the member sent already).
    pub fn sync(&self, member: MemberNumber, barrier: u32) -> Result<(), Unreachable> {
        self.submit(Input::Sync { member, barrier })
    }

    fn submit(&self, input: Input) -> Result<(), Unreachable> {
        let mut state = self.state();
        if state.closed {
            return Err(Unreachable);
        }
        match state.role {
            Role::Orderer => {
                if let Some(event) = self.decide(&state, self.me, input) {
                    self.order(&mut state, event, None);
                }
                Ok(())
            }
            Role::Follower { .. } => {
                let (incarnation, orderer) = (state.incarnation, state.addressee());
                let sent = self
                    .link
                    .as_ref()
                    .is_some_and(|link| link.forward(incarnation, orderer, &input));
                sent.then_some(()).ok_or(Unreachable)
            }
        }
    }

    /// Ordering here: an input from a member connected to gateway `from`.
    pub fn input(&self, from: NodeId, input: Input) {
        let mut state = self.state();
        if state.closed || !matches!(state.role, Role::Orderer) {
            return;
        }
        if let Some(event) = self.decide(&state, from, input) {
            self.order(&mut state, event, None);
        }
    }

    /// Ordering here: every member connected to gateway `node` leaves (the gateway went
    /// away, or its messages to this one were lost).
    pub fn evict(&self, node: NodeId) {
        let mut state = self.state();
        if state.closed || !matches!(state.role, Role::Orderer) {
            return;
        }
        let gone: Vec<MemberNumber> = state
            .members
            .iter()
            .filter(|m| m.node == node)
            .map(|m| m.number)
            .collect();
        for member in gone {
            self.order(&mut state, Event::Left { member }, None);
        }
    }

    /// Puts `event` next in the order: applies it here and sends it to the gateways that
    /// follow the room (those with a member in it before or after the event).
    pub(super) fn order(&self, state: &mut RoomState, event: Event, handle: Option<MemberHandle>) {
        let followed_before = state.members.iter().any(|m| m.node != self.me);
        state.seq += 1;
        // The orderer decided the event against this very state: it always applies.
        let _ = self.apply(state, &event, handle);
        let followed_after = state.members.iter().any(|m| m.node != self.me);
        if let (Some(link), true) = (&self.link, followed_before || followed_after) {
            if !link.publish(state.incarnation, self.me, state.seq, &event) {
                tracing::warn!(
                    "cluster: an event could not be queued; the gateways following the room \
                     will close it"
                );
            }
        }
    }

    /// Ends the room here: every member connected here is closed with `kick`, and the
    /// orderer (if another gateway) is told they left.
    pub fn close_here(&self, kick: Kick) {
        let mut state = self.state();
        if state.closed {
            return;
        }
        state.closed = true;
        let following = matches!(state.role, Role::Follower { .. });
        let (incarnation, orderer) = (state.incarnation, state.addressee());
        for member in &mut state.members {
            if let Seat::Here(handle) = &member.seat {
                handle.kick(kick);
                if let (Some(link), true) = (&self.link, following) {
                    link.forward(
                        incarnation,
                        orderer,
                        &Input::Leave {
                            member: member.number,
                        },
                    );
                }
                member.seat = Seat::Leaving;
            }
        }
        for (_, handle) in state.pending.drain(..) {
            handle.kick(kick);
        }
        drop(state);
        if let Some(link) = &self.link {
            link.ended();
        }
    }

    /// The room's state, for a gateway that is to follow it.
    pub(super) fn snapshot_of(&self, state: &RoomState) -> Snapshot {
        Snapshot {
            incarnation: state.incarnation,
            orderer: match state.role {
                Role::Orderer => self.me,
                Role::Follower { orderer, .. } => orderer,
            },
            seq: state.seq,
            verifier: state.verifier.map(|v| v.to_bytes()),
            members: state
                .members
                .iter()
                .map(|m| (m.number, m.node, m.join_id))
                .collect(),
            groups: state.order.export(),
        }
    }

    /// The room's incarnation (0 for a gateway running alone).
    pub fn incarnation(&self) -> u64 {
        self.state().incarnation
    }
}
