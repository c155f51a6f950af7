//! `key_mint` and `key_close`: the soulbound Token-2022 key NFT.

use anchor_spl::token_2022::spl_token_2022;
use anchor_spl::token_2022::spl_token_2022::error::TokenError;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost::errors::AnoGhostError;
use anoghost_program_client::key::{read_key_holding, read_key_mint};
use anoghost_program_client::{instructions as ix, pda};
use anoghost_tests::bank::{code, Bank, Failure};
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn key_mint_creates_soulbound_key_with_sealed_metadata() {
    let mut bank = Bank::start().await;
    let holder = Keypair::new().pubkey();
    let key = bank.mint_key(&holder).await.expect("key_mint");

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
    assert_eq!(info.name, "AnoGhost room key");
    assert_eq!(info.symbol, "GHOST");
    assert_eq!(info.sealed_room, key.sealed_room);
    assert_eq!(info.sealed_ghost, key.sealed_ghost);

    // Rent was sized for the variable-length metadata: exactly rent-exempt at the final size.
    let rent = bank.rent(mint_account.data.len()).await;
    assert_eq!(mint_account.lamports, rent);

    let holding_account = bank.account(&key.token_account).await.expect("ATA exists");
    let holding = read_key_holding(&holding_account.data).expect("a token account");
    assert_eq!(holding.owner, holder);
    assert_eq!(holding.mint, key.mint);
    assert_eq!(holding.amount, 1);
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
        vec![1; 61],
        vec![2; 61],
        "fake".to_owned(),
    );
    let result = bank.send(&[instruction], &[&impostor]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));
    assert!(bank.account(&mint).await.is_none());
}

#[tokio::test]
async fn key_mint_refuses_oversized_sealed_field_and_empty_name() {
    let mut bank = Bank::start().await;
    let gateway = bank.gateway.insecure_clone();
    let holder = Keypair::new().pubkey();
    let (too_long, _) = ix::key_mint(
        &gateway.pubkey(),
        &holder,
        vec![1; 97],
        vec![2; 61],
        "k".into(),
    );
    let result = bank.send_paid_by(&[too_long], &gateway, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::InvalidSealedField)));
    let (no_name, _) = ix::key_mint(
        &gateway.pubkey(),
        &holder,
        vec![1; 61],
        vec![2; 61],
        String::new(),
    );
    let result = bank.send_paid_by(&[no_name], &gateway, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::InvalidKeyName)));
}

#[tokio::test]
async fn burned_key_is_closed_and_all_rent_returns() {
    let mut bank = Bank::start().await;
    let holder = bank.funded_wallet().await;
    let gateway_before = bank.balance(&bank.gateway.pubkey()).await;
    let key = bank.mint_key(&holder.pubkey()).await.expect("key_mint");
    let mint_rent = bank.balance(&key.mint).await;
    let ata_rent = bank.balance(&key.token_account).await;
    let gateway_after_mint = bank.balance(&bank.gateway.pubkey()).await;
    let fee = gateway_before - gateway_after_mint - mint_rent - ata_rent;
    println!(
        "cost per key: mint rent {mint_rent} + ATA rent {ata_rent} + fee {fee} = {} lamports gross",
        mint_rent + ata_rent + fee
    );

    let holder_before = bank.balance(&holder.pubkey()).await;
    let burn = spl_token_2022::instruction::burn(
        &TOKEN_2022,
        &key.token_account,
        &key.mint,
        &holder.pubkey(),
        &[],
        1,
    )
    .unwrap();
    let close_ata = spl_token_2022::instruction::close_account(
        &TOKEN_2022,
        &key.token_account,
        &holder.pubkey(),
        &holder.pubkey(),
        &[],
    )
    .unwrap();
    let close_mint = ix::key_close(&holder.pubkey(), &key.mint, &bank.gateway.pubkey());
    bank.send_paid_by(&[burn, close_ata, close_mint], &holder, &[])
        .await
        .expect("burn, close ATA, key_close");

    assert!(bank.account(&key.mint).await.is_none(), "mint closed");
    assert!(
        bank.account(&key.token_account).await.is_none(),
        "ATA closed"
    );
    let holder_fee = 5_000;
    assert_eq!(
        bank.balance(&holder.pubkey()).await,
        holder_before + ata_rent - holder_fee
    );
    assert_eq!(
        bank.balance(&bank.gateway.pubkey()).await,
        gateway_after_mint + mint_rent,
        "the mint's rent returns to the gateway authority that fronted it"
    );
    println!(
        "cost per key after burn + close + ATA close: {} lamports (fees only)",
        fee + holder_fee
    );
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
