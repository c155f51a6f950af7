use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

use super::MemberNumber;

/// Something queued for one connection.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A relayed binary frame, shared by every recipient.
    Binary(Bytes),
    /// A control message (JSON text).
    Text(Utf8Bytes),
}

/// The handle other tasks use to reach one connection: its bounded outbound queue, whose
/// overflow raises the connection's kick signal.
#[derive(Debug, Clone)]
pub struct MemberHandle {
    outbox: Arc<Outbox>,
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

/// A connection's bounded outbound queue.
///
/// A plain `VecDeque` behind a mutex rather than a channel: it allocates nothing until the
/// first item arrives, and shrinks back after a burst, so the tens of thousands of idle
/// connections a gateway holds pay nothing for it (a bounded Tokio channel allocates a
/// 32-slot block up front, about 1.3 KiB per connection).
#[derive(Debug)]
pub struct Outbox {
    queue: Mutex<VecDeque<Outbound>>,
    capacity: usize,
    ready: Notify,
    kick: KickSignal,
    closed: AtomicBool,
}

/// Capacity an emptied queue keeps; anything above is returned to the allocator.
const RETAINED_SLOTS: usize = 8;

impl Outbox {
    /// An empty queue holding at most `capacity` items.
    pub fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            queue: Mutex::new(VecDeque::new()),
            capacity: capacity.max(1),
            ready: Notify::new(),
            kick: KickSignal::default(),
            closed: AtomicBool::new(false),
        })
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, VecDeque<Outbound>> {
        crate::sync::lock(&self.queue)
    }

    fn push(&self, item: Outbound) {
        if self.closed.load(Ordering::Acquire) {
            return;
        }
        let mut queue = self.queue();
        if queue.len() >= self.capacity {
            drop(queue);
            self.kick.raise();
            return;
        }
        queue.push_back(item);
        drop(queue);
        self.ready.notify_one();
    }

    /// The next item, waiting for one. Cancel-safe: an item is only taken by a call that
    /// returns it.
    pub async fn recv(&self) -> Outbound {
        loop {
            let ready = self.ready.notified();
            if let Some(item) = self.try_recv() {
                return item;
            }
            ready.await;
        }
    }

    /// The next item if one is queued.
    pub fn try_recv(&self) -> Option<Outbound> {
        let mut queue = self.queue();
        let item = queue.pop_front()?;
        if queue.is_empty() && queue.capacity() > RETAINED_SLOTS {
            queue.shrink_to(RETAINED_SLOTS);
        }
        Some(item)
    }

    /// Items queued: never more than the capacity it was created with.
    pub fn len(&self) -> usize {
        self.queue().len()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The signal raised when the queue overflows.
    pub fn kick(&self) -> &KickSignal {
        &self.kick
    }

    /// The connection is going away: drop what is queued and refuse more.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
        *self.queue() = VecDeque::new();
    }
}

impl MemberHandle {
    /// A handle over a new queue of `capacity` items, and the queue for its connection.
    pub fn new(capacity: usize) -> (Self, Arc<Outbox>) {
        let outbox = Outbox::new(capacity);
        (
            Self {
                outbox: outbox.clone(),
            },
            outbox,
        )
    }

    /// Queues `item` without waiting. If the queue is full the reader has fallen behind:
    /// the connection is kicked instead of buffering without limit. Items for a connection
    /// that is going away are dropped.
    pub fn deliver(&self, item: Outbound) {
        self.outbox.push(item);
    }

    /// Whether two handles reach the same connection.
    pub fn same_connection(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.outbox, &other.outbox)
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

    fn text(value: &str) -> Outbound {
        Outbound::Text(value.into())
    }

    #[tokio::test]
    async fn full_queue_kicks_instead_of_buffering() {
        let (handle, outbox) = MemberHandle::new(2);
        handle.deliver(text("a"));
        handle.deliver(text("b"));
        assert!(!outbox.kick().is_raised());
        handle.deliver(text("c"));
        assert!(outbox.kick().is_raised());
        outbox.kick().raised().await;
        assert!(matches!(outbox.recv().await, Outbound::Text(t) if &*t == "a"));
        assert!(matches!(outbox.recv().await, Outbound::Text(t) if &*t == "b"));
        let empty = tokio::time::timeout(std::time::Duration::from_millis(20), outbox.recv()).await;
        assert!(empty.is_err(), "the overflowing item was not queued");
    }

    #[tokio::test]
    async fn recv_wakes_for_an_item_delivered_while_waiting_and_keeps_order() {
        let (handle, outbox) = MemberHandle::new(8);
        let waiter = tokio::spawn({
            let outbox = outbox.clone();
            async move {
                let first = outbox.recv().await;
                let second = outbox.recv().await;
                (first, second)
            }
        });
        tokio::task::yield_now().await;
        handle.deliver(text("1"));
        handle.deliver(text("2"));
        let (first, second) = waiter.await.unwrap_or_else(|_| unreachable!());
        assert!(matches!(first, Outbound::Text(t) if &*t == "1"));
        assert!(matches!(second, Outbound::Text(t) if &*t == "2"));
    }

    #[tokio::test]
    async fn a_closed_outbox_drops_deliveries_without_kicking() {
        let (handle, outbox) = MemberHandle::new(1);
        outbox.close();
        handle.deliver(text("a"));
        handle.deliver(text("b"));
        assert!(
            !outbox.kick().is_raised(),
            "a departing connection is not a slow reader"
        );
    }

    #[test]
    fn an_idle_outbox_holds_no_buffer_and_gives_a_burst_back() {
        let outbox = Outbox::new(256);
        assert_eq!(outbox.queue().capacity(), 0);
        let (handle, outbox) = MemberHandle::new(256);
        for _ in 0..100 {
            handle.deliver(text("x"));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|_| unreachable!());
        runtime.block_on(async {
            for _ in 0..100 {
                outbox.recv().await;
            }
        });
        assert!(outbox.queue().capacity() <= RETAINED_SLOTS);
    }
}
