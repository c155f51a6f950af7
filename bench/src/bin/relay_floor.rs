//! `relay-floor`: the minimal room-broadcast relay the gateway is measured against. It
//! speaks the same subset of the gateway protocol as the load generator (hello, room_create,
//! room_join, room_leave, relay frames) with tokio-tungstenite and nothing else: no limits,
//! no auth, no queues beyond an unbounded channel per connection. The floor of overhead.
//!
//! `relay-floor --listen 127.0.0.1:0` prints `listening on ADDR`.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

#[derive(Parser)]
#[command(about = "Minimal tokio-tungstenite room-broadcast relay (benchmark baseline)")]
struct Options {
    /// Loopback address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
}

type Outbox = mpsc::UnboundedSender<Message>;

#[derive(Default)]
struct Rooms {
    members: HashMap<u32, Vec<(u16, Outbox)>>,
    codes: HashMap<String, u32>,
    next_room: u32,
}

type Shared = Arc<Mutex<Rooms>>;

fn lock(rooms: &Shared) -> std::sync::MutexGuard<'_, Rooms> {
    rooms
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
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
    let rooms: Shared = Arc::default();
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(serve(stream, rooms.clone()));
    }
}

async fn serve(stream: TcpStream, rooms: Shared) {
    let _ = stream.set_nodelay(true);
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut source) = ws.split();
    let (outbox, mut inbox) = mpsc::unbounded_channel::<Message>();
    let writer = tokio::spawn(async move {
        while let Some(message) = inbox.recv().await {
            if sink.send(message).await.is_err() {
                break;
            }
        }
    });
    let mut joined: Vec<(u32, u16)> = Vec::new();
    while let Some(Ok(message)) = source.next().await {
        match message {
            Message::Text(text) => {
                let Ok(request) = serde_json::from_str::<Value>(&text) else {
                    continue;
                };
                let reply = control(&rooms, &outbox, &mut joined, &request);
                let _ = outbox.send(Message::text(reply.to_string()));
            }
            Message::Binary(frame) => relay(&rooms, &joined, &frame),
            Message::Close(_) => break,
            _ => {}
        }
    }
    let mut rooms = lock(&rooms);
    for (room, member) in joined {
        leave(&mut rooms, room, member);
    }
    drop(rooms);
    writer.abort();
}

fn control(
    rooms: &Shared,
    outbox: &Outbox,
    joined: &mut Vec<(u32, u16)>,
    request: &Value,
) -> Value {
    let mut rooms = lock(rooms);
    match request["type"].as_str() {
        // The gateway's challenge is random; the floor checks no proof, so any will do.
        Some("hello") => {
            json!({"type": "welcome", "v": 2, "challenge": "11111111111111111111111111111111"})
        }
        Some("room_create") => {
            rooms.next_room += 1;
            let room = rooms.next_room;
            let code = format!("{:06}", room % 1_000_000);
            rooms.codes.insert(code.clone(), room);
            rooms.members.insert(room, vec![(1000, outbox.clone())]);
            joined.push((room, 1000));
            json!({"type": "joined", "room": room, "code": code, "member": 1000, "members": []})
        }
        Some("room_join") => {
            let code = request["code"].as_str().unwrap_or_default().to_owned();
            let Some(&room) = rooms.codes.get(&code) else {
                return json!({"type": "error", "code": "room_not_found"});
            };
            let members = rooms.members.entry(room).or_default();
            let member = 1000 + members.len() as u16;
            let others: Vec<u16> = members.iter().map(|(m, _)| *m).collect();
            for (_, other) in members.iter() {
                let event = json!({"type": "member_joined", "room": room, "member": member});
                let _ = other.send(Message::text(event.to_string()));
            }
            members.push((member, outbox.clone()));
            joined.push((room, member));
            json!({"type": "joined", "room": room, "code": code, "member": member, "members": others})
        }
        Some("room_leave") => {
            let room = request["room"].as_u64().unwrap_or_default() as u32;
            if let Some(at) = joined.iter().position(|(r, _)| *r == room) {
                let (room, member) = joined.swap_remove(at);
                leave(&mut rooms, room, member);
            }
            json!({"type": "left", "room": room})
        }
        _ => json!({"type": "error", "code": "bad_message"}),
    }
}

fn leave(rooms: &mut Rooms, room: u32, member: u16) {
    let empty = match rooms.members.get_mut(&room) {
        Some(members) => {
            members.retain(|(m, _)| *m != member);
            members.is_empty()
        }
        None => false,
    };
    if empty {
        rooms.members.remove(&room);
        rooms.codes.retain(|_, r| *r != room);
    }
}

/// Relays a group frame (`version 2 | room | kind | payload`) to the room's other members
/// as `version | room | sender | kind | payload`: the gateway's framing, without its order
/// or its checks.
fn relay(rooms: &Shared, joined: &[(u32, u16)], frame: &[u8]) {
    if frame.len() < 6 || frame[0] != 2 {
        return;
    }
    let room = u32::from_be_bytes([frame[1], frame[2], frame[3], frame[4]]);
    let Some(&(_, sender)) = joined.iter().find(|(r, _)| *r == room) else {
        return;
    };
    // One buffer shared by every recipient.
    let mut out = Vec::with_capacity(frame.len() + 2);
    out.extend_from_slice(&frame[..5]);
    out.extend_from_slice(&sender.to_be_bytes());
    out.extend_from_slice(&frame[5..]);
    let out = Bytes::from(out);
    let rooms = lock(rooms);
    if let Some(members) = rooms.members.get(&room) {
        for (member, outbox) in members {
            if *member != sender {
                let _ = outbox.send(Message::Binary(out.clone()));
            }
        }
    }
}
