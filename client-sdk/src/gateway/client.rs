use std::collections::VecDeque;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::event::Control;
use super::GatewayEvent;
use crate::wallet::Wallet;

/// How long a request waits for its reply.
const REPLY_TIMEOUT: Duration = Duration::from_secs(15);
/// How long minting a paid room's keys may take.
const MINT_TIMEOUT: Duration = Duration::from_secs(120);
/// Protocol version spoken.
const PROTOCOL_VERSION: u8 = 1;

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

/// Why a gateway operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Raised if the WebSocket could not be opened.
    #[error("cannot connect to the gateway at {url}: {source} (is anoghost-gateway running?)")]
    Connect {
        /// The URL tried.
        url: String,
        /// The underlying error.
        source: Box<tungstenite::Error>,
    },
    /// Raised if the gateway answered a request with an error.
    #[error("the gateway refused: {message} ({code})")]
    Refused {
        /// The protocol error code.
        code: String,
        /// The gateway's explanation.
        message: String,
    },
    /// Raised if the gateway closed the connection.
    #[error("the gateway closed the connection: {reason} (code {code})")]
    Closed {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// Raised on a WebSocket transport error.
    #[error("WebSocket error: {0}")]
    WebSocket(#[from] Box<tungstenite::Error>),
    /// Raised if the gateway sent something this client does not understand.
    #[error("unexpected message from the gateway: {0}")]
    Protocol(String),
    /// Raised if a reply did not arrive in time.
    #[error("timed out waiting for the gateway")]
    Timeout,
}

impl From<tungstenite::Error> for ClientError {
    fn from(error: tungstenite::Error) -> Self {
        Self::WebSocket(Box::new(error))
    }
}

/// A connection to a gateway, past the `hello` handshake.
pub struct GatewayClient {
    url: String,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    backlog: VecDeque<GatewayEvent>,
}

impl std::fmt::Debug for GatewayClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayClient").finish_non_exhaustive()
    }
}

/// The challenge endpoint on the gateway's host: `ws://h/v1/ws` → `http://h/v1/auth/challenge`.
fn challenge_url(ws_url: &str) -> Result<String, ClientError> {
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
    Ok(format!("{scheme}://{host}/v1/auth/challenge"))
}

fn parse_frame(bytes: &[u8]) -> Result<GatewayEvent, ClientError> {
    if bytes.len() < 7 || bytes[0] != PROTOCOL_VERSION {
        return Err(ClientError::Protocol("malformed relay frame".into()));
    }
    Ok(GatewayEvent::Frame {
        room: u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]),
        sender: u16::from_be_bytes([bytes[5], bytes[6]]),
        payload: bytes[7..].to_vec(),
    })
}

impl GatewayClient {
    /// Opens a WebSocket to `url` (e.g. `ws://127.0.0.1:8787/v1/ws`) and says `hello`.
    pub async fn connect(url: &str) -> Result<Self, ClientError> {
        // Nagle off: chat frames are small and a held-back frame waits for a delayed ACK.
        let (ws, _) = tokio_tungstenite::connect_async_with_config(url, None, true)
            .await
            .map_err(|source| ClientError::Connect {
                url: url.to_owned(),
                source: Box::new(source),
            })?;
        let mut client = Self {
            url: url.to_owned(),
            ws,
            backlog: VecDeque::new(),
        };
        client
            .send_control(json!({"type": "hello", "v": PROTOCOL_VERSION}))
            .await?;
        loop {
            match client.read_raw().await? {
                Raw::Welcome(PROTOCOL_VERSION) => return Ok(client),
                Raw::Welcome(v) => {
                    return Err(ClientError::Protocol(format!(
                        "gateway speaks protocol v{v}"
                    )))
                }
                Raw::Event(GatewayEvent::Error { code, message }) => {
                    return Err(ClientError::Refused { code, message })
                }
                Raw::Event(other) => client.backlog.push_back(other),
            }
        }
    }

    async fn send_control(&mut self, value: serde_json::Value) -> Result<(), ClientError> {
        self.ws.send(Message::text(value.to_string())).await?;
        Ok(())
    }

    /// Sends `value` and waits for the reply `pick` recognises; other events are kept for
    /// [`Self::next_event`]. An `error` reply becomes [`ClientError::Refused`].
    async fn request<T>(
        &mut self,
        value: serde_json::Value,
        pick: impl Fn(&GatewayEvent) -> Option<T>,
    ) -> Result<T, ClientError> {
        self.request_within(value, REPLY_TIMEOUT, pick).await
    }

    async fn request_within<T>(
        &mut self,
        value: serde_json::Value,
        limit: Duration,
        pick: impl Fn(&GatewayEvent) -> Option<T>,
    ) -> Result<T, ClientError> {
        self.send_control(value).await?;
        let wait = async {
            loop {
                match self.read_raw().await? {
                    Raw::Event(GatewayEvent::Error { code, message }) => {
                        return Err(ClientError::Refused { code, message })
                    }
                    Raw::Event(event) => match pick(&event) {
                        Some(reply) => return Ok(reply),
                        None => self.backlog.push_back(event),
                    },
                    Raw::Welcome(_) => {}
                }
            }
        };
        tokio::time::timeout(limit, wait)
            .await
            .map_err(|_| ClientError::Timeout)?
    }

    /// Signs in with `wallet` (SIWS): fetches a challenge over HTTP from the same host,
    /// signs it, and sends it. Returns the wallet's first ghostId.
    pub async fn sign_in(&mut self, wallet: &Wallet) -> Result<String, ClientError> {
        let url = challenge_url(&self.url)?;
        let response = reqwest::Client::new()
            .post(&url)
            .json(&json!({"address": wallet.address()}))
            .send()
            .await
            .map_err(|e| ClientError::Protocol(format!("challenge request to {url}: {e}")))?;
        let status = response.status();
        let body: serde_json::Value = response
            .json()
            .await
            .map_err(|e| ClientError::Protocol(format!("challenge response: {e}")))?;
        let Some(message) = body["message"].as_str().filter(|_| status.is_success()) else {
            return Err(ClientError::Refused {
                code: body["error"]
                    .as_str()
                    .unwrap_or("challenge_failed")
                    .to_owned(),
                message: body["message"].as_str().unwrap_or_default().to_owned(),
            });
        };
        let signature = wallet.sign_message(message.as_bytes());
        self.request(
            json!({"type": "auth", "message": message, "signature": signature}),
            |event| match event {
                GatewayEvent::Authenticated { ghost_id } => Some(ghost_id.clone()),
                _ => None,
            },
        )
        .await
    }

    /// Asks for a fresh ghostId.
    pub async fn rotate_ghost(&mut self) -> Result<String, ClientError> {
        self.request(json!({"type": "ghost_rotate"}), |event| match event {
            GatewayEvent::Ghost { ghost_id } => Some(ghost_id.clone()),
            _ => None,
        })
        .await
    }

    /// Asks which of `ghost_ids` this gateway issued within its window.
    pub async fn presence(&mut self, ghost_ids: &[String]) -> Result<Vec<bool>, ClientError> {
        self.request(
            json!({"type": "presence", "ghost_ids": ghost_ids}),
            |event| match event {
                GatewayEvent::Presence { present } => Some(present.clone()),
                _ => None,
            },
        )
        .await
    }

    /// Asks the gateway to mint one key per invitee against the signed-in wallet's escrow
    /// under `escrow_nonce`. Returns each invitee's mint address (`None` where the ghostId
    /// did not open). Minting takes one transaction per key, so this can take a while.
    pub async fn create_paid_room(
        &mut self,
        name: &str,
        escrow_nonce: &[u8; 32],
        invitees: &[String],
    ) -> Result<Vec<Option<String>>, ClientError> {
        let request = json!({
            "type": "room_create_paid",
            "name": name,
            "escrow_nonce": bs58::encode(escrow_nonce).into_string(),
            "invitees": invitees,
        });
        self.request_within(request, MINT_TIMEOUT, |event| match event {
            GatewayEvent::PaidRoomCreated { mints } => Some(mints.clone()),
            _ => None,
        })
        .await
    }

    /// Joins the paid room that the key NFT `mint` (held by the signed-in wallet) opens.
    pub async fn join_paid_room(&mut self, mint: &str) -> Result<Joined, ClientError> {
        self.request(
            json!({"type": "room_join_paid", "mint": mint}),
            |event| match event {
                GatewayEvent::Joined(joined) => Some(joined.clone()),
                _ => None,
            },
        )
        .await
    }

    /// Creates a free room and joins it.
    pub async fn create_room(&mut self) -> Result<Joined, ClientError> {
        self.request(json!({"type": "room_create"}), |event| match event {
            GatewayEvent::Joined(joined) => Some(joined.clone()),
            _ => None,
        })
        .await
    }

    /// Joins a free room by code.
    pub async fn join_room(&mut self, code: &str) -> Result<Joined, ClientError> {
        self.request(
            json!({"type": "room_join", "code": code}),
            |event| match event {
                GatewayEvent::Joined(joined) => Some(joined.clone()),
                _ => None,
            },
        )
        .await
    }

    /// Leaves a room.
    pub async fn leave_room(&mut self, room: u32) -> Result<(), ClientError> {
        self.request(
            json!({"type": "room_leave", "room": room}),
            |event| match event {
                GatewayEvent::Left { room: left } if *left == room => Some(()),
                _ => None,
            },
        )
        .await
    }

    /// Sends an opaque payload to the other members of `room`.
    pub async fn send_frame(&mut self, room: u32, payload: &[u8]) -> Result<(), ClientError> {
        let mut frame = Vec::with_capacity(5 + payload.len());
        frame.push(PROTOCOL_VERSION);
        frame.extend_from_slice(&room.to_be_bytes());
        frame.extend_from_slice(payload);
        self.ws.send(Message::binary(frame)).await?;
        Ok(())
    }

    /// The next event: first any kept while waiting for replies, then from the socket.
    pub async fn next_event(&mut self) -> Result<GatewayEvent, ClientError> {
        if let Some(event) = self.backlog.pop_front() {
            return Ok(event);
        }
        loop {
            if let Raw::Event(event) = self.read_raw().await? {
                return Ok(event);
            }
        }
    }

    /// Closes the connection politely.
    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    async fn read_raw(&mut self) -> Result<Raw, ClientError> {
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
                    let control: Control = serde_json::from_str(&text)
                        .map_err(|e| ClientError::Protocol(format!("{e}: {text}")))?;
                    return Ok(match control.into_event() {
                        Ok(event) => Raw::Event(event),
                        Err(version) => Raw::Welcome(version),
                    });
                }
                Message::Binary(bytes) => return parse_frame(&bytes).map(Raw::Event),
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

enum Raw {
    Welcome(u8),
    Event(GatewayEvent),
}
