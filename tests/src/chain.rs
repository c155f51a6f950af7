//! The gateway's [`ChainReader`] over a `solana-program-test` bank. A stand-in for JSON-RPC
//! used only where the test needs the bank in process; it counts requests so tests can
//! assert that a join costs exactly one read.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::paid::chain::ChainFuture;
use anoghost_gateway::paid::{ChainError, ChainReader};
use solana_account::Account;
use solana_program_test::BanksClient;

/// Reads accounts from the bank; one call is one "request".
pub struct BanksChainReader {
    client: Mutex<BanksClient>,
    requests: AtomicUsize,
}

impl BanksChainReader {
    /// A reader over `client`.
    pub fn new(client: BanksClient) -> Self {
        Self {
            client: Mutex::new(client),
            requests: AtomicUsize::new(0),
        }
    }

    /// Requests served so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

impl ChainReader for BanksChainReader {
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>> {
        self.requests.fetch_add(1, Ordering::SeqCst);
        let client = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
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
}
