//! Starting the relays under test as child processes on loopback, and finding where they
//! listen from the line they print.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::client::{Target, Transport};

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

async fn spawn(
    mut command: Command,
    marker: &str,
    transport: Transport,
) -> std::io::Result<Server> {
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
        target: Target { addr, transport },
    })
}

/// The AnoGhost gateway (release binary) with load-test limits and `extra` options.
pub async fn gateway(binary: &Path, extra: &[&str]) -> std::io::Result<Server> {
    let mut command = Command::new(binary);
    command
        .args(GATEWAY_LOAD_OPTIONS)
        .args(extra)
        .env("RUST_LOG", "error");
    spawn(command, "http://", Transport::WebSocket("/v1/ws".into())).await
}

/// The raw-TCP relay: the gateway's framing without WebSocket, the box's limit.
pub async fn raw(binary: &Path) -> std::io::Result<Server> {
    let mut command = Command::new(binary);
    command.args(["--listen", "127.0.0.1:0"]);
    spawn(command, "listening on ", Transport::RawTcp).await
}

/// The tokio-tungstenite relay.
pub async fn floor(binary: &Path) -> std::io::Result<Server> {
    let mut command = Command::new(binary);
    command.args(["--listen", "127.0.0.1:0"]);
    spawn(command, "listening on ", Transport::WebSocket("/".into())).await
}

/// The Node `ws` relay (`bench/node/relay.mjs`).
pub async fn node(script: &Path) -> std::io::Result<Server> {
    let mut command = Command::new("node");
    command.arg(script).arg("0");
    spawn(command, "listening on ", Transport::WebSocket("/".into())).await
}

/// A core-NATS server (Debian's `nats-server`) on a free loopback port; no JetStream, so
/// it keeps nothing. Killed when dropped.
pub struct Nats {
    /// The child process.
    pub child: Child,
    /// `nats://127.0.0.1:<port>`.
    pub url: String,
}

impl Nats {
    /// The process id, for reading its CPU time.
    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }
}

/// Starts `binary` (nats-server) on a free loopback port and waits until it accepts.
pub async fn nats(binary: &Path) -> std::io::Result<Nats> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let child = Command::new(binary)
        .args(["-a", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|error| {
            std::io::Error::other(format!(
                "cannot start {} ({error}): apt-get install nats-server",
                binary.display()
            ))
        })?;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if tokio::time::Instant::now() > deadline {
            return Err(std::io::Error::other(
                "nats-server did not start within 10 s",
            ));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(Nats {
        child,
        url: format!("nats://127.0.0.1:{port}"),
    })
}

/// A random cluster secret in a temporary file, removed when dropped.
pub struct ClusterSecret {
    /// The file (64 hex digits).
    pub path: std::path::PathBuf,
}

impl ClusterSecret {
    /// Writes a fresh secret.
    pub fn new() -> std::io::Result<Self> {
        let hex: String = (0..32)
            .map(|_| format!("{:02x}", rand::random::<u8>()))
            .collect();
        let path = std::env::temp_dir().join(format!(
            "anoghost-bench-cluster-{}-{}.hex",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::write(&path, hex)?;
        Ok(Self { path })
    }
}

impl Drop for ClusterSecret {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A gateway (release binary) in the cluster at `nats`, with load-test limits.
pub async fn cluster_gateway(
    binary: &Path,
    nats: &Nats,
    secret: &ClusterSecret,
) -> std::io::Result<Server> {
    let secret = secret.path.display().to_string();
    gateway(
        binary,
        &["--cluster", &nats.url, "--cluster-secret-file", &secret],
    )
    .await
}
