//! However connections end (a Close, a dropped TCP connection, a protocol violation, a
//! `room_leave` first), every counter the gateway keeps for them returns to zero: open
//! connections, rooms and room references. The property test in `room_properties/` covers
//! the command layer step by step; this drives real sockets to the same end state.

mod support;

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use support::raw::{frame, RawSocket, TEXT};
use support::{spawn, test_config, Client, JoinedRoom};

/// Waits until `done` holds, or fails after a few seconds with `what`.
async fn eventually(what: &str, done: impl Fn() -> bool) {
    for _ in 0..250 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{what}");
}

#[actix_web::test]
async fn every_counter_returns_to_zero_however_connections_end() {
    let gateway = spawn(test_config());
    let mut rng = StdRng::seed_from_u64(20);
    let mut clients = Vec::new();
    let mut rooms: Vec<JoinedRoom> = Vec::new();
    for _ in 0..3 {
        let mut creator = Client::ready(gateway.addr).await;
        rooms.push(creator.create_room().await);
        clients.push(creator);
    }
    for _ in 0..6 {
        let mut client = Client::ready(gateway.addr).await;
        let room = &rooms[rng.gen_range(0..rooms.len())];
        client.join(room).await;
        client.send_frame(room.room, b"hello").await;
        clients.push(client);
    }
    let mut violator = RawSocket::ready(gateway.addr).await;
    assert_eq!(gateway.gateway.open_connections(), 10);
    assert_eq!(gateway.gateway.rooms.room_count(), 3);
    assert_eq!(gateway.gateway.rooms.reference_count(), 3);

    // A protocol violation: the gateway fails the connection.
    violator.send(&frame(true, 2, TEXT, b"{}", true)).await;
    assert_eq!(violator.expect_close().await.0, 1002);
    // The rest end one of three ways, in a shuffled order.
    let mut order: Vec<usize> = (0..clients.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.gen_range(0..=i));
    }
    let mut clients: Vec<Option<Client>> = clients.into_iter().map(Some).collect();
    for (turn, index) in order.into_iter().enumerate() {
        let mut client = clients[index].take().unwrap();
        match turn % 3 {
            0 => client.close().await,
            1 => drop(client),
            _ => {
                for room in &rooms {
                    let leave = serde_json::json!({"type": "room_leave", "room": room.room});
                    client.send_json(leave).await;
                }
                client.close().await;
            }
        }
    }
    let state = gateway.gateway.clone();
    eventually("connections still open", || state.open_connections() == 0).await;
    assert_eq!(
        gateway.gateway.rooms.room_count(),
        0,
        "rooms outlived their members"
    );
    assert_eq!(gateway.gateway.rooms.reference_count(), 0);
}
