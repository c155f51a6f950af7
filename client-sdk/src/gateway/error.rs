//! [`ClientError`]: why a gateway operation failed.

use anoghost_protocol::ErrorCode;
use tokio_tungstenite::tungstenite;

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
    /// Raised if a `wss://` gateway's TLS certificate is not one this client trusts.
    #[error(
        "the gateway at {url} presented a TLS certificate this client does not trust ({reason}); \
         for a self-hosted gateway, set ANOGHOST_CA_FILE to a PEM file of its CA"
    )]
    Certificate {
        /// The URL tried.
        url: String,
        /// What was wrong with the certificate.
        reason: String,
    },
    /// Raised if the file of extra CAs (`ANOGHOST_CA_FILE`) cannot be read or holds no valid
    /// PEM certificate.
    #[error("cannot use the CA file {path} (ANOGHOST_CA_FILE): {reason}")]
    CaFile {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// Raised if the gateway answered a request with an error, or refused a frame.
    #[error("the gateway refused: {message} ({})", code.wire_name())]
    Refused {
        /// The protocol error code.
        code: ErrorCode,
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
    /// Raised if a frame would be larger than the gateway accepts; nothing was sent.
    #[error(
        "a frame of {size} bytes is larger than the gateway's limit of {max}; nothing was sent"
    )]
    FrameTooLarge {
        /// The frame's size, header included.
        size: usize,
        /// The gateway's `max_frame_bytes`.
        max: usize,
    },
    /// Raised on a WebSocket transport error.
    #[error("WebSocket error: {0}")]
    WebSocket(#[from] Box<tungstenite::Error>),
    /// Raised if the gateway sent something this client does not understand.
    #[error("unexpected message from the gateway: {0}")]
    Protocol(String),
    /// Raised if the gateway's sign-in message is not one this client's wallet should sign
    /// (another site's, another wallet's, another cluster's, valid too long); nothing was
    /// signed.
    #[error("refusing to sign in: {0}")]
    SignInRefused(#[from] super::sign_in::SignInRefusal),
    /// Raised if the gateway's sign-in challenge could not be fetched.
    #[error("cannot fetch a sign-in challenge from {url}: {reason}")]
    Challenge {
        /// The challenge endpoint.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// Raised if an HTTP request to the gateway (other than the sign-in challenge) failed or
    /// was refused.
    #[error("the gateway at {url} refused or failed: {reason}")]
    Http {
        /// The endpoint.
        url: String,
        /// What went wrong, with the gateway's explanation.
        reason: String,
    },
    /// Raised if a reply did not arrive in time.
    #[error("timed out waiting for the gateway")]
    Timeout,
}

impl From<tungstenite::Error> for ClientError {
    fn from(error: tungstenite::Error) -> Self {
        Self::WebSocket(Box::new(error))
    }
}

impl ClientError {
    /// The gateway's error code, if the gateway refused.
    pub fn refusal(&self) -> Option<ErrorCode> {
        match self {
            Self::Refused { code, .. } => Some(*code),
            _ => None,
        }
    }
}
