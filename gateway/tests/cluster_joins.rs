//! Joins across gateways, with real parts: a `nats-server` on a free loopback port,
//! gateways as separate processes, and where needed a tap that is an ordinary NATS client,
//! as an operator of the NATS server would be.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use support::cluster::{gateways, NatsServer, Secret};
use support::{any_key, Client};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_nobody_orders_is_room_not_found_on_every_gateway() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let [a, b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    alice.create_room().await;
    // NATS answers "no responders" for the code's subject: not found, not unavailable.
    let mut bob = Client::ready(b.addr).await;
    bob.send_json(bob.room_join("000000", &any_key())).await;
    bob.expect_error("room_not_found").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_copied_into_another_joins_inbox_is_ignored() {
    let nats = NatsServer::start();
    let secret = Secret::new();
    let tap = async_nats::connect(nats.url()).await.unwrap();
    let [a, b] = gateways(&nats, &secret).await;
    let mut alice = Client::ready(a.addr).await;
    let room = alice.create_room().await;

    // Bob's join through b is answered by a, the room's orderer: the tap keeps the answer.
    let mut answers = tap.subscribe("_INBOX.>").await.unwrap();
    support::cluster::subscribed(&tap).await;
    let mut bob = Client::ready(b.addr).await;
    let bob_in = bob.join(&room).await;
    alice.expect("member_joined").await;
    let recorded = tokio::time::timeout(Duration::from_secs(2), answers.next())
        .await
        .expect("the tap saw the answer")
        .unwrap();

    // From now on, every request to an orderer gets the recorded answer in its inbox at
    // once, before the orderer has checked the join.
    let mut requests = tap.subscribe("ag.r.*").await.unwrap();
    support::cluster::subscribed(&tap).await;
    let injector = tokio::spawn({
        let tap = tap.clone();
        async move {
            while let Some(request) = requests.next().await {
                if let Some(inbox) = request.reply {
                    let _ = tap.publish(inbox, recorded.payload.clone()).await;
                    let _ = tap.flush().await;
                }
            }
        }
    });

    let mut carol = Client::ready(b.addr).await;
    let carol_in = carol.join(&room).await;
    injector.abort();
    assert_ne!(
        carol_in.member, bob_in.member,
        "carol was given bob's answer"
    );
    let joined = alice.expect("member_joined").await;
    assert_eq!(
        joined["member"], carol_in.member,
        "carol holds the seat the orderer gave her"
    );
    let mut members = carol_in.members.clone();
    members.sort_unstable();
    let mut expected = vec![room.member, bob_in.member];
    expected.sort_unstable();
    assert_eq!(members, expected, "and sees the room as it is");
}
