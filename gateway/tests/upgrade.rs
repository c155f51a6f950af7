//! The WebSocket upgrade: refusals are clear HTTP errors, and the socket starts with
//! nothing lost or misread.
#![allow(clippy::unwrap_used)] // tests: a panic is the failure report

mod support;

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use support::{spawn, test_config, Client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{CloseCode, Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::Role;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

const HANDSHAKE_HEADERS: &str = "Host: 127.0.0.1\r\n\
    Connection: Upgrade\r\n\
    Upgrade: websocket\r\n\
    Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

/// Sends `request` (and anything after it) on a fresh connection; returns the response head
/// and whatever followed it.
async fn exchange(addr: std::net::SocketAddr, bytes: &[u8]) -> (TcpStream, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut received = Vec::new();
    let mut chunk = [0_u8; 1024];
    let end = loop {
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut chunk))
            .await
            .unwrap()
            .unwrap();
        assert!(read > 0, "connection closed before a response head");
        received.extend_from_slice(&chunk[..read]);
    };
    let rest = received.split_off(end);
    (stream, String::from_utf8(received).unwrap(), rest)
}

/// Reads an HTTP error body to the end of the connection and parses it.
async fn json_body(mut stream: TcpStream, mut body: Vec<u8>) -> Value {
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut body))
        .await
        .unwrap()
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

/// A client frame, masked as RFC 6455 §5.3 requires.
fn masked_text_frame(text: &str) -> Vec<u8> {
    let payload = text.as_bytes();
    assert!(payload.len() < 126, "short frames only");
    let mask = [0x1f, 0x2e, 0x3d, 0x4c];
    let mut frame = vec![0x81, 0x80 | payload.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(payload.iter().zip(mask.iter().cycle()).map(|(b, m)| b ^ m));
    frame
}

#[actix_web::test]
async fn a_frame_sent_with_the_upgrade_request_is_read_by_the_socket() {
    let gateway = spawn(test_config());
    let mut request =
        format!("GET /v1/ws HTTP/1.1\r\n{HANDSHAKE_HEADERS}Sec-WebSocket-Version: 13\r\n\r\n")
            .into_bytes();
    request.extend(masked_text_frame(r#"{"type":"hello","v":2}"#));
    let (stream, head, rest) = exchange(gateway.addr, &request).await;
    assert!(head.starts_with("HTTP/1.1 101"), "{head}");
    let mut socket = WebSocketStream::from_partially_read(stream, rest, Role::Client, None).await;
    let reply = tokio::time::timeout(Duration::from_secs(5), socket.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let reply: Value = serde_json::from_str(reply.to_text().unwrap()).unwrap();
    assert_eq!(reply["type"], "welcome", "{reply}");
}

#[actix_web::test]
async fn a_handshake_without_a_version_gets_400_with_a_reason() {
    let gateway = spawn(test_config());
    let request = format!("GET /v1/ws HTTP/1.1\r\n{HANDSHAKE_HEADERS}\r\n");
    let (stream, head, rest) = exchange(gateway.addr, request.as_bytes()).await;
    assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    let body = json_body(stream, rest).await;
    assert_eq!(body["error"], "bad_handshake");
    assert!(
        body["message"].as_str().unwrap().contains("version"),
        "{body}"
    );
    assert_eq!(gateway.gateway.open_connections(), 0);
}

#[actix_web::test]
async fn an_upgrade_to_any_other_path_gets_404() {
    let gateway = spawn(test_config());
    let request = format!(
        "GET /v1/elsewhere HTTP/1.1\r\n{HANDSHAKE_HEADERS}Sec-WebSocket-Version: 13\r\n\r\n"
    );
    let (stream, head, rest) = exchange(gateway.addr, request.as_bytes()).await;
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    let body = json_body(stream, rest).await;
    assert_eq!(body["error"], "not_found");
    assert_eq!(gateway.gateway.open_connections(), 0);
}

#[actix_web::test]
async fn a_plain_get_of_the_socket_path_says_an_upgrade_is_required() {
    let gateway = spawn(test_config());
    let response = reqwest::get(format!("http://{}/v1/ws", gateway.addr))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "websocket_upgrade_required");
}

#[actix_web::test]
async fn text_that_is_not_utf8_closes_with_1007() {
    let gateway = spawn(test_config());
    let mut client = Client::ready(gateway.addr).await;
    let frame = Frame::message(vec![0xc3, 0x28], OpCode::Data(Data::Text), true);
    client.raw().send(Message::Frame(frame)).await.unwrap();
    let (code, reason) = client.expect_close().await;
    assert_eq!(code, CloseCode::Invalid);
    assert!(reason.contains("UTF-8"), "{reason}");
}
