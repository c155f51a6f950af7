//! `getProgramAccounts(program, {filters, encoding, dataSlice, withContext})`: the accounts a
//! program owns, filtered by `dataSize` and `memcmp` exactly as a validator filters them
//! (the filter types and matching come from `solana-rpc-client-types`; `request` reads them).
//!
//! The bank has no index of accounts by owner, so the candidates are every account a
//! processed transaction listed (see `ledger`): an account can only be created or changed
//! by a transaction that lists it.

use serde_json::{json, Value};
use solana_rpc_client_types::filter::RpcFilterType;
use solana_sdk::pubkey::Pubkey;

use super::params::AccountEncoding;
use super::{Localnet, RpcError};

fn passes(filter: &RpcFilterType, data: &[u8]) -> bool {
    match filter {
        RpcFilterType::DataSize(size) => data.len() as u64 == *size,
        RpcFilterType::Memcmp(memcmp) => memcmp.bytes_match(data),
        // Token account state is not a filter the anoghost program's accounts need.
        RpcFilterType::TokenAccountState => false,
    }
}

impl Localnet {
    pub(super) async fn program_accounts(
        &self,
        program: Pubkey,
        filters: &[RpcFilterType],
        encoding: AccountEncoding,
        with_context: bool,
    ) -> Result<Value, RpcError> {
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
