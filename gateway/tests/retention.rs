//! Zero retention, checked on the real binary: its logs carry no identifiers, it opens no
//! file for writing, and SIGTERM closes every socket with a close frame.

mod support;

use std::net::{IpAddr, SocketAddr};

use serde_json::json;
use support::cluster::{self, NatsServer, Secret};
use support::process::GatewayProcess;
use support::{Client, Holder, Wallet};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// A client address no other part of the system uses, so any appearance in logs is a leak.
const CLIENT_IP: [u8; 4] = [127, 0, 0, 2];

/// The identifiers one full session exposed to the gateway.
struct SessionIdentifiers {
    wallets: Vec<String>,
    holders: Vec<String>,
    ghost_ids: Vec<String>,
    room_code: String,
    rooms: Vec<u32>,
    members: Vec<u16>,
}

/// Signs in two wallets, has ghostIds issued for two holders and checks them, creates and
/// joins a room, relays, leaves, and disconnects. Alice uses the gateway at `first`, Bob the
/// one at `second` (the same one, or another of a cluster).
async fn full_session(first: SocketAddr, second: SocketAddr) -> SessionIdentifiers {
    let source: IpAddr = CLIENT_IP.into();
    let alice_wallet = Wallet::new();
    let bob_wallet = Wallet::new();
    let mut alice = Client::connect_from(first, source).await;
    alice.hello().await;
    let mut bob = Client::connect_from(second, source).await;
    bob.hello().await;
    alice_wallet.sign_in(first, &mut alice).await;
    bob_wallet.sign_in(second, &mut bob).await;
    let (alice_holder, bob_holder) = (Holder::new(), Holder::new());
    let alice_ghost = alice_holder.issue_ghost(&mut alice).await;
    let bob_ghost = bob_holder.issue_ghost(&mut bob).await;
    let second = alice_holder.issue_ghost(&mut alice).await;
    bob.send_json(json!({"type": "presence", "ghost_ids": [alice_ghost, second]}))
        .await;
    bob.expect("presence").await;

    let room = alice.create_room().await;
    let bob_in = bob.join(&room).await;
    alice.expect("member_joined").await;
    alice.send_frame(room.room, b"opaque").await;
    bob.recv_frame().await;
    // Each gateway has its own reference for the room.
    bob.send_json(json!({"type": "room_leave", "room": bob_in.room}))
        .await;
    bob.expect("left").await;
    alice.expect("member_left").await;
    alice.close().await;
    bob.close().await;
    SessionIdentifiers {
        wallets: vec![alice_wallet.address(), bob_wallet.address()],
        holders: vec![alice_holder.address(), bob_holder.address()],
        ghost_ids: vec![alice_ghost, bob_ghost, second],
        room_code: room.code,
        rooms: vec![room.room, bob_in.room],
        members: vec![room.member, bob_in.member],
    }
}

/// Digit runs in the log, leaving out each line's timestamp.
fn digit_tokens(log: &str) -> Vec<String> {
    log.lines()
        .flat_map(|line| {
            line.split_once(' ')
                .map_or("", |(_, rest)| rest)
                .split(|c: char| !c.is_ascii_digit())
        })
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Fails if `log` names any identifier of the session.
fn assert_no_identifiers(log: &str, ids: &SessionIdentifiers) {
    for text in ids.wallets.iter().chain(&ids.holders).chain(&ids.ghost_ids) {
        assert!(!log.contains(text.as_str()), "log leaks {text}:\n{log}");
    }
    let ip = IpAddr::from(CLIENT_IP).to_string();
    assert!(!log.contains(&ip), "log leaks the client IP:\n{log}");
    let tokens = digit_tokens(log);
    let numbers = [ids.room_code.clone()]
        .into_iter()
        .chain(ids.rooms.iter().map(u32::to_string))
        .chain(ids.members.iter().map(u16::to_string));
    for number in numbers {
        assert!(!tokens.contains(&number), "log leaks {number}:\n{log}");
    }
}

/// The file system calls strace watches, and where it writes what it saw.
struct Strace {
    log: std::path::PathBuf,
}

impl Strace {
    fn new(name: &str) -> Self {
        assert!(
            std::process::Command::new("strace")
                .arg("-V")
                .output()
                .is_ok(),
            "strace is required for this test: apt-get install strace (scripts/install-deps.sh)"
        );
        let log =
            std::env::temp_dir().join(format!("anoghost-strace-{name}-{}.log", std::process::id()));
        Self { log }
    }

    /// The wrapper command line for [`GatewayProcess::spawn`].
    fn wrapper(&self) -> Vec<String> {
        let syscalls = "trace=open,openat,openat2,creat,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,truncate,link,linkat,symlink,symlinkat";
        ["strace", "-f", "-qq", "-e", syscalls, "-o"]
            .iter()
            .map(|s| (*s).to_owned())
            .chain([self.log.display().to_string()])
            .collect()
    }

    /// Fails if the traced process opened a file for writing or changed the tree.
    fn assert_no_file_writes(&self) {
        let calls = std::fs::read_to_string(&self.log).expect("strace wrote its log");
        let _ = std::fs::remove_file(&self.log);
        assert!(
            calls.contains("openat("),
            "strace saw the process start:\n{calls}"
        );
        let writes: Vec<&str> = calls
            .lines()
            .filter(|line| {
                let opens_for_writing = line.contains("open")
                    && ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"]
                        .iter()
                        .any(|flag| line.contains(flag));
                let changes_the_tree = [
                    "creat(",
                    "rename",
                    "unlink",
                    "mkdir",
                    "truncate(",
                    "link(",
                    "linkat(",
                    "symlink",
                ]
                .iter()
                .any(|call| line.contains(call));
                opens_for_writing || changes_the_tree
            })
            .collect();
        assert!(
            writes.is_empty(),
            "the gateway touched the file system:\n{}",
            writes.join("\n")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_of_a_full_session_contain_no_identifiers() {
    let mut gateway = GatewayProcess::spawn(&[], &["--log-level", "trace"]);
    let ids = full_session(gateway.addr, gateway.addr).await;
    assert!(gateway.terminate().success());
    let log = gateway.output();
    assert!(log.contains("connection opened"), "logging was on:\n{log}");
    assert!(log.contains("sign-in accepted"), "logging was on:\n{log}");
    assert_no_identifiers(&log, &ids);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gateway_opens_no_file_for_writing() {
    let strace = Strace::new("alone");
    let wrapper = strace.wrapper();
    let wrapper: Vec<&str> = wrapper.iter().map(String::as_str).collect();
    let mut gateway = GatewayProcess::spawn(&wrapper, &[]);
    full_session(gateway.addr, gateway.addr).await;
    assert!(gateway.terminate().success());
    strace.assert_no_file_writes();
}

/// In cluster mode too: a session spanning two gateways, both watched with strace and
/// trace-level logs: the one ordering the room and the one following it for its members.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_cluster_the_gateway_writes_no_file_and_logs_no_identifier() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let straces = [
        Strace::new("cluster-orderer"),
        Strace::new("cluster-follower"),
    ];
    let args = ["--domain", "chat.cluster.test", "--log-level", "trace"];
    let [mut orderer, mut follower] = straces.each_ref().map(|strace| {
        let wrapper = strace.wrapper();
        let wrapper: Vec<&str> = wrapper.iter().map(String::as_str).collect();
        cluster::gateway(&nats.url(), &secret, &wrapper, &args)
    });
    cluster::wait_for_peers(&[&orderer, &follower]).await;
    // The room is created on the first gateway and joined through the second.
    let ids = full_session(orderer.addr, follower.addr).await;
    for gateway in [&mut orderer, &mut follower] {
        assert!(gateway.terminate().success());
        let log = gateway.output();
        assert!(
            log.contains("cluster: connected"),
            "cluster mode was on:\n{log}"
        );
        assert!(log.contains("connection opened"), "logging was on:\n{log}");
        assert_no_identifiers(&log, &ids);
    }
    for strace in &straces {
        strace.assert_no_file_writes();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_every_socket_with_1001_and_exits_cleanly() {
    let mut gateway = GatewayProcess::spawn(&[], &[]);
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    bob.join(&room).await;
    alice.expect("member_joined").await;
    let status = tokio::task::spawn_blocking(move || {
        let status = gateway.terminate();
        (status, gateway.output())
    });
    for client in [&mut alice, &mut bob] {
        let (code, reason) = client.expect_close().await;
        assert_eq!(code, CloseCode::Away);
        assert!(reason.contains("shutting down"), "{reason}");
    }
    let (status, output) = status.await.unwrap();
    assert!(status.success(), "exit status {status:?}\n{output}");
    assert!(output.contains("shutting down"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_takes_at_most_the_grace_period_plus_a_second() {
    let mut gateway = GatewayProcess::spawn(&[], &["--shutdown-grace-secs", "2"]);
    // A client that completes the handshake, then never reads or answers anything: the
    // gateway's Close to it goes unanswered.
    let mut silent = tokio::net::TcpStream::connect(gateway.addr).await.unwrap();
    let request = format!(
        "GET /v1/ws HTTP/1.1\r\nHost: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\
         Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        gateway.addr
    );
    tokio::io::AsyncWriteExt::write_all(&mut silent, request.as_bytes())
        .await
        .unwrap();
    let mut answer = [0u8; 12];
    tokio::io::AsyncReadExt::read_exact(&mut silent, &mut answer)
        .await
        .unwrap();
    assert_eq!(&answer, b"HTTP/1.1 101");
    let elapsed = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let status = gateway.terminate();
        (started.elapsed(), status)
    })
    .await
    .unwrap();
    assert!(elapsed.1.success(), "exit status {:?}", elapsed.1);
    assert!(
        elapsed.0 < std::time::Duration::from_secs(3),
        "shutdown took {:?} with a 2 s grace period",
        elapsed.0
    );
    drop(silent);
}
