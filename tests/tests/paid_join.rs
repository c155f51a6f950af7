//! Joining paid rooms with key NFTs: a real bank, a real gateway, SDK clients over real
//! WebSockets. Every refusal gets the same answer, `key_refused`.

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::config::OldMasterKey;
use anoghost_gateway::paid::admission::InvalidKey;
use anoghost_gateway::paid::{check_key, KeyRefused, SealKind};
use anoghost_protocol::frame::FrameKind;
use anoghost_sdk::gateway::{ClientError, GatewayEvent};
use anoghost_sdk::wallet::Wallet;
use anoghost_tests::bank::Bank;
use anoghost_tests::paid::{
    address_of, mint_room_key, signed_in, spawn_paid_gateway, spawn_paid_gateway_with, test_sealer,
    MASTER_KEY_HEX,
};

fn refused_with(result: Result<anoghost_sdk::gateway::Joined, ClientError>, expected: &str) {
    match result {
        Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), expected),
        other => panic!("expected {expected}, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_holders_join_the_same_room_with_one_chain_read_each_and_relay() {
    let mut bank = Bank::start().await;
    let (gateway, reader, url) = spawn_paid_gateway(&bank);
    let room_id: [u8; 32] = rand::random();
    let alice = Wallet::from_secret(&rand::random());
    let bob = Wallet::from_secret(&rand::random());
    let alice_key = mint_room_key(&mut bank, &alice, &room_id).await.unwrap();
    let bob_key = mint_room_key(&mut bank, &bob, &room_id).await.unwrap();

    let mut alice_client = signed_in(&url, &alice).await;
    let before = reader.requests();
    let alice_in = alice_client
        .join_paid_room(&alice_key.mint.to_string())
        .await
        .unwrap();
    assert_eq!(
        reader.requests() - before,
        1,
        "one getMultipleAccounts per join"
    );
    assert_eq!(alice_in.code, None, "paid rooms have no code");
    assert!(alice_in.members.is_empty());

    let mut bob_client = signed_in(&url, &bob).await;
    let bob_in = bob_client
        .join_paid_room(&bob_key.mint.to_string())
        .await
        .unwrap();
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
        match bob_client.next_event().await.unwrap() {
            GatewayEvent::Frame {
                sender, payload, ..
            } => {
                assert_eq!(
                    (sender, payload.as_slice()),
                    (alice_in.member, &b"sealed-payload"[..])
                );
                break;
            }
            _ => continue,
        }
    }
    alice_client.leave_room(alice_in.room).await.unwrap();
    bob_client.leave_room(bob_in.room).await.unwrap();
    assert_eq!(
        gateway.gateway.rooms.room_count(),
        0,
        "the room vanished with its last member"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_presented_by_another_wallet_is_refused() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let owner = Wallet::from_secret(&rand::random());
    let thief = Wallet::from_secret(&rand::random());
    let key = mint_room_key(&mut bank, &owner, &rand::random())
        .await
        .unwrap();
    let mut client = signed_in(&url, &thief).await;
    refused_with(
        client.join_paid_room(&key.mint.to_string()).await,
        "key_refused",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_whose_ghost_seal_belongs_to_someone_else_is_refused() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let holder = Wallet::from_secret(&rand::random());
    let someone_else = Wallet::from_secret(&rand::random());
    let sealer = test_sealer();
    let key = bank
        .mint_key_sealed(
            &address_of(&holder),
            sealer.seal(SealKind::Room, &rand::random::<[u8; 32]>()),
            sealer.seal(SealKind::Ghost, &someone_else.public_key()),
        )
        .await
        .unwrap();
    let mut client = signed_in(&url, &holder).await;
    refused_with(
        client.join_paid_room(&key.mint.to_string()).await,
        "key_refused",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_whose_room_seal_does_not_open_is_refused() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let holder = Wallet::from_secret(&rand::random());
    let key = bank
        .mint_key_sealed(
            &address_of(&holder),
            anoghost_tests::bank::random_sealed(),
            test_sealer().seal(SealKind::Ghost, &holder.public_key()),
        )
        .await
        .unwrap();
    let mut client = signed_in(&url, &holder).await;
    refused_with(
        client.join_paid_room(&key.mint.to_string()).await,
        "key_refused",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_or_malformed_mints_are_refused_and_sign_in_is_required() {
    let bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let wallet = Wallet::from_secret(&rand::random());
    let mut anonymous = anoghost_sdk::gateway::GatewayClient::connect(&url)
        .await
        .unwrap();
    refused_with(
        anonymous
            .join_paid_room(&Pubkey::new_unique().to_string())
            .await,
        "not_authenticated",
    );
    let mut client = signed_in(&url, &wallet).await;
    refused_with(
        client
            .join_paid_room(&Pubkey::new_unique().to_string())
            .await,
        "key_refused",
    );
    refused_with(client.join_paid_room("not-a-mint").await, "key_refused");
}

/// Builds, outside the program, a Token-2022 mint that looks like a key: the same
/// extensions and authorities, metadata copied from genuine keys, one token held by `holder`.
// A forgery that cannot be built is a broken test, so panicking is the right report.
#[allow(clippy::unwrap_used)]
async fn forge_key(
    bank: &mut Bank,
    forger: &solana_sdk::signature::Keypair,
    holder: &Pubkey,
    sealed_room: &[u8],
    sealed_ghost: &[u8],
) -> Pubkey {
    use anchor_lang::solana_program::system_instruction;
    use anchor_spl::token_2022::spl_token_2022::extension::ExtensionType;
    use anchor_spl::token_2022::spl_token_2022::{self, instruction as token_ix, state::Mint};
    use anchor_spl::token_interface::spl_token_metadata_interface::instruction as meta_ix;
    use anchor_spl::token_interface::spl_token_metadata_interface::state::Field;
    use base64::Engine as _;
    use solana_sdk::signature::{Keypair, Signer};

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
    let m = mint.pubkey();
    let f = forger.pubkey();
    let instructions = vec![
        system_instruction::create_account(&f, &m, lamports, base as u64, &token),
        token_ix::initialize_non_transferable_mint(&token, &m).unwrap(),
        spl_token_2022::extension::metadata_pointer::instruction::initialize(&token, &m, Some(authority), Some(m)).unwrap(),
        token_ix::initialize_mint_close_authority(&token, &m, Some(&authority)).unwrap(),
        token_ix::initialize_mint2(&token, &m, &f, None, 0).unwrap(),
        meta_ix::initialize(&token, &m, &f, &m, &f, "AnoGhost room key".into(), "GHOST".into(), String::new()),
        meta_ix::update_field(&token, &m, &f, Field::Key("room".into()), b64(sealed_room)),
        meta_ix::update_field(&token, &m, &f, Field::Key("ghost".into()), b64(sealed_ghost)),
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
async fn forged_mint_with_copied_metadata_is_refused() {
    let mut bank = Bank::start().await;
    let (_gateway, reader, url) = spawn_paid_gateway(&bank);
    let victim = Wallet::from_secret(&rand::random());
    let forger_wallet = Wallet::from_secret(&rand::random());
    let target_room: [u8; 32] = rand::random();
    // The forger holds a genuine key of its own (another room) and sees the victim's key.
    let victims_key = mint_room_key(&mut bank, &victim, &target_room)
        .await
        .unwrap();
    let own_key = mint_room_key(&mut bank, &forger_wallet, &rand::random())
        .await
        .unwrap();
    let read = |account: solana_sdk::account::Account| {
        anoghost_program_client::key::read_key_mint(&account.data).unwrap()
    };
    let victims = read(bank.account(&victims_key.mint).await.unwrap());
    let own = read(bank.account(&own_key.mint).await.unwrap());
    // Room seal from the victim's key, ghost seal from its own: both open for the forger.
    let payer = bank.funded_wallet().await;
    let forged = forge_key(
        &mut bank,
        &payer,
        &address_of(&forger_wallet),
        &victims.sealed_room,
        &own.sealed_ghost,
    )
    .await;
    let info = read(bank.account(&forged).await.unwrap());
    assert!(info.non_transferable && info.supply == 1 && info.mint_authority.is_none());
    assert_eq!(
        info.close_authority,
        Some(anoghost_program_client::pda::key_authority())
    );

    let mut client = signed_in(&url, &forger_wallet).await;
    refused_with(
        client.join_paid_room(&forged.to_string()).await,
        "key_refused",
    );

    // Every other check passes: only the address binding catches the forgery.
    let wallet = anoghost_gateway::secret::WalletAddress::from_bytes(forger_wallet.public_key());
    let verdict = check_key(reader.as_ref(), &test_sealer(), &wallet, forged).await;
    assert!(
        matches!(
            verdict,
            Err(KeyRefused::Invalid(InvalidKey::NotMintedByProgram))
        ),
        "{verdict:?}"
    );
    assert!(
        check_key(reader.as_ref(), &test_sealer(), &wallet, own_key.mint)
            .await
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_sealed_under_a_rotated_master_key_still_joins_and_an_unknown_key_id_is_refused() {
    let mut bank = Bank::start().await;
    let holder = Wallet::from_secret(&rand::random());
    // Sealed under the test gateway's key, id 1.
    let key = mint_room_key(&mut bank, &holder, &rand::random())
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
    let mut client = signed_in(&url, &holder).await;
    client
        .join_paid_room(&key.mint.to_string())
        .await
        .expect("the old key still opens the seals made under it");

    let (_forgetful, _, url) = spawn_paid_gateway_with(&bank, rotate);
    let mut client = signed_in(&url, &holder).await;
    refused_with(
        client.join_paid_room(&key.mint.to_string()).await,
        "key_refused",
    );
    let _ = std::fs::remove_file(old_key_file);
}
