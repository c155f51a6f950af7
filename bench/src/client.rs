//! Clients speaking the gateway protocol's free-room subset (`docs/protocol.md` §2.1, §2.4,
//! §3), which the baseline relays speak too: over WebSocket, or as length-prefixed records
//! over plain TCP for the raw relay ([`crate::raw`]).

use std::net::{IpAddr, SocketAddr};

use anoghost_protocol::frame::{ClientFrame, FrameKind, CLIENT_HEADER_LEN, RELAYED_HEADER_LEN};
use anoghost_protocol::{proofs, ClientMessage, PROTOCOL_VERSION};
use bytes::{Bytes, BytesMut};
use ed25519_dalek::{Signer, SigningKey};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::raw::{is_control, put_record, take_record, PREFIX_LEN};

/// A WebSocket client connection.
pub type Ws = WebSocketStream<TcpStream>;

/// How a relay is spoken to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// WebSocket, upgrading at this path (e.g. `/v1/ws`).
    WebSocket(String),
    /// Length-prefixed records over plain TCP ([`crate::raw`]).
    RawTcp,
}

/// Where a relay listens, and how it is spoken to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The relay's address (loopback).
    pub addr: SocketAddr,
    /// Its transport.
    pub transport: Transport,
}

/// Number of loopback source addresses connections are spread over (127.0.0.2 and up), so
/// no single address runs out of ephemeral ports.
const SOURCE_ADDRESSES: usize = 200;

/// Bytes a raw client reads at a time: the same as the WebSocket client's read buffer.
const READ_CHUNK: usize = 4096;

/// Opens connection number `index`, from a source address chosen by `index`.
pub async fn connect(target: &Target, index: usize) -> std::io::Result<Conn> {
    let octet = 2 + (index % SOURCE_ADDRESSES) as u8;
    let source = IpAddr::from([127, 0, 0, octet]);
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket.connect(target.addr).await?;
    stream.set_nodelay(true)?;
    let path = match &target.transport {
        Transport::RawTcp => {
            return Ok(Conn::Raw(RawConn {
                stream,
                buffer: BytesMut::with_capacity(READ_CHUNK),
                out: Vec::new(),
            }))
        }
        Transport::WebSocket(path) => path,
    };
    let url = format!("ws://{}{}", target.addr, path);
    let (ws, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(client_config()))
        .await
        .map_err(std::io::Error::other)?;
    Ok(Conn::Ws(Box::new(ws)))
}

/// The load generator's socket settings. tungstenite zero-fills its whole read buffer
/// before every read; at the 128 KiB default that costs the load generator more CPU than
/// the frames it reads, CPU the relay under test shares on the same machine.
fn client_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(READ_CHUNK)
}

/// A client connection over either transport.
pub enum Conn {
    /// WebSocket.
    Ws(Box<Ws>),
    /// Length-prefixed records over TCP.
    Raw(RawConn),
}

/// A raw-TCP client connection: the stream, what was read of it and a write buffer.
pub struct RawConn {
    stream: TcpStream,
    buffer: BytesMut,
    out: Vec<u8>,
}

/// A message from the relay.
pub enum Incoming {
    /// A control message (JSON).
    Text(String),
    /// A binary frame.
    Binary(Bytes),
    /// Anything else (WebSocket ping, pong, close).
    Other,
}

impl Conn {
    /// Sends a control message.
    pub async fn send_text(&mut self, text: &str) -> std::io::Result<()> {
        match self {
            Conn::Ws(ws) => ws
                .send(Message::text(text.to_owned()))
                .await
                .map_err(std::io::Error::other),
            Conn::Raw(raw) => raw.send(text.as_bytes()).await,
        }
    }

    /// Sends a binary frame.
    pub async fn send_binary(&mut self, frame: Vec<u8>) -> std::io::Result<()> {
        match self {
            Conn::Ws(ws) => ws
                .send(Message::binary(frame))
                .await
                .map_err(std::io::Error::other),
            Conn::Raw(raw) => raw.send(&frame).await,
        }
    }

    /// The next message, `None` once the relay has closed. Cancel-safe: a message is only
    /// taken by a call that returns it.
    pub async fn next(&mut self) -> Option<std::io::Result<Incoming>> {
        match self {
            Conn::Ws(ws) => Some(match ws.next().await? {
                Ok(Message::Text(text)) => Ok(Incoming::Text(text.as_str().to_owned())),
                Ok(Message::Binary(frame)) => Ok(Incoming::Binary(frame)),
                Ok(_) => Ok(Incoming::Other),
                Err(error) => Err(std::io::Error::other(error)),
            }),
            Conn::Raw(raw) => raw.next().await,
        }
    }

    /// Closes the connection and reads until the relay hangs up.
    pub async fn close(self) -> std::io::Result<()> {
        match self {
            Conn::Ws(mut ws) => {
                ws.as_mut()
                    .close(None)
                    .await
                    .map_err(std::io::Error::other)?;
                while let Some(Ok(_)) = ws.next().await {}
            }
            Conn::Raw(mut raw) => {
                raw.stream.shutdown().await?;
                while let Some(Ok(_)) = raw.next().await {}
            }
        }
        Ok(())
    }
}

impl RawConn {
    async fn send(&mut self, record: &[u8]) -> std::io::Result<()> {
        self.out.clear();
        self.out.reserve(PREFIX_LEN + record.len());
        put_record(&mut self.out, record);
        self.stream.write_all(&self.out).await
    }

    async fn next(&mut self) -> Option<std::io::Result<Incoming>> {
        loop {
            match take_record(&mut self.buffer) {
                Err(error) => return Some(Err(std::io::Error::other(error))),
                Ok(Some(record)) if is_control(&record) => {
                    let text = String::from_utf8(record.to_vec()).map_err(std::io::Error::other);
                    return Some(text.map(Incoming::Text));
                }
                Ok(Some(record)) => return Some(Ok(Incoming::Binary(record.freeze()))),
                Ok(None) => {}
            }
            if self.buffer.capacity() - self.buffer.len() < READ_CHUNK / 2 {
                self.buffer.reserve(READ_CHUNK);
            }
            match self.stream.read_buf(&mut self.buffer).await {
                Ok(0) => return None,
                Ok(_) => {}
                Err(error) => return Some(Err(error)),
            }
        }
    }
}

/// Sends a control message and returns the first answer that is not a room event.
pub async fn request(conn: &mut Conn, text: &str) -> std::io::Result<Value> {
    conn.send_text(text).await?;
    loop {
        match conn.next().await {
            Some(Ok(Incoming::Text(text))) => {
                let value: Value = serde_json::from_str(&text).map_err(std::io::Error::other)?;
                match value["type"].as_str() {
                    Some("member_joined" | "member_left" | "ghost") => continue,
                    _ => return Ok(value),
                }
            }
            Some(Ok(_)) => continue,
            Some(Err(error)) => return Err(error),
            None => return Err(std::io::Error::other("closed during a request")),
        }
    }
}

/// A member of a room, ready to relay.
pub struct Member {
    /// Its connection.
    pub conn: Conn,
    /// The room reference for relay frames.
    pub room: u32,
    /// Which of the targets it is connected to (0 with one relay).
    pub gateway: usize,
}

/// A room's admission key: a free room is joined with a proof made with it (the baseline
/// relays accept any proof; the gateway checks it).
pub fn room_key() -> SigningKey {
    SigningKey::generate(&mut rand::rngs::OsRng)
}

/// Says `hello` and creates a room with `key` (`code` `None`) or joins the room with that
/// code, proving `key`.
pub async fn enter(
    conn: &mut Conn,
    key: &SigningKey,
    code: Option<&str>,
) -> std::io::Result<(u32, String)> {
    let hello = ClientMessage::Hello {
        v: PROTOCOL_VERSION,
    };
    let welcome = request(conn, &hello.to_json()).await?;
    let challenge = welcome["challenge"]
        .as_str()
        .and_then(|c| bs58::decode(c).into_vec().ok())
        .and_then(|c| <[u8; 32]>::try_from(c).ok())
        .ok_or_else(|| std::io::Error::other(format!("expected welcome, got {welcome}")))?;
    let message = match code {
        None => ClientMessage::RoomCreate {
            verifier: bs58::encode(key.verifying_key().to_bytes()).into_string(),
        },
        Some(code) => ClientMessage::RoomJoin {
            code: code.to_owned(),
            proof: bs58::encode(key.sign(&proofs::room_join(&challenge, code)).to_bytes())
                .into_string(),
        },
    };
    let text = message.to_json();
    let joined = request(conn, &text).await?;
    match (joined["room"].as_u64(), joined["code"].as_str()) {
        (Some(room), Some(code)) => Ok((room as u32, code.to_owned())),
        _ => Err(std::io::Error::other(format!(
            "expected joined, got {joined}"
        ))),
    }
}

/// Opens `rooms × members` connections, each in its room, spread over `targets`.
/// Connection `i` uses source address `i`, starting at `first_index`.
pub async fn fill_rooms(
    targets: &[Target],
    rooms: usize,
    members: usize,
    first_index: usize,
) -> std::io::Result<Vec<Member>> {
    let mut all = Vec::with_capacity(rooms * members);
    for room_index in 0..rooms {
        let mut code = None;
        let key = room_key();
        for member_index in 0..members {
            let index = first_index + room_index * members + member_index;
            // Across several gateways, a room's members take turns: every room spans all
            // of them, and each member's frames reach some members on its own gateway and
            // some on others.
            let gateway = member_index % targets.len().max(1);
            let mut conn = connect(&targets[gateway], index).await?;
            let (room, room_code) = enter(&mut conn, &key, code.as_deref()).await?;
            code = Some(room_code);
            all.push(Member {
                conn,
                room,
                gateway,
            });
        }
    }
    Ok(all)
}

/// The cleartext header of an MLS application message (a PrivateMessage of a 16-byte group
/// id, epoch 0): what the gateway reads of every chat message to keep the room's order.
const MLS_APPLICATION_HEADER: [u8; 30] = [
    0, 1, 0, 2, 16, 0x67, 0x72, 0x6f, 0x75, 0x70, 0x2d, 0x6f, 0x66, 0x2d, 0x74, 0x68, 0x65, 0x2d,
    0x62, 0x65, 0x6e, 0, 0, 0, 0, 0, 0, 0, 0, 1,
];

/// A client-to-relay group frame carrying `payload` as an MLS application message would:
/// the frame header, the MLS header, then the bytes.
pub fn relay_frame(room: u32, payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(MLS_APPLICATION_HEADER.len() + payload.len());
    body.extend_from_slice(&MLS_APPLICATION_HEADER);
    body.extend_from_slice(payload);
    ClientFrame::to_room(room, FrameKind::Group, &body)
        .encode()
        .to_vec()
}

/// Bytes a client-to-relay group frame adds before `payload`.
pub const SENT_OVERHEAD: usize = CLIENT_HEADER_LEN + MLS_APPLICATION_HEADER.len();
/// Bytes before the payload in a delivered group frame (relay header, MLS header).
pub const DELIVERED_HEADER_LEN: usize = RELAYED_HEADER_LEN + MLS_APPLICATION_HEADER.len();
