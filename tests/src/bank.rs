//! A real bank with the AnoGhost program, Token-2022 and ATA, and the helpers every program
//! test uses.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use anchor_lang::error::ERROR_CODE_OFFSET;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::AccountDeserialize;
use anoghost::errors::AnoGhostError;
use anoghost_program_client::limits::{INVITE_LEN, ROOM_BINDING_LEN};
use anoghost_program_client::{instructions as ix, ConfigParams};
use solana_program_test::{BanksClientError, ProgramTestBanksClientExt, ProgramTestContext};
use solana_sdk::account::Account;
use solana_sdk::clock::Clock;
use solana_sdk::instruction::{Instruction, InstructionError};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};

/// Lamports per key in the default test config: covers a key mint's and ATA's rent.
pub const PRICE_PER_KEY: u64 = 10_000_000;
/// Refund timeout in the default test config.
pub const REFUND_TIMEOUT_SECS: i64 = 3_600;
/// The fee of a transaction with one signature.
pub const FEE_ONE_SIGNATURE: u64 = 5_000;
/// Lamports every fresh test wallet starts with.
pub const WALLET_LAMPORTS: u64 = 10_000_000_000;

/// A running bank plus the keys of the config it was set up with.
pub struct Bank {
    /// The program-test context: banks client, payer, last blockhash.
    pub ctx: ProgramTestContext,
    /// The program's upgrade authority and config admin.
    pub admin: Keypair,
    /// The gateway authority in the config.
    pub gateway: Keypair,
    /// The treasury in the config.
    pub treasury: Pubkey,
    /// Every address a transaction sent through this bank listed (and every injected one):
    /// what the gateway's bank-backed chain scans for `getProgramAccounts`, as the localnet
    /// does, since the bank itself has no index of accounts by owner.
    pub touched: Touched,
}

/// Addresses transactions have listed, shared between a [`Bank`] and its chain readers.
pub type Touched = Arc<Mutex<BTreeSet<Pubkey>>>;

/// Records every account key of `transaction` in `touched`.
pub fn record_touched(touched: &Touched, transaction: &Transaction) {
    touched
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .extend(transaction.message.account_keys.iter().copied());
}

/// A key minted by [`Bank::mint_key`].
#[derive(Debug, Clone)]
pub struct MintedKey {
    /// The key's one-time holder address.
    pub holder: Pubkey,
    /// The key's mint address.
    pub mint: Pubkey,
    /// The holder's token account.
    pub token_account: Pubkey,
    /// The room binding written into the metadata.
    pub room_binding: [u8; ROOM_BINDING_LEN],
    /// The sealed invite written into the metadata.
    pub invite: [u8; INVITE_LEN],
}

/// Random bytes standing in for a room binding: the program never reads it.
pub fn random_binding() -> [u8; ROOM_BINDING_LEN] {
    std::array::from_fn(|_| rand::random())
}

/// Random bytes standing in for a sealed invite: the program never opens it.
pub fn random_invite() -> [u8; INVITE_LEN] {
    std::array::from_fn(|_| rand::random())
}

/// What a failed transaction failed with, reduced to what tests compare.
#[derive(Debug, PartialEq, Eq)]
pub enum Failure {
    /// An Anchor or program custom error code.
    Custom(u32),
    /// Any other instruction error.
    Instruction(InstructionError),
    /// A transaction-level error (for example a missing signature).
    Transaction(TransactionError),
    /// The banks client itself failed.
    Client(String),
}

/// The custom error code of a program error.
pub fn code(error: AnoGhostError) -> Failure {
    Failure::Custom(ERROR_CODE_OFFSET + error as u32)
}

/// The custom error code of an Anchor framework error.
pub fn anchor_code(error: anchor_lang::error::ErrorCode) -> Failure {
    Failure::Custom(error as u32)
}

impl From<BanksClientError> for Failure {
    fn from(error: BanksClientError) -> Self {
        match error.unwrap() {
            TransactionError::InstructionError(_, InstructionError::Custom(n)) => {
                Failure::Custom(n)
            }
            TransactionError::InstructionError(_, other) => Failure::Instruction(other),
            other => Failure::Transaction(other),
        }
    }
}

pub use anoghost_localnet::genesis::{program_data_account, system_account};

/// Default config values for tests.
pub fn default_params(gateway: Pubkey, treasury: Pubkey) -> ConfigParams {
    ConfigParams {
        gateway_authority: gateway,
        treasury,
        price_per_key: PRICE_PER_KEY,
        refund_timeout_secs: REFUND_TIMEOUT_SECS,
    }
}

impl Bank {
    /// A bank with the program deployed (ProgramData injected) but no config yet.
    pub async fn start_uninitialised() -> Self {
        let (ctx, keys) = anoghost_localnet::genesis::start_uninitialised().await;
        Self {
            ctx,
            admin: keys.admin,
            gateway: keys.gateway_authority,
            treasury: keys.treasury.pubkey(),
            touched: Touched::default(),
        }
    }

    /// A bank with the program deployed and its config initialised with [`default_params`].
    pub async fn start() -> Self {
        let mut bank = Self::start_uninitialised().await;
        let params = default_params(bank.gateway.pubkey(), bank.treasury);
        let admin = bank.admin.insecure_clone();
        bank.send(&[ix::config_init(&admin.pubkey(), params)], &[&admin])
            .await
            .expect("config_init on a fresh bank");
        bank
    }

    /// Sends `instructions` in one transaction paid by the context payer and signed by
    /// `signers`, and waits for it to be processed.
    pub async fn send(
        &mut self,
        instructions: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<(), Failure> {
        let payer = self.ctx.payer.insecure_clone();
        self.send_paid_by(instructions, &payer, signers).await
    }

    /// Sends `instructions` with `fee_payer` paying the fee (for exact balance assertions on
    /// other wallets).
    pub async fn send_paid_by(
        &mut self,
        instructions: &[Instruction],
        fee_payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<(), Failure> {
        let blockhash = self
            .ctx
            .banks_client
            .get_new_latest_blockhash(&self.ctx.last_blockhash)
            .await
            .map_err(|e| Failure::Client(e.to_string()))?;
        self.ctx.last_blockhash = blockhash;
        let mut all_signers: Vec<&Keypair> = vec![fee_payer];
        all_signers.extend_from_slice(signers);
        let tx = Transaction::new_signed_with_payer(
            instructions,
            Some(&fee_payer.pubkey()),
            &all_signers,
            blockhash,
        );
        record_touched(&self.touched, &tx);
        self.ctx
            .banks_client
            .process_transaction(tx)
            .await
            .map_err(Failure::from)
    }

    /// Mints the key of `holder` as the gateway authority, with random field contents.
    pub async fn mint_key(&mut self, holder: &Pubkey) -> Result<MintedKey, Failure> {
        self.mint_key_with(holder, random_binding(), random_invite())
            .await
    }

    /// Mints the key of `holder` carrying the given room binding and sealed invite.
    pub async fn mint_key_with(
        &mut self,
        holder: &Pubkey,
        room_binding: [u8; ROOM_BINDING_LEN],
        invite: [u8; INVITE_LEN],
    ) -> Result<MintedKey, Failure> {
        let (instruction, mint) =
            ix::key_mint(&self.gateway.pubkey(), holder, room_binding, invite);
        let gateway = self.gateway.insecure_clone();
        self.send_paid_by(&[instruction], &gateway, &[]).await?;
        Ok(MintedKey {
            holder: *holder,
            mint,
            token_account: ix::key_token_account(holder, &mint),
            room_binding,
            invite,
        })
    }

    /// Locks `payer`'s escrow `nonce` for `keys` keys, as the gateway authority, under a
    /// random lock id.
    pub async fn lock(
        &mut self,
        payer: &Pubkey,
        nonce: [u8; 32],
        keys: u16,
    ) -> Result<(), Failure> {
        self.lock_as(payer, nonce, keys, rand::random()).await
    }

    /// [`Self::lock`] under the given lock id.
    pub async fn lock_as(
        &mut self,
        payer: &Pubkey,
        nonce: [u8; 32],
        keys: u16,
        lock_id: [u8; 16],
    ) -> Result<(), Failure> {
        let gateway = self.gateway.insecure_clone();
        let lock = ix::room_lock(&gateway.pubkey(), payer, nonce, keys, lock_id);
        self.send_paid_by(&[lock], &gateway, &[]).await
    }

    /// Settles `payer`'s escrow `nonce`, as the gateway authority, to the config's treasury.
    pub async fn settle(&mut self, payer: &Pubkey, nonce: [u8; 32]) -> Result<(), Failure> {
        let gateway = self.gateway.insecure_clone();
        let settle = ix::room_settle(&gateway.pubkey(), payer, &self.treasury, nonce);
        self.send_paid_by(&[settle], &gateway, &[]).await
    }

    /// `payer` deposits an escrow for `keys` keys under a fresh random nonce, paying its own
    /// fee. Returns the nonce.
    pub async fn deposit(&mut self, payer: &Keypair, keys: u16) -> Result<[u8; 32], Failure> {
        let nonce: [u8; 32] = rand::random();
        self.send_paid_by(
            &[ix::room_deposit(&payer.pubkey(), nonce, keys)],
            payer,
            &[],
        )
        .await?;
        Ok(nonce)
    }

    /// Processes a transaction signed elsewhere (for example by a wallet).
    pub async fn process(&mut self, transaction: Transaction) -> Result<(), Failure> {
        record_touched(&self.touched, &transaction);
        self.ctx
            .banks_client
            .process_transaction(transaction)
            .await
            .map_err(Failure::from)
    }

    /// A new wallet holding [`WALLET_LAMPORTS`].
    pub async fn funded_wallet(&mut self) -> Keypair {
        let wallet = Keypair::new();
        self.fund(&wallet.pubkey(), WALLET_LAMPORTS).await;
        wallet
    }

    /// Sends `lamports` to `address` from the bank's payer.
    pub async fn fund(&mut self, address: &Pubkey, lamports: u64) {
        let payer = self.ctx.payer.pubkey();
        self.send(
            &[system_instruction::transfer(&payer, address, lamports)],
            &[],
        )
        .await
        .expect("funding a test wallet");
    }

    /// A recent blockhash, for transactions signed elsewhere.
    pub async fn latest_blockhash(&mut self) -> solana_sdk::hash::Hash {
        self.ctx
            .banks_client
            .get_latest_blockhash()
            .await
            .expect("banks client blockhash")
    }

    /// Lamports held by the config's treasury.
    pub async fn treasury_balance(&mut self) -> u64 {
        let treasury = self.treasury;
        self.balance(&treasury).await
    }

    /// Lamports held by `address` (0 if it does not exist).
    pub async fn balance(&mut self, address: &Pubkey) -> u64 {
        self.ctx
            .banks_client
            .get_balance(*address)
            .await
            .expect("banks client get_balance")
    }

    /// The raw account at `address`, if any.
    pub async fn account(&mut self, address: &Pubkey) -> Option<Account> {
        self.ctx
            .banks_client
            .get_account(*address)
            .await
            .expect("banks client get_account")
    }

    /// The Anchor account of type `T` at `address`.
    pub async fn anchor_account<T: AccountDeserialize>(&mut self, address: &Pubkey) -> T {
        let account = self
            .account(address)
            .await
            .unwrap_or_else(|| panic!("no account at {address}"));
        T::try_deserialize(&mut account.data.as_slice()).expect("account deserialises")
    }

    /// Writes `account` at `address` directly into the bank, as an attacker-crafted or
    /// pre-existing account would be.
    pub fn inject(&mut self, address: &Pubkey, account: Account) {
        self.touched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(*address);
        self.ctx.set_account(address, &account.into());
    }

    /// Moves the bank's clock forward by `seconds`.
    pub async fn advance_clock(&mut self, seconds: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp += seconds;
        self.ctx.set_sysvar(&clock);
    }

    /// The bank's Clock sysvar.
    pub async fn clock(&mut self) -> Clock {
        self.ctx
            .banks_client
            .get_sysvar()
            .await
            .expect("clock sysvar")
    }

    /// The bank's current unix time.
    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Minimum balance for an account of `len` bytes.
    pub async fn rent(&mut self, len: usize) -> u64 {
        let rent = self.ctx.banks_client.get_rent().await.expect("rent sysvar");
        rent.minimum_balance(len)
    }
}
