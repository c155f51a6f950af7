//! The `anoghost` binary, run as processes against a real gateway.

mod support;

use std::process::Stdio;
use std::time::Duration;

use support::gateway::spawn_gateway;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const CLI: &str = env!("CARGO_BIN_EXE_anoghost");

#[actix_web::test]
async fn one_process_creates_a_room_and_another_joins_and_sends() {
    let (_gateway, url) = spawn_gateway();
    let mut creator = Command::new(CLI)
        .args([
            "--gateway",
            &url,
            "room",
            "create",
            "--listen",
            "1",
            "--timeout",
            "30",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(creator.stdout.take().unwrap()).lines();
    let first = lines.next_line().await.unwrap().expect("the invite line");
    let invite = first
        .strip_prefix("invite: ")
        .expect("starts with the invite")
        .to_owned();
    assert!(invite.len() > 8 && invite.as_bytes()[6] == b'-', "{invite}");

    let joiner = Command::new(CLI)
        .args([
            "--gateway",
            &url,
            "room",
            "join",
            &invite,
            "--send",
            "hello from the cli",
        ])
        .args(["--timeout", "30"])
        .output();
    let joiner = tokio::time::timeout(Duration::from_secs(40), joiner)
        .await
        .unwrap()
        .unwrap();
    let joiner_out = String::from_utf8_lossy(&joiner.stdout);
    assert!(
        joiner.status.success(),
        "joiner failed: {joiner_out}\n{}",
        String::from_utf8_lossy(&joiner.stderr)
    );
    assert!(
        joiner_out.contains("sent: hello from the cli"),
        "{joiner_out}"
    );

    let mut creator_out = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        creator_out.push(line);
    }
    let status = creator.wait().await.unwrap();
    let creator_out = creator_out.join("\n");
    assert!(status.success(), "creator failed: {creator_out}");
    assert!(
        creator_out.contains("] hello from the cli"),
        "{creator_out}"
    );
    assert!(
        creator_out.contains("keys verified with the room secret"),
        "{creator_out}"
    );
}

#[actix_web::test]
async fn damaged_invite_and_unreachable_gateway_get_clear_errors() {
    let output = Command::new(CLI)
        .args(["room", "join", "12345-abc"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("room code must be six digits"), "{stderr}");

    let output = Command::new(CLI)
        .args(["--gateway", "ws://127.0.0.1:9/v1/ws", "room", "create"])
        .output()
        .await
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot connect to the gateway"), "{stderr}");
}
