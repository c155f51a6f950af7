//! WebSocket clients speaking the gateway protocol's free-room subset (`docs/protocol.md`
//! §2.1, §2.4, §3), which the baseline relays speak too.

use std::net::{IpAddr, SocketAddr};

use anoghost_protocol::frame::{ClientFrame, FrameKind, CLIENT_HEADER_LEN, RELAYED_HEADER_LEN};
use anoghost_protocol::{proofs, ClientMessage, PROTOCOL_VERSION};
use ed25519_dalek::{Signer, SigningKey};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

/// A client connection.
pub type Ws = WebSocketStream<TcpStream>;

/// Where a relay listens: its address and WebSocket path.
#[derive(Debug, Clone)]
pub struct Target {
    /// The relay's address (loopback).
    pub addr: SocketAddr,
    /// The WebSocket path, e.g. `/v1/ws`.
    pub path: String,
}

/// Number of loopback source addresses connections are spread over (127.0.0.2 and up), so
/// no single address runs out of ephemeral ports.
const SOURCE_ADDRESSES: usize = 200;

/// Opens connection number `index`, from a source address chosen by `index`.
pub async fn connect(target: &Target, index: usize) -> std::io::Result<Ws> {
    let octet = 2 + (index % SOURCE_ADDRESSES) as u8;
    let source = IpAddr::from([127, 0, 0, octet]);
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::new(source, 0))?;
    let stream = socket.connect(target.addr).await?;
    stream.set_nodelay(true)?;
    let url = format!("ws://{}{}", target.addr, target.path);
    let (ws, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(client_config()))
        .await
        .map_err(std::io::Error::other)?;
    Ok(ws)
}

/// The load generator's socket settings. tungstenite zero-fills its whole read buffer
/// before every read; at the 128 KiB default that costs the load generator more CPU than
/// the frames it reads, CPU the relay under test shares on the same machine.
fn client_config() -> WebSocketConfig {
    WebSocketConfig::default().read_buffer_size(4096)
}

/// Sends a control message and returns the first answer that is not a room event.
pub async fn request(ws: &mut Ws, text: &str) -> std::io::Result<Value> {
    ws.send(Message::text(text.to_owned()))
        .await
        .map_err(std::io::Error::other)?;
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).map_err(std::io::Error::other)?;
                match value["type"].as_str() {
                    Some("member_joined" | "member_left" | "ghost") => continue,
                    _ => return Ok(value),
                }
            }
            Some(Ok(_)) => continue,
            Some(Err(error)) => return Err(std::io::Error::other(error)),
            None => return Err(std::io::Error::other("closed during a request")),
        }
    }
}

/// A member of a room, ready to relay.
pub struct Member {
    /// Its connection.
    pub ws: Ws,
    /// The room reference for relay frames.
    pub room: u32,
}

/// A room's admission key: a free room is joined with a proof made with it (the baseline
/// relays accept any proof; the gateway checks it).
pub fn room_key() -> SigningKey {
    SigningKey::generate(&mut rand::rngs::OsRng)
}

/// Says `hello` and creates a room with `key` (`code` `None`) or joins the room with that
/// code, proving `key`.
pub async fn enter(
    ws: &mut Ws,
    key: &SigningKey,
    code: Option<&str>,
) -> std::io::Result<(u32, String)> {
    let hello = ClientMessage::Hello {
        v: PROTOCOL_VERSION,
    };
    let welcome = request(ws, &hello.to_json()).await?;
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
    let joined = request(ws, &text).await?;
    match (joined["room"].as_u64(), joined["code"].as_str()) {
        (Some(room), Some(code)) => Ok((room as u32, code.to_owned())),
        _ => Err(std::io::Error::other(format!(
            "expected joined, got {joined}"
        ))),
    }
}

/// Opens `rooms × members` connections, each in its room. Connection `i` uses source
/// address `i`, starting at `first_index`.
pub async fn fill_rooms(
    target: &Target,
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
            let mut ws = connect(target, index).await?;
            let (room, room_code) = enter(&mut ws, &key, code.as_deref()).await?;
            code = Some(room_code);
            all.push(Member { ws, room });
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
