//! The localnet behind the standard Solana JSON-RPC, driven by the real `solana-rpc-client`
//! over HTTP on 127.0.0.1, and the gateway's RPC chain reader running a paid room on it.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::time::Duration;

use anoghost_gateway::paid::chain::send_alone;
use anoghost_gateway::paid::{Chain, RpcChain};
use anoghost_localnet::server::{start, LocalnetOptions, RunningLocalnet};
use anoghost_program_client::{instructions as ix, pda};
use anoghost_sdk::gateway::GatewayClient;
use anoghost_sdk::paid::held_keys;
use anoghost_tests::paid::Invitee;
use anoghost_tests::rpc::{mint_key_over_rpc, spawn_rpc_gateway};
use serde_json::{json, Value};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::hash::Hash;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

async fn localnet() -> RunningLocalnet {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    start(listener, LocalnetOptions::default()).await.unwrap()
}

async fn airdrop(rpc: &RpcClient, to: &Keypair, lamports: u64) {
    let signature = rpc.request_airdrop(&to.pubkey(), lamports).await.unwrap();
    rpc.confirm_transaction(&signature).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_rpc_client_airdrops_transfers_and_reads() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    assert_eq!(rpc.get_version().await.unwrap().solana_core, "3.1.12");
    let alice = Keypair::new();
    let bob = Keypair::new();
    airdrop(&rpc, &alice, 2_000_000_000).await;
    assert_eq!(
        rpc.get_balance(&alice.pubkey()).await.unwrap(),
        2_000_000_000
    );

    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let transfer = Transaction::new_signed_with_payer(
        &[anchor_lang::solana_program::system_instruction::transfer(
            &alice.pubkey(),
            &bob.pubkey(),
            700_000_000,
        )],
        Some(&alice.pubkey()),
        &[&alice],
        blockhash,
    );
    rpc.send_and_confirm_transaction(&transfer).await.unwrap();
    assert_eq!(rpc.get_balance(&bob.pubkey()).await.unwrap(), 700_000_000);
    assert_eq!(
        rpc.get_balance(&alice.pubkey()).await.unwrap(),
        1_300_000_000 - 5_000
    );

    let accounts = rpc
        .get_multiple_accounts(&[alice.pubkey(), Keypair::new().pubkey(), pda::config()])
        .await
        .unwrap();
    assert!(accounts[0].is_some() && accounts[1].is_none());
    assert_eq!(
        accounts[2].as_ref().unwrap().owner,
        anoghost_program_client::PROGRAM_ID,
        "the config is initialised"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slots_and_blockhashes_advance_on_their_own() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let slot = rpc.get_slot().await.unwrap();
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_500)).await;
    assert!(rpc.get_slot().await.unwrap() > slot);
    assert_ne!(rpc.get_latest_blockhash().await.unwrap(), blockhash);
    assert!(
        rpc.is_blockhash_valid(&blockhash, Default::default())
            .await
            .unwrap(),
        "recent hashes stay valid"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_transaction_reports_the_program_error() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let payer = Keypair::new();
    airdrop(&rpc, &payer, 1_000_000_000).await;
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    // Zero keys: the program refuses with InvalidKeyCount (6000 + 5).
    let deposit = Transaction::new_signed_with_payer(
        &[ix::room_deposit(&payer.pubkey(), [1; 32], 0)],
        Some(&payer.pubkey()),
        &[&payer],
        blockhash,
    );
    let error = rpc
        .send_and_confirm_transaction(&deposit)
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("custom program error: 0x1775"),
        "{error}"
    );
    assert_eq!(
        rpc.get_balance(&payer.pubkey()).await.unwrap(),
        1_000_000_000,
        "as on a real node, a transaction refused in preflight never lands and costs nothing"
    );
}

async fn raw(net: &RunningLocalnet, body: &str) -> Value {
    reqwest::Client::new()
        .post(net.url())
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_requests_get_standard_errors_and_the_server_keeps_serving() {
    let net = localnet().await;
    let cases = [
        ("{not json", -32700),
        (r#"{"id":1,"method":"getSlot"}"#, -32600),
        (
            r#"{"jsonrpc":"2.0","id":2,"method":"teleport","params":[]}"#,
            -32601,
        ),
        (
            r#"{"jsonrpc":"2.0","id":3,"method":"getBalance","params":["nope"]}"#,
            -32602,
        ),
        (
            r#"{"jsonrpc":"2.0","id":4,"method":"getBalance","params":{"a":1}}"#,
            -32602,
        ),
        (
            r#"{"jsonrpc":"2.0","id":5,"method":"getAccountInfo","params":["11111111111111111111111111111111",{"encoding":"base1000"}]}"#,
            -32602,
        ),
        (
            r#"{"jsonrpc":"2.0","id":6,"method":"sendTransaction","params":["!!"]}"#,
            -32602,
        ),
    ];
    for (body, code) in cases {
        let answer = raw(&net, body).await;
        assert_eq!(answer["error"]["code"], code, "{body} → {answer}");
        assert!(answer["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    let health = raw(&net, r#"{"jsonrpc":"2.0","id":7,"method":"getHealth"}"#).await;
    assert_eq!(health, json!({"jsonrpc": "2.0", "result": "ok", "id": 7}));
    // Only well-formed requests are counted, by method.
    let stats: Value = reqwest::get(format!("{}/stats", net.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["methods"]["getHealth"], 1);
    assert_eq!(stats["methods"]["other"], 1, "teleport");
    assert_eq!(
        stats["total"], 5,
        "teleport, getBalance, getAccountInfo, sendTransaction, getHealth"
    );
}

async fn stats(net: &RunningLocalnet) -> Value {
    reqwest::get(format!("{}/stats", net.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn methods_it_does_not_serve_share_one_count_whatever_their_names() {
    let net = localnet().await;
    for n in 0..200 {
        let body = json!({"jsonrpc": "2.0", "id": n, "method": format!("invented{n}")});
        let answer = raw(&net, &body.to_string()).await;
        assert_eq!(answer["error"]["code"], -32601);
    }
    let stats = stats(&net).await;
    let methods = stats["methods"].as_object().unwrap();
    assert_eq!(methods.len(), 1, "one entry, not one per name: {methods:?}");
    assert_eq!(stats["methods"]["other"], 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rent_query_for_a_length_no_account_can_have_is_refused_and_the_server_carries_on() {
    let net = localnet().await;
    let rent = |len: u64| {
        json!({"jsonrpc": "2.0", "id": 1, "method": "getMinimumBalanceForRentExemption", "params": [len]}).to_string()
    };
    // 10 MiB is the largest account a program may create: still answered.
    let largest = raw(&net, &rent(10 * 1024 * 1024)).await;
    assert!(
        largest["result"].as_u64().is_some_and(|l| l > 0),
        "{largest}"
    );
    for len in [10 * 1024 * 1024 + 1, u64::MAX / 128, u64::MAX] {
        let answer = raw(&net, &rent(len)).await;
        assert_eq!(
            answer["error"]["code"], -32600,
            "as a validator answers: {answer}"
        );
    }
    let health = raw(&net, r#"{"jsonrpc":"2.0","id":2,"method":"getHealth"}"#).await;
    assert_eq!(health["result"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_than_256_signature_statuses_at_once_are_refused() {
    let net = localnet().await;
    let signature = bs58::encode([1u8; 64]).into_string();
    let ask = |count: usize| {
        json!({"jsonrpc": "2.0", "id": 1, "method": "getSignatureStatuses", "params": [vec![&signature; count]]})
            .to_string()
    };
    let answer = raw(&net, &ask(256)).await;
    assert_eq!(
        answer["result"]["value"].as_array().map(Vec::len),
        Some(256),
        "{answer}"
    );
    let answer = raw(&net, &ask(257)).await;
    assert_eq!(answer["error"]["code"], -32602);
    assert_eq!(
        answer["error"]["message"],
        "Too many inputs provided; max 256"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_runs_a_paid_room_through_its_rpc_chain_reader() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let reader = RpcChain::new(&net.url());
    let config = reader
        .get_multiple_accounts(&[pda::config()])
        .await
        .unwrap();
    assert!(config[0].is_some(), "the RPC reader reads over HTTP");

    // The gateway, configured the way an operator would: --rpc-url and an authority file.
    let (_gateway, url) = spawn_rpc_gateway(&net);
    let invitee = Invitee::new(3);
    let (initiator_keys, nonce, invite) = mint_key_over_rpc(&rpc, &url, &invitee).await;
    // The invitee finds its key over RPC from its wallet alone.
    let held = held_keys(&rpc, &invitee.root).await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].index, &held[0].invite), (3, &invite));
    let mut invitee_client = GatewayClient::connect(&url).await.unwrap();
    let joined = invitee_client
        .join_paid_room(&held[0].holder, &invite.room_tag())
        .await
        .unwrap();
    assert_eq!(joined.code, None);

    // The escrow is found by the sweep's getProgramAccounts and settled through RPC too.
    let escrow = pda::escrow(&initiator_keys.pubkey(), &nonce);
    for _ in 0..100 {
        if rpc.get_account(&escrow).await.is_err() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the escrow was never settled over RPC");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_program_accounts_filters_by_size_and_memcmp_like_a_validator() {
    let net = localnet().await;
    let rpc = RpcClient::new(net.url());
    let payer = Keypair::new();
    airdrop(&rpc, &payer, 1_000_000_000).await;
    let (locked, open) = ([1u8; 32], [2u8; 32]);
    for nonce in [locked, open] {
        let blockhash = rpc.get_latest_blockhash().await.unwrap();
        let deposit = Transaction::new_signed_with_payer(
            &[ix::room_deposit(&payer.pubkey(), nonce, 1)],
            Some(&payer.pubkey()),
            &[&payer],
            blockhash,
        );
        rpc.send_and_confirm_transaction(&deposit).await.unwrap();
    }
    let authority = &net.keys.gateway_authority;
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let lock = Transaction::new_signed_with_payer(
        &[ix::room_lock(
            &authority.pubkey(),
            &payer.pubkey(),
            locked,
            1,
            [7; 16],
        )],
        Some(&authority.pubkey()),
        &[authority],
        blockhash,
    );
    rpc.send_and_confirm_transaction(&lock).await.unwrap();

    // The gateway's sweep filter, sent by the gateway's own RPC chain reader.
    let reader = RpcChain::new(&net.url());
    let found = reader
        .get_program_accounts(
            &anoghost_program_client::PROGRAM_ID,
            &anoghost_gateway::paid::settlement::locked_escrows(),
        )
        .await
        .unwrap();
    let addresses: Vec<_> = found.iter().map(|(address, _)| *address).collect();
    assert_eq!(addresses, vec![pda::escrow(&payer.pubkey(), &locked)]);
    // The CLI's search by nonce (base58 memcmp, jsonParsed-free base64 answer).
    let by_nonce = anoghost_sdk::paid::escrow::escrows_with_nonce(&rpc, &open)
        .await
        .unwrap();
    assert_eq!(by_nonce.len(), 1);
    assert_eq!(by_nonce[0].1.payer, payer.pubkey());
    let answer = raw(
        &net,
        r#"{"jsonrpc":"2.0","id":1,"method":"getProgramAccounts","params":["5tsoq7CPtUVda1jWoZZfjhBqgsw23UdJLpZibCrfGAH1",{"filters":[{"memcmp":{"offset":0,"bytes":"!!"}}]}]}"#,
    )
    .await;
    assert_eq!(answer["error"]["code"], -32602, "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateways_rpc_chain_tells_a_refused_transaction_from_an_unknown_outcome() {
    let net = localnet().await;
    let chain = RpcChain::new(&net.url());
    let authority = &net.keys.gateway_authority;
    // A lock of an escrow that does not exist fails the node's preflight: it will never land.
    let lock = ix::room_lock(
        &authority.pubkey(),
        &Keypair::new().pubkey(),
        [3; 32],
        1,
        [7; 16],
    );
    let error = send_alone(&chain, authority, lock.clone())
        .await
        .unwrap_err();
    assert!(error.refused, "{error}");

    let blockhash = chain.latest_blockhash().await.unwrap();
    assert!(chain.blockhash_valid(&blockhash).await.unwrap());
    assert!(!chain.blockhash_valid(&Hash::new_unique()).await.unwrap());

    // A node that cannot be reached: the outcome is unknown, not refused.
    let unreachable = RpcChain::new("http://127.0.0.1:1");
    let transaction = Transaction::new_signed_with_payer(
        &[lock],
        Some(&authority.pubkey()),
        &[authority],
        blockhash,
    );
    let error = unreachable.send_and_confirm(transaction).await.unwrap_err();
    assert!(!error.refused, "{error}");
}
