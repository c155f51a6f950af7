//! Solana Pay request parsing (`gateway/src/http/pay_request.rs`): the query strings of
//! `/v1/pay/room-deposit` and `/v1/pay/payment` and the wallet's `{"account"}` body, then
//! the unsigned transaction the gateway builds from them.
//!
//! Invariants: parsing never panics; an accepted room deposit pays for 1 to 1000 keys with a
//! 32-byte nonce; a query built from valid fields, in any order and percent-encoding, reads
//! back to those fields; whatever is accepted builds a transaction that fits in one Solana
//! packet (1232 bytes), so a wallet can always send what it is handed.

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::http::pay_request::{self, MAX_KEYS, MIN_KEYS};
use anoghost_program_client::instructions as ix;
use arbitrary::Arbitrary;
use solana_sdk::hash::Hash;

/// The largest transaction a Solana node accepts.
const PACKET_DATA_SIZE: usize = 1232;

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Raw {
        room_deposit: bool,
        query: &'a str,
        body: &'a [u8],
    },
    Built {
        nonce: [u8; 32],
        keys: u16,
        claim: [u8; 32],
        amount: u64,
        expiry: i64,
        account: [u8; 32],
        /// Name the paying wallet in the deposit link.
        payer: Option<[u8; 32]>,
        /// Percent-encode every character of each value.
        escaped: bool,
        /// Put the fields in reverse order, and add one the endpoint does not use.
        reordered: bool,
    },
}

fn escape(value: &str, escaped: bool) -> String {
    if escaped {
        value.bytes().map(|b| format!("%{b:02X}")).collect()
    } else {
        value.to_owned()
    }
}

fn query(fields: &[(&str, String)], escaped: bool, reordered: bool) -> String {
    let mut pairs: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", escape(value, escaped)))
        .collect();
    if reordered {
        pairs.reverse();
        pairs.push("label=x".to_owned());
    }
    pairs.join("&")
}

fn check_transaction(instruction: solana_sdk::instruction::Instruction, account: &Pubkey) {
    let bytes =
        pay_request::unsigned_transaction(instruction, account, Hash::new_from_array([3; 32]));
    assert!(bytes.len() <= PACKET_DATA_SIZE, "{} bytes", bytes.len());
}

fn run(input: Input<'_>) {
    match input {
        Input::Raw {
            room_deposit,
            query,
            body,
        } => {
            let account = pay_request::account(body);
            if room_deposit {
                if let Ok(deposit) = pay_request::room_deposit(query) {
                    assert!((MIN_KEYS..=MAX_KEYS).contains(&deposit.keys));
                    if let Ok(account) = account {
                        check_transaction(
                            ix::room_deposit(&account, deposit.nonce, deposit.keys),
                            &account,
                        );
                    }
                }
            } else if let Ok(payment) = pay_request::payment(query) {
                if let Ok(account) = account {
                    check_transaction(
                        ix::payment_deposit(
                            &account,
                            &payment.claim,
                            payment.amount,
                            payment.expiry,
                        ),
                        &account,
                    );
                }
            }
        }
        Input::Built {
            nonce,
            keys,
            claim,
            amount,
            expiry,
            account,
            payer,
            escaped,
            reordered,
        } => {
            let keys = keys % MAX_KEYS + MIN_KEYS;
            let payer = payer.map(Pubkey::new_from_array);
            let mut fields = vec![
                ("nonce", bs58::encode(nonce).into_string()),
                ("keys", keys.to_string()),
            ];
            if let Some(payer) = payer {
                fields.push(("payer", payer.to_string()));
            }
            let deposit = query(&fields, escaped, reordered);
            let read = pay_request::room_deposit(&deposit).expect("a valid deposit query reads");
            assert_eq!((read.nonce, read.keys, read.payer), (nonce, keys, payer));
            let claim = Pubkey::new_from_array(claim);
            let payment = query(
                &[
                    ("claim", claim.to_string()),
                    ("amount", amount.to_string()),
                    ("expiry", expiry.to_string()),
                ],
                escaped,
                reordered,
            );
            let read = pay_request::payment(&payment).expect("a valid payment query reads");
            assert_eq!(
                (read.claim, read.amount, read.expiry),
                (claim, amount, expiry)
            );
            let account = Pubkey::new_from_array(account);
            let body = serde_json::json!({ "account": account.to_string() }).to_string();
            assert_eq!(pay_request::account(body.as_bytes()), Ok(account));
            check_transaction(ix::room_deposit(&account, nonce, keys), &account);
            check_transaction(
                ix::payment_deposit(&account, &claim, amount, expiry),
                &account,
            );
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
