//! `payment_deposit`, `payment_claim` and `payment_reclaim`: claimable in-chat payments.

use anchor_lang::error::ErrorCode;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::Space;
use anoghost::errors::AnoGhostError;
use anoghost::state::PaymentVault;
use anoghost_program_client::{instructions as ix, pda};
use anoghost_tests::bank::{anchor_code, code, Bank, Failure, FEE_ONE_SIGNATURE};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

const AMOUNT: u64 = 250_000_000;
const LIFETIME_SECS: i64 = 3_600;

struct OpenPayment {
    depositor: Keypair,
    claim: Keypair,
    vault_rent: u64,
}

async fn open_payment(bank: &mut Bank) -> OpenPayment {
    let depositor = bank.funded_wallet().await;
    let claim = Keypair::new();
    let expiry = bank.now().await + LIFETIME_SECS;
    let deposit = ix::payment_deposit(&depositor.pubkey(), &claim.pubkey(), AMOUNT, expiry);
    bank.send_paid_by(&[deposit], &depositor, &[])
        .await
        .expect("payment_deposit");
    let vault = pda::payment(&claim.pubkey());
    let vault_rent = bank.balance(&vault).await - AMOUNT;
    OpenPayment {
        depositor,
        claim,
        vault_rent,
    }
}

#[tokio::test]
async fn deposit_locks_amount_for_the_claim_key() {
    let mut bank = Bank::start().await;
    let now = bank.now().await;
    let open = open_payment(&mut bank).await;
    let vault: PaymentVault = bank
        .anchor_account(&pda::payment(&open.claim.pubkey()))
        .await;
    assert_eq!(vault.depositor, open.depositor.pubkey());
    assert_eq!(vault.claim_pubkey, open.claim.pubkey());
    assert_eq!(vault.amount, AMOUNT);
    assert_eq!(vault.expiry, now + LIFETIME_SECS);
    let rent = bank.rent(8 + PaymentVault::INIT_SPACE).await;
    assert_eq!(open.vault_rent, rent);
}

#[tokio::test]
async fn claim_pays_a_fresh_wallet_exactly_and_returns_rent_to_depositor() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let recipient = Keypair::new().pubkey();
    let depositor_before = bank.balance(&open.depositor.pubkey()).await;
    let claim = ix::payment_claim(&open.claim.pubkey(), &recipient, &open.depositor.pubkey());
    bank.send(&[claim], &[&open.claim])
        .await
        .expect("payment_claim");
    assert_eq!(bank.balance(&recipient).await, AMOUNT);
    assert_eq!(
        bank.balance(&open.depositor.pubkey()).await,
        depositor_before + open.vault_rent
    );
    assert!(bank
        .account(&pda::payment(&open.claim.pubkey()))
        .await
        .is_none());
}

#[tokio::test]
async fn claim_with_wrong_claim_key_is_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let guesser = Keypair::new();
    let recipient = Keypair::new().pubkey();
    // The guesser signs, pointing at the real payment account.
    let mut claim = ix::payment_claim(&guesser.pubkey(), &recipient, &open.depositor.pubkey());
    claim.accounts[1].pubkey = pda::payment(&open.claim.pubkey());
    let result = bank.send(&[claim], &[&guesser]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));
    assert_eq!(bank.balance(&recipient).await, 0);
    assert!(bank
        .account(&pda::payment(&open.claim.pubkey()))
        .await
        .is_some());
}

#[tokio::test]
async fn double_claim_is_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let first = Keypair::new().pubkey();
    let second = Keypair::new().pubkey();
    let depositor = open.depositor.pubkey();
    bank.send(
        &[ix::payment_claim(&open.claim.pubkey(), &first, &depositor)],
        &[&open.claim],
    )
    .await
    .expect("first claim");
    let result = bank
        .send(
            &[ix::payment_claim(&open.claim.pubkey(), &second, &depositor)],
            &[&open.claim],
        )
        .await;
    assert_eq!(result, Err(anchor_code(ErrorCode::AccountNotInitialized)));
    assert_eq!(bank.balance(&second).await, 0);
}

#[tokio::test]
async fn reclaim_before_expiry_is_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    bank.advance_clock(LIFETIME_SECS - 1).await;
    let reclaim = ix::payment_reclaim(&open.depositor.pubkey(), &open.claim.pubkey());
    let result = bank.send_paid_by(&[reclaim], &open.depositor, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::PaymentNotExpired)));
}

#[tokio::test]
async fn reclaim_after_expiry_returns_everything_and_claim_is_then_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    bank.advance_clock(LIFETIME_SECS).await;

    let recipient = Keypair::new().pubkey();
    let late_claim = ix::payment_claim(&open.claim.pubkey(), &recipient, &open.depositor.pubkey());
    let result = bank.send(&[late_claim], &[&open.claim]).await;
    assert_eq!(result, Err(code(AnoGhostError::PaymentExpired)));

    let before = bank.balance(&open.depositor.pubkey()).await;
    let reclaim = ix::payment_reclaim(&open.depositor.pubkey(), &open.claim.pubkey());
    bank.send_paid_by(&[reclaim], &open.depositor, &[])
        .await
        .expect("reclaim");
    assert_eq!(
        bank.balance(&open.depositor.pubkey()).await,
        before + AMOUNT + open.vault_rent - FEE_ONE_SIGNATURE
    );
}

#[tokio::test]
async fn reclaim_by_another_wallet_is_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let thief = bank.funded_wallet().await;
    bank.advance_clock(LIFETIME_SECS).await;
    let reclaim = ix::payment_reclaim(&thief.pubkey(), &open.claim.pubkey());
    let result = bank.send_paid_by(&[reclaim], &thief, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::WrongPayer)));
}

#[tokio::test]
async fn deposit_below_the_rent_minimum_or_with_a_bad_expiry_is_refused() {
    let mut bank = Bank::start().await;
    let depositor = bank.funded_wallet().await;
    let now = bank.now().await;
    // Below this, a claim to a brand-new wallet could not land.
    let floor = bank.rent(0).await;
    let cases = [
        (0, now + 60, Some(AnoGhostError::AmountBelowRentMinimum)),
        (
            floor - 1,
            now + 60,
            Some(AnoGhostError::AmountBelowRentMinimum),
        ),
        (AMOUNT, now, Some(AnoGhostError::InvalidExpiry)),
        (
            AMOUNT,
            now + 31 * 24 * 3600,
            Some(AnoGhostError::InvalidExpiry),
        ),
        (floor, now + 60, None),
    ];
    for (amount, expiry, error) in cases {
        let claim = Keypair::new().pubkey();
        let deposit = ix::payment_deposit(&depositor.pubkey(), &claim, amount, expiry);
        let result: Result<(), Failure> = bank.send_paid_by(&[deposit], &depositor, &[]).await;
        assert_eq!(
            result,
            error.map_or(Ok(()), |e| Err(code(e))),
            "amount {amount}, expiry {expiry}"
        );
    }
}

#[tokio::test]
async fn the_smallest_payment_is_claimed_to_a_brand_new_wallet() {
    let mut bank = Bank::start().await;
    let depositor = bank.funded_wallet().await;
    let claim = Keypair::new();
    let floor = bank.rent(0).await;
    let expiry = bank.now().await + 60;
    let deposit = ix::payment_deposit(&depositor.pubkey(), &claim.pubkey(), floor, expiry);
    bank.send_paid_by(&[deposit], &depositor, &[])
        .await
        .unwrap();
    let fresh = Keypair::new().pubkey();
    let claim_ix = ix::payment_claim(&claim.pubkey(), &fresh, &depositor.pubkey());
    bank.send(&[claim_ix], &[&claim]).await.expect("claim");
    assert_eq!(bank.balance(&fresh).await, floor);
}

const CLOSED: Failure = Failure::Custom(ErrorCode::AccountNotInitialized as u32);

#[tokio::test]
async fn claim_after_reclaim_and_reclaim_after_claim_are_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    bank.advance_clock(LIFETIME_SECS).await;
    let reclaim = ix::payment_reclaim(&open.depositor.pubkey(), &open.claim.pubkey());
    bank.send_paid_by(&[reclaim], &open.depositor, &[])
        .await
        .expect("reclaim");
    let recipient = Keypair::new().pubkey();
    let claim = ix::payment_claim(&open.claim.pubkey(), &recipient, &open.depositor.pubkey());
    assert_eq!(bank.send(&[claim], &[&open.claim]).await, Err(CLOSED));
    assert_eq!(bank.balance(&recipient).await, 0);

    let open = open_payment(&mut bank).await;
    let claim = ix::payment_claim(&open.claim.pubkey(), &recipient, &open.depositor.pubkey());
    bank.send(&[claim], &[&open.claim]).await.expect("claim");
    bank.advance_clock(LIFETIME_SECS).await;
    let reclaim = ix::payment_reclaim(&open.depositor.pubkey(), &open.claim.pubkey());
    let result = bank.send_paid_by(&[reclaim], &open.depositor, &[]).await;
    assert_eq!(result, Err(CLOSED));
    assert_eq!(bank.balance(&recipient).await, AMOUNT, "paid once");
}

#[tokio::test]
async fn two_claims_in_one_transaction_pay_once() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let first = Keypair::new().pubkey();
    let second = Keypair::new().pubkey();
    let depositor = open.depositor.pubkey();
    let claims = [
        ix::payment_claim(&open.claim.pubkey(), &first, &depositor),
        ix::payment_claim(&open.claim.pubkey(), &second, &depositor),
    ];
    assert_eq!(bank.send(&claims, &[&open.claim]).await, Err(CLOSED));
    assert_eq!(
        bank.balance(&first).await,
        0,
        "the whole transaction failed"
    );
    assert_eq!(bank.balance(&second).await, 0);
}

#[tokio::test]
async fn rent_redirected_in_a_claim_is_refused() {
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let recipient = Keypair::new().pubkey();
    // The claimer names itself as the depositor, to pocket the vault's rent too.
    let claim = ix::payment_claim(&open.claim.pubkey(), &recipient, &recipient);
    let result = bank.send(&[claim], &[&open.claim]).await;
    assert_eq!(result, Err(code(AnoGhostError::WrongPayer)));
    assert_eq!(bank.balance(&recipient).await, 0);
}

#[tokio::test]
async fn a_depositor_that_reassigns_its_wallet_cannot_block_a_claim() {
    // F3: with a `SystemAccount` depositor, reassigning the wallet would fail every claim
    // until expiry, and then the depositor would reclaim.
    let mut bank = Bank::start().await;
    let open = open_payment(&mut bank).await;
    let depositor = open.depositor.pubkey();
    let assign = system_instruction::assign(&depositor, &Pubkey::new_unique());
    bank.send_paid_by(&[assign], &open.depositor, &[])
        .await
        .expect("a wallet may reassign itself");
    let recipient = Keypair::new().pubkey();
    let before = bank.balance(&depositor).await;
    let claim = ix::payment_claim(&open.claim.pubkey(), &recipient, &depositor);
    bank.send(&[claim], &[&open.claim])
        .await
        .expect("the claim goes through");
    assert_eq!(bank.balance(&recipient).await, AMOUNT);
    assert_eq!(bank.balance(&depositor).await, before + open.vault_rent);
}
