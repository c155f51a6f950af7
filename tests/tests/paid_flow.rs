//! The paid-room flow end to end: an initiator funds an escrow, the gateway locks it, mints
//! one key per invitee to a one-time holder address and settles from chain state; invitees
//! find their keys from their wallets alone, join, and verify each other with the room
//! secret; every balance adds up to the lamport.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use anchor_lang::prelude::Pubkey;
use anoghost::state::{EscrowState, RoomEscrow};
use anoghost_program_client::{key_token_account, pda};
use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::gateway::ClientError;
use anoghost_sdk::paid::GhostContact;
use anoghost_tests::bank::{Bank, PRICE_PER_KEY};
use anoghost_tests::paid::{
    funded_initiator, new_room, sealed_for, signed_in, spawn_paid_gateway, spawn_paid_gateway_with,
    Invitee,
};
use solana_sdk::signature::Signer;

const FEE: u64 = 5_000;

async fn wait_until_closed(bank: &mut Bank, address: &Pubkey) {
    for _ in 0..400 {
        if bank.account(address).await.is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the escrow was never settled");
}

async fn next_chat_event(room: &mut ChatRoom) -> ChatEvent {
    tokio::time::timeout(Duration::from_secs(10), room.next_event())
        .await
        .expect("an event in time")
        .expect("the room stays open")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deposit_lock_mint_join_verify_chat_and_settle_to_the_lamport() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let (initiator_keys, initiator_wallet) = funded_initiator(&mut bank).await;
    let invitees: Vec<Invitee> = (0..3).map(Invitee::new).collect();
    let mut contacts = Vec::new();
    for invitee in &invitees {
        contacts.push(invitee.contact(&url).await);
    }
    let (invite, tag) = new_room("DAO council");

    let (treasury, authority) = (bank.treasury, bank.gateway.pubkey());
    let payer = initiator_keys.pubkey();
    let payer_start = bank.balance(&payer).await;
    let treasury_start = bank.balance(&treasury).await;
    let authority_start = bank.balance(&authority).await;

    let nonce = bank.deposit(&initiator_keys, 3).await.unwrap();
    let escrow = pda::escrow(&payer, &nonce);
    let mut initiator_client = signed_in(&url, &initiator_wallet).await;
    let minted = initiator_client
        .create_paid_room(&nonce, &tag, &sealed_for(&contacts, &invite))
        .await
        .unwrap();
    assert_eq!(
        minted,
        vec![true; 3],
        "a boolean per invitee, no mint address"
    );

    // Each invitee finds its key from its wallet alone and reads the room from it.
    let mut keys = Vec::new();
    for invitee in &invitees {
        let key = invitee.held_key(&mut bank).await.expect("the key is there");
        assert_eq!(key.invite, invite, "room secret and name arrive end to end");
        assert_ne!(key.holder.pubkey(), invitee.wallet.pubkey());
        assert_eq!(
            bank.balance(&invitee.wallet.pubkey()).await,
            0,
            "the invitee's wallet never appears on chain"
        );
        keys.push(key);
    }

    // Each enters the MLS group only by proving the room secret from its key's invite.
    let mut alice = ChatRoom::join_paid(&url, &keys[0]).await.unwrap();
    let mut bob = ChatRoom::join_paid(&url, &keys[1]).await.unwrap();
    let formed = async {
        while !(alice.in_group() && bob.in_group() && bob.roster().len() == 2) {
            tokio::select! {
                event = alice.next_event() => { event.unwrap(); }
                event = bob.next_event() => { event.unwrap(); }
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(30), formed)
        .await
        .expect("the two invitees form the group");
    alice.send_text("hello council").await.unwrap();
    loop {
        if let ChatEvent::Message { text, .. } = next_chat_event(&mut bob).await {
            assert_eq!(text, "hello council");
            break;
        }
    }

    wait_until_closed(&mut bank, &escrow).await;
    assert_eq!(
        bank.balance(&treasury).await,
        treasury_start + 3 * PRICE_PER_KEY
    );
    assert_eq!(
        bank.balance(&payer).await,
        payer_start - 3 * PRICE_PER_KEY - FEE,
        "the payer paid for three keys and its deposit fee; the escrow's rent came back"
    );
    let mut rent = 0;
    for key in &keys {
        rent += bank.balance(&key.mint).await;
        rent += bank
            .balance(&key_token_account(&key.holder.pubkey(), &key.mint))
            .await;
    }
    assert_eq!(
        bank.balance(&authority).await,
        authority_start - rent - 5 * FEE,
        "the authority fronted three keys' rent and paid a lock, three mints and a settle"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_escrow_is_locked_on_chain_before_any_key_is_minted() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway_with(&bank, |config| {
        config.mint_delay_max_ms = 1_500;
        config.settle_delay_max_secs = 3_600;
    });
    let (initiator_keys, initiator_wallet) = funded_initiator(&mut bank).await;
    let invitee = Invitee::new(0);
    let contacts = [invitee.contact(&url).await];
    let (invite, tag) = new_room("locked first");
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    let mut client = signed_in(&url, &initiator_wallet).await;
    let invitees = sealed_for(&contacts, &invite);
    let request =
        tokio::spawn(async move { client.create_paid_room(&nonce, &tag, &invitees).await });
    let escrow = pda::escrow(&initiator_keys.pubkey(), &nonce);
    let mint = pda::key_mint(&invitee.holder().pubkey());
    let mut seen_locked_before_mint = false;
    for _ in 0..400 {
        let locked = bank
            .account(&escrow)
            .await
            .map(|account| {
                anchor_lang::AccountDeserialize::try_deserialize(&mut account.data.as_slice())
                    .map(|e: RoomEscrow| e.state == EscrowState::Locked)
                    .unwrap()
            })
            .unwrap_or(false);
        let minted = bank.account(&mint).await.is_some();
        assert!(
            !minted || locked || seen_locked_before_mint,
            "a key minted before the lock"
        );
        if locked && !minted {
            seen_locked_before_mint = true;
        }
        if minted {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(seen_locked_before_mint);
    assert_eq!(request.await.unwrap().unwrap(), vec![true]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitees_that_cannot_get_a_key_are_not_charged() {
    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let (initiator_keys, initiator_wallet) = funded_initiator(&mut bank).await;
    let fresh = Invitee::new(0);
    // Its holder already has a key (another room's contact landed on the same index).
    let taken = Invitee::new(5);
    bank.mint_key(&taken.holder().pubkey()).await.unwrap();
    let stale = GhostContact {
        ghost_id: bs58::encode([2u8; 69]).into_string(),
        invite_key: fresh.root.invite_key(0).public(),
    };
    let fresh_contact = fresh.contact(&url).await;
    let contacts = [
        fresh_contact.clone(),
        stale,
        taken.contact(&url).await,
        fresh_contact,
    ];
    let (invite, tag) = new_room("three unlucky");
    let payer = initiator_keys.pubkey();
    let nonce = bank.deposit(&initiator_keys, 4).await.unwrap();
    let after_deposit = bank.balance(&payer).await;
    let escrow = pda::escrow(&payer, &nonce);
    let escrow_balance = bank.balance(&escrow).await;
    let mut client = signed_in(&url, &initiator_wallet).await;
    let minted = client
        .create_paid_room(&nonce, &tag, &sealed_for(&contacts, &invite))
        .await
        .unwrap();
    assert_eq!(
        minted,
        vec![true, false, false, false],
        "a foreign ghostId, a holder with a key, and the same holder twice get none"
    );
    wait_until_closed(&mut bank, &escrow).await;
    assert_eq!(
        bank.balance(&payer).await,
        after_deposit + escrow_balance - PRICE_PER_KEY,
        "one key paid, three refunded with the rent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escrows_and_requests_that_do_not_fit_are_refused_by_name() {
    let mut bank = Bank::start().await;
    // Settlement waits long here, so a locked escrow stays locked for the whole test.
    let (_gateway, _, url) = spawn_paid_gateway_with(&bank, |config| {
        config.settle_delay_max_secs = 3_600;
    });
    let (initiator_keys, initiator_wallet) = funded_initiator(&mut bank).await;
    let mut contacts = Vec::new();
    for index in 0..2 {
        contacts.push(Invitee::new(index).contact(&url).await);
    }
    let (invite, tag) = new_room("refusals");
    let invitees = sealed_for(&contacts, &invite);
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    let mut client = signed_in(&url, &initiator_wallet).await;
    let refused = |result: Result<Vec<bool>, ClientError>, expected: &str| match result {
        Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), expected),
        other => panic!("expected {expected}, got {other:?}"),
    };
    refused(
        client.create_paid_room(&nonce, &tag, &invitees).await,
        "escrow_too_small",
    );
    refused(
        client
            .create_paid_room(&[9; 32], &tag, &invitees[..1])
            .await,
        "escrow_not_found",
    );
    let mut bad_invite = invitees[..1].to_vec();
    bad_invite[0].invite = "AAAA".into();
    refused(
        client.create_paid_room(&nonce, &tag, &bad_invite).await,
        "bad_invite",
    );
    assert_eq!(
        client
            .create_paid_room(&nonce, &tag, &invitees[..1])
            .await
            .unwrap(),
        vec![true]
    );
    // Locked: the escrow pays for one batch of keys only.
    refused(
        client.create_paid_room(&nonce, &tag, &invitees[1..]).await,
        "escrow_used",
    );
    // Another gateway on the same chain sees the same lock: nothing lives in memory.
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    bank.lock(&initiator_keys.pubkey(), nonce, 1).await.unwrap();
    refused(
        client.create_paid_room(&nonce, &tag, &invitees[..1]).await,
        "escrow_used",
    );
}
