//! Joining paid rooms with key NFTs: a real bank, a real gateway, SDK clients over real
//! WebSockets. The holder proves its address on the connection; no wallet signs in. Every
//! refusal gets the same answer, `key_refused`.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost_gateway::config::OldMasterKey;
use anoghost_gateway::paid::admission::InvalidKey;
use anoghost_gateway::paid::{check_key, KeyRefused};
use anoghost_gateway::secret::HolderAddress;
use anoghost_program_client::instructions as ix;
use anoghost_protocol::frame::FrameKind;
use anoghost_sdk::gateway::{ClientError, GatewayClient, GatewayEvent};
use anoghost_tests::bank::Bank;
use anoghost_tests::paid::{
    mint_room_key, spawn_paid_gateway, spawn_paid_gateway_with, test_master_keys, MASTER_KEY_HEX,
};
use serde_json::json;
use solana_sdk::signature::{Keypair, Signer};

fn refused_with<T: std::fmt::Debug>(result: Result<T, ClientError>, expected: &str) {
    match result {
        Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), expected),
        other => panic!("expected {expected}, got {other:?}"),
    }
}

async fn connect(url: &str) -> GatewayClient {
    GatewayClient::connect(url).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_holders_join_the_same_room_with_one_chain_read_each_and_relay() {
    let mut bank = Bank::start().await;
    let (gateway, reader, url) = spawn_paid_gateway(&bank);
    let tag: [u8; 32] = rand::random();
    let (alice, bob) = (Keypair::new(), Keypair::new());
    mint_room_key(&mut bank, &alice.pubkey(), &tag)
        .await
        .unwrap();
    mint_room_key(&mut bank, &bob.pubkey(), &tag).await.unwrap();

    let mut alice_client = connect(&url).await;
    let before = reader.requests();
    let alice_in = alice_client.join_paid_room(&alice, &tag).await.unwrap();
    assert_eq!(
        reader.requests() - before,
        1,
        "one getMultipleAccounts per join"
    );
    assert_eq!(alice_in.code, None, "paid rooms have no code");
    assert!(alice_in.members.is_empty());

    let mut bob_client = connect(&url).await;
    let bob_in = bob_client.join_paid_room(&bob, &tag).await.unwrap();
    assert_eq!(bob_in.room, alice_in.room, "both keys open the same room");
    assert_eq!(bob_in.members, vec![alice_in.member]);

    alice_client
        .send_frame(
            alice_in.room,
            FrameKind::Welcome,
            Some(bob_in.member),
            b"sealed-payload",
        )
        .await
        .unwrap();
    loop {
        if let GatewayEvent::Frame {
            sender, payload, ..
        } = bob_client.next_event().await.unwrap()
        {
            assert_eq!(
                (sender, payload.as_slice()),
                (alice_in.member, &b"sealed-payload"[..])
            );
            break;
        }
    }
    alice_client.leave_room(alice_in.room).await.unwrap();
    bob_client.leave_room(bob_in.room).await.unwrap();
    assert_eq!(gateway.gateway.rooms.room_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_is_refused_for_another_room_another_holder_or_another_connections_proof() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let tag: [u8; 32] = rand::random();
    let holder = Keypair::new();
    mint_room_key(&mut bank, &holder.pubkey(), &tag)
        .await
        .unwrap();

    let mut client = connect(&url).await;
    refused_with(
        client.join_paid_room(&holder, &rand::random()).await,
        "key_refused",
    );
    // A thief that knows the room and the holder's address cannot sign for the holder.
    let thief = Keypair::new();
    refused_with(client.join_paid_room(&thief, &tag).await, "key_refused");
    let mut stolen = json!({
        "type": "room_join_paid",
        "holder": holder.pubkey().to_string(),
        "room_tag": bs58::encode(tag).into_string(),
    });
    let mut proof = b"anoghost/paid-join/v1".to_vec();
    proof.extend_from_slice(client.challenge());
    proof.extend_from_slice(&tag);
    stolen["signature"] = json!(thief.sign_message(&proof).to_string());
    let request = anoghost_protocol::ClientMessage::from_json(&stolen.to_string()).unwrap();
    refused_with(client.request(request).await, "key_refused");
    // A proof made for one connection does not work on another.
    let holders_proof = holder.sign_message(&proof).to_string();
    stolen["signature"] = json!(holders_proof);
    let replay = anoghost_protocol::ClientMessage::from_json(&stolen.to_string()).unwrap();
    let mut elsewhere = connect(&url).await;
    refused_with(elsewhere.request(replay.clone()).await, "key_refused");
    client
        .request(replay)
        .await
        .expect("on its own connection it joins");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_sign_in_is_needed_and_missing_or_malformed_keys_are_refused() {
    let bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let mut anonymous = connect(&url).await;
    refused_with(
        anonymous
            .join_paid_room(&Keypair::new(), &rand::random())
            .await,
        "key_refused",
    );
    let malformed = anoghost_protocol::ClientMessage::RoomJoinPaid {
        holder: "not-a-holder".into(),
        room_tag: "x".into(),
        signature: "y".into(),
    };
    refused_with(anonymous.request(malformed).await, "key_refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burned_key_no_longer_admits() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let tag: [u8; 32] = rand::random();
    let holder = Keypair::new();
    mint_room_key(&mut bank, &holder.pubkey(), &tag)
        .await
        .unwrap();
    let gateway_authority = bank.gateway.insecure_clone();
    let burn = ix::key_burn(&holder.pubkey(), &gateway_authority.pubkey());
    bank.send_paid_by(&[burn], &gateway_authority, &[&holder])
        .await
        .unwrap();
    refused_with(
        connect(&url).await.join_paid_room(&holder, &tag).await,
        "key_refused",
    );
}

/// Builds, outside the program, a Token-2022 mint that looks like a key: the same
/// extensions and authorities, a binding copied from a genuine key of the room, one token
/// held by `holder`. It cannot sit at the holder's key address: only the program can create
/// an account there.
// A forgery that cannot be built is a broken test, so panicking is the right report.
async fn forge_key(
    bank: &mut Bank,
    forger: &Keypair,
    holder: &solana_sdk::pubkey::Pubkey,
    room_binding: &[u8],
) -> solana_sdk::pubkey::Pubkey {
    use anchor_lang::solana_program::system_instruction;
    use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
    use anchor_spl::token_2022::spl_token_2022::{self, instruction as token_ix, state::Mint};
    use anchor_spl::token_interface::spl_token_metadata_interface::instruction as meta_ix;
    use anchor_spl::token_interface::spl_token_metadata_interface::state::Field;
    use base64::Engine as _;

    let token = anchor_spl::token_2022::ID;
    let mint = Keypair::new();
    let authority = anoghost_program_client::pda::key_authority();
    let base = ExtensionType::try_calculate_account_len::<Mint>(&[
        ExtensionType::NonTransferable,
        ExtensionType::MetadataPointer,
        ExtensionType::MintCloseAuthority,
    ])
    .unwrap();
    let lamports = bank.rent(base + 1024).await;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let (m, f) = (mint.pubkey(), forger.pubkey());
    let instructions = vec![
        system_instruction::create_account(&f, &m, lamports, base as u64, &token),
        token_ix::initialize_non_transferable_mint(&token, &m).unwrap(),
        spl_token_2022::extension::metadata_pointer::instruction::initialize(&token, &m, Some(authority), Some(m)).unwrap(),
        token_ix::initialize_mint_close_authority(&token, &m, Some(&authority)).unwrap(),
        token_ix::initialize_mint2(&token, &m, &f, None, 0).unwrap(),
        meta_ix::initialize(&token, &m, &f, &m, &f, "AnoGhost key".into(), "GHOST".into(), String::new()),
        meta_ix::update_field(&token, &m, &f, Field::Key("room".into()), b64(room_binding)),
        meta_ix::update_field(&token, &m, &f, Field::Key("invite".into()), b64(&[0; 97])),
        meta_ix::update_authority(&token, &m, &f, Some(authority).try_into().unwrap()),
        anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account(&f, holder, &m, &token),
        token_ix::mint_to(&token, &m, &anoghost_program_client::key_token_account(holder, &m), &f, &[], 1).unwrap(),
        token_ix::set_authority(&token, &m, None, token_ix::AuthorityType::MintTokens, &f, &[]).unwrap(),
    ];
    bank.send_paid_by(&instructions, forger, &[&mint])
        .await
        .expect("forgery lands on chain");
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_look_alike_mint_outside_the_key_address_is_never_read() {
    let mut bank = Bank::start().await;
    let (_gateway, reader, url) = spawn_paid_gateway(&bank);
    let tag: [u8; 32] = rand::random();
    let victim = mint_room_key(&mut bank, &Keypair::new().pubkey(), &tag)
        .await
        .unwrap();
    let forger = bank.funded_wallet().await;
    let forger_holder = Keypair::new();
    let forged = forge_key(
        &mut bank,
        &forger,
        &forger_holder.pubkey(),
        &victim.room_binding,
    )
    .await;
    let info =
        anoghost_program_client::key::read_key_mint(&bank.account(&forged).await.unwrap().data)
            .unwrap();
    assert!(info.non_transferable && info.supply == 1 && info.mint_authority.is_none());
    refused_with(
        connect(&url)
            .await
            .join_paid_room(&forger_holder, &tag)
            .await,
        "key_refused",
    );
    let holder = HolderAddress::from_bytes(forger_holder.pubkey().to_bytes());
    let verdict = check_key(reader.as_ref(), &test_master_keys(), &holder, &tag).await;
    assert!(
        matches!(verdict, Err(KeyRefused::Invalid(InvalidKey::Missing))),
        "the gateway reads the holder's key address, where no forgery can be: {verdict:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_binding_under_a_rotated_master_key_still_opens_and_an_unknown_key_id_is_refused() {
    let mut bank = Bank::start().await;
    let tag: [u8; 32] = rand::random();
    let holder = Keypair::new();
    // Bound under the test gateway's key, id 1.
    mint_room_key(&mut bank, &holder.pubkey(), &tag)
        .await
        .unwrap();
    let old_key_file = std::env::temp_dir().join(format!(
        "anoghost-old-master-{}-{}.hex",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::write(&old_key_file, MASTER_KEY_HEX).unwrap();
    let rotate = |config: &mut anoghost_gateway::GatewayConfig| {
        config.master_key = Some("43".repeat(32));
        config.master_key_id = 2;
    };
    let (_rotated, _, url) = spawn_paid_gateway_with(&bank, |config| {
        rotate(config);
        config.old_master_keys = vec![OldMasterKey {
            id: 1,
            path: old_key_file.clone(),
        }];
    });
    connect(&url)
        .await
        .join_paid_room(&holder, &tag)
        .await
        .expect("the old key still verifies the bindings made under it");
    let (_forgetful, _, url) = spawn_paid_gateway_with(&bank, rotate);
    refused_with(
        connect(&url).await.join_paid_room(&holder, &tag).await,
        "key_refused",
    );
    let _ = std::fs::remove_file(old_key_file);
}
