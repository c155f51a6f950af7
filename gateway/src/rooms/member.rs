use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// Something queued for one connection.
#[derive(Debug, Clone)]
pub enum Outbound {
    /// A relayed binary frame, shared by every recipient.
    Binary(Bytes),
    /// A control message (JSON text).
    Text(Utf8Bytes),
}

/// What a connection's queue has for it next.
#[derive(Debug)]
pub enum Next {
    /// The connection must close (see [`Kick`]).
    Kick(Kick),
    /// A frame or control message to write.
    Item(Outbound),
}

/// The handle other tasks use to reach one connection: its bounded outbound queue, whose
/// overflow raises the connection's kick signal.
#[derive(Debug, Clone)]
pub struct MemberHandle {
    outbox: Arc<Outbox>,
}

/// Why a connection is closed by something other than its own traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kick {
    /// Its outbound queue overflowed: the reader fell behind.
    SlowReader,
    /// A room it is in lost its coordination across the cluster (a gateway or the link to
    /// the others went away), so what it would receive next could not be put in the
    /// room's one order.
    ClusterUnavailable,
}

/// Raised once, with the first reason, when a connection must be closed from outside. The
/// connection hears of it through its outbox's [`Outbox::next`], which the raise wakes.
#[derive(Debug, Default)]
pub struct KickSignal {
    /// 0 while not raised, else `1 + Kick as u8`.
    raised: AtomicU8,
}

impl KickSignal {
    /// Whether the signal was raised.
    pub fn is_raised(&self) -> bool {
        self.reason().is_some()
    }

    /// Why it was raised, if it was.
    pub fn reason(&self) -> Option<Kick> {
        match self.raised.load(Ordering::Acquire) {
            0 => None,
            1 => Some(Kick::SlowReader),
            _ => Some(Kick::ClusterUnavailable),
        }
    }

    /// Keeps the first reason; a later raise changes nothing.
    fn raise(&self, kick: Kick) {
        let code = 1 + kick as u8;
        let _ = self
            .raised
            .compare_exchange(0, code, Ordering::AcqRel, Ordering::Acquire);
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
    queue: Mutex<Queue>,
    capacity: usize,
    ready: Notify,
    kick: KickSignal,
    closed: AtomicBool,
}

/// Capacity an emptied queue keeps; anything above is returned to the allocator. None: an
/// idle connection keeps no queue (its four first slots were 160 bytes of every idle
/// connection), and under load the queue's allocation is one per write batch, beside a
/// system call.
const RETAINED_SLOTS: usize = 0;

/// The queued items, and the `sync` barriers still waiting for rooms ordered elsewhere.
#[derive(Debug, Default)]
struct Queue {
    items: VecDeque<Outbound>,
    /// Boxed: only connections in rooms another gateway orders ever open one.
    barriers: Option<Box<Barriers>>,
}

/// `sync` barriers still open, and the id the next one takes.
#[derive(Debug, Default)]
struct Barriers {
    /// `(barrier, rooms still to answer)`, oldest first.
    open: VecDeque<(u32, u32)>,
    next: u32,
}

impl Outbox {
    /// An empty queue holding at most `capacity` items.
    pub fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            queue: Mutex::new(Queue::default()),
            capacity: capacity.max(1),
            ready: Notify::new(),
            kick: KickSignal::default(),
            closed: AtomicBool::new(false),
        })
    }

    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        crate::sync::lock(&self.queue)
    }

    fn push(&self, item: Outbound) {
        if self.closed.load(Ordering::Acquire) {
            return;
        }
        let mut queue = self.queue();
        if queue.items.len() >= self.capacity {
            drop(queue);
            self.raise(Kick::SlowReader);
            return;
        }
        queue.items.push_back(item);
        drop(queue);
        self.ready.notify_one();
    }

    /// Raises the kick signal and wakes the connection waiting in [`Self::next`].
    fn raise(&self, kick: Kick) {
        self.kick.raise(kick);
        self.ready.notify_one();
    }

    /// What the connection does next: close if it was kicked, else write the next item,
    /// waiting for one. One future for both, so a connection's task reserves one waiter,
    /// not two. Cancel-safe: an item is only taken by a call that returns it.
    pub async fn next(&self) -> Next {
        loop {
            let ready = self.ready.notified();
            if let Some(kick) = self.kick.reason() {
                return Next::Kick(kick);
            }
            if let Some(item) = self.try_recv() {
                return Next::Item(item);
            }
            ready.await;
        }
    }

    /// The next item if one is queued.
    pub fn try_recv(&self) -> Option<Outbound> {
        let mut queue = self.queue();
        let item = queue.items.pop_front()?;
        if queue.items.is_empty() && queue.items.capacity() > RETAINED_SLOTS {
            queue.items.shrink_to(RETAINED_SLOTS);
        }
        Some(item)
    }

    /// Items queued: never more than the capacity it was created with.
    pub fn len(&self) -> usize {
        self.queue().items.len()
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
        *self.queue() = Queue::default();
    }

    /// Opens a `sync` barrier that `rooms` rooms ordered by other gateways must each answer
    /// before the client hears `synced`. Returns its id.
    pub fn open_barrier(&self, rooms: u32) -> u32 {
        let mut queue = self.queue();
        let barriers = queue.barriers.get_or_insert_with(Box::default);
        let id = barriers.next;
        barriers.next = id.wrapping_add(1);
        barriers.open.push_back((id, rooms));
        id
    }

    /// One room answered barrier `id`. Every barrier all of whose rooms have answered, in
    /// the order they were opened, becomes a `synced` for the client.
    fn answer_barrier(&self, id: u32, synced: &Utf8Bytes) {
        let mut queue = self.queue();
        let Some(barriers) = queue.barriers.as_mut() else {
            return;
        };
        if let Some(entry) = barriers.open.iter_mut().find(|(b, _)| *b == id) {
            entry.1 = entry.1.saturating_sub(1);
        }
        let mut done = 0;
        while barriers.open.front().is_some_and(|(_, left)| *left == 0) {
            barriers.open.pop_front();
            done += 1;
        }
        drop(queue);
        for _ in 0..done {
            self.push(Outbound::Text(synced.clone()));
        }
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

    /// Closes the connection from outside (see [`Kick`]).
    pub fn kick(&self, kick: Kick) {
        self.outbox.raise(kick);
    }

    /// Opens a `sync` barrier on this connection (see [`Outbox::open_barrier`]).
    pub fn open_barrier(&self, rooms: u32) -> u32 {
        self.outbox.open_barrier(rooms)
    }

    /// A room answered this connection's `sync` barrier `id` (see [`Outbox::open_barrier`]).
    pub fn answer_barrier(&self, id: u32, synced: &Utf8Bytes) {
        self.outbox.answer_barrier(id, synced);
    }

    /// Whether two handles reach the same connection.
    pub fn same_connection(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.outbox, &other.outbox)
    }
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
        assert!(matches!(outbox.next().await, Next::Kick(Kick::SlowReader)));
        assert!(matches!(outbox.try_recv(), Some(Outbound::Text(t)) if &*t == "a"));
        assert!(matches!(outbox.try_recv(), Some(Outbound::Text(t)) if &*t == "b"));
        assert!(
            outbox.try_recv().is_none(),
            "the overflowing item was not queued"
        );
    }

    #[tokio::test]
    async fn next_wakes_for_an_item_delivered_while_waiting_and_keeps_order() {
        let (handle, outbox) = MemberHandle::new(8);
        let waiter = tokio::spawn({
            let outbox = outbox.clone();
            async move {
                let first = outbox.next().await;
                let second = outbox.next().await;
                (first, second)
            }
        });
        tokio::task::yield_now().await;
        handle.deliver(text("1"));
        handle.deliver(text("2"));
        let (first, second) = waiter.await.unwrap_or_else(|_| unreachable!());
        assert!(matches!(first, Next::Item(Outbound::Text(t)) if &*t == "1"));
        assert!(matches!(second, Next::Item(Outbound::Text(t)) if &*t == "2"));
    }

    #[tokio::test]
    async fn next_wakes_a_waiting_connection_for_a_kick_and_puts_it_before_queued_items() {
        let (handle, outbox) = MemberHandle::new(8);
        let waiter = tokio::spawn({
            let outbox = outbox.clone();
            async move { outbox.next().await }
        });
        tokio::task::yield_now().await;
        handle.kick(Kick::ClusterUnavailable);
        let woken = waiter.await.unwrap_or_else(|_| unreachable!());
        assert!(matches!(woken, Next::Kick(Kick::ClusterUnavailable)));
        handle.deliver(text("a"));
        assert!(
            matches!(outbox.next().await, Next::Kick(Kick::ClusterUnavailable)),
            "a kicked connection closes before writing what is queued"
        );
        let (handle, outbox) = MemberHandle::new(8);
        handle.deliver(text("b"));
        assert!(matches!(outbox.next().await, Next::Item(Outbound::Text(t)) if &*t == "b"));
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
    fn sync_barriers_answer_in_order_once_every_room_did() {
        let (handle, outbox) = MemberHandle::new(8);
        let synced: Utf8Bytes = "synced".into();
        let first = handle.open_barrier(2);
        let second = handle.open_barrier(1);
        handle.answer_barrier(second, &synced);
        assert!(
            outbox.try_recv().is_none(),
            "the first barrier is still open"
        );
        handle.answer_barrier(first, &synced);
        assert!(outbox.try_recv().is_none(), "one of its two rooms answered");
        handle.answer_barrier(first, &synced);
        assert!(matches!(outbox.try_recv(), Some(Outbound::Text(t)) if &*t == "synced"));
        assert!(matches!(outbox.try_recv(), Some(Outbound::Text(t)) if &*t == "synced"));
        assert!(outbox.try_recv().is_none());
    }

    #[test]
    fn an_idle_outbox_holds_no_buffer_and_gives_a_burst_back() {
        let outbox = Outbox::new(256);
        assert_eq!(outbox.queue().items.capacity(), 0);
        let (handle, outbox) = MemberHandle::new(256);
        for _ in 0..100 {
            handle.deliver(text("x"));
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|_| unreachable!());
        runtime.block_on(async {
            for _ in 0..100 {
                outbox.next().await;
            }
        });
        assert_eq!(outbox.queue().items.capacity(), RETAINED_SLOTS);
    }
}
