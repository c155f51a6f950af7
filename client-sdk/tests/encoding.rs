//! Property tests: every encoding round-trips, and every single-bit flip of an
//! announcement or sender-key bundle is refused.

mod support;

use anoghost_sdk::crypto::announce;
use anoghost_sdk::crypto::body::{Body, PaymentVoucher};
use anoghost_sdk::crypto::identity::MemberKeys;
use anoghost_sdk::crypto::kdf::{pairwise_key, room_mac_key};
use anoghost_sdk::crypto::message::MessageHeader;
use anoghost_sdk::crypto::secret::{ChainKey, RoomSecret};
use anoghost_sdk::crypto::sender_key;
use anoghost_sdk::invite::Invite;
use proptest::prelude::*;
use rand::rngs::OsRng;
use zeroize::Zeroizing;

fn voucher() -> impl Strategy<Value = Body> {
    (
        any::<[u8; 32]>(),
        any::<u64>(),
        any::<i64>(),
        "[a-z-]{0,40}",
    )
        .prop_map(|(secret, lamports, expiry, cluster)| {
            Body::PaymentVoucher(PaymentVoucher {
                claim_secret: Zeroizing::new(secret),
                lamports,
                expiry,
                cluster,
            })
        })
}

proptest! {
    #[test]
    fn text_bodies_round_trip(text in ".{0,3000}") {
        let body = Body::Text(text);
        let padded = body.to_padded().unwrap();
        prop_assert!(padded.len().is_power_of_two() && padded.len() >= 64);
        prop_assert_eq!(Body::from_padded(&padded).unwrap(), body);
    }

    #[test]
    fn voucher_bodies_round_trip(body in voucher()) {
        let padded = body.to_padded().unwrap();
        prop_assert_eq!(Body::from_padded(&padded).unwrap(), body);
    }

    #[test]
    fn headers_round_trip(chain_id: u32, index: u32, ttl_secs: u32) {
        let header = MessageHeader { chain_id, index, ttl_secs };
        prop_assert_eq!(MessageHeader::parse(&header.to_bytes()), Some(header));
    }

    #[test]
    fn invites_round_trip(code in 0u32..1_000_000, secret: [u8; 16]) {
        let text = format!("{code:06}-{}", bs58::encode(secret).into_string());
        let invite: Invite = text.parse().unwrap();
        prop_assert_eq!(invite.to_string(), text);
        prop_assert_eq!(invite.secret.expose(), &secret);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_single_bit_flip_in_an_announcement_fails(bit in 0usize..200 * 8) {
        let keys = MemberKeys::generate(&mut OsRng);
        let mac_key = room_mac_key(&RoomSecret::new([1; 16]));
        let payload = announce::encode(7, 4821, &keys, Some(&mac_key));
        let mut tampered = payload.clone();
        let bit = bit % (payload.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(announce::decode(7, 4821, &tampered, Some(&mac_key)).is_err());
    }

    #[test]
    fn any_single_bit_flip_in_a_sender_key_bundle_fails(bit in 0usize..137 * 8) {
        let sender = MemberKeys::generate(&mut OsRng);
        let recipient = MemberKeys::generate(&mut OsRng);
        let shared = sender.agree(&recipient.public().x25519).unwrap();
        let pairwise = pairwise_key(&shared, 7, (1, &sender.public().x25519), (2, &recipient.public().x25519));
        let key = ChainKey::new([4; 32]);
        let payload = sender_key::encode(7, 1, &sender, (9, 0, &key), [(2, &pairwise)].into_iter(), &mut OsRng);
        let mut tampered = payload.clone();
        let bit = bit % (payload.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        let opened = sender_key::decode(7, 1, &sender.public().ed25519, 2, &pairwise, &tampered);
        prop_assert!(!matches!(opened, Ok(Some(_))));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_single_bit_flip_in_a_direct_message_fails(bit in 0usize..(15 + 64 + 16 + 64) * 8) {
        use anoghost_sdk::crypto::direct;
        let sender = MemberKeys::generate(&mut OsRng);
        let recipient = MemberKeys::generate(&mut OsRng);
        let shared = sender.agree(&recipient.public().x25519).unwrap();
        let pairwise = pairwise_key(&shared, 7, (1, &sender.public().x25519), (2, &recipient.public().x25519));
        let padded = Body::Text("for you only".into()).to_padded().unwrap();
        let payload = direct::seal(7, 1, &sender, 2, &pairwise, &padded, &mut OsRng);
        prop_assert!(direct::open(7, 1, &sender.public().ed25519, 2, &pairwise, &payload).is_ok());
        let mut tampered = payload.clone();
        let bit = bit % (payload.len() * 8);
        tampered[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(direct::open(7, 1, &sender.public().ed25519, 2, &pairwise, &tampered).is_err());
    }
}
