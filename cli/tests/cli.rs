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
    assert!(creator_out.contains("added to the group"), "{creator_out}");
}

/// Knock mode: the creator sees each joiner knock and decides; a refused joiner is told
/// and leaves with an error, an approved one chats.
#[actix_web::test]
async fn in_knock_mode_the_creator_refuses_one_joiner_and_lets_another_in() {
    let (_gateway, url) = spawn_gateway();
    let mut creator = support::Session::spawn(&["--gateway", &url, "room", "create", "--knock"]);
    let invite = creator.expect("invite: ").await;
    let invite = invite.split_once("invite: ").unwrap().1.to_owned();
    assert!(invite.ends_with("-knock"), "{invite}");

    let refused = Command::new(CLI)
        .args([
            "--gateway",
            &url,
            "room",
            "join",
            &invite,
            "--send",
            "let me in",
        ])
        .args(["--timeout", "30"])
        .output();
    let refused = tokio::spawn(refused);
    let knock = creator.expect("knocks: /approve").await;
    let number = knock
        .split('#')
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    creator.type_line(&format!("/deny {number}")).await;
    creator.expect(&format!("#{number} refused")).await;
    let refused = refused.await.unwrap().unwrap();
    assert!(
        !refused.status.success(),
        "a refused joiner exits with an error"
    );
    let refused_out = format!(
        "{}{}",
        String::from_utf8_lossy(&refused.stdout),
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(refused_out.contains("did not let you in"), "{refused_out}");

    let welcome = Command::new(CLI)
        .args([
            "--gateway",
            &url,
            "room",
            "join",
            &invite,
            "--send",
            "thanks",
        ])
        .args(["--timeout", "30"])
        .output();
    let welcome = tokio::spawn(welcome);
    let knock = creator.expect("knocks: /approve").await;
    let number = knock
        .split('#')
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    creator.type_line(&format!("/approve {number}")).await;
    creator.expect(&format!("[{number}] thanks")).await;
    let welcome = welcome.await.unwrap().unwrap();
    assert!(welcome.status.success());
    creator.quit().await;
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
