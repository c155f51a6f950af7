//! The paid-room flow end to end: an initiator funds an escrow, the gateway mints one key
//! per invitee and settles the escrow, the invitees join with their keys and chat, and every
//! balance adds up to the lamport.

use anoghost_protocol::frame::FrameKind;
use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::pda;
use anoghost_protocol::ErrorCode;
use anoghost_sdk::gateway::{ClientError, GatewayEvent};
use anoghost_sdk::wallet::Wallet;
use anoghost_tests::bank::{Bank, PRICE_PER_KEY, WALLET_LAMPORTS};
use anoghost_tests::paid::{signed_in, spawn_paid_gateway};
use solana_sdk::signature::{Keypair, Signer};

/// A wallet the bank can fund and sign with, and the gateway can sign in.
fn wallet_pair() -> (Keypair, Wallet) {
    let secret: [u8; 32] = rand::random();
    (
        Keypair::new_from_array(secret),
        Wallet::from_secret(&secret),
    )
}

async fn funded(bank: &mut Bank) -> (Keypair, Wallet) {
    let (keypair, wallet) = wallet_pair();
    bank.fund(&keypair.pubkey(), WALLET_LAMPORTS).await;
    (keypair, wallet)
}

async fn wait_until_closed(bank: &mut Bank, address: &Pubkey) {
    for _ in 0..200 {
        if bank.account(address).await.is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the escrow was never settled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposit_mint_join_chat_leave_and_settle_to_the_lamport() {
    let mut bank = Bank::start().await;
    let (gateway, _, url) = spawn_paid_gateway(&bank);
    let (initiator_keys, initiator) = funded(&mut bank).await;
    let invitees: Vec<Wallet> = (0..3).map(|_| wallet_pair().1).collect();
    let mut clients = Vec::new();
    let mut ghost_ids = Vec::new();
    for invitee in &invitees {
        let mut client = anoghost_sdk::gateway::GatewayClient::connect(&url)
            .await
            .unwrap();
        ghost_ids.push(client.sign_in(invitee).await.unwrap());
        clients.push(client);
    }

    let treasury = bank.treasury;
    let authority = bank.gateway.pubkey();
    let payer = initiator_keys.pubkey();
    let payer_start = bank.balance(&payer).await;
    let treasury_start = bank.balance(&treasury).await;
    let authority_start = bank.balance(&authority).await;

    let nonce = bank.deposit(&initiator_keys, 3).await.unwrap();
    let escrow = pda::escrow(&payer, &nonce);
    let mut initiator_client = signed_in(&url, &initiator).await;
    let mints = initiator_client
        .create_paid_room("DAO council", &nonce, &ghost_ids)
        .await
        .unwrap();
    assert_eq!(mints.len(), 3);
    let mints: Vec<String> = mints
        .into_iter()
        .map(|m| m.expect("every invitee got a key"))
        .collect();

    let mut joined = Vec::new();
    for (client, mint) in clients.iter_mut().zip(&mints) {
        joined.push(client.join_paid_room(mint).await.unwrap());
    }
    let room = joined[0].room;
    assert!(
        joined.iter().all(|j| j.room == room),
        "all three keys open one room"
    );

    for other in &joined[1..] {
        clients[0]
            .send_frame(room, FrameKind::Welcome, Some(other.member), b"ciphertext")
            .await
            .unwrap();
    }
    for client in clients.iter_mut().skip(1) {
        loop {
            if let GatewayEvent::Frame { payload, .. } = client.next_event().await.unwrap() {
                assert_eq!(payload, b"ciphertext");
                break;
            }
        }
    }
    for (client, j) in clients.iter_mut().zip(&joined) {
        client.leave_room(j.room).await.unwrap();
    }
    assert_eq!(gateway.gateway.rooms.room_count(), 0, "the room is gone");

    wait_until_closed(&mut bank, &escrow).await;
    let fee = 5_000;
    assert_eq!(
        bank.balance(&treasury).await,
        treasury_start + 3 * PRICE_PER_KEY
    );
    assert_eq!(
        bank.balance(&payer).await,
        payer_start - 3 * PRICE_PER_KEY - fee,
        "the payer paid for three keys and its deposit fee; the escrow's rent came back"
    );
    let mut rent = 0;
    for mint in &mints {
        let mint: Pubkey = mint.parse().unwrap();
        let holder_of = |i: usize| Pubkey::new_from_array(invitees[i].public_key());
        rent += bank.balance(&mint).await;
        let index = mints.iter().position(|m| *m == mint.to_string()).unwrap();
        rent += bank
            .balance(&anoghost_program_client::key_token_account(
                &holder_of(index),
                &mint,
            ))
            .await;
    }
    assert_eq!(
        bank.balance(&authority).await,
        authority_start - rent - 4 * fee,
        "the authority fronted three keys' rent and paid three mint fees and one settle fee"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_invitee_gets_no_key_and_the_escrow_refunds_it() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let (initiator_keys, initiator) = funded(&mut bank).await;
    let invitee = wallet_pair().1;
    let mut client = anoghost_sdk::gateway::GatewayClient::connect(&url)
        .await
        .unwrap();
    let ghost = client.sign_in(&invitee).await.unwrap();
    let payer = initiator_keys.pubkey();
    let nonce = bank.deposit(&initiator_keys, 2).await.unwrap();
    let after_deposit = bank.balance(&payer).await;
    let escrow = pda::escrow(&payer, &nonce);
    let escrow_balance = bank.balance(&escrow).await;

    let mut initiator_client = signed_in(&url, &initiator).await;
    let stale = "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy".to_owned();
    let mints = initiator_client
        .create_paid_room("two invited", &nonce, &[ghost, stale])
        .await
        .unwrap();
    assert!(mints[0].is_some());
    assert_eq!(mints[1], None, "an expired or foreign ghostId gets no key");
    wait_until_closed(&mut bank, &escrow).await;
    assert_eq!(
        bank.balance(&payer).await,
        after_deposit + escrow_balance - PRICE_PER_KEY,
        "one key paid, one refunded with the rent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escrow_that_is_too_small_missing_or_reused_is_refused() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let (initiator_keys, initiator) = funded(&mut bank).await;
    let mut invitees = Vec::new();
    for _ in 0..2 {
        let mut client = anoghost_sdk::gateway::GatewayClient::connect(&url)
            .await
            .unwrap();
        invitees.push(client.sign_in(&wallet_pair().1).await.unwrap());
    }
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    let mut client = signed_in(&url, &initiator).await;
    let refused = |result: Result<Vec<Option<String>>, ClientError>, expected: &str| match result {
        Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), expected),
        other => panic!("expected {expected}, got {other:?}"),
    };
    refused(
        client.create_paid_room("x", &nonce, &invitees).await,
        "escrow_too_small",
    );
    refused(
        client.create_paid_room("x", &[9; 32], &invitees[..1]).await,
        "escrow_not_found",
    );
    client
        .create_paid_room("x", &nonce, &invitees[..1])
        .await
        .unwrap();
    // Before settlement the escrow is in use; after it, the escrow is closed. Either way a
    // second batch of keys is refused.
    match client.create_paid_room("x", &nonce, &invitees[..1]).await {
        Err(ClientError::Refused { code, .. }) => {
            assert!(
                code == ErrorCode::EscrowUsed || code == ErrorCode::EscrowNotFound,
                "{code}"
            )
        }
        other => panic!("a used escrow paid twice: {other:?}"),
    }
    refused(
        client.create_paid_room("", &[8; 32], &invitees[..1]).await,
        "bad_room_name",
    );
}
