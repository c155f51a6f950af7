//! `room_deposit`, `room_settle` and `room_refund`: the paid-room escrow.

use anoghost::errors::AnoGhostError;
use anoghost::state::RoomEscrow;
use anoghost_program_client::{instructions as ix, pda, ConfigUpdateArgs};
use anoghost_tests::bank::{
    code, Bank, FEE_ONE_SIGNATURE, PRICE_PER_KEY, REFUND_TIMEOUT_SECS, WALLET_LAMPORTS,
};
use solana_sdk::signature::Signer;

#[tokio::test]
async fn deposit_funds_escrow_with_price_times_keys() {
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
async fn settle_pays_treasury_for_minted_keys_and_refunds_the_rest() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 5).await.expect("room_deposit");
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    let escrow_balance = bank.balance(&escrow).await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    let treasury = bank.treasury;
    let treasury_before = bank.balance(&treasury).await;

    let gateway = bank.gateway.insecure_clone();
    let settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &bank.treasury, nonce, 3);
    bank.send_paid_by(&[settle], &gateway, &[])
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
        "payer gets the unused keys and the rent back"
    );
}

#[tokio::test]
async fn settle_with_more_minted_than_paid_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    let gateway = bank.gateway.insecure_clone();
    let settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &bank.treasury, nonce, 3);
    let result = bank.send_paid_by(&[settle], &gateway, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::MintedExceedsKeys)));
    assert!(bank
        .account(&pda::escrow(&payer.pubkey(), &nonce))
        .await
        .is_some());
}

#[tokio::test]
async fn settle_by_anyone_but_gateway_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    // The payer tries to settle their own escrow as if nothing had been minted.
    let settle = ix::room_settle(&payer.pubkey(), &payer.pubkey(), &bank.treasury, nonce, 0);
    let result = bank.send_paid_by(&[settle], &payer, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotGatewayAuthority)));
}

#[tokio::test]
async fn refund_before_timeout_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    bank.advance_clock(REFUND_TIMEOUT_SECS - 10).await;
    let result = bank
        .send_paid_by(&[ix::room_refund(&payer.pubkey(), nonce)], &payer, &[])
        .await;
    assert_eq!(result, Err(code(AnoGhostError::RefundTooEarly)));
}

#[tokio::test]
async fn refund_after_timeout_returns_everything_to_payer() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("room_deposit");
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    let escrow_balance = bank.balance(&escrow).await;
    let payer_before = bank.balance(&payer.pubkey()).await;
    bank.advance_clock(REFUND_TIMEOUT_SECS).await;
    bank.send_paid_by(&[ix::room_refund(&payer.pubkey(), nonce)], &payer, &[])
        .await
        .expect("room_refund");
    assert!(bank.account(&escrow).await.is_none());
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
async fn paused_program_refuses_deposits_and_mints() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let pause = ix::config_update(
        &admin.pubkey(),
        ConfigUpdateArgs {
            paused: Some(true),
            ..Default::default()
        },
    );
    bank.send(&[pause], &[&admin]).await.expect("pause");
    let payer = bank.funded_wallet().await;
    assert_eq!(
        bank.deposit(&payer, 1).await,
        Err(code(AnoGhostError::Paused)).map(|()| [0; 32])
    );
    let minted = bank.mint_key(&payer.pubkey()).await.map(|_| ());
    assert_eq!(minted, Err(code(AnoGhostError::Paused)));
    let claim = solana_sdk::signature::Keypair::new();
    let deposit = ix::payment_deposit(
        &payer.pubkey(),
        &claim.pubkey(),
        1_000,
        bank.now().await + 60,
    );
    assert_eq!(
        bank.send_paid_by(&[deposit], &payer, &[]).await,
        Err(code(AnoGhostError::Paused))
    );
}

#[tokio::test]
async fn deposit_of_zero_or_too_many_keys_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    for keys in [0, 1001] {
        let result = bank.deposit(&payer, keys).await.map(|_| ());
        assert_eq!(
            result,
            Err(code(AnoGhostError::InvalidKeyCount)),
            "keys = {keys}"
        );
    }
}
