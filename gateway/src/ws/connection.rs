//! One task per socket: a single `select!` over the client's frames, the outbound queue,
//! the heartbeat, ghost rotations, a slow-reader kick and shutdown.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};

use crate::limits::{JoinWindow, TokenBucket};
use crate::protocol::{ErrorCode, ServerMessage};
use crate::rooms::{MemberHandle, MemberNumber, Outbound, Outbox, Room, RoomKey};
use crate::secret::WalletAddress;
use crate::state::Gateway;

/// What the loop does after handling one event.
pub(super) enum Flow {
    /// Keep going.
    Continue,
    /// Close with this reason (or just drop the socket if `None`).
    Close(Option<CloseReason>),
    /// The client sent Close: answer with this one, and the handshake is complete.
    AnswerClose(CloseReason),
}

/// A room this connection is in.
pub(super) struct Membership {
    pub key: RoomKey,
    pub room: Arc<Room>,
    pub member: MemberNumber,
}

/// The state of one WebSocket connection.
pub(super) struct Connection {
    pub gateway: Arc<Gateway>,
    session: Session,
    pub peer_ip: Option<IpAddr>,
    pub said_hello: bool,
    pub wallet: Option<WalletAddress>,
    pub memberships: HashMap<u32, Membership>,
    pub handle: MemberHandle,
    outbox: Arc<Outbox>,
    pub join_window: JoinWindow,
    bucket: TokenBucket,
    rate_error_sent: Option<Instant>,
    last_seen: Instant,
    last_activity: Instant,
}

fn close(code: CloseCode, description: &str) -> Flow {
    Flow::Close(Some(CloseReason {
        code,
        description: Some(description.to_owned()),
    }))
}

impl Connection {
    pub fn new(gateway: Arc<Gateway>, session: Session, peer_ip: Option<IpAddr>) -> Self {
        let (handle, outbox) = MemberHandle::new(gateway.config.outbound_queue as usize);
        let now = Instant::now();
        let bucket = TokenBucket::new(gateway.config.messages_per_second, now);
        Self {
            gateway,
            session,
            peer_ip,
            said_hello: false,
            wallet: None,
            memberships: HashMap::new(),
            handle,
            outbox,
            join_window: JoinWindow::default(),
            bucket,
            rate_error_sent: None,
            last_seen: now,
            last_activity: now,
        }
    }

    /// Runs the connection until it closes, then leaves every room.
    pub async fn run(mut self, mut stream: AggregatedMessageStream) {
        let config = &self.gateway.config;
        let mut heartbeat =
            tokio::time::interval(Duration::from_secs(config.heartbeat_secs.max(1)));
        heartbeat.tick().await;
        let handshake = tokio::time::sleep(Duration::from_secs(config.handshake_timeout_secs));
        tokio::pin!(handshake);
        let mut shutdown = self.gateway.shutdown.clone();
        let mut epoch = self.gateway.epoch.clone();
        let outbox = self.outbox.clone();
        tracing::debug!("connection opened");

        let flow = loop {
            let flow = tokio::select! {
                biased;
                () = outbox.kick().raised() => close(CloseCode::Policy, "slow reader: outbound queue full"),
                _ = shutdown.changed() => close(CloseCode::Away, "gateway shutting down"),
                () = &mut handshake, if !self.said_hello => {
                    close(CloseCode::Policy, "handshake timeout: send hello first")
                }
                message = stream.recv() => match message {
                    Some(Ok(message)) => self.on_message(message).await,
                    Some(Err(error)) => on_protocol_error(&error),
                    None => Flow::Close(None),
                },
                item = outbox.recv() => self.write(item).await,
                _ = heartbeat.tick() => self.on_heartbeat().await,
                Ok(()) = epoch.changed(), if self.wallet.is_some() => self.push_ghost().await,
            };
            match flow {
                Flow::Continue => {}
                Flow::Close(reason) => {
                    let sent_close = reason.is_some();
                    break (reason, sent_close);
                }
                Flow::AnswerClose(reason) => break (Some(reason), false),
            }
        };
        let (reason, await_reply) = flow;
        let write_timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
        // The session must outlive the wait: dropping it ends the response, and the socket
        // goes with it.
        let session = self.session.clone();
        self.finish(reason).await;
        if await_reply {
            // RFC 6455 §7.1.1: the side that sent Close waits for the peer's Close. The
            // socket is dropped right after (see `server.rs`); dropping it earlier would make
            // the client's reply meet a closed socket and reset the connection under it.
            // A client that never answers is given the stalled-write bound, no more.
            let reply = async {
                while let Some(Ok(message)) = stream.recv().await {
                    if matches!(message, AggregatedMessage::Close(_)) {
                        break;
                    }
                }
            };
            let _ = tokio::time::timeout(write_timeout, reply).await;
        }
        drop(session);
    }

    async fn on_message(&mut self, message: AggregatedMessage) -> Flow {
        self.last_seen = Instant::now();
        match message {
            AggregatedMessage::Text(text) => {
                if text.len() > self.gateway.config.max_control_bytes {
                    return close(CloseCode::Size, "control message too large");
                }
                if !self.take_token().await {
                    return Flow::Continue;
                }
                self.last_activity = Instant::now();
                self.on_control(&text).await
            }
            AggregatedMessage::Binary(frame) => {
                if frame.len() > self.gateway.config.max_frame_bytes {
                    return close(CloseCode::Size, "frame too large");
                }
                if !self.take_token().await {
                    return Flow::Continue;
                }
                self.last_activity = Instant::now();
                self.on_binary(&frame).await
            }
            AggregatedMessage::Ping(bytes) => self.send_pong(&bytes).await,
            AggregatedMessage::Pong(_) => Flow::Continue,
            // RFC 6455 §5.5.1: answer a Close with a Close (echoing its code), or the
            // client waits for the handshake until the server drops the connection.
            AggregatedMessage::Close(reason) => Flow::AnswerClose(CloseReason {
                code: reason.map_or(CloseCode::Normal, |r| r.code),
                description: None,
            }),
        }
    }

    /// Spends one message token; when empty, says so at most once a second and drops the
    /// message.
    async fn take_token(&mut self) -> bool {
        let now = Instant::now();
        if self.bucket.try_take(now) {
            return true;
        }
        let quiet = self
            .rate_error_sent
            .is_some_and(|at| now.duration_since(at) < Duration::from_secs(1));
        if !quiet {
            self.rate_error_sent = Some(now);
            let _ = self
                .reply(ServerMessage::error(ErrorCode::RateLimited))
                .await;
        }
        false
    }

    async fn on_heartbeat(&mut self) -> Flow {
        let config = &self.gateway.config;
        let now = Instant::now();
        if now.duration_since(self.last_seen) >= Duration::from_secs(config.client_timeout_secs) {
            return close(CloseCode::Away, "heartbeat timeout: no pong received");
        }
        if now.duration_since(self.last_activity) >= Duration::from_secs(config.idle_timeout_secs) {
            return close(CloseCode::Normal, "idle timeout");
        }
        let timeout = Duration::from_secs(config.write_timeout_secs);
        match tokio::time::timeout(timeout, self.session.ping(b"")).await {
            Ok(Ok(())) => Flow::Continue,
            _ => Flow::Close(None),
        }
    }

    async fn send_pong(&mut self, bytes: &[u8]) -> Flow {
        let timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
        match tokio::time::timeout(timeout, self.session.pong(bytes)).await {
            Ok(Ok(())) => Flow::Continue,
            _ => Flow::Close(None),
        }
    }

    async fn push_ghost(&mut self) -> Flow {
        let Some(wallet) = &self.wallet else {
            return Flow::Continue;
        };
        let ghost_id = self.gateway.issue_ghost(wallet);
        self.reply(ServerMessage::Ghost { ghost_id }).await
    }

    /// Sends a control message straight to this client.
    pub async fn reply(&mut self, message: ServerMessage) -> Flow {
        self.write(Outbound::Text(message.to_json().into())).await
    }

    /// Writes one item to the socket. A write that stalls past the write timeout means the
    /// client stopped reading: the connection is dropped rather than held open.
    async fn write(&mut self, item: Outbound) -> Flow {
        let timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
        let written = match item {
            Outbound::Binary(frame) => {
                tokio::time::timeout(timeout, self.session.binary(frame)).await
            }
            Outbound::Text(text) => tokio::time::timeout(timeout, self.session.text(text)).await,
        };
        match written {
            Ok(Ok(())) => Flow::Continue,
            _ => Flow::Close(None),
        }
    }

    /// Leaves every room and closes the socket.
    async fn finish(mut self, reason: Option<CloseReason>) {
        self.outbox.close();
        let memberships: Vec<Membership> = self.memberships.drain().map(|(_, m)| m).collect();
        for membership in memberships {
            self.leave(membership);
        }
        if let Some(reason) = reason {
            let timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
            let _ = tokio::time::timeout(timeout, self.session.close(Some(reason))).await;
        }
        tracing::debug!("connection closed");
    }

    /// Removes this connection from a room and tells the others.
    pub fn leave(&self, membership: Membership) {
        self.gateway
            .rooms
            .leave(membership.key, &membership.room, membership.member);
        let left = ServerMessage::MemberLeft {
            room: membership.room.reference(),
            member: membership.member,
        };
        membership
            .room
            .announce(membership.member, left.to_json().into());
    }
}

fn on_protocol_error(error: &actix_ws::ProtocolError) -> Flow {
    match error {
        actix_ws::ProtocolError::Overflow => close(CloseCode::Size, "frame too large"),
        _ => close(CloseCode::Protocol, "WebSocket protocol error"),
    }
}
