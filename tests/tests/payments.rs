//! In-chat payments: a voucher travels end to end encrypted to one member, who claims it to
//! a fresh wallet; another is reclaimed by the sender after expiry. Balances are exact.

// The helpers below panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost::errors::AnoGhostError;
use anoghost::state::PaymentVault;
use anoghost_program_client::pda;
use anoghost_sdk::crypto::body::{Body, PaymentVoucher};
use anoghost_sdk::crypto::session::{RoomSession, SessionEvent};
use anoghost_sdk::payments::{claim_instruction, claim_pubkey, new_payment, reclaim_instruction};
use anoghost_tests::bank::{code, Bank, FEE_ONE_SIGNATURE};
use rand::rngs::OsRng;
use solana_sdk::signature::{Keypair, Signer};

const ROOM: u32 = 77;
const ALICE: u16 = 1111;
const BOB: u16 = 2222;
const CAROL: u16 = 3333;

/// Three sessions that have exchanged keys (payloads delivered by hand, as a relay would).
fn three_sessions() -> (RoomSession, RoomSession, RoomSession) {
    let (mut alice, _) = RoomSession::join(ROOM, ALICE, &[], None, &mut OsRng);
    let (mut bob, bob_hello) = RoomSession::join(ROOM, BOB, &[ALICE], None, &mut OsRng);
    let (mut carol, carol_hello) = RoomSession::join(ROOM, CAROL, &[ALICE, BOB], None, &mut OsRng);
    let alice_replies = alice.receive(BOB, &bob_hello, &mut OsRng).unwrap().outgoing;
    for payload in &alice_replies {
        bob.receive(ALICE, payload, &mut OsRng).unwrap();
    }
    for (session, me) in [(&mut alice, ALICE), (&mut bob, BOB)] {
        let replies = session
            .receive(CAROL, &carol_hello, &mut OsRng)
            .unwrap()
            .outgoing;
        for payload in &replies {
            let _ = carol.receive(me, payload, &mut OsRng);
        }
    }
    (alice, bob, carol)
}

/// Alice sends `voucher` to Bob only; returns what Bob read. Carol sees the frame but
/// cannot open it.
fn hand_over(
    alice: &RoomSession,
    bob: &mut RoomSession,
    carol: &mut RoomSession,
    voucher: PaymentVoucher,
) -> PaymentVoucher {
    let payload = alice
        .encrypt_direct(BOB, &Body::PaymentVoucher(voucher), &mut OsRng)
        .unwrap();
    assert!(carol
        .receive(ALICE, &payload, &mut OsRng)
        .unwrap()
        .events
        .is_empty());
    let events = bob.receive(ALICE, &payload, &mut OsRng).unwrap().events;
    match events.as_slice() {
        [SessionEvent::DirectMessage {
            from: ALICE,
            body: Body::PaymentVoucher(voucher),
        }] => voucher.clone(),
        other => panic!("expected a voucher, got {other:?}"),
    }
}

#[tokio::test]
async fn voucher_is_claimed_to_a_fresh_wallet_with_exact_balances() {
    let mut bank = Bank::start().await;
    let (alice_session, mut bob_session, mut carol_session) = three_sessions();
    let alice = bank.funded_wallet().await;
    let expiry = bank.now().await + 3_600;
    let payment = new_payment(&alice.pubkey(), 250_000_000, expiry, "localnet", &mut OsRng);
    bank.send_paid_by(std::slice::from_ref(&payment.deposit), &alice, &[])
        .await
        .unwrap();
    let vault_address = pda::payment(&claim_pubkey(&payment.voucher));
    let vault_rent = bank.balance(&vault_address).await - 250_000_000;

    let received = hand_over(
        &alice_session,
        &mut bob_session,
        &mut carol_session,
        payment.voucher,
    );
    assert_eq!(received.lamports, 250_000_000);

    // Bob claims to a wallet that has never been used; the depositor comes from the vault.
    let fresh = Keypair::new().pubkey();
    let vault: PaymentVault = bank.anchor_account(&vault_address).await;
    let claim_key = Keypair::new_from_array(*received.claim_secret);
    let alice_before = bank.balance(&alice.pubkey()).await;
    bank.send(
        &[claim_instruction(&received, &fresh, &vault.depositor)],
        &[&claim_key],
    )
    .await
    .unwrap();
    assert_eq!(bank.balance(&fresh).await, 250_000_000);
    assert_eq!(
        bank.balance(&alice.pubkey()).await,
        alice_before + vault_rent
    );
    assert!(bank.account(&vault_address).await.is_none());
}

#[tokio::test]
async fn unclaimed_voucher_is_reclaimed_after_expiry_with_exact_balances() {
    let mut bank = Bank::start().await;
    let (alice_session, mut bob_session, mut carol_session) = three_sessions();
    let alice = bank.funded_wallet().await;
    let start = bank.balance(&alice.pubkey()).await;
    let expiry = bank.now().await + 600;
    let payment = new_payment(&alice.pubkey(), 40_000_000, expiry, "localnet", &mut OsRng);
    bank.send_paid_by(std::slice::from_ref(&payment.deposit), &alice, &[])
        .await
        .unwrap();
    let voucher = payment.voucher.clone();
    let received = hand_over(
        &alice_session,
        &mut bob_session,
        &mut carol_session,
        payment.voucher,
    );

    bank.advance_clock(600).await;
    let claim_key = Keypair::new_from_array(*received.claim_secret);
    let late = claim_instruction(&received, &Keypair::new().pubkey(), &alice.pubkey());
    assert_eq!(
        bank.send(&[late], &[&claim_key]).await,
        Err(code(AnoGhostError::PaymentExpired))
    );

    bank.send_paid_by(
        &[reclaim_instruction(&voucher, &alice.pubkey())],
        &alice,
        &[],
    )
    .await
    .unwrap();
    assert_eq!(
        bank.balance(&alice.pubkey()).await,
        start - 2 * FEE_ONE_SIGNATURE,
        "everything back but the deposit and reclaim fees"
    );
}

#[test]
fn replayed_voucher_is_refused() {
    let (alice, mut bob, _) = three_sessions();
    let voucher = new_payment(&Keypair::new().pubkey(), 1, 2, "localnet", &mut OsRng).voucher;
    let payload = alice
        .encrypt_direct(BOB, &Body::PaymentVoucher(voucher), &mut OsRng)
        .unwrap();
    bob.receive(ALICE, &payload, &mut OsRng).unwrap();
    assert_eq!(
        bob.receive(ALICE, &payload, &mut OsRng).err(),
        Some(anoghost_sdk::crypto::CryptoError::Replay)
    );
}
