//! Cluster options with real parts: a token-protected `nats-server` admits the gateways that
//! hold its token and no other, and a gateway with no usable cluster secret does not start,
//! and says why without echoing the file.

mod support;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::cluster::{cluster_health, gateway, wait_for_peers, NatsServer, Secret};
use support::Client;

const TOKEN: &str = "token-4b1d9e0c7a";
const WRONG_TOKEN: &str = "token-wrong-83f2";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_protected_nats_admits_only_gateways_with_its_token() {
    let nats = NatsServer::start_with(&["--auth", TOKEN]);
    let secret = Secret::new();
    let a = gateway(&nats.url(), &secret, &[], &["--cluster-token", TOKEN]);
    let b = gateway(&nats.url(), &secret, &[], &["--cluster-token", TOKEN]);
    wait_for_peers(&[&a, &b]).await;

    let outsider = gateway(&nats.url(), &secret, &[], &["--cluster-token", WRONG_TOKEN]);
    // Refused by NATS, it keeps trying, and meanwhile admits nobody and says why. (A second
    // is many times what the others took to connect: this is a refusal, not a slow start.)
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut client = Client::ready(outsider.addr).await;
    client
        .send_json(support::room_create(&support::any_key()))
        .await;
    client.expect_error("cluster_unavailable").await;
    assert_eq!(cluster_health(outsider.addr).await["connected"], false);
    assert_eq!(
        cluster_health(a.addr).await["peers"],
        1,
        "the outsider never joined"
    );
    for process in [&a, &b, &outsider] {
        let output = process.output();
        assert!(
            !output.contains(TOKEN) && !output.contains(WRONG_TOKEN),
            "a token in the output: {output}"
        );
    }
}

/// Runs the gateway with `args` and the cluster options, and expects it to exit at once
/// with an error; returns everything it printed.
fn refused_start(args: &[&str]) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_anoghost-gateway"))
        .args(["--listen", "127.0.0.1:0", "--cluster", "nats://127.0.0.1:1"])
        .args(args)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the gateway binary");
    let deadline = Instant::now() + Duration::from_secs(10);
    while child.try_wait().expect("the child's status").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the gateway started with {args:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // Exited: its status is known and its pipes end.
    let output = child.wait_with_output().expect("the gateway's output");
    assert!(!output.status.success(), "{args:?} must not start");
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    text(output.stdout) + &text(output.stderr)
}

#[test]
fn a_gateway_without_a_usable_cluster_secret_does_not_start_and_says_why() {
    let output = refused_start(&[]);
    assert!(
        output.contains("--cluster needs --cluster-secret-file"),
        "{output}"
    );

    let missing =
        std::env::temp_dir().join(format!("anoghost-no-such-secret-{}", std::process::id()));
    let missing = missing.display().to_string();
    let output = refused_start(&["--cluster-secret-file", &missing]);
    assert!(
        output.contains(&format!("the cluster secret file {missing}")),
        "{output}"
    );

    let bad = Secret::new();
    let material = "not-hex-but-secret-material-0123456789";
    std::fs::write(&bad.path, material).expect("write the bad secret");
    let path = bad.path.display().to_string();
    let output = refused_start(&["--cluster-secret-file", &path]);
    assert!(output.contains("must be 64 hex digits"), "{output}");
    assert!(!output.contains(material), "the file echoed: {output}");
}
