//! MLS rooms across a cluster: SDK clients on three gateway processes sharing one
//! `nats-server`. When the gateway ordering the room is killed, the others take the room
//! over, its members leave the group by an MLS removal, and the room goes on.

mod support;

use std::time::Duration;

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::mls::Admission;
use support::cluster::{gateways, NatsServer, Secret};
use support::process::GatewayProcess;

fn url(gateway: &GatewayProcess) -> String {
    format!("ws://{}/v1/ws", gateway.addr)
}

/// Pumps every room's events until `done` holds for them, or fails after `limit`.
async fn pump_until(
    rooms: &mut [&mut ChatRoom],
    limit: Duration,
    done: impl Fn(&[&mut ChatRoom]) -> bool,
) -> Vec<Vec<ChatEvent>> {
    let mut seen = vec![Vec::new(); rooms.len()];
    let deadline = tokio::time::Instant::now() + limit;
    while !done(rooms) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out: {seen:?}"
        );
        for (i, room) in rooms.iter_mut().enumerate() {
            if let Ok(event) =
                tokio::time::timeout(Duration::from_millis(50), room.next_event()).await
            {
                seen[i].push(event.expect("the room stays open"));
            }
        }
    }
    seen
}

fn group_of(room: &ChatRoom) -> usize {
    room.roster().len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_ordering_gateway_removes_its_members_from_the_group_and_the_room_goes_on() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let [mut a, b, c] = gateways(&nats, &secret).await;

    let mut alice = ChatRoom::create(&url(&a), Admission::Open).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    let mut bob = ChatRoom::join(&url(&b), &invite).await.unwrap();
    let mut carol = ChatRoom::join(&url(&c), &invite).await.unwrap();
    pump_until(
        &mut [&mut alice, &mut bob, &mut carol],
        Duration::from_secs(30),
        |rooms| rooms.iter().all(|r| r.in_group() && group_of(r) == 3),
    )
    .await;
    let alice_number = alice.me();

    // Alice stays connected: her gateway dies under her, she does not leave.
    a.kill();
    let seen = pump_until(
        &mut [&mut bob, &mut carol],
        Duration::from_secs(30),
        |rooms| rooms.iter().all(|r| group_of(r) == 2),
    )
    .await;
    for events in &seen {
        assert!(
            events
                .iter()
                .any(|e| matches!(e, ChatEvent::MemberLeft { member } if *member == alice_number)),
            "member_left from the gateway: {events:?}"
        );
        assert!(
            events.iter().any(|e| matches!(
                e,
                ChatEvent::RosterChanged { removed, .. } if removed == &vec![alice_number]
            )),
            "the MLS removal: {events:?}"
        );
    }

    drop(alice);
    bob.send_text("still here").await.unwrap();
    let heard = async {
        loop {
            if let ChatEvent::Message { from, text, .. } = carol.next_event().await.unwrap() {
                return (from, text);
            }
        }
    };
    let heard = tokio::time::timeout(Duration::from_secs(10), heard)
        .await
        .expect("carol hears bob after the move");
    assert_eq!(heard, (bob.me(), "still here".to_owned()));
}
