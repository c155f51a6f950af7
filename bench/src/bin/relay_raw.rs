//! `relay-raw`: the box's limit in the fan-out benchmark. The gateway's protocol v2 frames
//! and the free-room subset the load generator speaks (hello, room_create, room_join,
//! room_leave, relay frames), as length-prefixed records over plain TCP
//! ([`anoghost_bench::raw`]): no WebSocket layer, no limits, no proofs, no commit order.
//!
//! It is meant as a fair best case of what the gateway's relay path does, at the least cost
//! Tokio allows: one task per socket on epoll, reading 4 KiB at a time; each frame stamped
//! once, length prefix included, and shared by every recipient; per-room locks; and a
//! bounded queue per connection whose writer yields once, then gathers what is queued (up
//! to 32 frames) into one write, as the gateway's connections do.
//!
//! `relay-raw --listen 127.0.0.1:0` prints `listening on ADDR`.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use anoghost_bench::raw::{is_control, put_record, take_record, PREFIX_LEN};
use anoghost_protocol::frame::{ClientFrame, RELAYED_HEADER_LEN};
use anoghost_protocol::PROTOCOL_VERSION;
use bytes::{BufMut, Bytes, BytesMut};
use clap::Parser;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

#[derive(Parser)]
#[command(about = "Raw-TCP room-broadcast relay with the gateway's framing (benchmark baseline)")]
struct Options {
    /// Loopback address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
}

/// Bytes read from a socket at a time.
const READ_CHUNK: usize = 4096;
/// Most queued frames one write carries (the gateway's `WRITE_BATCH`).
const WRITE_BATCH: usize = 32;
/// Frames a connection may have queued before it is dropped as a slow reader (the
/// gateway's `--outbound-queue` in the benchmark).
const QUEUE_LIMIT: usize = 1024;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One connection's bounded queue of records to write.
#[derive(Default)]
struct Outbox {
    queue: Mutex<VecDeque<Bytes>>,
    ready: Notify,
    overflowed: AtomicBool,
}

impl Outbox {
    fn push(&self, record: Bytes) {
        let mut queue = lock(&self.queue);
        if queue.len() >= QUEUE_LIMIT {
            self.overflowed.store(true, Ordering::Release);
        } else {
            queue.push_back(record);
        }
        drop(queue);
        self.ready.notify_one();
    }

    async fn recv(&self) -> Bytes {
        loop {
            let ready = self.ready.notified();
            if let Some(record) = self.try_recv() {
                return record;
            }
            ready.await;
        }
    }

    fn try_recv(&self) -> Option<Bytes> {
        lock(&self.queue).pop_front()
    }
}

/// A live room: its members' numbers and queues.
#[derive(Default)]
struct Room {
    members: Mutex<Vec<(u16, Arc<Outbox>)>>,
}

#[derive(Default)]
struct Rooms {
    by_code: Mutex<HashMap<String, (u32, Arc<Room>)>>,
    next_room: Mutex<u32>,
}

/// One connection: its socket, buffers, queue and memberships.
struct Connection {
    stream: TcpStream,
    input: BytesMut,
    output: Vec<u8>,
    outbox: Arc<Outbox>,
    joined: Vec<(u32, u16, Arc<Room>, String)>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let options = Options::parse();
    if !options.listen.ip().is_loopback() {
        return Err(std::io::Error::other(
            "the baseline relay binds loopback only",
        ));
    }
    let listener = TcpListener::bind(options.listen).await?;
    println!("listening on {}", listener.local_addr()?);
    let rooms: Arc<Rooms> = Arc::default();
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            stream,
            input: BytesMut::with_capacity(READ_CHUNK),
            output: Vec::new(),
            outbox: Arc::default(),
            joined: Vec::new(),
        };
        tokio::spawn(connection.run(rooms.clone()));
    }
}

impl Connection {
    async fn run(mut self, rooms: Arc<Rooms>) {
        let outbox = self.outbox.clone();
        loop {
            let open = tokio::select! {
                biased;
                read = self.stream.read_buf(&mut self.input) => match read {
                    Ok(0) | Err(_) => false,
                    Ok(_) => self.on_input(&rooms),
                },
                first = outbox.recv() => self.write_queued(first).await,
            };
            if !open || outbox.overflowed.load(Ordering::Acquire) {
                break;
            }
        }
        for (_, member, room, code) in std::mem::take(&mut self.joined) {
            leave(&rooms, &room, member, &code);
        }
    }

    /// Handles every whole record read so far; `false` closes the connection.
    fn on_input(&mut self, rooms: &Rooms) -> bool {
        loop {
            match take_record(&mut self.input) {
                Err(_) => return false,
                Ok(None) => break,
                Ok(Some(record)) if is_control(&record) => {
                    let Ok(request) = serde_json::from_slice::<Value>(&record) else {
                        continue;
                    };
                    let reply = self.control(rooms, &request);
                    self.outbox.push(record_bytes(reply.to_string().as_bytes()));
                }
                Ok(Some(record)) => self.relay(&record),
            }
        }
        if self.input.capacity() - self.input.len() < READ_CHUNK / 2 {
            self.input.reserve(READ_CHUNK);
        }
        true
    }

    /// Relays a group frame to the room's other members, stamped with the sender: the
    /// gateway's framing, without its order or its checks.
    fn relay(&self, record: &[u8]) {
        let Ok(frame) = ClientFrame::decode(record) else {
            return;
        };
        let Some((_, sender, room, _)) = self.joined.iter().find(|j| j.0 == frame.room) else {
            return;
        };
        // One buffer, prefix included, shared by every recipient: the gateway's relayed
        // layout (`version | room | sender | kind | payload`), written once.
        let len = RELAYED_HEADER_LEN + frame.payload.len();
        let mut out = BytesMut::with_capacity(PREFIX_LEN + len);
        out.put_u32(len as u32);
        out.put_u8(PROTOCOL_VERSION);
        out.put_u32(frame.room);
        out.put_u16(*sender);
        out.put_u8(frame.kind.to_byte());
        out.put_slice(frame.payload);
        let out = out.freeze();
        for (member, outbox) in lock(&room.members).iter() {
            if member != sender {
                outbox.push(out.clone());
            }
        }
    }

    fn control(&mut self, rooms: &Rooms, request: &Value) -> Value {
        match request["type"].as_str() {
            // The gateway's challenge is random; this relay checks no proof, so any will do.
            Some("hello") => {
                json!({"type": "welcome", "v": 2, "challenge": "11111111111111111111111111111111"})
            }
            Some("room_create") => {
                let reference = {
                    let mut next = lock(&rooms.next_room);
                    *next += 1;
                    *next
                };
                let code = format!("{:06}", reference % 1_000_000);
                let room = Arc::new(Room::default());
                lock(&room.members).push((1000, self.outbox.clone()));
                lock(&rooms.by_code).insert(code.clone(), (reference, room.clone()));
                self.joined.push((reference, 1000, room, code.clone()));
                json!({"type": "joined", "room": reference, "code": code, "member": 1000, "members": []})
            }
            Some("room_join") => {
                let code = request["code"].as_str().unwrap_or_default().to_owned();
                let Some((reference, room)) = lock(&rooms.by_code).get(&code).cloned() else {
                    return json!({"type": "error", "code": "room_not_found"});
                };
                let mut members = lock(&room.members);
                let member = 1000 + members.len() as u16;
                let others: Vec<u16> = members.iter().map(|(m, _)| *m).collect();
                let event = json!({"type": "member_joined", "room": reference, "member": member});
                let event = record_bytes(event.to_string().as_bytes());
                for (_, other) in members.iter() {
                    other.push(event.clone());
                }
                members.push((member, self.outbox.clone()));
                drop(members);
                self.joined.push((reference, member, room, code.clone()));
                json!({"type": "joined", "room": reference, "code": code, "member": member, "members": others})
            }
            Some("room_leave") => {
                let reference = request["room"].as_u64().unwrap_or_default() as u32;
                if let Some(at) = self.joined.iter().position(|j| j.0 == reference) {
                    let (_, member, room, code) = self.joined.swap_remove(at);
                    leave(rooms, &room, member, &code);
                }
                json!({"type": "left", "room": reference})
            }
            _ => json!({"type": "error", "code": "bad_message"}),
        }
    }

    /// Yields once, so frames relayed in the same scheduler turn join this write, then
    /// writes `first` and whatever else is queued (up to [`WRITE_BATCH`]) in one call.
    async fn write_queued(&mut self, first: Bytes) -> bool {
        tokio::task::yield_now().await;
        self.output.clear();
        self.output.extend_from_slice(&first);
        for _ in 1..WRITE_BATCH {
            let Some(record) = self.outbox.try_recv() else {
                break;
            };
            self.output.extend_from_slice(&record);
        }
        self.stream.write_all(&self.output).await.is_ok()
    }
}

fn record_bytes(payload: &[u8]) -> Bytes {
    let mut record = BytesMut::with_capacity(PREFIX_LEN + payload.len());
    put_record(&mut record, payload);
    record.freeze()
}

fn leave(rooms: &Rooms, room: &Room, member: u16, code: &str) {
    let mut members = lock(&room.members);
    members.retain(|(m, _)| *m != member);
    if members.is_empty() {
        lock(&rooms.by_code).remove(code);
    }
}
