//! What happens when a gateway goes away, or this gateway's link to NATS does.
//!
//! - Every gateway publishes a heartbeat on `ag.hb` twice a second; one silent for
//!   `nodes::NODE_TIMEOUT` is gone. Its members leave every room ordered here, and each room it
//!   ordered is taken over by the lowest-numbered gateway still serving a member (the others
//!   wait up to [`ORPHAN_GRACE`] for it, then close the room here).
//! - When this gateway loses NATS, it cannot keep any room in the one order the cluster
//!   shares: it closes every room (members get close code 1012, `cluster_unavailable`),
//!   refuses joins until the link is back, and comes back under a new node id, so the
//!   others finish with the old one as with any gateway that went away.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use futures_util::StreamExt;

use super::nodes::HEARTBEAT_INTERVAL;
use super::shared::{GHOST_CHAIN, SPENT};
use super::wire::Heartbeat;
use super::{Cluster, LinkEvents};
use crate::rooms::{Kick, NodeId, Room, RoomKey};
use crate::state::Gateway;
use crate::sync::lock;

/// How long a followed room whose orderer went away waits for the successor's takeover.
pub const ORPHAN_GRACE: Duration = Duration::from_secs(3);
/// The heartbeat subject.
const HEARTBEATS: &str = "ag.hb";
/// Heartbeats between two sweeps of rooms ordered here (`nodes::Sweep`): every 2 s, the
/// time a silent gateway takes to count as gone.
const SWEEP_EVERY: u64 = 4;

/// A followed room waiting for its successor.
pub(super) struct Orphan {
    room: Weak<Room>,
    key: RoomKey,
    gone: NodeId,
    since: Instant,
}

impl Cluster {
    /// Runs the cluster's background work (heartbeats, the link's events, departures) for
    /// as long as the gateway runs.
    pub async fn run(self: Arc<Self>, gateway: Arc<Gateway>, mut events: LinkEvents) {
        let mut shutdown = gateway.shutdown.clone();
        let client = &self.transport.client;
        let subscriptions = tokio::try_join!(
            client.subscribe(HEARTBEATS),
            client.subscribe(SPENT),
            client.subscribe(GHOST_CHAIN),
        );
        let Ok((mut heartbeats, mut spent, mut chain_asks)) = subscriptions else {
            tracing::error!(
                "cluster: cannot subscribe to the cluster's subjects; cluster mode is off"
            );
            return;
        };
        let mut tick = tokio::time::interval(HEARTBEAT_INTERVAL);
        loop {
            tokio::select! {
                _ = shutdown.changed() => return,
                event = events.recv() => match event {
                    Some(event) => self.on_link_event(&gateway, event),
                    None => return,
                },
                Some(message) = heartbeats.next() => self.on_heartbeat(&gateway, &message.payload),
                Some(message) = spent.next() => self.on_spent(&gateway, &message.payload),
                Some(message) = chain_asks.next() => self.on_chain_ask(&gateway, &message),
                _ = tick.tick() => self.on_tick(&gateway).await,
            }
        }
    }

    fn on_heartbeat(self: &Arc<Self>, gateway: &Arc<Gateway>, payload: &[u8]) {
        let Some(heartbeat) = self.transport.open::<Heartbeat>(HEARTBEATS, payload) else {
            return;
        };
        if heartbeat.node != self.transport.node() && self.nodes.saw(heartbeat, Instant::now()) {
            self.on_peer_chain(gateway, heartbeat.chain);
        }
    }

    fn on_link_event(self: &Arc<Self>, gateway: &Arc<Gateway>, event: async_nats::Event) {
        match event {
            async_nats::Event::Connected => {
                self.transport.set_up(true);
                tracing::info!("cluster: connected to NATS");
                let unsettled = self.chain_origin.load(Ordering::Acquire) == 0;
                if unsettled && !self.asking.swap(true, Ordering::AcqRel) {
                    tokio::spawn(self.clone().ask_for_chain(gateway.clone(), None));
                }
            }
            async_nats::Event::Disconnected | async_nats::Event::Closed => {
                if !self.transport.is_up() {
                    return;
                }
                self.transport.set_up(false);
                let rooms = gateway.rooms.drain();
                tracing::warn!(
                    rooms = rooms.len(),
                    "cluster: lost NATS; closing every room and admitting nobody until it is back"
                );
                for room in rooms {
                    room.close_here(Kick::ClusterUnavailable);
                }
                self.nodes.clear();
                lock(&self.orphans).clear();
                let old = self.transport.node();
                self.transport.renew_node();
                self.nodes.bury(old);
            }
            _ => {}
        }
    }

    async fn on_tick(self: &Arc<Self>, gateway: &Arc<Gateway>) {
        if !self.transport.is_up() {
            return;
        }
        let heartbeat = Heartbeat {
            node: self.transport.node(),
            beat: self.transport.next_beat(),
            rooms: u32::try_from(gateway.rooms.ordered_here()).unwrap_or(u32::MAX),
            chain: self.chain_mark(gateway),
        };
        // Past the publish queue: a backlog of events must not make this gateway look gone.
        self.transport
            .send_now(HEARTBEATS, HEARTBEATS, &heartbeat)
            .await;
        let now = Instant::now();
        for gone in self.nodes.expire(now) {
            tracing::info!("cluster: a gateway went away");
            self.on_gone(gateway, gone, now);
        }
        self.close_orphans(gateway, now);
        if self.transport.beat().is_multiple_of(SWEEP_EVERY) {
            self.sweep(gateway);
        }
    }

    /// Members of rooms ordered here whose gateway is not alive leave (see `nodes::Sweep`).
    fn sweep(&self, gateway: &Arc<Gateway>) {
        let me = self.transport.node();
        let mut sweep = lock(&self.sweep);
        for (key, room) in gateway.rooms.entries() {
            if !room.is_ordered_here() {
                continue;
            }
            let mut evicted = false;
            for node in room.member_gateways() {
                if node != me && sweep.evicts(node, self.nodes.alive(node)) {
                    room.evict(node);
                    evicted = true;
                }
            }
            if evicted {
                tracing::info!("cluster: members of a gateway that is not alive left a room");
                gateway.rooms.remove_if_done(key, &room);
            }
        }
        sweep.finish();
    }

    /// Gateway `gone` went away: its members leave the rooms ordered here, and the rooms
    /// it ordered get a new orderer.
    fn on_gone(self: &Arc<Self>, gateway: &Arc<Gateway>, gone: NodeId, now: Instant) {
        let me = self.transport.node();
        for (key, room) in gateway.rooms.entries() {
            if room.is_ordered_here() {
                room.evict(gone);
                gateway.rooms.remove_if_done(key, &room);
                continue;
            }
            let Some(orderer) = room.orderer() else {
                continue;
            };
            // A gateway that went away earlier may have been this room's successor.
            let waiting = orderer == gone || !self.nodes.alive(orderer);
            if !waiting {
                continue;
            }
            match room.successor(orderer, |node| self.nodes.alive(node)) {
                // The room's follower task claims the ordering and serves it.
                Some(next) if next == me => room.promote(orderer),
                Some(_) => lock(&self.orphans).push(Orphan {
                    room: Arc::downgrade(&room),
                    key,
                    gone: orderer,
                    since: now,
                }),
                None => {
                    room.close_here(Kick::ClusterUnavailable);
                    gateway.rooms.remove(key, &room);
                }
            }
        }
    }

    /// Closes followed rooms whose successor never took over.
    fn close_orphans(&self, gateway: &Arc<Gateway>, now: Instant) {
        let mut orphans = lock(&self.orphans);
        orphans.retain(|orphan| {
            let Some(room) = orphan.room.upgrade() else {
                return false;
            };
            if room.orderer() != Some(orphan.gone) || room.is_retired() {
                return false;
            }
            if now.duration_since(orphan.since) < ORPHAN_GRACE {
                return true;
            }
            tracing::warn!("cluster: a room's new orderer never came; the room closes here");
            room.close_here(Kick::ClusterUnavailable);
            gateway.rooms.remove(orphan.key, &room);
            false
        });
    }
}
