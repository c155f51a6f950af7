//! What the socket loop does next, shared by the loop and the closing handshake.

use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::WebSocketStream;

use super::lazy_read::LazyReadStream;

/// An upgraded client connection.
pub(super) type Socket = WebSocketStream<LazyReadStream>;

/// What the loop does after handling one event.
pub(super) enum Flow {
    /// Keep going.
    Continue,
    /// Close with this frame (or just drop the socket if `None`).
    Close(Option<CloseFrame>),
    /// The client sent Close. tungstenite has queued the echo; sending it completes the
    /// handshake.
    AnswerClose,
}

/// Close with `code` and `reason`.
pub(super) fn close(code: CloseCode, reason: &'static str) -> Flow {
    Flow::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}
