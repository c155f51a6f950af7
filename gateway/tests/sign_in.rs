//! Wallet sign-in (SIWS) over a real WebSocket: the happy path and each refusal.

mod support;

use serde_json::json;
use support::{edit_challenge, spawn, test_config, Client, Wallet};
use time::{Duration, OffsetDateTime};

async fn send_auth(client: &mut Client, message: &str, signature: &str) {
    client
        .send_json(json!({"type": "auth", "message": message, "signature": signature}))
        .await;
}

#[actix_web::test]
async fn wallet_signs_in_once_per_connection() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let mut client = Client::ready(gateway.addr).await;
    wallet.sign_in(gateway.addr, &mut client).await;
    client
        .send_json(json!({"type": "auth", "message": "x", "signature": "y"}))
        .await;
    client.expect_error("already_authenticated").await;
}

#[actix_web::test]
async fn reused_nonce_is_refused() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let message = wallet.challenge(gateway.addr).await;
    let signature = wallet.sign(&message);
    let mut first = Client::ready(gateway.addr).await;
    send_auth(&mut first, &message, &signature).await;
    first.expect("authenticated").await;
    let mut replay = Client::ready(gateway.addr).await;
    send_auth(&mut replay, &message, &signature).await;
    replay.expect_error("nonce_reused").await;
}

#[actix_web::test]
async fn unknown_nonce_is_refused() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let message = edit_challenge(&wallet.challenge(gateway.addr).await, |m| {
        m.nonce = "MadeUpNonce12345".into();
    });
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, &message, &wallet.sign(&message)).await;
    client.expect_error("nonce_unknown").await;
}

#[actix_web::test]
async fn nonce_issued_for_another_wallet_is_refused() {
    let gateway = spawn(test_config());
    let owner = Wallet::new();
    let thief = Wallet::new();
    let challenge = owner.challenge(gateway.addr).await;
    let message = edit_challenge(&challenge, |m| {
        m.address = thief.address();
    });
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, &message, &thief.sign(&message)).await;
    client.expect_error("nonce_unknown").await;
}

#[actix_web::test]
async fn wrong_domain_is_refused() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let message = edit_challenge(&wallet.challenge(gateway.addr).await, |m| {
        m.domain = "evil.example".into();
    });
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, &message, &wallet.sign(&message)).await;
    client.expect_error("domain_mismatch").await;
}

#[actix_web::test]
async fn expired_message_is_refused() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let message = edit_challenge(&wallet.challenge(gateway.addr).await, |m| {
        m.issued_at -= Duration::minutes(10);
        m.expiration_time = OffsetDateTime::now_utc() - Duration::seconds(1);
    });
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, &message, &wallet.sign(&message)).await;
    client.expect_error("message_expired").await;
}

#[actix_web::test]
async fn not_yet_valid_message_is_refused() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let message = edit_challenge(&wallet.challenge(gateway.addr).await, |m| {
        m.not_before = Some(OffsetDateTime::now_utc() + Duration::minutes(2));
    });
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, &message, &wallet.sign(&message)).await;
    client.expect_error("message_not_yet_valid").await;
}

#[actix_web::test]
async fn signature_from_another_key_is_refused_and_does_not_burn_the_nonce() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let impostor = Wallet::new();
    let message = wallet.challenge(gateway.addr).await;
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, &message, &impostor.sign(&message)).await;
    client.expect_error("bad_signature").await;
    send_auth(&mut client, &message, "not-a-signature").await;
    client.expect_error("bad_signature").await;
    send_auth(&mut client, &message, &wallet.sign(&message)).await;
    client.expect("authenticated").await;
}

#[actix_web::test]
async fn malformed_message_and_challenge_requests_get_clear_errors() {
    let gateway = spawn(test_config());
    let mut client = Client::ready(gateway.addr).await;
    send_auth(&mut client, "hello there", "sig").await;
    client.expect_error("bad_message").await;

    let http = reqwest::Client::new();
    let url = format!("http://{}/v1/auth/challenge", gateway.addr);
    let response = http.post(&url).body("{not json").send().await.unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad_json");
    let response = http
        .post(&url)
        .json(&json!({"address": "tooshort"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "bad_address");
}

#[actix_web::test]
async fn challenge_is_a_siws_message_for_the_configured_domain() {
    let mut config = test_config();
    config.domain = Some("chat.example".into());
    let gateway = spawn(config);
    let wallet = Wallet::new();
    let text = wallet.challenge(gateway.addr).await;
    let message = anoghost_gateway::auth::SiwsMessage::parse(&text).unwrap();
    assert_eq!(message.domain, "chat.example");
    assert_eq!(message.address, wallet.address());
    assert!(text.starts_with("chat.example wants you to sign in with your Solana account:\n"));
    assert!(message.expiration_time > message.issued_at);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_thousand_challenges_do_not_turn_a_real_sign_in_away() {
    let mut config = test_config();
    // A used-nonce cap far below the flood: issuing must not touch it at all.
    config.max_used_nonces = 10;
    let gateway = spawn(config);
    let url = format!("http://{}/v1/auth/challenge", gateway.addr);
    let flooders: Vec<_> = (0..16)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let body = json!({"address": Wallet::new().address()}).to_string();
                for _ in 0..200_000 / 16 {
                    let response = http
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 200);
                    response.bytes().await.unwrap();
                }
            })
        })
        .collect();
    for flooder in flooders {
        flooder.await.unwrap();
    }
    assert_eq!(
        gateway.gateway.nonces.spent_len(),
        0,
        "issuing stored nothing"
    );
    let wallet = Wallet::new();
    let mut client = Client::ready(gateway.addr).await;
    wallet.sign_in(gateway.addr, &mut client).await;
}
