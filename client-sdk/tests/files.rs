//! Files end to end: SDK members in rooms on a real gateway on 127.0.0.1, at the gateway's
//! default message rate (50 a second per connection), so files move as fast as they would
//! in production and the flow control is what keeps everyone inside the limit.

// A test panics on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use anoghost_protocol::ErrorCode;
use anoghost_sdk::chat::{ChatError, ChatEvent};
use anoghost_sdk::files::outgoing::FileToSend;
use anoghost_sdk::files::{Cut, FileError, FileEvent};
use anoghost_sdk::mls::file_content::{FileChunk, FileManifest, FilePart, TransferId};
use anoghost_sdk::mls::RoomSettings;
use sha2::{Digest, Sha256};
use support::gateway::spawn_gateway_with;
use support::members::{file_bytes, room_of, Member};
use zeroize::Zeroizing;

const WAIT: Duration = Duration::from_secs(60);
const MIB: usize = 1024 * 1024;

/// A gateway with the production message rate.
fn gateway() -> (anoghost_gateway::RunningGateway, String) {
    spawn_gateway_with(|config| config.messages_per_second = 50)
}

async fn send(member: &Member, name: &str, bytes: Vec<u8>) -> Result<TransferId, ChatError> {
    let file = FileToSend::new(name, "application/octet-stream", bytes);
    member
        .call(move |room| Box::pin(async move { room.send_file(file).await }))
        .await
}

async fn send_part(member: &Member, part: FilePart) {
    member
        .call(move |room| Box::pin(async move { room.send_file_part_unchecked(part).await }))
        .await
        .unwrap();
}

async fn say(member: &Member, text: &str) {
    let text = text.to_owned();
    member
        .call(move |room| Box::pin(async move { room.send_text(&text).await }))
        .await
        .unwrap();
}

fn is_received(event: &FileEvent) -> bool {
    matches!(event, FileEvent::Received { .. })
}

fn is_ended(event: &FileEvent) -> bool {
    matches!(
        event,
        FileEvent::Received { .. } | FileEvent::Failed { .. } | FileEvent::Cancelled { .. }
    )
}

fn file_events(seen: &[ChatEvent]) -> Vec<&FileEvent> {
    seen.iter()
        .filter_map(|e| match e {
            ChatEvent::File(f) => Some(f),
            _ => None,
        })
        .collect()
}

fn rate_limited(seen: &[ChatEvent]) -> bool {
    seen.iter().any(|e| {
        matches!(
            e,
            ChatEvent::Refused {
                code: ErrorCode::RateLimited
            }
        )
    })
}

/// The parts of `bytes` as a sender that plays by no rules would send them.
fn parts_of(bytes: &[u8], announced_sha256: [u8; 32], id: u8) -> (FilePart, Vec<FilePart>) {
    let chunk_size = 65_024u32;
    let transfer = TransferId([id; 16]);
    let manifest = FilePart::Manifest(FileManifest {
        transfer,
        name: "forged.bin".into(),
        size: bytes.len() as u64,
        mime: String::new(),
        sha256: announced_sha256,
        chunk_size,
        chunk_count: bytes.len().div_ceil(chunk_size as usize) as u32,
    });
    let chunks = bytes
        .chunks(chunk_size as usize)
        .enumerate()
        .map(|(i, piece)| {
            FilePart::Chunk(FileChunk {
                transfer,
                index: i as u32,
                bytes: Zeroizing::new(piece.to_vec()),
            })
        })
        .collect();
    (manifest, chunks)
}

#[actix_web::test]
async fn a_file_arrives_byte_identical_at_every_member_with_progress_on_both_sides() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 3, RoomSettings::default()).await;
    let bytes = file_bytes(MIB + 12_345);
    let chunks = chunks_for(bytes.len());
    let sender_number = members[0].me;
    send(&members[0], "photo.jpg", bytes.clone()).await.unwrap();
    for receiver in &mut members[1..] {
        match receiver.expect_file(WAIT, is_received).await {
            FileEvent::Received {
                from,
                file,
                bytes: got,
            } => {
                assert_eq!(from, sender_number);
                assert_eq!(
                    (file.name.as_str(), file.size),
                    ("photo.jpg", bytes.len() as u64)
                );
                assert_eq!(got.as_slice(), bytes.as_slice(), "byte-identical");
            }
            other => panic!("{other:?}"),
        }
        let done: Vec<u64> = progress(&receiver.seen);
        assert_eq!(done.len(), chunks, "one progress event per chunk");
        assert!(done.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(done.last(), Some(&(bytes.len() as u64)));
    }
    let sender = &mut members[0];
    sender
        .expect_file(WAIT, |e| matches!(e, FileEvent::Sent { .. }))
        .await;
    assert_eq!(progress(&sender.seen).len(), chunks);
    assert!(!rate_limited(&sender.seen), "the gateway dropped nothing");
}

/// Chunks of the SDK's size in a file of `len` bytes.
fn chunks_for(len: usize) -> usize {
    len.div_ceil(65_024)
}

fn progress(seen: &[ChatEvent]) -> Vec<u64> {
    file_events(seen)
        .into_iter()
        .filter_map(|e| match e {
            FileEvent::Progress { done, .. } => Some(*done),
            _ => None,
        })
        .collect()
}

#[actix_web::test]
async fn a_chunk_a_member_alters_or_a_manifest_that_lies_is_refused_by_the_hash() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 2, RoomSettings::default()).await;
    let bytes = file_bytes(200_000);
    let sha256: [u8; 32] = Sha256::digest(&bytes).into();

    // A chunk altered after the manifest was made: one bit of chunk 2.
    let (manifest, mut chunks) = parts_of(&bytes, sha256, 1);
    if let FilePart::Chunk(chunk) = &mut chunks[2] {
        chunk.bytes[100] ^= 0x01;
    }
    send_part(&members[0], manifest).await;
    for chunk in chunks {
        send_part(&members[0], chunk).await;
    }
    // A manifest announcing another file than the chunks make.
    let (manifest, chunks) = parts_of(&bytes, [0x55; 32], 2);
    send_part(&members[0], manifest).await;
    for chunk in chunks {
        send_part(&members[0], chunk).await;
    }
    let from = members[0].me;
    let receiver = &mut members[1];
    for id in [1, 2] {
        let failed = receiver.expect_file(WAIT, is_ended).await;
        assert_eq!(
            failed,
            FileEvent::Failed {
                transfer: TransferId([id; 16]),
                from,
                error: FileError::HashMismatch
            }
        );
    }
    receiver.drain(Duration::from_millis(300)).await;
    assert!(!file_events(&receiver.seen).into_iter().any(is_received));
}

#[actix_web::test]
async fn a_creator_set_limit_reaches_joiners_through_the_group_and_both_sides_enforce_it() {
    let (_gateway, url) = gateway();
    let limit = 100_000;
    let settings = RoomSettings::with_max_file_bytes(limit).unwrap();
    let mut members = room_of(&url, 2, settings).await;
    let learned = members[1]
        .call(|room| Box::pin(async move { room.settings() }))
        .await;
    assert_eq!(
        learned.max_file_bytes(),
        limit,
        "the joiner read it from its Welcome"
    );

    // The joiner's own SDK refuses to send over the limit, before anything leaves.
    let refused = send(&members[1], "big.bin", file_bytes(limit as usize + 1)).await;
    assert!(
        matches!(refused, Err(ChatError::File(FileError::TooLarge { size, limit: l })) if size == limit + 1 && l == limit),
        "{refused:?}"
    );
    // A sender that ignores the limit is refused at its manifest; its chunks are ignored.
    let over = file_bytes(limit as usize + 1);
    let (manifest, chunks) = parts_of(&over, Sha256::digest(&over).into(), 7);
    send_part(&members[0], manifest).await;
    for chunk in chunks {
        send_part(&members[0], chunk).await;
    }
    let from = members[0].me;
    let receiver = &mut members[1];
    let failed = receiver.expect_file(WAIT, is_ended).await;
    assert_eq!(
        failed,
        FileEvent::Failed {
            transfer: TransferId([7; 16]),
            from,
            error: FileError::TooLarge {
                size: limit + 1,
                limit
            }
        }
    );
    // A file of exactly the limit is fine.
    let exact = file_bytes(limit as usize);
    send(&members[0], "exact.bin", exact.clone()).await.unwrap();
    match members[1].expect_file(WAIT, is_ended).await {
        FileEvent::Received { bytes, .. } => assert_eq!(bytes.as_slice(), exact.as_slice()),
        other => panic!("{other:?}"),
    }
    let seen = file_events(&members[1].seen);
    assert_eq!(
        progress(&members[1].seen).len(),
        2,
        "no chunk of the refused file counted"
    );
    assert_eq!(
        seen.iter()
            .filter(|e| matches!(e, FileEvent::Offered { .. }))
            .count(),
        1
    );
}

#[actix_web::test]
async fn a_room_created_without_a_limit_has_the_default_of_25_mib() {
    let (_gateway, url) = gateway();
    let members = room_of(&url, 2, RoomSettings::default()).await;
    let learned = members[1]
        .call(|room| Box::pin(async move { room.settings() }))
        .await;
    assert_eq!(learned.max_file_bytes(), 25 * 1024 * 1024);
}

#[actix_web::test]
async fn a_receiver_that_leaves_mid_way_does_not_disturb_the_others() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 3, RoomSettings::default()).await;
    let bytes = file_bytes(2 * MIB);
    send(&members[0], "video.mp4", bytes.clone()).await.unwrap();
    let mut leaver = members.pop().unwrap();
    let left = leaver.me;
    leaver
        .expect_file(
            WAIT,
            |e| matches!(e, FileEvent::Progress { done, .. } if *done > 300_000),
        )
        .await;
    leaver.leave().await;
    match members[1].expect_file(WAIT, is_ended).await {
        FileEvent::Received { bytes: got, .. } => assert_eq!(got.as_slice(), bytes.as_slice()),
        other => panic!("{other:?}"),
    }
    let sent = members[0]
        .expect_file(WAIT, |e| {
            matches!(e, FileEvent::Sent { .. } | FileEvent::Failed { .. })
        })
        .await;
    assert!(matches!(sent, FileEvent::Sent { .. }), "{sent:?}");
    let seen = &members[0].seen;
    let gone = seen
        .iter()
        .position(|e| *e == ChatEvent::MemberLeft { member: left });
    assert!(
        gone.is_some_and(|at| at < seen.len() - 1),
        "it left mid-way: {seen:?}"
    );
}

#[actix_web::test]
async fn chat_messages_keep_flowing_during_a_transfer_and_arrive_interleaved() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 3, RoomSettings::default()).await;
    // 49 chunks: about two seconds at half the gateway's rate.
    send(&members[0], "slides.pdf", file_bytes(3 * MIB))
        .await
        .unwrap();
    for i in 0..10 {
        say(&members[0], &format!("sender says {i}")).await;
        say(&members[1], &format!("receiver says {i}")).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let watcher = &mut members[2];
    watcher.expect_file(WAIT, is_ended).await;
    let order: Vec<&str> = watcher
        .seen
        .iter()
        .filter_map(|e| match e {
            ChatEvent::Message { .. } => Some("text"),
            ChatEvent::File(FileEvent::Progress { .. }) => Some("chunk"),
            ChatEvent::File(FileEvent::Received { .. }) => Some("file"),
            _ => None,
        })
        .collect();
    assert_eq!(
        order.iter().filter(|k| **k == "text").count(),
        20,
        "{order:?}"
    );
    let last_text = order.iter().rposition(|k| *k == "text").unwrap();
    let first_text = order.iter().position(|k| *k == "text").unwrap();
    assert!(
        order[first_text..last_text].contains(&"chunk"),
        "chat and chunks interleave, the chat does not wait for the file: {order:?}"
    );
    assert!(
        last_text < order.iter().position(|k| *k == "file").unwrap(),
        "{order:?}"
    );
    for member in &mut members[..2] {
        member.drain(Duration::from_millis(200)).await;
        assert!(
            !rate_limited(&member.seen),
            "#{} was rate-limited",
            member.me
        );
    }
}

#[actix_web::test]
async fn the_sender_cancels_and_every_receiver_discards_what_it_has() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 2, RoomSettings::default()).await;
    let transfer = send(&members[0], "draft.txt", file_bytes(2 * MIB))
        .await
        .unwrap();
    members[1]
        .expect_file(WAIT, |e| matches!(e, FileEvent::Progress { .. }))
        .await;
    let cancelled = members[0]
        .call(move |room| Box::pin(async move { room.cancel_file(transfer).await }))
        .await
        .unwrap();
    assert!(cancelled);
    let from = members[0].me;
    assert_eq!(
        members[1].expect_file(WAIT, is_ended).await,
        FileEvent::Cancelled {
            transfer,
            from,
            by: from
        }
    );
    members[1].drain(Duration::from_millis(500)).await;
    assert!(!file_events(&members[1].seen).into_iter().any(is_received));
}

#[actix_web::test]
async fn a_receiver_declines_and_the_sender_stops_once_nobody_wants_the_file() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 2, RoomSettings::default()).await;
    let transfer = send(&members[0], "draft.txt", file_bytes(3 * MIB))
        .await
        .unwrap();
    members[1]
        .expect_file(WAIT, |e| matches!(e, FileEvent::Offered { .. }))
        .await;
    let declined = members[1]
        .call(move |room| Box::pin(async move { room.cancel_file(transfer).await }))
        .await
        .unwrap();
    assert!(declined);
    let (from, by) = (members[0].me, members[1].me);
    let sender = &mut members[0];
    sender
        .expect_file(WAIT, |e| *e == FileEvent::Cancelled { transfer, from, by })
        .await;
    let ended = sender
        .expect_file(WAIT, |e| matches!(e, FileEvent::Failed { .. }))
        .await;
    assert_eq!(
        ended,
        FileEvent::Failed {
            transfer,
            from,
            error: FileError::NoRecipients
        }
    );
    let stopped_at = progress(&sender.seen).len();
    sender.drain(Duration::from_millis(500)).await;
    assert_eq!(
        progress(&sender.seen).len(),
        stopped_at,
        "no chunk after stopping"
    );
    assert!(
        stopped_at < chunks_for(3 * MIB),
        "stopped before the end: {stopped_at} chunks"
    );
}

#[actix_web::test]
async fn a_sender_that_leaves_mid_way_leaves_receivers_an_incomplete_error() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 2, RoomSettings::default()).await;
    send(&members[0], "big.iso", file_bytes(3 * MIB))
        .await
        .unwrap();
    members[1]
        .expect_file(WAIT, |e| matches!(e, FileEvent::Progress { .. }))
        .await;
    let sender = members.remove(0);
    let from = sender.me;
    sender.leave().await;
    match members[0].expect_file(WAIT, is_ended).await {
        FileEvent::Failed {
            from: f,
            error:
                FileError::Incomplete {
                    received,
                    expected,
                    why: Cut::SenderLeft,
                },
            ..
        } => {
            assert_eq!((f, expected as usize), (from, chunks_for(3 * MIB)));
            assert!((1..expected).contains(&received), "{received}");
        }
        other => panic!("{other:?}"),
    }
}

#[actix_web::test]
async fn a_member_who_joins_mid_transfer_does_not_receive_it() {
    let (_gateway, url) = gateway();
    let mut members = room_of(&url, 2, RoomSettings::default()).await;
    let invite = members[0]
        .call(|room| Box::pin(async move { room.invite().unwrap().clone() }))
        .await;
    send(&members[0], "late.bin", file_bytes(3 * MIB))
        .await
        .unwrap();
    members[1]
        .expect_file(WAIT, |e| matches!(e, FileEvent::Progress { .. }))
        .await;
    let late = anoghost_sdk::chat::ChatRoom::join(&url, &invite)
        .await
        .unwrap();
    let mut late = Member::spawn(late);
    late.expect(WAIT, |e| *e == ChatEvent::InGroup).await;
    members[1].expect_file(WAIT, is_received).await;
    members[0]
        .expect_file(WAIT, |e| matches!(e, FileEvent::Sent { .. }))
        .await;
    let seen = &members[0].seen;
    let added = seen.iter().position(
        |e| matches!(e, ChatEvent::RosterChanged { added, .. } if added.contains(&late.me)),
    );
    assert!(
        added.is_some_and(|at| at < seen.len() - 1),
        "it joined mid-way: {seen:?}"
    );
    late.drain(Duration::from_millis(500)).await;
    assert!(file_events(&late.seen).is_empty(), "{:?}", late.seen);
    assert!(
        !late
            .seen
            .iter()
            .any(|e| matches!(e, ChatEvent::Rejected { .. })),
        "chunks it cannot place are skipped silently: {:?}",
        late.seen
    );
}
