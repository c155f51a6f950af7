//! One test per attack in DESIGN.md's security list. Each builds the malicious transaction an
//! attacker could send and asserts that the program refuses it and that nothing moved.

use anchor_lang::error::ErrorCode;
use anchor_lang::solana_program::bpf_loader_upgradeable;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::{AccountSerialize, Space};
use anoghost::errors::AnoGhostError;
use anoghost::seeds::SEED_ESCROW;
use anoghost::state::PaymentVault;
use anoghost_program_client::{instructions as ix, pda, ConfigUpdateArgs, PROGRAM_ID};
use anoghost_tests::bank::{
    anchor_code, code, default_params, program_data_account, Bank, Failure,
};
use solana_sdk::account::Account;
use solana_sdk::instruction::{AccountMeta, InstructionError};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn missing_signer_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("deposit");
    // The payer names the gateway authority without its signature, to lock for 0 keys.
    let mut lock = ix::room_lock(&bank.gateway.pubkey(), &payer.pubkey(), nonce, 0, [7; 16]);
    lock.accounts[0].is_signer = false;
    let result = bank.send_paid_by(&[lock], &payer, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::AccountNotSigner)));
    assert!(bank
        .account(&pda::escrow(&payer.pubkey(), &nonce))
        .await
        .is_some());
}

#[tokio::test]
async fn account_owned_by_another_program_is_refused() {
    let mut bank = Bank::start().await;
    let attacker = bank.funded_wallet().await;
    // A byte-perfect PaymentVault naming the attacker as depositor, but not owned by us.
    let forged = forged_vault(&attacker.pubkey(), &Pubkey::new_unique());
    let address = Pubkey::new_unique();
    bank.inject(
        &address,
        Account {
            owner: Pubkey::new_unique(),
            ..forged
        },
    );
    let mut reclaim = ix::payment_reclaim(&attacker.pubkey(), &Pubkey::new_unique());
    reclaim.accounts[1].pubkey = address;
    let result = bank.send_paid_by(&[reclaim], &attacker, &[]).await;
    assert_eq!(
        result,
        Err(anchor_code(ErrorCode::AccountOwnedByWrongProgram))
    );
}

#[tokio::test]
async fn account_of_another_type_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("deposit");
    let escrow = pda::escrow(&payer.pubkey(), &nonce);
    // Type cosplay: present a RoomEscrow (same owner) where a PaymentVault is expected.
    let mut reclaim = ix::payment_reclaim(&payer.pubkey(), &Pubkey::new_unique());
    reclaim.accounts[1].pubkey = escrow;
    let result = bank.send_paid_by(&[reclaim], &payer, &[]).await;
    assert_eq!(
        result,
        Err(anchor_code(ErrorCode::AccountDiscriminatorMismatch))
    );
    assert!(bank.account(&escrow).await.is_some());
}

#[tokio::test]
async fn reinitialisation_is_refused() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let squatter = Keypair::new().pubkey();
    let again = ix::config_init(&admin.pubkey(), default_params(squatter, squatter));
    let result = bank.send(&[again], &[&admin]).await;
    assert_eq!(result, Err(code(AnoGhostError::AddressTaken)));
    let config: anoghost::state::Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.gateway_authority, bank.gateway.pubkey());

    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 2).await.expect("deposit");
    let redeposit = ix::room_deposit(&payer.pubkey(), nonce, 1);
    let result = bank.send_paid_by(&[redeposit], &payer, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::AddressTaken)));
    let escrow: anoghost::state::RoomEscrow = bank
        .anchor_account(&pda::escrow(&payer.pubkey(), &nonce))
        .await;
    assert_eq!(escrow.keys, 2, "the first deposit is untouched");
}

#[tokio::test]
async fn fake_token_program_is_refused() {
    let mut bank = Bank::start().await;
    let gateway = bank.gateway.insecure_clone();
    let holder = Keypair::new().pubkey();
    let (mut mint, address) = ix::key_mint(&gateway.pubkey(), &holder, [1; 33], [2; 97]);
    // Swap Token-2022 for the legacy token program (any other executable behaves the same).
    mint.accounts[6].pubkey = anchor_spl::token::ID;
    let result = bank.send_paid_by(&[mint], &gateway, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::InvalidProgramId)));
    assert!(bank.account(&address).await.is_none());
}

#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let mut bank = Bank::start().await;
    let depositor = bank.funded_wallet().await;
    let claim = Keypair::new();
    let expiry = bank.now().await + 600;
    let deposit = ix::payment_deposit(&depositor.pubkey(), &claim.pubkey(), 1_000_000, expiry);
    bank.send_paid_by(&[deposit], &depositor, &[])
        .await
        .expect("deposit");
    let vault = pda::payment(&claim.pubkey());
    // The vault as its own recipient would quietly send everything back to the depositor.
    let claim_ix = ix::payment_claim(&claim.pubkey(), &vault, &depositor.pubkey());
    let result = bank.send(&[claim_ix], &[&claim]).await;
    assert_eq!(result, Err(code(AnoGhostError::DuplicateMutableAccount)));
    assert!(bank.account(&vault).await.is_some());
}

#[tokio::test]
async fn non_canonical_bump_is_refused() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = [7u8; 32];
    let (canonical, canonical_bump) =
        Pubkey::find_program_address(&[SEED_ESCROW, payer.pubkey().as_ref(), &nonce], &PROGRAM_ID);
    let other = (0..canonical_bump)
        .rev()
        .find_map(|bump| {
            Pubkey::create_program_address(
                &[SEED_ESCROW, payer.pubkey().as_ref(), &nonce, &[bump]],
                &PROGRAM_ID,
            )
            .ok()
        })
        .expect("some non-canonical bump is off the curve");
    let mut deposit = ix::room_deposit(&payer.pubkey(), nonce, 1);
    deposit.accounts[2].pubkey = other;
    let result = bank.send_paid_by(&[deposit], &payer, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));
    assert!(bank.account(&other).await.is_none());
    assert!(bank.account(&canonical).await.is_none());
}

#[tokio::test]
async fn escrow_of_one_room_cannot_settle_another() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let big = bank.deposit(&payer, 10).await.expect("deposit");
    let small = bank.deposit(&payer, 1).await.expect("deposit");
    let gateway = bank.gateway.insecure_clone();
    bank.lock(&payer.pubkey(), big, 10).await.expect("lock");
    // Settle "small" (nonce) but point at "big"'s escrow account.
    let mut settle = ix::room_settle(&gateway.pubkey(), &payer.pubkey(), &bank.treasury, small);
    settle.accounts[2].pubkey = pda::escrow(&payer.pubkey(), &big);
    let result = bank.send_paid_by(&[settle], &gateway, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));

    // A key mint address belongs to one holder only.
    let holder = Keypair::new().pubkey();
    let other = Keypair::new().pubkey();
    let (mut mint, _) = ix::key_mint(&gateway.pubkey(), &holder, [1; 33], [2; 97]);
    mint.accounts[3].pubkey = pda::key_mint(&other);
    let result = bank.send_paid_by(&[mint], &gateway, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));
}

#[tokio::test]
async fn closed_account_cannot_be_revived() {
    let mut bank = Bank::start().await;
    let depositor = bank.funded_wallet().await;
    let claim = Keypair::new();
    let expiry = bank.now().await + 600;
    let deposit = ix::payment_deposit(&depositor.pubkey(), &claim.pubkey(), 1_000_000, expiry);
    bank.send_paid_by(&[deposit], &depositor, &[])
        .await
        .expect("deposit");
    let first = Keypair::new().pubkey();
    let claim_ix = ix::payment_claim(&claim.pubkey(), &first, &depositor.pubkey());
    bank.send(&[claim_ix], &[&claim]).await.expect("claim");

    // Refill the closed address with rent in the same transaction as a second claim.
    let vault = pda::payment(&claim.pubkey());
    let refill = system_instruction::transfer(&depositor.pubkey(), &vault, 10_000_000);
    let second = Keypair::new().pubkey();
    let again = ix::payment_claim(&claim.pubkey(), &second, &depositor.pubkey());
    let result = bank
        .send_paid_by(&[refill, again], &depositor, &[&claim])
        .await;
    assert_eq!(
        result,
        Err(anchor_code(ErrorCode::AccountOwnedByWrongProgram))
    );
    assert_eq!(bank.balance(&second).await, 0);
}

#[tokio::test]
async fn spoofed_clock_and_program_data_are_ignored() {
    let mut bank = Bank::start().await;
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 1).await.expect("deposit");

    // A forged Clock a year in the future, passed along with the refund: the program reads
    // the time from the runtime, never from an account the caller supplies.
    let mut clock = bank.clock().await;
    clock.unix_timestamp += 365 * 24 * 3600;
    let fake_clock = Pubkey::new_unique();
    bank.inject(
        &fake_clock,
        Account {
            lamports: 1_000_000_000,
            data: bincode::serialize(&clock).expect("clock serialises"),
            owner: solana_sdk::sysvar::ID,
            executable: false,
            rent_epoch: 0,
        },
    );
    let mut refund = ix::room_refund(&payer.pubkey(), nonce);
    refund
        .accounts
        .push(AccountMeta::new_readonly(fake_clock, false));
    let result = bank.send_paid_by(&[refund], &payer, &[]).await;
    assert_eq!(result, Err(code(AnoGhostError::RefundTooEarly)));

    // A ProgramData account of some other program, whose upgrade authority is the attacker.
    let mut fresh = Bank::start_uninitialised().await;
    let attacker = fresh.funded_wallet().await;
    let foreign_program_data = Pubkey::find_program_address(
        &[Pubkey::new_unique().as_ref()],
        &bpf_loader_upgradeable::ID,
    )
    .0;
    fresh.inject(
        &foreign_program_data,
        program_data_account(Some(attacker.pubkey())),
    );
    let mut init = ix::config_init(
        &attacker.pubkey(),
        default_params(attacker.pubkey(), attacker.pubkey()),
    );
    init.accounts[2].pubkey = foreign_program_data;
    let result = fresh.send(&[init], &[&attacker]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));
    assert!(fresh.account(&pda::config()).await.is_none());
}

#[tokio::test]
async fn overflowing_price_times_keys_is_refused() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let update = ix::config_update(
        &admin.pubkey(),
        ConfigUpdateArgs {
            price_per_key: Some(u64::MAX),
            ..Default::default()
        },
    );
    bank.send(&[update], &[&admin])
        .await
        .expect("max price is a valid setting");
    let payer = bank.funded_wallet().await;
    let result = bank.deposit(&payer, 2).await.map(|_| ());
    assert_eq!(result, Err(code(AnoGhostError::ArithmeticOverflow)));
    // One key at u64::MAX does not overflow; it fails because nobody has that much.
    let result = bank.deposit(&payer, 1).await.map(|_| ());
    assert!(
        matches!(
            result,
            Err(Failure::Custom(1)) | Err(Failure::Instruction(InstructionError::Custom(1)))
        ),
        "expected insufficient funds, got {result:?}"
    );
}

fn forged_vault(depositor: &Pubkey, claim: &Pubkey) -> Account {
    let vault = PaymentVault {
        depositor: *depositor,
        claim_pubkey: *claim,
        amount: 1,
        expiry: 0,
        bump: 255,
    };
    let mut data = Vec::with_capacity(8 + PaymentVault::INIT_SPACE);
    vault.try_serialize(&mut data).expect("serialise vault");
    Account {
        lamports: 1_000_000_000,
        data,
        owner: PROGRAM_ID,
        executable: false,
        rent_epoch: 0,
    }
}
