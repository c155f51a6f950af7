//! Program administration after a deploy: initialise the config (signed by the program's
//! upgrade authority) and show it.

use anoghost_program_client::accounts::decode_config;
use anoghost_program_client::{instructions as ix, pda, ConfigParams, PROGRAM_ID};
use anoghost_sdk::chain::send_signed;
use anoghost_sdk::wallet::Wallet;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;

use crate::purse::sol;

/// The values `config-init` writes.
pub struct ConfigValues {
    pub gateway_authority: String,
    pub treasury: String,
    pub price_per_key: u64,
    pub refund_timeout_secs: i64,
}

fn address(text: &str, what: &str) -> Result<Pubkey, String> {
    text.parse()
        .map_err(|_| format!("{what} is not a Solana address: {text}"))
}

/// `anoghost admin config-init`.
pub async fn config_init(
    rpc_url: &str,
    admin: &Wallet,
    values: ConfigValues,
) -> Result<(), String> {
    let params = ConfigParams {
        gateway_authority: address(&values.gateway_authority, "--gateway-authority")?,
        treasury: address(&values.treasury, "--treasury")?,
        price_per_key: values.price_per_key,
        refund_timeout_secs: values.refund_timeout_secs,
    };
    let rpc = RpcClient::new(rpc_url.to_owned());
    if rpc.get_account(&pda::config()).await.is_ok() {
        return Err(format!(
            "the config {} is already initialised; see `anoghost admin config-show`",
            pda::config()
        ));
    }
    let init = ix::config_init(&admin.pubkey(), params);
    send_signed(&rpc, &[init], admin.keypair(), &[])
        .await
        .map_err(|e| {
            format!(
                "config_init failed (it must be signed by the program's upgrade authority): {e}"
            )
        })?;
    println!("config {} initialised", pda::config());
    show(&rpc).await
}

/// `anoghost admin config-show`.
pub async fn config_show(rpc_url: &str) -> Result<(), String> {
    show(&RpcClient::new(rpc_url.to_owned())).await
}

async fn show(rpc: &RpcClient) -> Result<(), String> {
    let account = rpc.get_account(&pda::config()).await.map_err(|_| {
        format!(
            "no config at {} on {}: deploy the program and run `anoghost admin config-init`",
            pda::config(),
            rpc.url()
        )
    })?;
    let config = decode_config(&account.owner, &account.data).map_err(|e| e.to_string())?;
    println!("program:           {}", PROGRAM_ID);
    println!("admin:             {}", config.admin);
    println!("gateway authority: {}", config.gateway_authority);
    println!("treasury:          {}", config.treasury);
    println!(
        "price per key:     {} ({} lamports)",
        sol(config.price_per_key),
        config.price_per_key
    );
    println!("refund timeout:    {} s", config.refund_timeout_secs);
    println!("paused:            {}", config.paused);
    Ok(())
}
