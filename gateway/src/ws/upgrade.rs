//! The WebSocket upgrade.
//!
//! actix-http hands every `Upgrade: websocket` request to this service together with the
//! connection itself, and steps aside. The gateway checks the request, answers the
//! handshake, and runs the socket on tokio-tungstenite with small buffers. Under actix-ws
//! the HTTP dispatcher stayed in the path for the socket's whole life, holding an 8 KiB
//! read buffer and an 8 KiB write buffer (fixed sizes in actix-http) on every idle
//! connection (the README's Benchmarks section has the before and after).

use std::sync::Arc;

use actix_codec::{Framed, FramedParts};
use actix_http::body::{BodySize, BoxBody};
use actix_http::h1::{self, Message};
use actix_http::header::{self, HeaderValue, FORWARDED, X_FORWARDED_FOR};
use actix_http::{ConnectionType, HttpMessage, Request, Response, StatusCode};
use actix_web::HttpResponse;
use bytes::Bytes;
use futures_util::{FutureExt, SinkExt};
use tokio::net::TcpStream;
use tokio::runtime::Handle;
use tokio::sync::OwnedSemaphorePermit;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::WebSocketStream;

use super::connection::Connection;
use super::flow::Socket;
use super::lazy_read::LazyReadStream;
use crate::http::error_body;
use crate::state::Gateway;

/// The one path that takes WebSocket upgrades.
pub const WS_PATH: &str = "/v1/ws";

/// How much tungstenite asks for at a time, and about what an idle connection keeps in
/// tungstenite's own read buffer. Its reads are served from memory by [`LazyReadStream`],
/// which takes up to `lazy_read::READ_SIZE` bytes from the kernel per system call and
/// frees them once taken, so this is a copy size, not a system call size. At 10,000 idle
/// connections 128 kept about 0.2 KiB a connection less than 256 (`bench/PROFILE.md`).
const TUNGSTENITE_READ: usize = 128;

/// Bytes of queued frames tungstenite gathers before writing them in one system call;
/// anything less is written at the end of the batch (see `Connection::write_queued`). Room
/// for a whole batch of chat frames (`WRITE_BATCH` of about 1 KiB), so a batch is one
/// `sendto`: at 8 KiB, batches of more than 8 frames took two, and at half load the gateway
/// made 28% more `sendto` calls than the raw-TCP relay, spent 11% more CPU, and its p99
/// latency was about twice as high (README, Benchmarks). A connection's write buffer keeps
/// the size of the largest batch it wrote, up to about this size: a connection that has
/// received a burst holds up to 32 KiB; an idle one, only what its few control messages
/// took.
const WRITE_CHUNK: usize = 32 * 1024;

/// A connection that has not completed the upgrade yet.
pub type HttpConnection = Framed<TcpStream, h1::Codec>;

/// Checks an upgrade request, answers it, and runs the socket until it closes.
///
/// Refusals are HTTP responses with a JSON body: 404 for any path but [`WS_PATH`], 403 for
/// a browser origin not on the allow-list, 503 past the connection limit, 400 for a
/// malformed handshake.
pub async fn upgrade(
    gateway: Arc<Gateway>,
    sockets: Handle,
    req: Request,
    http: HttpConnection,
) -> Result<(), actix_web::Error> {
    let peer_ip = req.peer_addr().map(|addr| {
        let headers = req.headers();
        let values = |name| {
            headers
                .get_all(name)
                .filter_map(|value: &HeaderValue| value.to_str().ok())
        };
        gateway.client_ip(addr.ip(), values(FORWARDED), values(X_FORWARDED_FOR))
    });
    // The request and the HTTP connection are consumed by `accept`: an idle socket keeps
    // nothing of its handshake.
    let Some((socket, permit)) = accept(&gateway, &sockets, req, http).await? else {
        return Ok(());
    };
    // The socket runs as a task of its own on the sockets' runtime (`sockets.rs` says
    // why), and the HTTP dispatcher's task ends here. Awaited inside it instead, each idle
    // socket kept that task too: actix-server's connection future around the dispatcher,
    // about 1.1 KiB. The task is `run`'s future itself: an `async` block around it would
    // keep a second, dead copy of what it moves into it (the socket, the permit).
    sockets.spawn(Connection::new(gateway, socket, peer_ip, permit).run());
    Ok(())
}

/// Answers the handshake: the socket and its connection-limit permit, or `None` once a
/// refusal has been sent.
async fn accept(
    gateway: &Gateway,
    sockets: &Handle,
    req: Request,
    mut http: HttpConnection,
) -> Result<Option<(Socket, OwnedSemaphorePermit)>, actix_web::Error> {
    if req.path() != WS_PATH {
        refuse(
            &mut http,
            StatusCode::NOT_FOUND,
            "not_found",
            "no such endpoint",
        )
        .await?;
        return Ok(None);
    }
    if !origin_allowed(gateway, &req) {
        refuse(
            &mut http,
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "this browser origin may not connect; the operator can allow it with --allowed-origin",
        )
        .await?;
        return Ok(None);
    }
    let Ok(permit) = gateway.connections.clone().try_acquire_owned() else {
        refuse(
            &mut http,
            StatusCode::SERVICE_UNAVAILABLE,
            "too_many_connections",
            "the gateway is at its connection limit; retry later",
        )
        .await?;
        return Ok(None);
    };
    let accept = match actix_http::ws::handshake(req.head()) {
        Ok(mut accept) => accept.finish().drop_body(),
        Err(error) => {
            let status = Response::<BoxBody>::from(&error).status();
            let message = error.to_string();
            refuse(&mut http, status, "bad_handshake", &message).await?;
            return Ok(None);
        }
    };
    http.send(Message::Item((accept, BodySize::None))).await?;

    // Anything the client sent after its request head already belongs to the socket.
    let FramedParts { io, read_buf, .. } = http.into_parts();
    let early_frames = read_buf.to_vec();
    let frame_limit = gateway
        .config
        .max_frame_bytes
        .max(gateway.config.max_control_bytes);
    let config = WebSocketConfig::default()
        .read_buffer_size(TUNGSTENITE_READ)
        .write_buffer_size(WRITE_CHUNK)
        .max_frame_size(Some(frame_limit))
        .max_message_size(Some(frame_limit));
    // The socket leaves this worker's I/O driver for the sockets' runtime's.
    let io = {
        let io = io.into_std()?;
        let _sockets = sockets.enter();
        TcpStream::from_std(io)?
    };
    // Completes at once: with the handshake answered already, this only sets the socket up.
    let socket = WebSocketStream::from_partially_read(
        LazyReadStream::new(io),
        early_frames,
        Role::Server,
        Some(config),
    )
    .now_or_never()
    .ok_or_else(|| std::io::Error::other("the WebSocket could not be set up"))?;
    Ok(Some((socket, permit)))
}

fn origin_allowed(gateway: &Gateway, req: &Request) -> bool {
    // Native clients send no Origin; browsers always do.
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return true;
    };
    origin
        .to_str()
        .is_ok_and(|origin| gateway.config.allowed_origins.iter().any(|o| o == origin))
}

/// Answers an upgrade request with an error and closes the connection.
async fn refuse(
    http: &mut HttpConnection,
    status: StatusCode,
    error: &str,
    message: &str,
) -> Result<(), actix_web::Error> {
    let body = Bytes::from(error_body(error, message).to_string());
    let mut response = Response::with_body(status, ());
    response
        .head_mut()
        .set_connection_type(ConnectionType::Close);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Head and body leave in one write: clients that read the head (tungstenite among
    // them) often read no further than the first segment.
    let length = BodySize::Sized(body.len() as u64);
    http.feed(Message::Item((response, length))).await?;
    http.feed(Message::Chunk(Some(body))).await?;
    http.send(Message::Chunk(None)).await?;
    Ok(())
}

/// `GET /v1/ws` without the upgrade headers: a plain HTTP request can't become a socket.
pub async fn upgrade_required() -> HttpResponse {
    crate::http::refuse(
        StatusCode::BAD_REQUEST,
        "websocket_upgrade_required",
        "this endpoint speaks WebSocket: send Connection: Upgrade and Upgrade: websocket",
    )
}
