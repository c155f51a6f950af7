//! The gateway's [`Chain`] over a `solana-program-test` bank: the real bank, reached in
//! process instead of over JSON-RPC. It counts account reads so tests can assert that a
//! join costs exactly one, simulates before sending as an RPC node's preflight does, and
//! answers `getProgramAccounts` from the addresses transactions listed (the bank keeps no
//! index by owner; the localnet does the same).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::paid::chain::ChainFuture;
use anoghost_gateway::paid::{AccountFilter, Chain, ChainError};
use solana_account::Account;
use solana_program_test::{BanksClient, BanksClientError};
use solana_sdk::hash::Hash;
use solana_sdk::message::Message;
use solana_sdk::signature::Signature;
use solana_sdk::transaction::Transaction;

use crate::bank::{record_touched, Touched};

/// Reads and writes the bank; one call is one "request".
pub struct BanksChain {
    client: Mutex<BanksClient>,
    touched: Touched,
    requests: AtomicUsize,
    sent: Mutex<Vec<Transaction>>,
}

impl BanksChain {
    /// A chain over `client`, scanning the addresses in `touched`.
    pub fn new(client: BanksClient, touched: Touched) -> Self {
        Self {
            client: Mutex::new(client),
            touched,
            requests: AtomicUsize::new(0),
            sent: Mutex::new(Vec::new()),
        }
    }

    /// A chain over `bank`, scanning the addresses its transactions listed.
    pub fn over(bank: &crate::bank::Bank) -> Self {
        Self::new(bank.ctx.banks_client.clone(), bank.touched.clone())
    }

    /// Every transaction that landed through this chain, in order.
    pub fn sent(&self) -> Vec<Transaction> {
        self.sent
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn client(&self) -> BanksClient {
        self.client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Account reads served so far (`getMultipleAccounts` calls).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

fn failed(error: impl std::fmt::Display) -> ChainError {
    ChainError::new(error.to_string())
}

impl Chain for BanksChain {
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let client = self.client();
        Box::pin(async move {
            let mut accounts = Vec::with_capacity(addresses.len());
            for address in addresses {
                accounts.push(client.get_account(*address).await.map_err(failed)?);
            }
            Ok(accounts)
        })
    }

    fn get_program_accounts<'a>(
        &'a self,
        program: &'a Pubkey,
        filters: &'a [AccountFilter],
    ) -> ChainFuture<'a, Vec<(Pubkey, Account)>> {
        let client = self.client();
        let candidates: Vec<Pubkey> = self
            .touched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .copied()
            .collect();
        Box::pin(async move {
            let mut found = Vec::new();
            for address in candidates {
                let Some(account) = client.get_account(address).await.map_err(failed)? else {
                    continue;
                };
                if account.owner == *program && filters.iter().all(|f| f.matches(&account.data)) {
                    found.push((address, account));
                }
            }
            Ok(found)
        })
    }

    fn latest_blockhash(&self) -> ChainFuture<'_, Hash> {
        let client = self.client();
        Box::pin(async move { client.get_latest_blockhash().await.map_err(failed) })
    }

    fn blockhash_valid<'a>(&'a self, blockhash: &'a Hash) -> ChainFuture<'a, bool> {
        let client = self.client();
        Box::pin(async move {
            // The bank quotes a fee exactly for a blockhash still in its queue, as the
            // localnet's `isBlockhashValid` asks it.
            let payer = Pubkey::new_unique();
            let message = Message::new_with_blockhash(&[], Some(&payer), blockhash);
            let fee = client.get_fee_for_message(message).await.map_err(failed)?;
            Ok(fee.is_some())
        })
    }

    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, Signature> {
        let client = self.client();
        record_touched(&self.touched, &transaction);
        Box::pin(async move {
            let signature = transaction.signatures[0];
            // Preflight, as an RPC node runs it: a transaction that would fail is refused
            // without being processed, so it costs no fee.
            let simulated = client
                .simulate_transaction(transaction.clone())
                .await
                .map_err(failed)?;
            if let Some(Err(error)) = simulated.result {
                return Err(ChainError::refused(format!("preflight failed: {error}")));
            }
            client
                .process_transaction(transaction.clone())
                .await
                .map_err(|error| match error {
                    BanksClientError::TransactionError(_) => ChainError::refused(error.to_string()),
                    other => failed(other),
                })?;
            self.sent
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(transaction);
            Ok(signature)
        })
    }
}
