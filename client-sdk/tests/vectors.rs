//! Known-answer vectors from an independent implementation (`scripts/gen-crypto-vectors.py`),
//! checked both ways: this crate must produce exactly the recorded bytes, and must open
//! and verify them.

mod support;

use anoghost_sdk::crypto::announce::{self, Verification};
use anoghost_sdk::crypto::body::Body;
use anoghost_sdk::crypto::chain::SendingChain;
use anoghost_sdk::crypto::identity::MemberKeys;
use anoghost_sdk::crypto::kdf::{message_key, next_chain_key, pairwise_key, room_mac_key};
use anoghost_sdk::crypto::message::{self, MessageHeader};
use anoghost_sdk::crypto::secret::{ChainKey, RoomSecret};
use anoghost_sdk::crypto::sender_key;
use support::{unhex, unhex32, vector, FixedBytes};

fn room_secret(value: &serde_json::Value) -> RoomSecret {
    RoomSecret::new(unhex(value).try_into().expect("a 16-byte secret"))
}

#[test]
fn chain_steps_and_message_keys_match() {
    let v = vector("kdf");
    let mut ck = ChainKey::new(unhex32(&v["chain"][0]["chain_key"]));
    for step in v["chain"].as_array().unwrap() {
        assert_eq!(ck.expose(), &unhex32(&step["chain_key"]));
        let (mk, nonce) = message_key(&ck);
        assert_eq!(mk.expose(), &unhex32(&step["message_key"]));
        assert_eq!(nonce.to_vec(), unhex(&step["nonce"]));
        ck = next_chain_key(&ck);
    }
}

#[test]
fn pairwise_and_room_mac_keys_match() {
    let v = vector("kdf");
    let p = &v["pairwise"];
    let a = MemberKeys::from_secrets(unhex32(&p["x25519_secret_a"]), [1; 32]);
    let b = MemberKeys::from_secrets(unhex32(&p["x25519_secret_b"]), [2; 32]);
    assert_eq!(a.public().x25519, unhex32(&p["x25519_public_a"]));
    let shared = a.agree(&b.public().x25519).unwrap();
    assert_eq!(*shared, unhex32(&p["shared_secret"]));
    let room = p["room"].as_u64().unwrap() as u32;
    let member_a = p["member_a"].as_u64().unwrap() as u16;
    let member_b = p["member_b"].as_u64().unwrap() as u16;
    let key = pairwise_key(
        &shared,
        room,
        (member_a, &a.public().x25519),
        (member_b, &b.public().x25519),
    );
    assert_eq!(key.expose(), &unhex32(&p["pairwise_key"]));
    let mac_key = room_mac_key(&room_secret(&v["room_mac"]["room_secret"]));
    assert_eq!(mac_key.expose(), &unhex32(&v["room_mac"]["mac_key"]));
}

#[test]
fn announcement_matches_both_ways() {
    let v = vector("announce");
    let keys = MemberKeys::from_secrets(unhex32(&v["x25519_secret"]), unhex32(&v["ed25519_seed"]));
    let mac_key = room_mac_key(&room_secret(&v["room_secret"]));
    let room = v["room"].as_u64().unwrap() as u32;
    let member = v["member"].as_u64().unwrap() as u16;
    let expected = unhex(&v["payload"]);
    assert_eq!(
        announce::encode(room, member, &keys, Some(&mac_key)),
        expected
    );
    assert_eq!(
        announce::decode(room, member, &expected, Some(&mac_key)),
        Ok((keys.public(), Verification::RoomSecret))
    );
}

#[test]
fn sender_key_bundle_matches_both_ways() {
    let v = vector("sender_key");
    let room = v["room"].as_u64().unwrap() as u32;
    let sender = v["sender"].as_u64().unwrap() as u16;
    let recipient = v["recipient"].as_u64().unwrap() as u16;
    let sender_keys = MemberKeys::from_secrets(
        unhex32(&v["sender_x25519_secret"]),
        unhex32(&v["sender_ed25519_seed"]),
    );
    let recipient_keys = MemberKeys::from_secrets(unhex32(&v["recipient_x25519_secret"]), [3; 32]);
    let shared = sender_keys.agree(&recipient_keys.public().x25519).unwrap();
    let pairwise = pairwise_key(
        &shared,
        room,
        (sender, &sender_keys.public().x25519),
        (recipient, &recipient_keys.public().x25519),
    );
    let chain_key = ChainKey::new(unhex32(&v["chain_key"]));
    let chain_id = v["chain_id"].as_u64().unwrap() as u32;
    let index = v["index"].as_u64().unwrap() as u32;
    let expected = unhex(&v["payload"]);
    let mut rng = FixedBytes::new(&unhex(&v["nonce"]));
    let encoded = sender_key::encode(
        room,
        sender,
        &sender_keys,
        (chain_id, index, &chain_key),
        [(recipient, &pairwise)].into_iter(),
        &mut rng,
    );
    assert_eq!(encoded, expected);
    let opened = sender_key::decode(
        room,
        sender,
        &sender_keys.public().ed25519,
        recipient,
        &pairwise,
        &expected,
    )
    .unwrap()
    .expect("a copy for the recipient");
    assert_eq!((opened.id, opened.index), (chain_id, index));
    assert_eq!(opened.key, chain_key);
}

#[test]
fn message_matches_both_ways() {
    let v = vector("message");
    let room = v["room"].as_u64().unwrap() as u32;
    let sender = v["sender"].as_u64().unwrap() as u16;
    let keys = MemberKeys::from_secrets([5; 32], unhex32(&v["ed25519_seed"]));
    let header = MessageHeader {
        chain_id: v["chain_id"].as_u64().unwrap() as u32,
        index: v["index"].as_u64().unwrap() as u32,
        ttl_secs: v["ttl_secs"].as_u64().unwrap() as u32,
    };
    let body = Body::Text(v["text"].as_str().unwrap().to_owned());
    let padded = body.to_padded().unwrap();
    assert_eq!(padded.to_vec(), unhex(&v["padded_plaintext"]));
    let mut chain =
        SendingChain::from_parts(header.chain_id, 0, ChainKey::new(unhex32(&v["chain_key"])));
    let (index, secret) = chain.advance().unwrap();
    assert_eq!(index, header.index);
    let expected = unhex(&v["payload"]);
    assert_eq!(
        message::seal(room, sender, &keys, header, &secret, &padded),
        expected
    );

    let parsed = message::verify_message(room, sender, &keys.public().ed25519, &expected).unwrap();
    assert_eq!(parsed, header);
    let opened = message::open(room, sender, &secret, &expected).unwrap();
    assert_eq!(Body::from_padded(&opened).unwrap(), body);
}
