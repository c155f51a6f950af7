//! Ordering a room for the cluster: joins, inputs and claims arrive on the room's orderer
//! subject; the room turns them into events.

use std::sync::Arc;

use async_nats::{Message, Subscriber};
use ed25519_dalek::Signature;
use futures_util::StreamExt;

use super::link::ClusterLink;
use super::replay::{InputNumbers, Numbered, RecentJoins};
use super::transport::answer_aad;
use super::wire::{ClaimAnswer, JoinAnswer, Takeover, ToOrderer, WireAdmission};
use super::Cluster;
use crate::rooms::{Admission, Input, JoinError, Kick, NodeId, Room, RoomKey};
use crate::state::Gateway;

impl From<WireAdmission> for Admission {
    fn from(admission: WireAdmission) -> Self {
        match admission {
            WireAdmission::Proof { message, signature } => Admission::Proof {
                message,
                signature: signature
                    .and_then(|bytes| <[u8; 64]>::try_from(bytes).ok())
                    .map(|bytes| Signature::from_bytes(&bytes)),
            },
            WireAdmission::Checked => Admission::Checked,
        }
    }
}

/// One ordered room's listener.
pub(super) struct Orderer {
    pub(super) cluster: Arc<Cluster>,
    pub(super) gateway: Arc<Gateway>,
    pub(super) key: RoomKey,
    pub(super) room: Arc<Room>,
    pub(super) link: Arc<ClusterLink>,
    inputs: InputNumbers,
    joins: RecentJoins,
}

impl Orderer {
    pub(super) fn new(
        cluster: Arc<Cluster>,
        gateway: Arc<Gateway>,
        key: RoomKey,
        room: Arc<Room>,
        link: Arc<ClusterLink>,
    ) -> Self {
        Self {
            cluster,
            gateway,
            key,
            room,
            link,
            inputs: InputNumbers::default(),
            joins: RecentJoins::default(),
        }
    }

    /// Handles what arrived during the claim, then everything else, until the room ends
    /// here.
    pub(super) async fn serve(mut self, mut subscription: Subscriber, held: Vec<Message>) {
        for message in held {
            if !self.handle(message).await {
                return;
            }
        }
        loop {
            tokio::select! {
                () = self.link.ended.notified() => break,
                message = subscription.next() => match message {
                    Some(message) => {
                        if !self.handle(message).await {
                            break;
                        }
                    }
                    None => break,
                },
            }
        }
    }

    /// Handles one message; `false` when the room ended here because of it.
    async fn handle(&mut self, message: Message) -> bool {
        let transport = &self.cluster.transport;
        let subject = &self.link.subjects.orderer;
        let Some(request) = transport.open::<ToOrderer>(subject, &message.payload) else {
            return true;
        };
        if !self.is_fresh(&request) {
            return true;
        }
        match request {
            ToOrderer::Join {
                node,
                join_id,
                admission,
                ..
            } => {
                // A join request seen already is a replay: its joiner had its answer.
                if !self.joins.first_time(join_id) {
                    return true;
                }
                let answer = self.admit(node, join_id, admission.into());
                if let Some(reply) = &message.reply {
                    transport.send(reply, &answer_aad(subject, join_id), &answer);
                }
            }
            ToOrderer::Input {
                node,
                orderer,
                incarnation,
                link,
                seq,
                input,
                ..
            } => self.input(node, orderer, incarnation, (link, seq), input),
            ToOrderer::Claim {
                node,
                claim,
                takes_over,
                ..
            } => {
                let Some(answer) = answer_claim(&self.room, transport.node(), node, takes_over)
                else {
                    tracing::warn!(
                        "cluster: another gateway takes over a room ordered here; it closes here"
                    );
                    self.gateway.rooms.remove(self.key, &self.room);
                    return false;
                };
                if let Some(reply) = &message.reply {
                    // Past the publish queue: a late answer lets the claimant take the room.
                    transport
                        .send_now(reply, &answer_aad(subject, claim), &answer)
                        .await;
                }
            }
        }
        true
    }

    /// Whether `request` may be taken: not one of this gateway's own (NATS never echoes
    /// them, so one arriving is a replay), and stamped no more than `nodes::BEAT_SLACK`
    /// heartbeats before the last heard from its gateway.
    fn is_fresh(&self, request: &ToOrderer) -> bool {
        let (node, beat) = match request {
            ToOrderer::Join { node, beat, .. }
            | ToOrderer::Input { node, beat, .. }
            | ToOrderer::Claim { node, beat, .. } => (*node, *beat),
        };
        node != self.cluster.transport.node() && self.cluster.nodes.is_fresh(node, beat)
    }

    fn admit(&self, node: NodeId, join_id: u64, admission: Admission) -> JoinAnswer {
        if self.room.is_retired() {
            return JoinAnswer::Ended;
        }
        let capacity = self.gateway.rooms.max_members();
        match self
            .room
            .admit_with_snapshot(node, join_id, &admission, capacity)
        {
            Ok((admitted, snapshot)) => JoinAnswer::Admitted {
                member: admitted.member,
                others: admitted.others,
                snapshot,
            },
            Err(JoinError::Full) => JoinAnswer::Full,
            Err(_) if self.room.is_retired() => JoinAnswer::Ended,
            Err(_) => JoinAnswer::NotFound,
        }
    }

    fn input(
        &mut self,
        node: NodeId,
        orderer: NodeId,
        incarnation: u64,
        (link, seq): (u64, u64),
        input: Input,
    ) {
        if incarnation != self.room.incarnation() {
            return;
        }
        let may_end = matches!(input, Input::Leave { .. } | Input::Abandon { .. });
        if orderer != self.cluster.transport.node() {
            // Addressed to another orderer: one the room had before this one (the follower
            // has not applied the takeover yet), or none yet (0: a follower giving up a join
            // before its snapshot). A departure is taken, outside the link's numbering (the
            // link's inputs to this orderer are numbered apart); anything else is refused,
            // so that an input recorded on its way to another orderer cannot be replayed
            // here. A replayed departure removes a member once at most, and only within
            // the freshness window (`is_fresh`).
            if may_end {
                self.room.input(node, input);
                self.gateway.rooms.remove_if_done(self.key, &self.room);
            }
            return;
        }
        match self.inputs.take(node, link, seq) {
            Numbered::Next => self.room.input(node, input),
            Numbered::Replayed => {}
            Numbered::AfterGap => {
                // An input from that gateway was lost: its members' view of the room can no
                // longer be trusted, so they leave (their gateway closes their connections).
                tracing::warn!("cluster: an input was lost; that gateway's members leave the room");
                self.room.evict(node);
            }
        }
        if may_end {
            self.gateway.rooms.remove_if_done(self.key, &self.room);
        }
    }
}

/// The answer of `me`, ordering `room`, to gateway `node`'s claim on it; `None` when `me`
/// steps down. A claim taking over this very incarnation from `me` comes from a gateway
/// that believes `me` gone: it may already order the room, so going on here could fork the
/// room's order. The room closes here instead (members get `cluster_unavailable` and may
/// join again, on the room's new orderer). Any other claim (a new room's, or a takeover
/// from another gateway or of an earlier incarnation, as a replay would be) is answered:
/// the room is ordered here, and the claimant backs off.
fn answer_claim(
    room: &Room,
    me: NodeId,
    node: NodeId,
    takes_over: Option<Takeover>,
) -> Option<ClaimAnswer> {
    let takes_this_over =
        takes_over.is_some_and(|t| t.from == me && t.incarnation == room.incarnation());
    if takes_this_over && node != me {
        room.close_here(Kick::ClusterUnavailable);
        return None;
    }
    Some(ClaimAnswer {
        node: me,
        established: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link that sends nothing anywhere.
    #[derive(Debug)]
    struct Silent;

    impl crate::rooms::RoomLink for Silent {
        fn publish(&self, _: u64, _: NodeId, _: u64, _: &crate::rooms::Event) -> bool {
            true
        }
        fn forward(&self, _: u64, _: NodeId, _: &Input) -> bool {
            true
        }
        fn ended(&self) {}
        fn promote(&self, _: NodeId) {}
    }

    const ME: NodeId = 10;

    fn ordered_room_with_a_member() -> (Room, Arc<crate::rooms::Outbox>) {
        let room = Room::ordered_here(1, None, ME, Arc::new(Silent), 5);
        let (handle, outbox) = crate::rooms::MemberHandle::new(16);
        room.admit(ME, 0, Some(handle), &Admission::Creator, 8)
            .unwrap();
        (room, outbox)
    }

    /// A takeover of incarnation 5 (the test room's) from gateway `from`.
    fn takeover_from(from: NodeId, incarnation: u64) -> Option<Takeover> {
        Some(Takeover { from, incarnation })
    }

    #[test]
    fn a_claim_taking_this_room_over_from_here_closes_it_here() {
        let (room, outbox) = ordered_room_with_a_member();
        assert_eq!(
            answer_claim(&room, ME, 20, takeover_from(ME, 5)),
            None,
            "the orderer steps down"
        );
        assert!(room.is_retired(), "nothing more is ordered here");
        assert_eq!(
            outbox.kick().reason(),
            Some(Kick::ClusterUnavailable),
            "its members are closed with 1012"
        );
        assert_eq!(
            room.admit(ME, 0, None, &Admission::Creator, 8).err(),
            Some(JoinError::NotFound),
            "a room that stepped down admits nobody, as if it did not exist"
        );
    }

    #[test]
    fn a_new_rooms_claim_is_answered_and_the_room_goes_on() {
        let (room, outbox) = ordered_room_with_a_member();
        let answer = answer_claim(&room, ME, 20, None);
        assert_eq!(
            answer,
            Some(ClaimAnswer {
                node: ME,
                established: true
            }),
            "the claimant backs off"
        );
        assert!(!room.is_retired());
        assert_eq!(outbox.kick().reason(), None);
    }

    #[test]
    fn a_takeover_claim_for_another_orderer_or_incarnation_is_answered_not_obeyed() {
        let (room, outbox) = ordered_room_with_a_member();
        for replayed in [takeover_from(30, 5), takeover_from(ME, 4)] {
            assert_eq!(
                answer_claim(&room, ME, 20, replayed),
                Some(ClaimAnswer {
                    node: ME,
                    established: true
                }),
                "{replayed:?}: the room is ordered here"
            );
        }
        assert!(!room.is_retired(), "a replayed takeover closes nothing");
        assert_eq!(outbox.kick().reason(), None);
    }

    #[tokio::test]
    async fn a_departure_addressed_to_the_previous_orderer_is_taken_and_nothing_else() {
        let cluster = Cluster::offline();
        let me = cluster.transport.node();
        let gateway = Gateway::new(
            crate::GatewayConfig::local_defaults(),
            None,
            None,
            tokio::sync::watch::channel(false),
        );
        let key = RoomKey::Free(123_456);
        let subjects = cluster.transport.keys.subjects(&key);
        let link = ClusterLink::new(cluster.transport.clone(), subjects);
        let room = Arc::new(Room::ordered_here(1, None, me, link.clone(), 5));
        let (handle, outbox) = crate::rooms::MemberHandle::new(16);
        let here = room
            .admit(me, 0, Some(handle), &Admission::Creator, 8)
            .unwrap()
            .member;
        // Two members on gateway 20, which followed the previous orderer, 30.
        let leaving = room
            .admit(20, 1, None, &Admission::Checked, 8)
            .unwrap()
            .member;
        let staying = room
            .admit(20, 2, None, &Admission::Checked, 8)
            .unwrap()
            .member;
        let mut orderer = Orderer::new(cluster, gateway, key, room.clone(), link);
        let frame = |sender| Input::Frame {
            sender,
            kind: 5,
            to: Some(here),
            payload: bytes::Bytes::from_static(b"to the member here"),
        };
        let relayed = || {
            let mut frames = 0;
            while let Some(item) = outbox.try_recv() {
                frames += usize::from(matches!(item, crate::rooms::Outbound::Binary(_)));
            }
            frames
        };
        let previous = 30;
        relayed();

        orderer.input(20, previous, 5, (1, 0), frame(staying));
        assert_eq!(
            relayed(),
            0,
            "a frame addressed to the previous orderer is refused"
        );
        for seq in 0..3 {
            orderer.input(20, me, 5, (1, seq), frame(staying));
        }
        assert_eq!(relayed(), 3, "addressed here, frames are relayed");
        orderer.input(20, previous, 5, (1, 0), Input::Leave { member: leaving });
        assert!(
            !room.members().contains(&leaving),
            "a departure addressed to the previous orderer is taken (else a ghost stays)"
        );
        orderer.input(20, me, 5, (1, 3), frame(staying));
        assert_eq!(
            relayed(),
            1,
            "taken outside the link's numbering: the next input is neither a gap nor a replay"
        );
        assert!(room.members().contains(&staying));
    }

    #[test]
    fn a_joiners_snapshot_holds_exactly_the_room_up_to_its_admission() {
        // Two gateways' joins admitted at once: had the snapshot been taken after the
        // admission's lock was let go, it could hold the other join too, which the
        // joiner's gateway would then never be sent.
        let room = Room::ordered_here(1, None, ME, Arc::new(Silent), 5);
        std::thread::scope(|scope| {
            for node in [20, 30] {
                let room = &room;
                scope.spawn(move || {
                    for join_id in 0..400 {
                        let (admitted, snapshot) = room
                            .admit_with_snapshot(node, join_id, &Admission::Checked, 1000)
                            .unwrap();
                        let mut expected = admitted.others.clone();
                        expected.push(admitted.member);
                        let held: Vec<_> = snapshot.members.iter().map(|m| m.0).collect();
                        assert_eq!(held, expected, "join {join_id} of gateway {node}");
                        assert_eq!(snapshot.seq, held.len() as u64);
                    }
                });
            }
        });
    }
}
