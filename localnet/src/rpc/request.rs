//! The methods this localnet serves, and each one's parameters read into a typed [`Call`]
//! before anything reaches the bank.

use serde_json::Value;
use solana_rpc_client_types::filter::RpcFilterType;
use solana_sdk::hash::Hash;
use solana_sdk::message::{Message, VersionedMessage};
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::Signature;
use solana_sdk::transaction::VersionedTransaction;

use super::params::{self, base64_param, pubkey, string_param, AccountEncoding};
use super::{RpcError, INVALID_REQUEST};

macro_rules! methods {
    ($($variant:ident => $name:literal,)*) => {
        /// A JSON-RPC method this localnet serves.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Method {
            $(#[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl Method {
            /// The method a request names, if it is served here.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)*
                    _ => None,
                }
            }

            /// The method's name on the wire.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                }
            }
        }
    };
}

methods! {
    GetHealth => "getHealth",
    GetVersion => "getVersion",
    GetSlot => "getSlot",
    GetBlockHeight => "getBlockHeight",
    GetLatestBlockhash => "getLatestBlockhash",
    IsBlockhashValid => "isBlockhashValid",
    GetMinimumBalanceForRentExemption => "getMinimumBalanceForRentExemption",
    GetFeeForMessage => "getFeeForMessage",
    GetBalance => "getBalance",
    GetAccountInfo => "getAccountInfo",
    GetMultipleAccounts => "getMultipleAccounts",
    GetTokenAccountsByOwner => "getTokenAccountsByOwner",
    GetProgramAccounts => "getProgramAccounts",
    GetTransaction => "getTransaction",
    SendTransaction => "sendTransaction",
    SimulateTransaction => "simulateTransaction",
    GetSignatureStatuses => "getSignatureStatuses",
    RequestAirdrop => "requestAirdrop",
}

/// Most addresses one `getMultipleAccounts` may ask for, as on mainnet RPC nodes.
pub const MAX_MULTIPLE_ACCOUNTS: usize = 100;
/// Most filters one `getProgramAccounts` may carry, as on a validator.
pub const MAX_PROGRAM_FILTERS: usize = 4;

/// Most signatures one `getSignatureStatuses` may ask about, as on a validator.
pub const MAX_SIGNATURE_STATUSES: usize = 256;
/// The largest account data a program may allocate (10 MiB): no rent question is asked
/// about more, and past it the rent arithmetic overflows.
pub const MAX_ACCOUNT_DATA_LEN: u64 = 10 * 1024 * 1024;

/// Which token accounts `getTokenAccountsByOwner` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenFilter {
    /// Accounts of this mint.
    Mint(Pubkey),
    /// Accounts of this token program (SPL Token or Token-2022).
    Program(Pubkey),
}

/// How `getTransaction` encodes the transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionEncoding {
    /// Signatures and the message as JSON.
    Json,
    /// The wire bytes in base64.
    Base64,
    /// The wire bytes in base58.
    Base58,
}

/// A request with its parameters read.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// Whether the node is up.
    Health,
    /// The node's version.
    Version,
    /// The current slot.
    Slot,
    /// The current block height.
    BlockHeight,
    /// A recent blockhash.
    LatestBlockhash,
    /// Whether a blockhash is still accepted.
    IsBlockhashValid(Hash),
    /// The rent-exempt minimum for an account of this many data bytes, at most
    /// [`MAX_ACCOUNT_DATA_LEN`].
    RentExemption(usize),
    /// The fee for a legacy message.
    FeeForMessage(Message),
    /// An account's lamports.
    Balance(Pubkey),
    /// One account.
    AccountInfo(Pubkey, AccountEncoding),
    /// Several accounts, at most [`MAX_MULTIPLE_ACCOUNTS`].
    MultipleAccounts(Vec<Pubkey>, AccountEncoding),
    /// An owner's token accounts.
    TokenAccountsByOwner {
        /// The wallet that owns them.
        owner: Pubkey,
        /// Which of them.
        filter: TokenFilter,
        /// How to encode them.
        encoding: AccountEncoding,
    },
    /// The accounts a program owns that pass every filter.
    ProgramAccounts {
        /// The owning program.
        program: Pubkey,
        /// `dataSize` and `memcmp` filters, checked as a validator checks them.
        filters: Vec<RpcFilterType>,
        /// How to encode them.
        encoding: AccountEncoding,
        /// Whether the answer carries `{"context", "value"}`.
        with_context: bool,
    },
    /// A processed transaction.
    Transaction {
        /// Its signature.
        signature: Signature,
        /// How to encode it.
        encoding: TransactionEncoding,
        /// The highest transaction version the client reads, if it said.
        max_version: Option<u64>,
    },
    /// Process a transaction.
    SendTransaction {
        /// The transaction.
        transaction: VersionedTransaction,
        /// Whether to skip the simulation that refuses failing transactions.
        skip_preflight: bool,
    },
    /// Simulate a transaction.
    SimulateTransaction(VersionedTransaction),
    /// The statuses of transactions, at most [`MAX_SIGNATURE_STATUSES`].
    SignatureStatuses(Vec<Signature>),
    /// Lamports from the faucet.
    RequestAirdrop {
        /// The recipient.
        to: Pubkey,
        /// How many.
        lamports: u64,
    },
}

impl Call {
    /// Reads the parameters of `method`.
    pub fn parse(method: Method, params: &[Value]) -> Result<Self, RpcError> {
        Ok(match method {
            Method::GetHealth => Self::Health,
            Method::GetVersion => Self::Version,
            Method::GetSlot => Self::Slot,
            Method::GetBlockHeight => Self::BlockHeight,
            Method::GetLatestBlockhash => Self::LatestBlockhash,
            Method::IsBlockhashValid => Self::IsBlockhashValid(
                string_param(params, 0)?
                    .parse()
                    .map_err(|_| RpcError::params("invalid blockhash"))?,
            ),
            Method::GetMinimumBalanceForRentExemption => Self::RentExemption(data_len(params)?),
            Method::GetFeeForMessage => Self::FeeForMessage(legacy_message(params)?),
            Method::GetBalance => Self::Balance(pubkey(string_param(params, 0)?)?),
            Method::GetAccountInfo => Self::AccountInfo(
                pubkey(string_param(params, 0)?)?,
                AccountEncoding::from_config(params.get(1))?,
            ),
            Method::GetMultipleAccounts => Self::MultipleAccounts(
                addresses(params)?,
                AccountEncoding::from_config(params.get(1))?,
            ),
            Method::GetTokenAccountsByOwner => Self::TokenAccountsByOwner {
                owner: pubkey(string_param(params, 0)?)?,
                filter: token_filter(params.get(1).unwrap_or(&Value::Null))?,
                encoding: AccountEncoding::from_config(params.get(2))?,
            },
            Method::GetProgramAccounts => Self::ProgramAccounts {
                program: pubkey(string_param(params, 0)?)?,
                filters: program_filters(params.get(1))?,
                encoding: AccountEncoding::from_config(params.get(1))?,
                with_context: params
                    .get(1)
                    .and_then(|c| c.get("withContext"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            Method::GetTransaction => transaction_lookup(params)?,
            Method::SendTransaction => Self::SendTransaction {
                transaction: params::transaction(params)?,
                skip_preflight: params
                    .get(1)
                    .and_then(|c| c.get("skipPreflight"))
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            },
            Method::SimulateTransaction => Self::SimulateTransaction(params::transaction(params)?),
            Method::GetSignatureStatuses => Self::SignatureStatuses(signatures(params)?),
            Method::RequestAirdrop => Self::RequestAirdrop {
                to: pubkey(string_param(params, 0)?)?,
                lamports: params
                    .get(1)
                    .and_then(Value::as_u64)
                    .ok_or_else(|| RpcError::params("expected lamports"))?,
            },
        })
    }
}

fn legacy_message(params: &[Value]) -> Result<Message, RpcError> {
    let bytes = base64_param(params, 0)?;
    let message: VersionedMessage =
        bincode::deserialize(&bytes).map_err(|_| RpcError::params("invalid message"))?;
    match message {
        VersionedMessage::Legacy(message) => Ok(message),
        VersionedMessage::V0(_) => Err(RpcError::params("only legacy messages are supported")),
    }
}

fn data_len(params: &[Value]) -> Result<usize, RpcError> {
    let len = params
        .first()
        .and_then(Value::as_u64)
        .ok_or_else(|| RpcError::params("expected a data length"))?;
    // A validator answers a length no account can have as an invalid request, rather
    // than computing rent that overflows (found by the `localnet_rpc` fuzz target).
    if len > MAX_ACCOUNT_DATA_LEN {
        return Err(RpcError::new(INVALID_REQUEST, "Invalid request"));
    }
    usize::try_from(len).map_err(|_| RpcError::new(INVALID_REQUEST, "Invalid request"))
}

fn addresses(params: &[Value]) -> Result<Vec<Pubkey>, RpcError> {
    let addresses = params
        .first()
        .and_then(Value::as_array)
        .ok_or_else(|| RpcError::params("expected an array of public keys"))?;
    if addresses.len() > MAX_MULTIPLE_ACCOUNTS {
        return Err(RpcError::params(
            "too many accounts requested (at most 100)",
        ));
    }
    addresses
        .iter()
        .map(|address| {
            pubkey(
                address
                    .as_str()
                    .ok_or_else(|| RpcError::params("public keys must be strings"))?,
            )
        })
        .collect()
}

fn token_filter(filter: &Value) -> Result<TokenFilter, RpcError> {
    match (
        filter.get("mint").and_then(Value::as_str),
        filter.get("programId").and_then(Value::as_str),
    ) {
        (Some(mint), None) => Ok(TokenFilter::Mint(pubkey(mint)?)),
        (None, Some(program)) => Ok(TokenFilter::Program(pubkey(program)?)),
        _ => Err(RpcError::params(
            "the filter must be {\"mint\": <pubkey>} or {\"programId\": <pubkey>}",
        )),
    }
}

fn program_filters(config: Option<&Value>) -> Result<Vec<RpcFilterType>, RpcError> {
    let Some(filters) = config.and_then(|c| c.get("filters")) else {
        return Ok(Vec::new());
    };
    let filters: Vec<RpcFilterType> = serde_json::from_value(filters.clone())
        .map_err(|e| RpcError::params(format!("invalid filters: {e}")))?;
    if filters.len() > MAX_PROGRAM_FILTERS {
        return Err(RpcError::params(format!(
            "Too many filters provided; max {MAX_PROGRAM_FILTERS}"
        )));
    }
    for filter in &filters {
        filter
            .verify()
            .map_err(|e| RpcError::params(format!("invalid filter: {e}")))?;
    }
    Ok(filters)
}

fn transaction_lookup(params: &[Value]) -> Result<Call, RpcError> {
    let signature = params::signature(string_param(params, 0)?)?;
    // The config is an object, or (deprecated) just the encoding.
    let config = params.get(1);
    let encoding = match config {
        Some(Value::String(encoding)) => encoding.as_str(),
        Some(config) => config
            .get("encoding")
            .and_then(Value::as_str)
            .unwrap_or("json"),
        None => "json",
    };
    let encoding = match encoding {
        "json" => TransactionEncoding::Json,
        "base64" => TransactionEncoding::Base64,
        "base58" => TransactionEncoding::Base58,
        other => {
            return Err(RpcError::params(format!(
                "encoding {other} is not supported by this localnet; use json, base64 or base58"
            )))
        }
    };
    Ok(Call::Transaction {
        signature,
        encoding,
        max_version: config
            .and_then(|c| c.get("maxSupportedTransactionVersion"))
            .and_then(Value::as_u64),
    })
}

fn signatures(params: &[Value]) -> Result<Vec<Signature>, RpcError> {
    let signatures = params
        .first()
        .and_then(Value::as_array)
        .ok_or_else(|| RpcError::params("expected an array of signatures"))?;
    // As on a validator: the bank looks each one up while holding the request gate.
    if signatures.len() > MAX_SIGNATURE_STATUSES {
        return Err(RpcError::params(format!(
            "Too many inputs provided; max {MAX_SIGNATURE_STATUSES}"
        )));
    }
    signatures
        .iter()
        .map(|signature| {
            params::signature(
                signature
                    .as_str()
                    .ok_or_else(|| RpcError::params("signatures must be strings"))?,
            )
        })
        .collect()
}
