//! Test helpers: a real gateway on 127.0.0.1:0 and a raw WebSocket client that speaks
//! `docs/protocol.md` frame by frame.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(dead_code, clippy::unwrap_used)]

pub mod cluster;
pub mod process;
pub mod raw;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::time::Duration;

use anoghost_gateway::auth::SiwsMessage;
use anoghost_gateway::{start, GatewayConfig, RunningGateway};
use ed25519_dalek::{Signer, SigningKey};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::WebSocketStream;

/// How long a test waits for any one expected frame.
pub const STEP: Duration = Duration::from_secs(10);

/// Defaults suitable for tests: generous rate limits unless a test narrows them.
pub fn test_config() -> GatewayConfig {
    let mut config = GatewayConfig::local_defaults();
    config.listen = "127.0.0.1:0".parse().unwrap();
    config.messages_per_second = 10_000;
    config.joins_per_minute = 1_000;
    config.joins_per_minute_per_ip = 10_000;
    config.workers = 2;
    config
}

/// Starts a gateway on an ephemeral loopback port.
pub fn spawn(config: GatewayConfig) -> RunningGateway {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    start(config, listener).unwrap()
}

/// A raw WebSocket client.
pub struct Client {
    ws: WebSocketStream<TcpStream>,
    /// The connection's challenge from `welcome` (zero before `hello`).
    pub challenge: [u8; 32],
}

/// What `joined` said, and the admission key of the room (known to whoever holds its
/// invite; the gateway only ever saw the public half).
#[derive(Debug, Clone)]
pub struct JoinedRoom {
    pub room: u32,
    pub code: String,
    pub member: u16,
    pub members: Vec<u16>,
    pub key: SigningKey,
}

/// The group id the helpers' MLS headers carry.
pub const GROUP_ID: [u8; 16] = *b"test-group-id-16";

/// The cleartext part of an MLS PrivateMessage header, as docs/protocol.md describes it:
/// version 1, wire format 2, a 16-byte group id, the epoch, the content type (1 application,
/// 2 proposal, 3 commit). The gateway reads no further.
pub fn mls_header(epoch: u64, content_type: u8) -> Vec<u8> {
    let mut header = vec![0, 1, 0, 2, 16];
    header.extend_from_slice(&GROUP_ID);
    header.extend_from_slice(&epoch.to_be_bytes());
    header.push(content_type);
    header
}

/// Bytes of [`mls_header`].
pub const MLS_HEADER_LEN: usize = 30;

impl Client {
    /// Connects from 127.0.0.1.
    pub async fn connect(addr: SocketAddr) -> Self {
        Self::connect_from(addr, [127, 0, 0, 1].into()).await
    }

    /// Connects from a chosen loopback source address (127.0.0.x), to act as another host.
    pub async fn connect_from(addr: SocketAddr, source: IpAddr) -> Self {
        Self::try_connect_from(addr, source, None)
            .await
            .expect("WebSocket upgrade")
    }

    /// Connects, optionally sending an Origin header; returns the HTTP error on refusal.
    pub async fn try_connect_from(
        addr: SocketAddr,
        source: IpAddr,
        origin: Option<&str>,
    ) -> Result<Self, tungstenite::Error> {
        let headers: Vec<(&str, &str)> = origin.map(|o| ("Origin", o)).into_iter().collect();
        Self::connect_with_headers(addr, source, &headers).await
    }

    /// Connects from `source` with extra request headers (a proxy's `Forwarded`, say).
    pub async fn connect_with_headers(
        addr: SocketAddr,
        source: IpAddr,
        headers: &[(&str, &str)],
    ) -> Result<Self, tungstenite::Error> {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(source, 0)).unwrap();
        let stream = socket.connect(addr).await.unwrap();
        let mut request = tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{addr}/v1/ws"
        ))
        .unwrap();
        for (name, value) in headers {
            request.headers_mut().append(
                tungstenite::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let (ws, _) = tokio_tungstenite::client_async(request, stream).await?;
        Ok(Self {
            ws,
            challenge: [0; 32],
        })
    }

    /// Connects and completes `hello`.
    pub async fn ready(addr: SocketAddr) -> Self {
        let mut client = Self::connect(addr).await;
        client.hello().await;
        client
    }

    pub async fn send_json(&mut self, value: Value) {
        self.ws
            .send(Message::text(value.to_string()))
            .await
            .unwrap();
    }

    pub async fn send_text(&mut self, text: &str) {
        self.ws.send(Message::text(text.to_owned())).await.unwrap();
    }

    pub async fn send_binary(&mut self, bytes: Vec<u8>) {
        self.ws.send(Message::binary(bytes)).await.unwrap();
    }

    /// Sends `payload` to `room` as the body of an MLS application message (a group frame
    /// whose header is [`mls_header`]), as a chat message travels.
    pub async fn send_frame(&mut self, room: u32, payload: &[u8]) {
        let mut mls = mls_header(0, 1);
        mls.extend_from_slice(payload);
        self.send_kind(room, 1, None, &mls).await;
    }

    /// Sends a frame of `kind` (1 group, 2 join request, 3 welcome, 4 denied, 5
    /// challenge) to `room`, with `to` for the directed kinds (every kind but group).
    pub async fn send_kind(&mut self, room: u32, kind: u8, to: Option<u16>, payload: &[u8]) {
        let mut frame = vec![2];
        frame.extend_from_slice(&room.to_be_bytes());
        frame.push(kind);
        if let Some(to) = to {
            frame.extend_from_slice(&to.to_be_bytes());
        }
        frame.extend_from_slice(payload);
        self.send_binary(frame).await;
    }

    /// The next data frame (pings are answered by the library and skipped).
    pub async fn next(&mut self) -> Message {
        loop {
            let message = tokio::time::timeout(STEP, self.ws.next())
                .await
                .expect("a frame within the step timeout")
                .expect("the stream is open")
                .expect("a valid frame");
            match message {
                Message::Ping(_) | Message::Pong(_) => continue,
                other => return other,
            }
        }
    }

    /// The next control message, as JSON.
    pub async fn recv_json(&mut self) -> Value {
        match self.next().await {
            Message::Text(text) => serde_json::from_str(&text).unwrap(),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }

    /// The next control message, which must have this `type`.
    pub async fn expect(&mut self, kind: &str) -> Value {
        let value = self.recv_json().await;
        assert_eq!(value["type"], kind, "unexpected message {value}");
        value
    }

    /// The next control message, which must be an `error` with this code.
    pub async fn expect_error(&mut self, code: &str) {
        let value = self.expect("error").await;
        assert_eq!(value["code"], code, "unexpected error {value}");
        assert!(value["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    /// The next relayed frame: (room, sender, kind, payload).
    pub async fn recv_kind(&mut self) -> (u32, u16, u8, Vec<u8>) {
        match self.next().await {
            Message::Binary(bytes) => {
                assert!(bytes.len() >= 8 && bytes[0] == 2, "bad relayed frame");
                let room = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
                let sender = u16::from_be_bytes([bytes[5], bytes[6]]);
                (room, sender, bytes[7], bytes[8..].to_vec())
            }
            other => panic!("expected a binary frame, got {other:?}"),
        }
    }

    /// The next relayed frame sent with [`Self::send_frame`]: (room, sender, payload).
    pub async fn recv_frame(&mut self) -> (u32, u16, Vec<u8>) {
        let (room, sender, kind, payload) = self.recv_kind().await;
        assert_eq!(kind, 1, "a group frame");
        assert_eq!(&payload[..MLS_HEADER_LEN], &mls_header(0, 1)[..]);
        (room, sender, payload[MLS_HEADER_LEN..].to_vec())
    }

    /// Reads until the gateway closes; returns the close code and reason.
    pub async fn expect_close(&mut self) -> (CloseCode, String) {
        loop {
            let message = tokio::time::timeout(STEP, self.ws.next())
                .await
                .expect("a close within the step timeout");
            match message {
                Some(Ok(Message::Close(Some(frame)))) => {
                    return (frame.code, frame.reason.to_string())
                }
                Some(Ok(Message::Close(None))) => panic!("close without a reason"),
                Some(Ok(_)) => continue,
                Some(Err(error)) => panic!("connection ended without a close frame: {error}"),
                None => panic!("connection ended without a close frame"),
            }
        }
    }

    /// The next data frame if one arrives within `wait`.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Message> {
        loop {
            match tokio::time::timeout(wait, self.ws.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
                Ok(Some(Ok(message))) => return Some(message),
                Ok(other) => panic!("connection ended: {other:?}"),
            }
        }
    }

    /// Whether the gateway sends nothing for `wait` (consumes what it does send).
    pub async fn is_silent_for(&mut self, wait: Duration) -> bool {
        self.next_within(wait).await.is_none()
    }

    pub async fn hello(&mut self) -> Value {
        self.send_json(json!({"type": "hello", "v": 2})).await;
        let welcome = self.expect("welcome").await;
        let challenge = bs58::decode(welcome["challenge"].as_str().unwrap())
            .into_vec()
            .unwrap();
        self.challenge = challenge.try_into().unwrap();
        welcome
    }

    /// Creates a free room with a fresh admission key.
    pub async fn create_room(&mut self) -> JoinedRoom {
        let key = SigningKey::generate(&mut rand::rngs::OsRng);
        self.send_json(room_create(&key)).await;
        joined(self.expect("joined").await, key)
    }

    /// `room_join` for `code`, its proof signed with `key` over this connection's
    /// challenge, as docs/protocol.md specifies.
    pub fn room_join(&self, code: &str, key: &SigningKey) -> Value {
        let mut message = b"anoghost/room-join/v1".to_vec();
        message.extend_from_slice(&self.challenge);
        message.extend_from_slice(code.as_bytes());
        let proof = bs58::encode(key.sign(&message).to_bytes()).into_string();
        json!({"type": "room_join", "code": code, "proof": proof})
    }

    /// Joins `room` with a valid proof.
    pub async fn join(&mut self, room: &JoinedRoom) -> JoinedRoom {
        self.send_json(self.room_join(&room.code, &room.key)).await;
        let mut joined = joined(self.expect("joined").await, room.key.clone());
        joined.code = room.code.clone();
        joined
    }

    pub async fn close(&mut self) {
        let _ = self.ws.close(None).await;
    }

    /// The underlying stream, for tests that need raw access.
    pub fn raw(&mut self) -> &mut WebSocketStream<TcpStream> {
        &mut self.ws
    }
}

/// A fresh admission key: a room's, or a guesser's who holds no invite.
pub fn any_key() -> SigningKey {
    SigningKey::generate(&mut rand::rngs::OsRng)
}

/// `room_create` with `key`'s public half as the verifier.
pub fn room_create(key: &SigningKey) -> Value {
    let verifier = bs58::encode(key.verifying_key().to_bytes()).into_string();
    json!({"type": "room_create", "verifier": verifier})
}

fn joined(value: Value, key: SigningKey) -> JoinedRoom {
    JoinedRoom {
        key,
        room: value["room"].as_u64().unwrap() as u32,
        code: value["code"].as_str().unwrap().to_owned(),
        member: value["member"].as_u64().unwrap() as u16,
        members: value["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_u64().unwrap() as u16)
            .collect(),
    }
}

/// A test wallet: an ed25519 key pair.
pub struct Wallet {
    pub key: SigningKey,
}

impl Wallet {
    pub fn new() -> Self {
        Self {
            key: SigningKey::generate(&mut rand::rngs::OsRng),
        }
    }

    pub fn address(&self) -> String {
        bs58::encode(self.key.verifying_key().to_bytes()).into_string()
    }

    pub fn sign(&self, text: &str) -> String {
        bs58::encode(self.key.sign(text.as_bytes()).to_bytes()).into_string()
    }

    /// Asks the gateway for a sign-in challenge; returns the message text.
    pub async fn challenge(&self, addr: SocketAddr) -> String {
        let response: Value = reqwest::Client::new()
            .post(format!("http://{addr}/v1/auth/challenge"))
            .json(&json!({"address": self.address()}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        response["message"].as_str().unwrap().to_owned()
    }

    /// Signs in `client` with this wallet.
    pub async fn sign_in(&self, addr: SocketAddr, client: &mut Client) {
        let message = self.challenge(addr).await;
        let signature = self.sign(&message);
        client
            .send_json(json!({"type": "auth", "message": message, "signature": signature}))
            .await;
        let reply = client.expect("authenticated").await;
        assert_eq!(
            reply,
            json!({"type": "authenticated"}),
            "no ghostId any more"
        );
    }
}

/// A one-time key holder address, as an invitee's client derives one.
pub struct Holder {
    pub key: SigningKey,
}

impl Holder {
    pub fn new() -> Self {
        Self {
            key: SigningKey::generate(&mut rand::rngs::OsRng),
        }
    }

    pub fn address(&self) -> String {
        bs58::encode(self.key.verifying_key().to_bytes()).into_string()
    }

    /// The proof `label ‖ challenge ‖ payload`, signed, in base58.
    pub fn prove(&self, label: &[u8], challenge: &[u8; 32], payload: &[u8]) -> String {
        let mut message = label.to_vec();
        message.extend_from_slice(challenge);
        message.extend_from_slice(payload);
        bs58::encode(self.key.sign(&message).to_bytes()).into_string()
    }

    /// The `ghost_issue` message for `client`'s connection.
    pub fn ghost_issue(&self, client: &Client) -> Value {
        let holder = self.key.verifying_key().to_bytes();
        let signature = self.prove(b"anoghost/ghost-issue/v1", &client.challenge, &holder);
        json!({"type": "ghost_issue", "holder": self.address(), "signature": signature})
    }

    /// Asks `client`'s gateway for a ghostId sealing this holder.
    pub async fn issue_ghost(&self, client: &mut Client) -> String {
        client.send_json(self.ghost_issue(client)).await;
        let reply = client.expect("ghost").await;
        reply["ghost_id"].as_str().unwrap().to_owned()
    }
}

/// Parses, edits and re-serialises a challenge, for tests that forge messages.
pub fn edit_challenge(text: &str, edit: impl FnOnce(&mut SiwsMessage)) -> String {
    let mut message = SiwsMessage::parse(text).unwrap();
    edit(&mut message);
    message.to_text()
}
