//! Ending a connection: the closing handshake of RFC 6455 §7.1, bounded in time.
//!
//! The server closes TCP first (§7.1.1), by dropping the socket once the handshake is done,
//! so clients never sit waiting for the server to hang up.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::AsyncReadExt;
use tokio_tungstenite::tungstenite::Message;

use super::flow::{Flow, Socket};

/// How long the client may stay silent while its leftover bytes are discarded.
const DRAIN_QUIET: Duration = Duration::from_millis(100);

/// Completes the closing handshake `flow` asks for. Every step is bounded by
/// `write_timeout`: a client that stops reading or never answers is simply dropped.
pub(super) async fn finish(socket: &mut Socket, flow: Flow, write_timeout: Duration) {
    match flow {
        Flow::Continue | Flow::Close(None) => {}
        // The client sent Close: flushing sends tungstenite's queued echo.
        Flow::AnswerClose => {
            let _ = tokio::time::timeout(write_timeout, SinkExt::close(socket)).await;
        }
        Flow::Close(Some(frame)) => {
            let sent = tokio::time::timeout(write_timeout, socket.close(Some(frame))).await;
            if matches!(sent, Ok(Ok(()))) {
                await_close_reply(socket, write_timeout).await;
            }
        }
    }
}

/// Waits for the client's answering Close (§7.1.1). Closing a socket whose receive queue
/// still holds data makes the kernel send a reset, which can destroy the Close frame just
/// sent before the client reads it: so after a protocol error, when tungstenite has stopped
/// reading, the client's remaining bytes are read and discarded instead.
async fn await_close_reply(socket: &mut Socket, write_timeout: Duration) {
    let reply = async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(_))) => return true,
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return false,
            }
        }
    };
    // A client that stays connected without answering gets no more than the timeout.
    if let Ok(false) = tokio::time::timeout(write_timeout, reply).await {
        drain(socket, write_timeout).await;
    }
}

/// Reads and discards until the client hangs up, goes quiet for [`DRAIN_QUIET`], or
/// `limit` passes.
async fn drain(socket: &mut Socket, limit: Duration) {
    let deadline = tokio::time::Instant::now() + limit;
    let mut scratch = [0_u8; 1024];
    let stream = socket.get_mut();
    loop {
        let quiet_until = deadline.min(tokio::time::Instant::now() + DRAIN_QUIET);
        match tokio::time::timeout_at(quiet_until, stream.read(&mut scratch)).await {
            Ok(Ok(read)) if read > 0 => {}
            _ => return,
        }
    }
}
