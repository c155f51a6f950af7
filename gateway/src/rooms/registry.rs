use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use ed25519_dalek::VerifyingKey;
use rand::Rng;

use super::{MemberHandle, MemberNumber, Room, MEMBER_NUMBERS, ROOM_CODES};
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

/// Every live room.
pub struct Registry {
    max_rooms: usize,
    max_members: usize,
    index: Mutex<Index>,
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

    /// Live rooms.
    pub fn room_count(&self) -> usize {
        lock(&self.index).rooms.len()
    }

    /// Room references in use: one per live room, freed with the room.
    pub fn reference_count(&self) -> usize {
        lock(&self.index).references.len()
    }

    /// Admits `handle` to the room `target` names: a new free room under a fresh random
    /// code, an existing free room, or a paid room (created when nobody is in it, since a
    /// paid room exists while at least one member is connected).
    ///
    /// `admits` sees the existing room (or `None`) under the registry's lock and decides,
    /// so a room cannot be replaced between the check and the admission. A refusal is
    /// [`JoinError::NotFound`], the same answer as for a room that does not exist.
    pub fn join(
        &self,
        target: JoinTarget,
        handle: MemberHandle,
        admits: impl FnOnce(Option<&Room>) -> bool,
    ) -> Result<Joined, JoinError> {
        let mut index = lock(&self.index);
        let key = match target {
            JoinTarget::NewFree(_) => {
                let mut rng = rand::rngs::OsRng;
                loop {
                    let candidate = RoomKey::Free(rng.gen_range(0..ROOM_CODES));
                    if !index.rooms.contains_key(&candidate) {
                        break candidate;
                    }
                }
            }
            JoinTarget::Free(code) => RoomKey::Free(code),
            JoinTarget::Paid(id) => RoomKey::Paid(id),
        };
        let existing = index.rooms.get(&key).cloned();
        if !admits(existing.as_deref()) {
            return Err(JoinError::NotFound);
        }
        let room = match (target, existing) {
            (JoinTarget::Free(_) | JoinTarget::Paid(_), Some(room)) => room,
            (JoinTarget::Free(_), None) => return Err(JoinError::NotFound),
            (JoinTarget::NewFree(_) | JoinTarget::Paid(_), _) => {
                if index.rooms.len() >= self.max_rooms {
                    return Err(JoinError::TooManyRooms);
                }
                let reference = fresh_reference(&mut index);
                let verifier = match target {
                    JoinTarget::NewFree(verifier) => Some(verifier),
                    _ => None,
                };
                let room = Arc::new(Room::new(reference, verifier));
                index.rooms.insert(key, room.clone());
                room
            }
        };
        let (member, others) = room
            .admit(handle, self.max_members)
            .ok_or(JoinError::Full)?;
        Ok(Joined {
            room,
            key,
            member,
            others,
        })
    }

    /// Removes `member` from the room at `key`; destroys the room if it is now empty.
    pub fn leave(&self, key: RoomKey, room: &Room, member: MemberNumber) {
        let mut index = lock(&self.index);
        if room.remove(member) == 0 {
            index.rooms.remove(&key);
            index.references.remove(&room.reference());
        }
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

    fn any(_: Option<&Room>) -> bool {
        true
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
        let created = registry.join(new_free(), handle(), any).unwrap();
        let joined = registry
            .join(JoinTarget::Free(code(&created)), handle(), any)
            .unwrap();
        assert_eq!(joined.others, vec![created.member]);
        assert_ne!(joined.member, created.member);
        registry.leave(created.key, &created.room, created.member);
        assert_eq!(registry.room_count(), 1);
        registry.leave(joined.key, &joined.room, joined.member);
        assert_eq!(registry.room_count(), 0);
        assert_eq!(
            registry
                .join(JoinTarget::Free(code(&created)), handle(), any)
                .err(),
            Some(JoinError::NotFound)
        );
    }

    #[test]
    fn member_numbers_are_four_digits_and_unique() {
        let registry = Registry::new(10, 500);
        let created = registry.join(new_free(), handle(), any).unwrap();
        let mut numbers = vec![created.member];
        for _ in 0..499 {
            numbers.push(
                registry
                    .join(JoinTarget::Free(code(&created)), handle(), any)
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
                .join(JoinTarget::Free(code(&created)), handle(), any)
                .err(),
            Some(JoinError::Full)
        );
    }

    #[test]
    fn a_paid_room_is_created_by_its_first_member_and_shared_by_the_next() {
        let registry = Registry::new(10, 10);
        let first = registry
            .join(JoinTarget::Paid([7; 32]), handle(), any)
            .unwrap();
        let second = registry
            .join(JoinTarget::Paid([7; 32]), handle(), any)
            .unwrap();
        assert_eq!(first.room.reference(), second.room.reference());
        assert_eq!(second.others, vec![first.member]);
        assert_eq!(registry.room_count(), 1);
    }

    #[test]
    fn a_refused_admission_is_answered_like_a_missing_room() {
        let registry = Registry::new(10, 10);
        let created = registry.join(new_free(), handle(), any).unwrap();
        let refused = registry.join(JoinTarget::Free(code(&created)), handle(), |_| false);
        assert_eq!(refused.err(), Some(JoinError::NotFound));
        assert_eq!(created.room.len(), 1, "nobody was admitted");
    }

    #[test]
    fn room_limit_is_enforced() {
        let registry = Registry::new(2, 10);
        registry.join(new_free(), handle(), any).unwrap();
        registry.join(new_free(), handle(), any).unwrap();
        assert_eq!(
            registry.join(new_free(), handle(), any).err(),
            Some(JoinError::TooManyRooms)
        );
    }
}
