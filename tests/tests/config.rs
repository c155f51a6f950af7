//! `config_init`, `config_update`, and the two-step admin handover.

use anchor_lang::error::ErrorCode;
use anchor_lang::{AccountSerialize, Space};
use anoghost::errors::AnoGhostError;
use anoghost::state::Config;
use anoghost_program_client::{instructions as ix, pda, ConfigUpdateArgs, PROGRAM_ID};
use anoghost_tests::bank::{
    anchor_code, code, default_params, Bank, PRICE_PER_KEY, REFUND_TIMEOUT_SECS,
};
use solana_sdk::account::Account;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn upgrade_authority_initialises_config() {
    let mut bank = Bank::start().await;
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.admin, bank.admin.pubkey());
    assert_eq!(config.pending_admin, None);
    assert_eq!(config.gateway_authority, bank.gateway.pubkey());
    assert_eq!(config.treasury, bank.treasury);
    assert_eq!(config.price_per_key, PRICE_PER_KEY);
    assert_eq!(config.refund_timeout_secs, REFUND_TIMEOUT_SECS);
    assert!(!config.paused);
}

#[tokio::test]
async fn config_init_by_anyone_but_upgrade_authority_is_refused() {
    let mut bank = Bank::start_uninitialised().await;
    let squatter = bank.funded_wallet().await;
    let params = default_params(squatter.pubkey(), squatter.pubkey());
    let result = bank
        .send(&[ix::config_init(&squatter.pubkey(), params)], &[&squatter])
        .await;
    assert_eq!(result, Err(code(AnoGhostError::NotUpgradeAuthority)));
    assert!(bank.account(&pda::config()).await.is_none());
}

#[tokio::test]
async fn admin_handover_needs_a_proposal_and_the_new_admins_acceptance() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let next_admin = bank.funded_wallet().await;
    let stranger = bank.funded_wallet().await;

    let early = ix::admin_accept(&next_admin.pubkey());
    let result = bank.send(&[early], &[&next_admin]).await;
    assert_eq!(
        result,
        Err(code(AnoGhostError::NotProposedAdmin)),
        "nothing proposed"
    );

    let by_stranger = ix::admin_propose(&stranger.pubkey(), &stranger.pubkey());
    let result = bank.send(&[by_stranger], &[&stranger]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotAdmin)));

    let propose = ix::admin_propose(&admin.pubkey(), &next_admin.pubkey());
    bank.send(&[propose], &[&admin])
        .await
        .expect("admin_propose");
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.admin, admin.pubkey(), "nothing changes hands yet");
    assert_eq!(config.pending_admin, Some(next_admin.pubkey()));

    let hijack = ix::admin_accept(&stranger.pubkey());
    let result = bank.send(&[hijack], &[&stranger]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotProposedAdmin)));

    let accept = ix::admin_accept(&next_admin.pubkey());
    bank.send(&[accept], &[&next_admin])
        .await
        .expect("admin_accept");
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(
        (config.admin, config.pending_admin),
        (next_admin.pubkey(), None)
    );

    let pause = ConfigUpdateArgs {
        paused: Some(true),
        ..Default::default()
    };
    let result = bank
        .send(
            &[ix::config_update(&admin.pubkey(), pause.clone())],
            &[&admin],
        )
        .await;
    assert_eq!(
        result,
        Err(code(AnoGhostError::NotAdmin)),
        "old admin lost control"
    );
    bank.send(
        &[ix::config_update(&next_admin.pubkey(), pause)],
        &[&next_admin],
    )
    .await
    .expect("new admin pauses");
}

#[tokio::test]
async fn admin_updates_config_values() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let new_gateway = Keypair::new().pubkey();
    let new_treasury = Keypair::new().pubkey();
    let floor = bank.rent(0).await;
    let update = ix::config_update(
        &admin.pubkey(),
        ConfigUpdateArgs {
            gateway_authority: Some(new_gateway),
            treasury: Some(new_treasury),
            price_per_key: Some(floor),
            refund_timeout_secs: Some(60),
            paused: Some(true),
        },
    );
    bank.send(&[update], &[&admin])
        .await
        .expect("config_update");
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(
        config.admin,
        admin.pubkey(),
        "config_update never changes the admin"
    );
    assert_eq!(config.gateway_authority, new_gateway);
    assert_eq!(config.treasury, new_treasury);
    assert_eq!(config.price_per_key, floor);
    assert_eq!(config.refund_timeout_secs, 60);
    assert!(config.paused);
}

#[tokio::test]
async fn config_update_by_non_admin_is_refused() {
    let mut bank = Bank::start().await;
    let stranger = bank.funded_wallet().await;
    let update = ix::config_update(
        &stranger.pubkey(),
        ConfigUpdateArgs {
            treasury: Some(stranger.pubkey()),
            ..Default::default()
        },
    );
    let result = bank.send(&[update], &[&stranger]).await;
    assert_eq!(result, Err(code(AnoGhostError::NotAdmin)));
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.treasury, bank.treasury);
}

#[tokio::test]
async fn out_of_range_config_values_are_refused() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let floor = bank.rent(0).await;
    let cases = [
        (Some(0), None),
        (Some(floor - 1), None),
        (None, Some(0)),
        (None, Some(59)),
        (None, Some(31 * 24 * 3600)),
    ];
    for (price_per_key, refund_timeout_secs) in cases {
        let args = ConfigUpdateArgs {
            price_per_key,
            refund_timeout_secs,
            ..Default::default()
        };
        let result = bank
            .send(
                &[ix::config_update(&admin.pubkey(), args.clone())],
                &[&admin],
            )
            .await;
        assert_eq!(result, Err(code(AnoGhostError::InvalidConfig)), "{args:?}");
    }
}

/// An account owned by some other program, where a treasury should be a plain wallet.
fn program_owned_account() -> Account {
    Account {
        lamports: 1_000_000_000,
        data: vec![],
        owner: Pubkey::new_unique(),
        executable: false,
        rent_epoch: 0,
    }
}

#[tokio::test]
async fn a_treasury_not_owned_by_the_system_program_is_refused() {
    let mut fresh = Bank::start_uninitialised().await;
    let admin = fresh.admin.insecure_clone();
    let treasury = Pubkey::new_unique();
    fresh.inject(&treasury, program_owned_account());
    let params = default_params(fresh.gateway.pubkey(), treasury);
    let result = fresh
        .send(&[ix::config_init(&admin.pubkey(), params)], &[&admin])
        .await;
    assert_eq!(result, Err(code(AnoGhostError::TreasuryNotSystemOwned)));
    assert!(fresh.account(&pda::config()).await.is_none());

    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    bank.inject(&treasury, program_owned_account());
    let args = ConfigUpdateArgs {
        treasury: Some(treasury),
        ..Default::default()
    };
    let update = ix::config_update(&admin.pubkey(), args.clone());
    let result = bank.send(&[update], &[&admin]).await;
    assert_eq!(result, Err(code(AnoGhostError::TreasuryNotSystemOwned)));

    // Naming a new treasury without passing its account (so its owner goes unchecked).
    let mut unchecked = ix::config_update(&admin.pubkey(), args);
    unchecked.accounts[2].pubkey = PROGRAM_ID;
    let result = bank.send(&[unchecked], &[&admin]).await;
    assert_eq!(result, Err(code(AnoGhostError::WrongTreasury)));
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.treasury, bank.treasury);
}

#[tokio::test]
async fn a_forged_config_is_refused() {
    let mut bank = Bank::start().await;
    let attacker = bank.funded_wallet().await;
    // Byte-perfect config data naming the attacker as gateway authority and treasury.
    let forged = Config::new(
        attacker.pubkey(),
        default_params(attacker.pubkey(), attacker.pubkey()),
        255,
    );
    let mut data = Vec::with_capacity(8 + Config::INIT_SPACE);
    forged.try_serialize(&mut data).expect("serialise config");
    let account = |owner| Account {
        lamports: 1_000_000_000,
        data: data.clone(),
        owner,
        executable: false,
        rent_epoch: 0,
    };
    let payer = bank.funded_wallet().await;
    let nonce = bank.deposit(&payer, 1).await.expect("deposit");

    let wrong_owner = Pubkey::new_unique();
    bank.inject(&wrong_owner, account(Pubkey::new_unique()));
    let mut lock = ix::room_lock(&attacker.pubkey(), &payer.pubkey(), nonce, 1, [7; 16]);
    lock.accounts[1].pubkey = wrong_owner;
    let result = bank.send_paid_by(&[lock], &attacker, &[]).await;
    assert_eq!(
        result,
        Err(anchor_code(ErrorCode::AccountOwnedByWrongProgram))
    );

    let wrong_address = Pubkey::new_unique();
    bank.inject(&wrong_address, account(PROGRAM_ID));
    let mut lock = ix::room_lock(&attacker.pubkey(), &payer.pubkey(), nonce, 1, [7; 16]);
    lock.accounts[1].pubkey = wrong_address;
    let result = bank.send_paid_by(&[lock], &attacker, &[]).await;
    assert_eq!(result, Err(anchor_code(ErrorCode::ConstraintSeeds)));
}
