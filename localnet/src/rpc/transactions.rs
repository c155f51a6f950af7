//! Transactions: `sendTransaction`, `simulateTransaction`, `getSignatureStatuses`,
//! `requestAirdrop`.

use serde_json::{json, Value};
use solana_sdk::signature::{Signature, Signer};
use solana_sdk::transaction::{Transaction, VersionedTransaction};

use super::{base64_param, string_param, Localnet, RpcError, SEND_TRANSACTION_PREFLIGHT_FAILURE};

fn decode_transaction(params: &[Value]) -> Result<VersionedTransaction, RpcError> {
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

impl Localnet {
    pub(super) async fn send_transaction(&self, params: &[Value]) -> Result<Value, RpcError> {
        let transaction = decode_transaction(params)?;
        let signature = *transaction
            .signatures
            .first()
            .ok_or_else(|| RpcError::params("transaction has no signature"))?;
        let outcome = self
            .client
            .process_transaction_with_metadata(transaction)
            .await
            .map_err(RpcError::internal)?;
        match outcome.result {
            Ok(()) => Ok(json!(signature.to_string())),
            Err(error) => Err(RpcError {
                code: SEND_TRANSACTION_PREFLIGHT_FAILURE,
                message: format!("Transaction simulation failed: {error}"),
                data: Some(json!({
                    "err": serde_json::to_value(&error).unwrap_or(Value::Null),
                    "logs": outcome.metadata.map(|m| m.log_messages).unwrap_or_default(),
                })),
            }),
        }
    }

    pub(super) async fn simulate_transaction(&self, params: &[Value]) -> Result<Value, RpcError> {
        let transaction = decode_transaction(params)?;
        let simulation = self
            .client
            .simulate_transaction(transaction)
            .await
            .map_err(RpcError::internal)?;
        let err = match simulation.result {
            Some(Err(error)) => serde_json::to_value(&error).unwrap_or(Value::Null),
            _ => Value::Null,
        };
        let details = simulation.simulation_details;
        self.with_context(json!({
            "err": err,
            "logs": details.as_ref().map(|d| d.logs.clone()).unwrap_or_default(),
            "unitsConsumed": details.as_ref().map(|d| d.units_consumed).unwrap_or(0),
            "accounts": Value::Null,
            "returnData": Value::Null,
        }))
        .await
    }

    pub(super) async fn signature_statuses(&self, params: &[Value]) -> Result<Value, RpcError> {
        let signatures = params
            .first()
            .and_then(Value::as_array)
            .ok_or_else(|| RpcError::params("expected an array of signatures"))?;
        let mut parsed = Vec::with_capacity(signatures.len());
        for signature in signatures {
            let text = signature
                .as_str()
                .ok_or_else(|| RpcError::params("signatures must be strings"))?;
            let signature: Signature = text
                .parse()
                .map_err(|_| RpcError::params(format!("invalid signature: {text}")))?;
            parsed.push(signature);
        }
        let statuses = self
            .client
            .get_transaction_statuses(parsed)
            .await
            .map_err(RpcError::internal)?;
        let values: Vec<Value> = statuses
            .into_iter()
            .map(|status| match status {
                None => Value::Null,
                Some(status) => {
                    let err = status
                        .err
                        .as_ref()
                        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
                        .unwrap_or(Value::Null);
                    let status_field = if err.is_null() {
                        json!({"Ok": null})
                    } else {
                        json!({"Err": err.clone()})
                    };
                    json!({
                        "slot": status.slot,
                        "confirmations": Value::Null,
                        "err": err,
                        "status": status_field,
                        "confirmationStatus": "finalized",
                    })
                }
            })
            .collect();
        self.with_context(Value::Array(values)).await
    }

    pub(super) async fn request_airdrop(&self, params: &[Value]) -> Result<Value, RpcError> {
        let to = string_param(params, 0)?
            .parse()
            .map_err(|_| RpcError::params("invalid public key"))?;
        let lamports = params
            .get(1)
            .and_then(Value::as_u64)
            .ok_or_else(|| RpcError::params("expected lamports"))?;
        let blockhash = self
            .client
            .get_latest_blockhash()
            .await
            .map_err(RpcError::internal)?;
        let transfer = anchor_lang::solana_program::system_instruction::transfer(
            &self.faucet.pubkey(),
            &to,
            lamports,
        );
        let transaction = Transaction::new_signed_with_payer(
            &[transfer],
            Some(&self.faucet.pubkey()),
            &[&self.faucet],
            blockhash,
        );
        let signature = transaction.signatures[0];
        self.client
            .process_transaction(transaction)
            .await
            .map_err(RpcError::internal)?;
        Ok(json!(signature.to_string()))
    }
}
