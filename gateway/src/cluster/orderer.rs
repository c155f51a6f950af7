//! Ordering a room for the cluster: joins, inputs and claims arrive on the room's orderer
//! subject; the room turns them into events.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use async_nats::{Message, Subscriber};
use ed25519_dalek::Signature;
use futures_util::StreamExt;

use super::link::ClusterLink;
use super::transport::answer_aad;
use super::wire::{ClaimAnswer, JoinAnswer, ToOrderer, WireAdmission};
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
}

/// The next input number expected on each gateway's link to the room. A link's numbering
/// starts from whatever its first input here says (it may have sent earlier inputs to a
/// previous orderer); after that:
/// - the next number is taken;
/// - a number already taken is a replay (NATS itself delivers a message once) and is
///   dropped, changing nothing;
/// - a number further on means inputs were lost: the gateway's members leave, and the link
///   goes on from there.
///
/// Links are remembered for as long as the room is ordered here (up to
/// [`LINKS_REMEMBERED`]), so a link's old inputs cannot be replayed once its gateway has no
/// member left either.
#[derive(Debug, Default)]
struct InputNumbers {
    next: HashMap<(NodeId, u64), u64>,
    /// `next`'s keys, oldest first.
    order: VecDeque<(NodeId, u64)>,
}

/// Links one ordered room remembers; past this the oldest is forgotten. A gateway starts a
/// link each time it starts following the room, so this is 256 times that a member joined
/// through a gateway with nobody else of the room on it (under 10 KiB).
const LINKS_REMEMBERED: usize = 256;

/// What an input's number says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbered {
    /// The next input of its link.
    Next,
    /// Taken already: a replay.
    Replayed,
    /// Inputs before it on its link were lost.
    AfterGap,
}

impl InputNumbers {
    /// Where input `seq` on `link` of gateway `node` stands, counting it.
    fn take(&mut self, node: NodeId, link: u64, seq: u64) -> Numbered {
        let Some(expected) = self.next.get_mut(&(node, link)) else {
            if self.order.len() >= LINKS_REMEMBERED {
                if let Some(oldest) = self.order.pop_front() {
                    self.next.remove(&oldest);
                }
            }
            self.order.push_back((node, link));
            self.next.insert((node, link), seq.saturating_add(1));
            return Numbered::Next;
        };
        match seq.cmp(expected) {
            std::cmp::Ordering::Equal => {
                *expected = seq.saturating_add(1);
                Numbered::Next
            }
            std::cmp::Ordering::Less => Numbered::Replayed,
            std::cmp::Ordering::Greater => {
                *expected = seq.saturating_add(1);
                Numbered::AfterGap
            }
        }
    }
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
        match request {
            ToOrderer::Join {
                node,
                join_id,
                admission,
            } => {
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
            } => self.input(node, orderer, incarnation, (link, seq), input),
            ToOrderer::Claim {
                node,
                claim,
                established,
            } => {
                let Some(answer) = answer_claim(&self.room, transport.node(), node, established)
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
        // Addressed to another orderer (one the room had before this one): refused, so that
        // an input recorded on its way there cannot be replayed here. 0 is a follower that
        // has not learned its orderer yet, which only ever gives up a join.
        if orderer != self.cluster.transport.node()
            && !(orderer == 0 && matches!(input, Input::Abandon { .. }))
        {
            return;
        }
        let may_end = matches!(input, Input::Leave { .. } | Input::Abandon { .. });
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
/// steps down. An established claim comes from a gateway taking the room over because it
/// believes `me` gone: it may already order the room, so going on here could fork the
/// room's order. The room closes here instead (members get `cluster_unavailable` and may
/// join again, on the room's new orderer).
fn answer_claim(room: &Room, me: NodeId, node: NodeId, established: bool) -> Option<ClaimAnswer> {
    if established && node != me {
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

    #[test]
    fn inputs_must_follow_each_other_per_link_and_a_gap_is_reported_once() {
        let mut inputs = InputNumbers::default();
        assert_eq!(
            inputs.take(7, 1, 40),
            Numbered::Next,
            "the first input sets the numbering"
        );
        assert_eq!(inputs.take(7, 1, 41), Numbered::Next);
        assert_eq!(
            inputs.take(7, 2, 0),
            Numbered::Next,
            "another link of the same gateway"
        );
        assert_eq!(inputs.take(9, 1, 5), Numbered::Next, "another gateway");
        assert_eq!(
            inputs.take(7, 1, 43),
            Numbered::AfterGap,
            "input 42 was lost"
        );
        assert_eq!(inputs.take(7, 1, 44), Numbered::Next, "the link goes on");
        assert_eq!(
            inputs.take(9, 1, 6),
            Numbered::Next,
            "the other gateway is not affected"
        );
    }

    #[test]
    fn a_replayed_input_changes_nothing_however_late() {
        let mut inputs = InputNumbers::default();
        for seq in 0..3 {
            assert_eq!(inputs.take(7, 1, seq), Numbered::Next);
        }
        for seq in [2, 0, 1, 2] {
            assert_eq!(
                inputs.take(7, 1, seq),
                Numbered::Replayed,
                "input {seq} again: not a gap, and not taken"
            );
        }
        assert_eq!(inputs.take(7, 1, 3), Numbered::Next, "the link goes on");
        // Other links come and go (their gateways' members leave): link 1's numbers are
        // still remembered.
        for link in 1..(LINKS_REMEMBERED as u64) {
            inputs.take(8, link, 0);
        }
        assert_eq!(inputs.take(7, 1, 1), Numbered::Replayed);
        // Past the bound the oldest link is forgotten, and its next input starts it over.
        inputs.take(8, 9_999, 0);
        assert_eq!(inputs.take(7, 1, 1), Numbered::Next);
    }

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

    #[test]
    fn an_established_claim_from_another_gateway_closes_the_room_here() {
        let (room, outbox) = ordered_room_with_a_member();
        assert_eq!(
            answer_claim(&room, ME, 20, true),
            None,
            "the orderer steps down"
        );
        assert!(room.is_retired(), "nothing more is ordered here");
        assert_eq!(
            outbox.kick().reason(),
            Some(Kick::ClusterUnavailable),
            "its members are closed with 1012"
        );
        assert!(room.admit(ME, 0, None, &Admission::Creator, 8).is_err());
    }

    #[test]
    fn a_new_rooms_claim_is_answered_and_the_room_goes_on() {
        let (room, outbox) = ordered_room_with_a_member();
        let answer = answer_claim(&room, ME, 20, false);
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
