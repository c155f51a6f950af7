//! The Delivery Service's one rule per room (RFC 9420 §14): commits are put in a single
//! order, and a commit made in an epoch the group has already left is refused without being
//! relayed, so every member applies the same commit for each epoch.
//!
//! The gateway learns a group's epoch only from the cleartext header of the commits it
//! orders; it never holds a key. A room normally carries one group; a few are tracked so a
//! room whose group ended (its members all left while others waited to be added) can start
//! another under a new id.

/// Groups tracked per room; the least recently used is forgotten past this.
const GROUPS_PER_ROOM: usize = 4;
/// Longest group id tracked. Clients derive 16-byte ids.
pub const MAX_GROUP_ID: usize = 32;

/// The result of offering a commit to the room's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitOrder {
    /// Ordered: relay it; the group is now in `epoch + 1`.
    Accepted,
    /// Refused: another commit was ordered for this epoch, or the epoch is not the group's;
    /// the group is in `current`.
    Refused {
        /// The epoch the group is in.
        current: u64,
    },
}

#[derive(Debug)]
struct GroupEpoch {
    id: Vec<u8>,
    epoch: u64,
}

/// The commit order of one room: for each group seen, the epoch it is in.
#[derive(Debug, Default)]
pub struct RoomOrder {
    /// Least recently used first.
    groups: Vec<GroupEpoch>,
}

impl RoomOrder {
    /// What [`Self::offer_commit`] would answer, without changing anything.
    pub fn check(&self, group_id: &[u8], epoch: u64) -> CommitOrder {
        match self.groups.iter().find(|g| g.id == group_id) {
            Some(group) if group.epoch != epoch => CommitOrder::Refused {
                current: group.epoch,
            },
            _ => CommitOrder::Accepted,
        }
    }

    /// `(group id, epoch)` of every group tracked, least recently used first.
    pub fn export(&self) -> Vec<(Vec<u8>, u64)> {
        self.groups
            .iter()
            .map(|g| (g.id.clone(), g.epoch))
            .collect()
    }

    /// The order [`Self::export`] described (at most the groups a room tracks, ids no longer
    /// than [`MAX_GROUP_ID`]).
    pub fn import(groups: Vec<(Vec<u8>, u64)>) -> Self {
        let skip = groups.len().saturating_sub(GROUPS_PER_ROOM);
        Self {
            groups: groups
                .into_iter()
                .skip(skip)
                .filter(|(id, _)| id.len() <= MAX_GROUP_ID)
                .map(|(id, epoch)| GroupEpoch { id, epoch })
                .collect(),
        }
    }

    /// Offers a commit made in `epoch` of group `group_id`. The first commit seen for a group
    /// sets its epoch; after that only a commit in the group's current epoch is accepted.
    /// Only an accepted commit makes its group the most recently used.
    pub fn offer_commit(&mut self, group_id: &[u8], epoch: u64) -> CommitOrder {
        let Some(at) = self.groups.iter().position(|g| g.id == group_id) else {
            if self.groups.len() >= GROUPS_PER_ROOM {
                self.groups.remove(0);
            }
            self.groups.push(GroupEpoch {
                id: group_id.to_vec(),
                epoch: epoch.saturating_add(1),
            });
            return CommitOrder::Accepted;
        };
        if epoch != self.groups[at].epoch {
            // A refused commit leaves the order as it was, recency included: the orderer
            // decides refusals with `check`, and the members that apply its events must
            // end with the same state as the orderer.
            return CommitOrder::Refused {
                current: self.groups[at].epoch,
            };
        }
        let mut group = self.groups.remove(at);
        group.epoch = epoch.saturating_add(1);
        self.groups.push(group);
        CommitOrder::Accepted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_commit_per_epoch_is_ordered_and_the_rest_refused() {
        let mut order = RoomOrder::default();
        assert_eq!(order.offer_commit(b"g", 0), CommitOrder::Accepted);
        assert_eq!(
            order.offer_commit(b"g", 0),
            CommitOrder::Refused { current: 1 },
            "the race's loser"
        );
        assert_eq!(order.offer_commit(b"g", 1), CommitOrder::Accepted);
        assert_eq!(
            order.offer_commit(b"g", 7),
            CommitOrder::Refused { current: 2 },
            "a future epoch is not current either"
        );
        assert_eq!(order.offer_commit(b"g", 2), CommitOrder::Accepted);
    }

    #[test]
    fn check_answers_like_offer_and_export_round_trips() {
        let mut order = RoomOrder::default();
        assert_eq!(order.check(b"g", 3), CommitOrder::Accepted, "a new group");
        order.offer_commit(b"g", 3);
        assert_eq!(order.check(b"g", 3), CommitOrder::Refused { current: 4 });
        assert_eq!(order.check(b"g", 4), CommitOrder::Accepted);
        assert_eq!(
            order.check(b"g", 4),
            CommitOrder::Accepted,
            "check changes nothing"
        );
        let mut copy = RoomOrder::import(order.export());
        assert_eq!(
            copy.offer_commit(b"g", 3),
            CommitOrder::Refused { current: 4 }
        );
        assert_eq!(copy.offer_commit(b"g", 4), CommitOrder::Accepted);
    }

    #[test]
    fn a_new_group_starts_its_own_order_and_old_ones_are_forgotten() {
        let mut order = RoomOrder::default();
        order.offer_commit(b"first", 4);
        assert_eq!(order.offer_commit(b"second", 0), CommitOrder::Accepted);
        assert_eq!(
            order.offer_commit(b"second", 0),
            CommitOrder::Refused { current: 1 }
        );
        for id in [&b"c"[..], b"d", b"e"] {
            order.offer_commit(id, 0);
        }
        assert_eq!(
            order.offer_commit(b"first", 0),
            CommitOrder::Accepted,
            "the least recently used group was forgotten"
        );
    }

    #[test]
    fn a_refused_commit_does_not_keep_its_group_remembered() {
        let mut order = RoomOrder::default();
        for id in [&b"a"[..], b"b", b"c", b"d"] {
            order.offer_commit(id, 0);
        }
        assert_eq!(
            order.offer_commit(b"a", 0),
            CommitOrder::Refused { current: 1 }
        );
        order.offer_commit(b"e", 0);
        assert_eq!(
            order.check(b"a", 0),
            CommitOrder::Accepted,
            "refusals leave the order as check found it, so `a` was the one forgotten"
        );
        assert_eq!(order.check(b"b", 0), CommitOrder::Refused { current: 1 });
    }
}
