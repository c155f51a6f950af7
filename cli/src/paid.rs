//! Paid rooms from the terminal: ghostIds, creating a paid room (funding its escrow from a
//! keypair), joining with a key NFT, and burning a key to reclaim its rent.

use std::time::Duration;

use anoghost_program_client::accounts::decode_config;
use anoghost_program_client::{instructions as ix, pda};
use anoghost_protocol::ServerMessage;
use anoghost_sdk::chain::send_signed;
use anoghost_sdk::gateway::{GatewayClient, GatewayEvent};
use anoghost_sdk::holdings::held_keys;
use anoghost_sdk::wallet::Wallet;
use rand::RngCore;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;

use crate::solana_pay;

/// Reads the wallet in a Solana CLI keypair file.
pub fn load_wallet(path: &std::path::Path) -> Result<Wallet, String> {
    Wallet::from_keypair_file(path).map_err(|e| e.to_string())
}

async fn send(
    rpc: &RpcClient,
    wallet: &Wallet,
    instructions: &[Instruction],
) -> Result<(), String> {
    send_signed(rpc, instructions, wallet.keypair(), &[])
        .await
        .map_err(|e| e.to_string())
}

/// Connects to the gateway, expecting sign-in messages for the cluster `rpc_url` serves.
async fn connect(gateway: &str, rpc_url: &str) -> Result<GatewayClient, String> {
    let mut client = GatewayClient::connect(gateway)
        .await
        .map_err(|e| e.to_string())?;
    client.expect_chain_id(&anoghost_sdk::chain::chain_id_of(rpc_url));
    Ok(client)
}

/// `anoghost ghost`: signs in and prints the wallet's ghostId (and, with `follow`, every
/// rotation until interrupted).
pub async fn ghost(
    gateway: &str,
    rpc_url: &str,
    wallet: &Wallet,
    follow: bool,
) -> Result<(), String> {
    let mut client = connect(gateway, rpc_url).await?;
    let ghost = client.sign_in(wallet).await.map_err(|e| e.to_string())?;
    println!("ghostId: {ghost}");
    if follow {
        loop {
            tokio::select! {
                event = client.next_event() => {
                    if let GatewayEvent::Message(ServerMessage::Ghost { ghost_id }) =
                        event.map_err(|e| e.to_string())?
                    {
                        println!("ghostId: {ghost_id}");
                    }
                }
                _ = tokio::signal::ctrl_c() => break,
            }
        }
    }
    client.close().await;
    Ok(())
}

/// How the initiator funds the escrow.
pub enum Funding {
    /// Sign the deposit with the keypair file.
    Keypair,
    /// Print a Solana Pay transaction-request link and QR code for a phone wallet, then
    /// wait this long for the deposit to land.
    SolanaPay { timeout: Duration },
}

/// What `create-paid` is asked for.
pub struct PaidRoom<'a> {
    pub name: &'a str,
    pub invitees: &'a [String],
    pub funding: Funding,
}

/// `anoghost room create-paid`: funds an escrow for the invitees and has the gateway mint
/// their keys. Prints one mint (or the reason for none) per invitee.
pub async fn create_paid(
    gateway: &str,
    rpc_url: &str,
    wallet: &Wallet,
    room: PaidRoom<'_>,
) -> Result<(), String> {
    let count = u16::try_from(room.invitees.len()).map_err(|_| "too many invitees".to_owned())?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let mut nonce = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    match room.funding {
        Funding::Keypair => {
            println!("funding an escrow for {count} keys …");
            send(
                &rpc,
                wallet,
                &[ix::room_deposit(&wallet.pubkey(), nonce, count)],
            )
            .await?;
        }
        Funding::SolanaPay { timeout } => {
            let link = solana_pay::room_deposit_link(gateway, &nonce, count)?;
            println!(
                "pay the escrow for {count} keys from the wallet {}:",
                wallet.pubkey()
            );
            println!("{}", solana_pay::qr_code(&link)?);
            println!("Solana Pay link: {link}");
            let escrow = pda::escrow(&wallet.pubkey(), &nonce);
            solana_pay::wait_for_account(&rpc, &escrow, timeout).await?;
            println!("escrow funded");
        }
    }
    let mut client = connect(gateway, rpc_url).await?;
    client.sign_in(wallet).await.map_err(|e| e.to_string())?;
    println!("minting keys (one transaction each) …");
    let mints = client
        .create_paid_room(room.name, &nonce, room.invitees)
        .await
        .map_err(|e| e.to_string())?;
    for (index, mint) in mints.iter().enumerate() {
        match mint {
            Some(mint) => println!("invitee {}: key {mint}", index + 1),
            None => println!(
                "invitee {}: no key (ghostId expired or from another gateway)",
                index + 1
            ),
        }
    }
    client.close().await;
    Ok(())
}

/// `anoghost key list`: the wallet's genuine AnoGhost keys.
pub async fn list_keys(rpc_url: &str, wallet: &Wallet) -> Result<(), String> {
    let rpc = RpcClient::new(rpc_url.to_owned());
    let held = held_keys(&rpc, &wallet.pubkey())
        .await
        .map_err(|e| e.to_string())?;
    if held.is_empty() {
        println!("this wallet holds no AnoGhost keys");
    }
    for (index, key) in held.iter().enumerate() {
        println!("{}. {}  {}", index + 1, key.mint, key.name);
    }
    Ok(())
}

/// The key `join-paid` should use when no `--mint` is given: the only one, or the one the
/// user picks from the list on stdin.
pub async fn choose_key(rpc_url: &str, wallet: &Wallet) -> Result<String, String> {
    let rpc = RpcClient::new(rpc_url.to_owned());
    let held = held_keys(&rpc, &wallet.pubkey())
        .await
        .map_err(|e| e.to_string())?;
    match held.as_slice() {
        [] => Err(
            "this wallet holds no AnoGhost keys (ask the room's initiator to invite your ghostId)"
                .into(),
        ),
        [only] => {
            println!("joining with key {} ({})", only.mint, only.name);
            Ok(only.mint.to_string())
        }
        several => {
            for (index, key) in several.iter().enumerate() {
                println!("{}. {}  {}", index + 1, key.mint, key.name);
            }
            println!("which key? [1-{}]", several.len());
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the choice: {e}"))?;
            let choice: usize = line
                .trim()
                .parse()
                .ok()
                .filter(|n| (1..=several.len()).contains(n))
                .ok_or_else(|| format!("no key {:?}; pass --mint to choose one", line.trim()))?;
            Ok(several[choice - 1].mint.to_string())
        }
    }
}

/// `anoghost key burn`: burns the key, closes the token account and the mint; the holder
/// gets the token account's rent back, the gateway authority the mint's.
pub async fn burn_key(rpc_url: &str, wallet: &Wallet, mint: &str) -> Result<(), String> {
    let mint: Pubkey = mint
        .parse()
        .map_err(|_| format!("not a mint address: {mint}"))?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let config = rpc
        .get_account(&pda::config())
        .await
        .map_err(|e| format!("cannot read the program config: {e}"))?;
    let config = decode_config(&config.owner, &config.data).map_err(|e| e.to_string())?;
    let holder = wallet.pubkey();
    let before = rpc.get_balance(&holder).await.map_err(|e| e.to_string())?;
    let instructions = ix::key_burn_and_close(&holder, &mint, &config.gateway_authority);
    send(&rpc, wallet, &instructions).await?;
    let after = rpc.get_balance(&holder).await.map_err(|e| e.to_string())?;
    println!(
        "key burned and closed; {} lamports of rent back to this wallet (net of the fee)",
        after.saturating_sub(before)
    );
    Ok(())
}
