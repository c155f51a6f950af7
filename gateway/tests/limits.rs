//! Every configurable limit, each enforced over a real WebSocket.

mod support;

use std::net::IpAddr;
use std::time::Duration;

use serde_json::json;
use support::{spawn, test_config, Client};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

#[actix_web::test]
async fn oversized_binary_frame_closes_with_1009() {
    let mut config = test_config();
    config.max_frame_bytes = 1024;
    let gateway = spawn(config);
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    alice.send_frame(room.room, &[0; 2048]).await;
    let (code, reason) = alice.expect_close().await;
    assert_eq!(code, CloseCode::Size);
    assert!(reason.contains("too large"), "{reason}");
}

#[actix_web::test]
async fn oversized_control_message_closes_with_1009() {
    let mut config = test_config();
    config.max_control_bytes = 256;
    let gateway = spawn(config);
    let mut client = Client::ready(gateway.addr).await;
    let padding = "x".repeat(300);
    client
        .send_json(json!({"type": "room_join", "code": padding}))
        .await;
    let (code, reason) = client.expect_close().await;
    assert_eq!(code, CloseCode::Size);
    assert!(reason.contains("control message too large"), "{reason}");
}

#[actix_web::test]
async fn messages_past_the_rate_are_dropped_with_an_error() {
    let mut config = test_config();
    config.messages_per_second = 5;
    let gateway = spawn(config);
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::connect(gateway.addr).await;
    bob.hello().await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    bob.join(&room.code).await;
    alice.expect("member_joined").await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let started = std::time::Instant::now();
    for i in 0u8..20 {
        alice.send_frame(room.room, &[i]).await;
    }
    // A full bucket of 5, plus whatever refilled while the frames were being sent.
    let allowed = 5 + (started.elapsed().as_secs_f64() * 5.0).ceil() as usize;
    alice.expect_error("rate_limited").await;
    let mut delivered = 0;
    while let Some(message) = bob.next_within(Duration::from_millis(300)).await {
        assert!(matches!(message, Message::Binary(_)), "{message:?}");
        delivered += 1;
    }
    assert!(
        (5..=allowed).contains(&delivered) && delivered < 20,
        "delivered {delivered} of 20 at 5/s (allowed {allowed})"
    );
}

#[actix_web::test]
async fn join_attempts_are_limited_per_connection() {
    let mut config = test_config();
    config.joins_per_minute = 3;
    let gateway = spawn(config);
    let mut guesser = Client::ready(gateway.addr).await;
    for code in ["000001", "000002", "000003"] {
        guesser
            .send_json(json!({"type": "room_join", "code": code}))
            .await;
        guesser.expect_error("room_not_found").await;
    }
    guesser
        .send_json(json!({"type": "room_join", "code": "000004"}))
        .await;
    guesser.expect_error("join_rate_limited").await;
}

#[actix_web::test]
async fn join_attempts_are_limited_per_address_across_connections() {
    let mut config = test_config();
    config.joins_per_minute_per_ip = 4;
    let gateway = spawn(config);
    let guesser_ip: IpAddr = [127, 0, 0, 2].into();
    for _ in 0..2 {
        let mut guesser = Client::connect_from(gateway.addr, guesser_ip).await;
        guesser.hello().await;
        for _ in 0..2 {
            guesser
                .send_json(json!({"type": "room_join", "code": "000001"}))
                .await;
            guesser.expect_error("room_not_found").await;
        }
    }
    let mut fresh = Client::connect_from(gateway.addr, guesser_ip).await;
    fresh.hello().await;
    fresh
        .send_json(json!({"type": "room_join", "code": "000001"}))
        .await;
    fresh.expect_error("join_rate_limited").await;

    let mut neighbour = Client::connect_from(gateway.addr, [127, 0, 0, 3].into()).await;
    neighbour.hello().await;
    neighbour
        .send_json(json!({"type": "room_join", "code": "000001"}))
        .await;
    neighbour.expect_error("room_not_found").await;
}

#[actix_web::test]
async fn connections_past_the_limit_get_503() {
    let mut config = test_config();
    config.max_connections = 2;
    let gateway = spawn(config);
    let _first = Client::ready(gateway.addr).await;
    let _second = Client::ready(gateway.addr).await;
    let refused = Client::try_connect_from(gateway.addr, [127, 0, 0, 1].into(), None).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 503)
        }
        other => panic!("expected HTTP 503, got {:?}", other.map(|_| ())),
    }
}

#[actix_web::test]
async fn rooms_past_the_limit_are_refused() {
    let mut config = test_config();
    config.max_rooms = 1;
    let gateway = spawn(config);
    let mut alice = Client::ready(gateway.addr).await;
    alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    bob.send_json(json!({"type": "room_create"})).await;
    bob.expect_error("too_many_rooms").await;
}

#[actix_web::test]
async fn members_past_the_room_limit_are_refused() {
    let mut config = test_config();
    config.max_members_per_room = 2;
    let gateway = spawn(config);
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    bob.join(&room.code).await;
    let mut carol = Client::ready(gateway.addr).await;
    carol
        .send_json(json!({"type": "room_join", "code": room.code}))
        .await;
    carol.expect_error("room_full").await;
}

#[actix_web::test]
async fn rooms_per_connection_are_limited() {
    let mut config = test_config();
    config.max_rooms_per_connection = 1;
    let gateway = spawn(config);
    let mut alice = Client::ready(gateway.addr).await;
    alice.create_room().await;
    alice.send_json(json!({"type": "room_create"})).await;
    alice.expect_error("too_many_rooms_per_connection").await;
}

#[actix_web::test]
async fn silent_new_connection_is_closed_at_the_handshake_timeout() {
    let mut config = test_config();
    config.handshake_timeout_secs = 1;
    let gateway = spawn(config);
    let mut client = Client::connect(gateway.addr).await;
    let (code, reason) = client.expect_close().await;
    assert_eq!(code, CloseCode::Policy);
    assert!(reason.contains("handshake timeout"), "{reason}");
}

#[actix_web::test]
async fn client_that_stops_answering_pings_is_dropped() {
    let mut config = test_config();
    config.heartbeat_secs = 1;
    config.client_timeout_secs = 2;
    let gateway = spawn(config);
    let mut client = Client::ready(gateway.addr).await;
    // Not reading means the library never answers the gateway's pings.
    tokio::time::sleep(Duration::from_millis(3_500)).await;
    let (code, reason) = client.expect_close().await;
    assert_eq!(code, CloseCode::Away);
    assert!(reason.contains("heartbeat timeout"), "{reason}");
}

#[actix_web::test]
async fn idle_connection_is_closed() {
    let mut config = test_config();
    config.heartbeat_secs = 1;
    config.idle_timeout_secs = 2;
    let gateway = spawn(config);
    let mut client = Client::ready(gateway.addr).await;
    // Reading keeps answering pings, so only the idle timeout applies.
    let (code, reason) = client.expect_close().await;
    assert_eq!(code, CloseCode::Normal);
    assert!(reason.contains("idle timeout"), "{reason}");
}

#[actix_web::test]
async fn browser_origins_must_be_on_the_allow_list() {
    let mut config = test_config();
    config.allowed_origins = vec!["https://app.example".into()];
    let gateway = spawn(config);
    let here: IpAddr = [127, 0, 0, 1].into();
    let refused = Client::try_connect_from(gateway.addr, here, Some("https://evil.example")).await;
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 403)
        }
        other => panic!("expected HTTP 403, got {:?}", other.map(|_| ())),
    }
    let mut allowed = Client::try_connect_from(gateway.addr, here, Some("https://app.example"))
        .await
        .expect("allowed origin connects");
    allowed.hello().await;
    let mut native = Client::try_connect_from(gateway.addr, here, None)
        .await
        .expect("no Origin header: a native client");
    native.hello().await;
}

#[actix_web::test]
async fn slow_reader_is_dropped_while_others_carry_on() {
    let mut config = test_config();
    // Room for a reader that keeps up to ride out the flood's tail below (the queue is the
    // only buffer between a room and a socket), far too little for one that never reads.
    config.outbound_queue = 64;
    config.max_frame_bytes = 64 * 1024;
    config.write_timeout_secs = 30;
    let gateway = spawn(config);
    let mut sender = Client::ready(gateway.addr).await;
    let room = sender.create_room().await;
    let mut slow = Client::ready(gateway.addr).await;
    slow.join(&room.code).await;
    sender.expect("member_joined").await;

    // 1,000 frames of 32 KiB = 32 MiB: far more than the socket buffers and the 64-frame
    // queue can hold for a reader that never reads.
    let payload = vec![0xAB; 32 * 1024];
    for _ in 0..1_000 {
        sender.send_frame(room.room, &payload).await;
    }
    // The slow reader now reads: it finds what was in flight, then a clear close.
    let mut received = 0usize;
    let close = loop {
        match slow.next().await {
            Message::Binary(_) => received += 1,
            Message::Close(frame) => break frame.expect("a close reason"),
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(close.code, CloseCode::Policy);
    assert!(close.reason.contains("slow reader"), "{}", close.reason);
    assert!(
        received < 1_000,
        "the slow reader was cut off, not buffered for"
    );
    let event = sender.expect("member_left").await;
    assert_eq!(event["room"], room.room);

    // The sender is unharmed: a new member still gets its frames.
    let mut fresh = Client::ready(gateway.addr).await;
    fresh.join(&room.code).await;
    sender.expect("member_joined").await;
    sender.send_frame(room.room, b"still here").await;
    // The gateway may still be relaying the tail of the flood when the newcomer arrives;
    // frames from one sender stay in order, so "still here" comes after them.
    loop {
        let (_, _, payload) = fresh.recv_frame().await;
        if payload == b"still here" {
            break;
        }
        assert!(
            payload.iter().all(|b| *b == 0xAB),
            "only flood frames come first"
        );
    }
}

/// Under an open-files limit of 200 the gateway lowers `--max-connections` to 150 and says
/// so; the 151st WebSocket gets a prompt HTTP 503 instead of waiting in the listen backlog
/// for a descriptor that never frees up.
#[actix_web::test]
async fn connections_are_capped_below_the_open_files_limit() {
    let lower_limit = ["sh", "-c", "ulimit -n 200 && exec \"$0\" \"$@\""];
    let gateway =
        support::process::GatewayProcess::spawn(&lower_limit, &["--max-connections", "100000"]);
    // stderr is drained on its own thread; the warning may trail the listening line.
    let mut output = gateway.output();
    for _ in 0..100 {
        if output.contains("lowered") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        output = gateway.output();
    }
    assert!(
        output.contains("--max-connections 100000 lowered to 150")
            && output.contains("limit of 200"),
        "{output}"
    );
    let mut open = Vec::new();
    for _ in 0..150 {
        open.push(Client::ready(gateway.addr).await);
    }
    let refused = tokio::time::timeout(
        Duration::from_secs(5),
        Client::try_connect_from(gateway.addr, [127, 0, 0, 1].into(), None),
    )
    .await
    .expect("the connection past the cap is answered, not left waiting");
    match refused {
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), 503)
        }
        other => panic!("expected HTTP 503, got {:?}", other.map(|_| ())),
    }
}
