//! Solana Pay transaction requests: the GET and POST answers follow the spec, and the
//! returned transaction, signed by the account, succeeds in the bank.

// Helpers below panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost::state::{PaymentVault, RoomEscrow};
use anoghost_program_client::{pda, PROGRAM_ID};
use anoghost_tests::bank::{Bank, PRICE_PER_KEY};
use anoghost_tests::paid::{spawn_paid_gateway, spawn_paid_gateway_with};
use base64::Engine as _;
use serde_json::{json, Value};
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

async fn post(url: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let cors = response
        .headers()
        .get("access-control-allow-origin")
        .cloned();
    assert_eq!(
        cors.as_ref().map(|v| v.to_str().unwrap()),
        Some("*"),
        "wallets fetch cross-origin"
    );
    (status, response.json().await.unwrap())
}

/// Decodes a transaction request's answer, checks its shape and signs it as `payer`.
fn sign_answer(answer: &Value, payer: &Keypair) -> Transaction {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(answer["transaction"].as_str().expect("transaction field"))
        .unwrap();
    let mut transaction: Transaction = bincode::deserialize(&bytes).unwrap();
    assert_eq!(
        transaction.message.account_keys[0],
        payer.pubkey(),
        "the account pays the fee"
    );
    assert_eq!(transaction.message.instructions.len(), 1);
    let program = transaction.message.instructions[0].program_id(&transaction.message.account_keys);
    assert_eq!(*program, PROGRAM_ID);
    assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    let blockhash = transaction.message.recent_blockhash;
    transaction.sign(&[payer], blockhash);
    transaction
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_answers_label_and_icon() {
    let bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway(&bank);
    for path in ["room-deposit", "payment"] {
        let url = format!("http://{}/v1/pay/{path}", gateway.addr);
        let answer: Value = reqwest::get(&url).await.unwrap().json().await.unwrap();
        assert!(answer["label"].as_str().unwrap().starts_with("AnoGhost"));
        let icon = answer["icon"].as_str().unwrap();
        let response = reqwest::get(icon).await.unwrap();
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        assert!(response.text().await.unwrap().starts_with("<svg"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_icon_url_comes_from_the_public_url_not_the_host_header() {
    let bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway_with(&bank, |config| {
        config.public_url = Some("https://chat.example/".into());
    });
    let answer: Value = reqwest::Client::new()
        .get(format!("http://{}/v1/pay/room-deposit", gateway.addr))
        .header("Host", "evil.example")
        .header("X-Forwarded-Proto", "http")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["icon"], "https://chat.example/v1/pay/icon.svg");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_deposit_link_for_one_wallet_refuses_another() {
    let mut bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway(&bank);
    let expected = bank.funded_wallet().await;
    let other = bank.funded_wallet().await;
    let nonce: [u8; 32] = rand::random();
    let url = format!(
        "http://{}/v1/pay/room-deposit?nonce={}&keys=2&payer={}",
        gateway.addr,
        bs58::encode(nonce).into_string(),
        expected.pubkey()
    );
    let (status, answer) = post(&url, json!({"account": other.pubkey().to_string()})).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("wrong_account"))
    );
    let (status, answer) = post(&url, json!({"account": expected.pubkey().to_string()})).await;
    assert_eq!(status, 200, "{answer}");
    bank.process(sign_answer(&answer, &expected)).await.unwrap();
    let escrow: RoomEscrow = bank
        .anchor_account(&pda::escrow(&expected.pubkey(), &nonce))
        .await;
    assert_eq!(escrow.payer, expected.pubkey());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn room_deposit_transaction_signed_by_the_wallet_lands() {
    let mut bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway(&bank);
    let wallet = bank.funded_wallet().await;
    let nonce: [u8; 32] = rand::random();
    let url = format!(
        "http://{}/v1/pay/room-deposit?nonce={}&keys=4",
        gateway.addr,
        bs58::encode(nonce).into_string()
    );
    let (status, answer) = post(&url, json!({"account": wallet.pubkey().to_string()})).await;
    assert_eq!(status, 200, "{answer}");
    let transaction = sign_answer(&answer, &wallet);
    bank.process(transaction).await.unwrap();
    let escrow: RoomEscrow = bank
        .anchor_account(&pda::escrow(&wallet.pubkey(), &nonce))
        .await;
    assert_eq!((escrow.keys, escrow.amount), (4, 4 * PRICE_PER_KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_transaction_signed_by_the_wallet_lands() {
    let mut bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway(&bank);
    let wallet = bank.funded_wallet().await;
    let claim = Keypair::new().pubkey();
    let expiry = bank.now().await + 3_600;
    let url = format!(
        "http://{}/v1/pay/payment?claim={claim}&amount=1234567&expiry={expiry}",
        gateway.addr
    );
    let (status, answer) = post(&url, json!({"account": wallet.pubkey().to_string()})).await;
    assert_eq!(status, 200, "{answer}");
    let transaction = sign_answer(&answer, &wallet);
    bank.process(transaction).await.unwrap();
    let vault: PaymentVault = bank.anchor_account(&pda::payment(&claim)).await;
    assert_eq!(
        (vault.amount, vault.expiry, vault.depositor),
        (1_234_567, expiry, wallet.pubkey())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_clear_errors() {
    let bank = Bank::start().await;
    let (gateway, _, _) = spawn_paid_gateway(&bank);
    let account = json!({"account": Keypair::new().pubkey().to_string()});
    let base = format!("http://{}/v1/pay", gateway.addr);
    let cases = [
        (
            format!("{base}/room-deposit?nonce=short&keys=2"),
            account.clone(),
            "bad_query",
        ),
        (
            format!(
                "{base}/room-deposit?nonce={}&keys=0",
                bs58::encode([1u8; 32]).into_string()
            ),
            account.clone(),
            "bad_query",
        ),
        (format!("{base}/room-deposit"), account.clone(), "bad_query"),
        (
            format!("{base}/payment?claim=nope&amount=1&expiry=1"),
            account.clone(),
            "bad_query",
        ),
        (
            format!(
                "{base}/room-deposit?nonce={}&keys=2",
                bs58::encode([1u8; 32]).into_string()
            ),
            json!({"wallet": "x"}),
            "bad_json",
        ),
        (
            format!(
                "{base}/room-deposit?nonce={}&keys=2",
                bs58::encode([1u8; 32]).into_string()
            ),
            json!({"account": "x"}),
            "bad_account",
        ),
    ];
    for (url, body, expected) in cases {
        let (status, answer) = post(&url, body).await;
        assert_eq!(
            (status, answer["error"].as_str()),
            (400, Some(expected)),
            "{url}"
        );
    }
}
