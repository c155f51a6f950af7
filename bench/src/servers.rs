//! Starting the relays under test as child processes on loopback, and finding where they
//! listen from the line they print.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::client::Target;

/// A relay process; killed when dropped.
pub struct Server {
    /// The child process.
    pub child: Child,
    /// Where it listens.
    pub target: Target,
}

impl Server {
    /// The process id, for reading its RSS and CPU time.
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }
}

/// Gateway options that lift the per-client limits a load test would trip over: it
/// measures the relay, not the abuse limits.
pub const GATEWAY_LOAD_OPTIONS: &[&str] = &[
    "--listen",
    "127.0.0.1:0",
    "--messages-per-second",
    "1000000",
    "--joins-per-minute",
    "1000000",
    "--joins-per-minute-per-ip",
    "100000000",
    "--max-connections",
    "10000000",
    "--max-rooms",
    "10000000",
    "--idle-timeout-secs",
    "3600",
    "--outbound-queue",
    "1024",
];

/// Starts `command` and waits for the line after `marker` that says where it listens;
/// `path` is the WebSocket path on that address.
pub async fn spawn(mut command: Command, marker: &str, path: &str) -> std::io::Result<Server> {
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .kill_on_drop(true);
    let mut child = command.spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| std::io::Error::other("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let find = async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.split(marker).nth(1) {
                let addr = rest
                    .split(|c: char| c.is_whitespace() || c == '/')
                    .find(|part| !part.is_empty())
                    .unwrap_or_default();
                if let Ok(addr) = addr.parse::<SocketAddr>() {
                    return Ok(addr);
                }
            }
        }
        Err(std::io::Error::other(
            "the server exited before saying where it listens",
        ))
    };
    let addr = tokio::time::timeout(Duration::from_secs(30), find)
        .await
        .map_err(|_| std::io::Error::other("the server did not start within 30 s"))??;
    // Keep reading its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(Server {
        child,
        target: Target {
            addr,
            path: path.to_owned(),
        },
    })
}

/// The AnoGhost gateway (release binary) with load-test limits and `extra` options.
pub async fn gateway(binary: &Path, extra: &[&str]) -> std::io::Result<Server> {
    let mut command = Command::new(binary);
    command
        .args(GATEWAY_LOAD_OPTIONS)
        .args(extra)
        .env("RUST_LOG", "error");
    spawn(command, "http://", "/v1/ws").await
}

/// The tokio-tungstenite floor relay.
pub async fn floor(binary: &Path) -> std::io::Result<Server> {
    let mut command = Command::new(binary);
    command.args(["--listen", "127.0.0.1:0"]);
    spawn(command, "listening on ", "/").await
}

/// The Node `ws` relay (`bench/node/relay.mjs`).
pub async fn node(script: &Path) -> std::io::Result<Server> {
    let mut command = Command::new("node");
    command.arg(script).arg("0");
    spawn(command, "listening on ", "/").await
}
