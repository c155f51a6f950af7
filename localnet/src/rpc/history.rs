//! `getTransaction`, from the ledger of transactions this localnet processed.
//!
//! Token balances and inner instructions are reported empty: the bank does not expose them,
//! and no client this project supports reads them.

use base64::Engine as _;
use serde_json::{json, Value};
use solana_sdk::message::VersionedMessage;

use super::transactions::{parse_signature, status_field};
use super::{string_param, Localnet, RpcError};
use crate::ledger::StoredTransaction;

/// Solana RPC: the transaction's version is above what the client said it supports.
pub const UNSUPPORTED_TRANSACTION_VERSION: i64 = -32015;

fn message_json(message: &VersionedMessage) -> Value {
    let header = message.header();
    let instructions: Vec<Value> = message
        .instructions()
        .iter()
        .map(|ix| {
            json!({
                "programIdIndex": ix.program_id_index,
                "accounts": ix.accounts,
                "data": bs58::encode(&ix.data).into_string(),
                "stackHeight": Value::Null,
            })
        })
        .collect();
    let mut json = json!({
        "header": {
            "numRequiredSignatures": header.num_required_signatures,
            "numReadonlySignedAccounts": header.num_readonly_signed_accounts,
            "numReadonlyUnsignedAccounts": header.num_readonly_unsigned_accounts,
        },
        "accountKeys": message.static_account_keys().iter().map(ToString::to_string).collect::<Vec<_>>(),
        "recentBlockhash": message.recent_blockhash().to_string(),
        "instructions": instructions,
    });
    if let Some(lookups) = message.address_table_lookups() {
        json["addressTableLookups"] = lookups
            .iter()
            .map(|lookup| {
                json!({
                    "accountKey": lookup.account_key.to_string(),
                    "writableIndexes": lookup.writable_indexes,
                    "readonlyIndexes": lookup.readonly_indexes,
                })
            })
            .collect();
    }
    json
}

fn transaction_json(stored: &StoredTransaction, encoding: &str) -> Result<Value, RpcError> {
    let transaction = &stored.transaction;
    Ok(match encoding {
        "json" => json!({
            "signatures": transaction.signatures.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "message": message_json(&transaction.message),
        }),
        "base64" | "base58" => {
            let bytes = bincode::serialize(transaction).map_err(RpcError::internal)?;
            let text = if encoding == "base64" {
                base64::engine::general_purpose::STANDARD.encode(bytes)
            } else {
                bs58::encode(bytes).into_string()
            };
            json!([text, encoding])
        }
        other => {
            return Err(RpcError::params(format!(
                "encoding {other} is not supported by this localnet; use json, base64 or base58"
            )))
        }
    })
}

impl Localnet {
    pub(super) async fn get_transaction(&self, params: &[Value]) -> Result<Value, RpcError> {
        let signature = parse_signature(string_param(params, 0)?)?;
        // The config is an object, or (deprecated) just the encoding.
        let config = params.get(1);
        let encoding = match config {
            Some(Value::String(encoding)) => encoding.as_str(),
            Some(config) => config
                .get("encoding")
                .and_then(Value::as_str)
                .unwrap_or("json"),
            None => "json",
        };
        let max_version = config
            .and_then(|c| c.get("maxSupportedTransactionVersion"))
            .and_then(Value::as_u64);
        let Some(stored) = self.ledger().transaction(&signature).cloned() else {
            return Ok(Value::Null);
        };
        let version = match &stored.transaction.message {
            VersionedMessage::Legacy(_) => json!("legacy"),
            VersionedMessage::V0(_) if max_version.is_none() => {
                return Err(RpcError {
                    code: UNSUPPORTED_TRANSACTION_VERSION,
                    message: "Transaction version (0) is not supported by the requesting client. \
                              Please try the request again with the following configuration \
                              parameter: \"maxSupportedTransactionVersion\": 0"
                        .into(),
                    data: None,
                })
            }
            VersionedMessage::V0(_) => json!(0),
        };
        Ok(json!({
            "slot": stored.slot,
            "blockTime": stored.block_time,
            "version": version,
            "transaction": transaction_json(&stored, encoding)?,
            "meta": {
                "err": stored.err,
                "status": status_field(&stored.err),
                "fee": stored.fee,
                "preBalances": stored.pre_balances,
                "postBalances": stored.post_balances,
                "innerInstructions": [],
                "logMessages": stored.logs,
                "preTokenBalances": [],
                "postTokenBalances": [],
                "rewards": [],
                "loadedAddresses": {"writable": [], "readonly": []},
                "computeUnitsConsumed": stored.compute_units,
            },
        }))
    }
}
