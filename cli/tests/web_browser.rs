//! The web client in real Chromium (Debian's, driven by playwright-core) against a real
//! gateway that serves it, reads a real localnet over JSON-RPC and names that RPC URL to the
//! page, beside the Rust CLI: issue 18's scenarios (`web/test/browser/browser.test.ts`): free
//! rooms, wallet sign-in and ghost contacts through wallet-standard with test wallets holding
//! real keypairs, a paid room paid, minted, joined and burned, and an in-chat payment.
//! Chromium comes from `scripts/install-deps.sh`; a missing one fails this test rather than
//! skipping it.
// The stack's setup panics on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::TcpListener;
use std::time::Duration;

use anoghost_gateway::http::web::web_client_built;
use anoghost_gateway::GatewayConfig;
use anoghost_localnet::server::{start, LocalnetOptions};
use support::keypair_file;
use support::tls::TlsProxy;
use support::web::{passed, vitest};

const CLI: &str = env!("CARGO_BIN_EXE_anoghost");

/// A localnet, a gateway reading it (and naming it to the page) with a master key and an
/// authority, and the environment the vitest files read them from.
struct Stack {
    _localnet: anoghost_localnet::server::RunningLocalnet,
    gateway: anoghost_gateway::RunningGateway,
    env: Vec<(&'static str, String)>,
    dir: std::path::PathBuf,
}

impl Drop for Stack {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn stack(name: &str) -> Stack {
    stack_with(name, |_| {}).await
}

/// [`stack`] with the gateway's configuration adjusted by `adjust`.
async fn stack_with(name: &str, adjust: impl FnOnce(&mut GatewayConfig)) -> Stack {
    assert!(
        web_client_built(),
        "the gateway embeds the placeholder page: build.rs could not build web/ (is npm installed?)"
    );
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        std::path::Path::new(&chromium).is_file(),
        "no Chromium at {chromium}: run scripts/install-deps.sh (apt install chromium)"
    );
    let localnet = start(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        LocalnetOptions::default(),
    )
    .await
    .unwrap();
    let dir = std::env::temp_dir().join(format!("anoghost-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut config = GatewayConfig::local_defaults();
    config.rpc_url = Some(localnet.url());
    config.web_rpc_url = Some(localnet.url());
    config.authority_keypair = Some(keypair_file(
        &dir,
        "authority",
        &localnet.keys.gateway_authority,
    ));
    config.master_key = Some("22".repeat(32));
    config.mint_delay_max_ms = 0;
    config.settle_delay_max_secs = 0;
    config.settle_sweep_secs = 1;
    config.messages_per_second = 10_000;
    config.joins_per_minute = 1_000;
    config.joins_per_minute_per_ip = 10_000;
    config.workers = 2;
    adjust(&mut config);
    let gateway =
        anoghost_gateway::start(config, TcpListener::bind("127.0.0.1:0").unwrap()).unwrap();
    let env = vec![
        ("ANOGHOST_GATEWAY_HTTP", format!("http://{}", gateway.addr)),
        ("ANOGHOST_RPC_HTTP", localnet.url()),
        ("ANOGHOST_CLI", CLI.to_owned()),
        ("CHROMIUM", chromium),
    ];
    Stack {
        _localnet: localnet,
        gateway,
        env,
        dir,
    }
}

#[actix_web::test]
async fn the_web_client_works_in_chromium_and_leaves_nothing_behind() {
    let stack = stack("web").await;
    let mut command = vitest("test/browser", &stack.env);
    let report = passed(&mut command, Duration::from_secs(900)).await;
    assert!(report.contains("10 passed"), "{report}");
    // The measurements the README reports.
    for line in report.lines().filter(|l| l.contains("MEASURE ")) {
        println!("{}", line.trim());
    }
}

/// Retakes the README's screenshots (`docs/screenshots/`) against the same stack:
/// `cargo test -p anoghost-cli --test web_browser -- --ignored screenshots`.
#[actix_web::test]
#[ignore = "rewrites docs/screenshots; run by hand when the page changes"]
async fn screenshots_of_the_main_screens() {
    let stack = stack("screens").await;
    let mut command = vitest("test/screenshots", &stack.env);
    let report = passed(&mut command, Duration::from_secs(900)).await;
    assert!(report.contains("passed"), "{report}");
}

/// The page behind TLS, as a self-hosted operator would serve it: a proxy on 127.0.0.1
/// with a test CA's certificate, which Chromium is told to trust by its key. The page,
/// loaded over `https://`, opens `wss://` to its own origin, and two pages chat.
#[actix_web::test]
async fn the_web_client_works_over_https_and_wss() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = listener.local_addr().unwrap();
    let stack = stack_with("https", |config| {
        config.domain = Some(origin.to_string());
        config.allowed_origins = vec![format!("https://{origin}")];
    })
    .await;
    let proxy = TlsProxy::start_on(listener, stack.gateway.addr, &stack.dir.join("tls"));
    let mut env = stack.env.clone();
    env.retain(|(key, _)| *key != "ANOGHOST_GATEWAY_HTTP");
    env.push(("ANOGHOST_GATEWAY_HTTP", format!("https://{origin}")));
    let certificate = stack.dir.join("tls").join("server.pem");
    env.push(("ANOGHOST_TLS_CERT", certificate.display().to_string()));
    let report = passed(&mut vitest("test/tls", &env), Duration::from_secs(300)).await;
    assert!(report.contains("1 passed"), "{report}");
    drop(proxy);
}
