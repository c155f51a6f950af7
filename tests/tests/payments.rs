//! In-chat payments: a voucher travels end to end encrypted to one member, who claims it to
//! a fresh wallet; another is reclaimed by the sender after expiry. Balances are exact.

// The helpers below panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost::errors::AnoGhostError;
use anoghost::state::PaymentVault;
use anoghost_program_client::pda;
use anoghost_protocol::frame::FrameKind;
use anoghost_sdk::mls::content::DirectContent;
use anoghost_sdk::mls::testing::Ds;
use anoghost_sdk::mls::{Admission, RoomEvent};
use anoghost_sdk::payments::{
    claim_instruction, claim_pubkey, new_payment, reclaim_instruction, PaymentVoucher,
};
use anoghost_tests::bank::{code, Bank, FEE_ONE_SIGNATURE};
use rand::rngs::OsRng;
use solana_sdk::signature::{Keypair, Signer};

const ALICE: u16 = 1111;
const BOB: u16 = 2222;
const CAROL: u16 = 3333;

/// A room of three whose members have joined the group (frames routed by the in-memory
/// Delivery Service: the chain is what these tests are about).
fn three_members() -> Ds {
    let mut ds = Ds::new(ALICE, [3; 16], Admission::Open);
    ds.join(BOB);
    ds.run();
    ds.join(CAROL);
    ds.run();
    ds
}

/// Alice sends `voucher` to Bob only; returns what Bob read. Carol receives the frame but
/// cannot open it.
fn hand_over(ds: &mut Ds, voucher: PaymentVoucher) -> PaymentVoucher {
    let out = ds
        .members
        .get_mut(&ALICE)
        .unwrap()
        .send_direct(BOB, &DirectContent::Voucher(voucher))
        .unwrap();
    ds.route(ALICE, out);
    ds.run();
    let vouchers = |member: u16| -> Vec<PaymentVoucher> {
        ds.events[&member]
            .iter()
            .filter_map(|event| match event {
                RoomEvent::Direct {
                    from: ALICE,
                    content: DirectContent::Voucher(voucher),
                } => Some(voucher.clone()),
                _ => None,
            })
            .collect()
    };
    assert!(vouchers(CAROL).is_empty(), "carol cannot open it");
    vouchers(BOB).pop().expect("bob received the voucher")
}

#[tokio::test]
async fn voucher_is_claimed_to_a_fresh_wallet_with_exact_balances() {
    let mut bank = Bank::start().await;
    let mut ds = three_members();
    let alice = bank.funded_wallet().await;
    let expiry = bank.now().await + 3_600;
    let payment = new_payment(&alice.pubkey(), 250_000_000, expiry, "localnet", &mut OsRng);
    bank.send_paid_by(std::slice::from_ref(&payment.deposit), &alice, &[])
        .await
        .unwrap();
    let vault_address = pda::payment(&claim_pubkey(&payment.voucher));
    let vault_rent = bank.balance(&vault_address).await - 250_000_000;

    let received = hand_over(&mut ds, payment.voucher);
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
    let mut ds = three_members();
    let alice = bank.funded_wallet().await;
    let start = bank.balance(&alice.pubkey()).await;
    let expiry = bank.now().await + 600;
    let payment = new_payment(&alice.pubkey(), 40_000_000, expiry, "localnet", &mut OsRng);
    bank.send_paid_by(std::slice::from_ref(&payment.deposit), &alice, &[])
        .await
        .unwrap();
    let voucher = payment.voucher.clone();
    let received = hand_over(&mut ds, payment.voucher);

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
fn a_replayed_voucher_is_refused() {
    let mut ds = three_members();
    let voucher = new_payment(&Keypair::new().pubkey(), 1, 2, "localnet", &mut OsRng).voucher;
    hand_over(&mut ds, voucher);
    let frame = ds.last_delivered(BOB, FrameKind::Group);
    ds.inject(BOB, frame);
    ds.run();
    let received = ds.events[&BOB]
        .iter()
        .filter(|e| matches!(e, RoomEvent::Direct { .. }))
        .count();
    assert_eq!(received, 1, "the replay opened nothing");
    assert!(ds
        .refusals(BOB)
        .iter()
        .any(|(_, reason)| reason.contains("SecretReuseError")));
}
