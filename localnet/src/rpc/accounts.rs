//! Account reads: `getBalance`, `getAccountInfo`, `getMultipleAccounts`.

use base64::Engine as _;
use serde_json::{json, Value};
use solana_sdk::account::Account;
use solana_sdk::pubkey::Pubkey;

use super::{string_param, Localnet, RpcError};

/// Most addresses one `getMultipleAccounts` may ask for, as on mainnet RPC nodes.
const MAX_MULTIPLE_ACCOUNTS: usize = 100;

fn pubkey(text: &str) -> Result<Pubkey, RpcError> {
    text.parse()
        .map_err(|_| RpcError::params(format!("invalid public key: {text}")))
}

/// Accepts base64 and base64+zstd; both are answered in plain base64, which clients decode
/// by the encoding named in the answer. Other encodings are refused.
fn check_encoding(config: Option<&Value>) -> Result<(), RpcError> {
    match config
        .and_then(|c| c.get("encoding"))
        .and_then(Value::as_str)
    {
        None | Some("base64") | Some("base64+zstd") => Ok(()),
        Some(other) => Err(RpcError::params(format!(
            "encoding {other} is not supported by this localnet; use base64"
        ))),
    }
}

fn account_json(account: &Account) -> Value {
    json!({
        "data": [base64::engine::general_purpose::STANDARD.encode(&account.data), "base64"],
        "executable": account.executable,
        "lamports": account.lamports,
        "owner": account.owner.to_string(),
        "rentEpoch": account.rent_epoch,
        "space": account.data.len(),
    })
}

impl Localnet {
    pub(super) async fn balance(&self, params: &[Value]) -> Result<Value, RpcError> {
        let address = pubkey(string_param(params, 0)?)?;
        let lamports = self
            .client
            .get_balance(address)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(json!(lamports)).await
    }

    pub(super) async fn account_info(&self, params: &[Value]) -> Result<Value, RpcError> {
        let address = pubkey(string_param(params, 0)?)?;
        check_encoding(params.get(1))?;
        let account = self
            .client
            .get_account(address)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(account.as_ref().map_or(Value::Null, account_json))
            .await
    }

    pub(super) async fn multiple_accounts(&self, params: &[Value]) -> Result<Value, RpcError> {
        let addresses = params
            .first()
            .and_then(Value::as_array)
            .ok_or_else(|| RpcError::params("expected an array of public keys"))?;
        if addresses.len() > MAX_MULTIPLE_ACCOUNTS {
            return Err(RpcError::params(
                "too many accounts requested (at most 100)",
            ));
        }
        check_encoding(params.get(1))?;
        let mut values = Vec::with_capacity(addresses.len());
        for address in addresses {
            let address = pubkey(
                address
                    .as_str()
                    .ok_or_else(|| RpcError::params("public keys must be strings"))?,
            )?;
            let account = self
                .client
                .get_account(address)
                .await
                .map_err(RpcError::internal)?;
            values.push(account.as_ref().map_or(Value::Null, account_json));
        }
        self.with_context(Value::Array(values)).await
    }
}
