//! The `anoghost` paid-room commands, run as processes against a real gateway reading the
//! localnet over JSON-RPC: ghost, create-paid, join-paid and key burn.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use anoghost_localnet::server::{start, LocalnetOptions};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use tokio::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_anoghost");

/// Writes `keypair` as a Solana CLI keypair file in `dir`.
fn keypair_file(dir: &Path, name: &str, keypair: &Keypair) -> PathBuf {
    let path = dir.join(format!("{name}.json"));
    let bytes: Vec<u8> = keypair.to_bytes().to_vec();
    std::fs::write(&path, serde_json::to_string(&bytes).unwrap()).unwrap();
    path
}

async fn run(args: &[&str]) -> String {
    let output = Command::new(CLI).args(args).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "anoghost {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn value_after<'a>(output: &'a str, prefix: &str) -> &'a str {
    output
        .lines()
        .find_map(|line| line.split_once(prefix).map(|(_, rest)| rest.trim()))
        .unwrap_or_else(|| panic!("no {prefix:?} in:\n{output}"))
}

#[actix_web::test]
async fn ghost_create_paid_join_paid_and_burn_from_the_command_line() {
    let localnet = start(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        LocalnetOptions::default(),
    )
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("anoghost-cli-paid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let authority = keypair_file(&dir, "authority", &localnet.keys.gateway_authority);
    let mut config = anoghost_gateway::GatewayConfig::local_defaults();
    config.rpc_url = Some(localnet.url());
    config.authority_keypair = Some(authority);
    config.master_key = Some("22".repeat(32));
    config.workers = 2;
    let gateway =
        anoghost_gateway::start(config, TcpListener::bind("127.0.0.1:0").unwrap()).unwrap();
    let gateway_url = format!("ws://{}/v1/ws", gateway.addr);
    let rpc_url = localnet.url();
    let common = [
        "--gateway",
        gateway_url.as_str(),
        "--rpc-url",
        rpc_url.as_str(),
    ];

    let rpc = RpcClient::new(rpc_url.clone());
    let (initiator, invitee) = (Keypair::new(), Keypair::new());
    for wallet in [&initiator, &invitee] {
        let signature = rpc
            .request_airdrop(&wallet.pubkey(), 1_000_000_000)
            .await
            .unwrap();
        rpc.confirm_transaction(&signature).await.unwrap();
    }
    let initiator_file = keypair_file(&dir, "initiator", &initiator);
    let invitee_file = keypair_file(&dir, "invitee", &invitee);
    let initiator_path = initiator_file.to_str().unwrap();
    let invitee_path = invitee_file.to_str().unwrap();

    let ghost_out = run(&[&common[..], &["ghost", "--keypair", invitee_path]].concat()).await;
    let ghost = value_after(&ghost_out, "ghostId:").to_owned();

    let created = run(&[
        &common[..],
        &[
            "room",
            "create-paid",
            "--keypair",
            initiator_path,
            "--invite",
            &ghost,
            "--name",
            "cli room",
        ],
    ]
    .concat())
    .await;
    let mint = value_after(&created, "invitee 1: key").to_owned();

    let joined = run(&[
        &common[..],
        &[
            "room",
            "join-paid",
            "--keypair",
            invitee_path,
            "--mint",
            &mint,
            "--listen",
            "0",
        ],
    ]
    .concat())
    .await;
    assert!(joined.contains("joined as #"), "{joined}");

    let burned = run(&[
        &common[..],
        &["key", "burn", "--keypair", invitee_path, "--mint", &mint],
    ]
    .concat())
    .await;
    assert!(burned.contains("key burned and closed"), "{burned}");
    assert!(
        rpc.get_account(&mint.parse().unwrap()).await.is_err(),
        "the mint is closed"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[actix_web::test]
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
