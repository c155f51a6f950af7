//! What the bank does not index for us: the transactions this localnet processed (for
//! `getTransaction`) and every account a transaction touched (for `getTokenAccountsByOwner`
//! and `getProgramAccounts`).
//!
//! An instruction can only create or change accounts listed in its transaction, so the
//! union of all transactions' account keys covers every token account that exists. Reads
//! re-fetch each candidate from the bank, so the index never serves stale state.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signature;
use solana_sdk::transaction::VersionedTransaction;

/// A processed transaction and its outcome, as `getTransaction` reports it.
#[derive(Debug, Clone)]
pub struct StoredTransaction {
    /// The slot it was processed in.
    pub slot: u64,
    /// The bank's clock at that slot.
    pub block_time: i64,
    /// The transaction as sent.
    pub transaction: VersionedTransaction,
    /// `null` or the transaction error, serialised as the RPC does.
    pub err: Value,
    /// The fee charged, in lamports.
    pub fee: u64,
    /// Balances of the account keys before, in key order.
    pub pre_balances: Vec<u64>,
    /// Balances of the account keys after, in key order.
    pub post_balances: Vec<u64>,
    /// Program logs.
    pub logs: Vec<String>,
    /// Compute units consumed.
    pub compute_units: u64,
}

/// The in-memory index, gone at exit like the bank.
#[derive(Debug, Default)]
pub struct Ledger {
    transactions: HashMap<Signature, StoredTransaction>,
    touched: BTreeSet<Pubkey>,
}

impl Ledger {
    /// Records a processed transaction.
    pub fn record(&mut self, signature: Signature, stored: StoredTransaction) {
        self.touched
            .extend(stored.transaction.message.static_account_keys());
        self.transactions.insert(signature, stored);
    }

    /// The transaction with this signature, if this localnet processed it.
    pub fn transaction(&self, signature: &Signature) -> Option<&StoredTransaction> {
        self.transactions.get(signature)
    }

    /// Records accounts created before the ledger existed (at genesis), so account scans
    /// see them too.
    pub fn note_genesis_accounts(&mut self, accounts: impl IntoIterator<Item = Pubkey>) {
        self.touched.extend(accounts);
    }

    /// Every account any recorded transaction listed, and every genesis account noted.
    pub fn touched_accounts(&self) -> Vec<Pubkey> {
        self.touched.iter().copied().collect()
    }
}
