//! What whoever runs NATS can do with sealed messages it cannot read: record them and
//! publish them again later (docs/scaling.md §2.4). Real parts: a `nats-server` on a free
//! loopback port, gateways as separate processes, and a tap that is an ordinary NATS
//! client, as an operator of the NATS server would be.

mod support;

use std::time::Duration;

use async_nats::Message;
use futures_util::StreamExt;
use support::cluster::{gateway, gateways, wait_for_peers, NatsServer, Proxy, Secret, DEPARTURE};
use support::Client;

/// Everything published on `subject` (a NATS wildcard allowed) during `window`.
async fn record(tap: &async_nats::Client, subject: &str, window: Duration) -> Vec<Message> {
    let mut subscription = tap
        .subscribe(subject.to_owned())
        .await
        .expect("the tap subscribes");
    support::cluster::subscribed(tap).await;
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + window;
    while let Ok(Some(message)) = tokio::time::timeout_at(deadline, subscription.next()).await {
        seen.push(message);
    }
    seen
}

/// Publishes `messages` again, as they were (subject, reply subject, sealed payload).
async fn replay(tap: &async_nats::Client, messages: &[Message]) {
    for message in messages {
        match &message.reply {
            Some(reply) => tap
                .publish_with_reply(
                    message.subject.clone(),
                    reply.clone(),
                    message.payload.clone(),
                )
                .await
                .expect("the tap publishes"),
            None => tap
                .publish(message.subject.clone(), message.payload.clone())
                .await
                .expect("the tap publishes"),
        }
    }
    support::cluster::subscribed(tap).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_heartbeats_do_not_keep_a_killed_gateway_alive() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [a, mut b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    alice.expect("member_joined").await;

    // Both gateways' heartbeats, two or three each; the tap cannot tell them apart.
    let heartbeats = record(&tap, "ag.hb", Duration::from_millis(1200)).await;
    assert!(heartbeats.len() >= 4, "recorded {}", heartbeats.len());
    b.kill();
    let replaying = async {
        loop {
            replay(&tap, &heartbeats).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let left = tokio::select! {
        () = replaying => unreachable!("replays forever"),
        left = tokio::time::timeout(DEPARTURE, alice.expect("member_left")) => left,
    };
    let left = left.expect("member_left although b's heartbeats were replayed");
    assert_eq!(left["member"], bob_in.member);
}

/// What to keep of the orderer subjects' traffic.
#[derive(Clone, Copy)]
enum Keep {
    /// The inputs followers forward (published without a reply subject).
    Inputs,
    /// The requests, joins and claims (published with one).
    Requests,
}

/// Records what is published on the orderer subjects while `during` runs (and until they
/// have been quiet for 300 ms after it), keeping `keep`.
async fn record_orderers<F: std::future::Future>(
    tap: &async_nats::Client,
    keep: Keep,
    during: F,
) -> (Vec<Message>, F::Output) {
    let mut subscription = tap.subscribe("ag.r.*").await.expect("the tap subscribes");
    support::cluster::subscribed(tap).await;
    let output = during.await;
    let mut seen = Vec::new();
    while let Ok(Some(message)) =
        tokio::time::timeout(Duration::from_millis(300), subscription.next()).await
    {
        let wanted = match keep {
            Keep::Inputs => message.reply.is_none(),
            Keep::Requests => message.reply.is_some(),
        };
        if wanted {
            seen.push(message);
        }
    }
    (seen, output)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_input_is_dropped_and_evicts_nobody() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [a, b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    alice.expect("member_joined").await;

    // Bob's frame goes from b to a, the room's orderer, as an input on NATS.
    let (inputs, ()) = record_orderers(&tap, Keep::Inputs, async {
        bob.send_frame(bob_in.room, b"once").await;
        assert_eq!(alice.recv_frame().await.2, b"once");
    })
    .await;
    assert!(!inputs.is_empty(), "the tap saw bob's input");
    replay(&tap, &inputs).await;
    replay(&tap, &inputs).await;
    assert!(
        alice.is_silent_for(Duration::from_secs(1)).await,
        "nothing relayed twice, and nobody left"
    );
    bob.send_frame(bob_in.room, b"still in").await;
    assert_eq!(
        alice.recv_frame().await,
        (room.room, bob_in.member, b"still in".to_vec()),
        "bob's gateway was not taken for one that lost inputs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inputs_recorded_on_their_way_to_a_killed_orderer_are_refused_by_its_successor() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [mut a, b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    let mut carol = Client::ready(b.addr).await;
    let carol_in = carol.join(&room).await;
    bob.expect("member_joined").await;

    let (inputs, ()) = record_orderers(&tap, Keep::Inputs, async {
        bob.send_frame(bob_in.room, b"once").await;
        assert_eq!(carol.recv_frame().await.2, b"once");
    })
    .await;
    assert!(!inputs.is_empty(), "the tap saw bob's input");

    // a goes; b, serving the room's other members, takes the ordering over.
    a.kill();
    for client in [&mut bob, &mut carol] {
        let left = tokio::time::timeout(DEPARTURE, client.expect("member_left"))
            .await
            .expect("member_left after the orderer died");
        assert_eq!(left["member"], room.member);
    }
    bob.send_frame(bob_in.room, b"after").await;
    assert_eq!(carol.recv_frame().await.2, b"after", "b orders the room");

    replay(&tap, &inputs).await;
    assert!(
        carol.is_silent_for(Duration::from_secs(1)).await,
        "bob's old input was not relayed again"
    );
    carol.send_frame(carol_in.room, b"on").await;
    assert_eq!(bob.recv_frame().await.2, b"on");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_join_request_seats_nobody() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [a, b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let (joins, bob_in) = record_orderers(&tap, Keep::Requests, bob.join(&room)).await;
    assert_eq!(joins.len(), 1, "the tap saw bob's join request");
    alice.expect("member_joined").await;
    bob.send_json(serde_json::json!({"type": "room_leave", "room": bob_in.room}))
        .await;
    alice.expect("member_left").await;

    replay(&tap, &joins).await;
    assert!(
        alice.is_silent_for(Duration::from_millis(1500)).await,
        "no member joined (and left) again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_seated_for_a_gone_gateway_is_swept_out() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [mut a, mut b, c] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let (joins, _) = record_orderers(&tap, Keep::Requests, bob.join(&room)).await;
    assert_eq!(joins.len(), 1, "the tap saw bob's join request");
    let mut carol = Client::ready(c.addr).await;
    carol.join(&room).await;

    // a and then b go: c orders the room, remembering no join it did not answer itself.
    a.kill();
    carol.expect("member_left").await;
    b.kill();
    carol.expect("member_left").await;

    // Bob's join request again, with b gone: nobody is left to send that member's departure.
    replay(&tap, &joins).await;
    let joined = tokio::time::timeout(Duration::from_secs(2), carol.expect("member_joined"))
        .await
        .expect("c, which never answered that join, admits it");
    let left = tokio::time::timeout(DEPARTURE, carol.expect("member_left"))
        .await
        .expect("the member seated for a gone gateway was swept out");
    assert_eq!(left["member"], joined["member"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_requests_recorded_long_ago_are_refused_even_by_an_orderer_that_never_saw_them() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [mut a, b, c] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let mut carol = Client::ready(c.addr).await;
    let (joins, bob_in) = record_orderers(&tap, Keep::Requests, bob.join(&room)).await;
    let (carols, _) = record_orderers(&tap, Keep::Requests, carol.join(&room)).await;
    let recorded = tokio::time::Instant::now();
    let joins = [joins, carols].concat();
    assert_eq!(joins.len(), 2, "the tap saw both join requests");
    bob.expect("member_joined").await;

    // Bob leaves: b, alive, no longer follows the room, and would send no departure for a
    // member seated in its name. Then a goes, and c, which answered neither join (a did),
    // orders the room.
    bob.send_json(serde_json::json!({"type": "room_leave", "room": bob_in.room}))
        .await;
    carol.expect("member_left").await;
    a.kill();
    let left = tokio::time::timeout(DEPARTURE, carol.expect("member_left"))
        .await
        .expect("member_left after the orderer died");
    assert_eq!(left["member"], room.member);

    // Stamped with heartbeats over 10 s (20 heartbeats) older than b's latest: 13 s leaves
    // a margin of six heartbeats for late ticks on a busy machine. c's own is refused as
    // c's own, whatever its age.
    tokio::time::sleep_until(recorded + Duration::from_secs(13)).await;
    replay(&tap, &joins).await;
    assert!(
        carol.is_silent_for(Duration::from_millis(1500)).await,
        "nobody was seated by the replays"
    );
}

/// How many other gateways `addr`'s gateway counts alive (its `/v1/health`).
async fn peers(addr: std::net::SocketAddr) -> u64 {
    support::cluster::cluster_health(addr).await["peers"]
        .as_u64()
        .expect("a clustered gateway counts its peers")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_gateway_back_from_a_lost_link_does_not_count_its_old_self_as_a_peer() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let nats_addr = format!("127.0.0.1:{}", nats.port).parse().unwrap();
    let proxy = Proxy::start(nats_addr).await;
    let a = gateway(&nats.url(), &secret, &[], &[]);
    let b = gateway(&proxy.url(), &secret, &[], &[]);
    wait_for_peers(&[&a, &b]).await;
    // Both gateways' heartbeats, b's under the node id it has until it loses the link.
    let heartbeats = record(&tap, "ag.hb", Duration::from_millis(1200)).await;
    assert!(heartbeats.len() >= 4, "recorded {}", heartbeats.len());

    proxy.cut();
    let deadline = tokio::time::Instant::now() + DEPARTURE;
    while peers(a.addr).await != 0 {
        assert!(tokio::time::Instant::now() < deadline, "a never saw b go");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    proxy.mend();
    wait_for_peers(&[&a, &b]).await;

    for _ in 0..10 {
        replay(&tap, &heartbeats).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(peers(b.addr).await, 1, "b counts only a, not its old self");
        assert_eq!(peers(a.addr).await, 1, "a counts only b's new self");
    }
}
