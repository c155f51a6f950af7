//! The gateway's [`Chain`] over a `solana-program-test` bank: the real bank, reached in
//! process instead of over JSON-RPC. It counts account reads so tests can assert that a
//! join costs exactly one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::paid::chain::ChainFuture;
use anoghost_gateway::paid::{Chain, ChainError};
use solana_account::Account;
use solana_program_test::BanksClient;
use solana_sdk::hash::Hash;
use solana_sdk::transaction::Transaction;

/// Reads accounts from the bank; one call is one "request".
pub struct BanksChain {
    client: Mutex<BanksClient>,
    requests: AtomicUsize,
}

impl BanksChain {
    /// A reader over `client`.
    pub fn new(client: BanksClient) -> Self {
        Self {
            client: Mutex::new(client),
            requests: AtomicUsize::new(0),
        }
    }

    fn client(&self) -> BanksClient {
        self.client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Account reads served so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
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
                let account = client
                    .get_account(*address)
                    .await
                    .map_err(|e| ChainError(e.to_string()))?;
                accounts.push(account);
            }
            Ok(accounts)
        })
    }

    fn latest_blockhash(&self) -> ChainFuture<'_, Hash> {
        let client = self.client();
        Box::pin(async move {
            client
                .get_latest_blockhash()
                .await
                .map_err(|e| ChainError(e.to_string()))
        })
    }

    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, ()> {
        let client = self.client();
        Box::pin(async move {
            client
                .process_transaction(transaction)
                .await
                .map_err(|e| ChainError(e.to_string()))
        })
    }
}
