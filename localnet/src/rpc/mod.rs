//! JSON-RPC 2.0 over the bank. Request and response shapes, and error codes, follow the
//! Solana RPC documentation; unsupported methods answer "method not found".

mod accounts;
mod history;
mod program_accounts;
mod transactions;

use serde_json::{json, Value};
use solana_commitment_config::CommitmentLevel;
use solana_program_test::BanksClient;
use solana_sdk::signature::Keypair;
use tokio::sync::Mutex;

use crate::events::ChainEvent;
use crate::ledger::Ledger;

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
#[derive(Debug)]
pub struct RpcError {
    /// The error code.
    pub code: i64,
    /// What went wrong.
    pub message: String,
    /// Extra detail (for example a transaction error and its logs).
    pub data: Option<Value>,
}

impl RpcError {
    /// An `INVALID_PARAMS` error.
    pub fn params(message: impl Into<String>) -> Self {
        Self {
            code: INVALID_PARAMS,
            message: message.into(),
            data: None,
        }
    }

    /// An `INTERNAL_ERROR` error.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        Self {
            code: INTERNAL_ERROR,
            message: error.to_string(),
            data: None,
        }
    }
}

/// What the RPC methods work on: the bank's client, and the faucet for airdrops.
pub struct Localnet {
    /// The bank.
    pub client: BanksClient,
    /// Funds airdrops.
    pub faucet: Keypair,
    /// Held while a request runs and while the slot ticker moves the bank forward: the
    /// bank must not change slot under a transaction it is processing. Requests are thus
    /// served one at a time, which also keeps airdrops from racing on the faucet.
    pub bank_gate: std::sync::Arc<Mutex<()>>,
    /// Transactions processed and accounts touched, which the bank does not index.
    pub ledger: std::sync::Mutex<Ledger>,
    /// Announces processed transactions and new slots to PubSub subscribers.
    pub events: tokio::sync::broadcast::Sender<ChainEvent>,
    /// Requests served, by method: how benchmarks count the RPC cost of an operation.
    pub request_counts: std::sync::Mutex<std::collections::BTreeMap<String, u64>>,
}

impl std::fmt::Debug for Localnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Localnet").finish_non_exhaustive()
    }
}

/// The solana-core version this localnet's bank runs.
pub const CORE_VERSION: &str = "3.1.12";

impl Localnet {
    /// Answers one JSON-RPC request body (a single request; batches are refused).
    pub async fn handle(&self, body: &[u8]) -> Value {
        let request: Value = match serde_json::from_slice(body) {
            Ok(request) => request,
            Err(_) => return error_response(Value::Null, PARSE_ERROR, "Parse error"),
        };
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        let (Some("2.0"), Some(method)) = (
            request.get("jsonrpc").and_then(Value::as_str),
            request.get("method").and_then(Value::as_str),
        ) else {
            return error_response(id, INVALID_REQUEST, "Invalid request");
        };
        // Clients send `null` or leave `params` out for methods without parameters.
        let params = match request.get("params").cloned() {
            None | Some(Value::Null) => Value::Array(Vec::new()),
            Some(params) => params,
        };
        let Value::Array(params) = params else {
            return error_response(id, INVALID_PARAMS, "params must be an array");
        };
        *self
            .request_counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(method.to_owned())
            .or_default() += 1;
        let gate = self.bank_gate.clone();
        let _bank = gate.lock().await;
        match self.call(method, &params).await {
            Ok(result) => json!({"jsonrpc": "2.0", "result": result, "id": id}),
            Err(error) => {
                let mut response = error_response(id, error.code, &error.message);
                if let Some(data) = error.data {
                    response["error"]["data"] = data;
                }
                response
            }
        }
    }

    async fn call(&self, method: &str, params: &[Value]) -> Result<Value, RpcError> {
        match method {
            "getHealth" => Ok(json!("ok")),
            "getVersion" => Ok(json!({"solana-core": CORE_VERSION, "feature-set": 0})),
            "getSlot" => Ok(json!(self.slot().await?)),
            "getBlockHeight" => Ok(json!(self
                .client
                .get_root_block_height()
                .await
                .map_err(RpcError::internal)?)),
            "getLatestBlockhash" => self.latest_blockhash().await,
            "isBlockhashValid" => self.is_blockhash_valid(params).await,
            "getMinimumBalanceForRentExemption" => self.rent_exemption(params).await,
            "getFeeForMessage" => self.fee_for_message(params).await,
            "getBalance" => self.balance(params).await,
            "getAccountInfo" => self.account_info(params).await,
            "getMultipleAccounts" => self.multiple_accounts(params).await,
            "getTokenAccountsByOwner" => self.token_accounts_by_owner(params).await,
            "getProgramAccounts" => self.program_accounts(params).await,
            "getTransaction" => self.get_transaction(params).await,
            "sendTransaction" => self.send_transaction(params).await,
            "simulateTransaction" => self.simulate_transaction(params).await,
            "getSignatureStatuses" => self.signature_statuses(params).await,
            "requestAirdrop" => self.request_airdrop(params).await,
            _ => Err(RpcError {
                code: METHOD_NOT_FOUND,
                message: "Method not found".into(),
                data: None,
            }),
        }
    }

    /// The ledger, for reading. A poisoned lock only means a panic elsewhere mid-insert; the
    /// maps stay usable.
    pub fn ledger(&self) -> std::sync::MutexGuard<'_, Ledger> {
        self.ledger
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The current slot.
    pub async fn slot(&self) -> Result<u64, RpcError> {
        let clock: solana_sdk::clock::Clock =
            self.client.get_sysvar().await.map_err(RpcError::internal)?;
        Ok(clock.slot)
    }

    /// `{"context": {"slot": …}, "value": value}`.
    pub async fn with_context(&self, value: Value) -> Result<Value, RpcError> {
        Ok(
            json!({"context": {"slot": self.slot().await?, "apiVersion": CORE_VERSION}, "value": value}),
        )
    }

    async fn latest_blockhash(&self) -> Result<Value, RpcError> {
        let (blockhash, last_valid) = self
            .client
            .get_latest_blockhash_with_commitment(CommitmentLevel::Processed)
            .await
            .map_err(RpcError::internal)?
            .ok_or_else(|| RpcError::internal("no blockhash"))?;
        self.with_context(json!({
            "blockhash": blockhash.to_string(),
            "lastValidBlockHeight": last_valid,
        }))
        .await
    }

    async fn is_blockhash_valid(&self, params: &[Value]) -> Result<Value, RpcError> {
        let hash: solana_sdk::hash::Hash = string_param(params, 0)?
            .parse()
            .map_err(|_| RpcError::params("invalid blockhash"))?;
        // The bank accepts a transaction with this blockhash exactly when it is still in
        // its recent-blockhash queue; a fee quote for an empty message probes that.
        let payer = solana_sdk::pubkey::Pubkey::new_unique();
        let message = solana_sdk::message::Message::new_with_blockhash(&[], Some(&payer), &hash);
        let fee = self
            .client
            .get_fee_for_message(message)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(json!(fee.is_some())).await
    }

    async fn rent_exemption(&self, params: &[Value]) -> Result<Value, RpcError> {
        let len = params
            .first()
            .and_then(Value::as_u64)
            .ok_or_else(|| RpcError::params("expected a data length"))?;
        let rent = self.client.get_rent().await.map_err(RpcError::internal)?;
        Ok(json!(rent.minimum_balance(len as usize)))
    }

    async fn fee_for_message(&self, params: &[Value]) -> Result<Value, RpcError> {
        let bytes = base64_param(params, 0)?;
        let message: solana_sdk::message::VersionedMessage =
            bincode::deserialize(&bytes).map_err(|_| RpcError::params("invalid message"))?;
        let solana_sdk::message::VersionedMessage::Legacy(message) = message else {
            return Err(RpcError::params("only legacy messages are supported"));
        };
        let fee = self
            .client
            .get_fee_for_message(message)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(json!(fee)).await
    }
}

fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "error": {"code": code, "message": message}, "id": id})
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
