//! Attacks on the paid-room escrow, each refused for its specific reason: settling or
//! refunding twice in every order, locking twice, a foreign treasury, a payer that blocks
//! its own settlement, and counts at the u16 limit.

use anchor_lang::error::ErrorCode;
use anchor_lang::solana_program::system_instruction;
use anoghost::errors::AnoGhostError;
use anoghost::state::RoomEscrow;
use anoghost_program_client::{instructions as ix, pda};
use anoghost_tests::bank::{anchor_code, code, Bank, Failure, PRICE_PER_KEY, REFUND_TIMEOUT_SECS};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

async fn locked_escrow(bank: &mut Bank, keys: u16, locked: u16) -> (Keypair, [u8; 32]) {
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, keys).await.expect("room_deposit");
    bank.lock(&payer.pubkey(), nonce, locked)
        .await
        .expect("room_lock");
    (payer, nonce)
}

const CLOSED: Failure = Failure::Custom(ErrorCode::AccountNotInitialized as u32);

#[tokio::test]
async fn double_settle_is_refused_in_one_transaction_and_in_two() {
    let mut bank = Bank::start().await;
    let (payer, nonce) = locked_escrow(&mut bank, 3, 2).await;
    let treasury_before = bank.treasury_balance().await;
    let gateway = bank.gateway.insecure_clone();
    let settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &bank.treasury, nonce);
    let result = bank
        .send_paid_by(&[settle.clone(), settle], &gateway, &[])
        .await;
    assert_eq!(
        result,
        Err(CLOSED),
        "the second settle sees a closed escrow"
    );
    bank.settle(&payer.pubkey(), nonce)
        .await
        .expect("one settle");
    assert_eq!(bank.settle(&payer.pubkey(), nonce).await, Err(CLOSED));
    assert_eq!(
        bank.treasury_balance().await,
        treasury_before + 2 * PRICE_PER_KEY,
        "paid once"
    );
}

#[tokio::test]
async fn settle_after_refund_and_refund_after_settle_are_refused() {
    let mut bank = Bank::start().await;
    let (payer, nonce) = locked_escrow(&mut bank, 2, 2).await;
    bank.advance_clock(REFUND_TIMEOUT_SECS).await;
    let refund = ix::room_refund(&payer.pubkey(), nonce);
    bank.send_paid_by(&[refund], &payer, &[])
        .await
        .expect("refund after the lock's timeout");
    assert_eq!(bank.settle(&payer.pubkey(), nonce).await, Err(CLOSED));

    let (payer, nonce) = locked_escrow(&mut bank, 2, 2).await;
    bank.settle(&payer.pubkey(), nonce).await.expect("settle");
    bank.advance_clock(REFUND_TIMEOUT_SECS).await;
    let refund = ix::room_refund(&payer.pubkey(), nonce);
    let result = bank.send_paid_by(&[refund], &payer, &[]).await;
    assert_eq!(result, Err(CLOSED));
}

#[tokio::test]
async fn refund_of_a_locked_escrow_before_its_timeout_is_refused() {
    // F4: the payer waits for the deposit's timeout to refund the moment it may; the
    // gateway's lock came first and restarted the clock.
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    bank.advance_clock(REFUND_TIMEOUT_SECS).await;
    bank.lock(&payer.pubkey(), nonce, 2)
        .await
        .expect("room_lock");
    let refund = ix::room_refund(&payer.pubkey(), nonce);
    let result = bank.send_paid_by(&[refund], &payer, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::RefundTooEarly)));
    bank.settle(&payer.pubkey(), nonce)
        .await
        .expect("the gateway settles what it locked");
}

#[tokio::test]
async fn lock_of_a_locked_escrow_and_settle_of_an_open_one_are_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 3).await.expect("room_deposit");
    bank.lock_as(&payer.pubkey(), nonce, 1, [1; 16])
        .await
        .expect("room_lock");
    assert_eq!(
        bank.lock_as(&payer.pubkey(), nonce, 1, [2; 16]).await,
        Err(code(AnoGhostError::EscrowNotOpen)),
        "a second lock of the same count could pass for the first"
    );
    assert_eq!(
        bank.lock(&payer.pubkey(), nonce, 3).await,
        Err(code(AnoGhostError::EscrowNotOpen)),
        "a second lock could raise what settlement charges"
    );
    let escrow: RoomEscrow = bank
        .anchor_account(&pda::escrow(&payer.pubkey(), &nonce))
        .await;
    assert_eq!(escrow.locked_keys, 1);
    assert_eq!(
        escrow.lock_id, [1; 16],
        "the escrow names the lock that landed, which a gateway checks before minting"
    );

    let open = bank.deposit(&payer, 1).await.expect("room_deposit");
    assert_eq!(
        bank.settle(&payer.pubkey(), open).await,
        Err(code(AnoGhostError::EscrowNotLocked))
    );
}

#[tokio::test]
async fn a_treasury_that_is_not_the_configs_is_refused() {
    let mut bank = Bank::start().await;
    let (payer, nonce) = locked_escrow(&mut bank, 2, 2).await;
    let gateway = bank.gateway.insecure_clone();
    let thief = Keypair::new().pubkey();
    let settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &thief, nonce);
    let result = bank.send_paid_by(&[settle], &gateway, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::WrongTreasury)));
    assert_eq!(bank.balance(&thief).await, 0);
}

#[tokio::test]
async fn rent_redirected_away_from_the_payer_is_refused() {
    let mut bank = Bank::start().await;
    let (payer, nonce) = locked_escrow(&mut bank, 2, 2).await;
    let gateway = bank.gateway.insecure_clone();
    let mut settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &bank.treasury, nonce);
    // The escrow account stays right; only the account credited with the refund changes.
    settle.accounts[3].pubkey = gateway.pubkey();
    let result = bank.send_paid_by(&[settle], &gateway, &[]).await;
    // The escrow's address is derived from its payer, so another payer names no escrow.
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));
}

#[tokio::test]
async fn a_payer_that_reassigns_its_wallet_cannot_block_settlement() {
    // F2: the payer hands its wallet to a program of its own, so a `SystemAccount` payer
    // would fail the settlement and the payer would refund after the timeout, keys and all.
    let mut bank = Bank::start().await;
    let (payer, nonce) = locked_escrow(&mut bank, 3, 3).await;
    let its_program = Pubkey::new_unique();
    let assign = system_instruction::assign(&payer.pubkey(), &its_program);
    bank.send_paid_by(&[assign], &payer, &[])
        .await
        .expect("a wallet may reassign itself");
    assert_eq!(
        bank.account(&payer.pubkey()).await.unwrap().owner,
        its_program
    );

    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    let escrow_balance = bank.balance(&escrow).await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    let treasury_before = bank.treasury_balance().await;
    bank.settle(&payer.pubkey(), nonce)
        .await
        .expect("settlement goes through");
    assert_eq!(
        bank.treasury_balance().await,
        treasury_before + 3 * PRICE_PER_KEY
    );
    assert_eq!(
        bank.balance(&payer.pubkey()).await,
        payer_before + escrow_balance - 3 * PRICE_PER_KEY
    );
}

#[tokio::test]
async fn key_counts_at_the_u16_limit() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    for keys in [0, 1001, u16::MAX] {
        let result = bank.deposit(&payer, keys).await.map(|_| ());
        assert_eq!(
            result,
            Err(code(AnoGhostError::InvalidKeyCount)),
            "keys = {keys}"
        );
    }
    let rich = bank.funded_wallet().await;
    bank.fund(&rich.pubkey(), 1000 * PRICE_PER_KEY).await;
    let nonce = bank
        .deposit(&rich, 1000)
        .await
        .expect("1000 keys is the maximum");
    for locked in [1001, u16::MAX] {
        assert_eq!(
            bank.lock(&rich.pubkey(), nonce, locked).await,
            Err(code(AnoGhostError::LockExceedsKeys)),
            "locked = {locked}"
        );
    }
    bank.lock(&rich.pubkey(), nonce, 1000)
        .await
        .expect("lock all");
    let treasury_before = bank.treasury_balance().await;
    bank.settle(&rich.pubkey(), nonce).await.expect("settle");
    assert_eq!(
        bank.treasury_balance().await,
        treasury_before + 1000 * PRICE_PER_KEY
    );
    // Locking zero keys is allowed (every invitee failed to open) and charges nothing.
    let (payer, nonce) = locked_escrow(&mut bank, 1, 0).await;
    let treasury_before = bank.treasury_balance().await;
    bank.settle(&payer.pubkey(), nonce).await.expect("settle 0");
    assert_eq!(bank.treasury_balance().await, treasury_before);
}
