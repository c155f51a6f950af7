//! ghostIds over a real WebSocket: rotation, on-demand rotation, the window, presence.

mod support;

use std::time::Duration;

use serde_json::json;
use support::{spawn, test_config, Client, Wallet};

async fn presence(client: &mut Client, ids: &[&str]) -> Vec<bool> {
    client
        .send_json(json!({"type": "presence", "ghost_ids": ids}))
        .await;
    // Rotation pushes may arrive in between when the period is short.
    let reply = loop {
        let reply = client.recv_json().await;
        if reply["type"] != "ghost" {
            break reply;
        }
    };
    assert_eq!(reply["type"], "presence", "{reply}");
    reply["present"]
        .as_array()
        .expect("present is a list")
        .iter()
        .map(|v| v.as_bool().expect("booleans"))
        .collect()
}

#[actix_web::test]
async fn new_ghost_id_is_pushed_at_each_rotation() {
    let mut config = test_config();
    config.ghost_period_secs = 1;
    let gateway = spawn(config);
    let wallet = Wallet::new();
    let mut client = Client::ready(gateway.addr).await;
    let first = wallet.sign_in(gateway.addr, &mut client).await;
    let pushed = client.expect("ghost").await["ghost_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let pushed_again = client.expect("ghost").await["ghost_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, pushed);
    assert_ne!(pushed, pushed_again);
}

#[actix_web::test]
async fn on_demand_rotation_gives_a_different_ghost_id_for_the_same_wallet() {
    let gateway = spawn(test_config());
    let wallet = Wallet::new();
    let mut client = Client::ready(gateway.addr).await;
    let first = wallet.sign_in(gateway.addr, &mut client).await;
    client.send_json(json!({"type": "ghost_rotate"})).await;
    let second = client.expect("ghost").await["ghost_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(first, second, "two ghostIds of one wallet differ");
    assert_eq!(
        presence(&mut client, &[&first, &second]).await,
        vec![true, true]
    );

    // A second connection of the same wallet gets yet another ghostId.
    let mut other = Client::ready(gateway.addr).await;
    let third = wallet.sign_in(gateway.addr, &mut other).await;
    assert!(third != first && third != second);
}

#[actix_web::test]
async fn ghost_id_older_than_the_window_stops_opening() {
    let mut config = test_config();
    config.ghost_period_secs = 1;
    config.ghost_window = 2;
    let gateway = spawn(config);
    let mut client = Client::ready(gateway.addr).await;
    let old = Wallet::new().sign_in(gateway.addr, &mut client).await;
    let mut asker = Client::ready(gateway.addr).await;
    Wallet::new().sign_in(gateway.addr, &mut asker).await;
    assert_eq!(presence(&mut asker, &[&old]).await, vec![true]);
    // Two periods later the epoch key of `old` has left a window of two.
    tokio::time::sleep(Duration::from_millis(3_100)).await;
    assert_eq!(presence(&mut asker, &[&old]).await, vec![false]);
}

#[actix_web::test]
async fn presence_answers_only_whether_each_id_opens() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let alice_ghost = Wallet::new().sign_in(gateway.addr, &mut alice).await;
    let mut bob = Client::ready(gateway.addr).await;
    Wallet::new().sign_in(gateway.addr, &mut bob).await;
    let answer = presence(&mut bob, &[&alice_ghost, "garbage", ""]).await;
    assert_eq!(answer, vec![true, false, false]);

    let too_many: Vec<&str> = vec!["x"; 65];
    bob.send_json(json!({"type": "presence", "ghost_ids": too_many}))
        .await;
    bob.expect_error("too_many_ghost_ids").await;

    let mut anonymous = Client::ready(gateway.addr).await;
    anonymous
        .send_json(json!({"type": "presence", "ghost_ids": [alice_ghost]}))
        .await;
    anonymous.expect_error("not_authenticated").await;
}

#[actix_web::test]
async fn ghost_id_from_another_gateway_is_refused() {
    let first = spawn(test_config());
    let second = spawn(test_config());
    let mut on_first = Client::ready(first.addr).await;
    let foreign = Wallet::new().sign_in(first.addr, &mut on_first).await;
    let mut on_second = Client::ready(second.addr).await;
    Wallet::new().sign_in(second.addr, &mut on_second).await;
    assert_eq!(presence(&mut on_second, &[&foreign]).await, vec![false]);
}

#[actix_web::test]
async fn rotation_needs_a_signed_in_wallet() {
    let gateway = spawn(test_config());
    let mut client = Client::ready(gateway.addr).await;
    client.send_json(json!({"type": "ghost_rotate"})).await;
    client.expect_error("not_authenticated").await;
}
