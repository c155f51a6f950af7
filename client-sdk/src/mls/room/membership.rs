//! Who commits, and what commits do: the designated member's duties (pending proposals,
//! removals, adds), the gateway's verdict on this member's own commits, and the checks on
//! everyone else's.

use std::collections::BTreeSet;
use std::time::Instant;

use anoghost_protocol::frame::FrameKind;
use openmls::prelude::{LeafNodeIndex, MlsGroup, Proposal, Sender, StagedCommit};
use openmls_traits::OpenMlsProvider as _;

use super::{Admission, Output, PendingCommit, RoomEvent, RoomGroup, Stage};
use crate::mls::error::{operation, MlsError};
use crate::mls::identity::MemberCredential;
use crate::mls::roster::roster;

impl RoomGroup {
    /// Does what the room needs next, if this member is the one to do it (or `force`,
    /// when the designated member stayed silent too long). One commit at a time.
    pub(super) fn act(&mut self, out: &mut Output, force: bool) {
        if self.pending.is_some() || !self.in_group() {
            return;
        }
        if self.commit_proposals(force, out)
            || self.commit_removals(force, out)
            || self.commit_adds(out)
        {
            return;
        }
        self.send_challenges(force, out);
    }

    /// Whether this member is the present member with the lowest leaf that is not leaving:
    /// the one that commits for the room.
    pub(super) fn is_designated(&self) -> bool {
        let Stage::Member(group) = &self.stage else {
            return false;
        };
        let leaving = leaving_leaves(group);
        roster(group)
            .iter()
            .filter(|e| e.member == self.me || self.present.contains(&e.member))
            .filter(|e| !leaving.contains(&e.leaf))
            .map(|e| e.leaf)
            .min()
            == Some(group.own_leaf_index().u32())
    }

    /// Commits proposals members made (a leaver's own removal).
    fn commit_proposals(&mut self, force: bool, out: &mut Output) -> bool {
        let designated = self.is_designated();
        let Stage::Member(group) = &mut self.stage else {
            return false;
        };
        if !group.has_pending_proposals() || !(designated || force) {
            return false;
        }
        let epoch = group.epoch().as_u64();
        let identity = &self.identity;
        match group.commit_to_pending_proposals(&identity.provider, &identity.signer) {
            Ok((commit, _, _)) => self.send_commit(epoch, &commit, out),
            Err(error) => {
                out.refused(self.me, operation(error));
                false
            }
        }
    }

    /// Removes members the gateway no longer reports in the room.
    fn commit_removals(&mut self, force: bool, out: &mut Output) -> bool {
        let gone: Vec<LeafNodeIndex> = match &self.stage {
            Stage::Member(group) => roster(group)
                .iter()
                .filter(|e| e.member != self.me && !self.present.contains(&e.member))
                .map(|e| LeafNodeIndex::new(e.leaf))
                .collect(),
            _ => return false,
        };
        if gone.is_empty() {
            self.removals_since = None;
            return false;
        }
        self.removals_since.get_or_insert_with(Instant::now);
        if !(force || self.is_designated()) {
            return false;
        }
        let Stage::Member(group) = &mut self.stage else {
            return false;
        };
        let epoch = group.epoch().as_u64();
        let identity = &self.identity;
        match group.remove_members(&identity.provider, &identity.signer, &gone) {
            Ok((commit, _, _)) => self.send_commit(epoch, &commit, out),
            Err(error) => {
                out.refused(self.me, operation(error));
                false
            }
        }
    }

    fn send_commit(
        &mut self,
        epoch: u64,
        commit: &openmls::prelude::MlsMessageOut,
        out: &mut Output,
    ) -> bool {
        use openmls::prelude::tls_codec::Serialize as _;
        match commit.tls_serialize_detached() {
            Ok(bytes) => {
                out.frame(FrameKind::Group, None, bytes);
                self.pending = Some(PendingCommit {
                    epoch,
                    welcome: None,
                });
                true
            }
            Err(error) => {
                out.refused(self.me, operation(error));
                false
            }
        }
    }

    /// Commits a change of the room's settings, which the room's rules forbid: what a
    /// member who breaks them sends (the `testing` feature). The proposal lists the
    /// extension in required capabilities, as MLS asks of a GroupContextExtensions proposal,
    /// so MLS alone would accept it.
    #[cfg(feature = "testing")]
    pub fn commit_settings_change(&mut self, settings: crate::mls::RoomSettings) -> Output {
        use crate::mls::settings::ROOM_SETTINGS_EXTENSION;
        use openmls::prelude::{
            Extension, ExtensionType, Extensions, RequiredCapabilitiesExtension, UnknownExtension,
        };
        let mut out = Output::default();
        let required = RequiredCapabilitiesExtension::new(
            &[ExtensionType::Unknown(ROOM_SETTINGS_EXTENSION)],
            &[],
            &[],
        );
        let extensions = Extensions::from_vec(vec![
            Extension::RequiredCapabilities(required),
            Extension::Unknown(
                ROOM_SETTINGS_EXTENSION,
                UnknownExtension(settings.encode().to_vec()),
            ),
        ]);
        let extensions = match extensions {
            Ok(extensions) => extensions,
            Err(error) => {
                out.refused(self.me, operation(error));
                return out;
            }
        };
        let Stage::Member(group) = &mut self.stage else {
            return out;
        };
        let epoch = group.epoch().as_u64();
        let identity = &self.identity;
        match group.update_group_context_extensions(
            &identity.provider,
            extensions,
            &identity.signer,
        ) {
            Ok((commit, _, _)) => {
                self.send_commit(epoch, &commit, &mut out);
            }
            Err(error) => out.refused(self.me, operation(error)),
        }
        out
    }

    /// The gateway ordered this member's commit for `epoch`: apply it, then welcome the
    /// members it added.
    pub fn on_committed(&mut self, epoch: u64) -> Output {
        let mut out = Output::default();
        let Some(pending) = self.pending.take_if(|p| p.epoch == epoch) else {
            return out;
        };
        let before = self.roster_numbers();
        let Stage::Member(group) = &mut self.stage else {
            return out;
        };
        if let Err(error) = group.merge_pending_commit(&self.identity.provider) {
            out.refused(self.me, operation(error));
            return out;
        }
        self.report_roster_change(&before, &mut out);
        if let Some((welcome, added)) = pending.welcome {
            self.send_welcomes(welcome, added, &mut out);
        }
        self.act(&mut out, false);
        out
    }

    /// The gateway refused this member's commit: another was ordered first, and arrives
    /// (or arrived) as a frame. Nothing of this one was applied.
    pub fn on_commit_refused(&mut self, epoch: u64) -> Output {
        let mut out = Output::default();
        if self.pending.as_ref().is_some_and(|p| p.epoch == epoch) {
            self.drop_pending_commit(&mut out);
        }
        self.act(&mut out, false);
        out
    }

    /// Forgets this member's unordered commit.
    pub(super) fn drop_pending_commit(&mut self, out: &mut Output) {
        self.pending = None;
        if let Stage::Member(group) = &mut self.stage {
            if let Err(error) = group.clear_pending_commit(self.identity.provider.storage()) {
                out.refused(self.me, operation(error));
            }
        }
    }

    /// Another member's commit, ordered by the gateway: checked against the room's rules,
    /// then applied.
    pub(super) fn apply_commit(
        &mut self,
        sender: u16,
        committer: &Sender,
        staged: StagedCommit,
        out: &mut Output,
    ) {
        let before = self.roster_numbers();
        let Stage::Member(group) = &mut self.stage else {
            return;
        };
        if let Err(reason) = check_commit(group, self.admission, committer, &staged) {
            out.refused(sender, reason);
            return;
        }
        let removed = staged.self_removed();
        if let Err(error) = group.merge_staged_commit(&self.identity.provider, staged) {
            out.refused(sender, operation(error));
            return;
        }
        if removed {
            self.stage = Stage::Removed;
            out.events.push(RoomEvent::Removed);
            return;
        }
        let roster_now = self.roster_numbers();
        self.requests.retain(|m, _| !roster_now.contains(m));
        self.report_roster_change(&before, out);
    }

    fn report_roster_change(&self, before: &[u16], out: &mut Output) {
        let after = self.roster_numbers();
        let added: Vec<u16> = after
            .iter()
            .filter(|m| !before.contains(m))
            .copied()
            .collect();
        let removed: Vec<u16> = before
            .iter()
            .filter(|m| !after.contains(m))
            .copied()
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            out.events.push(RoomEvent::RosterChanged { added, removed });
        }
    }
}

/// Leaves whose removal a pending proposal asks for.
fn leaving_leaves(group: &MlsGroup) -> BTreeSet<u32> {
    group
        .pending_proposals()
        .filter_map(|queued| match queued.proposal() {
            Proposal::Remove(remove) => Some(remove.removed().u32()),
            _ => None,
        })
        .collect()
}

/// The room's rules for a commit by another member: every credential stays a unique member
/// number, nobody's credential changes, in knock mode only the creator (leaf 0) adds, and
/// the room's settings never change.
fn check_commit(
    group: &MlsGroup,
    admission: Admission,
    committer: &Sender,
    staged: &StagedCommit,
) -> Result<(), MlsError> {
    let Sender::Member(committer) = committer else {
        return Err(MlsError::RuleBroken("a commit from outside the group"));
    };
    let mut numbers: BTreeSet<u16> = roster(group)
        .iter()
        .filter(|e| {
            !staged
                .remove_proposals()
                .any(|r| r.remove_proposal().removed().u32() == e.leaf)
        })
        .map(|e| e.member)
        .collect();
    let mut adds = 0;
    for add in staged.add_proposals() {
        adds += 1;
        let credential = add.add_proposal().key_package().leaf_node().credential();
        let named = MemberCredential::from_credential(credential).ok_or(MlsError::RuleBroken(
            "a credential that is not a member number",
        ))?;
        if !numbers.insert(named.member) {
            return Err(MlsError::RuleBroken("a member number taken twice"));
        }
    }
    if adds > 0 && admission == Admission::Knock && committer.u32() != 0 {
        return Err(MlsError::RuleBroken("an add not by the room's creator"));
    }
    if staged.update_proposals().next().is_some() {
        return Err(MlsError::RuleBroken("an update proposal"));
    }
    // The room's settings are its creator's, fixed when it made the group.
    if staged.group_context().extensions() != group.extensions() {
        return Err(MlsError::RuleBroken("a change of the room's settings"));
    }
    if let Some(leaf) = staged.update_path_leaf_node() {
        let unchanged = group
            .members()
            .find(|m| m.index == *committer)
            .is_some_and(|m| &m.credential == leaf.credential());
        if !unchanged {
            return Err(MlsError::RuleBroken("a member's credential changed"));
        }
    }
    Ok(())
}
