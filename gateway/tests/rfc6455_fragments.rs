//! RFC 6455 over a raw socket, part one: fragmented messages (§5.4), control frames
//! between fragments (§5.5), and UTF-8 in text messages, whole or split across fragments
//! (§8.1: invalid UTF-8 fails the connection with 1007).

mod support;

use std::time::Duration;

use support::raw::{
    close_payload, frame, whole, RawSocket, BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT,
};
use support::{mls_header, spawn, test_config, Client, JoinedRoom};

/// Waits until the gateway has let go of every connection.
async fn all_connections_released(gateway: &anoghost_gateway::RunningGateway) {
    for _ in 0..100 {
        if gateway.gateway.open_connections() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!(
        "{} connections still open",
        gateway.gateway.open_connections()
    );
}

#[actix_web::test]
async fn a_text_message_in_three_fragments_is_read_as_one() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::open(gateway.addr).await;
    socket
        .send(&frame(false, 0, TEXT, br#"{"type":"#, true))
        .await;
    socket
        .send(&frame(false, 0, CONTINUATION, br#""hello","#, true))
        .await;
    socket
        .send(&frame(true, 0, CONTINUATION, br#""v":2}"#, true))
        .await;
    assert_eq!(socket.next_json().await["type"], "welcome");
}

#[actix_web::test]
async fn a_ping_between_fragments_is_answered_at_once_and_the_message_still_completes() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::open(gateway.addr).await;
    socket
        .send(&frame(false, 0, TEXT, br#"{"type":"hello""#, true))
        .await;
    socket.send(&whole(PING, b"mid-message")).await;
    let pong = socket.next_frame().await.unwrap();
    assert_eq!((pong.opcode, pong.fin), (PONG, true));
    assert_eq!(
        pong.payload, b"mid-message",
        "§5.5.3: the Pong echoes the Ping"
    );
    // An unsolicited Pong between fragments is allowed too, and ignored (§5.5.3).
    socket.send(&whole(PONG, b"unasked")).await;
    socket
        .send(&frame(true, 0, CONTINUATION, br#","v":2}"#, true))
        .await;
    assert_eq!(socket.next_json().await["type"], "welcome");
}

#[actix_web::test]
async fn a_fragmented_binary_frame_is_relayed_whole() {
    let gateway = spawn(test_config());
    let mut alice = RawSocket::ready(gateway.addr).await;
    let key = support::any_key();
    let create = support::room_create(&key).to_string();
    alice.send(&whole(TEXT, create.as_bytes())).await;
    let joined = alice.next_json().await;
    let room = JoinedRoom {
        room: joined["room"].as_u64().unwrap() as u32,
        code: joined["code"].as_str().unwrap().to_owned(),
        member: joined["member"].as_u64().unwrap() as u16,
        members: Vec::new(),
        key,
    };
    let mut bob = Client::ready(gateway.addr).await;
    bob.join(&room).await;
    assert_eq!(alice.next_json().await["type"], "member_joined");

    let mut relay = vec![2];
    relay.extend_from_slice(&room.room.to_be_bytes());
    relay.push(1);
    relay.extend(mls_header(0, 1));
    relay.extend_from_slice(b"in three parts");
    let (first, rest) = relay.split_at(4);
    let (second, third) = rest.split_at(20);
    alice.send(&frame(false, 0, BINARY, first, true)).await;
    alice.send(&whole(PING, b"")).await;
    alice
        .send(&frame(false, 0, CONTINUATION, second, true))
        .await;
    alice.send(&frame(true, 0, CONTINUATION, third, true)).await;
    let (_, sender, payload) = bob.recv_frame().await;
    assert_eq!(
        (sender, payload.as_slice()),
        (room.member, &b"in three parts"[..])
    );
}

#[actix_web::test]
async fn a_close_between_fragments_is_answered_with_a_close() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    socket
        .send(&frame(false, 0, TEXT, br#"{"type":"#, true))
        .await;
    socket
        .send(&whole(CLOSE, &close_payload(1000, b"bye")))
        .await;
    let (code, reason) = socket.expect_close().await;
    assert_eq!(
        (code, reason.as_str()),
        (1000, "bye"),
        "the client's Close is echoed"
    );
    all_connections_released(&gateway).await;
}

#[actix_web::test]
async fn invalid_utf8_in_a_text_frame_closes_with_1007() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    socket.send(&whole(TEXT, b"{\"type\":\"\xc3\x28\"}")).await;
    let (code, reason) = socket.expect_close().await;
    assert_eq!(code, 1007);
    assert!(reason.contains("UTF-8"), "{reason}");
    all_connections_released(&gateway).await;
}

#[actix_web::test]
async fn a_code_point_split_across_fragments_is_valid_text() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    // "€" is e2 82 ac: its first byte ends one fragment, the rest opens the next.
    socket
        .send(&frame(false, 0, TEXT, b"{\"type\":\"\xe2", true))
        .await;
    socket
        .send(&frame(true, 0, CONTINUATION, b"\x82\xac\"}", true))
        .await;
    let reply = socket.next_json().await;
    assert_eq!(reply["code"], "unknown_type", "read as text: {reply}");
}

#[actix_web::test]
async fn invalid_utf8_split_across_fragments_closes_with_1007() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    // e2 opens a three-byte sequence; 28 cannot continue it.
    socket
        .send(&frame(false, 0, TEXT, b"{\"type\":\"\xe2", true))
        .await;
    socket
        .send(&frame(true, 0, CONTINUATION, b"\x28\"}", true))
        .await;
    let (code, _) = socket.expect_close().await;
    assert_eq!(code, 1007);
    all_connections_released(&gateway).await;
}

#[actix_web::test]
async fn invalid_utf8_fails_the_connection_before_the_message_ends() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    // §8.1 lets an endpoint fail as soon as the text cannot be UTF-8: no final fragment
    // is ever sent here.
    socket
        .send(&frame(false, 0, TEXT, b"{\"type\":\"\xff", true))
        .await;
    let (code, _) = socket.expect_close().await;
    assert_eq!(code, 1007);
}

#[actix_web::test]
async fn a_text_message_ending_inside_a_code_point_closes_with_1007() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    socket
        .send(&frame(false, 0, TEXT, b"{\"type\":\"x\"}", true))
        .await;
    socket
        .send(&frame(true, 0, CONTINUATION, b"\xe2\x82", true))
        .await;
    let (code, _) = socket.expect_close().await;
    assert_eq!(code, 1007);
}

#[actix_web::test]
async fn a_message_after_a_failed_one_is_never_read() {
    let gateway = spawn(test_config());
    let mut socket = RawSocket::ready(gateway.addr).await;
    let mut bytes = whole(TEXT, b"\xc0\xaf");
    bytes.extend(whole(TEXT, br#"{"type":"sync"}"#));
    socket.send(&bytes).await;
    let first = socket.next_frame().await.unwrap();
    assert_eq!(
        first.opcode, CLOSE,
        "the sync after the bad text is never answered"
    );
    assert_eq!(first.payload[..2], 1007_u16.to_be_bytes());
    socket.expect_hang_up().await;
}
