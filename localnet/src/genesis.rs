//! The bank a localnet (or a test) starts from: the program deployed as an upgradeable
//! program would be (its ProgramData injected), funded admin, gateway authority and
//! treasury, and the config initialised by the upgrade authority.

use anchor_lang::solana_program::bpf_loader_upgradeable::{self, UpgradeableLoaderState};
use anchor_lang::solana_program::system_program;
use anoghost_program_client::{instructions as ix, pda, ConfigParams, PROGRAM_ID};
use solana_program_test::{processor, ProgramTest, ProgramTestContext};
use solana_sdk::account::Account;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;

/// Lamports each well-known wallet starts with.
pub const GENESIS_LAMPORTS: u64 = 1_000_000_000_000;

/// The program in a fresh program-test, run natively through the shim, with the SPL
/// programs program-test ships as real SBF binaries.
pub fn program_test() -> ProgramTest {
    let mut test = ProgramTest::default();
    test.prefer_bpf(false);
    test.add_program(
        "anoghost",
        PROGRAM_ID,
        processor!(crate::shim::anoghost_entry),
    );
    test
}

/// The ProgramData account a real deploy creates, with `authority` as upgrade authority.
pub fn program_data_account(authority: Option<Pubkey>) -> Account {
    let state = UpgradeableLoaderState::ProgramData {
        slot: 0,
        upgrade_authority_address: authority,
    };
    Account {
        lamports: 1_000_000_000,
        // unwrap: serialising a fixed enum into memory cannot fail.
        #[allow(clippy::unwrap_used)]
        data: bincode::serialize(&state).unwrap(),
        owner: bpf_loader_upgradeable::ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// A system account holding `lamports`.
pub fn system_account(lamports: u64) -> Account {
    Account {
        lamports,
        data: vec![],
        owner: system_program::ID,
        executable: false,
        rent_epoch: 0,
    }
}

/// The keys of a started chain.
#[derive(Debug)]
pub struct GenesisKeys {
    /// Upgrade authority and config admin.
    pub admin: Keypair,
    /// The gateway authority named in the config.
    pub gateway_authority: Keypair,
    /// The treasury named in the config.
    pub treasury: Keypair,
}

/// Starts a bank with the program deployed and funded well-known wallets; the config is
/// not initialised.
pub async fn start_uninitialised() -> (ProgramTestContext, GenesisKeys) {
    let keys = GenesisKeys {
        admin: Keypair::new(),
        gateway_authority: Keypair::new(),
        treasury: Keypair::new(),
    };
    let mut test = program_test();
    test.add_account(
        pda::program_data(),
        program_data_account(Some(keys.admin.pubkey())),
    );
    for wallet in [&keys.admin, &keys.gateway_authority, &keys.treasury] {
        test.add_account(wallet.pubkey(), system_account(GENESIS_LAMPORTS));
    }
    (test.start_with_context().await, keys)
}

/// Initialises the config as the upgrade authority.
pub async fn init_config(
    context: &mut ProgramTestContext,
    keys: &GenesisKeys,
    price_per_key: u64,
    refund_timeout_secs: i64,
) -> Result<(), String> {
    let params = ConfigParams {
        gateway_authority: keys.gateway_authority.pubkey(),
        treasury: keys.treasury.pubkey(),
        price_per_key,
        refund_timeout_secs,
    };
    let blockhash = context
        .banks_client
        .get_latest_blockhash()
        .await
        .map_err(|e| e.to_string())?;
    let transaction = Transaction::new_signed_with_payer(
        &[ix::config_init(&keys.admin.pubkey(), params)],
        Some(&keys.admin.pubkey()),
        &[&keys.admin],
        blockhash,
    );
    context
        .banks_client
        .process_transaction(transaction)
        .await
        .map_err(|e| e.to_string())
}
