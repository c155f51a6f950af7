//! Files between `anoghost` processes through a real gateway at its production message
//! rate (50 a second per connection): scripted (`--send-file`, `--save-files`) and
//! interactive (`/send`, `/save`, `/decline`).

// A test panics on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};

use support::gateway::spawn_gateway_with;
use support::Session;

const MIB: usize = 1024 * 1024;

/// A gateway with the production message rate.
fn gateway() -> (anoghost_gateway::RunningGateway, String) {
    spawn_gateway_with(|config| config.messages_per_second = 50)
}

/// A fresh scratch folder with `parts` inside it.
fn scratch(name: &str, parts: &[&str]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("anoghost-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for part in parts {
        std::fs::create_dir_all(dir.join(part)).unwrap();
    }
    dir
}

/// `len` bytes that are not all alike, written to `path`.
fn write_file(path: &Path, len: usize) -> Vec<u8> {
    let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 253) as u8).collect();
    std::fs::write(path, &bytes).unwrap();
    bytes
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The creator's invite, once it printed it.
async fn invite_of(creator: &mut Session) -> String {
    let line = creator.expect("invite: ").await;
    line.split_once("invite: ").unwrap().1.to_owned()
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[actix_web::test]
async fn a_5_mib_file_between_two_cli_processes_arrives_byte_identical() {
    let (_gateway, url) = gateway();
    let dir = scratch("five", &["in", "out"]);
    let sent = write_file(&dir.join("out/five.bin"), 5 * MIB);
    let mut receiver = Session::spawn(&[
        "--gateway",
        &url,
        "room",
        "create",
        "--save-files",
        s(&dir.join("in")),
        "--files",
        "1",
        "--timeout",
        "90",
    ]);
    let invite = invite_of(&mut receiver).await;
    let sender = Session::spawn(&[
        "--gateway",
        &url,
        "room",
        "join",
        &invite,
        "--send-file",
        s(&dir.join("out/five.bin")),
        "--timeout",
        "90",
    ]);
    let saved = receiver.expect("file saved: ").await;
    let (ok, sender_lines) = sender.finish().await;
    assert!(ok, "{sender_lines:#?}");
    assert!(
        sender_lines
            .iter()
            .any(|l| l.starts_with("file sent: \"five.bin\" (5242880 bytes, sha256 ")),
        "{sender_lines:#?}"
    );
    let (ok, lines) = receiver.finish().await;
    assert!(ok, "{lines:#?}");
    let path = dir.join("in/five.bin");
    assert!(
        saved.contains(&format!("file saved: {} (5242880 bytes", path.display())),
        "{saved}"
    );
    assert!(std::fs::read(&path).unwrap() == sent, "byte-identical");
    assert_eq!(entries(&dir.join("in")), ["five.bin"]);
    for line in lines.iter().chain(&sender_lines) {
        assert!(
            !line.contains("refused"),
            "the gateway dropped nothing: {line}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[actix_web::test]
async fn a_sender_killed_mid_transfer_leaves_an_error_and_no_partial_file() {
    let (_gateway, url) = gateway();
    let dir = scratch("killed", &["in", "out"]);
    write_file(&dir.join("out/big.bin"), 20 * MIB);
    let mut receiver = Session::spawn(&[
        "--gateway",
        &url,
        "room",
        "create",
        "--save-files",
        s(&dir.join("in")),
        "--files",
        "1",
        "--timeout",
        "90",
    ]);
    let invite = invite_of(&mut receiver).await;
    let mut sender = Session::spawn(&[
        "--gateway",
        &url,
        "room",
        "join",
        &invite,
        "--send-file",
        s(&dir.join("out/big.bin")),
        "--timeout",
        "90",
    ]);
    receiver.expect("file offered: ").await;
    sender.expect("sending \"big.bin\"").await;
    // A second at half the gateway's rate: about 25 of its 323 chunks.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    sender.kill().await;
    let failed = receiver.expect("file failed: ").await;
    assert!(
        failed.contains("\"big.bin\"")
            && failed.contains("incomplete")
            && failed.contains("the sender left"),
        "{failed}"
    );
    let (ok, lines) = receiver.finish().await;
    assert!(!ok, "a file that did not arrive is an error: {lines:#?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("1 incoming file(s) not saved")),
        "{lines:#?}"
    );
    assert!(
        entries(&dir.join("in")).is_empty(),
        "no file, partial or temporary"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[actix_web::test]
async fn an_incoming_file_asks_where_to_save_it_and_never_overwrites() {
    let (_gateway, url) = gateway();
    let dir = scratch("ask", &["downloads", "elsewhere", "out"]);
    let downloads = dir.join("downloads");
    std::fs::write(downloads.join("notes.txt"), b"mine").unwrap();
    let theirs = write_file(&dir.join("out/notes.txt"), 5000);
    write_file(&dir.join("out/big.bin"), 10 * MIB);
    let mut receiver = Session::spawn_with_env(
        &["--gateway", &url, "room", "create"],
        &[("XDG_DOWNLOAD_DIR", &downloads)],
    );
    let invite = invite_of(&mut receiver).await;
    let mut sender = Session::spawn(&["--gateway", &url, "room", "join", &invite]);
    sender.expect("you are in the group").await;
    sender.expect("files up to 25.0 MiB in this room").await;

    // Saved to the downloads folder, under a fresh name: notes.txt is taken.
    sender
        .type_line(&format!("/send {}", s(&dir.join("out/notes.txt"))))
        .await;
    let offer = receiver.expect("file offered: ").await;
    let fresh = downloads.join("notes (1).txt");
    assert!(
        offer.contains("\"notes.txt\" (5 KiB, text/plain) as file 1"),
        "{offer}"
    );
    assert!(
        offer.contains(&format!(
            "/save 1 puts it in $XDG_DOWNLOAD_DIR as {}",
            fresh.display()
        )),
        "{offer}"
    );
    sender.expect("file sent: \"notes.txt\"").await;
    receiver.type_line("/save").await;
    let saved = receiver.expect("file saved: ").await;
    assert!(saved.contains(&fresh.display().to_string()), "{saved}");
    assert_eq!(std::fs::read(downloads.join("notes.txt")).unwrap(), b"mine");
    assert_eq!(std::fs::read(&fresh).unwrap(), theirs);

    // Declined while it arrives: the sender hears it and stops; nothing is written.
    sender
        .type_line(&format!("/send {}", s(&dir.join("out/big.bin"))))
        .await;
    receiver.expect("as file 2").await;
    receiver.type_line("/decline 2").await;
    receiver.expect("file declined: \"big.bin\"").await;
    sender.expect("file declined: \"big.bin\" by #").await;
    let stopped = sender.expect("file failed: \"big.bin\" (yours)").await;
    assert!(
        stopped.contains("nobody left to receive the file"),
        "{stopped}"
    );

    // Saved where the user says.
    sender
        .type_line(&format!("/send {}", s(&dir.join("out/notes.txt"))))
        .await;
    receiver.expect("as file 3").await;
    receiver
        .type_line(&format!("/save 3 {}", s(&dir.join("elsewhere"))))
        .await;
    receiver.expect("file saved: ").await;
    assert_eq!(
        std::fs::read(dir.join("elsewhere/notes.txt")).unwrap(),
        theirs
    );
    assert_eq!(entries(&downloads), ["notes (1).txt", "notes.txt"]);

    sender.quit().await;
    receiver.quit().await;
    std::fs::remove_dir_all(&dir).unwrap();
}

#[actix_web::test]
async fn a_creator_set_limit_reaches_a_joiner_which_refuses_a_file_over_it() {
    let (_gateway, url) = gateway();
    let dir = scratch("limit", &["out"]);
    write_file(&dir.join("out/two.bin"), 2 * MIB);
    let mut creator = Session::spawn(&[
        "--gateway",
        &url,
        "room",
        "create",
        "--max-file-mib",
        "1",
        "--listen",
        "1",
        "--timeout",
        "60",
    ]);
    let invite = invite_of(&mut creator).await;
    let joiner = Session::spawn(&[
        "--gateway",
        &url,
        "room",
        "join",
        &invite,
        "--send-file",
        s(&dir.join("out/two.bin")),
        "--timeout",
        "60",
    ]);
    let (ok, lines) = joiner.finish().await;
    assert!(!ok, "{lines:#?}");
    assert!(
        lines.iter().any(|l| l == "room file limit: 1048576 bytes"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("is 2.0 MiB; this room takes files up to 1.0 MiB")),
        "{lines:#?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[actix_web::test]
async fn the_help_explains_files() {
    let join = support::run(&["room", "join", "--help"]).await;
    for needle in [
        "--send-file <PATH>",
        "--save-files <DIR>",
        "--files <N>",
        "/send PATH",
        "$XDG_DOWNLOAD_DIR, else ~/Downloads, else the current directory",
        "Nothing is ever overwritten",
        "never stored on the gateway",
    ] {
        assert!(join.contains(needle), "{needle:?} not in:\n{join}");
    }
    let create = support::run(&["room", "create", "--help"]).await;
    assert!(create.contains("--max-file-mib <MIB>"), "{create}");
}
