//! Transactions: `sendTransaction`, `simulateTransaction`, `getSignatureStatuses`,
//! `requestAirdrop`. Every processed transaction is recorded in the ledger and announced to
//! PubSub subscribers.

use serde_json::{json, Value};
use solana_sdk::message::VersionedMessage;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Signature, Signer};
use solana_sdk::transaction::{Transaction, VersionedTransaction};

use super::{Localnet, RpcError, SEND_TRANSACTION_PREFLIGHT_FAILURE};
use crate::events::ChainEvent;
use crate::ledger::StoredTransaction;

/// The fee per signature in a program-test bank, used when the bank cannot quote a message.
const LAMPORTS_PER_SIGNATURE: u64 = 5_000;

fn error_json(error: &solana_sdk::transaction::TransactionError) -> Value {
    serde_json::to_value(error).unwrap_or(Value::Null)
}

impl Localnet {
    pub(super) async fn send_transaction(
        &self,
        transaction: VersionedTransaction,
        skip_preflight: bool,
    ) -> Result<Value, RpcError> {
        if !skip_preflight {
            // As on a real node: a transaction that fails simulation is refused and never
            // lands, so it costs no fee.
            let simulation = self
                .client
                .simulate_transaction(transaction.clone())
                .await
                .map_err(RpcError::internal)?;
            if let Some(Err(error)) = simulation.result {
                let logs = simulation
                    .simulation_details
                    .map(|d| d.logs)
                    .unwrap_or_default();
                return Err(RpcError {
                    code: SEND_TRANSACTION_PREFLIGHT_FAILURE,
                    message: format!("Transaction simulation failed: {error}"),
                    data: Some(json!({"err": error_json(&error), "logs": logs})),
                });
            }
        }
        let signature = self.process(transaction).await?;
        Ok(json!(signature.to_string()))
    }

    /// Processes `transaction`, records it in the ledger and announces it. Returns its
    /// signature whether it succeeded or failed (a failed one is in the ledger with its error).
    pub(crate) async fn process(
        &self,
        transaction: VersionedTransaction,
    ) -> Result<Signature, RpcError> {
        let signature = *transaction
            .signatures
            .first()
            .ok_or_else(|| RpcError::params("transaction has no signature"))?;
        let keys: Vec<Pubkey> = transaction.message.static_account_keys().to_vec();
        let fee = self.fee_for(&transaction.message).await?;
        let pre_balances = self.balances(&keys).await?;
        let outcome = self
            .client
            .process_transaction_with_metadata(transaction.clone())
            .await
            .map_err(RpcError::internal)?;
        let post_balances = self.balances(&keys).await?;
        let clock: solana_sdk::clock::Clock =
            self.client.get_sysvar().await.map_err(RpcError::internal)?;
        let err = match &outcome.result {
            Ok(()) => Value::Null,
            Err(error) => error_json(error),
        };
        let (logs, compute_units) = outcome
            .metadata
            .map(|m| (m.log_messages, m.compute_units_consumed))
            .unwrap_or_default();
        let stored = StoredTransaction {
            slot: clock.slot,
            block_time: clock.unix_timestamp,
            transaction,
            err: err.clone(),
            fee,
            pre_balances,
            post_balances,
            logs,
            compute_units,
        };
        self.ledger().record(signature, stored);
        // Nobody listening is fine.
        let _ = self.events.send(ChainEvent::Transaction {
            signature,
            slot: clock.slot,
            err,
            accounts: keys,
        });
        Ok(signature)
    }

    async fn fee_for(&self, message: &VersionedMessage) -> Result<u64, RpcError> {
        let signatures = u64::from(message.header().num_required_signatures);
        let VersionedMessage::Legacy(legacy) = message else {
            return Ok(signatures * LAMPORTS_PER_SIGNATURE);
        };
        let quoted = self
            .client
            .get_fee_for_message(legacy.clone())
            .await
            .map_err(RpcError::internal)?;
        Ok(quoted.unwrap_or(signatures * LAMPORTS_PER_SIGNATURE))
    }

    async fn balances(&self, keys: &[Pubkey]) -> Result<Vec<u64>, RpcError> {
        let mut balances = Vec::with_capacity(keys.len());
        for key in keys {
            balances.push(
                self.client
                    .get_balance(*key)
                    .await
                    .map_err(RpcError::internal)?,
            );
        }
        Ok(balances)
    }

    pub(super) async fn simulate_transaction(
        &self,
        transaction: VersionedTransaction,
    ) -> Result<Value, RpcError> {
        let simulation = self
            .client
            .simulate_transaction(transaction)
            .await
            .map_err(RpcError::internal)?;
        let err = match simulation.result {
            Some(Err(error)) => error_json(&error),
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

    pub(super) async fn signature_statuses(
        &self,
        signatures: Vec<Signature>,
    ) -> Result<Value, RpcError> {
        let statuses = self
            .client
            .get_transaction_statuses(signatures)
            .await
            .map_err(RpcError::internal)?;
        let values: Vec<Value> = statuses
            .into_iter()
            .map(|status| match status {
                None => Value::Null,
                Some(status) => {
                    let err = status.err.as_ref().map_or(Value::Null, error_json);
                    json!({
                        "slot": status.slot,
                        "confirmations": Value::Null,
                        "status": status_field(&err),
                        "err": err,
                        "confirmationStatus": "finalized",
                    })
                }
            })
            .collect();
        self.with_context(Value::Array(values)).await
    }

    pub(super) async fn request_airdrop(
        &self,
        to: Pubkey,
        lamports: u64,
    ) -> Result<Value, RpcError> {
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
        let signature = self.process(transaction.into()).await?;
        Ok(json!(signature.to_string()))
    }
}

/// `{"Ok": null}` or `{"Err": err}`, the deprecated status field clients still read.
pub fn status_field(err: &Value) -> Value {
    if err.is_null() {
        json!({"Ok": null})
    } else {
        json!({"Err": err})
    }
}
