//! End to end: SDK clients in MLS rooms through a real gateway on 127.0.0.1.

mod support;

use std::time::Duration;

use anoghost_protocol::ErrorCode;
use anoghost_sdk::chat::{ChatError, ChatEvent, ChatRoom};
use anoghost_sdk::gateway::{ClientError, GatewayClient, GatewayEvent};
use anoghost_sdk::invite::Invite;
use anoghost_sdk::mls::content::MAX_TEXT;
use anoghost_sdk::mls::{Admission, MlsError, RoomKeys, RoomSecret};
use support::gateway::{spawn_gateway, spawn_gateway_with};

/// Pumps every room's events until none arrives for a while; returns what each saw.
async fn settle(rooms: &mut [&mut ChatRoom]) -> Vec<Vec<ChatEvent>> {
    let mut seen = vec![Vec::new(); rooms.len()];
    loop {
        let mut quiet = true;
        for (i, room) in rooms.iter_mut().enumerate() {
            while let Ok(event) =
                tokio::time::timeout(Duration::from_millis(200), room.next_event()).await
            {
                seen[i].push(event.expect("room stays open"));
                quiet = false;
            }
        }
        if quiet {
            return seen;
        }
    }
}

fn texts(events: &[ChatEvent]) -> Vec<(u16, String)> {
    events
        .iter()
        .filter_map(|event| match event {
            ChatEvent::Message { from, text, .. } => Some((*from, text.clone())),
            _ => None,
        })
        .collect()
}

fn numbers(room: &ChatRoom) -> Vec<u16> {
    let mut numbers: Vec<u16> = room.roster().iter().map(|e| e.member).collect();
    numbers.sort_unstable();
    numbers
}

#[actix_web::test]
async fn clients_join_by_invite_chat_leave_and_a_late_joiner_reads_only_later_messages() {
    let (_gateway, url) = spawn_gateway();
    let mut alice = ChatRoom::create(&url, Admission::Open).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    let mut carol = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob, &mut carol]).await;
    let everyone = numbers(&alice);
    assert_eq!(everyone.len(), 3);
    assert_eq!(numbers(&bob), everyone, "one roster, from the group itself");
    assert_eq!(numbers(&carol), everyone);
    assert_eq!(alice.safety_code(), carol.safety_code());

    alice.send_text("hello everyone").await.unwrap();
    let seen = settle(&mut [&mut alice, &mut bob, &mut carol]).await;
    for saw in [&seen[1], &seen[2]] {
        assert_eq!(texts(saw), vec![(alice.me(), "hello everyone".to_owned())]);
    }

    let carol_number = carol.me();
    carol.leave().await;
    let seen = settle(&mut [&mut alice, &mut bob]).await;
    assert!(seen[0].contains(&ChatEvent::MemberLeft {
        member: carol_number
    }));
    assert!(
        !numbers(&alice).contains(&carol_number),
        "removed by commit"
    );
    assert_eq!(numbers(&alice), numbers(&bob));

    bob.send_text("before dave").await.unwrap();
    settle(&mut [&mut alice, &mut bob]).await;
    let mut dave = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob, &mut dave]).await;
    bob.send_text("after dave").await.unwrap();
    let seen = settle(&mut [&mut alice, &mut bob, &mut dave]).await;
    assert_eq!(texts(&seen[2]), vec![(bob.me(), "after dave".to_owned())]);
    assert!((1000..=9999).contains(&dave.me()));
}

#[actix_web::test]
async fn the_gateway_relays_no_plaintext_and_no_secret() {
    let (_gateway, url) = spawn_gateway();
    let mut alice = ChatRoom::create(&url, Admission::Open).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    // A connection that joins with the invite but only records what the gateway relays to
    // it: what the gateway saw of the room.
    let keys = RoomKeys::derive(&invite.secret);
    let mut spy = GatewayClient::connect(&url).await.unwrap();
    spy.join_room(&invite.code, |c| keys.join_proof(c, &invite.code))
        .await
        .unwrap();
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob]).await;
    let secret_text = "the eagle lands at midnight";
    alice.send_text(secret_text).await.unwrap();
    let seen = settle(&mut [&mut alice, &mut bob]).await;
    assert_eq!(texts(&seen[1]), vec![(alice.me(), secret_text.to_owned())]);

    let mut relayed = Vec::new();
    while let Ok(Ok(event)) =
        tokio::time::timeout(Duration::from_millis(300), spy.next_event()).await
    {
        if let GatewayEvent::Frame { payload, .. } = event {
            relayed.push(payload);
        }
    }
    assert!(relayed.len() >= 2, "the commit and the message went past");
    for payload in relayed {
        for needle in [secret_text.as_bytes(), invite.secret.expose()] {
            assert!(
                !payload.windows(needle.len()).any(|w| w == needle),
                "plaintext visible to the gateway"
            );
        }
    }
}

#[actix_web::test]
async fn the_largest_text_travels_and_one_byte_more_is_refused_before_sending() {
    let (_gateway, url) = spawn_gateway();
    let mut alice = ChatRoom::create(&url, Admission::Open).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob]).await;
    // Just under and just over the last doubling bucket, and the documented maximum.
    for len in [32 * 1024 - 9, 32 * 1024 - 8, MAX_TEXT] {
        let text = "x".repeat(len);
        alice.send_text(&text).await.unwrap();
        alice.confirm_sent().await.unwrap();
        let seen = settle(&mut [&mut alice, &mut bob]).await;
        assert_eq!(texts(&seen[1]), vec![(alice.me(), text)], "{len} bytes");
    }
    let refused = alice.send_text(&"x".repeat(MAX_TEXT + 1)).await;
    assert!(
        matches!(
            refused,
            Err(ChatError::Mls(MlsError::TooLarge { len, max })) if len == MAX_TEXT + 1 && max == MAX_TEXT
        ),
        "{refused:?}"
    );
}

#[actix_web::test]
async fn a_send_the_gateway_refuses_is_an_error_not_a_silent_loss() {
    let (_gateway, url) = spawn_gateway_with(|config| config.messages_per_second = 3);
    let mut alice = ChatRoom::create(&url, Admission::Open).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob]).await;
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    for i in 0..10 {
        alice.send_text(&format!("burst {i}")).await.unwrap();
    }
    match alice.confirm_sent().await {
        Err(ChatError::Gateway(ClientError::Refused { code, .. })) => {
            assert_eq!(code, ErrorCode::RateLimited)
        }
        other => panic!("expected a rate-limit refusal, got {other:?}"),
    }
}

#[actix_web::test]
async fn the_right_code_with_the_wrong_secret_is_refused_at_the_gateway() {
    let (_gateway, url) = spawn_gateway();
    let alice = ChatRoom::create(&url, Admission::Open).await.unwrap();
    let mut guess = alice.invite().unwrap().clone();
    guess.secret = RoomSecret::new([1; 16]);
    match ChatRoom::join(&url, &guess).await {
        Err(ChatError::Gateway(ClientError::Refused { code, .. })) => {
            assert_eq!(code, ErrorCode::RoomNotFound)
        }
        other => panic!("expected room_not_found, got {other:?}"),
    }
    let _: Invite = guess;
}
