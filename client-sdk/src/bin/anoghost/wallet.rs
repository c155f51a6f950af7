//! Wallet helpers for local use: make a keypair file, and airdrop on a local chain.

use std::io::Write;
use std::path::Path;

use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::native_token::LAMPORTS_PER_SOL;
use solana_sdk::signature::{Keypair, Signer};

use crate::paid::load_keys;

/// `anoghost wallet new`: writes a fresh keypair file (Solana CLI format), never
/// overwriting an existing one, readable by its owner only.
pub fn new_wallet(out: &Path) -> Result<(), String> {
    let keypair = Keypair::new();
    let bytes: Vec<u8> = keypair.to_bytes().to_vec();
    let json = serde_json::to_string(&bytes).map_err(|e| e.to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(out).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => {
            format!("{} already exists; not overwriting it", out.display())
        }
        _ => format!("cannot create {}: {e}", out.display()),
    })?;
    file.write_all(json.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("wallet {} written to {}", keypair.pubkey(), out.display());
    Ok(())
}

/// `anoghost wallet airdrop`: asks the chain's faucet (localnet or devnet) for SOL.
pub async fn airdrop(rpc_url: &str, keypair: &Path, sol: f64) -> Result<(), String> {
    let keys = load_keys(keypair)?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let lamports = (sol * LAMPORTS_PER_SOL as f64) as u64;
    let address = keys.keypair.pubkey();
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
