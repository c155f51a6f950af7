//! Following a room another gateway orders: the snapshot a join's answer brings, the
//! numbered events after it, and taking the ordering over when the orderer goes away.

use ed25519_dalek::VerifyingKey;

use super::apply::Diverged;
use super::event::{Event, Input, Snapshot};
use super::order::RoomOrder;
use super::room::{Role, RoomState};
use super::{Member, MemberHandle, NodeId, Room, Seat};

/// Events kept while a followed room waits for its snapshot; more means the snapshot is
/// not coming.
const MAX_EARLY_EVENTS: usize = 4096;

/// Why a followed room must end here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    /// Raised if an event is missing: core NATS delivers at most once.
    #[error("an event of the room was lost")]
    Gap,
    /// Raised if an event does not fit this gateway's copy of the room.
    #[error(transparent)]
    Diverged(#[from] Diverged),
    /// Raised if the snapshot never came.
    #[error("the room's snapshot did not come")]
    NoSnapshot,
}

impl Room {
    /// Registers a join through this gateway: its `Joined` event will seat `handle`.
    pub fn expect_join(&self, join_id: u64, handle: MemberHandle) {
        self.state().pending.push((join_id, handle));
    }

    /// Forgets a join that was refused or given up on.
    pub fn forget_join(&self, join_id: u64) {
        self.state().pending.retain(|(id, _)| *id != join_id);
    }

    /// The gateway ordering the room, when another one does.
    pub fn orderer(&self) -> Option<NodeId> {
        match self.state().role {
            Role::Orderer => None,
            Role::Follower { orderer, .. } => Some(orderer),
        }
    }

    /// Installs the snapshot a join's answer brought, unless one already was, then applies
    /// the events that arrived before it.
    pub fn install(&self, snapshot: Snapshot) -> Result<(), Broken> {
        let mut state = self.state();
        let early = match &mut state.role {
            Role::Follower {
                orderer,
                synced: synced @ false,
                early,
            } => {
                *synced = true;
                *orderer = snapshot.orderer;
                std::mem::take(early)
            }
            _ => return Ok(()),
        };
        state.incarnation = snapshot.incarnation;
        state.seq = snapshot.seq;
        state.verifier = snapshot
            .verifier
            .and_then(|bytes| VerifyingKey::from_bytes(&bytes).ok());
        state.order = RoomOrder::import(snapshot.groups);
        state.members.clear();
        for (number, node, join_id) in snapshot.members {
            let seat = if node != self.me() {
                Seat::Away
            } else {
                match state.pending.iter().position(|(id, _)| *id == join_id) {
                    Some(at) => Seat::Here(state.pending.swap_remove(at).1),
                    None => {
                        // Admitted for a join this gateway gave up on: it leaves.
                        if let Some(link) = self.link() {
                            let (incarnation, orderer) = (state.incarnation, state.addressee());
                            link.forward(incarnation, orderer, &Input::Leave { member: number });
                        }
                        Seat::Leaving
                    }
                }
            };
            state.members.push(Member {
                number,
                node,
                join_id,
                seat,
            });
        }
        for (incarnation, orderer, seq, event) in early {
            self.follow_locked(&mut state, (incarnation, orderer, seq), event)?;
        }
        Ok(())
    }

    /// Applies event `seq` of room incarnation `incarnation` that gateway `orderer`
    /// published. Duplicates, and events of another incarnation or of an orderer the room
    /// no longer follows, are dropped; a gap breaks the room.
    pub fn follow(
        &self,
        incarnation: u64,
        orderer: NodeId,
        seq: u64,
        event: Event,
    ) -> Result<(), Broken> {
        let mut state = self.state();
        self.follow_locked(&mut state, (incarnation, orderer, seq), event)
    }

    fn follow_locked(
        &self,
        state: &mut RoomState,
        (incarnation, from, seq): (u64, NodeId, u64),
        event: Event,
    ) -> Result<(), Broken> {
        if state.closed {
            return Ok(());
        }
        let current = match &mut state.role {
            Role::Orderer => return Ok(()),
            Role::Follower {
                synced: false,
                early,
                ..
            } => {
                early.push((incarnation, from, seq, event));
                return if early.len() > MAX_EARLY_EVENTS {
                    Err(Broken::NoSnapshot)
                } else {
                    Ok(())
                };
            }
            Role::Follower { orderer, .. } => *orderer,
        };
        if incarnation != state.incarnation {
            return Ok(());
        }
        match event {
            // A new orderer continues from its own copy: it must be this one.
            Event::Takeover { node, after }
                if node == from && from != current && after != state.seq =>
            {
                return Err(Broken::Gap)
            }
            Event::Takeover { node, .. } if node == from && from != current => {}
            // Late events of an orderer the room has moved away from.
            _ if from != current => return Ok(()),
            _ => {}
        }
        if seq <= state.seq {
            return Ok(());
        }
        if seq != state.seq + 1 {
            return Err(Broken::Gap);
        }
        state.seq = seq;
        self.apply(state, &event, None)?;
        Ok(())
    }

    /// Following a room whose orderer, gateway `gone`, went away: the gateway that takes
    /// the ordering over, the lowest-numbered one still serving a member. Every follower
    /// computes the same answer from the same events.
    pub fn successor(&self, gone: NodeId, alive: impl Fn(NodeId) -> bool) -> Option<NodeId> {
        let state = self.state();
        match state.role {
            Role::Follower {
                orderer,
                synced: true,
                ..
            } if orderer == gone => {}
            _ => return None,
        }
        state
            .members
            .iter()
            .map(|m| m.node)
            .filter(|&node| node != gone && (node == self.me() || alive(node)))
            .min()
    }

    /// Asks this gateway's listener for the room to take its ordering over from `gone`
    /// (it claims the ordering first, then calls [`Self::take_over`]).
    pub fn promote(&self, gone: NodeId) {
        if let Some(link) = self.link() {
            link.promote(gone);
        }
    }

    /// Takes over the ordering from gateway `gone`: this gateway orders the room from
    /// the next event on, starting with the departure of `gone`'s members.
    pub fn take_over(&self, gone: NodeId) -> bool {
        let mut state = self.state();
        match state.role {
            Role::Follower {
                orderer,
                synced: true,
                ..
            } if orderer == gone && !state.closed => {}
            _ => return false,
        }
        state.role = Role::Orderer;
        let after = state.seq;
        let me = self.me();
        self.order(&mut state, Event::Takeover { node: me, after }, None);
        let gone_members: Vec<_> = state
            .members
            .iter()
            .filter(|m| m.node == gone)
            .map(|m| m.number)
            .collect();
        for member in gone_members {
            self.order(&mut state, Event::Left { member }, None);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::rooms::{Admission, Outbound, RoomLink};

    /// Records what the room sends to the cluster.
    #[derive(Debug, Default)]
    struct Recorder {
        published: Mutex<Vec<(u64, Event)>>,
        forwarded: Mutex<Vec<Input>>,
    }

    impl RoomLink for Recorder {
        fn publish(&self, _: u64, _: NodeId, seq: u64, event: &Event) -> bool {
            self.published.lock().unwrap().push((seq, event.clone()));
            true
        }
        fn forward(&self, _: u64, _: NodeId, input: &Input) -> bool {
            self.forwarded.lock().unwrap().push(input.clone());
            true
        }
        fn ended(&self) {}
        fn promote(&self, _: NodeId) {}
    }

    const ORDERER: NodeId = 10;
    const ME: NodeId = 20;

    fn snapshot(seq: u64, members: Vec<(u16, NodeId, u64)>) -> Snapshot {
        Snapshot {
            incarnation: 5,
            orderer: ORDERER,
            seq,
            verifier: None,
            members,
            groups: Vec::new(),
        }
    }

    fn followed() -> (Room, Arc<Recorder>, MemberHandle, Arc<crate::rooms::Outbox>) {
        let link = Arc::new(Recorder::default());
        let room = Room::followed(1, ME, link.clone());
        let (handle, outbox) = MemberHandle::new(16);
        room.expect_join(77, handle.clone());
        (room, link, handle, outbox)
    }

    fn texts(outbox: &crate::rooms::Outbox) -> Vec<String> {
        std::iter::from_fn(|| outbox.try_recv())
            .map(|item| match item {
                Outbound::Text(text) => text.to_string(),
                Outbound::Binary(_) => "binary".into(),
            })
            .collect()
    }

    #[test]
    fn events_before_the_snapshot_wait_and_those_it_covers_are_dropped() {
        let (room, _, _, outbox) = followed();
        let joined_later = Event::Joined {
            member: 3000,
            node: ORDERER,
            join_id: 0,
        };
        room.follow(5, ORDERER, 4, joined_later).unwrap();
        room.follow(5, ORDERER, 3, Event::Left { member: 2000 })
            .unwrap();
        room.install(snapshot(3, vec![(1000, ORDERER, 0), (1234, ME, 77)]))
            .unwrap();
        assert_eq!(
            room.len(),
            3,
            "event 4 applied, event 3 was in the snapshot"
        );
        let delivered = texts(&outbox);
        assert_eq!(delivered.len(), 1, "{delivered:?}");
        assert!(delivered[0].contains("member_joined") && delivered[0].contains("3000"));
    }

    #[test]
    fn a_gap_breaks_the_room_and_duplicates_or_other_incarnations_are_dropped() {
        let (room, _, _, _) = followed();
        room.install(snapshot(3, vec![(1234, ME, 77)])).unwrap();
        let joined = |member| Event::Joined {
            member,
            node: ORDERER,
            join_id: 0,
        };
        room.follow(5, ORDERER, 4, joined(1001)).unwrap();
        room.follow(5, ORDERER, 4, joined(1002)).unwrap();
        room.follow(6, ORDERER, 5, joined(1003)).unwrap();
        room.follow(5, 99, 5, joined(1004)).unwrap();
        assert_eq!(room.len(), 2, "only the first event 4 applied");
        assert_eq!(
            room.follow(5, ORDERER, 7, joined(1005)),
            Err(Broken::Gap),
            "event 6 is missing"
        );
    }

    #[test]
    fn a_takeover_continues_the_numbering_only_from_the_same_place() {
        let (room, _, _, _) = followed();
        room.install(snapshot(
            3,
            vec![(1234, ME, 77), (1000, ORDERER, 0), (1500, 30, 0)],
        ))
        .unwrap();
        assert_eq!(
            room.successor(ORDERER, |_| true),
            Some(ME),
            "the lowest node left"
        );
        let takeover = |after| Event::Takeover { node: 30, after };
        assert_eq!(room.follow(5, 30, 4, takeover(2)), Err(Broken::Gap));
        let (room, _, _, _) = followed();
        room.install(snapshot(3, vec![(1234, ME, 77), (1000, ORDERER, 0)]))
            .unwrap();
        room.follow(5, 30, 4, takeover(3)).unwrap();
        assert_eq!(room.orderer(), Some(30));
        room.follow(5, ORDERER, 5, Event::Left { member: 1234 })
            .unwrap();
        assert_eq!(room.len(), 2, "the old orderer is no longer followed");
    }

    #[test]
    fn taking_over_orders_the_departure_of_the_gone_gateways_members() {
        let (room, link, _, _) = followed();
        room.install(snapshot(
            8,
            vec![(1234, ME, 77), (1000, ORDERER, 0), (1500, 30, 0)],
        ))
        .unwrap();
        assert!(room.take_over(ORDERER));
        assert!(room.is_ordered_here());
        let published = link.published.lock().unwrap().clone();
        assert_eq!(
            published,
            vec![
                (9, Event::Takeover { node: ME, after: 8 }),
                (10, Event::Left { member: 1000 }),
            ]
        );
        let capacity = 10;
        let joined = room
            .admit(30, 5, None, &Admission::Checked, capacity)
            .unwrap();
        assert_eq!(joined.others.len(), 2);
    }

    #[test]
    fn a_join_given_up_on_but_admitted_leaves_again() {
        let (room, link, _, _) = followed();
        room.forget_join(77);
        room.install(snapshot(3, vec![(1234, ME, 77)])).unwrap();
        assert_eq!(
            link.forwarded.lock().unwrap().clone(),
            vec![Input::Leave { member: 1234 }]
        );
    }
}
