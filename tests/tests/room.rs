//! `room_deposit`, `room_lock`, `room_settle` and `room_refund`: the paid-room escrow's
//! happy paths, to the lamport.

use anoghost::errors::AnoGhostError;
use anoghost::state::{EscrowState, RoomEscrow};
use anoghost_program_client::{instructions as ix, pda, ConfigUpdateArgs};
use anoghost_tests::bank::{
    code, Bank, FEE_ONE_SIGNATURE, PRICE_PER_KEY, REFUND_TIMEOUT_SECS, WALLET_LAMPORTS,
};
use solana_sdk::signature::Signer;

#[tokio::test]
async fn deposit_funds_an_open_escrow_with_price_times_keys() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let now = bank.now().await;
    let nonce = bank.deposit(&payer, 3).await.expect("room_deposit");

    let address = pda::escrow(&payer.pubkey(), &nonce);
    let escrow: RoomEscrow = bank.anchor_account(&address).await;
    assert_eq!(escrow.payer, payer.pubkey());
    assert_eq!(escrow.nonce, nonce);
    assert_eq!(escrow.keys, 3);
    assert_eq!(escrow.price_per_key, PRICE_PER_KEY);
    assert_eq!(escrow.amount, 3 * PRICE_PER_KEY);
    assert_eq!(escrow.state, EscrowState::Open);
    assert_eq!(escrow.locked_keys, 0);
    assert_eq!(escrow.refundable_at, now + REFUND_TIMEOUT_SECS);

    let escrow_len = bank.account(&address).await.unwrap().data.len();
    let escrow_rent = bank.rent(escrow_len).await;
    assert_eq!(
        bank.balance(&address).await,
        escrow_rent + 3 * PRICE_PER_KEY
    );
    assert_eq!(
        bank.balance(&payer.pubkey()).await,
        WALLET_LAMPORTS - escrow_rent - 3 * PRICE_PER_KEY - FEE_ONE_SIGNATURE
    );
}

#[tokio::test]
async fn lock_restarts_the_refund_time_and_settle_pays_for_the_locked_keys() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 5).await.expect("room_deposit");
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    bank.advance_clock(600).await;
    let locked_at = bank.now().await;
    bank.lock(&payer.pubkey(), nonce, 3)
        .await
        .expect("room_lock");
    let locked: RoomEscrow = bank.anchor_account(&escrow).await;
    assert_eq!(locked.state, EscrowState::Locked);
    assert_eq!(locked.locked_keys, 3);
    assert_eq!(locked.refundable_at, locked_at + REFUND_TIMEOUT_SECS);

    let escrow_balance = bank.balance(&escrow).await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    let treasury = bank.treasury;
    let treasury_before = bank.balance(&treasury).await;
    bank.settle(&payer.pubkey(), nonce)
        .await
        .expect("room_settle");

    assert!(bank.account(&escrow).await.is_none(), "escrow closed");
    assert_eq!(
        bank.balance(&treasury).await,
        treasury_before + 3 * PRICE_PER_KEY
    );
    assert_eq!(
        bank.balance(&payer.pubkey()).await,
        payer_before + escrow_balance - 3 * PRICE_PER_KEY,
        "payer gets the unlocked keys and the rent back"
    );
}

#[tokio::test]
async fn lock_and_settle_by_anyone_but_gateway_are_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    // The payer tries to lock for nothing, then to settle its own escrow.
    let lock = ix::room_lock(&payer.pubkey(), &payer.pubkey(), nonce, 0, [7; 16]);
    let result = bank.send_paid_by(&[lock], &payer, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));
    bank.lock(&payer.pubkey(), nonce, 2)
        .await
        .expect("room_lock");
    let settle = ix::room_settle(&payer.pubkey(), &payer.pubkey(), &bank.treasury, nonce);
    let result = bank.send_paid_by(&[settle], &payer, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));
}

#[tokio::test]
async fn refund_of_an_open_escrow_waits_for_the_timeout_then_returns_everything() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    bank.advance_clock(REFUND_TIMEOUT_SECS - 10).await;
    let refund = ix::room_refund(&payer.pubkey(), nonce);
    let result = bank
        .send_paid_by(std::slice::from_ref(&refund), &payer, &[])
        .await;
    assert_eq!(result, Err(code(AnoGhostError::RefundTooEarly)));

    bank.advance_clock(10).await;
    let escrow_balance = bank.balance(&escrow).await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    bank.send_paid_by(&[refund], &payer, &[])
        .await
        .expect("room_refund");
    assert!(bank.account(&escrow).await.is_none());
    assert_eq!(
        bank.balance(&payer.pubkey()).await,
        payer_before + escrow_balance - FEE_ONE_SIGNATURE
    );
}

#[tokio::test]
async fn a_locked_escrow_the_gateway_never_settles_is_refunded_after_a_fresh_timeout() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    // Locked just before the deposit's own timeout: the lock's timeout is what counts.
    bank.advance_clock(REFUND_TIMEOUT_SECS - 1).await;
    bank.lock(&payer.pubkey(), nonce, 2)
        .await
        .expect("room_lock");
    bank.advance_clock(REFUND_TIMEOUT_SECS - 1).await;
    let refund = ix::room_refund(&payer.pubkey(), nonce);
    let result = bank
        .send_paid_by(std::slice::from_ref(&refund), &payer, &[])
        .await;
    assert_eq!(result, Err(code(AnoGhostError::RefundTooEarly)));
    bank.advance_clock(1).await;
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    let escrow_balance = bank.balance(&escrow).await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    bank.send_paid_by(&[refund], &payer, &[])
        .await
        .expect("room_refund of a locked escrow");
    assert_eq!(
        bank.balance(&payer.pubkey()).await,
        payer_before + escrow_balance - FEE_ONE_SIGNATURE
    );
}

#[tokio::test]
async fn refund_by_another_wallet_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let stranger = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    bank.advance_clock(REFUND_TIMEOUT_SECS).await;
    // The stranger's own PDA for this nonce does not exist, so the instruction cannot even
    // load an escrow to refund.
    let result = bank
        .send_paid_by(
            &[ix::room_refund(&stranger.pubkey(), nonce)],
            &stranger,
            &[],
        )
        .await;
    assert_eq!(
        result,
        Err(anoghost_tests::bank::anchor_code(
            anchor_lang::error::ErrorCode::AccountNotInitialized
        ))
    );
}

#[tokio::test]
async fn paused_program_refuses_deposits_locks_and_mints() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let open = bank
        .deposit(&payer, 1)
        .await
        .expect("deposit before the pause");
    let admin = bank.admin.insecure_clone();
    let pause = ix::config_update(
        &admin.pubkey(),
        ConfigUpdateArgs {
            paused: Some(true),
            ..Default::default()
        },
    );
    bank.send(&[pause], &[&admin]).await.expect("pause");
    assert_eq!(
        bank.deposit(&payer, 1).await,
        Err(code(AnoGhostError::Paused)).map(|()| [0; 32])
    );
    assert_eq!(
        bank.lock(&payer.pubkey(), open, 1).await,
        Err(code(AnoGhostError::Paused))
    );
    let minted = bank.mint_key(&payer.pubkey()).await.map(|_| ());
    assert_eq!(minted, Err(code(AnoGhostError::Paused)));
    let claim = solana_sdk::signature::Keypair::new();
    let deposit = ix::payment_deposit(
        &payer.pubkey(),
        &claim.pubkey(),
        1_000_000,
        bank.now().await + 60,
    );
    assert_eq!(
        bank.send_paid_by(&[deposit], &payer, &[]).await,
        Err(code(AnoGhostError::Paused))
    );
}
