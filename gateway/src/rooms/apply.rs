//! What the orderer decides for each input, and what every gateway does with each event:
//! change the room's state and deliver to the members connected to it.

use anoghost_protocol::frame::{FrameKind, RelayedFrame};
use anoghost_protocol::mls_header::{private_message_header, ContentType};
use anoghost_protocol::{ErrorCode, ServerMessage};
use bytes::Bytes;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::event::{Event, Input};
use super::order::{CommitOrder, MAX_GROUP_ID};
use super::room::{Role, RoomState};
use super::{Kick, Member, MemberHandle, MemberNumber, NodeId, Outbound, Room, Seat};

/// An event this gateway cannot apply: its copy of the room no longer matches the
/// orderer's, so the room must end here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the room's events no longer match this gateway's copy of it")]
pub struct Diverged;

impl Room {
    /// The event the orderer makes of `input` from a member connected to gateway `from`,
    /// if any. Inputs naming a member who is not that gateway's are dropped.
    pub(super) fn decide(&self, state: &RoomState, from: NodeId, input: Input) -> Option<Event> {
        // A member here that is leaving sends nothing more but its departure.
        let leaving = matches!(input, Input::Leave { .. });
        let sent_by = |member: MemberNumber| {
            state.members.iter().any(|m| {
                m.number == member
                    && m.node == from
                    && (from != self.me() || leaving || m.here().is_some())
            })
        };
        match input {
            Input::Frame {
                sender,
                kind,
                to,
                payload,
            } => {
                if !sent_by(sender) {
                    return None;
                }
                let kind = FrameKind::from_byte(kind).ok()?;
                if kind == FrameKind::Group {
                    let header = private_message_header(&payload)
                        .ok()
                        .filter(|h| h.group_id.len() <= MAX_GROUP_ID)?;
                    if header.content_type == ContentType::Commit {
                        if let CommitOrder::Refused { current } =
                            state.order.check(header.group_id, header.epoch)
                        {
                            return Some(Event::CommitRefused {
                                member: sender,
                                epoch: header.epoch,
                                current,
                            });
                        }
                    }
                    return Some(Event::Frame {
                        sender,
                        kind: kind.to_byte(),
                        to: None,
                        payload,
                    });
                }
                let to =
                    to.filter(|&to| to != sender && state.members.iter().any(|m| m.number == to));
                Some(match to {
                    Some(to) => Event::Frame {
                        sender,
                        kind: kind.to_byte(),
                        to: Some(to),
                        payload,
                    },
                    None => Event::NoSuchMember { member: sender },
                })
            }
            Input::Leave { member } => sent_by(member).then_some(Event::Left { member }),
            Input::Sync { member, barrier } => {
                sent_by(member).then_some(Event::Synced { member, barrier })
            }
            Input::Abandon { join_id } => state
                .members
                .iter()
                .find(|m| m.node == from && m.join_id == join_id)
                .map(|m| Event::Left { member: m.number }),
        }
    }

    /// Applies `event`: changes the room and delivers to the members connected here.
    /// `handle` is the queue of a member admitted here by this very event.
    pub(super) fn apply(
        &self,
        state: &mut RoomState,
        event: &Event,
        handle: Option<MemberHandle>,
    ) -> Result<(), Diverged> {
        match event {
            &Event::Joined {
                member,
                node,
                join_id,
            } => self.apply_joined(state, member, node, join_id, handle),
            &Event::Left { member } => {
                let at = state
                    .members
                    .iter()
                    .position(|m| m.number == member)
                    .ok_or(Diverged)?;
                let gone = state.members.remove(at);
                if let Seat::Here(handle) = gone.seat {
                    // Its departure was decided elsewhere: its gateway lost touch.
                    handle.kick(Kick::ClusterUnavailable);
                }
                let left = ServerMessage::MemberLeft {
                    room: self.reference(),
                    member,
                };
                announce(&state.members, member, &text(&left));
                Ok(())
            }
            Event::Frame {
                sender,
                kind,
                to,
                payload,
            } => self.apply_frame(state, *sender, *kind, *to, payload),
            &Event::CommitRefused {
                member,
                epoch,
                current,
            } => {
                let refused = ServerMessage::CommitRefused {
                    room: self.reference(),
                    epoch,
                    current,
                };
                tell(&state.members, member, &refused);
                Ok(())
            }
            &Event::NoSuchMember { member } => {
                tell(
                    &state.members,
                    member,
                    &ServerMessage::error(ErrorCode::NoSuchMember),
                );
                Ok(())
            }
            &Event::Synced { member, barrier } => {
                if let Some(handle) = here(&state.members, member) {
                    handle.answer_barrier(barrier, &text(&ServerMessage::Synced {}));
                }
                Ok(())
            }
            &Event::Takeover { node, .. } => {
                if let Role::Follower { orderer, .. } = &mut state.role {
                    *orderer = node;
                }
                Ok(())
            }
        }
    }

    fn apply_joined(
        &self,
        state: &mut RoomState,
        member: MemberNumber,
        node: NodeId,
        join_id: u64,
        handle: Option<MemberHandle>,
    ) -> Result<(), Diverged> {
        if state.members.iter().any(|m| m.number == member) {
            return Err(Diverged);
        }
        let seat = if node != self.me() {
            Seat::Away
        } else {
            let waiting = state.pending.iter().position(|(id, _)| *id == join_id);
            match handle.or_else(|| waiting.map(|at| state.pending.swap_remove(at).1)) {
                Some(handle) => Seat::Here(handle),
                None => {
                    // A join this gateway gave up on was admitted after all: it leaves.
                    if let Some(link) = self.link() {
                        let orderer = state.addressee();
                        link.forward(state.incarnation, orderer, &Input::Leave { member });
                    }
                    Seat::Leaving
                }
            }
        };
        let joined = ServerMessage::MemberJoined {
            room: self.reference(),
            member,
        };
        announce(&state.members, member, &text(&joined));
        state.members.push(Member {
            number: member,
            node,
            join_id,
            seat,
        });
        Ok(())
    }

    fn apply_frame(
        &self,
        state: &mut RoomState,
        sender: MemberNumber,
        kind: u8,
        to: Option<MemberNumber>,
        payload: &Bytes,
    ) -> Result<(), Diverged> {
        let kind = FrameKind::from_byte(kind).map_err(|_| Diverged)?;
        let mut committed = None;
        if kind == FrameKind::Group {
            let header = private_message_header(payload).map_err(|_| Diverged)?;
            if header.content_type == ContentType::Commit {
                let order = state.order.offer_commit(header.group_id, header.epoch);
                if order != CommitOrder::Accepted {
                    return Err(Diverged);
                }
                committed = Some(header.epoch);
            }
        }
        let frame = RelayedFrame {
            room: self.reference(),
            sender,
            kind,
            payload,
        }
        .encode();
        match to {
            Some(to) => {
                if let Some(handle) = here(&state.members, to) {
                    handle.deliver(Outbound::Binary(frame));
                }
            }
            None => {
                for member in &state.members {
                    if let (Some(handle), true) = (member.here(), member.number != sender) {
                        handle.deliver(Outbound::Binary(frame.clone()));
                    }
                }
            }
        }
        if let Some(epoch) = committed {
            // At the commit's place in the order: every message before it was sent in the
            // old epoch, every one after in the new.
            let message = ServerMessage::Committed {
                room: self.reference(),
                epoch,
            };
            tell(&state.members, sender, &message);
        }
        Ok(())
    }
}

fn text(message: &ServerMessage) -> Utf8Bytes {
    crate::commands::encode(message).into()
}

fn here(members: &[Member], number: MemberNumber) -> Option<&MemberHandle> {
    members
        .iter()
        .find(|m| m.number == number)
        .and_then(Member::here)
}

/// Sends `message` to member `number` if it is connected here.
fn tell(members: &[Member], number: MemberNumber, message: &ServerMessage) {
    if let Some(handle) = here(members, number) {
        handle.deliver(Outbound::Text(text(message)));
    }
}

/// Sends `message` to every member connected here but `except`.
fn announce(members: &[Member], except: MemberNumber, message: &Utf8Bytes) {
    for member in members {
        if let (Some(handle), true) = (member.here(), member.number != except) {
            handle.deliver(Outbound::Text(message.clone()));
        }
    }
}
