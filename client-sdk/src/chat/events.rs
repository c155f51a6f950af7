//! What a room reports, and the loop that produces it: gateway events and the group's own
//! timers in, [`ChatEvent`]s out.

use anoghost_protocol::{ErrorCode, ServerMessage};

use super::{ChatError, ChatRoom};
use crate::gateway::GatewayEvent;
use crate::mls::content::DirectContent;
use crate::mls::{MlsError, RoomEvent};

/// Something that happened in the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    /// This member is in the group: it can read and be read.
    InGroup,
    /// A message to the group.
    Message {
        /// The sender's member number.
        from: u16,
        /// What it says.
        text: String,
        /// Seconds after which to delete it (0: keep).
        ttl_secs: u32,
    },
    /// A message for this member only (payment vouchers travel this way).
    Direct {
        /// The sender's member number.
        from: u16,
        /// What it says.
        content: DirectContent,
    },
    /// The group's roster changed: who can read now.
    RosterChanged {
        /// Members added to the group.
        added: Vec<u16>,
        /// Members removed from the group.
        removed: Vec<u16>,
    },
    /// A member entered the room at the gateway (it is not in the group yet).
    MemberJoined {
        /// The newcomer's number.
        member: u16,
    },
    /// A member left the room at the gateway (the group removes it next).
    MemberLeft {
        /// The leaver's number.
        member: u16,
    },
    /// A member knocks (knock mode): the creator may approve or deny it.
    Knock {
        /// Its number.
        member: u16,
    },
    /// The room's creator refused this member.
    Denied,
    /// The gateway refused something this member sent, e.g. a message over the rate limit.
    Refused {
        /// The gateway's reason.
        code: ErrorCode,
    },
    /// A frame from a member was refused by the group (undecryptable, replayed, forged,
    /// against the room's rules). Nothing changed because of it.
    Rejected {
        /// The member the gateway named as its sender.
        from: u16,
        /// Why.
        reason: MlsError,
    },
    /// This member was removed from the group.
    Removed,
}

impl From<RoomEvent> for ChatEvent {
    fn from(event: RoomEvent) -> Self {
        match event {
            RoomEvent::InGroup => Self::InGroup,
            RoomEvent::RosterChanged { added, removed } => Self::RosterChanged { added, removed },
            RoomEvent::Message {
                from,
                text,
                ttl_secs,
            } => Self::Message {
                from,
                text,
                ttl_secs,
            },
            RoomEvent::Direct { from, content } => Self::Direct { from, content },
            RoomEvent::Knock { member } => Self::Knock { member },
            RoomEvent::Denied => Self::Denied,
            RoomEvent::Refused { from, reason } => Self::Rejected { from, reason },
            RoomEvent::Removed => Self::Removed,
        }
    }
}

impl ChatRoom {
    /// Returns the first queued event, waiting for gateway events and ticks until one is.
    pub(super) async fn step(&mut self) -> Result<ChatEvent, ChatError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(event);
            }
            self.pump().await?;
        }
    }

    /// Waits for the next gateway event or tick and feeds it to the group; the events it
    /// produced join the queue.
    pub(super) async fn pump(&mut self) -> Result<(), ChatError> {
        tokio::select! {
            event = self.client.next_event() => {
                let event = event?;
                self.on_gateway_event(event).await
            }
            now = self.ticker.tick() => {
                let out = self.group.tick(now.into_std());
                self.apply(out).await
            }
        }
    }

    async fn on_gateway_event(&mut self, event: GatewayEvent) -> Result<(), ChatError> {
        let out = match event {
            GatewayEvent::Frame {
                room,
                sender,
                kind,
                payload,
            } if room == self.room => self.group.on_frame(sender, kind, &payload),
            GatewayEvent::Message(message) => match message {
                ServerMessage::MemberJoined { room, member } if room == self.room => {
                    self.members.push(member);
                    self.pending.push_back(ChatEvent::MemberJoined { member });
                    self.group.on_member_joined(member)
                }
                ServerMessage::MemberLeft { room, member } if room == self.room => {
                    self.members.retain(|m| *m != member);
                    self.pending.push_back(ChatEvent::MemberLeft { member });
                    self.group.on_member_left(member)
                }
                ServerMessage::Committed { room, epoch } if room == self.room => {
                    self.group.on_committed(epoch)
                }
                ServerMessage::CommitRefused { room, epoch, .. } if room == self.room => {
                    self.group.on_commit_refused(epoch)
                }
                ServerMessage::Error { code, .. } => {
                    self.pending.push_back(ChatEvent::Refused { code });
                    return Ok(());
                }
                _ => return Ok(()),
            },
            GatewayEvent::Frame { .. } => return Ok(()),
        };
        self.apply(out).await
    }
}
