use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use bytestring::ByteString;
use tokio::sync::{mpsc, Notify};

use super::MemberNumber;

/// Something queued for one connection.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A relayed binary frame, shared by every recipient.
    Binary(Bytes),
    /// A control message (JSON text).
    Text(ByteString),
}

/// The handle other tasks use to reach one connection: its bounded outbound queue, and a
/// kick signal raised when that queue overflows.
#[derive(Debug, Clone)]
pub struct MemberHandle {
    outbound: mpsc::Sender<Outbound>,
    kick: Arc<KickSignal>,
}

/// Raised once when a connection's reader falls behind.
#[derive(Debug, Default)]
pub struct KickSignal {
    raised: AtomicBool,
    notify: Notify,
}

impl KickSignal {
    /// Whether the signal was raised.
    pub fn is_raised(&self) -> bool {
        self.raised.load(Ordering::Acquire)
    }

    /// Waits until the signal is raised.
    pub async fn raised(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_raised() {
                return;
            }
            notified.await;
        }
    }

    fn raise(&self) {
        if !self.raised.swap(true, Ordering::AcqRel) {
            self.notify.notify_waiters();
        }
    }
}

impl MemberHandle {
    /// A handle over `outbound`, with its kick signal.
    pub fn new(outbound: mpsc::Sender<Outbound>) -> (Self, Arc<KickSignal>) {
        let kick = Arc::new(KickSignal::default());
        (
            Self {
                outbound,
                kick: kick.clone(),
            },
            kick,
        )
    }

    /// Queues `item` without waiting. If the queue is full the reader has fallen behind:
    /// the connection is kicked instead of buffering without limit.
    pub fn deliver(&self, item: Outbound) {
        match self.outbound.try_send(item) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => self.kick.raise(),
            // The connection is already going away.
            Err(mpsc::error::TrySendError::Closed(_)) => {}
        }
    }

    /// Whether two handles reach the same connection.
    pub fn same_connection(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.kick, &other.kick)
    }
}

/// One member of a room.
#[derive(Debug, Clone)]
pub struct Member {
    /// The member's number in this room.
    pub number: MemberNumber,
    /// How to reach the member's connection.
    pub handle: MemberHandle,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn full_queue_kicks_instead_of_buffering() {
        let (tx, mut rx) = mpsc::channel(2);
        let (handle, kick) = MemberHandle::new(tx);
        handle.deliver(Outbound::Text("a".into()));
        handle.deliver(Outbound::Text("b".into()));
        assert!(!kick.is_raised());
        handle.deliver(Outbound::Text("c".into()));
        assert!(kick.is_raised());
        kick.raised().await;
        assert!(rx.recv().await.is_some());
        assert!(rx.recv().await.is_some());
        assert!(
            rx.try_recv().is_err(),
            "the overflowing item was not queued"
        );
    }
}
