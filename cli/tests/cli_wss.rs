//! `wss://` gateways: the `anoghost` binary behind a TLS-terminating proxy (a test CA made
//! by rcgen, all on 127.0.0.1), trusted through `ANOGHOST_CA_FILE`, and refused with a
//! clear certificate error without it.

mod support;

use std::path::Path;

use support::gateway::spawn_gateway;
use support::tls::TlsProxy;
use support::{run_failing, Session};
use tokio::process::Command;

fn scratch(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("anoghost-wss-{name}-{}", std::process::id()))
}

#[actix_web::test]
async fn two_clients_chat_through_a_wss_gateway_whose_ca_they_trust() {
    let (gateway, _) = spawn_gateway();
    let proxy = TlsProxy::start(gateway.addr, &scratch("chat")).await;
    let trust: &[(&str, &Path)] = &[("ANOGHOST_CA_FILE", &proxy.ca_file)];

    let mut alice = Session::spawn_with_env(&["--gateway", &proxy.url, "room", "create"], trust);
    let invite = alice.expect("invite: ").await;
    let invite = invite.split_once("invite: ").unwrap().1.to_owned();
    let mut bob =
        Session::spawn_with_env(&["--gateway", &proxy.url, "room", "join", &invite], trust);
    bob.expect("you are in the group").await;
    alice.expect("added to the group").await;

    alice.type_line("hello over tls").await;
    bob.expect("] hello over tls").await;
    bob.type_line("and back over tls").await;
    alice.expect("] and back over tls").await;
    bob.quit().await;
    alice.quit().await;
}

#[actix_web::test]
async fn a_client_without_the_ca_refuses_the_gateway_certificate() {
    let (gateway, _) = spawn_gateway();
    let proxy = TlsProxy::start(gateway.addr, &scratch("untrusted")).await;

    let stderr = run_failing(&["--gateway", &proxy.url, "room", "create"]).await;
    assert!(
        stderr.contains(&format!(
            "the gateway at {} presented a TLS certificate this client does not trust",
            proxy.url
        )),
        "{stderr}"
    );
    assert!(stderr.contains("UnknownIssuer"), "{stderr}");
    assert!(stderr.contains("set ANOGHOST_CA_FILE"), "{stderr}");

    // A CA file that is not there is named, not silently skipped.
    let missing = scratch("untrusted").join("missing.pem");
    let output = Command::new(support::CLI)
        .args(["--gateway", &proxy.url, "room", "create"])
        .env("ANOGHOST_CA_FILE", &missing)
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("cannot use the CA file {}", missing.display())),
        "{stderr}"
    );
}
