//! Running the `anoghost` binary in tests: one-shot commands, and interactive sessions
//! driven through stdin with their stdout read line by line. Plus a localnet and a gateway
//! reading it over JSON-RPC, wired as an operator would wire them.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(dead_code, clippy::unwrap_used)]

pub mod gateway;
pub mod tls;
pub mod web;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use anoghost_localnet::server::{start, LocalnetOptions, RunningLocalnet};
use solana_sdk::signature::Keypair;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::mpsc;

pub const CLI: &str = env!("CARGO_BIN_EXE_anoghost");

/// A localnet, a gateway reading it over HTTP, and a scratch directory for keypair files.
pub struct PaidStack {
    pub localnet: RunningLocalnet,
    pub gateway: anoghost_gateway::RunningGateway,
    pub gateway_url: String,
    pub dir: PathBuf,
}

impl PaidStack {
    pub async fn start(name: &str) -> Self {
        Self::start_with(name, LocalnetOptions::default()).await
    }

    /// A stack whose localnet starts with `options` (a short refund timeout, say).
    pub async fn start_with(name: &str, options: LocalnetOptions) -> Self {
        let localnet = start(TcpListener::bind("127.0.0.1:0").unwrap(), options)
            .await
            .unwrap();
        let dir = std::env::temp_dir().join(format!("anoghost-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let authority = keypair_file(&dir, "authority", &localnet.keys.gateway_authority);
        let mut config = anoghost_gateway::GatewayConfig::local_defaults();
        config.rpc_url = Some(localnet.url());
        config.authority_keypair = Some(authority);
        config.master_key = Some("22".repeat(32));
        config.mint_delay_max_ms = 0;
        config.settle_delay_max_secs = 0;
        config.settle_sweep_secs = 1;
        config.workers = 2;
        let gateway =
            anoghost_gateway::start(config, TcpListener::bind("127.0.0.1:0").unwrap()).unwrap();
        let gateway_url = format!("ws://{}/v1/ws", gateway.addr);
        Self {
            localnet,
            gateway,
            gateway_url,
            dir,
        }
    }

    /// `--gateway … --rpc-url …`.
    pub fn common_args(&self) -> Vec<String> {
        vec![
            "--gateway".into(),
            self.gateway_url.clone(),
            "--rpc-url".into(),
            self.localnet.url(),
        ]
    }
}

impl Drop for PaidStack {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Writes `keypair` as a Solana CLI keypair file in `dir`.
pub fn keypair_file(dir: &Path, name: &str, keypair: &Keypair) -> PathBuf {
    let path = dir.join(format!("{name}.json"));
    let _ = std::fs::remove_file(&path);
    anoghost_program_client::keypair_file::write_new(&path, keypair).unwrap();
    path
}

/// Runs `anoghost args…` to completion; panics if it succeeds. Returns stderr.
pub async fn run_failing(args: &[&str]) -> String {
    let output = Command::new(CLI).args(args).output().await.unwrap();
    assert!(
        !output.status.success(),
        "anoghost {args:?} should have failed:\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs `anoghost args…` to completion; panics unless it succeeds. Returns stdout.
pub async fn run(args: &[&str]) -> String {
    let output = Command::new(CLI).args(args).output().await.unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "anoghost {args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The rest of the first line of `output` containing `prefix`.
pub fn value_after<'a>(output: &'a str, prefix: &str) -> &'a str {
    output
        .lines()
        .find_map(|line| line.split_once(prefix).map(|(_, rest)| rest.trim()))
        .unwrap_or_else(|| panic!("no {prefix:?} in:\n{output}"))
}

/// A running `anoghost` whose stdin the test types into.
pub struct Session {
    child: Child,
    stdin: ChildStdin,
    lines: mpsc::UnboundedReceiver<String>,
    seen: Vec<String>,
}

impl Session {
    pub fn spawn(args: &[&str]) -> Self {
        Self::spawn_with_env(args, &[])
    }

    /// [`Session::spawn`] with environment variables `env` set.
    pub fn spawn_with_env(args: &[&str], env: &[(&str, &Path)]) -> Self {
        let mut child = Command::new(CLI)
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        // Both streams feed one list of lines: an error is something to expect too.
        let (sender, lines) = mpsc::unbounded_channel();
        let errors = sender.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        tokio::spawn(async move {
            let mut reader = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                if errors.send(line).is_err() {
                    break;
                }
            }
        });
        Self {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (up to 30 s) for a line containing `needle`; returns it.
    pub async fn expect(&mut self, needle: &str) -> String {
        self.expect_any(&[needle]).await
    }

    /// Waits (up to 30 s) for a line containing any of `needles`; returns it.
    pub async fn expect_any(&mut self, needles: &[&str]) -> String {
        let wait = async {
            loop {
                match self.lines.recv().await {
                    Some(line) => {
                        self.seen.push(line.clone());
                        if needles.iter().any(|needle| line.contains(needle)) {
                            return line;
                        }
                    }
                    None => panic!(
                        "anoghost exited before printing {needles:?}; it printed:\n{}",
                        self.seen.join("\n")
                    ),
                }
            }
        };
        match tokio::time::timeout(Duration::from_secs(30), wait).await {
            Ok(line) => line,
            Err(_) => panic!(
                "no {needles:?} within 30 s; anoghost printed:\n{}",
                self.seen.join("\n")
            ),
        }
    }

    /// Types `line` and Enter.
    pub async fn type_line(&mut self, line: &str) {
        self.stdin
            .write_all(format!("{line}\n").as_bytes())
            .await
            .unwrap();
        self.stdin.flush().await.unwrap();
    }

    /// Types /quit and waits for the process to end successfully.
    pub async fn quit(mut self) {
        self.type_line("/quit").await;
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .unwrap()
            .unwrap();
        assert!(status.success());
    }
}
