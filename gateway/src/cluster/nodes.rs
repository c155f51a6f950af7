//! The other gateways of the cluster, as their heartbeats show them.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::wire::Heartbeat;
use crate::rooms::NodeId;
use crate::sync::lock;

/// How often a gateway says it is alive.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_millis(500);
/// Silence after which a gateway counts as gone: four heartbeats.
pub const NODE_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy)]
struct Seen {
    at: Instant,
    rooms: u32,
}

/// Every other gateway heard from recently.
#[derive(Debug, Default)]
pub struct Nodes {
    table: Mutex<HashMap<NodeId, Seen>>,
}

impl Nodes {
    /// Records a heartbeat received at `at`.
    pub fn saw(&self, heartbeat: Heartbeat, at: Instant) {
        lock(&self.table).insert(
            heartbeat.node,
            Seen {
                at,
                rooms: heartbeat.rooms,
            },
        );
    }

    /// Whether gateway `node` was heard from recently.
    pub fn alive(&self, node: NodeId) -> bool {
        lock(&self.table).contains_key(&node)
    }

    /// Other gateways alive.
    pub fn count(&self) -> usize {
        lock(&self.table).len()
    }

    /// Rooms the other gateways order, as of their last heartbeats.
    pub fn rooms_elsewhere(&self) -> usize {
        lock(&self.table)
            .values()
            .map(|seen| seen.rooms as usize)
            .sum()
    }

    /// Forgets, and returns, the gateways silent for longer than [`NODE_TIMEOUT`] at `now`.
    pub fn expire(&self, now: Instant) -> Vec<NodeId> {
        let mut table = lock(&self.table);
        let gone: Vec<NodeId> = table
            .iter()
            .filter(|(_, seen)| now.duration_since(seen.at) > NODE_TIMEOUT)
            .map(|(node, _)| *node)
            .collect();
        for node in &gone {
            table.remove(node);
        }
        gone
    }

    /// Forgets every gateway (this one lost the link).
    pub fn clear(&self) {
        lock(&self.table).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(node: NodeId, rooms: u32) -> Heartbeat {
        let chain = super::super::wire::ChainMark {
            origin: 1,
            epoch: 0,
            mark: 0,
        };
        Heartbeat { node, rooms, chain }
    }

    #[test]
    fn a_silent_gateway_expires_once_and_its_rooms_stop_counting() {
        let nodes = Nodes::default();
        let start = Instant::now();
        nodes.saw(beat(7, 3), start);
        nodes.saw(beat(9, 4), start + Duration::from_secs(1));
        assert_eq!(nodes.rooms_elsewhere(), 7);
        assert!(nodes.expire(start + NODE_TIMEOUT).is_empty());
        let later = start + NODE_TIMEOUT + Duration::from_millis(1);
        assert_eq!(nodes.expire(later), vec![7]);
        assert!(nodes.expire(later).is_empty());
        assert!(!nodes.alive(7) && nodes.alive(9));
        assert_eq!(nodes.rooms_elsewhere(), 4);
    }
}
