//! The paid-room vectors this SDK shares with the browser client (`web/test/vectors/paid.json`,
//! made by `web/test/unit/paidVectors.test.ts`): for a fixed wallet, its signature over the
//! holder text, the holder root, holders and invite keys, a room tag, a ghost contact, the
//! holder proofs over a fixed challenge, and an invite sealed by each side. Both
//! implementations check the same file, so one wallet finds the same keys in the browser and
//! the CLI. `ANOGHOST_WRITE_VECTORS=1` makes this test write its own sealed invite into the
//! file.
// A test: a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost_program_client::PROGRAM_ID;
use hpke::Serializable;
use rand::rngs::OsRng;
use serde_json::Value;
use solana_sdk::signature::Signer;

use super::invite::SEALED_INVITE_LEN;
use super::{room_tag, GhostContact, HolderRoot, InviteError, PaidInvite};
use crate::gateway::{ghost_issue_proof, paid_join_proof};
use crate::mls::RoomSecret;
use crate::paid::holder::holder_root_message;
use crate::wallet::Wallet;

fn path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/test/vectors/paid.json")
}

fn bytes(value: &Value) -> Vec<u8> {
    hex::decode(value.as_str().unwrap()).unwrap()
}

fn array<const N: usize>(value: &Value) -> [u8; N] {
    bytes(value).try_into().unwrap()
}

fn text(value: &Value) -> &str {
    value.as_str().unwrap()
}

fn index(value: &Value) -> u32 {
    u32::try_from(value.as_u64().unwrap()).unwrap()
}

#[test]
fn the_rust_sdk_finds_the_keys_the_browser_client_finds() {
    let mut vectors: Value =
        serde_json::from_str(&std::fs::read_to_string(path()).unwrap()).unwrap();
    let v = &vectors;
    assert_eq!(text(&v["program_id"]), PROGRAM_ID.to_string());
    let wallet = Wallet::from_secret(&array(&v["wallet_seed"]));
    assert_eq!(wallet.pubkey().to_string(), text(&v["wallet"]));
    assert_eq!(holder_root_message(&PROGRAM_ID), text(&v["holder_text"]));
    let signature = wallet
        .keypair()
        .sign_message(holder_root_message(&PROGRAM_ID).as_bytes());
    assert_eq!(signature.as_ref(), bytes(&v["wallet_signature"]));
    let root = HolderRoot::from_wallet(&wallet);
    assert_eq!(root.expose_for_vectors().to_vec(), bytes(&v["holder_root"]));
    let from_signature = HolderRoot::from_signature(&array(&v["wallet_signature"]));
    assert_eq!(
        from_signature.expose_for_vectors(),
        root.expose_for_vectors()
    );
    for holder in v["holders"].as_array().unwrap() {
        let i = index(&holder["index"]);
        let keypair = root.holder(i);
        assert_eq!(
            keypair.to_bytes()[..32],
            bytes(&holder["seed"]),
            "holder {i}"
        );
        assert_eq!(keypair.pubkey().to_string(), text(&holder["address"]));
        let invite = root.invite_key(i);
        assert_eq!(
            invite.secret().to_bytes().to_vec(),
            bytes(&holder["invite_secret"])
        );
        assert_eq!(invite.public().0.to_vec(), bytes(&holder["invite_public"]));
    }

    let secret = RoomSecret::new(array(&v["room_secret"]));
    let tag = room_tag(&secret);
    assert_eq!(tag.to_vec(), bytes(&v["room_tag"]));

    let contact = &v["ghost_contact"];
    let invite_key = root.invite_key(index(&contact["invite_index"]));
    let made = GhostContact {
        ghost_id: text(&contact["ghost_id"]).to_owned(),
        invite_key: invite_key.public(),
    };
    assert_eq!(made.to_string(), text(&contact["text"]));
    assert_eq!(text(&contact["text"]).parse::<GhostContact>(), Ok(made));

    let proofs = &v["proofs"];
    let holder = root.holder(index(&proofs["holder_index"]));
    let challenge = array(&proofs["challenge"]);
    assert_eq!(
        ghost_issue_proof(&holder, &challenge).to_string(),
        text(&proofs["ghost_issue"])
    );
    assert_eq!(
        paid_join_proof(&holder, &challenge, &tag).to_string(),
        text(&proofs["room_join_paid"])
    );

    let i = &v["invite"];
    let key = root.invite_key(index(&i["invite_index"]));
    let invite = PaidInvite {
        secret: RoomSecret::new(array(&v["room_secret"])),
        name: text(&i["name"]).to_owned(),
    };
    if std::env::var("ANOGHOST_WRITE_VECTORS").as_deref() == Ok("1") {
        let sealed = invite.seal(&key.public(), &mut OsRng).unwrap();
        vectors["invite"]["sealed_by_rust"] = Value::String(hex::encode(sealed));
        std::fs::write(
            path(),
            format!("{}\n", serde_json::to_string_pretty(&vectors).unwrap()),
        )
        .unwrap();
    }
    let i = &vectors["invite"];
    let other = root.invite_key(1);
    for sealed in [&i["sealed_by_ts"], &i["sealed_by_rust"]] {
        let sealed: [u8; SEALED_INVITE_LEN] = array(sealed);
        assert_eq!(PaidInvite::open(&sealed, &key), Ok(invite.clone()));
        assert_eq!(
            PaidInvite::open(&sealed, &other),
            Err(InviteError::DoesNotOpen),
            "sealed to another invite key of the same wallet"
        );
    }
}
