//! Reading one JSON-RPC request without the bank: the envelope, and the parameter shapes
//! several methods share (public keys, signatures, base58 and base64 bytes, account
//! encodings, transactions). Every reader answers a malformed value with an
//! [`RpcError`] of code `INVALID_PARAMS` (or the envelope's own codes), never a panic.

use serde_json::Value;
use solana_account_decoder_client_types::{UiAccountEncoding, UiDataSliceConfig};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signature;
use solana_sdk::transaction::VersionedTransaction;

use super::request::Method;
use super::{RpcError, INVALID_PARAMS, INVALID_REQUEST, PARSE_ERROR};

/// A request's envelope: its id, its method (`None` for a method this localnet does not
/// serve) and its parameters, before they are read.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The id to answer with.
    pub id: Value,
    /// The method asked for, if this localnet serves it.
    pub method: Option<Method>,
    /// The positional parameters (`[]` when absent or `null`).
    pub params: Vec<Value>,
}

/// Reads a JSON-RPC 2.0 request (a single one; batches are refused). A refusal carries the
/// id to answer with (`null` when there is none to read).
pub fn read_envelope(body: &[u8]) -> Result<Envelope, (Value, RpcError)> {
    let request: Value = serde_json::from_slice(body)
        .map_err(|_| (Value::Null, RpcError::new(PARSE_ERROR, "Parse error")))?;
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let (Some("2.0"), Some(method)) = (
        request.get("jsonrpc").and_then(Value::as_str),
        request.get("method").and_then(Value::as_str),
    ) else {
        return Err((id, RpcError::new(INVALID_REQUEST, "Invalid request")));
    };
    // Clients send `null` or leave `params` out for methods without parameters.
    let params = match request.get("params") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(params)) => params.clone(),
        Some(_) => return Err((id, RpcError::new(INVALID_PARAMS, "params must be an array"))),
    };
    Ok(Envelope {
        method: Method::from_name(method),
        id,
        params,
    })
}

/// The string parameter at `index`.
pub fn string_param(params: &[Value], index: usize) -> Result<&str, RpcError> {
    params
        .get(index)
        .and_then(Value::as_str)
        .ok_or_else(|| RpcError::params(format!("parameter {index} must be a string")))
}

/// The base64 parameter at `index`, decoded.
pub fn base64_param(params: &[Value], index: usize) -> Result<Vec<u8>, RpcError> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(string_param(params, index)?)
        .map_err(|_| RpcError::params(format!("parameter {index} must be base64")))
}

/// A base58 public key.
pub fn pubkey(text: &str) -> Result<Pubkey, RpcError> {
    text.parse()
        .map_err(|_| RpcError::params(format!("invalid public key: {text}")))
}

/// A base58 signature.
pub fn signature(text: &str) -> Result<Signature, RpcError> {
    text.parse()
        .map_err(|_| RpcError::params(format!("invalid signature: {text}")))
}

/// How the client asked for account data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountEncoding {
    /// base58 ("binary"), base64, base64+zstd or jsonParsed.
    pub encoding: UiAccountEncoding,
    /// The part of the data asked for, if not all of it.
    pub slice: Option<UiDataSliceConfig>,
}

impl AccountEncoding {
    /// Reads `encoding` and `dataSlice` from a config object; the default is the legacy
    /// base58 ("binary"), as on a validator.
    pub fn from_config(config: Option<&Value>) -> Result<Self, RpcError> {
        let encoding = match config
            .and_then(|c| c.get("encoding"))
            .and_then(Value::as_str)
        {
            None | Some("binary") => UiAccountEncoding::Binary,
            Some("base58") => UiAccountEncoding::Base58,
            Some("base64") => UiAccountEncoding::Base64,
            Some("base64+zstd") => UiAccountEncoding::Base64Zstd,
            Some("jsonParsed") => UiAccountEncoding::JsonParsed,
            Some(other) => {
                return Err(RpcError::params(format!(
                    "unknown encoding {other}; use base58, base64, base64+zstd or jsonParsed"
                )))
            }
        };
        let slice = match config.and_then(|c| c.get("dataSlice")) {
            None | Some(Value::Null) => None,
            Some(slice) => Some(
                serde_json::from_value(slice.clone())
                    .map_err(|_| RpcError::params("dataSlice needs offset and length"))?,
            ),
        };
        Ok(Self { encoding, slice })
    }
}

/// The transaction in parameter 0, in the encoding parameter 1 names (base58 by default).
pub fn transaction(params: &[Value]) -> Result<VersionedTransaction, RpcError> {
    let encoding = params
        .get(1)
        .and_then(|c| c.get("encoding"))
        .and_then(Value::as_str)
        .unwrap_or("base58");
    let bytes = match encoding {
        "base64" => base64_param(params, 0)?,
        "base58" => bs58::decode(string_param(params, 0)?)
            .into_vec()
            .map_err(|_| RpcError::params("transaction is not base58"))?,
        other => return Err(RpcError::params(format!("unsupported encoding {other}"))),
    };
    bincode::deserialize(&bytes).map_err(|_| RpcError::params("failed to deserialize transaction"))
}
