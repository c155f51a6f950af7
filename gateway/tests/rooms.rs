//! Free rooms and the relay over real WebSockets.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{spawn, test_config, Client};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;

#[actix_web::test]
async fn three_members_create_join_relay_leave_and_the_room_is_destroyed() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let created = alice.create_room().await;
    assert_eq!(created.code.len(), 6);
    assert!(created.code.bytes().all(|b| b.is_ascii_digit()));
    assert!((1000..=9999).contains(&created.member));
    assert!(created.members.is_empty());

    let mut bob = Client::ready(gateway.addr).await;
    let bob_in = bob.join(&created).await;
    assert_eq!(bob_in.room, created.room);
    assert_eq!(bob_in.members, vec![created.member]);
    let event = alice.expect("member_joined").await;
    assert_eq!(event["member"], bob_in.member);
    assert_eq!(
        event.as_object().unwrap().len(),
        3,
        "type, room, member and nothing else"
    );

    let mut carol = Client::ready(gateway.addr).await;
    let carol_in = carol.join(&created).await;
    alice.expect("member_joined").await;
    bob.expect("member_joined").await;

    alice
        .send_frame(created.room, b"ciphertext-from-alice")
        .await;
    for client in [&mut bob, &mut carol] {
        let (room, sender, payload) = client.recv_frame().await;
        assert_eq!((room, sender), (created.room, created.member));
        assert_eq!(payload, b"ciphertext-from-alice");
    }
    assert!(
        alice.is_silent_for(Duration::from_millis(200)).await,
        "no echo to the sender"
    );

    carol
        .send_json(json!({"type": "room_leave", "room": carol_in.room}))
        .await;
    carol.expect("left").await;
    for client in [&mut alice, &mut bob] {
        let event = client.expect("member_left").await;
        assert_eq!(event["member"], carol_in.member);
    }
    bob.close().await;
    alice.expect("member_left").await;
    alice
        .send_json(json!({"type": "room_leave", "room": created.room}))
        .await;
    alice.expect("left").await;

    let mut late = Client::ready(gateway.addr).await;
    late.send_json(late.room_join(&created.code, &created.key))
        .await;
    late.expect_error("room_not_found").await;
    assert_eq!(gateway.gateway.rooms.room_count(), 0);
}

#[actix_web::test]
async fn per_sender_order_is_preserved() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    bob.join(&room).await;
    alice.expect("member_joined").await;
    for i in 0u32..200 {
        alice.send_frame(room.room, &i.to_be_bytes()).await;
    }
    for i in 0u32..200 {
        let (_, _, payload) = bob.recv_frame().await;
        assert_eq!(payload, i.to_be_bytes());
    }
}

#[actix_web::test]
async fn member_numbers_are_unique_in_a_room_of_200() {
    let gateway = spawn(test_config());
    let mut first = Client::ready(gateway.addr).await;
    let room = first.create_room().await;
    let mut numbers = vec![room.member];
    let mut clients = Vec::new();
    for _ in 1..200 {
        let mut client = Client::ready(gateway.addr).await;
        numbers.push(client.join(&room).await.member);
        clients.push(client);
    }
    assert!(numbers.iter().all(|n| (1000..=9999).contains(n)));
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 200);
}

#[actix_web::test]
async fn rejoining_gives_a_new_member_number_in_a_new_session() {
    let gateway = spawn(test_config());
    let mut host = Client::ready(gateway.addr).await;
    let room = host.create_room().await;
    let mut numbers = std::collections::HashSet::new();
    for _ in 0..20 {
        let mut guest = Client::ready(gateway.addr).await;
        numbers.insert(guest.join(&room).await.member);
        guest.close().await;
        host.expect("member_joined").await;
        host.expect("member_left").await;
    }
    assert!(numbers.len() > 1, "member numbers are drawn afresh");
}

#[actix_web::test]
async fn joining_the_same_room_twice_on_one_connection_is_refused() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    alice
        .send_json(alice.room_join(&room.code, &room.key))
        .await;
    alice.expect_error("already_in_room").await;
}

#[actix_web::test]
async fn a_client_close_is_answered_with_a_close_and_the_member_leaves() {
    let gateway = spawn(test_config());
    let mut stayer = Client::ready(gateway.addr).await;
    let room = stayer.create_room().await;
    let mut leaver = Client::ready(gateway.addr).await;
    let joined = leaver.join(&room).await;
    stayer.expect("member_joined").await;

    let close = CloseFrame {
        code: CloseCode::Away,
        reason: "".into(),
    };
    leaver.raw().close(Some(close)).await.unwrap();
    // The closing handshake completes: the gateway echoes the code in its own Close.
    assert_eq!(leaver.expect_close().await.0, CloseCode::Away);
    let left = stayer.expect("member_left").await;
    assert_eq!(left["member"], joined.member);
}

/// The code alone admits nobody: a join with the right code but no knowledge of the
/// invite's secret gets exactly the answer a missing room gets, and the room hears nothing.
#[actix_web::test]
async fn a_guessed_code_without_the_secret_gets_no_admission_and_no_room_information() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut guesser = Client::ready(gateway.addr).await;
    let guess = support::any_key();
    guesser
        .send_json(guesser.room_join(&room.code, &guess))
        .await;
    let right_code = guesser.expect("error").await;
    let unused = if room.code == "000000" {
        "000001"
    } else {
        "000000"
    };
    guesser.send_json(guesser.room_join(unused, &guess)).await;
    let wrong_code = guesser.expect("error").await;
    assert_eq!(right_code, wrong_code, "no difference a guesser can see");
    assert_eq!(right_code["code"], "room_not_found");
    // A proof made for another connection's challenge is refused too.
    let mut other = Client::ready(gateway.addr).await;
    let replayed = guesser.room_join(&room.code, &room.key);
    other.send_json(replayed).await;
    other.expect_error("room_not_found").await;
    assert!(
        alice
            .is_silent_for(std::time::Duration::from_millis(300))
            .await,
        "the room heard of no attempt"
    );
    assert_eq!(room_members(&gateway, &mut alice, &room).await, 1);
}

/// The room's size, asked the way a member would: a newcomer with the invite is told who
/// is there.
async fn room_members(
    gateway: &anoghost_gateway::RunningGateway,
    alice: &mut Client,
    room: &support::JoinedRoom,
) -> usize {
    let mut probe = Client::ready(gateway.addr).await;
    let joined = probe.join(room).await;
    alice.expect("member_joined").await;
    joined.members.len()
}
