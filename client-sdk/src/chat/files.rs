//! Files in a [`ChatRoom`]: sending one (its manifest at once, its chunks paced in the
//! background of [`ChatRoom::next_event`]), receiving them, and cancelling either way.

use std::collections::BTreeSet;

use tokio::time::Instant;

use super::{ChatError, ChatEvent, ChatRoom};
use crate::files::outgoing::{FileToSend, Outgoing};
use crate::files::{FileError, FileEvent};
use crate::mls::file_content::{FilePart, TransferId};
use crate::mls::RoomSettings;

impl ChatRoom {
    /// The room's settings (its file limit), as the group holds them: the creator's choice,
    /// the same for every member.
    pub fn settings(&self) -> RoomSettings {
        self.group.settings()
    }

    /// Offers `file` to the members in the group now: sends its manifest and returns the
    /// transfer's id. The chunks follow while the application keeps calling
    /// [`Self::next_event`], which reports [`FileEvent::Progress`] and then
    /// [`FileEvent::Sent`] (or [`FileEvent::Failed`]). One file at a time.
    pub async fn send_file(&mut self, file: FileToSend) -> Result<TransferId, ChatError> {
        if self.sending.is_some() {
            return Err(FileError::Busy.into());
        }
        self.wait_until_sendable().await?;
        let me = self.me();
        let recipients: BTreeSet<u16> = self
            .roster()
            .iter()
            .map(|entry| entry.member)
            .filter(|member| *member != me)
            .collect();
        let limit = self.settings().max_file_bytes();
        let (outgoing, manifest) = Outgoing::start(me, file, limit, recipients)?;
        let out = self.group.send_file_part(manifest)?;
        self.queue(out);
        let transfer = outgoing.transfer();
        if outgoing.is_done() {
            let file = outgoing.manifest().clone();
            self.pending
                .push_back(ChatEvent::File(FileEvent::Sent { file }));
        } else {
            self.sending = Some(outgoing);
        }
        self.flush().await?;
        Ok(transfer)
    }

    /// Cancels a transfer: this member's own file (every receiver discards it), or a file
    /// arriving (declined: what arrived is dropped and the sender is told). Returns whether
    /// there was such a transfer.
    pub async fn cancel_file(&mut self, transfer: TransferId) -> Result<bool, ChatError> {
        let own = self
            .sending
            .as_ref()
            .is_some_and(|outgoing| outgoing.transfer() == transfer);
        let cancel = if own {
            self.sending = None;
            FilePart::Cancel(transfer)
        } else {
            match self.receiving.decline(transfer) {
                Some(cancel) => cancel,
                None => return Ok(false),
            }
        };
        self.wait_until_sendable().await?;
        let out = self.group.send_file_part(cancel)?;
        self.apply(out).await?;
        Ok(true)
    }

    /// The file going out, if any.
    pub fn sending_file(&self) -> Option<TransferId> {
        self.sending.as_ref().map(Outgoing::transfer)
    }

    /// Sends a file part as it is, checked by nothing: what a member who misbehaves sends.
    #[cfg(feature = "testing")]
    pub async fn send_file_part_unchecked(&mut self, part: FilePart) -> Result<(), ChatError> {
        self.wait_until_sendable().await?;
        let out = self.group.send_file_part(part)?;
        self.apply(out).await
    }

    /// When the next chunk may go, if one is waiting and the group can take it now.
    pub(super) fn chunk_due(&self) -> Option<Instant> {
        if self.sending.is_none() || !self.group.can_send() {
            return None;
        }
        Some(self.pacer.chunk_due(Instant::now().into_std()).into())
    }

    /// Sends the next chunk of the file going out. The chunk counts as sent once queued
    /// (with no pause between), so a cancelled call never sends a chunk twice.
    pub(super) async fn send_next_chunk(&mut self) -> Result<(), ChatError> {
        let Some(outgoing) = self.sending.as_mut() else {
            return Ok(());
        };
        let Some(part) = outgoing.next_chunk() else {
            return Ok(());
        };
        let out = match self.group.send_file_part(part) {
            Ok(out) => out,
            Err(error) => {
                // This member cannot send (removed, say): the file cannot go on.
                self.sending = None;
                return Err(error.into());
            }
        };
        let events = outgoing.advance();
        if outgoing.is_done() {
            self.sending = None;
        }
        self.queue(out);
        self.pacer.on_chunk_sent(Instant::now().into_std());
        self.pending.extend(events.into_iter().map(ChatEvent::File));
        self.flush().await
    }

    /// A file part from member `from`.
    pub(super) fn on_file_part(&mut self, from: u16, part: FilePart) {
        if let (FilePart::Cancel(transfer), Some(outgoing)) = (&part, self.sending.as_mut()) {
            let (events, stop) = outgoing.on_cancel(from, *transfer);
            if !events.is_empty() {
                if stop {
                    self.sending = None;
                }
                self.pending.extend(events.into_iter().map(ChatEvent::File));
                return;
            }
        }
        let limit = self.settings().max_file_bytes();
        let events = self
            .receiving
            .on_part(from, part, limit, Instant::now().into_std());
        self.pending.extend(events.into_iter().map(ChatEvent::File));
    }

    /// `member` left the room or the group: its file breaks off, and it no longer waits
    /// for this member's.
    pub(super) fn on_member_gone_files(&mut self, member: u16) {
        let mut events = self.receiving.on_member_gone(member);
        if let Some(outgoing) = self.sending.as_mut() {
            let (more, stop) = outgoing.on_member_gone(member);
            events.extend(more);
            if stop {
                self.sending = None;
            }
        }
        self.pending.extend(events.into_iter().map(ChatEvent::File));
    }

    /// Gives up arriving files that stalled.
    pub(super) fn tick_files(&mut self, now: std::time::Instant) {
        let events = self.receiving.tick(now);
        self.pending.extend(events.into_iter().map(ChatEvent::File));
    }
}
