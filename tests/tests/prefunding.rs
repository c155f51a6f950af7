//! Pre-funding: every address the program creates an account at follows from public values
//! (the program id, a payer and a nonce, a claim key, a holder), so anyone can send lamports
//! there first. Each instruction must still succeed (F1, F7, F8).

use anchor_lang::AccountDeserialize;
use anoghost::state::{Config, PaymentVault, RoomEscrow};
use anoghost_program_client::key::read_key_mint;
use anoghost_program_client::{instructions as ix, key_token_account, pda};
use anoghost_tests::bank::{default_params, Bank};
use solana_sdk::signature::{Keypair, Signer};

/// The smallest amount an outsider can leave at a fresh address: the rent-exempt minimum
/// of an empty account (anything less is refused by the runtime).
async fn griefing_amount(bank: &mut Bank) -> u64 {
    bank.rent(0).await
}

#[tokio::test]
async fn config_init_succeeds_on_a_pre_funded_config_address() {
    let mut bank = Bank::start_uninitialised().await;
    let gift = griefing_amount(&mut bank).await;
    bank.fund(&pda::config(), gift).await;
    let admin = bank.admin.insecure_clone();
    let params = default_params(bank.gateway.pubkey(), bank.treasury);
    bank.send(&[ix::config_init(&admin.pubkey(), params)], &[&admin])
        .await
        .expect("config_init after someone funded its address");
    let account = bank.account(&pda::config()).await.unwrap();
    let config = Config::try_deserialize(&mut account.data.as_slice()).unwrap();
    assert_eq!(config.admin, admin.pubkey());
    assert_eq!(account.lamports, bank.rent(account.data.len()).await);
}

#[tokio::test]
async fn room_deposit_succeeds_on_a_pre_funded_escrow_address() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce: [u8; 32] = rand::random();
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    let gift = griefing_amount(&mut bank).await;
    bank.fund(&escrow, gift).await;
    bank.send_paid_by(&[ix::room_deposit(&payer.pubkey(), nonce, 2)], &payer, &[])
        .await
        .expect("room_deposit after someone funded its address");
    let state: RoomEscrow = bank.anchor_account(&escrow).await;
    assert_eq!((state.payer, state.keys), (payer.pubkey(), 2));
    let len = bank.account(&escrow).await.unwrap().data.len();
    let rent = bank.rent(len).await;
    assert_eq!(bank.balance(&escrow).await, rent.max(gift) + state.amount);
}

#[tokio::test]
async fn payment_deposit_succeeds_on_a_pre_funded_vault_address() {
    let mut bank = Bank::start().await;
    let depositor = bank.funded_wallet().await;
    let claim = Keypair::new();
    let vault = pda::payment(&claim.pubkey());
    // More than the vault's rent: nothing needs topping up, and the gift goes back with it.
    bank.fund(&vault, 1_000_000_000).await;
    let expiry = bank.now().await + 600;
    let deposit = ix::payment_deposit(&depositor.pubkey(), &claim.pubkey(), 5_000_000, expiry);
    bank.send_paid_by(&[deposit], &depositor, &[])
        .await
        .expect("payment_deposit after someone funded its address");
    let state: PaymentVault = bank.anchor_account(&vault).await;
    assert_eq!(
        (state.depositor, state.amount),
        (depositor.pubkey(), 5_000_000)
    );
    let recipient = Keypair::new().pubkey();
    let claim_ix = ix::payment_claim(&claim.pubkey(), &recipient, &depositor.pubkey());
    bank.send(&[claim_ix], &[&claim]).await.expect("claim");
    assert_eq!(bank.balance(&recipient).await, 5_000_000);
}

#[tokio::test]
async fn key_mint_succeeds_on_pre_funded_mint_and_token_account_addresses() {
    let mut bank = Bank::start().await;
    let holder = Keypair::new().pubkey();
    let mint = pda::key_mint(&holder);
    let holding = key_token_account(&holder, &mint);
    let gift = griefing_amount(&mut bank).await;
    bank.fund(&mint, gift).await;
    // The associated token program tops up, allocates and assigns a pre-funded address
    // itself; this shows it does.
    bank.fund(&holding, gift).await;
    let key = bank
        .mint_key(&holder)
        .await
        .expect("key_mint after someone funded both addresses");
    let account = bank.account(&key.mint).await.unwrap();
    assert_eq!(read_key_mint(&account.data).unwrap().supply, 1);
    assert_eq!(account.lamports, bank.rent(account.data.len()).await);
    let holding_account = bank.account(&holding).await.unwrap();
    assert_eq!(holding_account.owner, anchor_spl::token_2022::ID);
    assert_eq!(
        holding_account.lamports,
        bank.rent(holding_account.data.len()).await
    );
}
