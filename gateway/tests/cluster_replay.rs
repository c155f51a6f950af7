//! What whoever runs NATS can do with sealed messages it cannot read: record them and
//! publish them again later (docs/scaling.md §2.4). Real parts: a `nats-server` on a free
//! loopback port, gateways as separate processes, and a tap that is an ordinary NATS
//! client, as an operator of the NATS server would be.

mod support;

use std::time::Duration;

use async_nats::Message;
use futures_util::StreamExt;
use support::cluster::{gateway, wait_for_peers, NatsServer, Secret};
use support::Client;

/// Longer than a gateway takes to notice another is gone (2 s of silence, checked every
/// half second).
const DEPARTURE: Duration = Duration::from_secs(8);

/// Everything published on `subject` (a NATS wildcard allowed) during `window`.
async fn record(tap: &async_nats::Client, subject: &str, window: Duration) -> Vec<Message> {
    let mut subscription = tap
        .subscribe(subject.to_owned())
        .await
        .expect("the tap subscribes");
    tap.flush().await.expect("the tap reaches NATS");
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
    tap.flush().await.expect("the tap reaches NATS");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replayed_heartbeats_do_not_keep_a_killed_gateway_alive() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let a = gateway(&nats.url(), &secret, &[], &[]);
    let mut b = gateway(&nats.url(), &secret, &[], &[]);
    wait_for_peers(&[&a, &b]).await;
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
