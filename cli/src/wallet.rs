//! Wallet helpers for local use: make a keypair file, and airdrop on a local chain.

use std::path::Path;

use anoghost_program_client::keypair_file;

use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::native_token::LAMPORTS_PER_SOL;
use solana_sdk::signature::{Keypair, Signer};

use crate::paid::load_wallet;

/// `anoghost wallet new`: writes a fresh keypair file (Solana CLI format), never
/// overwriting an existing one, readable by its owner only.
pub fn new_wallet(out: &Path) -> Result<(), String> {
    let keypair = Keypair::new();
    keypair_file::write_new(out, &keypair).map_err(|e| e.to_string())?;
    println!("wallet {} written to {}", keypair.pubkey(), out.display());
    Ok(())
}

/// `anoghost wallet airdrop`: asks the chain's faucet (localnet or devnet) for SOL.
pub async fn airdrop(rpc_url: &str, keypair: &Path, sol: f64) -> Result<(), String> {
    let wallet = load_wallet(keypair)?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let lamports = (sol * LAMPORTS_PER_SOL as f64) as u64;
    let address = wallet.pubkey();
    let signature = rpc
        .request_airdrop(&address, lamports)
        .await
        .map_err(|e| format!("airdrop refused by {rpc_url}: {e}"))?;
    rpc.confirm_transaction(&signature)
        .await
        .map_err(|e| format!("airdrop not confirmed: {e}"))?;
    let balance = rpc.get_balance(&address).await.map_err(|e| e.to_string())?;
    println!(
        "{address} now holds {} SOL",
        balance as f64 / LAMPORTS_PER_SOL as f64
    );
    Ok(())
}
