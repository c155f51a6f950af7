//! What whoever can publish on NATS could replay to a room's orderer, and how the orderer
//! tells a replay from a fresh message: inputs by their numbers per link, joins by their
//! ids (docs/scaling.md §2.4).

use super::bounded::BoundedMap;
use crate::rooms::NodeId;

/// The next input number expected on each gateway's link to the room. A link's numbering
/// starts from whatever its first input here says (it may have sent earlier inputs to a
/// previous orderer); after that:
/// - the next number is taken;
/// - a number already taken is a replay (NATS itself delivers a message once) and is
///   dropped, changing nothing;
/// - a number further on means inputs were lost: the gateway's members leave, and the link
///   goes on from there.
///
/// Links are remembered for as long as the room is ordered here (up to
/// [`LINKS_REMEMBERED`]), so a link's old inputs cannot be replayed once its gateway has no
/// member left either.
#[derive(Debug, Default)]
pub(super) struct InputNumbers {
    next: BoundedMap<(NodeId, u64), u64, LINKS_REMEMBERED>,
}

/// Links one ordered room remembers; past this the oldest is forgotten. A gateway starts a
/// link each time it starts following the room, so this is 256 times that a member joined
/// through a gateway with nobody else of the room on it (under 10 KiB).
const LINKS_REMEMBERED: usize = 256;

/// What an input's number says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Numbered {
    /// The next input of its link.
    Next,
    /// Taken already: a replay.
    Replayed,
    /// Inputs before it on its link were lost.
    AfterGap,
}

impl InputNumbers {
    /// Where input `seq` on `link` of gateway `node` stands, counting it.
    pub(super) fn take(&mut self, node: NodeId, link: u64, seq: u64) -> Numbered {
        let Some(expected) = self.next.get_mut(&(node, link)) else {
            self.next.insert((node, link), seq.saturating_add(1));
            return Numbered::Next;
        };
        match seq.cmp(expected) {
            std::cmp::Ordering::Equal => {
                *expected = seq.saturating_add(1);
                Numbered::Next
            }
            std::cmp::Ordering::Less => Numbered::Replayed,
            std::cmp::Ordering::Greater => {
                *expected = seq.saturating_add(1);
                Numbered::AfterGap
            }
        }
    }
}

/// Join ids an orderer has answered, so a join request replayed on NATS is not admitted a
/// second time. Join ids are random, one per attempt.
#[derive(Debug, Default)]
pub(super) struct RecentJoins {
    ids: BoundedMap<u64, (), JOINS_REMEMBERED>,
}

/// Join ids remembered per ordered room (16 KiB at most). A join request replayed after
/// this many newer joins in the room is admitted again; its gateway, which expects no such
/// join, sends the member's departure at once, and a gateway that is gone has its members
/// removed by the orderer's sweep (`liveness`).
const JOINS_REMEMBERED: usize = 1024;

impl RecentJoins {
    /// Records `join_id`; `false` if it was answered already.
    pub(super) fn first_time(&mut self, join_id: u64) -> bool {
        self.ids.insert(join_id, ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_must_follow_each_other_per_link_and_a_gap_is_reported_once() {
        let mut inputs = InputNumbers::default();
        assert_eq!(
            inputs.take(7, 1, 40),
            Numbered::Next,
            "the first input sets the numbering"
        );
        assert_eq!(inputs.take(7, 1, 41), Numbered::Next);
        assert_eq!(
            inputs.take(7, 2, 0),
            Numbered::Next,
            "another link of the same gateway"
        );
        assert_eq!(inputs.take(9, 1, 5), Numbered::Next, "another gateway");
        assert_eq!(
            inputs.take(7, 1, 43),
            Numbered::AfterGap,
            "input 42 was lost"
        );
        assert_eq!(inputs.take(7, 1, 44), Numbered::Next, "the link goes on");
        assert_eq!(
            inputs.take(9, 1, 6),
            Numbered::Next,
            "the other gateway is not affected"
        );
    }

    #[test]
    fn a_replayed_input_changes_nothing_however_late() {
        let mut inputs = InputNumbers::default();
        for seq in 0..3 {
            assert_eq!(inputs.take(7, 1, seq), Numbered::Next);
        }
        for seq in [2, 0, 1, 2] {
            assert_eq!(
                inputs.take(7, 1, seq),
                Numbered::Replayed,
                "input {seq} again: not a gap, and not taken"
            );
        }
        assert_eq!(inputs.take(7, 1, 3), Numbered::Next, "the link goes on");
        // Other links come and go (their gateways' members leave): link 1's numbers are
        // still remembered.
        for link in 1..(LINKS_REMEMBERED as u64) {
            inputs.take(8, link, 0);
        }
        assert_eq!(inputs.take(7, 1, 1), Numbered::Replayed);
        // Past the bound the oldest link is forgotten, and its next input starts it over.
        inputs.take(8, 9_999, 0);
        assert_eq!(inputs.take(7, 1, 1), Numbered::Next);
    }

    #[test]
    fn a_join_id_is_answered_once_within_the_bound() {
        let mut joins = RecentJoins::default();
        assert!(joins.first_time(7));
        assert!(!joins.first_time(7), "replayed");
        for id in 100..(100 + JOINS_REMEMBERED as u64 - 1) {
            assert!(joins.first_time(id));
        }
        assert!(!joins.first_time(7), "still remembered");
        assert!(joins.first_time(99));
        assert!(joins.first_time(7), "forgotten past the bound");
    }
}
