//! A WebSocket client written frame by frame over a plain TCP socket, for the RFC 6455
//! edge cases no WebSocket library will send: reserved bits and opcodes, unmasked frames,
//! control frames between fragments, broken UTF-8 split across fragments, bad close codes.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::STEP;

/// Opcodes (RFC 6455 §5.2).
pub const CONTINUATION: u8 = 0x0;
pub const TEXT: u8 = 0x1;
pub const BINARY: u8 = 0x2;
pub const CLOSE: u8 = 0x8;
pub const PING: u8 = 0x9;
pub const PONG: u8 = 0xA;

/// The masking key every frame of these tests uses (any key will do; §5.3).
const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];

/// One frame as a client sends it: `fin`, the three reserved bits `rsv` (0 to 7),
/// `opcode`, masked unless `masked` is false, with the shortest length form (§5.2).
pub fn frame(fin: bool, rsv: u8, opcode: u8, payload: &[u8], masked: bool) -> Vec<u8> {
    let mut bytes = vec![u8::from(fin) << 7 | (rsv & 7) << 4 | (opcode & 0xf)];
    let mask_bit = if masked { 0x80 } else { 0 };
    match payload.len() {
        len @ 0..=125 => bytes.push(mask_bit | len as u8),
        len @ 126..=0xffff => {
            bytes.push(mask_bit | 126);
            bytes.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            bytes.push(mask_bit | 127);
            bytes.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    if masked {
        bytes.extend_from_slice(&MASK);
        bytes.extend(payload.iter().zip(MASK.iter().cycle()).map(|(b, m)| b ^ m));
    } else {
        bytes.extend_from_slice(payload);
    }
    bytes
}

/// A final, masked frame with no reserved bits: what a well-behaved client sends.
pub fn whole(opcode: u8, payload: &[u8]) -> Vec<u8> {
    frame(true, 0, opcode, payload, true)
}

/// A Close frame's payload: the code, then the reason.
pub fn close_payload(code: u16, reason: &[u8]) -> Vec<u8> {
    let mut payload = code.to_be_bytes().to_vec();
    payload.extend_from_slice(reason);
    payload
}

/// A frame the gateway sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerFrame {
    pub fin: bool,
    pub opcode: u8,
    pub payload: Vec<u8>,
}

/// An upgraded connection, spoken to byte by byte.
pub struct RawSocket {
    stream: TcpStream,
    received: Vec<u8>,
}

impl RawSocket {
    /// Connects and completes the opening handshake.
    pub async fn open(addr: SocketAddr) -> Self {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\n\
            Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
            Sec-WebSocket-Version: 13\r\n\r\n";
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut socket = Self {
            stream,
            received: Vec::new(),
        };
        let end = loop {
            if let Some(end) = socket.received.windows(4).position(|w| w == b"\r\n\r\n") {
                break end + 4;
            }
            assert!(socket.read_more().await > 0, "closed during the handshake");
        };
        let head = String::from_utf8(socket.received.drain(..end).collect()).unwrap();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        socket
    }

    /// Connects and says `hello`.
    pub async fn ready(addr: SocketAddr) -> Self {
        let mut socket = Self::open(addr).await;
        socket
            .send(&whole(TEXT, br#"{"type":"hello","v":2}"#))
            .await;
        assert_eq!(socket.next_json().await["type"], "welcome");
        socket
    }

    pub async fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).await.unwrap();
    }

    async fn read_more(&mut self) -> usize {
        let mut chunk = [0_u8; 4096];
        let read = tokio::time::timeout(STEP, self.stream.read(&mut chunk))
            .await
            .expect("the gateway answers within the step timeout")
            .unwrap_or(0);
        self.received.extend_from_slice(&chunk[..read]);
        read
    }

    /// The next frame, or `None` if the gateway hung up first.
    pub async fn next_frame(&mut self) -> Option<ServerFrame> {
        loop {
            if let Some((frame, used)) = parse_server_frame(&self.received) {
                self.received.drain(..used);
                return Some(frame);
            }
            if self.read_more().await == 0 {
                return None;
            }
        }
    }

    /// The next data frame's text, as JSON (pings are skipped).
    pub async fn next_json(&mut self) -> Value {
        loop {
            let frame = self.next_frame().await.expect("a frame, not a hang-up");
            match frame.opcode {
                PING | PONG => continue,
                TEXT => return serde_json::from_slice(&frame.payload).unwrap(),
                other => panic!("expected a text frame, got opcode {other}"),
            }
        }
    }

    /// Reads until the gateway's Close; answers it as §5.5.1 asks, then checks that the
    /// gateway hangs up. Returns the code and the reason.
    pub async fn expect_close(&mut self) -> (u16, String) {
        let close = loop {
            let frame = self
                .next_frame()
                .await
                .expect("a Close frame before the hang-up");
            if frame.opcode == CLOSE {
                break frame;
            }
        };
        assert!(close.payload.len() >= 2, "a Close with a code: {close:?}");
        let code = u16::from_be_bytes([close.payload[0], close.payload[1]]);
        let reason = String::from_utf8(close.payload[2..].to_vec()).expect("a UTF-8 reason");
        // A write may fail if the gateway already hung up; either way it must.
        let _ = self
            .stream
            .write_all(&whole(CLOSE, &close.payload[..2]))
            .await;
        self.expect_hang_up().await;
        (code, reason)
    }

    /// Reads (and discards) until the gateway closes the TCP connection.
    pub async fn expect_hang_up(&mut self) {
        let hung_up = tokio::time::timeout(STEP, async {
            let mut chunk = [0_u8; 1024];
            loop {
                match self.stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(hung_up.is_ok(), "the gateway keeps the connection open");
    }

    /// Whether nothing arrives for `wait`.
    pub async fn is_silent_for(&mut self, wait: Duration) -> bool {
        if !self.received.is_empty() {
            return false;
        }
        let mut chunk = [0_u8; 1];
        tokio::time::timeout(wait, self.stream.read(&mut chunk))
            .await
            .is_err()
    }
}

/// Reads one unmasked server frame from the front of `bytes`: the frame and the bytes it
/// took, or `None` if more are needed.
fn parse_server_frame(bytes: &[u8]) -> Option<(ServerFrame, usize)> {
    let (&first, &second) = (bytes.first()?, bytes.get(1)?);
    assert_eq!(second & 0x80, 0, "the gateway never masks (§5.1)");
    let (len, header) = match second & 0x7f {
        126 => (
            usize::from(u16::from_be_bytes([*bytes.get(2)?, *bytes.get(3)?])),
            4,
        ),
        127 => {
            let raw: [u8; 8] = bytes.get(2..10)?.try_into().unwrap();
            (u64::from_be_bytes(raw) as usize, 10)
        }
        short => (usize::from(short), 2),
    };
    let payload = bytes.get(header..header + len)?.to_vec();
    let frame = ServerFrame {
        fin: first & 0x80 != 0,
        opcode: first & 0x0f,
        payload,
    };
    Some((frame, header + len))
}
