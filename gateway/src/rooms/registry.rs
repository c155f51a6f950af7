use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use ed25519_dalek::VerifyingKey;
use rand::Rng;

use super::{Admission, MemberHandle, MemberNumber, Room, MEMBER_NUMBERS, ROOM_CODES};
use crate::sync::lock;

/// How a room is found: a free room by its code, a paid room by the id sealed in its keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoomKey {
    /// A free room's six-digit code.
    Free(u32),
    /// A paid room's id, opened from the room seal of a member's key.
    Paid(crate::paid::RoomId),
}

/// Where a join leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinTarget {
    /// A new free room, under a fresh random code, admitting later joiners that prove the
    /// invite's secret against this verifier.
    NewFree(VerifyingKey),
    /// The free room with this code; it must exist.
    Free(u32),
    /// The paid room with this id, created if nobody is in it.
    Paid(crate::paid::RoomId),
}

/// Why a join failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// Raised if no room has that key.
    #[error("no such room")]
    NotFound,
    /// Raised if the room holds as many members as allowed.
    #[error("room full")]
    Full,
    /// Raised if creating a room would pass the gateway's room limit.
    #[error("too many rooms")]
    TooManyRooms,
}

/// A successful join.
#[derive(Debug, Clone)]
pub struct Joined {
    /// The room joined.
    pub room: Arc<Room>,
    /// How the room is found (its code for a free room).
    pub key: RoomKey,
    /// The new member's number.
    pub member: MemberNumber,
    /// The members who were already there.
    pub others: Vec<MemberNumber>,
}

#[derive(Default)]
struct Index {
    rooms: HashMap<RoomKey, Arc<Room>>,
    references: HashSet<u32>,
}

/// Every live room this gateway orders or follows.
pub struct Registry {
    max_rooms: usize,
    max_members: usize,
    index: Mutex<Index>,
}

impl JoinTarget {
    /// The key of the room the target names; a new free room gets a random code this
    /// gateway does not use (a cluster checks the others before using it).
    pub fn key(&self, registry: &Registry) -> RoomKey {
        match *self {
            JoinTarget::NewFree(_) => registry.unused_code(),
            JoinTarget::Free(code) => RoomKey::Free(code),
            JoinTarget::Paid(id) => RoomKey::Paid(id),
        }
    }

    /// Whether joining creates the room when nobody is in it.
    pub fn creates(&self) -> bool {
        !matches!(self, JoinTarget::Free(_))
    }

    /// The verifier a new room keeps.
    pub fn verifier(&self) -> Option<VerifyingKey> {
        match *self {
            JoinTarget::NewFree(verifier) => Some(verifier),
            _ => None,
        }
    }
}

impl Registry {
    /// A registry holding at most `max_rooms` rooms of at most `max_members` members each
    /// (capped at the 9,000 four-digit member numbers and at 1,000,000 codes).
    pub fn new(max_rooms: usize, max_members: usize) -> Self {
        Self {
            max_rooms: max_rooms.min(ROOM_CODES as usize / 2),
            max_members: max_members.clamp(1, MEMBER_NUMBERS),
            index: Mutex::new(Index::default()),
        }
    }

    /// Most members per room.
    pub fn max_members(&self) -> usize {
        self.max_members
    }

    /// Live rooms this gateway orders or follows.
    pub fn room_count(&self) -> usize {
        lock(&self.index).rooms.len()
    }

    /// Room references in use: one per live room, freed with the room.
    pub fn reference_count(&self) -> usize {
        lock(&self.index).references.len()
    }

    /// Live rooms this gateway orders.
    pub fn ordered_here(&self) -> usize {
        lock(&self.index)
            .rooms
            .values()
            .filter(|room| room.is_ordered_here())
            .count()
    }

    /// The room at `key`, if this gateway orders or follows it.
    pub fn get(&self, key: &RoomKey) -> Option<Arc<Room>> {
        lock(&self.index).rooms.get(key).cloned()
    }

    /// Every room and its key, for the cluster's bookkeeping.
    pub fn entries(&self) -> Vec<(RoomKey, Arc<Room>)> {
        lock(&self.index)
            .rooms
            .iter()
            .map(|(key, room)| (*key, room.clone()))
            .collect()
    }

    /// Removes every room (this gateway left the cluster) and returns them.
    pub fn drain(&self) -> Vec<Arc<Room>> {
        let mut index = lock(&self.index);
        index.references.clear();
        index.rooms.drain().map(|(_, room)| room).collect()
    }

    fn unused_code(&self) -> RoomKey {
        let index = lock(&self.index);
        let mut rng = rand::rngs::OsRng;
        loop {
            let candidate = RoomKey::Free(rng.gen_range(0..ROOM_CODES));
            if !index.rooms.contains_key(&candidate) {
                return candidate;
            }
        }
    }

    /// Adds the room `make` builds under a fresh reference at `key`, unless a room is
    /// there already, or `elsewhere` rooms on other gateways plus those ordered here
    /// reach the room limit (`counts` says whether the new room counts: a followed room
    /// is counted by its orderer).
    ///
    /// Returns the room and whether it is the new one.
    pub fn insert(
        &self,
        key: RoomKey,
        elsewhere: usize,
        counts: bool,
        make: impl FnOnce(u32) -> Room,
    ) -> Result<(Arc<Room>, bool), JoinError> {
        let mut index = lock(&self.index);
        if let Some(room) = index.rooms.get(&key) {
            return Ok((room.clone(), false));
        }
        if counts {
            let here = index.rooms.values().filter(|r| r.is_ordered_here()).count();
            if here + elsewhere >= self.max_rooms {
                return Err(JoinError::TooManyRooms);
            }
        }
        let room = Arc::new(make(fresh_reference(&mut index)));
        index.rooms.insert(key, room.clone());
        Ok((room, true))
    }

    /// Removes the room at `key` if it is `room` and this gateway is done with it. A room
    /// removed is retired first: a join that found it a moment ago is refused, not admitted
    /// to a room nobody can find any more.
    pub fn remove_if_done(&self, key: RoomKey, room: &Arc<Room>) {
        let mut index = lock(&self.index);
        let same = index.rooms.get(&key).is_some_and(|r| Arc::ptr_eq(r, room));
        if same && room.retire_if_done() {
            index.rooms.remove(&key);
            index.references.remove(&room.reference());
        }
    }

    /// Removes the room at `key` if it is `room`, whatever its state (it ended here).
    pub fn remove(&self, key: RoomKey, room: &Arc<Room>) {
        let mut index = lock(&self.index);
        if index.rooms.get(&key).is_some_and(|r| Arc::ptr_eq(r, room)) {
            index.rooms.remove(&key);
            index.references.remove(&room.reference());
        }
    }

    /// Admits `handle` to the room `target` names, on a gateway running alone: a new free
    /// room under a fresh random code, an existing free room, or a paid room (created when
    /// nobody is in it, since a paid room exists while at least one member is connected).
    /// A refused admission is [`JoinError::NotFound`], the same answer as for a room that
    /// does not exist, after the same work.
    pub fn join(
        &self,
        target: JoinTarget,
        handle: MemberHandle,
        admission: &Admission,
    ) -> Result<Joined, JoinError> {
        // A room can be retired between finding it and joining it; then it is looked up
        // (or created) again.
        for _ in 0..3 {
            let key = target.key(self);
            let room = match self.get(&key) {
                Some(room) => room,
                None if target.creates() => {
                    let verifier = target.verifier();
                    let (room, created) =
                        self.insert(key, 0, true, |reference| Room::alone(reference, verifier))?;
                    if !created && matches!(target, JoinTarget::NewFree(_)) {
                        continue;
                    }
                    room
                }
                None => {
                    // The same verification a real room's proof costs.
                    admission.admits(None);
                    return Err(JoinError::NotFound);
                }
            };
            match room.admit(0, 0, Some(handle.clone()), admission, self.max_members) {
                Ok(admitted) => {
                    return Ok(Joined {
                        room,
                        key,
                        member: admitted.member,
                        others: admitted.others,
                    })
                }
                Err(JoinError::NotFound) if room.is_retired() && target.creates() => continue,
                Err(error) => {
                    self.remove_if_done(key, &room);
                    return Err(error);
                }
            }
        }
        Err(JoinError::NotFound)
    }

    /// `member`, connected here, leaves the room at `key`; the room goes when this gateway
    /// is done with it.
    pub fn leave(&self, key: RoomKey, room: &Arc<Room>, member: MemberNumber) {
        room.leave(member);
        self.remove_if_done(key, room);
    }
}

/// A random room reference no live room uses.
fn fresh_reference(index: &mut Index) -> u32 {
    let mut rng = rand::rngs::OsRng;
    loop {
        let candidate: u32 = rng.gen();
        if index.references.insert(candidate) {
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle() -> MemberHandle {
        MemberHandle::new(4).0
    }

    fn new_free() -> JoinTarget {
        let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        JoinTarget::NewFree(key.verifying_key())
    }

    const ANY: Admission = Admission::Checked;

    fn refused() -> Admission {
        Admission::Proof {
            message: b"wrong".to_vec(),
            signature: None,
        }
    }

    fn code(joined: &Joined) -> u32 {
        match joined.key {
            RoomKey::Free(code) => code,
            RoomKey::Paid(_) => unreachable!("a free room"),
        }
    }

    #[test]
    fn room_lives_while_it_has_members() {
        let registry = Registry::new(10, 10);
        let created = registry.join(new_free(), handle(), &ANY).unwrap();
        let joined = registry
            .join(JoinTarget::Free(code(&created)), handle(), &ANY)
            .unwrap();
        assert_eq!(joined.others, vec![created.member]);
        assert_ne!(joined.member, created.member);
        registry.leave(created.key, &created.room, created.member);
        assert_eq!(registry.room_count(), 1);
        registry.leave(joined.key, &joined.room, joined.member);
        assert_eq!(registry.room_count(), 0);
        assert_eq!(
            registry
                .join(JoinTarget::Free(code(&created)), handle(), &ANY)
                .err(),
            Some(JoinError::NotFound)
        );
    }

    #[test]
    fn member_numbers_are_four_digits_and_unique() {
        let registry = Registry::new(10, 500);
        let created = registry.join(new_free(), handle(), &ANY).unwrap();
        let mut numbers = vec![created.member];
        for _ in 0..499 {
            numbers.push(
                registry
                    .join(JoinTarget::Free(code(&created)), handle(), &ANY)
                    .unwrap()
                    .member,
            );
        }
        assert!(numbers.iter().all(|n| (1000..=9999).contains(n)));
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), 500);
        assert_eq!(
            registry
                .join(JoinTarget::Free(code(&created)), handle(), &ANY)
                .err(),
            Some(JoinError::Full)
        );
    }

    #[test]
    fn a_paid_room_is_created_by_its_first_member_and_shared_by_the_next() {
        let registry = Registry::new(10, 10);
        let first = registry
            .join(JoinTarget::Paid([7; 32]), handle(), &ANY)
            .unwrap();
        let second = registry
            .join(JoinTarget::Paid([7; 32]), handle(), &ANY)
            .unwrap();
        assert_eq!(first.room.reference(), second.room.reference());
        assert_eq!(second.others, vec![first.member]);
        assert_eq!(registry.room_count(), 1);
    }

    #[test]
    fn a_refused_admission_is_answered_like_a_missing_room() {
        let registry = Registry::new(10, 10);
        let created = registry.join(new_free(), handle(), &ANY).unwrap();
        let refused = registry.join(JoinTarget::Free(code(&created)), handle(), &refused());
        assert_eq!(refused.err(), Some(JoinError::NotFound));
        assert_eq!(created.room.len(), 1, "nobody was admitted");
    }

    #[test]
    fn room_limit_is_enforced() {
        let registry = Registry::new(2, 10);
        registry.join(new_free(), handle(), &ANY).unwrap();
        registry.join(new_free(), handle(), &ANY).unwrap();
        assert_eq!(
            registry.join(new_free(), handle(), &ANY).err(),
            Some(JoinError::TooManyRooms)
        );
    }
}
