//! `POST /v1/keys/burn`: a holder with no lamports burns its key, the gateway authority
//! pays the fee and takes back both rents; the gateway co-signs nothing else.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anchor_lang::solana_program::system_instruction;
use anoghost_program_client::instructions as ix;
use anoghost_sdk::gateway::burn_key;
use anoghost_tests::bank::Bank;
use anoghost_tests::paid::{mint_room_key, spawn_paid_gateway, spawn_paid_gateway_with};
use base64::Engine as _;
use serde_json::{json, Value};
use solana_sdk::hash::Hash;
use solana_sdk::message::Message;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

async fn blockhash(bank: &mut Bank) -> Hash {
    bank.latest_blockhash().await
}

/// `instructions` paid by `fee_payer`, signed by `signers` only, as the endpoint's JSON body.
fn body(
    instructions: &[solana_sdk::instruction::Instruction],
    fee_payer: &Pubkey,
    signers: &[&Keypair],
    hash: Hash,
) -> Value {
    let mut transaction = Transaction::new_unsigned(Message::new_with_blockhash(
        instructions,
        Some(fee_payer),
        &hash,
    ));
    transaction.try_partial_sign(signers, hash).unwrap();
    let bytes = bincode::serialize(&transaction).unwrap();
    json!({ "transaction": base64::engine::general_purpose::STANDARD.encode(bytes) })
}

async fn post(addr: std::net::SocketAddr, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("http://{addr}/v1/keys/burn"))
        .json(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_with_no_lamports_burns_its_key_through_the_gateway() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let holder = Keypair::new();
    let key = mint_room_key(&mut bank, &holder.pubkey(), &rand::random())
        .await
        .unwrap();
    let authority = bank.gateway.pubkey();
    let rents = bank.balance(&key.mint).await + bank.balance(&key.token_account).await;
    let before = bank.balance(&authority).await;
    assert_eq!(bank.balance(&holder.pubkey()).await, 0);

    let hash = blockhash(&mut bank).await;
    let signature = burn_key(&url, &holder, &authority, hash).await.unwrap();
    assert!(!signature.is_empty());
    assert!(bank.account(&key.mint).await.is_none(), "mint closed");
    assert!(
        bank.account(&key.token_account).await.is_none(),
        "ATA closed"
    );
    assert_eq!(
        bank.balance(&authority).await,
        before + rents - 10_000,
        "both rents back, one two-signature fee paid"
    );
    assert_eq!(
        bank.balance(&holder.pubkey()).await,
        0,
        "the holder never held lamports"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_co_signs_nothing_but_a_holder_signed_key_burn_of_a_live_key() {
    let mut bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway(&bank);
    let holder = Keypair::new();
    mint_room_key(&mut bank, &holder.pubkey(), &rand::random())
        .await
        .unwrap();
    let authority = bank.gateway.pubkey();
    let before = bank.balance(&authority).await;
    let hash = blockhash(&mut bank).await;
    let burn = ix::key_burn(&holder.pubkey(), &authority);
    let thief = Keypair::new();
    let cases = [
        (
            body(
                &[system_instruction::transfer(
                    &authority,
                    &thief.pubkey(),
                    1_000_000,
                )],
                &authority,
                &[],
                hash,
            ),
            400,
            "not_a_key_burn",
        ),
        (
            body(
                &[
                    burn.clone(),
                    system_instruction::transfer(&authority, &thief.pubkey(), 1),
                ],
                &authority,
                &[&holder],
                hash,
            ),
            400,
            "not_a_key_burn",
        ),
        (
            body(
                &[ix::key_burn(&holder.pubkey(), &thief.pubkey())],
                &authority,
                &[&holder],
                hash,
            ),
            400,
            "not_a_key_burn",
        ),
        (
            body(
                std::slice::from_ref(&burn),
                &thief.pubkey(),
                &[&thief, &holder],
                hash,
            ),
            400,
            "not_a_key_burn",
        ),
        (body(&[burn], &authority, &[], hash), 400, "bad_signature"),
        (
            body(
                &[ix::key_burn(&thief.pubkey(), &authority)],
                &authority,
                &[&thief],
                hash,
            ),
            404,
            "no_key",
        ),
        (json!({ "transaction": "!!" }), 400, "bad_transaction"),
        (json!({ "tx": "x" }), 400, "bad_json"),
    ];
    for (request, status, error) in cases {
        let (got_status, answer) = post(gateway.addr, &request).await;
        assert_eq!(
            (got_status, answer["error"].as_str()),
            (status, Some(error)),
            "{answer}"
        );
    }
    assert_eq!(bank.balance(&authority).await, before, "nothing was paid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn burn_requests_are_limited_per_client_address() {
    let bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway_with(&bank, |config| {
        config.burns_per_minute_per_ip = 2;
    });
    let junk = json!({ "tx": "x" });
    for _ in 0..2 {
        assert_eq!(post(gateway.addr, &junk).await.0, 400);
    }
    let (status, answer) = post(gateway.addr, &junk).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (429, Some("rate_limited"))
    );
}
