//! How the gateway reads and writes the chain. One trait, two implementations: JSON-RPC
//! here, and an in-process `solana-program-test` bank in the integration tests.

use std::future::Future;
use std::pin::Pin;

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::hash::Hash;
use solana_sdk::transaction::Transaction;

/// A chain read or write failed.
#[derive(Debug, thiserror::Error)]
#[error("chain request failed: {0}")]
pub struct ChainError(pub String);

/// A boxed future, so the trait stays object-safe.
pub type ChainFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ChainError>> + Send + 'a>>;

/// The chain, as the gateway needs it.
pub trait Chain: Send + Sync {
    /// The accounts at `addresses`, in order (`None` where there is none), in one request.
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>>;

    /// A recent blockhash to sign transactions with.
    fn latest_blockhash(&self) -> ChainFuture<'_, Hash>;

    /// Sends a signed transaction and waits until it is confirmed (or fails).
    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, ()>;
}

/// Talks to a Solana JSON-RPC endpoint.
pub struct RpcChain {
    client: RpcClient,
}

impl RpcChain {
    /// A reader for the RPC endpoint at `url`.
    pub fn new(url: &str) -> Self {
        Self {
            client: RpcClient::new(url.to_owned()),
        }
    }
}

impl Chain for RpcChain {
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>> {
        Box::pin(async move {
            self.client
                .get_multiple_accounts(addresses)
                .await
                .map_err(|error| ChainError(error.to_string()))
        })
    }

    fn latest_blockhash(&self) -> ChainFuture<'_, Hash> {
        Box::pin(async move {
            self.client
                .get_latest_blockhash()
                .await
                .map_err(|error| ChainError(error.to_string()))
        })
    }

    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, ()> {
        Box::pin(async move {
            self.client
                .send_and_confirm_transaction(&transaction)
                .await
                .map(|_| ())
                .map_err(|error| ChainError(error.to_string()))
        })
    }
}
