//! The other gateways of the cluster, as their heartbeats show them.
//!
//! Whoever can publish on NATS can replay a sealed heartbeat (sealing binds it to its
//! subject, not to a moment). So a heartbeat counts only if it is numbered above the last
//! one heard from its gateway, alive or gone. A gateway taken for gone while it still runs
//! comes back with its next heartbeat, as it always did; a replayed one brings nobody back.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::bounded::BoundedMap;
use super::wire::Heartbeat;
use crate::rooms::NodeId;
use crate::sync::lock;

/// How often a gateway says it is alive.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_millis(500);
/// Silence after which a gateway counts as gone: four heartbeats.
pub const NODE_TIMEOUT: Duration = Duration::from_secs(2);
/// How many heartbeats older than the last one heard from its gateway a message to an
/// orderer may be stamped (10 s): more than a publish queue's backlog or NATS's delivery
/// takes, far less than a replayed recording is.
pub const BEAT_SLACK: u64 = 20;
/// Gone gateways remembered with their last heartbeat's number, so their replayed
/// heartbeats do not bring them back. Past this many the oldest is forgotten: it takes
/// 4,096 gateways going away (restarts, lost links) before one's heartbeats could be
/// replayed; under 200 KiB.
const GONE_REMEMBERED: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct Seen {
    at: Instant,
    rooms: u32,
    beat: u64,
}

#[derive(Debug, Default)]
struct Table {
    alive: HashMap<NodeId, Seen>,
    /// Gone gateways, with the number of the last heartbeat heard from each.
    gone: BoundedMap<NodeId, u64, GONE_REMEMBERED>,
}

impl Table {
    fn bury(&mut self, node: NodeId, last_beat: u64) {
        self.alive.remove(&node);
        self.gone.insert(node, last_beat);
    }

    /// The number of the last heartbeat heard from `node`, alive or gone.
    fn last_beat(&self, node: NodeId) -> Option<u64> {
        match self.alive.get(&node) {
            Some(seen) => Some(seen.beat),
            None => self.gone.get(&node).copied(),
        }
    }
}

/// Every other gateway heard from recently, and those gone.
#[derive(Debug, Default)]
pub struct Nodes {
    table: Mutex<Table>,
}

impl Nodes {
    /// Records a heartbeat received at `at`; `false` (and nothing recorded) if it is not
    /// numbered above the last one heard from its gateway.
    pub fn saw(&self, heartbeat: Heartbeat, at: Instant) -> bool {
        let mut table = lock(&self.table);
        let last = table.last_beat(heartbeat.node);
        let fresh = last.is_none_or(|last| heartbeat.beat > last);
        if fresh {
            table.gone.remove(&heartbeat.node);
            table.alive.insert(
                heartbeat.node,
                Seen {
                    at,
                    rooms: heartbeat.rooms,
                    beat: heartbeat.beat,
                },
            );
        }
        fresh
    }

    /// Whether a message stamped with heartbeat number `beat` by gateway `node` is fresh:
    /// no more than [`BEAT_SLACK`] heartbeats older than the last heard from it, alive or
    /// gone. A gateway never heard of is given the benefit of the doubt (a new gateway's
    /// first messages can arrive before its first heartbeat).
    pub fn is_fresh(&self, node: NodeId, beat: u64) -> bool {
        let last = lock(&self.table).last_beat(node);
        last.is_none_or(|last| beat.saturating_add(BEAT_SLACK) >= last)
    }

    /// Whether gateway `node` was heard from recently.
    pub fn alive(&self, node: NodeId) -> bool {
        lock(&self.table).alive.contains_key(&node)
    }

    /// Other gateways alive.
    pub fn count(&self) -> usize {
        lock(&self.table).alive.len()
    }

    /// Rooms the other gateways order, as of their last heartbeats.
    pub fn rooms_elsewhere(&self) -> usize {
        lock(&self.table)
            .alive
            .values()
            .map(|seen| seen.rooms as usize)
            .sum()
    }

    /// Returns the gateways silent for longer than [`NODE_TIMEOUT`] at `now`, now counted
    /// as gone.
    pub fn expire(&self, now: Instant) -> Vec<NodeId> {
        let mut table = lock(&self.table);
        let gone: Vec<(NodeId, u64)> = table
            .alive
            .iter()
            .filter(|(_, seen)| now.duration_since(seen.at) > NODE_TIMEOUT)
            .map(|(node, seen)| (*node, seen.beat))
            .collect();
        for (node, beat) in &gone {
            table.bury(*node, *beat);
        }
        gone.into_iter().map(|(node, _)| node).collect()
    }

    /// Counts every gateway alive as gone (this one lost the link: it hears from them again
    /// when it is back).
    pub fn clear(&self) {
        let mut table = lock(&self.table);
        let alive: Vec<(NodeId, u64)> = table.alive.iter().map(|(n, s)| (*n, s.beat)).collect();
        for (node, beat) in alive {
            table.bury(node, beat);
        }
    }

    /// Counts `node` as gone for good: this gateway's own previous node id, whose
    /// heartbeats could otherwise be replayed to it as another gateway's.
    pub fn bury(&self, node: NodeId) {
        lock(&self.table).bury(node, u64::MAX);
    }
}

/// The orderer's sweep of members whose gateway is not alive. A gateway that went away had
/// its members removed when it went; a member seated for it afterwards (a join request
/// recorded on NATS and replayed once its gateway is gone, or a join admitted just as its
/// gateway was declared gone) has nobody left to send its departure, so the sweep removes
/// it. Every gateway not alive gets one sweep of grace: a new gateway's first join can
/// arrive before its first heartbeat, and after this gateway's own link came back every
/// other one counts as gone until its next heartbeat.
#[derive(Debug, Default)]
pub struct Sweep {
    /// Gateways not alive with members at the previous sweep.
    suspects: HashSet<NodeId>,
    /// Gateways not alive with members at this sweep.
    next: HashSet<NodeId>,
}

impl Sweep {
    /// Whether the members of gateway `node` leave at this sweep, given whether it is
    /// `alive`.
    pub fn evicts(&mut self, node: NodeId, alive: bool) -> bool {
        if alive {
            return false;
        }
        if self.suspects.contains(&node) {
            return true;
        }
        self.next.insert(node);
        false
    }

    /// Ends this sweep: the gateways not alive seen become the next sweep's suspects.
    pub fn finish(&mut self) {
        self.suspects = std::mem::take(&mut self.next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(node: NodeId, rooms: u32, beat: u64) -> Heartbeat {
        let chain = super::super::wire::ChainMark {
            origin: 1,
            epoch: 0,
            mark: 0,
        };
        Heartbeat {
            node,
            beat,
            rooms,
            chain,
        }
    }

    #[test]
    fn a_silent_gateway_expires_once_and_its_rooms_stop_counting() {
        let nodes = Nodes::default();
        let start = Instant::now();
        assert!(nodes.saw(beat(7, 3, 1), start));
        assert!(nodes.saw(beat(9, 4, 1), start + Duration::from_secs(1)));
        assert_eq!(nodes.rooms_elsewhere(), 7);
        assert!(nodes.expire(start + NODE_TIMEOUT).is_empty());
        let later = start + NODE_TIMEOUT + Duration::from_millis(1);
        assert_eq!(nodes.expire(later), vec![7]);
        assert!(nodes.expire(later).is_empty());
        assert!(!nodes.alive(7) && nodes.alive(9));
        assert_eq!(nodes.rooms_elsewhere(), 4);
    }

    #[test]
    fn a_replayed_heartbeat_neither_keeps_a_gateway_alive_nor_brings_a_gone_one_back() {
        let nodes = Nodes::default();
        let start = Instant::now();
        assert!(nodes.saw(beat(7, 3, 5), start));
        let replayed_at = start + Duration::from_millis(1500);
        assert!(
            !nodes.saw(beat(7, 3, 5), replayed_at),
            "the same number again"
        );
        assert!(!nodes.saw(beat(7, 3, 4), replayed_at), "an older number");
        let after_timeout = start + NODE_TIMEOUT + Duration::from_millis(1);
        assert_eq!(
            nodes.expire(after_timeout),
            vec![7],
            "the replays did not refresh it"
        );
        for number in [1, 5] {
            assert!(
                !nodes.saw(beat(7, 3, number), after_timeout),
                "a replay does not bring a gone gateway back"
            );
        }
        assert!(!nodes.alive(7));
        assert!(
            nodes.saw(beat(7, 3, 6), after_timeout),
            "a gateway taken for gone while it runs comes back with its next heartbeat"
        );
        assert!(nodes.alive(7));

        nodes.clear();
        assert!(
            !nodes.saw(beat(7, 3, 6), after_timeout),
            "losing the link keeps the numbers"
        );
        nodes.bury(11);
        assert!(
            !nodes.saw(beat(11, 0, 1_000_000), after_timeout),
            "this gateway's own previous id never comes back"
        );
    }

    #[test]
    fn the_sweep_removes_gateways_not_alive_after_one_sweep_of_grace() {
        let mut sweep = Sweep::default();
        assert!(!sweep.evicts(1, true));
        assert!(
            !sweep.evicts(2, false),
            "gone, or this gateway's link just came back"
        );
        assert!(!sweep.evicts(3, false), "a new gateway's grace");
        assert!(!sweep.evicts(4, false));
        sweep.finish();
        assert!(sweep.evicts(2, false), "still gone");
        assert!(sweep.evicts(3, false), "still unheard of");
        assert!(!sweep.evicts(4, true), "its first heartbeat came in time");
        sweep.finish();
        assert!(
            !sweep.evicts(4, false),
            "a suspect only for the sweep right after it was seen"
        );
    }

    #[test]
    fn a_message_stamped_long_before_its_gateways_last_heartbeat_is_stale() {
        let nodes = Nodes::default();
        let now = Instant::now();
        assert!(nodes.is_fresh(7, 1), "never heard of: fresh");
        nodes.saw(beat(7, 0, 100), now);
        assert!(nodes.is_fresh(7, 100) && nodes.is_fresh(7, 100 - BEAT_SLACK));
        assert!(
            !nodes.is_fresh(7, 100 - BEAT_SLACK - 1),
            "recorded over 10 s earlier"
        );
        assert!(
            nodes.is_fresh(7, 101),
            "sent after the last heartbeat heard"
        );
        nodes.expire(now + NODE_TIMEOUT + Duration::from_millis(1));
        assert!(
            !nodes.is_fresh(7, 50),
            "gone: still judged by its last heartbeat"
        );
    }

    #[test]
    fn the_gone_are_remembered_up_to_a_bound() {
        let nodes = Nodes::default();
        for node in 1..=(GONE_REMEMBERED as NodeId + 1) {
            nodes.bury(node);
        }
        let table = lock(&nodes.table);
        assert_eq!(table.gone.len(), GONE_REMEMBERED);
        assert!(table.gone.get(&1).is_none(), "the oldest was forgotten");
    }
}
