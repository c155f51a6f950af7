//! Settlement from chain state only: a locked escrow is settled by whichever gateway finds
//! it, after a restart or with several gateways, and exactly once.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::pda;
use anoghost_sdk::gateway::paid_invitee;
use anoghost_sdk::wallet::Wallet;
use anoghost_tests::bank::{Bank, PRICE_PER_KEY, WALLET_LAMPORTS};
use anoghost_tests::paid::{
    new_room, signed_in, spawn_paid_gateway, spawn_paid_gateway_with, Invitee,
};
use solana_sdk::signature::{Keypair, Signer};

async fn settled(bank: &mut Bank, escrow: &Pubkey) -> bool {
    for _ in 0..400 {
        if bank.account(escrow).await.is_none() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_gateway_settles_what_the_first_one_locked() {
    let mut bank = Bank::start().await;
    // The first gateway would wait up to half the refund timeout before settling.
    let (first, _, url) = spawn_paid_gateway_with(&bank, |config| {
        config.settle_delay_max_secs = 3_600;
    });
    let secret: [u8; 32] = rand::random();
    let payer = Keypair::new_from_array(secret);
    bank.fund(&payer.pubkey(), WALLET_LAMPORTS).await;
    let invitee = Invitee::new(0);
    let contact = invitee.contact(&url).await;
    let (invite, tag) = new_room("restart");
    let nonce = bank.deposit(&payer, 2).await.unwrap();
    let mut client = signed_in(&url, &Wallet::from_secret(&secret)).await;
    let entry = paid_invitee(&contact, &invite, &mut rand::rngs::OsRng).unwrap();
    assert_eq!(
        client
            .create_paid_room(&nonce, &tag, &[entry])
            .await
            .unwrap(),
        vec![true]
    );
    first.shutdown().await.unwrap();
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    assert!(bank.account(&escrow).await.is_some(), "still locked");

    let treasury_before = bank.treasury_balance().await;
    let (_second, _, _) = spawn_paid_gateway(&bank);
    assert!(
        settled(&mut bank, &escrow).await,
        "the new gateway settled it"
    );
    assert_eq!(
        bank.treasury_balance().await,
        treasury_before + PRICE_PER_KEY,
        "one key was locked, so one key is paid"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_settle_one_escrow_exactly_once() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 3).await.unwrap();
    bank.lock(&payer.pubkey(), nonce, 2).await.unwrap();
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    let escrow_balance = bank.balance(&escrow).await;
    let treasury_before = bank.treasury_balance().await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    let authority = bank.gateway.pubkey();
    let authority_before = bank.balance(&authority).await;

    let (_one, _, _) = spawn_paid_gateway(&bank);
    let (_two, _, _) = spawn_paid_gateway(&bank);
    assert!(settled(&mut bank, &escrow).await);
    // Let the slower gateway's attempt run its course.
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert_eq!(
        bank.treasury_balance().await,
        treasury_before + 2 * PRICE_PER_KEY
    );
    assert_eq!(
        bank.balance(&payer.pubkey()).await,
        payer_before + escrow_balance - 2 * PRICE_PER_KEY
    );
    // The loser's transaction fails preflight (no cost) or, if both passed preflight at
    // once, lands and fails: one more fee at most.
    let spent = authority_before - bank.balance(&authority).await;
    assert!((5_000..=10_000).contains(&spent), "{spent}");
}
