//! The gateway as MLS Delivery Service, over real sockets: one order of commits per room,
//! a stale commit refused and relayed to nobody, and every other kind of frame to the one
//! member it names. The payloads are opaque to it beyond the MLS header.

mod support;

use std::time::Duration;

use support::{mls_header, spawn, test_config, Client};

const GROUP: u8 = 1;
const JOIN_REQUEST: u8 = 2;
const WELCOME: u8 = 3;
const DENIED: u8 = 4;
const CHALLENGE: u8 = 5;
const COMMIT: u8 = 3;

#[actix_web::test]
async fn of_two_commits_for_one_epoch_the_first_is_ordered_and_the_second_relayed_to_nobody() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    bob.join(&room).await;
    alice.expect("member_joined").await;
    let mut carol = Client::ready(gateway.addr).await;
    carol.join(&room).await;
    alice.expect("member_joined").await;
    bob.expect("member_joined").await;

    let mut first = mls_header(0, COMMIT);
    first.extend_from_slice(b"alice's commit");
    alice.send_kind(room.room, GROUP, None, &first).await;
    alice.expect("committed").await;
    for member in [&mut bob, &mut carol] {
        let (_, sender, kind, payload) = member.recv_kind().await;
        assert_eq!((sender, kind), (room.member, GROUP));
        assert_eq!(payload, first);
    }
    // Bob, not having processed Alice's commit yet, commits in the same epoch.
    let mut second = mls_header(0, COMMIT);
    second.extend_from_slice(b"bob's commit");
    bob.send_kind(room.room, GROUP, None, &second).await;
    let refused = bob.expect("commit_refused").await;
    assert_eq!(
        (refused["epoch"].as_u64(), refused["current"].as_u64()),
        (Some(0), Some(1))
    );
    assert!(
        alice.is_silent_for(Duration::from_millis(300)).await,
        "the refused commit reached nobody"
    );
    assert!(carol.is_silent_for(Duration::from_millis(100)).await);

    // The next epoch's commit is ordered.
    let mut next = mls_header(1, COMMIT);
    next.extend_from_slice(b"bob's next");
    bob.send_kind(room.room, GROUP, None, &next).await;
    bob.expect("committed").await;
}

#[actix_web::test]
async fn challenges_join_requests_welcomes_and_refusals_reach_only_the_member_they_name() {
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    let bob_in = bob.join(&room).await;
    alice.expect("member_joined").await;
    let mut carol = Client::ready(gateway.addr).await;
    let carol_in = carol.join(&room).await;
    alice.expect("member_joined").await;
    bob.expect("member_joined").await;

    alice
        .send_kind(room.room, CHALLENGE, Some(carol_in.member), b"nonce")
        .await;
    let (_, sender, kind, payload) = carol.recv_kind().await;
    assert_eq!(
        (sender, kind, payload.as_slice()),
        (room.member, CHALLENGE, &b"nonce"[..])
    );
    carol
        .send_kind(room.room, JOIN_REQUEST, Some(room.member), b"key package")
        .await;
    let (_, sender, kind, payload) = alice.recv_kind().await;
    assert_eq!(
        (sender, kind, payload.as_slice()),
        (carol_in.member, JOIN_REQUEST, &b"key package"[..])
    );
    alice
        .send_kind(room.room, WELCOME, Some(carol_in.member), b"welcome")
        .await;
    let (_, sender, kind, payload) = carol.recv_kind().await;
    assert_eq!(
        (sender, kind, payload.as_slice()),
        (room.member, WELCOME, &b"welcome"[..])
    );
    alice
        .send_kind(room.room, DENIED, Some(bob_in.member), b"")
        .await;
    let (_, sender, kind, payload) = bob.recv_kind().await;
    assert_eq!((sender, kind, payload.len()), (room.member, DENIED, 0));
    assert!(
        bob.is_silent_for(Duration::from_millis(200)).await,
        "bob got none of the others"
    );
    assert!(
        carol.is_silent_for(Duration::from_millis(100)).await,
        "carol got no refusal"
    );
}

#[actix_web::test]
async fn a_commit_header_no_client_can_parse_is_refused_and_takes_no_epoch() {
    // Found by the `mls_header` fuzz target: the group id's length written in two bytes
    // (`40 10`) where MLS requires the shortest form (`10`). OpenMLS refuses such a commit,
    // so had the gateway ordered it, epoch 0 would have gone to a commit nobody applies.
    let gateway = spawn(test_config());
    let mut alice = Client::ready(gateway.addr).await;
    let room = alice.create_room().await;
    let mut bob = Client::ready(gateway.addr).await;
    bob.join(&room).await;
    alice.expect("member_joined").await;

    let canonical = mls_header(0, COMMIT);
    let mut long_form = vec![0, 1, 0, 2, 0x40];
    long_form.extend_from_slice(&canonical[4..]);
    alice.send_kind(room.room, GROUP, None, &long_form).await;
    alice.expect_error("bad_frame").await;
    assert!(
        bob.is_silent_for(Duration::from_millis(200)).await,
        "relayed to nobody"
    );
    bob.send_kind(room.room, GROUP, None, &canonical).await;
    bob.expect("committed").await;
    let (_, _, kind, payload) = alice.recv_kind().await;
    assert_eq!((kind, payload), (GROUP, canonical));
}
