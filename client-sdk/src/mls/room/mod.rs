//! [`RoomGroup`]: one member's MLS state in one room, and the rules of the room.
//!
//! Inputs are what the gateway delivers (frames, member events, commit results) and what
//! the application asks (send, approve, leave); outputs are frames to send and events to
//! show. It does no I/O.
//!
//! The rules, beyond MLS itself (see `docs/crypto.md`):
//! - A member challenges each newcomer with a fresh nonce; the newcomer answers with a join
//!   request, and the member adds it only if it proves the room's secret for that nonce and
//!   names the number the gateway gave its sender.
//! - One member commits for the room: the present member with the lowest leaf (the oldest),
//!   unless it stays silent for [`FALLBACK`]. The gateway's order settles any race.
//! - A Welcome is sent only once the gateway has ordered its commit, with a MAC over the
//!   new epoch that proves the group is the room's.
//! - A member the gateway reports gone, or who proposes its own removal, is removed by
//!   commit; until then every roster still shows it.
//! - In knock mode only the room's creator adds, and only members it approved.

mod admission;
mod membership;
mod messages;
mod output;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anoghost_protocol::frame::FrameKind;
use openmls::prelude::{GroupId, KeyPackage, MlsGroup};

pub use output::{OutFrame, Output, RoomEvent};

use super::config;
use super::error::{operation, MlsError};
use super::identity::MlsIdentity;
use super::join_request::NONCE_LEN;
use super::roster::{roster, safety_code, RosterEntry};
use super::secrets::{RoomKeys, RoomSecret};
use super::settings::RoomSettings;

/// How long pending work (a challenge, an add, a removal) waits for the designated member
/// before any member does it.
pub const FALLBACK: Duration = Duration::from_secs(3);

/// Who may be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Anyone who proves the room's secret, added by whichever member is designated.
    Open,
    /// Only members the room's creator approves, added by the creator.
    Knock,
}

enum Stage {
    /// Waiting to be challenged and welcomed, with the KeyPackage it answers with.
    Waiting {
        /// The KeyPackage, as an `MLSMessage`.
        key_package: Vec<u8>,
    },
    /// In the group.
    Member(Box<MlsGroup>),
    /// Removed from the group.
    Removed,
}

/// A join request that checked out, waiting to be added.
struct PendingJoin {
    key_package: KeyPackage,
    since: Instant,
}

/// A commit sent to the gateway and not yet ordered.
struct PendingCommit {
    epoch: u64,
    /// The Welcome for the members it adds, and their numbers.
    welcome: Option<(Vec<u8>, Vec<u16>)>,
}

/// One member's state in one room.
pub struct RoomGroup {
    me: u16,
    keys: RoomKeys,
    admission: Admission,
    creator: bool,
    /// What this member creates a group with (joiners read the group's own).
    create_settings: RoomSettings,
    identity: MlsIdentity,
    stage: Stage,
    /// Other members the gateway reports in the room.
    present: BTreeSet<u16>,
    /// When each present member not in the group was first seen.
    newcomers: BTreeMap<u16, Instant>,
    /// Challenges this member sent and not yet seen answered.
    challenges: BTreeMap<u16, [u8; NONCE_LEN]>,
    requests: BTreeMap<u16, PendingJoin>,
    approved: BTreeSet<u16>,
    pending: Option<PendingCommit>,
    /// Since when removals have been waiting.
    removals_since: Option<Instant>,
}

impl std::fmt::Debug for RoomGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RoomGroup")
            .field("me", &self.me)
            .finish_non_exhaustive()
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl RoomGroup {
    /// Creates the room's group, as its first member `me`, with the default settings.
    pub fn create(me: u16, secret: &RoomSecret, admission: Admission) -> Result<Self, MlsError> {
        Self::create_with(me, secret, admission, RoomSettings::default())
    }

    /// Creates the room's group, as its first member `me`, with `settings` in its
    /// GroupContext for every member to read.
    pub fn create_with(
        me: u16,
        secret: &RoomSecret,
        admission: Admission,
        settings: RoomSettings,
    ) -> Result<Self, MlsError> {
        let mut room = Self::new(me, secret, admission, true)?;
        room.create_settings = settings;
        room.create_group()?;
        Ok(room)
    }

    /// Enters as `me`, a newcomer to the room's group, with `present` the members already
    /// there; one of them will challenge it.
    pub fn join(
        me: u16,
        secret: &RoomSecret,
        admission: Admission,
        present: &[u16],
    ) -> Result<Self, MlsError> {
        let mut room = Self::new(me, secret, admission, false)?;
        room.present = present.iter().copied().collect();
        room.stage = Stage::Waiting {
            key_package: room.identity.key_package(unix_now())?,
        };
        Ok(room)
    }

    fn new(
        me: u16,
        secret: &RoomSecret,
        admission: Admission,
        creator: bool,
    ) -> Result<Self, MlsError> {
        Ok(Self {
            me,
            keys: RoomKeys::derive(secret),
            admission,
            creator,
            create_settings: RoomSettings::default(),
            identity: MlsIdentity::generate(me)?,
            // Replaced at once by `create_group` or `join`.
            stage: Stage::Removed,
            present: BTreeSet::new(),
            newcomers: BTreeMap::new(),
            challenges: BTreeMap::new(),
            requests: BTreeMap::new(),
            approved: BTreeSet::new(),
            pending: None,
            removals_since: None,
        })
    }

    /// Starts a new incarnation of the room's group, with this member alone in it. A
    /// newcomer that starts one (everyone left while it waited) never learned the room's
    /// settings, so its incarnation has the defaults.
    fn create_group(&mut self) -> Result<(), MlsError> {
        let group = MlsGroup::new_with_group_id(
            &self.identity.provider,
            &self.identity.signer,
            &config::create_config(&self.create_settings)?,
            GroupId::from_slice(&self.keys.group_id(rand::random())),
            self.identity.credential.clone(),
        )
        .map_err(operation)?;
        self.stage = Stage::Member(Box::new(group));
        for member in self.present.clone() {
            self.newcomers.entry(member).or_insert_with(Instant::now);
        }
        Ok(())
    }

    /// This member's number.
    pub fn me(&self) -> u16 {
        self.me
    }

    /// Whether this member is in the group.
    pub fn in_group(&self) -> bool {
        matches!(self.stage, Stage::Member(_))
    }

    /// Whether this member was removed from the group.
    pub fn removed(&self) -> bool {
        matches!(self.stage, Stage::Removed)
    }

    /// Whether this member created the room (and so approves knocks).
    pub fn is_creator(&self) -> bool {
        self.creator
    }

    /// The room's admission mode.
    pub fn admission(&self) -> Admission {
        self.admission
    }

    /// The group's members, from the MLS group itself (empty before joining).
    pub fn roster(&self) -> Vec<RosterEntry> {
        match &self.stage {
            Stage::Member(group) => roster(group),
            _ => Vec::new(),
        }
    }

    /// The room's settings, as the group holds them (the defaults before joining).
    pub fn settings(&self) -> RoomSettings {
        match &self.stage {
            // A Welcome whose settings do not parse is refused, and no commit may change
            // them: the group's always parse.
            Stage::Member(group) => RoomSettings::of_group(group).unwrap_or_default(),
            _ => RoomSettings::default(),
        }
    }

    /// The group's epoch.
    pub fn epoch(&self) -> Option<u64> {
        match &self.stage {
            Stage::Member(group) => Some(group.epoch().as_u64()),
            _ => None,
        }
    }

    /// The safety code of the current epoch, the same for every member.
    pub fn safety_code(&self) -> Option<String> {
        match &self.stage {
            Stage::Member(group) => Some(safety_code(group)),
            _ => None,
        }
    }

    /// Members knocking and not yet decided (knock mode).
    pub fn knocking(&self) -> Vec<u16> {
        self.requests
            .keys()
            .filter(|m| !self.approved.contains(m))
            .copied()
            .collect()
    }

    /// Whether a message can be sent now: in the group, with no commit or proposal of
    /// this epoch still open (MLS refuses to encrypt while a proposal waits for its commit).
    pub fn can_send(&self) -> bool {
        match &self.stage {
            Stage::Member(group) => self.pending.is_none() && !group.has_pending_proposals(),
            _ => false,
        }
    }

    /// Handles a relayed frame from `sender`.
    pub fn on_frame(&mut self, sender: u16, kind: FrameKind, payload: &[u8]) -> Output {
        let mut out = Output::default();
        if sender == self.me {
            return out;
        }
        match kind {
            FrameKind::Group => self.on_group_frame(sender, payload, &mut out),
            FrameKind::Challenge => self.on_challenge(sender, payload, &mut out),
            FrameKind::JoinRequest => self.on_join_request(sender, payload, &mut out),
            FrameKind::Welcome => self.on_welcome(sender, payload, &mut out),
            FrameKind::Denied => {
                if matches!(self.stage, Stage::Waiting { .. }) {
                    out.events.push(RoomEvent::Denied);
                }
            }
        }
        self.act(&mut out, false);
        out
    }

    /// The gateway reports `member` joined the room: a newcomer to challenge.
    pub fn on_member_joined(&mut self, member: u16) -> Output {
        let mut out = Output::default();
        self.present.insert(member);
        self.newcomers.insert(member, Instant::now());
        self.act(&mut out, false);
        out
    }

    /// The gateway reports `member` left the room.
    pub fn on_member_left(&mut self, member: u16) -> Output {
        let mut out = Output::default();
        self.present.remove(&member);
        self.newcomers.remove(&member);
        self.challenges.remove(&member);
        self.requests.remove(&member);
        self.approved.remove(&member);
        if matches!(self.stage, Stage::Waiting { .. }) && self.present.is_empty() {
            // Everyone who could have added us is gone: the room's group starts again here.
            match self.create_group() {
                Ok(()) => out.events.push(RoomEvent::InGroup),
                Err(reason) => out.refused(self.me, reason),
            }
            return out;
        }
        self.act(&mut out, false);
        out
    }

    /// Time passed: do pending work the designated member left undone.
    pub fn tick(&mut self, now: Instant) -> Output {
        let mut out = Output::default();
        let overdue = |since: &Instant| now.saturating_duration_since(*since) >= FALLBACK;
        let adds_overdue = self.requests.values().any(|r| overdue(&r.since));
        let newcomers_overdue = self
            .newcomers
            .iter()
            .any(|(m, since)| overdue(since) && !self.challenges.contains_key(m));
        let removals_overdue = self.removals_since.as_ref().is_some_and(overdue);
        self.act(
            &mut out,
            adds_overdue || newcomers_overdue || removals_overdue,
        );
        out
    }

    /// Approves a knocking member (the creator, in knock mode).
    pub fn approve(&mut self, member: u16) -> Output {
        let mut out = Output::default();
        if self.requests.contains_key(&member) {
            self.approved.insert(member);
            self.act(&mut out, false);
        }
        out
    }

    /// Refuses a knocking member (the creator, in knock mode); it is told so.
    pub fn deny(&mut self, member: u16) -> Output {
        let mut out = Output::default();
        if self.requests.remove(&member).is_some() {
            self.approved.remove(&member);
            out.frame(FrameKind::Denied, Some(member), Vec::new());
        }
        out
    }
}
