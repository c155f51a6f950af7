//! The known-answer vectors this SDK shares with the browser client
//! (`web/test/vectors/room.json`, made by `web/test/unit/vectors.test.ts`): every derivation,
//! MAC, signature, encoding and digit string of docs/crypto.md §2–§9 for fixed inputs, and an
//! HPKE direct message sealed by each side. Both implementations check the same file, so
//! they agree byte for byte. `ANOGHOST_WRITE_VECTORS=1` makes this test write its own sealed
//! message into the file.
// A test: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use openmls::prelude::HpkePrivateKey;
use openmls_rust_crypto::OpenMlsRustCrypto;
use openmls_traits::OpenMlsProvider as _;
use serde_json::Value;
use zeroize::Zeroizing;

use super::content::{AppMessage, Content, DirectContent};
use super::direct;
use super::roster::digits;
use super::secrets::{RoomKeys, RoomSecret};
use crate::payments::PaymentVoucher;

fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/test/vectors/room.json")
}

fn bytes(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap()).unwrap()
}

fn array<const N: usize>(value: &Value) -> [u8; N] {
    bytes(value).try_into().unwrap()
}

#[test]
fn the_rust_sdk_computes_what_the_browser_client_computes() {
    let mut vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
    let v = &vectors;
    let keys = RoomKeys::derive(&RoomSecret::new(array(&v["secret"])));
    assert_eq!(keys.verifier().to_vec(), bytes(&v["verifier"]));
    assert_eq!(keys.group_base().to_vec(), bytes(&v["group_base"]));
    let proof = &v["join_proof"];
    assert_eq!(
        keys.join_proof(&array(&proof["challenge"]), proof["code"].as_str().unwrap())
            .to_vec(),
        bytes(&proof["proof"])
    );
    let request = &v["join_request_mac"];
    let member = u16::try_from(request["member"].as_u64().unwrap()).unwrap();
    let mac = keys.join_request_mac(
        member,
        &array(&request["nonce"]),
        &bytes(&request["key_package"]),
    );
    assert_eq!(mac.to_vec(), bytes(&request["mac"]));
    let group = &v["group_proof"];
    assert_eq!(
        keys.group_proof(&bytes(&group["exporter"])).to_vec(),
        bytes(&group["proof"])
    );
    let fingerprint = &v["fingerprint"];
    assert_eq!(
        digits(b"anoghost/fingerprint/v1", &bytes(&fingerprint["key"])),
        fingerprint["digits"].as_str().unwrap()
    );
    let safety = &v["safety_code"];
    assert_eq!(
        digits(b"anoghost/safety-code/v1", &bytes(&safety["authenticator"])),
        safety["digits"].as_str().unwrap()
    );
    for message in v["app_messages"].as_array().unwrap() {
        let encoded = AppMessage {
            ttl_secs: u32::try_from(message["ttl"].as_u64().unwrap()).unwrap(),
            content: Content::Text(message["text"].as_str().unwrap().to_owned()),
        }
        .encode()
        .unwrap();
        assert_eq!(encoded.to_vec(), bytes(&message["payload"]));
    }
    let text = DirectContent::Text("psst".into());
    assert_eq!(text.encode().to_vec(), bytes(&v["direct_contents"]["text"]));
    let voucher = DirectContent::Voucher(PaymentVoucher {
        claim_secret: Zeroizing::new([0xab; 32]),
        lamports: 1_500_000,
        expiry: 1_900_000_000,
        cluster: "devnet".into(),
    });
    assert_eq!(
        voucher.encode().to_vec(),
        bytes(&v["direct_contents"]["voucher"])
    );

    let provider = OpenMlsRustCrypto::default();
    let d = &v["direct"];
    let secret = HpkePrivateKey::from(bytes(&d["recipient_secret"]));
    let aad = bytes(&d["aad"]);
    if std::env::var("ANOGHOST_WRITE_VECTORS").as_deref() == Ok("1") {
        let sealed = direct::seal(
            provider.crypto(),
            &array(&d["recipient_public"]),
            &aad,
            &text.encode(),
        )
        .unwrap();
        vectors["direct"]["sealed_by_rust"] = Value::String(hex::encode(sealed));
        std::fs::write(
            path(),
            format!("{}\n", serde_json::to_string_pretty(&vectors).unwrap()),
        )
        .unwrap();
    }
    let d = &vectors["direct"];
    for sealed in [&d["sealed_by_ts"], &d["sealed_by_rust"]] {
        let opened = direct::open(provider.crypto(), &secret, &aad, &bytes(sealed)).unwrap();
        assert_eq!(DirectContent::decode(&opened).unwrap(), text);
        let mut other = aad.clone();
        *other.last_mut().unwrap() ^= 1;
        assert!(direct::open(provider.crypto(), &secret, &other, &bytes(sealed)).is_err());
    }
}
