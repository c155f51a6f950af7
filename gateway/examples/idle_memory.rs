//! Measures the gateway's resident memory per idle connection.
//!
//! Starts the release gateway binary, opens N WebSocket connections from 127.0.0.x (each
//! says `hello` and joins a free room of ten), waits, and reports the gateway's RSS growth
//! divided by N.
//!
//! ```sh
//! cargo build --release -p anoghost-gateway --examples
//! target/release/examples/idle_memory 10000
//! ```

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpSocket;
use tokio_tungstenite::tungstenite::Message;

const ROOM_SIZE: usize = 10;

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .expect("VmRSS line")
}

type Socket = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

async fn connect(addr: SocketAddr, index: usize) -> Socket {
    // Spread the sources over 127.0.0.2..=127.0.0.201 so no one address runs out of ports.
    let source: std::net::IpAddr = [127, 0, 0, 2 + (index % 200) as u8].into();
    let socket = TcpSocket::new_v4().expect("socket");
    socket
        .bind(SocketAddr::new(source, 0))
        .expect("bind source");
    let stream = socket.connect(addr).await.expect("connect");
    let (ws, _) = tokio_tungstenite::client_async(format!("ws://{addr}/v1/ws"), stream)
        .await
        .expect("upgrade");
    ws
}

async fn request(ws: &mut Socket, text: String) -> serde_json::Value {
    ws.send(Message::text(text)).await.expect("send");
    loop {
        match ws.next().await.expect("open").expect("frame") {
            Message::Text(text) => {
                let value: serde_json::Value = serde_json::from_str(&text).expect("json");
                if value["type"] != "member_joined" {
                    return value;
                }
            }
            _ => continue,
        }
    }
}

#[tokio::main]
async fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let gateway_binary = std::env::current_exe()
        .expect("exe path")
        .parent()
        .and_then(|examples| examples.parent())
        .expect("target dir")
        .join("anoghost-gateway");
    let mut gateway = Command::new(&gateway_binary)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--joins-per-minute-per-ip",
            "1000000",
            "--max-connections",
            "1000000",
            "--max-rooms",
            "1000000",
            "--idle-timeout-secs",
            "3600",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", gateway_binary.display()));
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(gateway.stdout.as_mut().expect("stdout")),
        &mut line,
    )
    .expect("listening line");
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|addr| addr.parse().ok())
        .expect("address in the listening line");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = rss_kib(gateway.id());

    let mut sockets = Vec::with_capacity(count);
    let mut code = String::new();
    for index in 0..count {
        let mut ws = connect(addr, index).await;
        request(&mut ws, r#"{"type":"hello","v":1}"#.to_owned()).await;
        if index % ROOM_SIZE == 0 {
            let joined = request(&mut ws, r#"{"type":"room_create"}"#.to_owned()).await;
            code = joined["code"].as_str().expect("code").to_owned();
        } else {
            let text = format!(r#"{{"type":"room_join","code":"{code}"}}"#);
            let joined = request(&mut ws, text).await;
            assert_eq!(joined["type"], "joined", "{joined}");
        }
        sockets.push(ws);
        if (index + 1) % 1000 == 0 {
            eprintln!("{} connections open", index + 1);
        }
    }
    // Drain the member_joined events so nothing is left queued, then let things settle.
    tokio::time::sleep(Duration::from_secs(2)).await;
    for ws in &mut sockets {
        while let Ok(Some(_)) = tokio::time::timeout(Duration::from_millis(1), ws.next()).await {}
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rss_kib(gateway.id());
    let per_connection = (after.saturating_sub(before) as f64 * 1024.0) / count as f64;
    println!(
        "idle connections: {count}, gateway RSS before {before} KiB, after {after} KiB, \
         {:.1} KiB per connection",
        per_connection / 1024.0
    );
    drop(sockets);
    let _ = gateway.kill();
    let _ = gateway.wait();
}
