//! The [`Localnet`]: answering a request, running each [`Call`] on the bank, and the
//! methods too small for a file of their own.

use serde_json::{json, Value};
use solana_commitment_config::CommitmentLevel;
use solana_program_test::BanksClient;
use solana_sdk::hash::Hash;
use solana_sdk::message::Message;
use solana_sdk::signature::Keypair;
use tokio::sync::Mutex;

use super::params::read_envelope;
use super::request::{Call, Method};
use super::{RpcError, METHOD_NOT_FOUND};
use crate::events::ChainEvent;
use crate::ledger::Ledger;

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
    /// Methods this localnet does not serve share one entry, [`OTHER_METHODS`], so the map
    /// holds at most one entry per [`Method`] whatever names clients send.
    pub request_counts: std::sync::Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

impl std::fmt::Debug for Localnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Localnet").finish_non_exhaustive()
    }
}

/// The `request_counts` entry of every method this localnet does not serve.
pub const OTHER_METHODS: &str = "other";

/// The solana-core version this localnet's bank runs.
pub const CORE_VERSION: &str = "3.1.12";

impl Localnet {
    /// Answers one JSON-RPC request body (a single request; batches are refused).
    pub async fn handle(&self, body: &[u8]) -> Value {
        let envelope = match read_envelope(body) {
            Ok(envelope) => envelope,
            Err((id, error)) => return error.response(id),
        };
        let name = envelope.method.map_or(OTHER_METHODS, Method::name);
        *self
            .request_counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entry(name)
            .or_default() += 1;
        let call = envelope
            .method
            .ok_or_else(|| RpcError::new(METHOD_NOT_FOUND, "Method not found"))
            .and_then(|method| Call::parse(method, &envelope.params));
        let call = match call {
            Ok(call) => call,
            Err(error) => return error.response(envelope.id),
        };
        let gate = self.bank_gate.clone();
        let _bank = gate.lock().await;
        match self.run(call).await {
            Ok(result) => json!({"jsonrpc": "2.0", "result": result, "id": envelope.id}),
            Err(error) => error.response(envelope.id),
        }
    }

    async fn run(&self, call: Call) -> Result<Value, RpcError> {
        match call {
            Call::Health => Ok(json!("ok")),
            Call::Version => Ok(json!({"solana-core": CORE_VERSION, "feature-set": 0})),
            Call::Slot => Ok(json!(self.slot().await?)),
            Call::BlockHeight => Ok(json!(self
                .client
                .get_root_block_height()
                .await
                .map_err(RpcError::internal)?)),
            Call::LatestBlockhash => self.latest_blockhash().await,
            Call::IsBlockhashValid(hash) => self.is_blockhash_valid(hash).await,
            Call::RentExemption(len) => self.rent_exemption(len).await,
            Call::FeeForMessage(message) => self.fee_for_message(message).await,
            Call::Balance(address) => self.balance(address).await,
            Call::AccountInfo(address, encoding) => self.account_info(address, encoding).await,
            Call::MultipleAccounts(addresses, encoding) => {
                self.multiple_accounts(&addresses, encoding).await
            }
            Call::TokenAccountsByOwner {
                owner,
                filter,
                encoding,
            } => self.token_accounts_by_owner(owner, filter, encoding).await,
            Call::ProgramAccounts {
                program,
                filters,
                encoding,
                with_context,
            } => {
                self.program_accounts(program, &filters, encoding, with_context)
                    .await
            }
            Call::Transaction {
                signature,
                encoding,
                max_version,
            } => self.get_transaction(&signature, encoding, max_version),
            Call::SendTransaction {
                transaction,
                skip_preflight,
            } => self.send_transaction(transaction, skip_preflight).await,
            Call::SimulateTransaction(transaction) => self.simulate_transaction(transaction).await,
            Call::SignatureStatuses(signatures) => self.signature_statuses(signatures).await,
            Call::RequestAirdrop { to, lamports } => self.request_airdrop(to, lamports).await,
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

    async fn is_blockhash_valid(&self, hash: Hash) -> Result<Value, RpcError> {
        // The bank accepts a transaction with this blockhash exactly when it is still in
        // its recent-blockhash queue; a fee quote for an empty message probes that.
        let payer = solana_sdk::pubkey::Pubkey::new_unique();
        let message = Message::new_with_blockhash(&[], Some(&payer), &hash);
        let fee = self
            .client
            .get_fee_for_message(message)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(json!(fee.is_some())).await
    }

    async fn rent_exemption(&self, len: usize) -> Result<Value, RpcError> {
        let rent = self.client.get_rent().await.map_err(RpcError::internal)?;
        Ok(json!(rent.minimum_balance(len)))
    }

    async fn fee_for_message(&self, message: Message) -> Result<Value, RpcError> {
        let fee = self
            .client
            .get_fee_for_message(message)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(json!(fee)).await
    }
}
