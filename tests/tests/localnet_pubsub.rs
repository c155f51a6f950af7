//! The localnet's PubSub WebSocket and its indexed reads (`getTransaction`,
//! `getTokenAccountsByOwner`, jsonParsed), driven by the real `solana-pubsub-client` and
//! `solana-rpc-client` on 127.0.0.1.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::time::Duration;

use anoghost_localnet::server::{start, LocalnetOptions, RunningLocalnet};
use serde_json::Value;
use solana_account_decoder_client_types::UiAccountData;
use solana_pubsub_client::nonblocking::pubsub_client::PubsubClient;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::RpcAccountInfoConfig;
use solana_rpc_client_api::request::TokenAccountsFilter;
use solana_rpc_client_api::response::RpcSignatureResult;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use solana_transaction_status_client_types::UiTransactionEncoding;
use tokio_stream::StreamExt;

const WAIT: Duration = Duration::from_secs(10);

async fn localnet() -> RunningLocalnet {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    start(listener, LocalnetOptions::default()).await.unwrap()
}

fn transfer(
    from: &Keypair,
    to: &Keypair,
    lamports: u64,
    blockhash: solana_sdk::hash::Hash,
) -> Transaction {
    Transaction::new_signed_with_payer(
        &[anchor_lang::solana_program::system_instruction::transfer(
            &from.pubkey(),
            &to.pubkey(),
            lamports,
        )],
        Some(&from.pubkey()),
        &[from],
        blockhash,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pubsub_notifies_accounts_signatures_and_slots() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let pubsub = PubsubClient::new(net.ws_url().as_str()).await.unwrap();
    let (alice, bob) = (Keypair::new(), Keypair::new());

    let (mut slots, _unsubscribe_slots) = pubsub.slot_subscribe().await.unwrap();
    let first = tokio::time::timeout(WAIT, slots.next())
        .await
        .unwrap()
        .unwrap();
    let second = tokio::time::timeout(WAIT, slots.next())
        .await
        .unwrap()
        .unwrap();
    assert!(second.slot > first.slot, "slots advance on their own");

    let (mut bob_changes, _unsubscribe_bob) = pubsub
        .account_subscribe(
            &bob.pubkey(),
            Some(RpcAccountInfoConfig {
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                ..Default::default()
            }),
        )
        .await
        .unwrap();
    let airdrop = rpc
        .request_airdrop(&alice.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    // Subscribing after the airdrop landed still gets its one notification.
    let (mut landed, _) = pubsub.signature_subscribe(&airdrop, None).await.unwrap();
    let result = tokio::time::timeout(WAIT, landed.next())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(
        result.value,
        RpcSignatureResult::ProcessedSignature(ref processed) if processed.err.is_none()
    ));

    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    rpc.send_transaction(&transfer(&alice, &bob, 300_000_000, blockhash))
        .await
        .unwrap();
    let change = tokio::time::timeout(WAIT, bob_changes.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(change.value.lamports, 300_000_000);
    assert!(matches!(change.value.data, UiAccountData::Binary(_, _)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_transaction_reports_fee_balances_and_logs() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let (alice, bob) = (Keypair::new(), Keypair::new());
    let airdrop = rpc
        .request_airdrop(&alice.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    rpc.confirm_transaction(&airdrop).await.unwrap();
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let signature = rpc
        .send_and_confirm_transaction(&transfer(&alice, &bob, 250_000_000, blockhash))
        .await
        .unwrap();

    let confirmed = rpc
        .get_transaction(&signature, UiTransactionEncoding::Json)
        .await
        .unwrap();
    let meta = confirmed.transaction.meta.unwrap();
    assert!(meta.err.is_none());
    assert_eq!(meta.fee, 5_000);
    assert_eq!(meta.pre_balances[..2], [1_000_000_000, 0]);
    assert_eq!(
        meta.post_balances[..2],
        [1_000_000_000 - 250_000_000 - 5_000, 250_000_000]
    );
    let logs: Option<Vec<String>> = meta.log_messages.into();
    assert!(logs.unwrap().iter().any(|line| line.contains("success")));

    let as_base64 = rpc
        .get_transaction(&signature, UiTransactionEncoding::Base64)
        .await
        .unwrap();
    let decoded = as_base64.transaction.transaction.decode().unwrap();
    assert_eq!(decoded.signatures[0], signature);

    let unknown = rpc
        .get_transaction(
            &solana_sdk::signature::Signature::default(),
            UiTransactionEncoding::Json,
        )
        .await;
    assert!(
        unknown.is_err(),
        "an unknown signature is null, which the client reports"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_accounts_by_owner_and_json_parsed_read_token_2022_accounts() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let holder = Keypair::new();
    let airdrop = rpc
        .request_airdrop(&holder.pubkey(), 1_000_000_000)
        .await
        .unwrap();
    rpc.confirm_transaction(&airdrop).await.unwrap();
    // An ordinary Token-2022 mint and the holder's account of it: what a wallet would list.
    let (mint, signature) = anoghost_tests::rpc::token_2022_mint_with_holding(&rpc, &holder).await;
    rpc.confirm_transaction(&signature).await.unwrap();

    let accounts = rpc
        .get_token_accounts_by_owner(
            &holder.pubkey(),
            TokenAccountsFilter::ProgramId(anchor_spl::token_2022::ID),
        )
        .await
        .unwrap();
    assert_eq!(accounts.len(), 1);
    let UiAccountData::Json(parsed) = &accounts[0].account.data else {
        panic!(
            "expected jsonParsed data, got {:?}",
            accounts[0].account.data
        );
    };
    assert_eq!(parsed.program, "spl-token-2022");
    let info: &Value = &parsed.parsed["info"];
    assert_eq!(info["mint"], mint.to_string());
    assert_eq!(info["owner"], holder.pubkey().to_string());
    assert_eq!(info["tokenAmount"]["amount"], "1");
    assert_eq!(info["tokenAmount"]["decimals"], 0);

    let by_mint = rpc
        .get_token_accounts_by_owner(&holder.pubkey(), TokenAccountsFilter::Mint(mint))
        .await
        .unwrap();
    assert_eq!(by_mint.len(), 1);
    let nobody = rpc
        .get_token_accounts_by_owner(
            &Keypair::new().pubkey(),
            TokenAccountsFilter::ProgramId(anchor_spl::token_2022::ID),
        )
        .await
        .unwrap();
    assert!(nobody.is_empty());
    let wrong_program = rpc
        .get_token_accounts_by_owner(
            &holder.pubkey(),
            TokenAccountsFilter::ProgramId(anchor_lang::system_program::ID),
        )
        .await;
    assert!(wrong_program
        .unwrap_err()
        .to_string()
        .contains("unrecognized Token program id"));
}
