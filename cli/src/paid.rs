//! Paid rooms from the terminal: ghost contacts, creating a paid room (funding its escrow
//! from a keypair or a phone wallet), and refunding an escrow.

use std::time::Duration;

use anoghost_program_client::{instructions as ix, pda};
use anoghost_sdk::chain::send_signed;
use anoghost_sdk::gateway::{paid_invitee, GatewayClient};
use anoghost_sdk::paid::escrow::escrows_with_nonce;
use anoghost_sdk::paid::{next_contact_index, GhostContact, HolderRoot, PaidInvite};
use anoghost_sdk::wallet::Wallet;
use rand::RngCore;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;

use crate::solana_pay;

/// Reads the wallet in a Solana CLI keypair file.
pub fn load_wallet(path: &std::path::Path) -> Result<Wallet, String> {
    Wallet::from_keypair_file(path).map_err(|e| e.to_string())
}

/// `anoghost ghost`: derives the next unused holder address of the wallet, has the gateway
/// seal it into a ghostId, and prints the ghost contact (ghostId and invite key).
pub async fn ghost(gateway: &str, rpc_url: &str, wallet: &Wallet) -> Result<(), String> {
    let root = HolderRoot::from_wallet(wallet);
    let rpc = RpcClient::new(rpc_url.to_owned());
    let index = next_contact_index(&rpc, &root, &mut rand::rngs::OsRng)
        .await
        .map_err(|e| e.to_string())?;
    let mut client = GatewayClient::connect(gateway)
        .await
        .map_err(|e| e.to_string())?;
    let ghost_id = client
        .issue_ghost(&root.holder(index))
        .await
        .map_err(|e| e.to_string())?;
    client.close().await;
    let contact = GhostContact {
        ghost_id,
        invite_key: root.invite_key(index).public(),
    };
    println!("ghost contact: {contact}");
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
    pub contacts: &'a [String],
    pub funding: Funding,
}

/// `anoghost room create-paid`: seals the room secret and name for each invitee, funds an
/// escrow, and has the gateway lock it and mint the keys. Prints the escrow nonce first, so
/// the escrow can be refunded whatever happens next.
pub async fn create_paid(
    gateway: &str,
    rpc_url: &str,
    wallet: &Wallet,
    room: PaidRoom<'_>,
) -> Result<(), String> {
    let contacts = room
        .contacts
        .iter()
        .map(|text| text.parse::<GhostContact>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let count = u16::try_from(contacts.len()).map_err(|_| "too many invitees".to_owned())?;
    let invite =
        PaidInvite::generate(room.name, &mut rand::rngs::OsRng).map_err(|e| e.to_string())?;
    let invitees = contacts
        .iter()
        .map(|contact| paid_invitee(contact, &invite, &mut rand::rngs::OsRng))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let rpc = RpcClient::new(rpc_url.to_owned());
    let mut nonce = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let nonce_text = bs58::encode(nonce).into_string();
    println!(
        "escrow nonce: {nonce_text} (to take it back if no keys come: \
         anoghost room refund --keypair <this wallet's file> --nonce {nonce_text})"
    );
    match room.funding {
        Funding::Keypair => {
            println!("funding an escrow for {count} keys …");
            send_signed(
                &rpc,
                &[ix::room_deposit(&wallet.pubkey(), nonce, count)],
                wallet.keypair(),
                &[],
            )
            .await
            .map_err(|e| e.to_string())?;
        }
        Funding::SolanaPay { timeout } => {
            let link = solana_pay::room_deposit_link(gateway, &nonce, count, &wallet.pubkey())?;
            println!(
                "pay the escrow for {count} keys from the wallet {}:",
                wallet.pubkey()
            );
            println!("{}", solana_pay::qr_code(&link)?);
            println!("Solana Pay link: {link}");
            solana_pay::wait_for_escrow(&rpc, &wallet.pubkey(), &nonce, timeout).await?;
            println!("escrow funded");
        }
    }
    let mut client = GatewayClient::connect(gateway)
        .await
        .map_err(|e| e.to_string())?;
    // The sign-in message must name the cluster the escrow is on.
    client.expect_chain_id(&anoghost_sdk::chain::chain_id_of(rpc_url));
    client.sign_in(wallet).await.map_err(|e| e.to_string())?;
    println!("locking the escrow and minting keys …");
    let minted = client
        .create_paid_room(&nonce, &invite.room_tag(), &invitees)
        .await
        .map_err(|e| e.to_string())?;
    for (index, minted) in minted.iter().enumerate() {
        if *minted {
            println!("invitee {}: key minted", index + 1);
        } else {
            println!(
                "invitee {}: no key (contact expired, from another gateway, or already holding one)",
                index + 1
            );
        }
    }
    client.close().await;
    Ok(())
}

/// `anoghost room refund`: takes back the wallet's escrow under `nonce`.
pub async fn refund(rpc_url: &str, wallet: &Wallet, nonce: &str) -> Result<(), String> {
    let mut bytes = [0u8; 32];
    if !matches!(bs58::decode(nonce).onto(&mut bytes), Ok(32)) {
        return Err(format!("not an escrow nonce (base58 of 32 bytes): {nonce}"));
    }
    let rpc = RpcClient::new(rpc_url.to_owned());
    if rpc
        .get_account(&pda::escrow(&wallet.pubkey(), &bytes))
        .await
        .is_err()
    {
        let others = escrows_with_nonce(&rpc, &bytes)
            .await
            .map_err(|e| e.to_string())?;
        return Err(match others.first() {
            Some((_, escrow)) => format!(
                "this wallet has no escrow under that nonce; the wallet {} paid it: refund with \
                 that wallet's keypair",
                escrow.payer
            ),
            None => "no escrow under that nonce: it was never funded, or was already settled \
                     or refunded"
                .to_owned(),
        });
    }
    let before = rpc.get_balance(&wallet.pubkey()).await.unwrap_or(0);
    send_signed(
        &rpc,
        &[ix::room_refund(&wallet.pubkey(), bytes)],
        wallet.keypair(),
        &[],
    )
    .await
    .map_err(|e| format!("refund refused (the escrow's refund time may not have come yet): {e}"))?;
    let after = rpc.get_balance(&wallet.pubkey()).await.unwrap_or(0);
    println!(
        "escrow refunded: {} back to this wallet (net of the fee)",
        crate::purse::sol(after.saturating_sub(before))
    );
    Ok(())
}
