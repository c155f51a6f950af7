//! JSON-RPC 2.0 over the bank. Request and response shapes, and error codes, follow the
//! Solana RPC documentation; unsupported methods answer "method not found".
//!
//! A request is read whole before anything touches the bank: [`params`] reads the envelope
//! and the parameter shapes methods share, and [`request`] turns each method's parameters
//! into a typed [`Call`]. That half needs no bank and builds without the `bank` feature,
//! which is how the fuzz targets use it. The other half runs a [`Call`]: `localnet` (the
//! [`Localnet`] and the small methods), `accounts`, `program_accounts`, `transactions` and `history`.

pub mod params;
pub mod request;

#[cfg(feature = "bank")]
mod accounts;
#[cfg(feature = "bank")]
mod history;
#[cfg(feature = "bank")]
mod localnet;
#[cfg(feature = "bank")]
mod program_accounts;
#[cfg(feature = "bank")]
mod transactions;

use serde_json::Value;

#[cfg(feature = "bank")]
pub use localnet::{Localnet, CORE_VERSION, OTHER_METHODS};
pub use params::{read_envelope, AccountEncoding, Envelope};
pub use request::{Call, Method};

/// JSON-RPC: the request is not valid JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC: the JSON is not a valid request object.
pub const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC: no such method.
pub const METHOD_NOT_FOUND: i64 = -32601;
/// JSON-RPC: the parameters are wrong.
pub const INVALID_PARAMS: i64 = -32602;
/// JSON-RPC: the server failed.
pub const INTERNAL_ERROR: i64 = -32603;
/// Solana RPC: preflight (simulation) of a sent transaction failed.
pub const SEND_TRANSACTION_PREFLIGHT_FAILURE: i64 = -32002;

/// A JSON-RPC error to answer with.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    /// The error code.
    pub code: i64,
    /// What went wrong.
    pub message: String,
    /// Extra detail (for example a transaction error and its logs).
    pub data: Option<Value>,
}

impl RpcError {
    /// An error with `code` and `message` and no extra detail.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            data: None,
        }
    }

    /// An `INVALID_PARAMS` error.
    pub fn params(message: impl Into<String>) -> Self {
        Self::new(INVALID_PARAMS, message)
    }

    /// An `INTERNAL_ERROR` error.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self::new(INTERNAL_ERROR, error.to_string())
    }

    /// The JSON-RPC error response for request `id`.
    pub fn response(&self, id: Value) -> Value {
        let mut error = serde_json::json!({"code": self.code, "message": self.message});
        if let Some(data) = &self.data {
            error["data"] = data.clone();
        }
        serde_json::json!({"jsonrpc": "2.0", "error": error, "id": id})
    }
}
