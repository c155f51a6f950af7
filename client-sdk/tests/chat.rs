//! End to end: SDK clients chatting through a real gateway on 127.0.0.1.

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::crypto::body::Body;
use anoghost_sdk::gateway::{GatewayClient, GatewayEvent};
use support::gateway::spawn_gateway;

/// Pumps every room's events until none arrives for a while; returns what each saw.
async fn settle(rooms: &mut [&mut ChatRoom]) -> Vec<Vec<ChatEvent>> {
    let mut seen = vec![Vec::new(); rooms.len()];
    loop {
        let mut quiet = true;
        for (i, room) in rooms.iter_mut().enumerate() {
            while let Ok(event) =
                tokio::time::timeout(Duration::from_millis(150), room.next_event()).await
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
            ChatEvent::Message {
                from,
                body: Body::Text(text),
                ..
            } => Some((*from, text.clone())),
            _ => None,
        })
        .collect()
}

#[actix_web::test]
async fn three_clients_chat_leave_rejoin_and_a_late_joiner_reads_only_later_messages() {
    let (_gateway, url) = spawn_gateway();
    let mut alice = ChatRoom::create(&url).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    let mut carol = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob, &mut carol]).await;
    assert_eq!(alice.trusted_members().len(), 2);

    alice.send_text("hello everyone").await.unwrap();
    let seen = settle(&mut [&mut alice, &mut bob, &mut carol]).await;
    assert_eq!(
        texts(&seen[1]),
        vec![(alice.me(), "hello everyone".to_owned())]
    );
    assert_eq!(
        texts(&seen[2]),
        vec![(alice.me(), "hello everyone".to_owned())]
    );

    // Bob leaves and comes back: a new session with new keys.
    let bob_safety_before = alice.safety_number(bob.me()).unwrap();
    let old_bob = bob.me();
    bob.leave().await;
    let seen = settle(&mut [&mut alice, &mut carol]).await;
    assert!(seen[0].contains(&ChatEvent::MemberLeft { member: old_bob }));
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob, &mut carol]).await;
    assert_ne!(
        alice.safety_number(bob.me()).unwrap(),
        bob_safety_before,
        "fresh keys"
    );
    assert!((1000..=9999).contains(&bob.me()));

    // Dave joins late: he reads what is said after he arrived, and nothing before.
    carol.send_text("before dave").await.unwrap();
    settle(&mut [&mut alice, &mut bob, &mut carol]).await;
    let mut dave = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob, &mut carol, &mut dave]).await;
    carol.send_text("after dave").await.unwrap();
    let seen = settle(&mut [&mut alice, &mut bob, &mut carol, &mut dave]).await;
    assert_eq!(texts(&seen[3]), vec![(carol.me(), "after dave".to_owned())]);
    assert_eq!(texts(&seen[1]), vec![(carol.me(), "after dave".to_owned())]);
}

#[actix_web::test]
async fn gateway_relays_no_plaintext() {
    let (_gateway, url) = spawn_gateway();
    let mut alice = ChatRoom::create(&url).await.unwrap();
    let invite = alice.invite().unwrap().clone();
    // A member that only records what the gateway relays: exactly what the gateway saw.
    let mut spy = GatewayClient::connect(&url).await.unwrap();
    let spy_room = spy.join_room(&invite.code).await.unwrap();
    let mut bob = ChatRoom::join(&url, &invite).await.unwrap();
    settle(&mut [&mut alice, &mut bob]).await;

    let secret_text = "the eagle lands at midnight";
    alice.send_text(secret_text).await.unwrap();
    bob.send_text(&secret_text.to_uppercase()).await.unwrap();
    let seen = settle(&mut [&mut alice, &mut bob]).await;
    assert_eq!(texts(&seen[1]), vec![(alice.me(), secret_text.to_owned())]);

    let mut frames: BTreeMap<u16, Vec<Vec<u8>>> = BTreeMap::new();
    while let Ok(Ok(event)) =
        tokio::time::timeout(Duration::from_millis(300), spy.next_event()).await
    {
        if let GatewayEvent::Frame {
            room,
            sender,
            payload,
        } = event
        {
            assert_eq!(room, spy_room.room);
            frames.entry(sender).or_default().push(payload);
        }
    }
    let all: Vec<&Vec<u8>> = frames.values().flatten().collect();
    assert!(
        all.len() >= 4,
        "announcements, sender keys and messages were relayed"
    );
    let shouted = secret_text.to_uppercase();
    let needles: [&[u8]; 3] = [
        secret_text.as_bytes(),
        shouted.as_bytes(),
        invite.secret.expose(),
    ];
    for payload in all {
        for needle in needles {
            assert!(
                !payload.windows(needle.len()).any(|w| w == needle),
                "plaintext visible to the gateway"
            );
        }
    }
}
