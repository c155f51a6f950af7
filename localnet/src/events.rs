//! What the bank reports to subscribers: processed transactions and new slots. The RPC
//! methods and the slot ticker send these; the PubSub sockets turn them into notifications.

use serde_json::Value;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signature;

/// Events subscribers can be told about.
#[derive(Debug, Clone)]
pub enum ChainEvent {
    /// A transaction was processed (successfully when `err` is null).
    Transaction {
        /// Its first signature.
        signature: Signature,
        /// The slot it landed in.
        slot: u64,
        /// `null` or the transaction error.
        err: Value,
        /// Its account keys: every account it could have changed.
        accounts: Vec<Pubkey>,
    },
    /// The bank moved to a new slot.
    Slot(u64),
}
