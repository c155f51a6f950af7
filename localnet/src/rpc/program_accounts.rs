//! `getProgramAccounts(program, {filters, encoding, dataSlice, withContext})`: the accounts a
//! program owns, filtered by `dataSize` and `memcmp` exactly as a validator filters them
//! (the filter types and matching come from `solana-rpc-client-api`).
//!
//! The bank has no index of accounts by owner, so the candidates are every account a
//! processed transaction listed (see `ledger`): an account can only be created or changed
//! by a transaction that lists it.

use serde_json::{json, Value};
use solana_rpc_client_api::filter::RpcFilterType;

use super::accounts::{pubkey, Encoding};
use super::{string_param, Localnet, RpcError};

fn parse_filters(config: Option<&Value>) -> Result<Vec<RpcFilterType>, RpcError> {
    let Some(filters) = config.and_then(|c| c.get("filters")) else {
        return Ok(Vec::new());
    };
    let filters: Vec<RpcFilterType> = serde_json::from_value(filters.clone())
        .map_err(|e| RpcError::params(format!("invalid filters: {e}")))?;
    for filter in &filters {
        filter
            .verify()
            .map_err(|e| RpcError::params(format!("invalid filter: {e}")))?;
    }
    Ok(filters)
}

fn passes(filter: &RpcFilterType, data: &[u8]) -> bool {
    match filter {
        RpcFilterType::DataSize(size) => data.len() as u64 == *size,
        RpcFilterType::Memcmp(memcmp) => memcmp.bytes_match(data),
        // Token account state is not a filter the anoghost program's accounts need.
        RpcFilterType::TokenAccountState => false,
    }
}

impl Localnet {
    pub(super) async fn program_accounts(&self, params: &[Value]) -> Result<Value, RpcError> {
        let program = pubkey(string_param(params, 0)?)?;
        let config = params.get(1);
        let filters = parse_filters(config)?;
        let encoding = Encoding::from_config(config)?;
        let with_context = config
            .and_then(|c| c.get("withContext"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let candidates = self.ledger().touched_accounts();
        let mut values = Vec::new();
        for address in candidates {
            let Some(account) = self.fetch(address).await? else {
                continue;
            };
            if account.owner != program || !filters.iter().all(|f| passes(f, &account.data)) {
                continue;
            }
            values.push(json!({
                "pubkey": address.to_string(),
                "account": self.encode(&address, &account, encoding).await?,
            }));
        }
        if with_context {
            self.with_context(Value::Array(values)).await
        } else {
            Ok(Value::Array(values))
        }
    }
}
