//! Reassembly, one refusal per way a transfer can go wrong; each asserts the specific error
//! and that nothing of the file is kept afterwards.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::*;
use crate::mls::file_content::{chunk_count, FileChunk, FileManifest, FilePart, TransferId};

const ALICE: u16 = 1111;
const BOB: u16 = 2222;
const LIMIT: u64 = 1 << 20;
const CHUNK: u32 = 1000;

fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

fn manifest(id: u8, bytes: &[u8]) -> FileManifest {
    FileManifest {
        transfer: TransferId([id; 16]),
        name: "notes.txt".into(),
        size: bytes.len() as u64,
        mime: "text/plain".into(),
        sha256: Sha256::digest(bytes).into(),
        chunk_size: CHUNK,
        chunk_count: chunk_count(bytes.len() as u64, CHUNK).unwrap(),
    }
}

fn chunk(id: u8, index: u32, bytes: &[u8]) -> FilePart {
    FilePart::Chunk(FileChunk {
        transfer: TransferId([id; 16]),
        index,
        bytes: Zeroizing::new(bytes.to_vec()),
    })
}

fn pieces(bytes: &[u8]) -> Vec<&[u8]> {
    bytes.chunks(CHUNK as usize).collect()
}

/// A receiver that accepted Alice's manifest for `bytes`.
fn offered(bytes: &[u8], now: Instant) -> Receiving {
    let mut receiving = Receiving::default();
    let events = receiving.on_part(ALICE, FilePart::Manifest(manifest(1, bytes)), LIMIT, now);
    assert!(matches!(
        events[..],
        [FileEvent::Offered { from: ALICE, .. }]
    ));
    receiving
}

fn failed_with(events: &[FileEvent]) -> Option<&FileError> {
    events.iter().find_map(|event| match event {
        FileEvent::Failed { error, .. } => Some(error),
        _ => None,
    })
}

#[test]
fn chunks_in_order_make_the_file_with_progress_on_each() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = offered(&bytes, now);
    let mut events = Vec::new();
    for (i, piece) in pieces(&bytes).iter().enumerate() {
        events.extend(receiving.on_part(ALICE, chunk(1, i as u32, piece), LIMIT, now));
    }
    let done: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            FileEvent::Progress { done, total, .. } if *total == 2500 => Some(*done),
            _ => None,
        })
        .collect();
    assert_eq!(done, vec![1000, 2000, 2500]);
    match events.last() {
        Some(FileEvent::Received {
            from,
            file,
            bytes: got,
        }) => {
            assert_eq!((*from, file.name.as_str()), (ALICE, "notes.txt"));
            assert_eq!(got.as_slice(), bytes.as_slice());
        }
        other => panic!("{other:?}"),
    }
    assert!(receiving.arriving().is_empty());
}

#[test]
fn an_altered_chunk_is_refused_by_the_hash() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = offered(&bytes, now);
    let mut events = Vec::new();
    for (i, piece) in pieces(&bytes).iter().enumerate() {
        let mut piece = piece.to_vec();
        if i == 1 {
            piece[10] ^= 0x01;
        }
        events.extend(receiving.on_part(ALICE, chunk(1, i as u32, &piece), LIMIT, now));
    }
    assert_eq!(failed_with(&events), Some(&FileError::HashMismatch));
    assert!(!events
        .iter()
        .any(|e| matches!(e, FileEvent::Received { .. })));
}

#[test]
fn a_file_over_the_limit_is_refused_at_the_manifest_and_its_chunks_are_not_kept() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = Receiving::default();
    let events = receiving.on_part(ALICE, FilePart::Manifest(manifest(1, &bytes)), 2499, now);
    assert_eq!(
        failed_with(&events),
        Some(&FileError::TooLarge {
            size: 2500,
            limit: 2499
        })
    );
    assert!(receiving.arriving().is_empty());
    for (i, piece) in pieces(&bytes).iter().enumerate() {
        assert!(receiving
            .on_part(ALICE, chunk(1, i as u32, piece), 2499, now)
            .is_empty());
    }
    assert_eq!(receiving.held_bytes(), 0);
}

#[test]
fn chunks_out_of_range_duplicated_skipped_or_of_the_wrong_size_are_refused() {
    let now = Instant::now();
    let bytes = file(2500);
    let p = pieces(&bytes);
    let cases: Vec<(Vec<FilePart>, FileError)> = vec![
        (
            vec![chunk(1, 0, p[0]), chunk(1, 3, p[2])],
            FileError::ChunkOutOfRange { index: 3, count: 3 },
        ),
        (
            vec![chunk(1, 0, p[0]), chunk(1, 0, p[0])],
            FileError::DuplicateChunk { index: 0 },
        ),
        (
            vec![chunk(1, 0, p[0]), chunk(1, 2, p[2])],
            FileError::MissingChunk {
                expected: 1,
                got: 2,
            },
        ),
        (
            vec![chunk(1, 0, &p[0][..999])],
            FileError::WrongChunkSize {
                index: 0,
                len: 999,
                expected: 1000,
            },
        ),
        (
            vec![chunk(1, 0, p[0]), chunk(1, 1, p[1]), chunk(1, 2, p[0])],
            FileError::WrongChunkSize {
                index: 2,
                len: 1000,
                expected: 500,
            },
        ),
    ];
    for (parts, expected) in cases {
        let mut receiving = offered(&bytes, now);
        let events: Vec<FileEvent> = parts
            .into_iter()
            .flat_map(|part| receiving.on_part(ALICE, part, LIMIT, now))
            .collect();
        assert_eq!(failed_with(&events), Some(&expected));
        assert!(receiving.arriving().is_empty(), "discarded: {expected}");
        assert!(receiving
            .on_part(ALICE, chunk(1, 1, p[1]), LIMIT, now)
            .is_empty());
    }
}

#[test]
fn chunks_of_a_transfer_never_offered_are_ignored_silently() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = Receiving::default();
    assert!(receiving
        .on_part(ALICE, chunk(1, 1, pieces(&bytes)[1]), LIMIT, now)
        .is_empty());
    let mut receiving = offered(&bytes, now);
    assert!(receiving
        .on_part(ALICE, chunk(9, 0, pieces(&bytes)[0]), LIMIT, now)
        .is_empty());
    assert!(receiving
        .on_part(BOB, chunk(1, 0, pieces(&bytes)[0]), LIMIT, now)
        .is_empty());
    assert_eq!(receiving.held_bytes(), 0);
}

#[test]
fn a_sender_that_leaves_or_stalls_leaves_an_incomplete_error() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = offered(&bytes, now);
    receiving.on_part(ALICE, chunk(1, 0, pieces(&bytes)[0]), LIMIT, now);
    assert_eq!(
        failed_with(&receiving.on_member_gone(ALICE)),
        Some(&FileError::Incomplete {
            received: 1,
            expected: 3,
            why: Cut::SenderLeft
        })
    );
    let mut receiving = offered(&bytes, now);
    assert!(receiving
        .tick(now + STALL_TIMEOUT - Duration::from_millis(1))
        .is_empty());
    assert_eq!(
        failed_with(&receiving.tick(now + STALL_TIMEOUT)),
        Some(&FileError::Incomplete {
            received: 0,
            expected: 3,
            why: Cut::Stalled
        })
    );
    assert!(receiving.arriving().is_empty());
}

#[test]
fn the_senders_cancel_ends_the_transfer_and_anyone_elses_is_not_for_receivers() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = offered(&bytes, now);
    let cancel = FilePart::Cancel(TransferId([1; 16]));
    assert!(receiving
        .on_part(BOB, cancel.clone(), LIMIT, now)
        .is_empty());
    assert_eq!(receiving.arriving().len(), 1);
    assert_eq!(
        receiving.on_part(ALICE, cancel, LIMIT, now),
        vec![FileEvent::Cancelled {
            transfer: TransferId([1; 16]),
            from: ALICE,
            by: ALICE
        }]
    );
    assert!(receiving.arriving().is_empty());
}

#[test]
fn one_file_per_sender_and_four_in_all_arrive_at_once() {
    let now = Instant::now();
    let bytes = file(10);
    let mut receiving = Receiving::default();
    for (i, sender) in (1000..1004).enumerate() {
        let events = receiving.on_part(
            sender,
            FilePart::Manifest(manifest(i as u8, &bytes)),
            LIMIT,
            now,
        );
        assert!(matches!(events[..], [FileEvent::Offered { .. }]));
    }
    let second = receiving.on_part(1000, FilePart::Manifest(manifest(8, &bytes)), LIMIT, now);
    let fifth = receiving.on_part(1004, FilePart::Manifest(manifest(9, &bytes)), LIMIT, now);
    for events in [second, fifth] {
        assert_eq!(failed_with(&events), Some(&FileError::TooManyTransfers));
    }
    assert_eq!(receiving.arriving().len(), MAX_INCOMING);
}

#[test]
fn an_empty_file_arrives_at_its_manifest() {
    let now = Instant::now();
    let mut receiving = Receiving::default();
    let events = receiving.on_part(ALICE, FilePart::Manifest(manifest(1, &[])), LIMIT, now);
    assert!(matches!(
        &events[..],
        [FileEvent::Offered { .. }, FileEvent::Received { bytes, .. }] if bytes.is_empty()
    ));
}

#[test]
fn declining_drops_what_arrived_and_yields_the_cancel_to_send() {
    let now = Instant::now();
    let bytes = file(2500);
    let mut receiving = offered(&bytes, now);
    receiving.on_part(ALICE, chunk(1, 0, pieces(&bytes)[0]), LIMIT, now);
    assert_eq!(
        receiving.decline(TransferId([1; 16])),
        Some(FilePart::Cancel(TransferId([1; 16])))
    );
    assert_eq!(receiving.held_bytes(), 0);
    assert!(receiving.decline(TransferId([1; 16])).is_none());
}
