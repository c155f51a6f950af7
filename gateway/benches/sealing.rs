//! Gateway-side crypto on the paid-room path: ghostId issue and open (AES-256-GCM under the
//! epoch key), and binding a key to a room and verifying the binding (HKDF and HMAC under
//! the master key).
//!
//! `cargo bench -p anoghost-gateway --bench sealing`

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::ghost::GhostEpochKeys;
use anoghost_gateway::paid::{binding, MasterKeys};
use anoghost_gateway::secret::{HolderAddress, SecretBytes32};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rand::rngs::OsRng;

fn ghost_ids(c: &mut Criterion) {
    let keys = GhostEpochKeys::new(SecretBytes32::new([7; 32]), 1, 4);
    let holder = HolderAddress::from_bytes([3; 32]);
    c.bench_function("ghostId issue", |b| {
        b.iter(|| keys.issue(black_box(&holder), &mut OsRng))
    });
    let ghost = keys.issue(&holder, &mut OsRng);
    c.bench_function("ghostId open", |b| b.iter(|| keys.open(black_box(&ghost))));
}

fn bindings(c: &mut Criterion) {
    let keys = MasterKeys::new(1, SecretBytes32::new([9; 32]), Vec::new());
    let (tag, mint) = ([5u8; 32], Pubkey::new_from_array([6; 32]));
    c.bench_function("room binding", |b| {
        b.iter(|| binding::bind(&keys, black_box(&tag), &mint))
    });
    let bound = binding::bind(&keys, &tag, &mint);
    c.bench_function("room binding verify", |b| {
        b.iter(|| binding::verifies(&keys, black_box(&tag), &mint, &bound))
    });
}

criterion_group!(benches, ghost_ids, bindings);
criterion_main!(benches);
