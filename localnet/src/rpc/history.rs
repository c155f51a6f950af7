//! `getTransaction`, from the ledger of transactions this localnet processed.
//!
//! Token balances and inner instructions are reported empty: the bank does not expose them,
//! and no client this project supports reads them.

use base64::Engine as _;
use serde_json::{json, Value};
use solana_sdk::message::VersionedMessage;
use solana_sdk::signature::Signature;

use super::request::TransactionEncoding;
use super::transactions::status_field;
use super::{Localnet, RpcError};
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

fn transaction_json(
    stored: &StoredTransaction,
    encoding: TransactionEncoding,
) -> Result<Value, RpcError> {
    let transaction = &stored.transaction;
    Ok(match encoding {
        TransactionEncoding::Json => json!({
            "signatures": transaction.signatures.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "message": message_json(&transaction.message),
        }),
        TransactionEncoding::Base64 => {
            let bytes = bincode::serialize(transaction).map_err(RpcError::internal)?;
            json!([
                base64::engine::general_purpose::STANDARD.encode(bytes),
                "base64"
            ])
        }
        TransactionEncoding::Base58 => {
            let bytes = bincode::serialize(transaction).map_err(RpcError::internal)?;
            json!([bs58::encode(bytes).into_string(), "base58"])
        }
    })
}

impl Localnet {
    pub(super) fn get_transaction(
        &self,
        signature: &Signature,
        encoding: TransactionEncoding,
        max_version: Option<u64>,
    ) -> Result<Value, RpcError> {
        let Some(stored) = self.ledger().transaction(signature).cloned() else {
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
