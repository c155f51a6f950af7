//! Malformed input gets a clear error, and the connection and its neighbours carry on.

mod support;

use serde_json::json;
use support::raw::{self, RawSocket};
use support::{any_key, mls_header, room_create, spawn, test_config, Client};

/// A room of two whose members are known to relay fine; used to prove nobody was harmed.
async fn room_of_two(addr: std::net::SocketAddr) -> (Client, Client, u32) {
    let mut alice = Client::ready(addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(addr).await;
    bob.join(&room).await;
    alice.expect("member_joined").await;
    (alice, bob, room.room)
}

async fn still_relays(alice: &mut Client, bob: &mut Client, room: u32) {
    alice.send_frame(room, b"ping").await;
    assert_eq!(bob.recv_frame().await.2, b"ping");
}

#[actix_web::test]
async fn malformed_json_gets_bad_json_and_nothing_else_changes() {
    let gateway = spawn(test_config());
    let (mut alice, mut bob, room) = room_of_two(gateway.addr).await;
    for text in [
        "{not json",
        "[]",
        "42",
        r#"{"code":"123456"}"#,
        r#"{"type":"room_join"}"#,
    ] {
        alice.send_text(text).await;
        alice.expect_error("bad_json").await;
    }
    still_relays(&mut alice, &mut bob, room).await;
}

#[actix_web::test]
async fn unknown_type_gets_unknown_type() {
    let gateway = spawn(test_config());
    let (mut alice, mut bob, room) = room_of_two(gateway.addr).await;
    alice
        .send_json(json!({"type": "teleport", "to": "moon"}))
        .await;
    alice.expect_error("unknown_type").await;
    still_relays(&mut alice, &mut bob, room).await;
}

#[actix_web::test]
async fn messages_and_frames_before_hello_and_wrong_versions_are_refused() {
    let gateway = spawn(test_config());
    let mut client = Client::connect(gateway.addr).await;
    client.send_json(room_create(&any_key())).await;
    client.expect_error("hello_required").await;
    client.send_frame(7, b"before hello").await;
    client.expect_error("hello_required").await;
    client.send_json(json!({"type": "hello", "v": 1})).await;
    client.expect_error("unsupported_version").await;
    client.hello().await;
    client.send_json(json!({"type": "hello", "v": 2})).await;
    client.expect_error("already_hello").await;
}

#[actix_web::test]
async fn binary_before_join_and_bad_frames_are_refused() {
    let gateway = spawn(test_config());
    let mut loner = Client::ready(gateway.addr).await;
    loner.send_frame(7, b"nobody to hear").await;
    loner.expect_error("binary_before_join").await;

    let (mut alice, mut bob, room) = room_of_two(gateway.addr).await;
    alice.send_binary(vec![2, 0, 0]).await;
    alice.expect_error("bad_frame").await;
    alice.send_binary(vec![9, 0, 0, 0, 0, 1]).await;
    alice.expect_error("bad_frame").await;
    alice.send_kind(room, 7, None, b"no such kind").await;
    alice.expect_error("bad_frame").await;
    // A group frame must carry an MLS PrivateMessage: garbage, and a PublicMessage (which
    // would show the gateway its sender), are refused.
    alice.send_kind(room, 1, None, b"not mls at all").await;
    alice.expect_error("bad_frame").await;
    let mut public = mls_header(0, 1);
    public[3] = 1;
    alice.send_kind(room, 1, None, &public).await;
    alice.expect_error("bad_frame").await;
    alice.send_kind(room, 3, Some(1234), b"welcome").await;
    alice.expect_error("no_such_member").await;
    alice.send_frame(room.wrapping_add(1), b"elsewhere").await;
    alice.expect_error("not_in_room").await;
    alice
        .send_json(json!({"type": "room_leave", "room": room.wrapping_add(1)}))
        .await;
    alice.expect_error("not_in_room").await;
    still_relays(&mut alice, &mut bob, room).await;
}

#[actix_web::test]
async fn a_message_after_the_clients_close_is_ignored_and_harms_nobody() {
    let gateway = spawn(test_config());
    let (mut alice, mut bob, room) = room_of_two(gateway.addr).await;
    // Over a raw socket, since a WebSocket library refuses to send after its Close: a Close
    // and a control message right behind it, in one write.
    let mut carol = RawSocket::ready(gateway.addr).await;
    let mut bytes = raw::whole(raw::CLOSE, &raw::close_payload(1000, b"bye"));
    bytes.extend(raw::whole(
        raw::TEXT,
        room_create(&any_key()).to_string().as_bytes(),
    ));
    carol.send(&bytes).await;
    let echo = carol.next_frame().await.expect("the Close answered");
    assert_eq!(
        (echo.opcode, &echo.payload[..2]),
        (raw::CLOSE, &1000u16.to_be_bytes()[..]),
        "the Close is echoed, and nothing answers the message after it"
    );
    carol.expect_hang_up().await;
    still_relays(&mut alice, &mut bob, room).await;
}

#[actix_web::test]
async fn malformed_room_codes_look_like_missing_rooms() {
    let gateway = spawn(test_config());
    let mut client = Client::ready(gateway.addr).await;
    for code in ["12345", "abcdef", "1234567", "", "-12345"] {
        client.send_json(client.room_join(code, &any_key())).await;
        client.expect_error("room_not_found").await;
    }
}
