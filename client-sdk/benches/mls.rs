//! Client MLS costs: `cargo bench -p anoghost-sdk --bench mls`.
//!
//! - encrypt and decrypt of a 1 KiB application message, through `RoomGroup`;
//! - a join into a room of 200: the committer's add, the joiner's Welcome, one member's
//!   processing of the commit (each timed on its own; the slowest is the goal's figure);
//! - one member's processing of a removal in a room of 200, for the churn estimate;
//! - commit and Welcome sizes at 10, 200 and 1,000 members (printed).
// A bench panics on setup failure: there is nothing to measure.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use anoghost_protocol::frame::FrameKind;
use anoghost_sdk::mls::config::{create_config, CIPHERSUITE};
use anoghost_sdk::mls::testing::Ds;
use anoghost_sdk::mls::Admission;
use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use openmls::prelude::tls_codec::Serialize as _;
use openmls::prelude::*;
use openmls_basic_credential::SignatureKeyPair;
use openmls_rust_crypto::OpenMlsRustCrypto;

const ONE_KIB: usize = 1024;
const FIRST: u16 = 1000;
const SECOND: u16 = 1001;
const JOINER: u16 = 9000;

fn two_members() -> Ds {
    let mut ds = Ds::new(FIRST, [1; 16], Admission::Open);
    ds.join(SECOND);
    ds.run();
    ds
}

fn messages(c: &mut Criterion) {
    let text = "x".repeat(ONE_KIB);
    let mut ds = two_members();
    c.bench_function("mls encrypt 1 KiB", |b| {
        let first = ds.members.get_mut(&FIRST).unwrap();
        b.iter(|| black_box(first.send_text(&text, 0).unwrap()))
    });
    // The sender and the receiver, apart: each closure needs its own member.
    let mut ds = two_members();
    let mut first = ds.take(FIRST);
    let mut second = ds.take(SECOND);
    c.bench_function("mls decrypt 1 KiB", |b| {
        b.iter_batched(
            || {
                let out = first.send_text(&text, 0).unwrap();
                out.frames.into_iter().next().unwrap().payload
            },
            |payload| black_box(second.on_frame(FIRST, FrameKind::Group, &payload)),
            BatchSize::SmallInput,
        )
    });
}

/// A room of `size` built join by join, as a room builds itself.
fn room(size: u16) -> Ds {
    let mut ds = Ds::new(FIRST, [2; 16], Admission::Open);
    for member in SECOND..FIRST + size {
        ds.join(member);
        ds.run();
    }
    ds
}

/// One join into a room of 200, each side's CPU timed on its own: the designated member
/// challenging, checking the request and creating the add and Welcome; the joiner
/// processing the Welcome; another member processing the commit.
fn join_into_200(c: &mut Criterion) {
    let mut ds = room(200);
    let mut group = c.benchmark_group("join into 200");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for side in ["committer", "joiner", "member"] {
        group.bench_function(side, |b| {
            b.iter_custom(|iterations| {
                let mut spent = Duration::ZERO;
                for _ in 0..iterations {
                    spent += one_join(&mut ds, side);
                    ds.disconnect(JOINER);
                    ds.run();
                }
                spent
            })
        });
    }
    group.finish();
}

/// Runs one join and returns the time `side` spent on it.
fn one_join(ds: &mut Ds, side: &str) -> Duration {
    ds.join(JOINER);
    let mut committer = Duration::ZERO;
    // Steps until the first member has added the joiner: its challenge, the joiner's
    // request, its commit and the gateway's order. Only the first member's own steps are
    // timed: the joiner's request and the other members' work are theirs.
    while !ds.members[&FIRST]
        .roster()
        .iter()
        .any(|e| e.member == JOINER)
    {
        let first_members_turn = ds.next_recipient() == Some(FIRST);
        let before = Instant::now();
        assert!(ds.step(), "the join completes");
        if first_members_turn {
            committer += before.elapsed();
        }
    }
    let timed = match side {
        "committer" => committer,
        "joiner" => {
            while ds.queued_welcome(JOINER).is_none() {
                assert!(ds.step());
            }
            let welcome = ds.queued_welcome(JOINER).unwrap();
            let started = Instant::now();
            ds.deliver_now(JOINER, welcome);
            started.elapsed()
        }
        _ => {
            let commit = ds.queued_group_frame(SECOND).unwrap();
            let started = Instant::now();
            ds.deliver_now(SECOND, commit);
            started.elapsed()
        }
    };
    ds.run();
    timed
}

/// One member's processing of a removal in a room of 200 (churn's other half).
fn removal_in_200(c: &mut Criterion) {
    let mut ds = room(200);
    let mut group = c.benchmark_group("removal in 200");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("member", |b| {
        b.iter_custom(|iterations| {
            let mut spent = Duration::ZERO;
            for _ in 0..iterations {
                ds.join(JOINER);
                ds.run();
                ds.disconnect(JOINER);
                while ds.queued_group_frame(SECOND).is_none() {
                    assert!(ds.step());
                }
                let commit = ds.queued_group_frame(SECOND).unwrap();
                let started = Instant::now();
                ds.deliver_now(SECOND, commit);
                spent += started.elapsed();
                ds.run();
            }
            spent
        })
    });
    group.finish();
}

/// Commit and Welcome sizes of an add without update path, at 10, 200 and 1,000 members,
/// built directly with OpenMLS (a room of 1,000 built join by join takes too long).
fn sizes(_: &mut Criterion) {
    for size in [10usize, 200, 1000] {
        let provider = OpenMlsRustCrypto::default();
        let (creator, credential) = identity(&provider, 0);
        let mut group = MlsGroup::new(&provider, &creator, &create_config(), credential).unwrap();
        let others: Vec<KeyPackage> = (1..size - 1)
            .map(|i| key_package(&provider, i as u16))
            .collect();
        group
            .add_members_without_update(&provider, &creator, &others)
            .unwrap();
        group.merge_pending_commit(&provider).unwrap();
        let joiner = key_package(&provider, size as u16);
        let (commit, welcome, _) = group
            .add_members_without_update(&provider, &creator, &[joiner])
            .unwrap();
        println!(
            "mls sizes: room of {size}: add commit {} bytes, welcome {} bytes",
            commit.tls_serialize_detached().unwrap().len(),
            welcome.tls_serialize_detached().unwrap().len()
        );
    }
}

fn identity(provider: &OpenMlsRustCrypto, member: u16) -> (SignatureKeyPair, CredentialWithKey) {
    let signer = SignatureKeyPair::new(CIPHERSUITE.signature_algorithm()).unwrap();
    signer.store(provider.storage()).unwrap();
    let mut identity = member.to_be_bytes().to_vec();
    identity.extend_from_slice(&[7; 32]);
    let credential = CredentialWithKey {
        credential: BasicCredential::new(identity).into(),
        signature_key: signer.public().into(),
    };
    (signer, credential)
}

fn key_package(provider: &OpenMlsRustCrypto, member: u16) -> KeyPackage {
    let (signer, credential) = identity(provider, member);
    KeyPackage::builder()
        .build(CIPHERSUITE, provider, &signer, credential)
        .unwrap()
        .key_package()
        .clone()
}

criterion_group!(benches, messages, join_into_200, removal_in_200, sizes);
criterion_main!(benches);
