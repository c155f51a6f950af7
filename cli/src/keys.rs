//! The wallet's paid-room keys from the terminal: list them with their room names, pick one
//! to join with, burn one through the gateway.
//!
//! The keys sit at one-time holder addresses derived from the wallet (the SDK's `paid`
//! module); only this wallet can find them. Listing asks the wallet for one signature,
//! over a fixed message that moves no funds.

use anoghost_program_client::accounts::decode_config;
use anoghost_program_client::pda;
use anoghost_sdk::gateway::burn_key;
use anoghost_sdk::paid::{held_keys, HeldKey, HolderRoot};
use anoghost_sdk::wallet::Wallet;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;

async fn held(rpc_url: &str, wallet: &Wallet) -> Result<Vec<HeldKey>, String> {
    let rpc = RpcClient::new(rpc_url.to_owned());
    held_keys(&rpc, &HolderRoot::from_wallet(wallet))
        .await
        .map_err(|e| e.to_string())
}

fn print_keys(keys: &[HeldKey]) {
    for (number, key) in keys.iter().enumerate() {
        println!("{}. {}  (key {})", number + 1, key.invite.name, key.mint);
    }
}

/// `anoghost key list`.
pub async fn list(rpc_url: &str, wallet: &Wallet) -> Result<(), String> {
    let keys = held(rpc_url, wallet).await?;
    if keys.is_empty() {
        println!("this wallet holds no AnoGhost keys");
    }
    print_keys(&keys);
    Ok(())
}

/// The key numbered `choice` in `key list`; without one, the only key, or the one the user
/// picks on stdin.
pub async fn choose(
    rpc_url: &str,
    wallet: &Wallet,
    choice: Option<usize>,
) -> Result<HeldKey, String> {
    let mut keys = held(rpc_url, wallet).await?;
    if keys.is_empty() {
        return Err(
            "this wallet holds no AnoGhost keys (share `anoghost ghost`'s contact with a room's \
             initiator to be invited)"
                .into(),
        );
    }
    let number = match (choice, keys.len()) {
        (Some(number), _) => number,
        (None, 1) => 1,
        (None, count) => {
            print_keys(&keys);
            println!("which key? [1-{count}]");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the choice: {e}"))?;
            line.trim().parse().unwrap_or(0)
        }
    };
    if !(1..=keys.len()).contains(&number) {
        return Err(format!(
            "no key {number}: this wallet holds {} (see `anoghost key list`)",
            keys.len()
        ));
    }
    let key = keys.swap_remove(number - 1);
    println!("using key {number} ({})", key.invite.name);
    Ok(key)
}

/// `anoghost key burn`: the holder signs `key_burn`; the gateway pays the fee and gets the
/// rent it fronted back.
pub async fn burn(
    gateway: &str,
    rpc_url: &str,
    wallet: &Wallet,
    choice: Option<usize>,
) -> Result<(), String> {
    let key = choose(rpc_url, wallet, choice).await?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let config = rpc
        .get_account(&pda::config())
        .await
        .map_err(|e| format!("cannot read the program config: {e}"))?;
    let config = decode_config(&config.owner, &config.data).map_err(|e| e.to_string())?;
    let blockhash = rpc
        .get_latest_blockhash()
        .await
        .map_err(|e| format!("cannot reach the chain at {rpc_url}: {e}"))?;
    let signature = burn_key(gateway, &key.holder, &config.gateway_authority, blockhash)
        .await
        .map_err(|e| e.to_string())?;
    println!("key burned ({signature}); the gateway paid the fee and took back its rent");
    Ok(())
}
