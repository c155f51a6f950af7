//! Sending transactions over JSON-RPC: the one helper every transaction of the SDK and the
//! CLI goes through, with errors that say which endpoint failed.

use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

/// The cluster an RPC endpoint serves, told from its URL the way wallets label clusters:
/// `devnet`, `testnet`, `mainnet-beta`, or `localnet` for anything else.
pub fn cluster_of(rpc_url: &str) -> &'static str {
    if rpc_url.contains("devnet") {
        "devnet"
    } else if rpc_url.contains("testnet") {
        "testnet"
    } else if rpc_url.contains("mainnet") {
        "mainnet-beta"
    } else {
        "localnet"
    }
}

/// The SIWS chain id of the cluster an RPC endpoint serves, e.g. `solana:devnet`.
pub fn chain_id_of(rpc_url: &str) -> String {
    match cluster_of(rpc_url) {
        "mainnet-beta" => "solana:mainnet".to_owned(),
        cluster => format!("solana:{cluster}"),
    }
}

/// Why a chain request failed.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// Raised if the RPC endpoint could not be reached or answered with an error.
    #[error("cannot reach the chain at {url}: {reason}")]
    Unreachable {
        /// The RPC endpoint.
        url: String,
        /// What the client reported.
        reason: String,
    },
    /// Raised if a transaction was sent but failed or was not confirmed.
    #[error("transaction failed: {0}")]
    Transaction(String),
}

impl ChainError {
    /// An RPC failure at `rpc`'s endpoint.
    pub fn unreachable(rpc: &RpcClient, error: impl std::fmt::Display) -> Self {
        Self::Unreachable {
            url: rpc.url(),
            reason: error.to_string(),
        }
    }
}

/// Signs `instructions` with `payer` (the fee payer) and `signers`, sends them in one
/// transaction, and waits for confirmation.
pub async fn send_signed(
    rpc: &RpcClient,
    instructions: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Result<(), ChainError> {
    let blockhash = rpc
        .get_latest_blockhash()
        .await
        .map_err(|e| ChainError::unreachable(rpc, e))?;
    let mut all = vec![payer];
    all.extend_from_slice(signers);
    let transaction =
        Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, blockhash);
    rpc.send_and_confirm_transaction(&transaction)
        .await
        .map(|_| ())
        .map_err(|e| ChainError::Transaction(e.to_string()))
}
