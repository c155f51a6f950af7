//! `config_init` and `config_update`.

use anoghost::errors::AnoGhostError;
use anoghost::state::Config;
use anoghost_program_client::{instructions as ix, pda, ConfigUpdateArgs};
use anoghost_tests::bank::{code, default_params, Bank, PRICE_PER_KEY, REFUND_TIMEOUT_SECS};
use solana_sdk::signature::Signer;

#[tokio::test]
async fn upgrade_authority_initialises_config() {
    let bank = Bank::start().await;
    let mut bank = bank;
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.admin, bank.admin.pubkey());
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
async fn admin_updates_config_and_can_hand_it_over() {
    let mut bank = Bank::start().await;
    let admin = bank.admin.insecure_clone();
    let next_admin = bank.funded_wallet().await;
    let new_gateway = solana_sdk::signature::Keypair::new().pubkey();
    let update = ix::config_update(
        &admin.pubkey(),
        ConfigUpdateArgs {
            admin: Some(next_admin.pubkey()),
            gateway_authority: Some(new_gateway),
            price_per_key: Some(42),
            refund_timeout_secs: Some(60),
            paused: Some(true),
            ..Default::default()
        },
    );
    bank.send(&[update], &[&admin])
        .await
        .expect("config_update");
    let config: Config = bank.anchor_account(&pda::config()).await;
    assert_eq!(config.admin, next_admin.pubkey());
    assert_eq!(config.gateway_authority, new_gateway);
    assert_eq!(config.treasury, bank.treasury, "unchanged");
    assert_eq!(config.price_per_key, 42);
    assert_eq!(config.refund_timeout_secs, 60);
    assert!(config.paused);

    let resume = ConfigUpdateArgs {
        paused: Some(false),
        ..Default::default()
    };
    let result = bank
        .send(
            &[ix::config_update(&admin.pubkey(), resume.clone())],
            &[&admin],
        )
        .await;
    assert_eq!(
        result,
        Err(code(AnoGhostError::NotAdmin)),
        "old admin lost control"
    );
    bank.send(
        &[ix::config_update(&next_admin.pubkey(), resume)],
        &[&next_admin],
    )
    .await
    .expect("new admin resumes");
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
    for args in [
        ConfigUpdateArgs {
            price_per_key: Some(0),
            ..Default::default()
        },
        ConfigUpdateArgs {
            refund_timeout_secs: Some(0),
            ..Default::default()
        },
        ConfigUpdateArgs {
            refund_timeout_secs: Some(31 * 24 * 3600),
            ..Default::default()
        },
    ] {
        let result = bank
            .send(
                &[ix::config_update(&admin.pubkey(), args.clone())],
                &[&admin],
            )
            .await;
        assert_eq!(result, Err(code(AnoGhostError::InvalidConfig)), "{args:?}");
    }
}
