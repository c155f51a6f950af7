//! How the gateway reads the chain. One trait, two implementations: JSON-RPC here, and an
//! in-process `solana-program-test` bank in the integration tests.

use std::future::Future;
use std::pin::Pin;

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;

/// A chain read failed.
#[derive(Debug, thiserror::Error)]
#[error("chain read failed: {0}")]
pub struct ChainError(pub String);

/// A boxed future, so the trait stays object-safe.
pub type ChainFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ChainError>> + Send + 'a>>;

/// Reads accounts from the chain.
pub trait ChainReader: Send + Sync {
    /// The accounts at `addresses`, in order (`None` where there is none), in one request.
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>>;
}

/// Reads through a Solana JSON-RPC endpoint (`getMultipleAccounts`).
pub struct RpcChainReader {
    client: RpcClient,
}

impl RpcChainReader {
    /// A reader for the RPC endpoint at `url`.
    pub fn new(url: &str) -> Self {
        Self {
            client: RpcClient::new(url.to_owned()),
        }
    }
}

impl ChainReader for RpcChainReader {
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
}
