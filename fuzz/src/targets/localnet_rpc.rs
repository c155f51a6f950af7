//! The localnet's JSON-RPC request reader (`localnet/src/rpc/params.rs`, `request.rs`):
//! every body a client posts is read into a typed call before the bank sees any of it.
//!
//! Inputs are raw bodies, and requests built from a served method and arbitrary parameters
//! (public keys, signatures, base58 and base64 of arbitrary bytes, encoded transactions and
//! messages, any JSON) so the fuzzer gets past the envelope.
//!
//! Invariants: reading never panics; a read call respects the limits a validator enforces
//! (at most 100 addresses, at most 256 signatures, at most 4 program-account filters); and
//! the work the bank side does with a call without touching the bank (rent for a data
//! length, the accounts and fee of a transaction, matching account data against filters)
//! does not panic either.

use crate::Json;
use anoghost_localnet::rpc::request::{
    MAX_MULTIPLE_ACCOUNTS, MAX_PROGRAM_FILTERS, MAX_SIGNATURE_STATUSES,
};
use anoghost_localnet::rpc::{read_envelope, Call, Method};
use arbitrary::{Arbitrary, Unstructured};
use base64::Engine as _;
use serde_json::{json, Value};
use solana_rpc_client_types::filter::RpcFilterType;
use solana_sdk::rent::Rent;

const METHODS: [&str; 19] = [
    "getHealth",
    "getVersion",
    "getSlot",
    "getBlockHeight",
    "getLatestBlockhash",
    "isBlockhashValid",
    "getMinimumBalanceForRentExemption",
    "getFeeForMessage",
    "getBalance",
    "getAccountInfo",
    "getMultipleAccounts",
    "getTokenAccountsByOwner",
    "getProgramAccounts",
    "getTransaction",
    "sendTransaction",
    "simulateTransaction",
    "getSignatureStatuses",
    "requestAirdrop",
    "teleport",
];

#[derive(Debug, Arbitrary)]
enum Input<'a> {
    Raw(&'a [u8]),
    Built {
        method: u8,
        params: Vec<Param>,
        id: Json,
    },
}

/// One parameter, shaped like what the methods read.
#[derive(Debug)]
struct Param(Value);

impl<'a> Arbitrary<'a> for Param {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let bytes = |u: &mut Unstructured<'a>| -> arbitrary::Result<Vec<u8>> { u.arbitrary() };
        Ok(Param(match u.int_in_range(0..=9)? {
            0 => Value::String(bs58::encode(u.arbitrary::<[u8; 32]>()?).into_string()),
            1 => Value::String(bs58::encode(u.arbitrary::<[u8; 64]>()?).into_string()),
            2 => Value::String(bs58::encode(bytes(u)?).into_string()),
            3 => Value::String(base64::engine::general_purpose::STANDARD.encode(bytes(u)?)),
            4 => Value::from(u.arbitrary::<u64>()?),
            5 => {
                let encoding = *u.choose(&[
                    "base58",
                    "base64",
                    "base64+zstd",
                    "jsonParsed",
                    "json",
                    "binary",
                ])?;
                let mut config = json!({ "encoding": encoding });
                if u.arbitrary()? {
                    config["dataSlice"] =
                        json!({"offset": u.arbitrary::<u64>()?, "length": u.arbitrary::<u64>()?});
                }
                if u.arbitrary()? {
                    config["maxSupportedTransactionVersion"] = json!(u.arbitrary::<u8>()?);
                }
                if u.arbitrary()? {
                    config["skipPreflight"] = json!(u.arbitrary::<bool>()?);
                }
                if u.arbitrary()? {
                    config["filters"] = filters(u)?;
                }
                config
            }
            6 => {
                let key = bs58::encode(u.arbitrary::<[u8; 32]>()?).into_string();
                if u.arbitrary()? {
                    json!({ "mint": key })
                } else {
                    json!({ "programId": key })
                }
            }
            7 => {
                // Public keys, or signatures.
                let signatures: bool = u.arbitrary()?;
                let len = u.int_in_range(0..=300)?;
                let mut items = Vec::with_capacity(len);
                for _ in 0..len {
                    let text = if signatures {
                        bs58::encode(u.arbitrary::<[u8; 64]>()?).into_string()
                    } else {
                        bs58::encode(u.arbitrary::<[u8; 32]>()?).into_string()
                    };
                    items.push(Value::String(text));
                }
                Value::Array(items)
            }
            8 => Value::String(
                base64::engine::general_purpose::STANDARD.encode(transaction_bytes(u)?),
            ),
            _ => u.arbitrary::<Json>()?.0,
        }))
    }
}

/// `getProgramAccounts` filters: `dataSize` and `memcmp` in every encoding, any offset.
fn filters(u: &mut Unstructured<'_>) -> arbitrary::Result<Value> {
    let count = u.int_in_range(0..=5)?;
    let mut filters = Vec::with_capacity(count);
    for _ in 0..count {
        let bytes: Vec<u8> = u.arbitrary()?;
        let offset = u.arbitrary::<u64>()? % 256;
        filters.push(match u.int_in_range(0..=3)? {
            0 => json!({ "dataSize": u.arbitrary::<u64>()? % 256 }),
            1 => json!({ "memcmp": { "offset": offset, "bytes": bs58::encode(&bytes).into_string() } }),
            2 => json!({ "memcmp": {
                "offset": offset,
                "bytes": base64::engine::general_purpose::STANDARD.encode(&bytes),
                "encoding": "base64",
            } }),
            _ => u.arbitrary::<Json>()?.0,
        });
    }
    Ok(Value::Array(filters))
}

/// Bytes shaped like a bincode transaction: a short-vec of signatures, then a message.
fn transaction_bytes(u: &mut Unstructured<'_>) -> arbitrary::Result<Vec<u8>> {
    let signatures = u.int_in_range(0u8..=3)?;
    let mut bytes = vec![signatures];
    for _ in 0..signatures {
        bytes.extend_from_slice(&u.arbitrary::<[u8; 64]>()?);
    }
    if u.arbitrary()? {
        bytes.push(0x80);
    }
    bytes.extend_from_slice(&u.arbitrary::<[u8; 3]>()?);
    let keys = u.int_in_range(0u8..=4)?;
    bytes.push(keys);
    for _ in 0..keys {
        bytes.extend_from_slice(&u.arbitrary::<[u8; 32]>()?);
    }
    bytes.extend_from_slice(&u.arbitrary::<[u8; 32]>()?);
    bytes.extend(u.arbitrary::<Vec<u8>>()?);
    Ok(bytes)
}

/// What the bank side computes from a call before asking the bank anything.
fn run_without_bank(call: &Call) {
    match call {
        Call::RentExemption(len) => {
            let _ = Rent::default().minimum_balance(*len);
        }
        Call::MultipleAccounts(addresses, _) => assert!(addresses.len() <= MAX_MULTIPLE_ACCOUNTS),
        Call::SignatureStatuses(signatures) => assert!(signatures.len() <= MAX_SIGNATURE_STATUSES),
        Call::SendTransaction { transaction, .. } | Call::SimulateTransaction(transaction) => {
            let _ = transaction.signatures.first();
            let keys = transaction.message.static_account_keys().len();
            let signers = u64::from(transaction.message.header().num_required_signatures);
            assert!(keys <= usize::from(u8::MAX) + 1);
            let _ = signers * 5_000;
            let _ = bincode::serialize(transaction);
        }
        Call::ProgramAccounts { filters, .. } => {
            assert!(filters.len() <= MAX_PROGRAM_FILTERS);
            // What the bank side does with each candidate account's data.
            for data in [&[][..], &[0u8; 165][..]] {
                for filter in filters {
                    if let RpcFilterType::Memcmp(memcmp) = filter {
                        let _ = memcmp.bytes_match(data);
                    }
                }
            }
        }
        Call::FeeForMessage(message) => {
            let _ = message.account_keys.len();
        }
        _ => {}
    }
}

fn check(body: &[u8]) {
    let Ok(envelope) = read_envelope(body) else {
        return;
    };
    let Some(method) = envelope.method else {
        return;
    };
    assert_eq!(Method::from_name(method.name()), Some(method));
    if let Ok(call) = Call::parse(method, &envelope.params) {
        run_without_bank(&call);
    }
}

fn run(input: Input<'_>) {
    match input {
        Input::Raw(body) => check(body),
        Input::Built { method, params, id } => {
            let method = METHODS[usize::from(method) % METHODS.len()];
            let params: Vec<Value> = params.into_iter().map(|p| p.0).collect();
            let body = json!({"jsonrpc": "2.0", "id": id.0, "method": method, "params": params});
            check(body.to_string().as_bytes());
        }
    }
}

/// The target on the bytes libFuzzer gives it: `false` when they do not make an input.
pub fn fuzz(bytes: &[u8]) -> bool {
    crate::structured(bytes, run)
}
