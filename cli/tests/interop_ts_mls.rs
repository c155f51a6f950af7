//! Interop with an independent MLS implementation (issue 16): the web client's core on
//! ts-mls 1.6.4, run in Node (`web/test/interop/`), and this CLI on OpenMLS
//! 0.9, in one free room through a real gateway, each reading the other's message. Once with
//! the CLI creating the room and ts-mls joining from its invite, once the other way round.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Stdio;
use std::time::Duration;

use support::gateway::spawn_gateway;
use support::web::{passed, vitest};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_anoghost");
const LIMIT: Duration = Duration::from_secs(120);

async fn cli_output(child: tokio::process::Child) -> String {
    let output = tokio::time::timeout(LIMIT, child.wait_with_output())
        .await
        .expect("the CLI finishes in time")
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "the CLI failed:\n{text}");
    text
}

#[actix_web::test]
async fn ts_mls_joins_a_room_the_rust_cli_created_and_each_reads_the_other() {
    let (_gateway, url) = spawn_gateway();
    let mut creator = Command::new(CLI)
        .args(["--gateway", &url, "room", "create", "--listen", "1"])
        .args(["--send", "hello from openmls", "--timeout", "90"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(creator.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().expect("the invite line");
    let invite = first
        .strip_prefix("invite: ")
        .expect("an invite")
        .to_owned();

    let env = [
        ("ANOGHOST_GATEWAY", url.clone()),
        ("ANOGHOST_INVITE", invite),
    ];
    let report = passed(
        &mut vitest("test/interop/joins-cli-room.test.ts", &env),
        LIMIT,
    )
    .await;
    assert!(report.contains("1 passed"), "{report}");

    let mut rest = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        rest.push(line);
    }
    let creator_out = format!("{}\n{}", rest.join("\n"), cli_output(creator).await);
    assert!(
        creator_out.contains("sent: hello from openmls"),
        "{creator_out}"
    );
    assert!(creator_out.contains("] hello from ts-mls"), "{creator_out}");
}

#[actix_web::test]
async fn the_rust_cli_joins_a_room_ts_mls_created_and_each_reads_the_other() {
    let (_gateway, url) = spawn_gateway();
    let invite_file =
        std::env::temp_dir().join(format!("anoghost-interop-invite-{}", std::process::id()));
    let _ = std::fs::remove_file(&invite_file);
    let env = [
        ("ANOGHOST_GATEWAY", url.clone()),
        (
            "ANOGHOST_INVITE_FILE",
            invite_file.to_string_lossy().into_owned(),
        ),
    ];
    let mut web = vitest("test/interop/cli-joins-room.test.ts", &env);
    let web = tokio::spawn(async move { passed(&mut web, LIMIT).await });

    let mut invite = String::new();
    for _ in 0..300 {
        invite = std::fs::read_to_string(&invite_file).unwrap_or_default();
        if invite.ends_with('\n') {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _ = std::fs::remove_file(&invite_file);
    let invite = invite.trim().to_owned();
    assert!(!invite.is_empty(), "ts-mls wrote no invite");

    let joiner = Command::new(CLI)
        .args(["--gateway", &url, "room", "join", &invite, "--listen", "1"])
        .args(["--send", "hello from openmls", "--timeout", "90"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let joiner_out = cli_output(joiner).await;
    assert!(
        joiner_out.contains("sent: hello from openmls"),
        "{joiner_out}"
    );
    assert!(joiner_out.contains("] hello from ts-mls"), "{joiner_out}");
    let report = web.await.unwrap();
    assert!(report.contains("1 passed"), "{report}");
}

#[actix_web::test]
async fn two_ts_mls_members_chat_through_the_gateway_and_a_wrong_secret_is_refused() {
    let (_gateway, url) = spawn_gateway();
    let env = [("ANOGHOST_GATEWAY", url)];
    let report = passed(
        &mut vitest("test/interop/gateway-pair.test.ts", &env),
        LIMIT,
    )
    .await;
    assert!(report.contains("1 passed"), "{report}");
}

/// The browser client's byte layouts against the documents' examples, and the known-answer
/// vectors it shares with the Rust SDK (`client-sdk/src/mls/web_vectors.rs` and
/// `client-sdk/src/paid/web_vectors.rs` check the same files), including HPKE direct
/// messages and paid-room invites sealed by each side.
#[actix_web::test]
async fn the_web_clients_codecs_and_vectors_match_the_documents_and_the_rust_sdk() {
    let report = passed(&mut vitest("test/unit", &[]), LIMIT).await;
    assert!(report.contains("10 passed"), "{report}");
}
