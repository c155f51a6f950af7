//! Gateway-side crypto on the paid-room path: ghostId issue and open (AES-256-GCM under the
//! epoch key), and sealing and opening a key field under the master key.
//!
//! `cargo bench -p anoghost-gateway --bench sealing`

use anoghost_gateway::ghost::GhostEpochKeys;
use anoghost_gateway::paid::seal::{SealKind, Sealer};
use anoghost_gateway::secret::{SecretBytes32, WalletAddress};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rand::rngs::OsRng;

fn ghost_ids(c: &mut Criterion) {
    let keys = GhostEpochKeys::new(SecretBytes32::new([7; 32]), 1, 4);
    let wallet = WalletAddress::from_bytes([3; 32]);
    c.bench_function("ghostId issue", |b| {
        b.iter(|| keys.issue(black_box(&wallet), &mut OsRng))
    });
    let ghost = keys.issue(&wallet, &mut OsRng);
    c.bench_function("ghostId open", |b| b.iter(|| keys.open(black_box(&ghost))));
}

fn seals(c: &mut Criterion) {
    let sealer = Sealer::new(1, SecretBytes32::new([9; 32]), Vec::new());
    let room = [5u8; 32];
    c.bench_function("seal room id", |b| {
        b.iter(|| sealer.seal(SealKind::Room, black_box(&room)))
    });
    let sealed = sealer.seal(SealKind::Room, &room);
    c.bench_function("open sealed room id", |b| {
        b.iter(|| sealer.open(SealKind::Room, black_box(&sealed)))
    });
}

criterion_group!(benches, ghost_ids, seals);
criterion_main!(benches);
