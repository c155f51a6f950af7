//! Group frames in and out: application messages (text, direct messages, file parts),
//! proposals, and other members' commits.

use anoghost_protocol::frame::FrameKind;
use anoghost_protocol::mls_header::{private_message_header, ContentType};
use openmls::prelude::tls_codec::{Deserialize as _, Serialize as _};
use openmls::prelude::{MlsMessageIn, ProcessedMessageContent, Proposal, ProtocolMessage};
use openmls_traits::OpenMlsProvider as _;

use super::{Output, RoomEvent, RoomGroup, Stage};
use crate::mls::content::{AppMessage, Content, DirectContent};
use crate::mls::direct;
use crate::mls::error::{operation, MlsError};
use crate::mls::file_content::FilePart;
use crate::mls::identity::MemberCredential;
use crate::mls::roster::roster;

impl RoomGroup {
    /// A group frame: an MLS PrivateMessage of the room's group.
    pub(super) fn on_group_frame(&mut self, sender: u16, payload: &[u8], out: &mut Output) {
        if matches!(self.stage, Stage::Waiting { .. }) {
            // Not in the group yet: nothing here is readable.
            return;
        }
        let is_commit = private_message_header(payload)
            .is_ok_and(|header| header.content_type == ContentType::Commit);
        if is_commit && self.pending.is_some() {
            // Another commit was ordered first: this member's own will be refused.
            self.drop_pending_commit(out);
        }
        if let Err(reason) = self.process(sender, payload, out) {
            out.refused(sender, reason);
        }
    }

    fn process(&mut self, sender: u16, payload: &[u8], out: &mut Output) -> Result<(), MlsError> {
        let Stage::Member(group) = &mut self.stage else {
            return Err(MlsError::NotInGroup);
        };
        let message = MlsMessageIn::tls_deserialize_exact(payload)
            .map_err(|_| MlsError::Malformed("MLS message"))?;
        let message: ProtocolMessage = message
            .try_into_protocol_message()
            .map_err(|_| MlsError::Malformed("MLS message"))?;
        let processed = group.process_message(&self.identity.provider, message)?;
        let named = MemberCredential::from_credential(processed.credential())
            .map(|c| c.member)
            .ok_or(MlsError::SenderMismatch)?;
        if named != sender {
            // The gateway stamped another number than the MLS sender's: refuse, so no
            // member can speak under another's number.
            return Err(MlsError::SenderMismatch);
        }
        let committer = processed.sender().clone();
        match processed.into_content() {
            ProcessedMessageContent::ApplicationMessage(message) => {
                let message = AppMessage::decode(&message.into_bytes())?;
                self.on_app_message(sender, message, out);
            }
            ProcessedMessageContent::ProposalMessage(proposal) => {
                // Members propose only their own removal (leaving); anything else is
                // a rule this room does not have.
                let own_removal = matches!(
                    (proposal.proposal(), &committer),
                    (Proposal::Remove(remove), openmls::prelude::Sender::Member(leaf))
                        if remove.removed() == *leaf
                );
                if !own_removal {
                    return Err(MlsError::RuleBroken("a proposal other than leaving"));
                }
                group
                    .store_pending_proposal(self.identity.provider.storage(), *proposal)
                    .map_err(operation)?;
            }
            ProcessedMessageContent::StagedCommitMessage(staged) => {
                self.apply_commit(sender, &committer, *staged, out);
            }
            ProcessedMessageContent::ExternalJoinProposalMessage(_) => {
                return Err(MlsError::RuleBroken("an external join"));
            }
            // The gateway never sends a member its own messages back: this is a replay.
            ProcessedMessageContent::OwnPendingCommit
            | ProcessedMessageContent::OwnPrivateMessage => {
                return Err(MlsError::Refused(
                    "this member's own message, replayed".into(),
                ));
            }
        }
        Ok(())
    }

    fn on_app_message(&mut self, from: u16, message: AppMessage, out: &mut Output) {
        match message.content {
            Content::Text(text) => out.events.push(RoomEvent::Message {
                from,
                text,
                ttl_secs: message.ttl_secs,
            }),
            Content::Direct { to, sealed } if to == self.me => {
                let Stage::Member(group) = &self.stage else {
                    return;
                };
                let aad = direct::aad(group.group_id().as_slice(), from, self.me);
                let opened = direct::open(
                    self.identity.provider.crypto(),
                    &self.identity.direct_secret,
                    &aad,
                    &sealed,
                )
                .and_then(|bytes| DirectContent::decode(&bytes));
                match opened {
                    Ok(content) => out.events.push(RoomEvent::Direct { from, content }),
                    Err(reason) => out.refused(from, reason),
                }
            }
            // A direct message for someone else: nothing for this member.
            Content::Direct { .. } => {}
            Content::File(part) => out.events.push(RoomEvent::File { from, part }),
        }
    }

    fn encrypt(&mut self, message: &AppMessage) -> Result<Output, MlsError> {
        if !self.can_send() {
            return Err(match self.stage {
                Stage::Removed => MlsError::Removed,
                _ => MlsError::NotInGroup,
            });
        }
        let payload = message.encode()?;
        let Stage::Member(group) = &mut self.stage else {
            return Err(MlsError::NotInGroup);
        };
        let identity = &self.identity;
        let sealed = group
            .create_message(&identity.provider, &identity.signer, &payload)
            .map_err(operation)?
            .tls_serialize_detached()
            .map_err(operation)?;
        let mut out = Output::default();
        out.frame(FrameKind::Group, None, sealed);
        Ok(out)
    }

    /// Encrypts a text for the group.
    pub fn send_text(&mut self, text: &str, ttl_secs: u32) -> Result<Output, MlsError> {
        self.encrypt(&AppMessage {
            ttl_secs,
            content: Content::Text(text.to_owned()),
        })
    }

    /// Encrypts a file transfer's manifest, chunk or cancel for the group.
    pub fn send_file_part(&mut self, part: FilePart) -> Result<Output, MlsError> {
        self.encrypt(&AppMessage {
            ttl_secs: 0,
            content: Content::File(part),
        })
    }

    /// Encrypts `content` for member `to` only, inside a message the group receives.
    pub fn send_direct(&mut self, to: u16, content: &DirectContent) -> Result<Output, MlsError> {
        let Stage::Member(group) = &self.stage else {
            return Err(MlsError::NotInGroup);
        };
        let recipient = roster(group)
            .into_iter()
            .find(|e| e.member == to && to != self.me)
            .ok_or(MlsError::UnknownMember(to))?;
        let aad = direct::aad(group.group_id().as_slice(), self.me, to);
        let sealed = direct::seal(
            self.identity.provider.crypto(),
            &recipient.direct_key,
            &aad,
            &content.encode(),
        )?;
        self.encrypt(&AppMessage {
            ttl_secs: 0,
            content: Content::Direct { to, sealed },
        })
    }

    /// Proposes this member's own removal, before leaving the room: the next commit
    /// removes it for everyone.
    pub fn leave(&mut self) -> Output {
        let mut out = Output::default();
        if let Stage::Member(group) = &mut self.stage {
            let identity = &self.identity;
            match group.leave_group(&identity.provider, &identity.signer) {
                Ok(proposal) => match proposal.tls_serialize_detached() {
                    Ok(bytes) => out.frame(FrameKind::Group, None, bytes),
                    Err(error) => out.refused(self.me, operation(error)),
                },
                Err(error) => out.refused(self.me, operation(error)),
            }
        }
        out
    }
}
