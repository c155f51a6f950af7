use std::collections::VecDeque;
use std::time::Duration;

use anoghost_protocol::frame::{ClientFrame, FrameKind, RelayedFrame};
use anoghost_protocol::{ClientMessage, Limits, ServerMessage, PROTOCOL_VERSION};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{Connector, MaybeTlsStream, WebSocketStream};

use super::error::ClientError;
use super::replies::answers;
use super::tls;
use super::GatewayEvent;
use crate::wallet::Wallet;

/// How long a request waits for its reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(15);
/// The cluster a sign-in message must name unless told otherwise.
pub const DEFAULT_CHAIN_ID: &str = "solana:localnet";

/// A room this client joined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// The room reference used in frames.
    pub room: u32,
    /// The six-digit code (free rooms).
    pub code: Option<String>,
    /// This client's member number.
    pub member: u16,
    /// Members already there.
    pub members: Vec<u16>,
}

/// A connection to a gateway, past the `hello` handshake.
pub struct GatewayClient {
    url: String,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    limits: Limits,
    challenge: [u8; 32],
    chain_id: String,
    backlog: VecDeque<GatewayEvent>,
}

impl std::fmt::Debug for GatewayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayClient").finish_non_exhaustive()
    }
}

/// The gateway's HTTP base for its WebSocket URL: `ws://h/v1/ws` → `http://h`.
pub fn http_base(ws_url: &str) -> Result<String, ClientError> {
    let (scheme, rest) = if let Some(rest) = ws_url.strip_prefix("wss://") {
        ("https", rest)
    } else if let Some(rest) = ws_url.strip_prefix("ws://") {
        ("http", rest)
    } else {
        return Err(ClientError::Protocol(format!(
            "not a ws:// or wss:// URL: {ws_url}"
        )));
    };
    let host = rest.split('/').next().unwrap_or(rest);
    Ok(format!("{scheme}://{host}"))
}

fn refused(message: &ServerMessage) -> Option<ClientError> {
    match message {
        ServerMessage::Error { code, message } => Some(ClientError::Refused {
            code: *code,
            message: message.clone(),
        }),
        _ => None,
    }
}

impl GatewayClient {
    /// Opens a WebSocket to `url` (e.g. `ws://127.0.0.1:8787/v1/ws`) and says `hello`.
    pub async fn connect(url: &str) -> Result<Self, ClientError> {
        // Nagle off: chat frames are small and a held-back frame waits for a delayed ACK.
        let connector = Connector::Rustls(tls::client_config()?);
        let (ws, _) =
            tokio_tungstenite::connect_async_tls_with_config(url, None, true, Some(connector))
                .await
                .map_err(|source| match tls::certificate_refusal(&source) {
                    Some(reason) => ClientError::Certificate {
                        url: url.to_owned(),
                        reason,
                    },
                    None => ClientError::Connect {
                        url: url.to_owned(),
                        source: Box::new(source),
                    },
                })?;
        let mut client = Self {
            url: url.to_owned(),
            ws,
            // Until `welcome` says otherwise, the documented defaults.
            limits: default_limits(),
            challenge: [0; 32],
            chain_id: DEFAULT_CHAIN_ID.to_owned(),
            backlog: VecDeque::new(),
        };
        let welcome = client
            .request(ClientMessage::Hello {
                v: PROTOCOL_VERSION,
            })
            .await?;
        match welcome {
            ServerMessage::Welcome {
                v,
                limits,
                challenge,
                ..
            } if v == PROTOCOL_VERSION => {
                match bs58::decode(&challenge).onto(&mut client.challenge) {
                    Ok(32) => {}
                    _ => return Err(ClientError::Protocol(format!("bad challenge {challenge}"))),
                }
                client.limits = limits;
                Ok(client)
            }
            ServerMessage::Welcome { v, .. } => Err(ClientError::Protocol(format!(
                "the gateway speaks protocol v{v}, this client v{PROTOCOL_VERSION}"
            ))),
            other => Err(ClientError::Protocol(format!("{other:?}"))),
        }
    }

    /// This connection's challenge from `welcome`, which proofs bound to the connection
    /// sign.
    pub fn challenge(&self) -> &[u8; 32] {
        &self.challenge
    }

    /// The limits the gateway announced in `welcome`.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    async fn send_control(&mut self, message: &ClientMessage) -> Result<(), ClientError> {
        self.ws.send(Message::text(encode_control(message))).await?;
        Ok(())
    }

    /// Sends `message` and waits for its answer; events arriving first are kept for
    /// [`Self::next_event`]. An `error` answer becomes [`ClientError::Refused`].
    pub async fn request(&mut self, message: ClientMessage) -> Result<ServerMessage, ClientError> {
        self.request_within(message, REPLY_TIMEOUT).await
    }

    pub(super) async fn request_within(
        &mut self,
        message: ClientMessage,
        limit: Duration,
    ) -> Result<ServerMessage, ClientError> {
        self.send_control(&message).await?;
        let wait = async {
            loop {
                match self.read().await? {
                    GatewayEvent::Message(reply) => {
                        if let Some(error) = refused(&reply) {
                            return Err(error);
                        }
                        if answers(&message, &reply) {
                            return Ok(reply);
                        }
                        self.backlog.push_back(GatewayEvent::Message(reply));
                    }
                    frame => self.backlog.push_back(frame),
                }
            }
        };
        tokio::time::timeout(limit, wait)
            .await
            .map_err(|_| ClientError::Timeout)?
    }

    /// The cluster a sign-in message must name, e.g. `solana:devnet` (default
    /// [`DEFAULT_CHAIN_ID`]).
    pub fn expect_chain_id(&mut self, chain_id: &str) {
        chain_id.clone_into(&mut self.chain_id);
    }

    /// Signs in with `wallet` (SIWS): fetches a challenge over HTTP from the same host,
    /// checks that it is a short-lived sign-in to this gateway, for this wallet and cluster
    /// (see [`super::sign_in`]), signs it, and sends it. Only an initiator needs this: the escrow it spends must be its wallet's.
    pub async fn sign_in(&mut self, wallet: &Wallet) -> Result<(), ClientError> {
        let (message, nonce) = self.sign_in_challenge(wallet).await?;
        let expected = super::sign_in::Expected {
            domain: super::sign_in::authority(&self.url)
                .unwrap_or_default()
                .to_owned(),
            uri: http_base(&self.url)?,
            address: wallet.address(),
            chain_id: self.chain_id.clone(),
            nonce,
        };
        super::sign_in::check(&message, &expected, time::OffsetDateTime::now_utc())?;
        let signature = wallet.sign_message(message.as_bytes());
        match self
            .request(ClientMessage::Auth { message, signature })
            .await?
        {
            ServerMessage::Authenticated {} => Ok(()),
            other => Err(ClientError::Protocol(format!("{other:?}"))),
        }
    }

    /// The challenge's message and nonce.
    async fn sign_in_challenge(&self, wallet: &Wallet) -> Result<(String, String), ClientError> {
        let url = format!("{}/v1/auth/challenge", http_base(&self.url)?);
        let failed = |reason: String| ClientError::Challenge {
            url: url.clone(),
            reason,
        };
        let response = tls::http_client(&url)?
            .post(&url)
            .json(&serde_json::json!({"address": wallet.address()}))
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let body: serde_json::Value = response
            .json()
            .await
            .map_err(|e| failed(format!("the answer is not JSON: {e}")))?;
        match (body["message"].as_str(), body["nonce"].as_str()) {
            (Some(message), Some(nonce)) if status.is_success() => {
                Ok((message.to_owned(), nonce.to_owned()))
            }
            _ => Err(failed(format!(
                "HTTP {status}: {}",
                body["message"].as_str().unwrap_or_default()
            ))),
        }
    }

    /// Creates a free room whose joiners must prove the secret behind `verifier`, and
    /// joins it.
    pub async fn create_room(&mut self, verifier: &[u8; 32]) -> Result<Joined, ClientError> {
        let request = ClientMessage::RoomCreate {
            verifier: bs58::encode(verifier).into_string(),
        };
        joined(self.request(request).await?)
    }

    /// Joins a free room by code, with `prove` signing this connection's challenge (see
    /// `RoomKeys::join_proof`).
    pub async fn join_room(
        &mut self,
        code: &str,
        prove: impl FnOnce(&[u8; 32]) -> [u8; 64],
    ) -> Result<Joined, ClientError> {
        let request = ClientMessage::RoomJoin {
            code: code.to_owned(),
            proof: bs58::encode(prove(&self.challenge)).into_string(),
        };
        joined(self.request(request).await?)
    }

    /// Leaves a room.
    pub async fn leave_room(&mut self, room: u32) -> Result<(), ClientError> {
        self.request(ClientMessage::RoomLeave { room }).await?;
        Ok(())
    }

    /// Waits until the gateway has handled everything sent so far. A frame it refused
    /// (rate limit, unknown room) makes this fail with that refusal.
    pub async fn sync(&mut self) -> Result<(), ClientError> {
        self.request(ClientMessage::Sync {}).await?;
        Ok(())
    }

    /// Sends a frame of `kind` to `room` (to member `to` only, for a directed kind). A
    /// frame larger than the gateway's limit is refused here, before anything is sent.
    pub async fn send_frame(
        &mut self,
        room: u32,
        kind: FrameKind,
        to: Option<u16>,
        payload: &[u8],
    ) -> Result<(), ClientError> {
        let frame = ClientFrame {
            room,
            kind,
            to,
            payload,
        }
        .encode();
        if frame.len() > self.limits.max_frame_bytes {
            return Err(ClientError::FrameTooLarge {
                size: frame.len(),
                max: self.limits.max_frame_bytes,
            });
        }
        self.ws.send(Message::Binary(frame)).await?;
        Ok(())
    }

    /// The next event: first any kept while waiting for replies, then from the socket.
    pub async fn next_event(&mut self) -> Result<GatewayEvent, ClientError> {
        if let Some(event) = self.backlog.pop_front() {
            return Ok(event);
        }
        self.read().await
    }

    /// Closes the connection politely.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    async fn read(&mut self) -> Result<GatewayEvent, ClientError> {
        loop {
            let message = match self.ws.next().await {
                Some(message) => message?,
                None => {
                    return Err(ClientError::Closed {
                        code: 1006,
                        reason: "connection lost".into(),
                    })
                }
            };
            match message {
                Message::Text(text) => {
                    let message = decode_control(&text)?;
                    // A newer gateway's events this client does not know are skipped.
                    if message != ServerMessage::Unknown {
                        return Ok(GatewayEvent::Message(message));
                    }
                }
                Message::Binary(bytes) => {
                    let frame = RelayedFrame::decode(&bytes)
                        .map_err(|e| ClientError::Protocol(e.to_string()))?;
                    return Ok(GatewayEvent::Frame {
                        room: frame.room,
                        sender: frame.sender,
                        kind: frame.kind,
                        payload: frame.payload.to_vec(),
                    });
                }
                Message::Close(frame) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.to_string()))
                        .unwrap_or((1005, String::new()));
                    return Err(ClientError::Closed { code, reason });
                }
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
            }
        }
    }
}

/// The text frame this client sends for `message`.
pub fn encode_control(message: &ClientMessage) -> String {
    message.to_json()
}

/// A control message from the gateway, as this client reads it.
pub fn decode_control(text: &str) -> Result<ServerMessage, ClientError> {
    ServerMessage::from_json(text).map_err(|e| ClientError::Protocol(format!("{e}: {text}")))
}

pub(super) fn joined(reply: ServerMessage) -> Result<Joined, ClientError> {
    match reply {
        ServerMessage::Joined {
            room,
            code,
            member,
            members,
        } => Ok(Joined {
            room,
            code,
            member,
            members,
        }),
        other => Err(ClientError::Protocol(format!("{other:?}"))),
    }
}

fn default_limits() -> Limits {
    use anoghost_protocol::limits::{DEFAULT_MAX_CONTROL_BYTES, DEFAULT_MAX_FRAME_BYTES};
    Limits {
        max_frame_bytes: DEFAULT_MAX_FRAME_BYTES,
        max_control_bytes: DEFAULT_MAX_CONTROL_BYTES,
        messages_per_second: 50,
        joins_per_minute: 10,
        max_members_per_room: 200,
        max_rooms_per_connection: 8,
        idle_timeout_secs: 900,
        heartbeat_interval_secs: 15,
    }
}
