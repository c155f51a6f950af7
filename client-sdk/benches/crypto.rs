//! Client crypto cost: `cargo bench -p anoghost-sdk --bench crypto`.
//!
//! - encrypt+sign and decrypt+verify of a 1 KiB group message;
//! - a sender-key rotation (new chain sealed for 9 peers) in a room of 10.
// A bench panics on setup failure: there is nothing to measure.
#![allow(clippy::unwrap_used)]

use anoghost_sdk::crypto::body::Body;
use anoghost_sdk::crypto::chain::{ReceivingChain, SendingChain};
use anoghost_sdk::crypto::identity::MemberKeys;
use anoghost_sdk::crypto::kdf::pairwise_key;
use anoghost_sdk::crypto::message::{self, MessageHeader};
use anoghost_sdk::crypto::secret::{ChainKey, PairwiseKey};
use anoghost_sdk::crypto::sender_key;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rand::rngs::OsRng;

const ROOM: u32 = 7;
const SENDER: u16 = 4821;

fn one_kib() -> Body {
    Body::Text("x".repeat(1024))
}

fn encrypt_sign(c: &mut Criterion) {
    let keys = MemberKeys::generate(&mut OsRng);
    let mut chain = SendingChain::generate(&mut OsRng);
    let body = one_kib();
    c.bench_function("encrypt+sign 1 KiB message", |b| {
        b.iter(|| {
            let padded = body.to_padded().unwrap();
            let (index, secret) = chain.advance().unwrap();
            let header = MessageHeader {
                chain_id: chain.id(),
                index,
                ttl_secs: 0,
            };
            black_box(message::seal(ROOM, SENDER, &keys, header, &secret, &padded))
        })
    });
}

fn decrypt_verify(c: &mut Criterion) {
    let keys = MemberKeys::generate(&mut OsRng);
    let public = keys.public().ed25519;
    let mut sending = SendingChain::from_parts(1, 0, ChainKey::new([7; 32]));
    let receiving = ReceivingChain::new(1, 0, ChainKey::new([7; 32]));
    let (index, secret) = sending.advance().unwrap();
    let header = MessageHeader {
        chain_id: 1,
        index,
        ttl_secs: 0,
    };
    let payload = message::seal(
        ROOM,
        SENDER,
        &keys,
        header,
        &secret,
        &one_kib().to_padded().unwrap(),
    );
    c.bench_function("decrypt+verify 1 KiB message", |b| {
        b.iter(|| {
            // The same lookup every time (never committed), so one payload can be reused.
            let header = message::verify_message(ROOM, SENDER, &public, &payload).unwrap();
            let lookup = receiving.lookup(header.index).unwrap();
            let padded = message::open(ROOM, SENDER, lookup.secret(), &payload).unwrap();
            black_box(Body::from_padded(&padded).unwrap())
        })
    });
}

fn rotate_for_ten(c: &mut Criterion) {
    let me = MemberKeys::generate(&mut OsRng);
    let peers: Vec<(u16, PairwiseKey)> = (1..10u16)
        .map(|member| {
            let peer = MemberKeys::generate(&mut OsRng);
            let shared = me.agree(&peer.public().x25519).unwrap();
            let key = pairwise_key(
                &shared,
                ROOM,
                (SENDER, &me.public().x25519),
                (member, &peer.public().x25519),
            );
            (member, key)
        })
        .collect();
    c.bench_function("sender-key rotation, room of 10", |b| {
        b.iter(|| {
            let chain = SendingChain::generate(&mut OsRng);
            black_box(sender_key::encode(
                ROOM,
                SENDER,
                &me,
                chain.state(),
                peers.iter().map(|(member, key)| (*member, key)),
                &mut OsRng,
            ))
        })
    });
}

criterion_group!(benches, encrypt_sign, decrypt_verify, rotate_for_ten);
criterion_main!(benches);
