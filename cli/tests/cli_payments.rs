//! The `anoghost` payment and administration commands, run as processes against a real
//! gateway reading the localnet over JSON-RPC: /pay, /claim, /reclaim inside the chat, and
//! `admin config-init` after a deploy.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use support::{keypair_file, run, PaidStack, Session, CLI};
use tokio::process::Command;

/// A new wallet holding `lamports`, and its keypair file (as a path string) in the
/// stack's scratch directory.
async fn funded_wallet(
    stack: &PaidStack,
    rpc: &RpcClient,
    name: &str,
    lamports: u64,
) -> (Keypair, String) {
    let wallet = Keypair::new();
    let signature = rpc
        .request_airdrop(&wallet.pubkey(), lamports)
        .await
        .unwrap();
    rpc.confirm_transaction(&signature).await.unwrap();
    let file = keypair_file(&stack.dir, name, &wallet);
    (wallet, file.to_str().unwrap().to_owned())
}

fn with<'a>(common: &'a [String], args: &[&'a str]) -> Vec<&'a str> {
    common
        .iter()
        .map(String::as_str)
        .chain(args.iter().copied())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pay_in_chat_then_claim_to_a_fresh_wallet_and_reclaim_after_expiry() {
    let stack = PaidStack::start("cli-pay").await;
    let common = stack.common_args();
    let rpc = RpcClient::new(stack.localnet.url());
    let (alice, alice_path) = funded_wallet(&stack, &rpc, "alice", 2_000_000_000).await;
    let alice_path = alice_path.as_str();

    let mut alice_cli = Session::spawn(&with(
        &common,
        &[
            "room",
            "create",
            "--wallet",
            alice_path,
            "--pay-expiry",
            "6",
        ],
    ));
    let invite = alice_cli.expect("invite:").await;
    let invite = invite.split_once("invite: ").unwrap().1.to_owned();
    // Bob has no wallet at all: the claim key pays its own fee.
    let mut bob_cli = Session::spawn(&with(&common, &["room", "join", &invite]));
    let joined = bob_cli.expect("joined as #").await;
    let bob = joined.split_once('#').unwrap().1.trim().to_owned();
    alice_cli
        .expect(&format!("#{bob} added to the group"))
        .await;
    bob_cli.expect("you are in the group").await;

    let float = rpc.get_minimum_balance_for_rent_exemption(0).await.unwrap() + 5_000;
    let alice_before = rpc.get_balance(&alice.pubkey()).await.unwrap();
    alice_cli.type_line(&format!("/pay #{bob} 0.25")).await;
    alice_cli
        .expect(&format!("sent #{bob} 0.25 SOL as payment 1"))
        .await;
    alice_cli.type_line(&format!("/pay #{bob} 0.1")).await;
    alice_cli
        .expect(&format!("sent #{bob} 0.1 SOL as payment 2"))
        .await;
    bob_cli
        .expect("a payment of 0.25 SOL on localnet; /claim 1")
        .await;
    bob_cli
        .expect("a payment of 0.1 SOL on localnet; /claim 2")
        .await;

    let fresh = Keypair::new().pubkey();
    bob_cli.type_line(&format!("/claim 1 {fresh}")).await;
    bob_cli
        .expect(&format!("claimed 0.25 SOL to {fresh}"))
        .await;
    assert_eq!(
        rpc.get_balance(&fresh).await.unwrap(),
        250_000_000 + float - 5_000,
        "the amount, plus the float left after the claim key paid its fee"
    );
    bob_cli.type_line("/claim 1").await;
    bob_cli
        .expect("! claiming without an address needs a wallet")
        .await;

    alice_cli.type_line("/reclaim 2").await;
    alice_cli
        .expect("! payment 2: the payment can still be claimed")
        .await;
    // Ask again until the expiry has passed. Before it the CLI refuses by its own clock;
    // just after it, the chain's clock (set each slot) may still be behind, and the
    // program refuses in preflight. Neither costs a fee.
    let mut reclaimed = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        alice_cli.type_line("/reclaim 2").await;
        let answer = alice_cli
            .expect_any(&[
                "reclaimed 0.1 SOL",
                "! payment 2: the payment can still be claimed",
                "! payment 2: transaction failed",
            ])
            .await;
        if answer.contains("reclaimed") {
            reclaimed = true;
            break;
        }
    }
    assert!(reclaimed, "payment 2 was reclaimed after its expiry");
    bob_cli.type_line(&format!("/claim 2 {fresh}")).await;
    bob_cli
        .expect("! payment 2: that payment is no longer on chain")
        .await;

    // Alice paid 0.25 SOL plus one float, and four signature fees (two deposits, and the
    // reclaim signed by her wallet and the claim key, whose float it sweeps back); the vault
    // rents came back at the claim and the reclaim.
    assert_eq!(
        rpc.get_balance(&alice.pubkey()).await.unwrap(),
        alice_before - 250_000_000 - float - 4 * 5_000
    );
    alice_cli.type_line("/payments").await;
    alice_cli.expect("sent 2: 0.1 SOL").await;
    bob_cli.quit().await;
    alice_cli.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_initialises_the_config_after_a_deploy_and_only_once() {
    let net = anoghost_localnet::server::start(
        std::net::TcpListener::bind("127.0.0.1:0").unwrap(),
        anoghost_localnet::server::LocalnetOptions {
            initialise_config: false,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("anoghost-cli-admin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let admin = keypair_file(&dir, "admin", &net.keys.admin);
    let outsider = keypair_file(&dir, "outsider", &net.keys.treasury);
    let rpc_url = net.url();
    let authority = net.keys.gateway_authority.pubkey().to_string();
    let treasury = net.keys.treasury.pubkey().to_string();
    let init = |keypair: &std::path::Path| {
        [
            "--rpc-url",
            rpc_url.as_str(),
            "admin",
            "config-init",
            "--keypair",
            keypair.to_str().unwrap(),
            "--gateway-authority",
            authority.as_str(),
            "--treasury",
            treasury.as_str(),
            "--price-per-key",
            "20000000",
            "--refund-timeout-secs",
            "600",
        ]
        .map(str::to_owned)
    };

    let missing = Command::new(CLI)
        .args(["--rpc-url", &rpc_url, "admin", "config-show"])
        .output()
        .await
        .unwrap();
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no config at"));

    // Someone who is not the upgrade authority is refused.
    let refused = Command::new(CLI)
        .args(init(&outsider))
        .output()
        .await
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("upgrade authority"));

    let args = init(&admin);
    let done = run(&args.iter().map(String::as_str).collect::<Vec<_>>()).await;
    assert!(done.contains("initialised"), "{done}");
    assert!(
        done.contains(&format!("gateway authority: {authority}")),
        "{done}"
    );
    assert!(
        done.contains("price per key:     0.02 SOL (20000000 lamports)"),
        "{done}"
    );

    let again = Command::new(CLI).args(init(&admin)).output().await.unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already initialised"));
    let _ = std::fs::remove_dir_all(dir);
}
