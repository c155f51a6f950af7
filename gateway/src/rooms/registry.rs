use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rand::Rng;

use super::{MemberHandle, MemberNumber, Room, MEMBER_NUMBERS, ROOM_CODES};
use crate::auth::nonces::lock;

/// How a room is found. Free rooms are found by their code; paid rooms will add their own
/// key, so joining stays one path with two ways in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoomKey {
    /// A free room's six-digit code.
    Free(u32),
    /// A paid room's id, opened from the room seal of a member's key.
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

    /// Creates a free room under a fresh random code and admits `handle` as its first member.
    pub fn create_free(&self, handle: MemberHandle) -> Result<Joined, JoinError> {
        let mut index = lock(&self.index);
        if index.rooms.len() >= self.max_rooms {
            return Err(JoinError::TooManyRooms);
        }
        let mut rng = rand::rngs::OsRng;
        let key = loop {
            let candidate = RoomKey::Free(rng.gen_range(0..ROOM_CODES));
            if !index.rooms.contains_key(&candidate) {
                break candidate;
            }
        };
        let reference = fresh_reference(&mut index);
        let room = Arc::new(Room::new(reference));
        index.rooms.insert(key, room.clone());
        // A new room is empty and max_members is at least 1, so this admits.
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

    /// Admits `handle` to the paid room `id`, creating the room if nobody is in it: a paid
    /// room exists while at least one member is connected.
    pub fn join_paid(
        &self,
        id: crate::paid::RoomId,
        handle: MemberHandle,
    ) -> Result<Joined, JoinError> {
        let key = RoomKey::Paid(id);
        let mut index = lock(&self.index);
        let room = match index.rooms.get(&key) {
            Some(room) => room.clone(),
            None => {
                if index.rooms.len() >= self.max_rooms {
                    return Err(JoinError::TooManyRooms);
                }
                let reference = fresh_reference(&mut index);
                let room = Arc::new(Room::new(reference));
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

    /// Admits `handle` to the room found by `key`.
    pub fn join(&self, key: RoomKey, handle: MemberHandle) -> Result<Joined, JoinError> {
        let index = lock(&self.index);
        let room = index.rooms.get(&key).ok_or(JoinError::NotFound)?.clone();
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

    #[test]
    fn room_lives_while_it_has_members() {
        let registry = Registry::new(10, 10);
        let created = registry.create_free(handle()).unwrap();
        let joined = registry.join(created.key, handle()).unwrap();
        assert_eq!(joined.others, vec![created.member]);
        assert_ne!(joined.member, created.member);
        registry.leave(created.key, &created.room, created.member);
        assert_eq!(registry.room_count(), 1);
        registry.leave(joined.key, &joined.room, joined.member);
        assert_eq!(registry.room_count(), 0);
        assert_eq!(
            registry.join(created.key, handle()).err(),
            Some(JoinError::NotFound)
        );
    }

    #[test]
    fn member_numbers_are_four_digits_and_unique() {
        let registry = Registry::new(10, 500);
        let created = registry.create_free(handle()).unwrap();
        let mut numbers = vec![created.member];
        for _ in 0..499 {
            numbers.push(registry.join(created.key, handle()).unwrap().member);
        }
        assert!(numbers.iter().all(|n| (1000..=9999).contains(n)));
        numbers.sort_unstable();
        numbers.dedup();
        assert_eq!(numbers.len(), 500);
        assert_eq!(
            registry.join(created.key, handle()).err(),
            Some(JoinError::Full)
        );
    }

    #[test]
    fn room_limit_is_enforced() {
        let registry = Registry::new(2, 10);
        registry.create_free(handle()).unwrap();
        registry.create_free(handle()).unwrap();
        assert_eq!(
            registry.create_free(handle()).err(),
            Some(JoinError::TooManyRooms)
        );
    }
}
