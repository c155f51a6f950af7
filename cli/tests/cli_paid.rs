//! The `anoghost` paid-room commands, run as processes against a real gateway reading the
//! localnet over JSON-RPC: ghost, create-paid (keypair and Solana Pay QR), key list,
//! join-paid, key burn and room refund. The invitee's wallet never holds a lamport: its keys
//! sit at holder addresses derived from it, and the gateway pays for its burn.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use anoghost_localnet::server::LocalnetOptions;
use anoghost_program_client::instructions as ix;
use base64::Engine as _;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use support::{keypair_file, run, run_failing, value_after, PaidStack, Session, CLI};
use tokio::process::Command;

/// A new wallet holding `lamports` (none if 0), and its keypair file as a path string.
async fn wallet(
    stack: &PaidStack,
    rpc: &RpcClient,
    name: &str,
    lamports: u64,
) -> (Keypair, String) {
    let wallet = Keypair::new();
    if lamports > 0 {
        let signature = rpc
            .request_airdrop(&wallet.pubkey(), lamports)
            .await
            .unwrap();
        rpc.confirm_transaction(&signature).await.unwrap();
    }
    let file = keypair_file(&stack.dir, name, &wallet);
    (wallet, file.to_str().unwrap().to_owned())
}

/// The ghost contact `anoghost ghost` prints for the wallet in `keypair`.
async fn contact_of(common: &[String], keypair: &str) -> String {
    let out = run(&with(common, &["ghost", "--keypair", keypair])).await;
    value_after(&out, "ghost contact:").to_owned()
}

fn with<'a>(common: &'a [String], args: &[&'a str]) -> Vec<&'a str> {
    common
        .iter()
        .map(String::as_str)
        .chain(args.iter().copied())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ghost_create_paid_key_list_join_paid_and_burn_from_the_command_line() {
    let stack = PaidStack::start("cli-paid").await;
    let common = stack.common_args();
    let rpc = RpcClient::new(stack.localnet.url());
    let (_initiator, initiator_path) = wallet(&stack, &rpc, "initiator", 1_000_000_000).await;
    let (invitee, invitee_path) = wallet(&stack, &rpc, "invitee", 0).await;
    let (initiator_path, invitee_path) = (initiator_path.as_str(), invitee_path.as_str());
    let contact = contact_of(&common, invitee_path).await;
    assert!(!contact.contains(&invitee.pubkey().to_string()));

    let created = run(&with(
        &common,
        &[
            "room",
            "create-paid",
            "--keypair",
            initiator_path,
            "--invite",
            &contact,
            "--name",
            "cli room",
        ],
    ))
    .await;
    assert!(created.contains("escrow nonce: "), "{created}");
    assert!(created.contains("invitee 1: key minted"), "{created}");

    let listed = run(&with(&common, &["key", "list", "--keypair", invitee_path])).await;
    assert!(listed.trim().starts_with("1. cli room  (key "), "{listed}");
    let none = run(&with(
        &common,
        &["key", "list", "--keypair", initiator_path],
    ))
    .await;
    assert!(none.contains("holds no AnoGhost keys"), "{none}");

    // Without --key, the wallet's only key is used.
    let joined = run(&with(
        &common,
        &[
            "room",
            "join-paid",
            "--keypair",
            invitee_path,
            "--listen",
            "0",
        ],
    ))
    .await;
    assert!(joined.contains("using key 1 (cli room)"), "{joined}");
    assert!(joined.contains("joined as #"), "{joined}");

    let burned = run(&with(&common, &["key", "burn", "--keypair", invitee_path])).await;
    assert!(burned.contains("key burned"), "{burned}");
    assert_eq!(
        rpc.get_balance(&invitee.pubkey()).await.unwrap(),
        0,
        "the invitee's wallet never held or paid a lamport"
    );
    let error = run_failing(&with(
        &common,
        &["room", "join-paid", "--keypair", invitee_path],
    ))
    .await;
    assert!(error.contains("holds no AnoGhost keys"), "{error}");
}

/// What a wallet does with a Solana Pay link: decode it and POST its account.
async fn transaction_request(link: &str, account: &Keypair) -> (u16, serde_json::Value) {
    let request = percent_encoding::percent_decode_str(link.strip_prefix("solana:").unwrap())
        .decode_utf8()
        .unwrap()
        .into_owned();
    let response = reqwest::Client::new()
        .post(&request)
        .json(&serde_json::json!({ "account": account.pubkey().to_string() }))
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

fn qr_session(common: &[String], keypair: &str, contact: &str) -> Session {
    Session::spawn(&with(
        common,
        &[
            "room",
            "create-paid",
            "--qr",
            "--keypair",
            keypair,
            "--invite",
            contact,
        ],
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn create_paid_waits_for_a_solana_pay_deposit_made_by_scanning_the_qr_code() {
    let stack = PaidStack::start("cli-qr").await;
    let common = stack.common_args();
    let rpc = RpcClient::new(stack.localnet.url());
    let (initiator, initiator_path) = wallet(&stack, &rpc, "initiator", 1_000_000_000).await;
    let (_invitee, invitee_path) = wallet(&stack, &rpc, "invitee", 0).await;
    let contact = contact_of(&common, &invitee_path).await;

    let mut cli = qr_session(&common, &initiator_path, &contact);
    let line = cli.expect("Solana Pay link:").await;
    let link = line.split_once("Solana Pay link: ").unwrap().1.to_owned();
    assert!(
        link.contains(&format!("payer%3D{}", initiator.pubkey())),
        "{link}"
    );
    let (status, answer) = transaction_request(&link, &initiator).await;
    assert_eq!(status, 200, "{answer}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(answer["transaction"].as_str().unwrap())
        .unwrap();
    let mut transaction: Transaction = bincode::deserialize(&bytes).unwrap();
    let blockhash = transaction.message.recent_blockhash;
    transaction.sign(&[&initiator], blockhash);
    rpc.send_and_confirm_transaction(&transaction)
        .await
        .unwrap();

    cli.expect("escrow funded").await;
    cli.expect("invitee 1: key minted").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deposit_from_another_wallet_is_detected_and_that_wallet_refunds_it() {
    let options = LocalnetOptions {
        refund_timeout_secs: 60,
        ..LocalnetOptions::default()
    };
    let stack = PaidStack::start_with("cli-other-wallet", options).await;
    let common = stack.common_args();
    let rpc = RpcClient::new(stack.localnet.url());
    let (_initiator, initiator_path) = wallet(&stack, &rpc, "initiator", 1_000_000_000).await;
    let (other, other_path) = wallet(&stack, &rpc, "other", 1_000_000_000).await;
    let (_invitee, invitee_path) = wallet(&stack, &rpc, "invitee", 0).await;
    let contact = contact_of(&common, &invitee_path).await;

    let mut cli = qr_session(&common, &initiator_path, &contact);
    let nonce_line = cli.expect("escrow nonce:").await;
    let nonce_text = value_after(&nonce_line, "escrow nonce:")
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let line = cli.expect("Solana Pay link:").await;
    let link = line.split_once("Solana Pay link: ").unwrap().1.to_owned();
    // The gateway will not build the deposit for another wallet …
    let (status, answer) = transaction_request(&link, &other).await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("wrong_account"))
    );
    // … but that wallet can build one itself from the nonce in the link.
    let mut nonce = [0u8; 32];
    bs58::decode(&nonce_text).onto(&mut nonce).unwrap();
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let deposit = Transaction::new_signed_with_payer(
        &[ix::room_deposit(&other.pubkey(), nonce, 1)],
        Some(&other.pubkey()),
        &[&other],
        blockhash,
    );
    rpc.send_and_confirm_transaction(&deposit).await.unwrap();
    let report = cli.expect("paid by the wallet").await;
    assert!(report.contains(&other.pubkey().to_string()), "{report}");

    let refund = |keypair: &str| {
        with(
            &common,
            &[
                "room",
                "refund",
                "--keypair",
                keypair,
                "--nonce",
                &nonce_text,
            ],
        )
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
    };
    let wrong = run_failing(
        &refund(&initiator_path)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .await;
    assert!(
        wrong.contains(&format!("the wallet {} paid it", other.pubkey())),
        "{wrong}"
    );
    let early = run_failing(
        &refund(&other_path)
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    )
    .await;
    assert!(early.contains("refund refused"), "{early}");
    let mut refunded = None;
    for _ in 0..45 {
        tokio::time::sleep(Duration::from_secs(2)).await;
        let output = Command::new(CLI)
            .args(refund(&other_path))
            .output()
            .await
            .unwrap();
        if output.status.success() {
            refunded = Some(String::from_utf8_lossy(&output.stdout).into_owned());
            break;
        }
    }
    let refunded = refunded.expect("refunded once the 60 s refund timeout passed");
    assert!(refunded.contains("escrow refunded"), "{refunded}");
}
#[tokio::test]
async fn missing_keypair_file_gets_a_clear_error() {
    let output = Command::new(CLI)
        .args(["ghost", "--keypair", "/nonexistent/wallet.json"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cannot read keypair file /nonexistent/wallet.json"),
        "{stderr}"
    );
}
