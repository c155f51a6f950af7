//! How the gateway reads and writes the chain. One trait, two implementations: JSON-RPC
//! here, and an in-process `solana-program-test` bank in the integration tests.

use std::future::Future;
use std::pin::Pin;

use anchor_lang::prelude::Pubkey;
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind as ClientErrorKind};
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::custom_error::JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE;
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_rpc_client_api::request::{RpcError, RpcResponseErrorData};
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

/// A chain read or write failed.
#[derive(Debug, thiserror::Error)]
#[error("chain request failed: {message}")]
pub struct ChainError {
    /// What failed.
    pub message: String,
    /// Whether the chain refused the transaction (its preflight simulation or its execution
    /// failed), so it will never land. A write that failed otherwise (a lost connection, a
    /// confirmation that timed out) may still land until its blockhash expires.
    pub refused: bool,
}

impl ChainError {
    /// A request that failed, whose effect on the chain is not known.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            refused: false,
        }
    }

    /// A transaction the chain refused: it will never land.
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            refused: true,
        }
    }
}

/// A boxed future, so the trait stays object-safe.
pub type ChainFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ChainError>> + Send + 'a>>;

/// A `getProgramAccounts` filter, as the Solana RPC defines them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountFilter {
    /// The account's data is exactly this long.
    DataSize(u64),
    /// The account's data holds `bytes` at `offset`.
    Memcmp {
        /// Where the bytes start.
        offset: usize,
        /// The bytes.
        bytes: Vec<u8>,
    },
}

impl AccountFilter {
    /// Whether `data` passes this filter.
    pub fn matches(&self, data: &[u8]) -> bool {
        match self {
            Self::DataSize(len) => data.len() as u64 == *len,
            Self::Memcmp { offset, bytes } => data
                .get(*offset..offset.saturating_add(bytes.len()))
                .is_some_and(|slice| slice == bytes.as_slice()),
        }
    }

    fn to_rpc(&self) -> RpcFilterType {
        match self {
            Self::DataSize(len) => RpcFilterType::DataSize(*len),
            Self::Memcmp { offset, bytes } => {
                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(*offset, bytes))
            }
        }
    }
}

/// The chain, as the gateway needs it.
pub trait Chain: Send + Sync {
    /// The accounts at `addresses`, in order (`None` where there is none), in one request.
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>>;

    /// Every account `program` owns that passes all `filters`, in one request.
    fn get_program_accounts<'a>(
        &'a self,
        program: &'a Pubkey,
        filters: &'a [AccountFilter],
    ) -> ChainFuture<'a, Vec<(Pubkey, Account)>>;

    /// A recent blockhash to sign transactions with.
    fn latest_blockhash(&self) -> ChainFuture<'_, Hash>;

    /// Whether a transaction signed with `blockhash` can still land.
    fn blockhash_valid<'a>(&'a self, blockhash: &'a Hash) -> ChainFuture<'a, bool>;

    /// Sends a signed transaction (after a preflight simulation, so one that would fail is
    /// refused without costing its fee) and waits until it is confirmed or fails. An error
    /// says whether the chain refused it ([`ChainError::refused`]).
    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, Signature>;
}

/// Sends `instruction` alone in a transaction that `payer` signs and pays for, and waits for
/// it. Every transaction the gateway sends carries one instruction, so none ties two keys,
/// or a key and an escrow, together.
pub async fn send_alone(
    chain: &dyn Chain,
    payer: &Keypair,
    instruction: Instruction,
) -> Result<Signature, ChainError> {
    let transaction = sign_alone(chain, payer, instruction).await?;
    chain.send_and_confirm(transaction).await
}

/// The transaction [`send_alone`] sends, signed with a recent blockhash, for a caller that
/// needs to know that blockhash (to learn how long the transaction may still land).
pub async fn sign_alone(
    chain: &dyn Chain,
    payer: &Keypair,
    instruction: Instruction,
) -> Result<Transaction, ChainError> {
    let blockhash = chain.latest_blockhash().await?;
    Ok(Transaction::new_signed_with_payer(
        &[instruction],
        Some(&payer.pubkey()),
        &[payer],
        blockhash,
    ))
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

fn failed(error: impl std::fmt::Display) -> ChainError {
    ChainError::new(error.to_string())
}

/// A failed send, refused if the node's preflight simulation or the execution failed. The
/// preflight error is told by its code as well as by its data, which a node may send in a
/// shape the client cannot parse.
fn send_failed(error: &ClientError) -> ChainError {
    let refused = match error.kind() {
        ClientErrorKind::TransactionError(_) => true,
        ClientErrorKind::RpcError(RpcError::RpcResponseError { code, data, .. }) => {
            *code == JSON_RPC_SERVER_ERROR_SEND_TRANSACTION_PREFLIGHT_FAILURE
                || matches!(
                    data,
                    RpcResponseErrorData::SendTransactionPreflightFailure(_)
                )
        }
        _ => false,
    };
    ChainError {
        message: error.to_string(),
        refused,
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
                .map_err(failed)
        })
    }

    fn get_program_accounts<'a>(
        &'a self,
        program: &'a Pubkey,
        filters: &'a [AccountFilter],
    ) -> ChainFuture<'a, Vec<(Pubkey, Account)>> {
        Box::pin(async move {
            let config = RpcProgramAccountsConfig {
                filters: Some(filters.iter().map(AccountFilter::to_rpc).collect()),
                account_config: RpcAccountInfoConfig {
                    encoding: Some(UiAccountEncoding::Base64),
                    ..RpcAccountInfoConfig::default()
                },
                ..RpcProgramAccountsConfig::default()
            };
            let accounts = self
                .client
                .get_program_ui_accounts_with_config(program, config)
                .await
                .map_err(failed)?;
            accounts
                .into_iter()
                .map(|(address, account)| {
                    account
                        .decode()
                        .map(|account| (address, account))
                        .ok_or_else(|| ChainError::new("an account did not decode"))
                })
                .collect()
        })
    }

    fn latest_blockhash(&self) -> ChainFuture<'_, Hash> {
        Box::pin(async move { self.client.get_latest_blockhash().await.map_err(failed) })
    }

    fn blockhash_valid<'a>(&'a self, blockhash: &'a Hash) -> ChainFuture<'a, bool> {
        Box::pin(async move {
            self.client
                // At the client's own commitment (finalized by default): a blockhash stays
                // valid there a little longer than at the newest slot, which errs towards
                // waiting for a transaction that might still land.
                .is_blockhash_valid(blockhash, self.client.commitment())
                .await
                .map_err(failed)
        })
    }

    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, Signature> {
        Box::pin(async move {
            self.client
                .send_and_confirm_transaction(&transaction)
                .await
                .map_err(|error| send_failed(&error))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_match_as_the_rpc_defines_them() {
        let data = [0u8, 1, 2, 3, 4];
        assert!(AccountFilter::DataSize(5).matches(&data));
        assert!(!AccountFilter::DataSize(4).matches(&data));
        let at = |offset, bytes: &[u8]| AccountFilter::Memcmp {
            offset,
            bytes: bytes.to_vec(),
        };
        assert!(at(2, &[2, 3]).matches(&data));
        assert!(!at(2, &[2, 4]).matches(&data));
        assert!(!at(4, &[4, 5]).matches(&data), "past the end");
        assert!(!at(usize::MAX, &[1]).matches(&data));
    }
}
