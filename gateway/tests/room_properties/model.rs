//! The world the property runs in: real gateway sessions driven through the command layer
//! (the same `commands::dispatch` and `commands::relay` a socket calls), and beside them a
//! model of what each room and each connection should hold. Every expectation is computed
//! from the model before the gateway acts, and every outcome is compared with it.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::sync::Arc;

use anoghost_gateway::commands::{self, Reply};
use anoghost_gateway::rooms::{MemberHandle, Outbound, Outbox, Room, MEMBER_MAX, MEMBER_MIN};
use anoghost_gateway::session::Session;
use anoghost_gateway::state::Gateway;
use anoghost_gateway::GatewayConfig;
use anoghost_protocol::frame::{FrameKind, RelayedFrame};
use anoghost_protocol::{ErrorCode, ServerMessage};
use bytes::Bytes;
use ed25519_dalek::SigningKey;

/// Connections in the world; the last [`SLOW_READERS`] read only when told to.
pub const CONNECTIONS: usize = 5;
pub const SLOW_READERS: usize = 2;
/// Small limits, so that a short sequence reaches every one of them.
pub const MAX_ROOMS: usize = 3;
pub const MAX_MEMBERS: usize = 4;
pub const ROOMS_PER_CONNECTION: usize = 2;
pub const QUEUE: usize = 4;
/// Group ids the room's order tracks at once (`rooms::order`).
pub const GROUPS_PER_ROOM: usize = 4;

/// Something a connection's queue should hold, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    Frame {
        room: u32,
        sender: u16,
        kind: FrameKind,
        payload: Vec<u8>,
    },
    Text(ServerMessage),
}

/// One connection: its session and queue, and what the model says it holds.
pub struct Connection {
    pub session: Session,
    pub outbox: Arc<Outbox>,
    /// Room reference → (room slot, member number).
    pub memberships: BTreeMap<u32, (usize, u16)>,
    /// What its queue should hold and it has not read yet.
    pub pending: Vec<Expected>,
}

/// A room the model knows of, alive or gone.
pub struct ModelRoom {
    pub key: SigningKey,
    pub code: String,
    pub reference: u32,
    /// Connection index → member number.
    pub members: BTreeMap<usize, u16>,
    /// Group id → the epoch it is in, least recently used first.
    pub groups: Vec<(Vec<u8>, u64)>,
}

impl ModelRoom {
    pub fn alive(&self) -> bool {
        !self.members.is_empty()
    }
}

pub struct World {
    pub gateway: Arc<Gateway>,
    pub connections: Vec<Connection>,
    pub rooms: Vec<ModelRoom>,
    pub runtime: tokio::runtime::Runtime,
}

fn config() -> GatewayConfig {
    let mut config = GatewayConfig::local_defaults();
    config.max_rooms = MAX_ROOMS;
    config.max_members_per_room = MAX_MEMBERS as u64;
    config.max_rooms_per_connection = ROOMS_PER_CONNECTION;
    config.outbound_queue = QUEUE as u64;
    config.joins_per_minute = 1_000_000;
    config.joins_per_minute_per_ip = 1_000_000;
    config
}

impl World {
    pub fn new() -> Self {
        let gateway = Gateway::new(config(), None, None, tokio::sync::watch::channel(false));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
        let mut world = Self {
            gateway,
            connections: Vec::new(),
            rooms: Vec::new(),
            runtime,
        };
        for _ in 0..CONNECTIONS {
            let connection = world.connect();
            world.connections.push(connection);
        }
        world
    }

    fn connect(&self) -> Connection {
        let (handle, outbox) = MemberHandle::new(QUEUE);
        let ip: IpAddr = [127, 0, 0, 1].into();
        let mut session = Session::new(self.gateway.clone(), Some(ip), handle);
        let welcome = dispatch_on(&self.runtime, &mut session, r#"{"type":"hello","v":2}"#);
        assert!(
            matches!(welcome, ServerMessage::Welcome { .. }),
            "{welcome:?}"
        );
        Connection {
            session,
            outbox,
            memberships: BTreeMap::new(),
            pending: Vec::new(),
        }
    }

    /// Sends a control message from connection `c`; returns the reply.
    pub fn dispatch(&mut self, c: usize, text: &str) -> ServerMessage {
        dispatch_on(&self.runtime, &mut self.connections[c].session, text)
    }

    /// Sends a binary frame from connection `c`; returns the reply, if any.
    pub fn relay(&self, c: usize, frame: &[u8]) -> Option<ServerMessage> {
        commands::relay(&self.connections[c].session, Bytes::copy_from_slice(frame))
    }

    pub fn is_slow(c: usize) -> bool {
        c >= CONNECTIONS - SLOW_READERS
    }

    /// Expects `item` in the queue of every member of `slot` but `except`.
    pub fn expect_for_others(&mut self, slot: usize, except: usize, item: &Expected) {
        let members: Vec<usize> = self.rooms[slot].members.keys().copied().collect();
        for c in members.into_iter().filter(|c| *c != except) {
            self.connections[c].pending.push(item.clone());
        }
    }

    /// The live room with `code`, if any.
    pub fn live_room(&self, code: &str) -> Option<usize> {
        self.rooms.iter().position(|r| r.alive() && r.code == code)
    }

    /// The connection closes, as its socket task does: queue closed, then every room left.
    pub fn disconnect(&mut self, c: usize) {
        let connection = self.connect();
        let old = std::mem::replace(&mut self.connections[c], connection);
        old.outbox.close();
        let mut session = old.session;
        session.leave_all();
        for (reference, (slot, member)) in old.memberships {
            self.rooms[slot].members.remove(&c);
            let left = Expected::Text(ServerMessage::MemberLeft {
                room: reference,
                member,
            });
            self.expect_for_others(slot, c, &left);
        }
    }

    /// Reads connection `c`'s queue and compares it with what the model expects.
    pub fn read(&mut self, c: usize) {
        let connection = &mut self.connections[c];
        let mut got = Vec::new();
        while let Some(item) = connection.outbox.try_recv() {
            got.push(decode(item));
        }
        let mut expected = std::mem::take(&mut connection.pending);
        sort_departures(&mut got);
        sort_departures(&mut expected);
        assert_eq!(got, expected, "connection {c}'s queue");
    }

    /// The checks after every step.
    pub fn check(&mut self) {
        self.read_fast_readers();
        // A connection whose queue overflowed is closed by its socket task; the others read
        // what its departure queued before the next one goes.
        while let Some(c) =
            (0..CONNECTIONS).find(|c| self.connections[*c].outbox.kick().is_raised())
        {
            assert!(Self::is_slow(c), "a reader that keeps up is never kicked");
            assert_eq!(self.connections[c].outbox.len(), QUEUE);
            self.disconnect(c);
            self.read_fast_readers();
        }
        for c in 0..CONNECTIONS {
            assert!(
                self.connections[c].outbox.len() <= QUEUE,
                "queue over its bound"
            );
        }
        let alive: Vec<&ModelRoom> = self.rooms.iter().filter(|r| r.alive()).collect();
        let registry = &self.gateway.rooms;
        assert_eq!(
            registry.room_count(),
            alive.len(),
            "a room outlived its members"
        );
        assert_eq!(
            registry.reference_count(),
            alive.len(),
            "a reference outlived its room"
        );
        for room in alive {
            let (&c, _) = room
                .members
                .iter()
                .next()
                .expect("a live room has a member");
            let gateway_room = self.room_of(c, room.reference);
            let mut numbers = gateway_room.members();
            assert!(numbers
                .iter()
                .all(|n| (MEMBER_MIN..=MEMBER_MAX).contains(n)));
            numbers.sort_unstable();
            let before = numbers.len();
            numbers.dedup();
            assert_eq!(numbers.len(), before, "a member number is taken twice");
            let expected: BTreeSet<u16> = room.members.values().copied().collect();
            assert_eq!(numbers.into_iter().collect::<BTreeSet<_>>(), expected);
        }
    }

    fn read_fast_readers(&mut self) {
        for c in 0..CONNECTIONS {
            if !Self::is_slow(c) {
                self.read(c);
            }
        }
    }

    fn room_of(&self, c: usize, reference: u32) -> &Room {
        self.connections[c]
            .session
            .membership(reference)
            .expect("the model's member is in the room")
            .room()
    }

    /// Everyone disconnects: nothing may remain.
    pub fn disconnect_everyone(&mut self) {
        for c in 0..CONNECTIONS {
            self.disconnect(c);
        }
        for c in 0..CONNECTIONS {
            self.connections[c].session.leave_all();
            self.connections[c].outbox.close();
        }
        assert_eq!(self.gateway.rooms.room_count(), 0);
        assert_eq!(self.gateway.rooms.reference_count(), 0);
        assert!(self.rooms.iter().all(|r| !r.alive()));
    }
}

fn dispatch_on(
    runtime: &tokio::runtime::Runtime,
    session: &mut Session,
    text: &str,
) -> ServerMessage {
    match runtime.block_on(commands::dispatch(session, text)) {
        Reply::Now(message) => message,
        Reply::Later => panic!("free-room commands answer at once"),
    }
}

/// A connection that closes leaves its rooms in no particular order, so the `member_left`
/// messages one disconnection queues are compared as a set: each run of them is sorted.
fn sort_departures(items: &mut [Expected]) {
    let key = |item: &Expected| match item {
        Expected::Text(ServerMessage::MemberLeft { room, member }) => Some((*room, *member)),
        _ => None,
    };
    let mut start = 0;
    while start < items.len() {
        let mut end = start;
        while end < items.len() && key(&items[end]).is_some() {
            end += 1;
        }
        items[start..end].sort_by_key(key);
        start = end + 1;
    }
}

/// A queued item, read back the way a client reads it.
fn decode(item: Outbound) -> Expected {
    match item {
        Outbound::Binary(bytes) => {
            let frame = RelayedFrame::decode(&bytes).expect("a relayed frame decodes");
            Expected::Frame {
                room: frame.room,
                sender: frame.sender,
                kind: frame.kind,
                payload: frame.payload.to_vec(),
            }
        }
        Outbound::Text(text) => {
            Expected::Text(ServerMessage::from_json(&text).expect("a server message parses"))
        }
    }
}

/// The `error` reply for `code`.
pub fn error(code: ErrorCode) -> ServerMessage {
    ServerMessage::error(code)
}
