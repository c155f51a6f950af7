//! ghostIds over a real WebSocket: issued for a holder that proves itself on the connection,
//! no push, the window, presence.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{spawn, test_config, Client, Holder};

async fn presence(client: &mut Client, ids: &[&str]) -> Vec<bool> {
    client
        .send_json(json!({"type": "presence", "ghost_ids": ids}))
        .await;
    let reply = client.expect("presence").await;
    reply["present"]
        .as_array()
        .expect("present is a list")
        .iter()
        .map(|v| v.as_bool().expect("booleans"))
        .collect()
}

#[actix_web::test]
async fn a_holder_gets_ghost_ids_without_signing_in_and_two_of_them_differ() {
    let gateway = spawn(test_config());
    let holder = Holder::new();
    let mut client = Client::ready(gateway.addr).await;
    let first = holder.issue_ghost(&mut client).await;
    let second = holder.issue_ghost(&mut client).await;
    assert!(first.len() > 80, "a base58 ghostId of 69 bytes");
    assert_ne!(first, second, "two ghostIds of one holder differ");
    assert!(!first.contains(&holder.address()));
    let mut anyone = Client::ready(gateway.addr).await;
    assert_eq!(
        presence(&mut anyone, &[&first, &second]).await,
        vec![true, true]
    );
}

#[actix_web::test]
async fn a_proof_made_for_another_connection_or_by_another_key_is_refused() {
    let gateway = spawn(test_config());
    let holder = Holder::new();
    let mut first = Client::ready(gateway.addr).await;
    let mut second = Client::ready(gateway.addr).await;
    // A proof seen on one connection (say, relayed by a curious gateway operator's client)
    // is worthless on another: it signs the first connection's challenge.
    second.send_json(holder.ghost_issue(&first)).await;
    second.expect_error("bad_signature").await;

    let impostor = Holder::new();
    let mut stolen = impostor.ghost_issue(&first);
    stolen["holder"] = json!(holder.address());
    first.send_json(stolen).await;
    first.expect_error("bad_signature").await;

    first
        .send_json(json!({"type": "ghost_issue", "holder": "short", "signature": "x"}))
        .await;
    first.expect_error("bad_signature").await;
    holder.issue_ghost(&mut first).await;
}

#[actix_web::test]
async fn no_ghost_id_is_pushed_and_ghost_rotate_is_gone() {
    let mut config = test_config();
    config.ghost_period_secs = 1;
    let gateway = spawn(config);
    let mut client = Client::ready(gateway.addr).await;
    Holder::new().issue_ghost(&mut client).await;
    assert!(
        client.is_silent_for(Duration::from_millis(2_200)).await,
        "the gateway cannot invent holders, so it pushes nothing"
    );
    client.send_json(json!({"type": "ghost_rotate"})).await;
    client.expect_error("unknown_type").await;
}

#[actix_web::test]
async fn ghost_id_older_than_the_window_stops_opening() {
    let mut config = test_config();
    config.ghost_period_secs = 1;
    config.ghost_window = 2;
    let gateway = spawn(config);
    let mut client = Client::ready(gateway.addr).await;
    let old = Holder::new().issue_ghost(&mut client).await;
    assert_eq!(presence(&mut client, &[&old]).await, vec![true]);
    // Two periods later the epoch key of `old` has left a window of two.
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_eq!(presence(&mut client, &[&old]).await, vec![false]);
}

#[actix_web::test]
async fn presence_answers_only_whether_each_id_opens() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let alice_ghost = Holder::new().issue_ghost(&mut alice).await;
    let mut bob = Client::ready(gateway.addr).await;
    let answer = presence(&mut bob, &[&alice_ghost, "garbage", ""]).await;
    assert_eq!(answer, vec![true, false, false]);

    let too_many: Vec<&str> = vec!["x"; 41];
    bob.send_json(json!({"type": "presence", "ghost_ids": too_many}))
        .await;
    bob.expect_error("too_many_ghost_ids").await;
}

#[actix_web::test]
async fn ghost_id_from_another_gateway_is_refused() {
    let first = spawn(test_config());
    let second = spawn(test_config());
    let mut on_first = Client::ready(first.addr).await;
    let foreign = Holder::new().issue_ghost(&mut on_first).await;
    let mut on_second = Client::ready(second.addr).await;
    assert_eq!(presence(&mut on_second, &[&foreign]).await, vec![false]);
}
