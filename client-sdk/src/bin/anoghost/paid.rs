//! Paid rooms from the terminal: ghostIds, creating a paid room (funding its escrow from a
//! keypair), joining with a key NFT, and burning a key to reclaim its rent.

use std::path::Path;
use std::time::Duration;

use anchor_lang::AccountDeserialize;
use anchor_spl::token_2022::spl_token_2022::instruction as token_ix;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost::state::Config;
use anoghost_sdk::gateway::{GatewayClient, GatewayEvent};
use anoghost_sdk::holdings::held_keys;
use anoghost_sdk::program::{self as ix, pda};
use anoghost_sdk::wallet::Wallet;
use rand::RngCore;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::instruction::Instruction;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use zeroize::Zeroizing;

use crate::solana_pay;

/// A wallet loaded from a Solana CLI keypair file, for signing in and for transactions.
pub struct Keys {
    pub wallet: Wallet,
    pub keypair: Keypair,
}

/// Reads a Solana CLI keypair file (a JSON array of 64 bytes).
pub fn load_keys(path: &Path) -> Result<Keys, String> {
    let wallet = Wallet::from_keypair_file(path).map_err(|e| e.to_string())?;
    let text = Zeroizing::new(
        std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?,
    );
    let bytes: Zeroizing<Vec<u8>> =
        Zeroizing::new(serde_json::from_str(&text).map_err(|e| e.to_string())?);
    let keypair = Keypair::try_from(bytes.as_slice()).map_err(|e| e.to_string())?;
    Ok(Keys { wallet, keypair })
}

/// Signs `instructions` with `payer` (fee payer) and `signers`, sends, and waits for
/// confirmation: every transaction the CLI makes goes through here.
pub async fn send_signed(
    rpc: &RpcClient,
    instructions: &[Instruction],
    payer: &Keypair,
    signers: &[&Keypair],
) -> Result<(), String> {
    let blockhash = rpc
        .get_latest_blockhash()
        .await
        .map_err(|e| format!("cannot reach the chain at {}: {e}", rpc.url()))?;
    let mut all = vec![payer];
    all.extend_from_slice(signers);
    let transaction =
        Transaction::new_signed_with_payer(instructions, Some(&payer.pubkey()), &all, blockhash);
    rpc.send_and_confirm_transaction(&transaction)
        .await
        .map(|_| ())
        .map_err(|e| format!("transaction failed: {e}"))
}

async fn send(rpc: &RpcClient, keys: &Keys, instructions: &[Instruction]) -> Result<(), String> {
    send_signed(rpc, instructions, &keys.keypair, &[]).await
}

/// `anoghost ghost`: signs in and prints the wallet's ghostId (and, with `follow`, every
/// rotation until interrupted).
pub async fn ghost(gateway: &str, keys: &Keys, follow: bool) -> Result<(), String> {
    let mut client = GatewayClient::connect(gateway)
        .await
        .map_err(|e| e.to_string())?;
    let ghost = client
        .sign_in(&keys.wallet)
        .await
        .map_err(|e| e.to_string())?;
    println!("ghostId: {ghost}");
    if follow {
        loop {
            tokio::select! {
                event = client.next_event() => {
                    if let GatewayEvent::Ghost { ghost_id } = event.map_err(|e| e.to_string())? {
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
    keys: &Keys,
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
                keys,
                &[ix::room_deposit(&keys.keypair.pubkey(), nonce, count)],
            )
            .await?;
        }
        Funding::SolanaPay { timeout } => {
            let link = solana_pay::room_deposit_link(gateway, &nonce, count)?;
            println!(
                "pay the escrow for {count} keys from the wallet {}:",
                keys.keypair.pubkey()
            );
            println!("{}", solana_pay::qr_code(&link)?);
            println!("Solana Pay link: {link}");
            let escrow = pda::escrow(&keys.keypair.pubkey(), &nonce);
            solana_pay::wait_for_account(&rpc, &escrow, timeout).await?;
            println!("escrow funded");
        }
    }
    let mut client = GatewayClient::connect(gateway)
        .await
        .map_err(|e| e.to_string())?;
    client
        .sign_in(&keys.wallet)
        .await
        .map_err(|e| e.to_string())?;
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
pub async fn list_keys(rpc_url: &str, keys: &Keys) -> Result<(), String> {
    let rpc = RpcClient::new(rpc_url.to_owned());
    let held = held_keys(&rpc, &keys.keypair.pubkey()).await?;
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
pub async fn choose_key(rpc_url: &str, keys: &Keys) -> Result<String, String> {
    let rpc = RpcClient::new(rpc_url.to_owned());
    let held = held_keys(&rpc, &keys.keypair.pubkey()).await?;
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
pub async fn burn_key(rpc_url: &str, keys: &Keys, mint: &str) -> Result<(), String> {
    let mint: Pubkey = mint
        .parse()
        .map_err(|_| format!("not a mint address: {mint}"))?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let config = rpc
        .get_account(&pda::config())
        .await
        .map_err(|e| format!("cannot read the program config: {e}"))?;
    let config = Config::try_deserialize(&mut config.data.as_slice())
        .map_err(|_| "the program config does not parse".to_owned())?;
    let holder = keys.keypair.pubkey();
    let holding = ix::key_token_account(&holder, &mint);
    let before = rpc.get_balance(&holder).await.map_err(|e| e.to_string())?;
    let instructions = [
        token_ix::burn(&TOKEN_2022, &holding, &mint, &holder, &[], 1).map_err(|e| e.to_string())?,
        token_ix::close_account(&TOKEN_2022, &holding, &holder, &holder, &[])
            .map_err(|e| e.to_string())?,
        ix::key_close(&holder, &mint, &config.gateway_authority),
    ];
    send(&rpc, keys, &instructions).await?;
    let after = rpc.get_balance(&holder).await.map_err(|e| e.to_string())?;
    println!(
        "key burned and closed; {} lamports of rent back to this wallet (net of the fee)",
        after.saturating_sub(before)
    );
    Ok(())
}
