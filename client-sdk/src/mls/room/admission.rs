//! Letting members in: challenging newcomers, checking their join requests, adding them by
//! commit and welcoming them; and, as a newcomer, answering challenges and checking the
//! Welcome.

use std::time::Instant;

use anoghost_protocol::frame::FrameKind;
use openmls::prelude::tls_codec::{Deserialize as _, Serialize as _};
use openmls::prelude::{
    KeyPackage, MlsGroup, MlsMessageBodyIn, MlsMessageIn, MlsMessageOut, ProtocolVersion,
    StagedWelcome,
};
use openmls_traits::OpenMlsProvider as _;

use super::{unix_now, Admission, Output, PendingCommit, PendingJoin, RoomEvent, RoomGroup, Stage};
use crate::mls::config;
use crate::mls::error::{operation, MlsError};
use crate::mls::identity::{is_fresh, MemberCredential};
use crate::mls::join_request::{JoinRequest, NONCE_LEN};
use crate::mls::roster::roster;
use crate::mls::secrets::macs_match;
use crate::mls::settings::RoomSettings;

/// The exporter label of the group proof a Welcome carries.
pub const GROUP_PROOF_LABEL: &str = "anoghost/group-proof";
const PROOF_LEN: usize = 32;

impl RoomGroup {
    /// Challenges the newcomers this member is to let in: the designated member (the
    /// creator, in knock mode), or any member once a newcomer has waited too long.
    pub(super) fn send_challenges(&mut self, force: bool, out: &mut Output) {
        let allowed = match self.admission {
            Admission::Open => force || self.is_designated(),
            Admission::Knock => self.creator,
        };
        if !allowed {
            return;
        }
        let in_group = self.roster_numbers();
        let waiting: Vec<u16> = self
            .newcomers
            .keys()
            .filter(|m| !in_group.contains(m) && !self.challenges.contains_key(m))
            .copied()
            .collect();
        for member in waiting {
            let nonce: [u8; NONCE_LEN] = rand::random();
            self.challenges.insert(member, nonce);
            out.frame(FrameKind::Challenge, Some(member), nonce.to_vec());
        }
    }

    /// A challenge, as a newcomer: answered with a join request to the member who sent it.
    pub(super) fn on_challenge(&mut self, sender: u16, payload: &[u8], out: &mut Output) {
        let Stage::Waiting { key_package } = &self.stage else {
            return;
        };
        let Ok(nonce) = <[u8; NONCE_LEN]>::try_from(payload) else {
            out.refused(sender, MlsError::Malformed("challenge"));
            return;
        };
        let request = JoinRequest::new(&self.keys, self.me, nonce, key_package.clone());
        out.frame(FrameKind::JoinRequest, Some(sender), request.encode());
    }

    /// A join request from `sender`: kept for adding if it answers this member's challenge
    /// and checks out.
    pub(super) fn on_join_request(&mut self, sender: u16, payload: &[u8], out: &mut Output) {
        let Stage::Member(group) = &self.stage else {
            return;
        };
        match check_join_request(self, group, sender, payload) {
            Ok(key_package) => {
                // A nonce is good for one answer: a replay of this request is refused.
                self.challenges.remove(&sender);
                self.newcomers.remove(&sender);
                self.requests.insert(
                    sender,
                    PendingJoin {
                        key_package,
                        since: Instant::now(),
                    },
                );
                if self.admission == Admission::Knock {
                    out.events.push(RoomEvent::Knock { member: sender });
                }
            }
            Err(reason) => out.refused(sender, reason),
        }
    }

    /// Commits the adds that are ready, if this member is the one to do it.
    pub(super) fn commit_adds(&mut self, out: &mut Output) -> bool {
        let ready: Vec<u16> = self
            .requests
            .keys()
            .filter(|m| self.present.contains(m))
            .filter(|m| match self.admission {
                Admission::Open => true,
                Admission::Knock => self.approved.contains(m),
            })
            .copied()
            .collect();
        // The member that challenged a newcomer holds its request, so it adds it, designated
        // or not (it was designated, or the designated member was silent). In knock mode only
        // the creator challenges, and so only it adds.
        if ready.is_empty() {
            return false;
        }
        let Stage::Member(group) = &mut self.stage else {
            return false;
        };
        let key_packages: Vec<KeyPackage> = ready
            .iter()
            .filter_map(|m| self.requests.get(m).map(|r| r.key_package.clone()))
            .collect();
        let epoch = group.epoch().as_u64();
        let identity = &self.identity;
        // Without an update path: an add needs none, and it keeps a join into a large room
        // cheap for everyone (RFC 9420 §12.4).
        let committed =
            group.add_members_without_update(&identity.provider, &identity.signer, &key_packages);
        let (commit, welcome) = match committed {
            Ok((commit, welcome, _)) => (serialize(&commit), serialize(&welcome)),
            Err(error) => {
                out.refused(self.me, operation(error));
                return false;
            }
        };
        match (commit, welcome) {
            (Ok(commit), Ok(welcome)) => {
                out.frame(FrameKind::Group, None, commit);
                self.pending = Some(PendingCommit {
                    epoch,
                    welcome: Some((welcome, ready)),
                });
                true
            }
            (Err(reason), _) | (_, Err(reason)) => {
                out.refused(self.me, reason);
                false
            }
        }
    }

    /// After this member's adding commit was ordered: one Welcome to each new member,
    /// with the MAC over the new epoch that proves the group is the room's.
    pub(super) fn send_welcomes(&mut self, welcome: Vec<u8>, added: Vec<u16>, out: &mut Output) {
        let Stage::Member(group) = &self.stage else {
            return;
        };
        let provider = &self.identity.provider;
        let exporter = match group.export_secret(provider.crypto(), GROUP_PROOF_LABEL, &[], 32) {
            Ok(exporter) => exporter,
            Err(error) => {
                out.refused(self.me, operation(error));
                return;
            }
        };
        let mut payload = welcome;
        payload.extend_from_slice(&self.keys.group_proof(&exporter));
        for member in added {
            self.requests.remove(&member);
            self.approved.remove(&member);
            out.frame(FrameKind::Welcome, Some(member), payload.clone());
        }
    }

    /// A Welcome, as a newcomer: joins only if it opens one of the room's groups and proves
    /// the room's secret over the new epoch. Anything else is refused, and a fresh
    /// KeyPackage waits for the next challenge (even a forged Welcome used the old one up).
    pub(super) fn on_welcome(&mut self, sender: u16, payload: &[u8], out: &mut Output) {
        if !matches!(self.stage, Stage::Waiting { .. }) {
            return;
        }
        match self.open_welcome(payload) {
            Ok(group) => {
                self.stage = Stage::Member(Box::new(group));
                out.events.push(RoomEvent::InGroup);
                out.events.push(RoomEvent::RosterChanged {
                    added: self.roster_numbers(),
                    removed: Vec::new(),
                });
            }
            Err(reason) => {
                out.refused(sender, reason);
                match self.identity.key_package(unix_now()) {
                    Ok(key_package) => self.stage = Stage::Waiting { key_package },
                    Err(reason) => out.refused(self.me, reason),
                }
            }
        }
    }

    fn open_welcome(&self, payload: &[u8]) -> Result<MlsGroup, MlsError> {
        if payload.len() <= PROOF_LEN {
            return Err(MlsError::Malformed("welcome"));
        }
        let (welcome, proof) = payload.split_at(payload.len() - PROOF_LEN);
        let message = MlsMessageIn::tls_deserialize_exact(welcome)
            .map_err(|_| MlsError::Malformed("welcome"))?;
        let MlsMessageBodyIn::Welcome(welcome) = message.extract() else {
            return Err(MlsError::Malformed("welcome"));
        };
        let provider = &self.identity.provider;
        let staged =
            StagedWelcome::new_from_welcome(provider, &config::join_config(), welcome, None)?;
        if !self
            .keys
            .is_room_group(staged.group_context().group_id().as_slice())
        {
            return Err(MlsError::ForgedWelcome);
        }
        // The room's settings must be ones this member can follow.
        RoomSettings::from_extensions(staged.group_context().extensions())?;
        let group = staged.into_group(provider)?;
        let exporter = group
            .export_secret(provider.crypto(), GROUP_PROOF_LABEL, &[], 32)
            .map_err(operation)?;
        let expected = self.keys.group_proof(&exporter);
        let proof: &[u8; PROOF_LEN] = proof
            .try_into()
            .map_err(|_| MlsError::Malformed("group proof"))?;
        if !macs_match(proof, &expected) {
            return Err(MlsError::ForgedWelcome);
        }
        Ok(group)
    }

    pub(super) fn roster_numbers(&self) -> Vec<u16> {
        match &self.stage {
            Stage::Member(group) => roster(group).iter().map(|e| e.member).collect(),
            _ => Vec::new(),
        }
    }
}

fn serialize(message: &MlsMessageOut) -> Result<Vec<u8>, MlsError> {
    message.tls_serialize_detached().map_err(operation)
}

/// The checks a join request passes before its KeyPackage may be added.
fn check_join_request(
    room: &RoomGroup,
    group: &MlsGroup,
    sender: u16,
    payload: &[u8],
) -> Result<KeyPackage, MlsError> {
    let request = JoinRequest::decode(payload)?;
    let open = room.challenges.get(&sender);
    if open != Some(&request.nonce) {
        return Err(MlsError::UnchallengedJoinRequest);
    }
    if !request.proves(&room.keys, sender) {
        return Err(MlsError::BadJoinProof);
    }
    let message = MlsMessageIn::tls_deserialize_exact(&request.key_package)
        .map_err(|_| MlsError::Malformed("key package"))?;
    let MlsMessageBodyIn::KeyPackage(key_package) = message.extract() else {
        return Err(MlsError::Malformed("key package"));
    };
    let key_package = key_package
        .validate(room.identity.provider.crypto(), ProtocolVersion::Mls10)
        .map_err(|e| MlsError::Refused(format!("{e:?}")))?;
    let named = MemberCredential::from_credential(key_package.leaf_node().credential())
        .ok_or(MlsError::WrongIdentity)?;
    let taken = roster(group).iter().any(|e| e.member == sender);
    if named.member != sender || taken {
        return Err(MlsError::WrongIdentity);
    }
    if !is_fresh(&key_package, unix_now()) {
        return Err(MlsError::StaleKeyPackage);
    }
    Ok(key_package)
}
