//! What a Solana Pay request says, read without the chain: each endpoint's query, the
//! wallet's `{"account"}` body, and the unsigned transaction built from them. The handlers
//! in `solana_pay` add only the blockhash; keeping this part pure lets the fuzz target
//! (`fuzz/fuzz_targets/solana_pay_request.rs`) feed it every byte a wallet could send.

use actix_web::web::Query;
use anchor_lang::prelude::Pubkey;
use serde::Deserialize;
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::message::Message;
use solana_sdk::transaction::Transaction;

/// Fewest keys one room deposit pays for.
pub const MIN_KEYS: u16 = 1;
/// Most keys one room deposit pays for.
pub const MAX_KEYS: u16 = 1000;

/// Why a request was refused: always HTTP 400, with a stable `error` code and a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayRefusal {
    /// `bad_query`, `bad_json` or `bad_account`.
    pub error: &'static str,
    /// What to send instead.
    pub message: &'static str,
}

const fn refusal(error: &'static str, message: &'static str) -> PayRefusal {
    PayRefusal { error, message }
}

/// `?nonce=<base58, 32 bytes>&keys=<1..=1000>[&payer=<base58 wallet>]`, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomDeposit {
    /// The escrow's nonce.
    pub nonce: [u8; 32],
    /// How many keys it pays for.
    pub keys: u16,
    /// The only wallet that may pay, if the link names one.
    pub payer: Option<Pubkey>,
}

/// `?claim=<base58 pubkey>&amount=<lamports>&expiry=<unix seconds>`, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    /// The one-time claim key.
    pub claim: Pubkey,
    /// Lamports to deposit.
    pub amount: u64,
    /// When the sender may reclaim them.
    pub expiry: i64,
}

#[derive(Deserialize)]
struct RoomDepositQuery {
    nonce: String,
    keys: u16,
    payer: Option<String>,
}

#[derive(Deserialize)]
struct PaymentQuery {
    claim: String,
    amount: u64,
    expiry: i64,
}

#[derive(Deserialize)]
struct AccountBody {
    account: String,
}

/// Reads the room-deposit query string.
pub fn room_deposit(query: &str) -> Result<RoomDeposit, PayRefusal> {
    let Ok(query) = Query::<RoomDepositQuery>::from_query(query) else {
        return Err(refusal(
            "bad_query",
            "expected ?nonce=<base58 32 bytes>&keys=<1..=1000>[&payer=<base58 wallet>]",
        ));
    };
    let mut nonce = [0u8; 32];
    if !matches!(bs58::decode(&query.nonce).onto(&mut nonce), Ok(32)) {
        return Err(refusal("bad_query", "nonce must be base58 of 32 bytes"));
    }
    if !(MIN_KEYS..=MAX_KEYS).contains(&query.keys) {
        return Err(refusal("bad_query", "keys must be between 1 and 1000"));
    }
    let payer = match query.payer.as_deref().map(str::parse::<Pubkey>) {
        None => None,
        Some(Ok(payer)) => Some(payer),
        Some(Err(_)) => return Err(refusal("bad_query", "payer must be a base58 public key")),
    };
    Ok(RoomDeposit {
        nonce,
        keys: query.keys,
        payer,
    })
}

/// Reads the payment query string.
pub fn payment(query: &str) -> Result<Payment, PayRefusal> {
    let Ok(query) = Query::<PaymentQuery>::from_query(query) else {
        return Err(refusal(
            "bad_query",
            "expected ?claim=<pubkey>&amount=<lamports>&expiry=<unix seconds>",
        ));
    };
    let Ok(claim) = query.claim.parse::<Pubkey>() else {
        return Err(refusal("bad_query", "claim must be a base58 public key"));
    };
    Ok(Payment {
        claim,
        amount: query.amount,
        expiry: query.expiry,
    })
}

/// Reads the wallet's `{"account": "<base58 wallet>"}` body.
pub fn account(body: &[u8]) -> Result<Pubkey, PayRefusal> {
    let Ok(AccountBody { account }) = serde_json::from_slice(body) else {
        return Err(refusal(
            "bad_json",
            "expected {\"account\": \"<base58 wallet>\"}",
        ));
    };
    account
        .parse::<Pubkey>()
        .map_err(|_| refusal("bad_account", "account must be a base58 public key"))
}

/// The unsigned transaction carrying `instruction`, with `payer` as fee payer, as the
/// base64-ready bytes a wallet signs.
pub fn unsigned_transaction(instruction: Instruction, payer: &Pubkey, blockhash: Hash) -> Vec<u8> {
    let transaction = Transaction::new_unsigned(Message::new_with_blockhash(
        &[instruction],
        Some(payer),
        &blockhash,
    ));
    // unwrap: serialising a transaction into memory cannot fail.
    #[allow(clippy::unwrap_used)]
    bincode::serialize(&transaction).unwrap()
}
