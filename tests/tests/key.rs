//! `key_mint`, `key_burn` and `key_close`: the soulbound Token-2022 key NFT at a one-time
//! holder address.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anchor_lang::error::ErrorCode;
use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost::errors::AnoGhostError;
use anoghost_program_client::key::{read_key_holding, read_key_mint};
use anoghost_program_client::limits::{KEY_NAME, KEY_SYMBOL};
use anoghost_program_client::{instructions as ix, pda};
use anoghost_tests::bank::{anchor_code, code, random_binding, random_invite, Bank, Failure};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn key_mint_creates_soulbound_key_with_fixed_size_metadata() {
    let mut bank = Bank::start().await;
    let holder = Keypair::new().pubkey();
    let key = bank.mint_key(&holder).await.expect("key_mint");
    assert_eq!(key.mint, pda::key_mint(&holder), "one address per holder");

    let mint_account = bank.account(&key.mint).await.expect("mint exists");
    assert_eq!(mint_account.owner, TOKEN_2022);
    let info = read_key_mint(&mint_account.data).expect("a key mint");
    assert_eq!(info.supply, 1);
    assert_eq!(info.decimals, 0);
    assert_eq!(info.mint_authority, None, "mint authority revoked");
    assert!(info.non_transferable);
    assert_eq!(info.close_authority, Some(pda::key_authority()));
    assert_eq!(
        info.metadata_pointer,
        Some((Some(pda::key_authority()), Some(key.mint))),
        "metadata pointer points to the mint itself"
    );
    assert_eq!(info.metadata_update_authority, Some(pda::key_authority()));
    assert_eq!(info.name, KEY_NAME, "no room name on chain");
    assert_eq!(info.symbol, KEY_SYMBOL);
    assert_eq!(info.room_binding, key.room_binding);
    assert_eq!(info.invite, key.invite);

    // Rent was sized for the variable-length metadata: exactly rent-exempt at the final size.
    let rent = bank.rent(mint_account.data.len()).await;
    assert_eq!(mint_account.lamports, rent);

    let holding_account = bank.account(&key.token_account).await.expect("ATA exists");
    let holding = read_key_holding(&holding_account.data).expect("a token account");
    assert_eq!(holding.owner, holder);
    assert_eq!(holding.mint, key.mint);
    assert_eq!(holding.amount, 1);

    // Every key has the same size, whatever its contents.
    let other = bank.mint_key(&Keypair::new().pubkey()).await.unwrap();
    let other_len = bank.account(&other.mint).await.unwrap().data.len();
    assert_eq!(other_len, mint_account.data.len());
}

#[tokio::test]
async fn a_second_key_for_the_same_holder_is_refused_by_name() {
    let mut bank = Bank::start().await;
    let holder = Keypair::new().pubkey();
    let first = bank.mint_key(&holder).await.expect("first key");
    let second = bank.mint_key(&holder).await.map(|_| ());
    assert_eq!(second, Err(code(AnoGhostError::AddressTaken)));
    let info = read_key_mint(&bank.account(&first.mint).await.unwrap().data).unwrap();
    assert_eq!(info.invite, first.invite, "the first key is untouched");
}

#[tokio::test]
async fn key_cannot_be_transferred_to_another_wallet() {
    let mut bank = Bank::start().await;
    let holder = bank.funded_wallet().await;
    let thief = Keypair::new().pubkey();
    let key = bank.mint_key(&holder.pubkey()).await.expect("key_mint");

    let thief_account = ix::key_token_account(&thief, &key.mint);
    let create = anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account(
        &holder.pubkey(),
        &thief,
        &key.mint,
        &TOKEN_2022,
    );
    bank.send(&[create], &[&holder])
        .await
        .expect("anyone may open an ATA");
    let transfer = spl_token_2022::instruction::transfer_checked(
        &TOKEN_2022,
        &key.token_account,
        &key.mint,
        &thief_account,
        &holder.pubkey(),
        &[],
        1,
        0,
    )
    .expect("transfer instruction");
    let result = bank.send(&[transfer], &[&holder]).await;
    assert_eq!(
        result,
        Err(Failure::Custom(TokenError::NonTransferable as u32))
    );
    let holding = read_key_holding(&bank.account(&key.token_account).await.unwrap().data).unwrap();
    assert_eq!(holding.amount, 1, "the key stays with its holder");
}

#[tokio::test]
async fn key_mint_by_anyone_but_gateway_is_refused() {
    let mut bank = Bank::start().await;
    let impostor = bank.funded_wallet().await;
    let (instruction, mint) = ix::key_mint(
        &impostor.pubkey(),
        &impostor.pubkey(),
        random_binding(),
        random_invite(),
    );
    let result = bank.send(&[instruction], &[&impostor]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));
    assert!(bank.account(&mint).await.is_none());
}

#[tokio::test]
async fn key_burn_signed_by_an_empty_holder_returns_both_rents_to_the_gateway() {
    let mut bank = Bank::start().await;
    let holder = Keypair::new();
    let gateway = bank.gateway.insecure_clone();
    let gateway_before = bank.balance(&gateway.pubkey()).await;
    let key = bank.mint_key(&holder.pubkey()).await.expect("key_mint");
    let mint_rent = bank.balance(&key.mint).await;
    let ata_rent = bank.balance(&key.token_account).await;
    let gateway_after_mint = bank.balance(&gateway.pubkey()).await;
    let mint_fee = gateway_before - gateway_after_mint - mint_rent - ata_rent;
    println!(
        "gross cost per key: mint rent {mint_rent} + ATA rent {ata_rent} + fee {mint_fee} = {} lamports",
        mint_rent + ata_rent + mint_fee
    );
    assert_eq!(
        bank.balance(&holder.pubkey()).await,
        0,
        "the holder holds no lamports"
    );

    // The holder signs; the gateway authority pays the fee, as `POST /v1/keys/burn` does.
    let burn = ix::key_burn(&holder.pubkey(), &gateway.pubkey());
    bank.send_paid_by(&[burn], &gateway, &[&holder])
        .await
        .expect("key_burn");

    assert!(bank.account(&key.mint).await.is_none(), "mint closed");
    assert!(
        bank.account(&key.token_account).await.is_none(),
        "ATA closed"
    );
    let burn_fee = 2 * 5_000;
    assert_eq!(
        bank.balance(&gateway.pubkey()).await,
        gateway_after_mint + mint_rent + ata_rent - burn_fee,
        "both rents return to the gateway authority that fronted them"
    );
    println!(
        "net cost per key after key_burn: {} lamports (mint fee {mint_fee} + burn fee {burn_fee})",
        mint_fee + burn_fee
    );
    // The holder's address is free again: a new key can be minted there.
    bank.mint_key(&holder.pubkey()).await.expect("minted again");
}

#[tokio::test]
async fn key_burn_by_another_signer_with_rent_redirected_or_a_fake_token_program_is_refused() {
    let mut bank = Bank::start().await;
    let holder = Keypair::new();
    let thief = bank.funded_wallet().await;
    let key = bank.mint_key(&holder.pubkey()).await.expect("key_mint");
    let gateway = bank.gateway.pubkey();

    // The thief names the holder's mint under its own signature: the mint is not its PDA.
    let mut stolen = ix::key_burn(&thief.pubkey(), &gateway);
    stolen.accounts[3].pubkey = key.mint;
    stolen.accounts[4].pubkey = key.token_account;
    let result = bank.send_paid_by(&[stolen], &thief, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));

    let mut redirected = ix::key_burn(&holder.pubkey(), &gateway);
    redirected.accounts[5].pubkey = thief.pubkey();
    let result = bank.send_paid_by(&[redirected], &thief, &[&holder]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));

    // key_burn signs as the key authority in its CPIs: only ever towards Token-2022.
    let mut fake = ix::key_burn(&holder.pubkey(), &gateway);
    fake.accounts[6].pubkey = anchor_spl::token::ID;
    let result = bank.send_paid_by(&[fake], &thief, &[&holder]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::InvalidProgramId)));
    assert_eq!(
        bank.account(&key.mint).await.map(|a| a.owner),
        Some(TOKEN_2022)
    );
}

async fn burned_without_close(bank: &mut Bank) -> (Keypair, anoghost_tests::bank::MintedKey) {
    let holder = bank.funded_wallet().await;
    let key = bank.mint_key(&holder.pubkey()).await.expect("key_mint");
    let burn = spl_token_2022::instruction::burn(
        &TOKEN_2022,
        &key.token_account,
        &key.mint,
        &holder.pubkey(),
        &[],
        1,
    )
    .unwrap();
    bank.send_paid_by(&[burn], &holder, &[])
        .await
        .expect("burn");
    (holder, key)
}

#[tokio::test]
async fn key_close_of_a_burned_key_returns_the_rent_to_the_gateway_only() {
    let mut bank = Bank::start().await;
    let (holder, key) = burned_without_close(&mut bank).await;
    let gateway = bank.gateway.pubkey();

    let mut redirected = ix::key_close(&holder.pubkey(), &key.mint, &gateway);
    redirected.accounts[4].pubkey = holder.pubkey();
    let result = bank.send_paid_by(&[redirected], &holder, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));

    let before = bank.balance(&gateway).await;
    let mint_rent = bank.balance(&key.mint).await;
    let close = ix::key_close(&holder.pubkey(), &key.mint, &gateway);
    bank.send_paid_by(&[close], &holder, &[])
        .await
        .expect("key_close");
    assert!(bank.account(&key.mint).await.is_none());
    assert_eq!(bank.balance(&gateway).await, before + mint_rent);
}

#[tokio::test]
async fn key_close_with_a_fake_token_program_is_refused() {
    let mut bank = Bank::start().await;
    let (holder, key) = burned_without_close(&mut bank).await;
    // key_close signs as the key authority in its CPI: it must only ever call Token-2022.
    let mut fake = ix::key_close(&holder.pubkey(), &key.mint, &bank.gateway.pubkey());
    fake.accounts[5].pubkey = anchor_spl::token::ID;
    let result = bank.send_paid_by(&[fake], &holder, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::InvalidProgramId)));
    assert!(bank.account(&key.mint).await.is_some());
}

#[tokio::test]
async fn key_close_refuses_a_key_that_was_not_burned() {
    let mut bank = Bank::start().await;
    let holder = bank.funded_wallet().await;
    let key = bank.mint_key(&holder.pubkey()).await.expect("key_mint");
    let close = ix::key_close(&holder.pubkey(), &key.mint, &bank.gateway.pubkey());
    let result = bank.send_paid_by(&[close], &holder, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::KeyNotBurned)));
    assert!(bank.account(&key.mint).await.is_some());
}
