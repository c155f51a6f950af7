//! A real gateway reading a real bank, for paid-room tests.

use std::net::TcpListener;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::paid::{SealKind, Sealer};
use anoghost_gateway::secret::SecretBytes32;
use anoghost_gateway::{start_with_chain, GatewayConfig, RunningGateway};
use anoghost_sdk::gateway::GatewayClient;
use anoghost_sdk::wallet::Wallet;

use crate::bank::{Bank, Failure, MintedKey};
use crate::chain::BanksChain;

/// The master key the test gateway seals with.
pub const MASTER_KEY_HEX: &str = "4242424242424242424242424242424242424242424242424242424242424242";

/// A gateway on 127.0.0.1:0 reading `bank`, plus the chain reader (to count requests).
pub fn spawn_paid_gateway(bank: &Bank) -> (RunningGateway, Arc<BanksChain>, String) {
    spawn_paid_gateway_with(bank, |_| {})
}

/// [`spawn_paid_gateway`] with the configuration adjusted by `adjust` before it starts.
pub fn spawn_paid_gateway_with(
    bank: &Bank,
    adjust: impl FnOnce(&mut GatewayConfig),
) -> (RunningGateway, Arc<BanksChain>, String) {
    let mut config = GatewayConfig::local_defaults();
    config.listen = "127.0.0.1:0".parse().expect("loopback address");
    config.master_key = Some(MASTER_KEY_HEX.to_owned());
    config.joins_per_minute = 1_000;
    config.joins_per_minute_per_ip = 10_000;
    config.workers = 2;
    let keypair_file = authority_keypair_file(bank);
    config.authority_keypair = Some(keypair_file.clone());
    adjust(&mut config);
    let reader = Arc::new(BanksChain::new(bank.ctx.banks_client.clone()));
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let gateway = start_with_chain(config, listener, Some(reader.clone())).expect("gateway starts");
    // The gateway read the keypair at start; the file is no longer needed.
    let _ = std::fs::remove_file(keypair_file);
    let url = format!("ws://{}/v1/ws", gateway.addr);
    (gateway, reader, url)
}

/// Writes the bank's gateway authority to a keypair file (Solana CLI format) for the
/// gateway to load, as an operator would provide it.
fn authority_keypair_file(bank: &Bank) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "anoghost-test-authority-{}-{}.json",
        std::process::id(),
        rand::random::<u64>()
    ));
    let bytes: Vec<u8> = bank.gateway.to_bytes().to_vec();
    std::fs::write(&path, serde_json::to_string(&bytes).expect("json")).expect("write keypair");
    path
}

/// The same sealer as the test gateway's.
pub fn test_sealer() -> Sealer {
    Sealer::new(1, SecretBytes32::new([0x42; 32]), Vec::new())
}

/// The wallet's public key as a Solana address.
pub fn address_of(wallet: &Wallet) -> Pubkey {
    Pubkey::new_from_array(wallet.public_key())
}

/// Mints a key for `holder` to the room `room_id`, sealed like the gateway seals.
pub async fn mint_room_key(
    bank: &mut Bank,
    holder: &Wallet,
    room_id: &[u8; 32],
) -> Result<MintedKey, Failure> {
    let sealer = test_sealer();
    let sealed_room = sealer.seal(SealKind::Room, room_id);
    let sealed_ghost = sealer.seal(SealKind::Ghost, &holder.public_key());
    bank.mint_key_sealed(&address_of(holder), sealed_room, sealed_ghost)
        .await
}

/// A connected, signed-in client for `wallet`.
pub async fn signed_in(url: &str, wallet: &Wallet) -> GatewayClient {
    let mut client = GatewayClient::connect(url).await.expect("connect");
    client.sign_in(wallet).await.expect("sign in");
    client
}
