//! An independent client: the Node test in `tests/node` (@solana/web3.js, @solana/spl-token,
//! @solana/spl-token-metadata) against a localnet on 127.0.0.1, reading a key NFT that the
//! gateway minted over JSON-RPC. Needs `npm ci --prefix tests/node` (done by
//! `scripts/install-deps.sh`, which `.ci/run` runs).
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::net::TcpListener;
use std::path::PathBuf;

use anoghost_localnet::server::{start, LocalnetOptions};
use anoghost_program_client::pda;
use anoghost_tests::paid::Invitee;
use anoghost_tests::rpc::{mint_key_over_rpc, spawn_rpc_gateway};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::signature::Signer;

fn node_dir() -> PathBuf {
    // Read at run time: a build cache shared between clones would bake in another path.
    PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap()).join("node")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn web3_js_and_spl_token_read_a_gateway_minted_key_and_cannot_move_it() {
    let dir = node_dir();
    assert!(
        dir.join("node_modules/@solana/web3.js").is_dir(),
        "the Node client's packages are missing: run `npm ci --prefix tests/node` \
         (scripts/install-deps.sh does it)"
    );
    let net = start(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        LocalnetOptions::default(),
    )
    .await
    .unwrap();
    let rpc = RpcClient::new(net.url());
    let (_gateway, url) = spawn_rpc_gateway(&net);
    let invitee = Invitee::new(0);
    let _ = mint_key_over_rpc(&rpc, &url, &invitee).await;
    // The key sits at the invitee's one-time holder address, derived from its wallet.
    let keypair = invitee.holder();
    let mint = pda::key_mint(&keypair.pubkey()).to_string();

    let keypair_file =
        std::env::temp_dir().join(format!("anoghost-node-holder-{}.json", std::process::id()));
    std::fs::write(
        &keypair_file,
        serde_json::to_string(&keypair.to_bytes().to_vec()).unwrap(),
    )
    .unwrap();
    let output = tokio::process::Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        // web3.js keeps its PubSub socket open; end the run when the tests are done.
        .arg("--test-force-exit")
        .arg("key-nft.test.mjs")
        .current_dir(&dir)
        .env("ANOGHOST_RPC_URL", net.url())
        .env("ANOGHOST_WS_URL", net.ws_url())
        .env("ANOGHOST_KEY_MINT", &mint)
        .env("ANOGHOST_HOLDER_KEYPAIR", &keypair_file)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(120), output)
        .await
        .expect("the Node client finishes within 2 minutes")
        .expect("node is installed");
    let _ = std::fs::remove_file(&keypair_file);
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the Node client failed:\n{report}");
    assert!(report.contains("pass 3"), "three Node tests ran:\n{report}");
}
