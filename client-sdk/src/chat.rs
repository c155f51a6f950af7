//! A room you can talk in: a [`GatewayClient`] carrying a [`RoomSession`]'s payloads.
//! The gateway sees only what this module hands to `send_frame`: ciphertext.

use std::collections::{BTreeSet, VecDeque};

use rand::rngs::OsRng;

use crate::crypto::announce::Verification;
use crate::crypto::body::Body;
use crate::crypto::session::{Outcome, RoomSession, SessionEvent};
use crate::crypto::CryptoError;
use crate::gateway::{ClientError, GatewayClient, GatewayEvent};
use crate::invite::Invite;
use anoghost_protocol::{ErrorCode, ServerMessage};

/// Something that happened in the room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    /// A message from another member.
    Message {
        /// The sender's member number.
        from: u16,
        /// What it says.
        body: Body,
        /// Seconds after which to delete it (0: keep).
        ttl_secs: u32,
    },
    /// A message for this member only (payment vouchers travel this way).
    DirectMessage {
        /// The sender's member number.
        from: u16,
        /// What it says.
        body: Body,
    },
    /// A member joined (keys not yet known).
    MemberJoined {
        /// The newcomer.
        member: u16,
    },
    /// A member left.
    MemberLeft {
        /// The leaver.
        member: u16,
    },
    /// A member's keys were accepted.
    MemberKeys {
        /// The member.
        member: u16,
        /// Checked with the room secret, or to be checked with safety numbers.
        verification: Verification,
    },
    /// A member's keys were refused (for example a MAC failure: possible substitution).
    MemberRejected {
        /// The member.
        member: u16,
        /// Why.
        reason: CryptoError,
    },
    /// A member's sending chain arrived: its messages can be read from now on.
    MemberReadable {
        /// The member.
        member: u16,
    },
    /// The gateway refused something this member sent, e.g. a message over the rate limit.
    Refused {
        /// The gateway's reason.
        code: ErrorCode,
    },
    /// A payload from a member could not be decrypted or verified.
    Undecryptable {
        /// The claimed sender.
        from: u16,
        /// Why.
        reason: CryptoError,
    },
}

/// Why a chat operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// Raised on a gateway or connection failure.
    #[error(transparent)]
    Gateway(#[from] ClientError),
    /// Raised if a message could not be encrypted.
    #[error("cannot encrypt: {0}")]
    Crypto(#[from] CryptoError),
}

/// A joined room with end-to-end encryption.
pub struct ChatRoom {
    client: GatewayClient,
    session: RoomSession,
    room: u32,
    invite: Option<Invite>,
    members: BTreeSet<u16>,
    pending: VecDeque<ChatEvent>,
}

impl std::fmt::Debug for ChatRoom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatRoom")
            .field("me", &self.session.me())
            .finish_non_exhaustive()
    }
}

impl ChatRoom {
    /// Creates a free room at the gateway `url`, with a fresh room secret.
    pub async fn create(url: &str) -> Result<Self, ChatError> {
        let mut client = GatewayClient::connect(url).await?;
        let joined = client.create_room().await?;
        let code = joined
            .code
            .clone()
            .ok_or_else(|| ClientError::Protocol("free room without a code".into()))?;
        let invite = Invite::generate(&code, &mut OsRng);
        Self::enter(client, joined, Some(invite), None).await
    }

    /// Joins the free room of `invite` at the gateway `url`.
    pub async fn join(url: &str, invite: &Invite) -> Result<Self, ChatError> {
        let mut client = GatewayClient::connect(url).await?;
        let joined = client.join_room(&invite.code).await?;
        Self::enter(client, joined, Some(invite.clone()), None).await
    }

    /// Joins the paid room of the held key `key`: its holder proves the key to the gateway,
    /// and the room secret from its invite authenticates members to each other, as an
    /// invite's secret does in a free room.
    pub async fn join_paid(url: &str, key: &crate::paid::HeldKey) -> Result<Self, ChatError> {
        let mut client = GatewayClient::connect(url).await?;
        let joined = client
            .join_paid_room(&key.holder, &key.invite.room_tag())
            .await?;
        Self::enter(client, joined, None, Some(&key.invite.secret)).await
    }

    async fn enter(
        mut client: GatewayClient,
        joined: crate::gateway::Joined,
        invite: Option<Invite>,
        paid_secret: Option<&crate::crypto::secret::RoomSecret>,
    ) -> Result<Self, ChatError> {
        let secret = invite.as_ref().map(|invite| &invite.secret).or(paid_secret);
        let (session, announcement) = RoomSession::join(
            joined.room,
            joined.member,
            &joined.members,
            secret,
            &mut OsRng,
        );
        client.send_frame(joined.room, &announcement).await?;
        Ok(Self {
            client,
            session,
            room: joined.room,
            invite,
            members: joined.members.into_iter().collect(),
            pending: VecDeque::new(),
        })
    }

    /// The invite to share (code and secret).
    pub fn invite(&self) -> Option<&Invite> {
        self.invite.as_ref()
    }

    /// This member's number.
    pub fn me(&self) -> u16 {
        self.session.me()
    }

    /// The other members in the room.
    pub fn members(&self) -> Vec<u16> {
        self.members.iter().copied().collect()
    }

    /// Members whose keys are accepted: they can read what this member sends.
    pub fn trusted_members(&self) -> Vec<u16> {
        self.session.peers().collect()
    }

    /// Members whose keys were refused.
    pub fn rejected_members(&self) -> Vec<u16> {
        self.session.rejected().collect()
    }

    /// The safety number shared with `member`.
    pub fn safety_number(&self, member: u16) -> Option<String> {
        self.session.safety_number(member)
    }

    /// Sends a message to every member whose keys are accepted.
    pub async fn send(&mut self, body: &Body, ttl_secs: u32) -> Result<(), ChatError> {
        let payload = self.session.encrypt(body, ttl_secs)?;
        self.client.send_frame(self.room, &payload).await?;
        Ok(())
    }

    /// Sends `body` to member `to` only.
    pub async fn send_direct(&mut self, to: u16, body: &Body) -> Result<(), ChatError> {
        let payload = self.session.encrypt_direct(to, body, &mut OsRng)?;
        self.client.send_frame(self.room, &payload).await?;
        Ok(())
    }

    /// Waits until the gateway has handled everything this member sent, and fails if it
    /// refused any of it: how a script knows a message really left.
    pub async fn confirm_sent(&mut self) -> Result<(), ChatError> {
        self.client.sync().await?;
        Ok(())
    }

    /// Sends a text message.
    pub async fn send_text(&mut self, text: &str) -> Result<(), ChatError> {
        self.send(&Body::Text(text.to_owned()), 0).await
    }

    /// The next thing that happened in the room. Key exchange runs inside this call.
    pub async fn next_event(&mut self) -> Result<ChatEvent, ChatError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(event);
            }
            let event = self.client.next_event().await?;
            self.handle(event).await?;
        }
    }

    async fn handle(&mut self, event: GatewayEvent) -> Result<(), ChatError> {
        match event {
            GatewayEvent::Frame {
                room,
                sender,
                payload,
            } if room == self.room => match self.session.receive(sender, &payload, &mut OsRng) {
                Ok(outcome) => self.apply(outcome).await?,
                Err(reason) => self.pending.push_back(ChatEvent::Undecryptable {
                    from: sender,
                    reason,
                }),
            },
            GatewayEvent::Message(ServerMessage::MemberJoined { room, member })
                if room == self.room =>
            {
                self.members.insert(member);
                self.pending.push_back(ChatEvent::MemberJoined { member });
            }
            GatewayEvent::Message(ServerMessage::MemberLeft { room, member })
                if room == self.room =>
            {
                self.members.remove(&member);
                let outcome = self.session.member_left(member, &mut OsRng);
                self.pending.push_back(ChatEvent::MemberLeft { member });
                self.apply(outcome).await?;
            }
            // A refusal of something this member sent (a frame over the rate limit, say).
            GatewayEvent::Message(ServerMessage::Error { code, .. }) => {
                self.pending.push_back(ChatEvent::Refused { code });
            }
            _ => {}
        }
        Ok(())
    }

    async fn apply(&mut self, outcome: Outcome) -> Result<(), ChatError> {
        for payload in &outcome.outgoing {
            self.client.send_frame(self.room, payload).await?;
        }
        for event in outcome.events {
            self.pending.push_back(match event {
                SessionEvent::Message {
                    from,
                    body,
                    ttl_secs,
                } => ChatEvent::Message {
                    from,
                    body,
                    ttl_secs,
                },
                SessionEvent::PeerKeys {
                    member,
                    verification,
                } => ChatEvent::MemberKeys {
                    member,
                    verification,
                },
                SessionEvent::PeerRejected { member, reason } => {
                    ChatEvent::MemberRejected { member, reason }
                }
                SessionEvent::SenderKey { from } => ChatEvent::MemberReadable { member: from },
                SessionEvent::DirectMessage { from, body } => {
                    ChatEvent::DirectMessage { from, body }
                }
            });
        }
        Ok(())
    }

    /// Leaves the room and closes the connection.
    pub async fn leave(mut self) {
        let _ = self.client.leave_room(self.room).await;
        self.client.close().await;
    }
}
