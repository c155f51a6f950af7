//! The transport of one socket: a single `select!` over the client's frames, the outbound
//! queue, the heartbeat, a slow-reader kick and shutdown. It owns the
//! socket, the queue and the timers; what a message means is `commands`' business, and the
//! protocol state is the [`Session`]'s.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anoghost_protocol::{ErrorCode, ServerMessage};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::OwnedSemaphorePermit;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as SocketError, Message};

use super::flow::{close, Flow, Socket};
use crate::commands::{self, Reply};
use crate::limits::TokenBucket;
use crate::rooms::{Kick, MemberHandle, Next, Outbound, Outbox};
use crate::session::Session;
use crate::state::Gateway;

/// Most queued items one flush carries; bounds the time the loop spends writing before it
/// looks at the client's frames again.
const WRITE_BATCH: usize = 32;

/// One WebSocket connection: its socket, queue and timers, and its protocol session.
pub(super) struct Connection {
    gateway: Arc<Gateway>,
    socket: Socket,
    session: Session,
    outbox: Arc<Outbox>,
    bucket: TokenBucket,
    rate_error_sent: Option<Instant>,
    last_seen: Instant,
    last_activity: Instant,
    /// The connection's place under `--max-connections`, given back when it is dropped.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    pub(super) fn new(
        gateway: Arc<Gateway>,
        socket: Socket,
        peer_ip: Option<IpAddr>,
        permit: OwnedSemaphorePermit,
    ) -> Self {
        let (handle, outbox) = MemberHandle::new(gateway.config.outbound_queue as usize);
        let now = Instant::now();
        let bucket = TokenBucket::new(gateway.config.messages_per_second, now);
        Self {
            session: Session::new(gateway.clone(), peer_ip, handle),
            gateway,
            socket,
            outbox,
            bucket,
            rate_error_sent: None,
            last_seen: now,
            last_activity: now,
            _permit: permit,
        }
    }

    /// Runs the connection until it closes, then leaves every room.
    pub(super) async fn run(mut self) {
        let config = &self.gateway.config;
        let mut heartbeat =
            tokio::time::interval(Duration::from_secs(config.heartbeat_secs.max(1)));
        heartbeat.tick().await;
        // Boxed, and dropped once the client has said `hello`: an idle connection keeps no
        // timer for a handshake it has done.
        let mut handshake = Some(Box::pin(tokio::time::sleep(Duration::from_secs(
            config.handshake_timeout_secs,
        ))));
        let mut shutdown = self.gateway.shutdown.clone();
        let outbox = self.outbox.clone();
        tracing::debug!("connection opened");

        let flow = loop {
            let flow = tokio::select! {
                biased;
                _ = shutdown.changed() => close(CloseCode::Away, "gateway shutting down"),
                () = async { handshake.as_mut().expect("checked").await }, if handshake.is_some() => {
                    close(CloseCode::Policy, "handshake timeout: send hello first")
                }
                message = self.socket.next() => match message {
                    Some(Ok(Message::Binary(frame))) => self.on_frame(frame).await,
                    Some(Ok(message)) => Box::pin(self.on_message(message)).await,
                    Some(Err(error)) => on_socket_error(&error),
                    None => Flow::Close(None),
                },
                // A kick, else queued frames: one future for both (see `Outbox::next`).
                next = outbox.next() => match next {
                    Next::Kick(kick) => on_kick(kick),
                    // Boxed: its future (a write timeout around a batch of sends) would
                    // otherwise be reserved in every connection's task; under load it is
                    // one small allocation per batch, beside the batch's system call.
                    Next::Item(item) => Box::pin(self.write_queued(item)).await,
                },
                _ = heartbeat.tick() => Box::pin(self.on_heartbeat()).await,
            };
            if !matches!(flow, Flow::Continue) {
                break flow;
            }
            if handshake.is_some() && self.session.said_hello() {
                handshake = None;
            }
        };
        self.outbox.close();
        self.session.leave_all();
        let write_timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
        // Boxed: the closing handshake's future (nested timeouts, a drain buffer) is about
        // 1.1 KiB, and unboxed every connection's task would reserve it for its whole life.
        Box::pin(super::closing::finish(
            &mut self.socket,
            flow,
            write_timeout,
        ))
        .await;
        tracing::debug!("connection closed");
    }

    /// A relay frame: the hot path, kept small and unboxed.
    async fn on_frame(&mut self, frame: Bytes) -> Flow {
        self.last_seen = Instant::now();
        if frame.len() > self.gateway.config.max_frame_bytes {
            return close(CloseCode::Size, "frame too large");
        }
        if !self.take_token().await {
            return Flow::Continue;
        }
        self.last_activity = Instant::now();
        match commands::relay(&self.session, frame) {
            None => Flow::Continue,
            Some(reply) => Box::pin(self.reply(reply)).await,
        }
    }

    /// Control messages and the rest, boxed by the caller: a control message's future
    /// (dispatch, replies) is several times a relay frame's, and an idle connection's task
    /// would otherwise reserve it for its whole life.
    async fn on_message(&mut self, message: Message) -> Flow {
        self.last_seen = Instant::now();
        match message {
            Message::Text(text) => {
                if text.len() > self.gateway.config.max_control_bytes {
                    return close(CloseCode::Size, "control message too large");
                }
                if !self.take_token().await {
                    return Flow::Continue;
                }
                self.last_activity = Instant::now();
                match commands::dispatch(&mut self.session, &text).await {
                    Reply::Now(message) => self.reply(message).await,
                    Reply::Later => Flow::Continue,
                }
            }
            Message::Binary(frame) => self.on_frame(frame).await,
            // tungstenite queues the Pong itself; it goes out with the next read or write.
            Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => Flow::Continue,
            // RFC 6455 §5.5.1: a Close is answered with a Close (tungstenite echoes the
            // client's code), or the client waits until the server drops the connection.
            Message::Close(_) => Flow::AnswerClose,
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
            // Boxed like every rare path: the relay hot path awaits this function.
            let _ = Box::pin(self.reply(ServerMessage::error(ErrorCode::RateLimited))).await;
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
        self.send(Message::Ping(Bytes::new())).await
    }

    /// Sends a control message straight to this client.
    async fn reply(&mut self, message: ServerMessage) -> Flow {
        self.write(Outbound::Text(commands::encode(&message).into()))
            .await
    }

    async fn write(&mut self, item: Outbound) -> Flow {
        self.send(message(item)).await
    }

    /// Writes `first` and whatever else is already queued, up to [`WRITE_BATCH`] items, then
    /// flushes once: under load one system call carries several frames. Stalling past the
    /// write timeout drops the connection, as in [`Self::send`].
    ///
    /// It first yields once. Tokio runs a yielded task after the tasks already woken and the
    /// next poll for I/O, so frames that other members are relaying right now join this
    /// write instead of each costing a system call and a loopback packet of its own. Idle,
    /// that is one extra turn of the scheduler; under load it cut the gateway's CPU by a
    /// fifth and its median latency with it (README, Benchmarks).
    async fn write_queued(&mut self, first: Outbound) -> Flow {
        let timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
        tokio::task::yield_now().await;
        let (socket, outbox) = (&mut self.socket, &self.outbox);
        let batch = async {
            socket.feed(message(first)).await?;
            for _ in 1..WRITE_BATCH {
                let Some(item) = outbox.try_recv() else {
                    break;
                };
                socket.feed(message(item)).await?;
            }
            socket.flush().await
        };
        match tokio::time::timeout(timeout, batch).await {
            Ok(Ok(())) => Flow::Continue,
            _ => Flow::Close(None),
        }
    }

    /// Writes one message to the socket. A write that stalls past the write timeout means
    /// the client stopped reading: the connection is dropped rather than held open.
    async fn send(&mut self, message: Message) -> Flow {
        let timeout = Duration::from_secs(self.gateway.config.write_timeout_secs);
        match tokio::time::timeout(timeout, self.socket.send(message)).await {
            Ok(Ok(())) => Flow::Continue,
            _ => Flow::Close(None),
        }
    }
}

fn message(item: Outbound) -> Message {
    match item {
        Outbound::Binary(frame) => Message::Binary(frame),
        Outbound::Text(text) => Message::Text(text),
    }
}

fn on_kick(kick: Kick) -> Flow {
    match kick {
        Kick::SlowReader => close(CloseCode::Policy, "slow reader: outbound queue full"),
        // 1012, "service restart": the room can be joined again once the cluster is whole.
        Kick::ClusterUnavailable => close(
            CloseCode::Restart,
            "cluster_unavailable: a room lost its gateways' coordination; join again",
        ),
    }
}

fn on_socket_error(error: &SocketError) -> Flow {
    match error {
        SocketError::Capacity(_) => close(CloseCode::Size, "frame too large"),
        SocketError::Utf8(_) => close(CloseCode::Invalid, "text frame is not UTF-8"),
        SocketError::Protocol(_) => close(CloseCode::Protocol, "WebSocket protocol error"),
        // The transport is gone or broken: there is nobody to send a Close to.
        _ => Flow::Close(None),
    }
}
