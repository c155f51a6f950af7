//! A room you can talk in: a [`GatewayClient`] carrying a [`RoomGroup`]'s frames. The
//! gateway sees only what this module hands to `send_frame`: MLS ciphertext, join requests
//! and Welcomes.
//!
//! - [`ChatRoom::create`] makes a free room and its invite; [`ChatRoom::join`] joins one.
//! - [`ChatRoom::next_event`] runs the group (adds, removals, commits) while waiting.
//! - [`ChatRoom::send_text`] waits until this member is in the group and may send.

mod events;

use std::collections::VecDeque;
use std::time::Duration;

use rand::rngs::OsRng;

pub use events::ChatEvent;

use crate::gateway::{ClientError, GatewayClient, Joined};
use crate::invite::Invite;
use crate::mls::content::DirectContent;
use crate::mls::roster::RosterEntry;
use crate::mls::{Admission, MlsError, Output, RoomGroup, RoomKeys, RoomSecret};

/// How often the group gets a chance to do overdue work (repeat a join request, remove a
/// departed member) while the application waits.
const TICK: Duration = Duration::from_millis(500);
/// How long a send waits for this member to be able to send (to be added to the group, or
/// for a commit in flight to land).
const SEND_WAIT: Duration = Duration::from_secs(30);

/// Why a chat operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// Raised on a gateway or connection failure, or a refusal by the gateway.
    #[error(transparent)]
    Gateway(#[from] ClientError),
    /// Raised if the group refused the operation.
    #[error(transparent)]
    Mls(#[from] MlsError),
    /// Raised if this member could not send within the wait (not added to the group).
    #[error("not able to send yet: no member has added this one to the group (waited {0:?})")]
    NotReady(Duration),
    /// Raised if the room's creator did not let this member in (knock mode).
    #[error("the room's creator did not let you in")]
    Denied,
}

/// A joined room with end-to-end encryption.
pub struct ChatRoom {
    client: GatewayClient,
    group: RoomGroup,
    room: u32,
    invite: Option<Invite>,
    members: Vec<u16>,
    pending: VecDeque<ChatEvent>,
    ticker: tokio::time::Interval,
}

impl std::fmt::Debug for ChatRoom {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatRoom")
            .field("me", &self.group.me())
            .finish_non_exhaustive()
    }
}

impl ChatRoom {
    /// Creates a free room at the gateway `url`, with a fresh secret, and its group.
    pub async fn create(url: &str, admission: Admission) -> Result<Self, ChatError> {
        let mut client = GatewayClient::connect(url).await?;
        // The secret comes first: the gateway gets only its verifier.
        let mut invite = Invite::generate("000000", admission, &mut OsRng);
        let keys = RoomKeys::derive(&invite.secret);
        let joined = client.create_room(&keys.verifier()).await?;
        invite.code = joined
            .code
            .clone()
            .ok_or_else(|| ClientError::Protocol("a free room without a code".into()))?;
        let group = RoomGroup::create(joined.member, &invite.secret, admission)?;
        Ok(Self::assemble(client, group, joined, Some(invite)))
    }

    /// Joins the free room of `invite` at the gateway `url`, proving its secret, and asks
    /// the members to add this one to the group.
    pub async fn join(url: &str, invite: &Invite) -> Result<Self, ChatError> {
        let mut client = GatewayClient::connect(url).await?;
        let keys = RoomKeys::derive(&invite.secret);
        let joined = client
            .join_room(&invite.code, |challenge| {
                keys.join_proof(challenge, &invite.code)
            })
            .await?;
        Self::enter(
            client,
            joined,
            &invite.secret,
            invite.admission,
            Some(invite.clone()),
        )
        .await
    }

    /// Joins the paid room of the held key `key`: its holder proves the key to the gateway
    /// (no wallet sign-in), and the room secret from the key's sealed invite admits it to
    /// the group, as an invite's secret does in a free room.
    pub async fn join_paid(url: &str, key: &crate::paid::HeldKey) -> Result<Self, ChatError> {
        let mut client = GatewayClient::connect(url).await?;
        let joined = client
            .join_paid_room(&key.holder, &key.invite.room_tag())
            .await?;
        Self::enter(client, joined, &key.invite.secret, Admission::Open, None).await
    }

    /// Creates the group if nobody is in the room yet, or waits for a member's challenge.
    async fn enter(
        client: GatewayClient,
        joined: Joined,
        secret: &RoomSecret,
        admission: Admission,
        invite: Option<Invite>,
    ) -> Result<Self, ChatError> {
        if joined.members.is_empty() {
            let group = RoomGroup::create(joined.member, secret, admission)?;
            return Ok(Self::assemble(client, group, joined, invite));
        }
        let group = RoomGroup::join(joined.member, secret, admission, &joined.members)?;
        Ok(Self::assemble(client, group, joined, invite))
    }

    fn assemble(
        client: GatewayClient,
        group: RoomGroup,
        joined: Joined,
        invite: Option<Invite>,
    ) -> Self {
        let mut pending = VecDeque::new();
        if group.in_group() {
            pending.push_back(ChatEvent::InGroup);
        }
        let mut ticker = tokio::time::interval(TICK);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Self {
            client,
            group,
            room: joined.room,
            invite,
            members: joined.members,
            pending,
            ticker,
        }
    }

    /// The invite to share (code and secret), for a room this member created or joined.
    pub fn invite(&self) -> Option<&Invite> {
        self.invite.as_ref()
    }

    /// This member's number.
    pub fn me(&self) -> u16 {
        self.group.me()
    }

    /// The other members the gateway reports in the room (some may not be in the group yet).
    pub fn present(&self) -> &[u16] {
        &self.members
    }

    /// The group's members, from the MLS group itself: who can read what is sent.
    pub fn roster(&self) -> Vec<RosterEntry> {
        self.group.roster()
    }

    /// Whether this member is in the group (can read and be read).
    pub fn in_group(&self) -> bool {
        self.group.in_group()
    }

    /// The room's safety code for the current epoch, the same on every member's screen.
    pub fn safety_code(&self) -> Option<String> {
        self.group.safety_code()
    }

    /// Members knocking (knock mode) and not yet decided.
    pub fn knocking(&self) -> Vec<u16> {
        self.group.knocking()
    }

    /// Whether this member created the room (and so decides knocks).
    pub fn is_creator(&self) -> bool {
        self.group.is_creator()
    }

    /// Lets a knocking member in (the creator, in knock mode).
    pub async fn approve(&mut self, member: u16) -> Result<(), ChatError> {
        let out = self.group.approve(member);
        self.apply(out).await
    }

    /// Refuses a knocking member (the creator, in knock mode); it is told so.
    pub async fn deny(&mut self, member: u16) -> Result<(), ChatError> {
        let out = self.group.deny(member);
        self.apply(out).await
    }

    /// Sends a text to the group, with a disappearing timer (`ttl_secs`, 0: keep). Waits
    /// until this member is in the group and no commit is in flight.
    pub async fn send(&mut self, text: &str, ttl_secs: u32) -> Result<(), ChatError> {
        self.wait_until_sendable().await?;
        let out = self.group.send_text(text, ttl_secs)?;
        self.apply(out).await
    }

    /// Sends a text to the group.
    pub async fn send_text(&mut self, text: &str) -> Result<(), ChatError> {
        self.send(text, 0).await
    }

    /// Sends `content` to member `to` only.
    pub async fn send_direct(&mut self, to: u16, content: &DirectContent) -> Result<(), ChatError> {
        self.wait_until_sendable().await?;
        let out = self.group.send_direct(to, content)?;
        self.apply(out).await
    }

    /// Waits until the gateway has handled everything this member sent, and fails if it
    /// refused any of it: how a script knows a message really left.
    pub async fn confirm_sent(&mut self) -> Result<(), ChatError> {
        self.client.sync().await?;
        Ok(())
    }

    /// Waits until another member is in the group with this one: someone can read.
    pub async fn wait_for_company(&mut self, limit: Duration) -> Result<(), ChatError> {
        let company = async {
            while !(self.group.in_group() && self.group.roster().len() > 1) {
                self.check_not_denied()?;
                // Events produced meanwhile stay queued for `next_event`; re-reading the
                // queue here would hand back the same event forever without waiting.
                self.pump().await?;
            }
            Ok::<(), ChatError>(())
        };
        tokio::time::timeout(limit, company)
            .await
            .map_err(|_| ChatError::NotReady(limit))?
    }

    async fn wait_until_sendable(&mut self) -> Result<(), ChatError> {
        let ready = async {
            while !self.group.can_send() {
                if self.group.removed() {
                    return Err(ChatError::Mls(MlsError::Removed));
                }
                self.check_not_denied()?;
                self.pump().await?;
            }
            Ok(())
        };
        tokio::time::timeout(SEND_WAIT, ready)
            .await
            .map_err(|_| ChatError::NotReady(SEND_WAIT))?
    }

    fn check_not_denied(&self) -> Result<(), ChatError> {
        if self.pending.contains(&ChatEvent::Denied) {
            return Err(ChatError::Denied);
        }
        Ok(())
    }

    /// The next thing that happened in the room. The group's work (adding, removing,
    /// committing) runs inside this call.
    pub async fn next_event(&mut self) -> Result<ChatEvent, ChatError> {
        if let Some(event) = self.pending.pop_front() {
            return Ok(event);
        }
        self.step().await
    }

    /// Leaves the group (proposing this member's removal) and the room, and closes the
    /// connection.
    pub async fn leave(mut self) {
        let out = self.group.leave();
        let _ = self.apply(out).await;
        let _ = self.client.leave_room(self.room).await;
        self.client.close().await;
    }

    async fn apply(&mut self, out: Output) -> Result<(), ChatError> {
        for frame in &out.frames {
            self.client
                .send_frame(self.room, frame.kind, frame.to, &frame.payload)
                .await?;
        }
        self.pending
            .extend(out.events.into_iter().map(ChatEvent::from));
        Ok(())
    }
}
