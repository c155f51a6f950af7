//! Cluster mode with real parts: a `nats-server` on a free loopback port and gateways as
//! separate processes, spoken to frame by frame (docs/protocol.md). Failures are in
//! `cluster_failures.rs`, replays in `cluster_replay.rs`, paid rooms in `cluster_paid.rs`.

mod support;

use std::time::Duration;

use anoghost_gateway::cluster::transport::answer_aad;
use anoghost_gateway::cluster::wire::{self, ToOrderer};
use serde_json::{json, Value};
use support::cluster::{commit, gateway, gateways, until, wait_for_peers, NatsServer, Secret};
use support::{Client, Holder, JoinedRoom, Wallet};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_room_spans_gateways_in_one_order() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let [a, b] = gateways(&nats, &secret).await;

    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in: JoinedRoom = bob.join(&room).await;
    assert_eq!(
        bob_in.members,
        vec![room.member],
        "one roster across gateways"
    );
    let joined = alice.expect("member_joined").await;
    assert_eq!(joined["member"], bob_in.member);

    alice.send_frame(room.room, b"from a").await;
    assert_eq!(
        bob.recv_frame().await,
        (bob_in.room, room.member, b"from a".to_vec())
    );
    bob.send_frame(bob_in.room, b"from b").await;
    assert_eq!(
        alice.recv_frame().await,
        (room.room, bob_in.member, b"from b".to_vec())
    );

    // Directed frames cross too, and one to nobody is refused through the order.
    alice
        .send_kind(room.room, 3, Some(bob_in.member), b"welcome")
        .await;
    assert_eq!(
        bob.recv_kind().await,
        (bob_in.room, room.member, 3, b"welcome".to_vec())
    );
    bob.send_kind(bob_in.room, 3, Some(1000), b"lost").await;
    bob.expect_error("no_such_member").await;

    // Two commits for the same epoch from two gateways, with a third member watching:
    // exactly one is ordered, every other member receives that one, and nobody the other.
    let mut carol = Client::ready(b.addr).await;
    carol.join(&room).await;
    until(&mut alice, "member_joined").await;
    until(&mut bob, "member_joined").await;
    alice.send_kind(room.room, 1, None, &commit(0, b"a")).await;
    bob.send_kind(bob_in.room, 1, None, &commit(0, b"b")).await;
    let mut answers = Vec::new();
    let mut received = [Vec::new(), Vec::new()];
    for (client, frames) in [&mut alice, &mut bob].into_iter().zip(&mut received) {
        loop {
            match client.next().await {
                Message::Text(text) => {
                    let value: Value = serde_json::from_str(&text).unwrap();
                    answers.push(value["type"].as_str().unwrap().to_owned());
                    break;
                }
                Message::Binary(bytes) => frames.push(bytes[8..].to_vec()),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    let (winner, loser) = match (answers[0].as_str(), answers[1].as_str()) {
        ("committed", "commit_refused") => (0, 1),
        ("commit_refused", "committed") => (1, 0),
        other => panic!("exactly one commit is ordered, got {other:?}"),
    };
    let winning = commit(0, [b"a", b"b"][winner]);
    assert!(received[winner].is_empty(), "a sender gets no echo");
    // The loser gets the winning commit, before its refusal or after it.
    if received[loser].is_empty() {
        let client = [&mut alice, &mut bob].into_iter().nth(loser).unwrap();
        received[loser].push(client.recv_kind().await.3);
    }
    assert_eq!(received[loser], std::slice::from_ref(&winning));
    assert_eq!(carol.recv_kind().await.3, winning);
    assert!(
        carol.is_silent_for(Duration::from_millis(300)).await,
        "the refused commit reaches nobody"
    );

    // `sync` across gateways: answered once the orderer has ordered what came before.
    bob.send_json(json!({"type": "sync"})).await;
    until(&mut bob, "synced").await;

    bob.send_json(json!({"type": "room_leave", "room": bob_in.room}))
        .await;
    until(&mut bob, "left").await;
    let (left, _) = until(&mut alice, "member_left").await;
    assert_eq!(left["member"], bob_in.member);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_and_room_limits_hold_across_the_cluster() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let limits = ["--max-members-per-room", "2", "--max-rooms", "2"];
    let a = gateway(&nats.url(), &secret, &[], &limits);
    let b = gateway(&nats.url(), &secret, &[], &limits);
    wait_for_peers(&[&a, &b]).await;

    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    bob.join(&room).await;
    let mut carol = Client::ready(b.addr).await;
    carol
        .send_json(carol.room_join(&room.code, &room.key))
        .await;
    carol.expect_error("room_full").await;

    // One room ordered on each gateway: the cluster's limit of two is reached, and the
    // heartbeats carry the counts.
    carol.create_room().await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut dave = Client::ready(a.addr).await;
    dave.send_json(support::room_create(&support::any_key()))
        .await;
    dave.expect_error("too_many_rooms").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nats_carries_only_opaque_subjects_and_sealed_payloads() {
    use futures_util::StreamExt;

    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let mut everything = tap.subscribe(">").await.unwrap();
    tap.flush().await.unwrap();
    let [a, b] = gateways(&nats, &secret).await;

    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    alice.expect("member_joined").await;
    let marker = b"PLAINTEXT-MARKER-7731";
    alice.send_frame(room.room, marker).await;
    bob.recv_frame().await;
    bob.send_frame(bob_in.room, marker).await;
    alice.recv_frame().await;

    // Heartbeats never stop, so the tap reads for a fixed while.
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(700);
    while let Ok(Some(message)) = tokio::time::timeout_at(deadline, everything.next()).await {
        seen.push(message);
    }
    assert!(
        seen.iter().any(|m| m.subject.ends_with(".e")),
        "the tap saw the room's events"
    );
    let opaque_id = |id: &str| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit());
    for message in &seen {
        let subject = message.subject.as_str();
        let parts: Vec<&str> = subject.split('.').collect();
        let allowed = ["ag.hb", "ag.spent", "ag.ghost"].contains(&subject)
            || subject.starts_with("_INBOX.")
            || matches!(parts.as_slice(), ["ag", "r", id] if opaque_id(id))
            || matches!(parts.as_slice(), ["ag", "r", id, "e"] if opaque_id(id));
        assert!(allowed, "unexpected subject {subject}");
        assert!(!subject.contains(&room.code), "{subject} names the room");
        let payload = &message.payload[..];
        for needle in [&marker[..], room.code.as_bytes()] {
            assert!(
                !payload.windows(needle.len()).any(|w| w == needle),
                "a payload on {subject} carries plaintext"
            );
        }
    }
    // Every payload is ciphertext: it opens only under the cluster key, bound to its
    // subject (an answer: to the one request it answers), except the ghostId key chain's
    // answers, which are HPKE-sealed to the asking gateway's one-time key instead.
    let keys = cluster_keys(&secret);
    let ghost_answer_inboxes: Vec<&str> = seen
        .iter()
        .filter(|m| m.subject.as_str() == "ag.ghost")
        .filter_map(|m| m.reply.as_deref())
        .collect();
    // What each answer inbox's answers are sealed for: the room subject and request id of
    // the request that named the inbox.
    let answered: Vec<(&str, &str, u64)> = seen
        .iter()
        .filter(|m| m.subject.starts_with("ag.r.") && !m.subject.ends_with(".e"))
        .filter_map(|m| {
            let inbox = m.reply.as_deref()?;
            let opened = keys.open(&m.subject, &m.payload)?;
            let request = match wire::decode::<ToOrderer>(&opened)? {
                ToOrderer::Join { join_id, .. } => join_id,
                ToOrderer::Claim { claim, .. } => claim,
                ToOrderer::Input { .. } => return None,
            };
            Some((inbox, m.subject.as_str(), request))
        })
        .collect();
    let mut opened = 0;
    for message in &seen {
        let subject = message.subject.as_str();
        if ghost_answer_inboxes.contains(&subject) {
            continue;
        }
        let sealed_for = if subject.starts_with("_INBOX.") {
            let (_, room_subject, request) = answered
                .iter()
                .find(|(inbox, _, _)| *inbox == subject)
                .unwrap_or_else(|| panic!("{subject}: answers no request"));
            assert!(
                keys.open(&answer_aad(room_subject, request ^ 1), &message.payload)
                    .is_none(),
                "{subject}: an answer opens for another request"
            );
            answer_aad(room_subject, *request)
        } else {
            subject.to_owned()
        };
        assert!(
            keys.open(&sealed_for, &message.payload).is_some(),
            "{subject}: its payload does not open under the cluster key for {sealed_for}"
        );
        opened += 1;
    }
    assert!(opened >= seen.len() / 2, "most payloads were checked");
}

/// The cluster's keys from the test's secret file, read and derived as every gateway does.
fn cluster_keys(secret: &Secret) -> anoghost_gateway::cluster::keys::ClusterKeys {
    let options = anoghost_gateway::cluster::ClusterOptions {
        secret_file: Some(secret.path.clone()),
        ..Default::default()
    };
    anoghost_gateway::cluster::keys::ClusterKeys::new(
        &options
            .secret()
            .expect("the test writes a valid secret file"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_may_use_any_gateway_ghost_ids_and_sign_ins_cross_and_nonces_stay_single_use() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    // Gateways of one cluster answer for one public name.
    let shared = ["--domain", "chat.cluster.test"];
    let a = gateway(&nats.url(), &secret, &[], &shared);
    let b = gateway(&nats.url(), &secret, &[], &shared);
    wait_for_peers(&[&a, &b]).await;

    // A ghostId issued on one gateway opens on the other, once both hold the cluster's key
    // chain (one of them adopts the other's within a heartbeat or two).
    let holder = Holder::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let mut on_a = Client::ready(a.addr).await;
        let ghost_id = holder.issue_ghost(&mut on_a).await;
        let mut on_b = Client::ready(b.addr).await;
        on_b.send_json(json!({"type": "presence", "ghost_ids": [ghost_id]}))
            .await;
        if on_b.expect("presence").await["present"] == json!([true]) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the gateways never shared a ghostId key chain"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // A challenge fetched from one gateway signs in on the other, and only once anywhere.
    let wallet = Wallet::new();
    let message = wallet.challenge(a.addr).await;
    let auth = json!({"type": "auth", "message": message, "signature": wallet.sign(&message)});
    let mut on_b = Client::ready(b.addr).await;
    on_b.send_json(auth.clone()).await;
    on_b.expect("authenticated").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut replay = Client::ready(a.addr).await;
    replay.send_json(auth).await;
    replay.expect_error("nonce_reused").await;
}
