//! Cluster failures with real parts (a `nats-server` on a free loopback port, gateways as
//! separate processes): a gateway killed, a gateway that loses NATS, and NATS itself
//! restarting. What each does is in docs/scaling.md §2.3.

mod support;

use std::time::Duration;

use support::cluster::{
    cluster_health, commit, gateway, gateways, until, wait_for_peers, NatsServer, Proxy, Secret,
    DEPARTURE,
};
use support::Client;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_ordering_gateway_is_killed_the_room_moves_and_continues() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let [mut a, b, c] = gateways(&nats, &secret).await;

    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    let mut carol = Client::ready(c.addr).await;
    let carol_in = carol.join(&room).await;
    until(&mut bob, "member_joined").await;

    a.kill();
    for client in [&mut bob, &mut carol] {
        let (left, _) = tokio::time::timeout(DEPARTURE, until(client, "member_left"))
            .await
            .expect("member_left after the gateway died");
        assert_eq!(
            left["member"], room.member,
            "the member on the killed gateway"
        );
    }

    // The room goes on: frames, a commit, and a newcomer.
    bob.send_frame(bob_in.room, b"still here").await;
    assert_eq!(
        carol.recv_frame().await,
        (carol_in.room, bob_in.member, b"still here".to_vec())
    );
    carol
        .send_kind(carol_in.room, 1, None, &commit(0, b"remove alice"))
        .await;
    until(&mut carol, "committed").await;
    assert_eq!(bob.recv_kind().await.1, carol_in.member);
    let mut dave = Client::ready(b.addr).await;
    let dave_in = dave.join(&room).await;
    let mut members = dave_in.members.clone();
    members.sort_unstable();
    let mut expected = vec![bob_in.member, carol_in.member];
    expected.sort_unstable();
    assert_eq!(members, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_a_following_gateway_is_killed_its_members_leave() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let [a, mut b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    until(&mut alice, "member_joined").await;

    b.kill();
    let (left, _) = tokio::time::timeout(DEPARTURE, until(&mut alice, "member_left"))
        .await
        .expect("member_left after the gateway died");
    assert_eq!(left["member"], bob_in.member);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_that_loses_nats_closes_its_rooms_admits_nobody_and_comes_back() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let nats_addr = format!("127.0.0.1:{}", nats.port).parse().unwrap();
    let proxy = Proxy::start(nats_addr).await;
    let a = gateway(&nats.url(), &secret, &[], &[]);
    let b = gateway(&proxy.url(), &secret, &[], &[]);
    wait_for_peers(&[&a, &b]).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    until(&mut alice, "member_joined").await;

    proxy.cut();
    let (code, reason) = bob.expect_close().await;
    assert_eq!(code, CloseCode::Restart);
    assert!(reason.contains("cluster_unavailable"), "{reason}");
    assert_eq!(cluster_health(b.addr).await["connected"], false);
    assert_eq!(cluster_health(a.addr).await["connected"], true);
    let mut late = Client::ready(b.addr).await;
    late.send_json(late.room_join(&room.code, &room.key)).await;
    late.expect_error("cluster_unavailable").await;
    late.send_json(support::room_create(&support::any_key()))
        .await;
    late.expect_error("cluster_unavailable").await;
    let (left, _) = tokio::time::timeout(DEPARTURE, until(&mut alice, "member_left"))
        .await
        .expect("the other gateway notices");
    assert_eq!(left["member"], bob_in.member);

    proxy.mend();
    wait_for_peers(&[&a, &b]).await;
    assert_eq!(cluster_health(b.addr).await["connected"], true);
    let mut carol = Client::ready(b.addr).await;
    let carol_in = carol.join(&room).await;
    alice.send_frame(room.room, b"after").await;
    assert_eq!(
        carol.recv_frame().await,
        (carol_in.room, room.member, b"after".to_vec())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nats_restart_closes_shared_rooms_and_nothing_is_relayed_twice() {
    let mut nats = NatsServer::start();
    let secret = Secret::new();
    let [a, b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    bob.join(&room).await;
    alice.send_frame(room.room, b"before").await;
    bob.recv_frame().await;

    nats.stop();
    for client in [&mut alice, &mut bob] {
        let (code, reason) = client.expect_close().await;
        assert_eq!(code, CloseCode::Restart);
        assert!(reason.contains("cluster_unavailable"), "{reason}");
    }
    let mut refused = Client::ready(a.addr).await;
    refused
        .send_json(support::room_create(&support::any_key()))
        .await;
    refused.expect_error("cluster_unavailable").await;

    nats.restart();
    wait_for_peers(&[&a, &b]).await;
    // Every gateway closed every room: a free room's code is gone with it. (A paid room is
    // joined again under its tag: cluster_paid.rs.)
    let mut late = Client::ready(b.addr).await;
    late.send_json(late.room_join(&room.code, &room.key)).await;
    late.expect_error("room_not_found").await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    for i in 0..20u8 {
        alice.send_frame(room.room, &[i]).await;
    }
    for i in 0..20u8 {
        assert_eq!(
            bob.recv_frame().await,
            (bob_in.room, room.member, vec![i]),
            "each frame once, in order"
        );
    }
    assert!(
        bob.is_silent_for(Duration::from_millis(500)).await,
        "nothing arrives twice"
    );
}
