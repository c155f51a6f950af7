//! A room's link to the cluster: how its events reach the gateways following it, and how
//! its members' inputs reach the gateway ordering it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use super::keys::RoomSubjects;
use super::transport::Transport;
use super::wire::{Sequenced, ToOrderer};
use crate::rooms::{Event, Input, NodeId, RoomLink};
use crate::sync::lock;

/// A room's link: its subjects, and the numbering of the inputs it forwards.
#[derive(Debug)]
pub struct ClusterLink {
    transport: Arc<Transport>,
    pub(super) subjects: RoomSubjects,
    /// The node id this gateway had when the link was made.
    node: NodeId,
    /// This link's id, so the orderer numbers its inputs apart from an earlier link's.
    id: u64,
    inputs: AtomicU64,
    /// Raised when the room ends here: the tasks listening for it stop.
    pub(super) ended: Notify,
    /// Raised when this gateway is to take the room's ordering over from the gateway in
    /// `gone`.
    pub(super) promoted: Notify,
    pub(super) gone: Mutex<Option<NodeId>>,
}

impl ClusterLink {
    /// A link for the room with `subjects`.
    pub(super) fn new(transport: Arc<Transport>, subjects: RoomSubjects) -> Arc<Self> {
        Arc::new(Self {
            node: transport.node(),
            transport,
            subjects,
            id: rand::random(),
            inputs: AtomicU64::new(0),
            ended: Notify::new(),
            promoted: Notify::new(),
            gone: Mutex::new(None),
        })
    }
}

impl RoomLink for ClusterLink {
    fn publish(&self, incarnation: u64, orderer: NodeId, seq: u64, event: &Event) -> bool {
        let sequenced = Sequenced {
            incarnation,
            orderer,
            seq,
            event: event.clone(),
        };
        let events = &self.subjects.events;
        self.transport.send(events, events, &sequenced)
    }

    fn forward(&self, incarnation: u64, orderer: NodeId, input: &Input) -> bool {
        let message = ToOrderer::Input {
            node: self.node,
            beat: self.transport.beat(),
            orderer,
            incarnation,
            link: self.id,
            // Numbered even when it cannot be queued: the orderer then sees the gap.
            seq: self.inputs.fetch_add(1, Ordering::AcqRel),
            input: input.clone(),
        };
        let orderer = &self.subjects.orderer;
        self.transport.send(orderer, orderer, &message)
    }

    fn ended(&self) {
        self.ended.notify_one();
    }

    fn promote(&self, gone: NodeId) {
        *lock(&self.gone) = Some(gone);
        self.promoted.notify_one();
    }
}
