//! Cluster tests' parts: a real `nats-server` on a free loopback port, the cluster secret
//! file, gateway processes joined to the cluster, and a TCP proxy whose cut stands for a
//! lost link between one gateway and NATS.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;

use super::process::GatewayProcess;
use super::Client;

/// Longer than a gateway takes to notice another is gone (2 s of silence, checked every
/// half second) and for its successor to claim the room (0.1 s).
pub const DEPARTURE: Duration = Duration::from_secs(8);

/// A commit in `epoch`, as a group frame's payload.
pub fn commit(epoch: u64, body: &[u8]) -> Vec<u8> {
    [super::mls_header(epoch, 3), body.to_vec()].concat()
}

/// Reads control messages and frames until one of type `kind` arrives; returns it and
/// what came before.
pub async fn until(client: &mut Client, kind: &str) -> (Value, Vec<Message>) {
    let mut before = Vec::new();
    loop {
        let message = client.next().await;
        if let Message::Text(text) = &message {
            let value: Value = serde_json::from_str(text).expect("a JSON control message");
            if value["type"] == kind {
                return (value, before);
            }
        }
        before.push(message);
    }
}

/// A `nats-server` child on 127.0.0.1, core NATS only (no JetStream: nothing is stored).
pub struct NatsServer {
    child: Option<Child>,
    pub port: u16,
    /// Further `nats-server` arguments (authorisation, say), kept for restarts.
    extra: Vec<String>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl NatsServer {
    /// Starts a server on a free port and waits until it accepts connections.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// [`Self::start`] with further `nats-server` arguments.
    pub fn start_with(extra: &[&str]) -> Self {
        let mut server = Self {
            child: None,
            port: free_port(),
            extra: extra.iter().map(|arg| arg.to_string()).collect(),
        };
        server.restart();
        server
    }

    /// `nats://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("nats://127.0.0.1:{}", self.port)
    }

    /// Stops the server (SIGKILL: every connection drops at once).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port.
    pub fn restart(&mut self) {
        self.stop();
        let binary = ["/usr/sbin/nats-server", "/usr/bin/nats-server"]
            .into_iter()
            .find(|path| std::path::Path::new(path).exists())
            .unwrap_or("nats-server");
        let mut child = Command::new(binary)
            .args(["-a", "127.0.0.1", "-p", &self.port.to_string()])
            .args(&self.extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "nats-server is required for the cluster tests ({e}): \
                     apt-get install nats-server (scripts/install-deps.sh)"
                )
            });
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "nats-server did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        // Something answers on the port; make sure it is this server, not another process
        // that took the port while it was free (this server would then have exited).
        std::thread::sleep(Duration::from_millis(50));
        if let Ok(Some(status)) = child.try_wait() {
            panic!(
                "nats-server exited ({status}): port {} was taken",
                self.port
            );
        }
        self.child = Some(child);
    }
}

impl Drop for NatsServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The cluster secret, in a file the test owns (the gateways only read it).
pub struct Secret {
    pub path: PathBuf,
}

impl Secret {
    /// A random secret.
    pub fn new() -> Self {
        Self::holding(&rand::random())
    }

    /// A file holding `bytes` as 64 hex digits (a master key the test also binds with, say).
    pub fn holding(bytes: &[u8; 32]) -> Self {
        let path = std::env::temp_dir().join(format!(
            "anoghost-cluster-secret-{}-{}.hex",
            std::process::id(),
            rand::random::<u32>()
        ));
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(&path, hex).unwrap();
        Self { path }
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A gateway process in the cluster at `nats` (a URL), with test-friendly limits and
/// `extra` flags, optionally under a wrapper command.
pub fn gateway(nats: &str, secret: &Secret, wrapper: &[&str], extra: &[&str]) -> GatewayProcess {
    let secret = secret.path.display().to_string();
    let mut args = vec![
        "--cluster",
        nats,
        "--cluster-secret-file",
        &secret,
        "--messages-per-second",
        "10000",
        "--joins-per-minute",
        "1000",
        "--joins-per-minute-per-ip",
        "10000",
    ];
    args.extend_from_slice(extra);
    GatewayProcess::spawn(wrapper, &args)
}

/// Returns once NATS has processed every subscription `tap` made so far. A flush only
/// writes them to the socket, and a gateway publishing on its own connection could still be
/// read first; a marker published to a subject the tap subscribes to last comes back only
/// after the server has read all of them.
pub async fn subscribed(tap: &async_nats::Client) {
    use futures_util::StreamExt;

    let marker = format!("tap.marker.{}", rand::random::<u64>());
    let mut echo = tap
        .subscribe(marker.clone())
        .await
        .expect("the tap subscribes");
    tap.publish(marker, Vec::new().into())
        .await
        .expect("the tap publishes");
    tokio::time::timeout(Duration::from_secs(5), echo.next())
        .await
        .expect("the tap's marker comes back through NATS")
        .expect("the tap's subscription is open");
}

/// The `cluster` part of the gateway's `/v1/health` at `addr`.
pub async fn cluster_health(addr: SocketAddr) -> serde_json::Value {
    let health: serde_json::Value = reqwest::get(format!("http://{addr}/v1/health"))
        .await
        .expect("/v1/health answers")
        .json()
        .await
        .expect("/v1/health is JSON");
    health["cluster"].clone()
}

/// Waits until `count` gateways can see each other: each has heard the others'
/// heartbeats (read from /v1/health's `peers`).
pub async fn wait_for_peers(gateways: &[&GatewayProcess]) {
    let expected = gateways.len() - 1;
    let deadline = Instant::now() + Duration::from_secs(15);
    for gateway in gateways {
        loop {
            let health = cluster_health(gateway.addr).await;
            if health["peers"].as_u64() == Some(expected as u64) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "gateways did not find each other: {health}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// `N` gateways in the cluster at `nats` with [`gateway`]'s defaults, once each has heard
/// the others.
pub async fn gateways<const N: usize>(nats: &NatsServer, secret: &Secret) -> [GatewayProcess; N] {
    let started = std::array::from_fn(|_| gateway(&nats.url(), secret, &[], &[]));
    wait_for_peers(&started.each_ref()).await;
    started
}

/// A loopback TCP proxy to `target`; [`Proxy::cut`] drops every connection through it and
/// refuses new ones until [`Proxy::mend`].
pub struct Proxy {
    pub addr: SocketAddr,
    cut: Arc<AtomicBool>,
    generation: Arc<tokio::sync::watch::Sender<u64>>,
}

impl Proxy {
    pub async fn start(target: SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let cut = Arc::new(AtomicBool::new(false));
        let (generation, _) = tokio::sync::watch::channel(0u64);
        let generation = Arc::new(generation);
        let proxy = Self {
            addr,
            cut: cut.clone(),
            generation: generation.clone(),
        };
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                if cut.load(Ordering::Acquire) {
                    continue;
                }
                let Ok(outbound) = TcpStream::connect(target).await else {
                    continue;
                };
                let mut cut_signal = generation.subscribe();
                tokio::spawn(async move {
                    let (mut a, mut b) = (inbound, outbound);
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut a, &mut b) => {}
                        _ = cut_signal.changed() => {}
                    }
                });
            }
        });
        proxy
    }

    /// `nats://` URL through the proxy.
    pub fn url(&self) -> String {
        format!("nats://{}", self.addr)
    }

    /// Drops every connection and refuses new ones.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::Release);
        self.generation.send_modify(|g| *g += 1);
    }

    /// Accepts connections again.
    pub fn mend(&self) {
        self.cut.store(false, Ordering::Release);
    }
}
