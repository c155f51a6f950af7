//! The AnoGhost keys a wallet holds, read over JSON-RPC: one `getTokenAccountsByOwner`
//! (Token-2022 accounts) and one `getMultipleAccounts` per 100 mints.
//!
//! Only genuine keys are listed: a Token-2022 mint whose address is the program's key PDA
//! for the sealed ghostId it carries (see `docs/program.md`). Anyone can airdrop a
//! look-alike token into a wallet; it is left out here, and the gateway would refuse it.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost_program_client::key::{read_key_holding, read_key_mint};
use anoghost_program_client::pda;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::request::TokenAccountsFilter;

use crate::chain::ChainError;

/// A key a wallet holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldKey {
    /// The key's mint address: what `join-paid` presents.
    pub mint: Pubkey,
    /// The room name written into the key.
    pub name: String,
}

/// Most accounts one `getMultipleAccounts` may ask for.
const MULTIPLE_ACCOUNTS_LIMIT: usize = 100;

/// Lists the keys `owner` holds, in the order the chain returns them.
pub async fn held_keys(rpc: &RpcClient, owner: &Pubkey) -> Result<Vec<HeldKey>, ChainError> {
    let accounts = rpc
        .get_token_accounts_by_owner(owner, TokenAccountsFilter::ProgramId(TOKEN_2022))
        .await
        .map_err(|e| ChainError::unreachable(rpc, e))?;
    let mut mints = Vec::new();
    for keyed in accounts {
        let Some(data) = keyed.account.data.decode() else {
            // jsonParsed: the mint and amount are in the parsed info.
            let info = match &keyed.account.data {
                solana_account_decoder_client_types::UiAccountData::Json(parsed) => {
                    parsed.parsed["info"].clone()
                }
                _ => continue,
            };
            let held_one = info["tokenAmount"]["amount"].as_str() == Some("1");
            if let (true, Some(Ok(mint))) =
                (held_one, info["mint"].as_str().map(str::parse::<Pubkey>))
            {
                mints.push(mint);
            }
            continue;
        };
        if let Ok(holding) = read_key_holding(&data) {
            if holding.amount == 1 && holding.owner == *owner {
                mints.push(holding.mint);
            }
        }
    }
    let mut keys = Vec::new();
    for chunk in mints.chunks(MULTIPLE_ACCOUNTS_LIMIT) {
        let accounts = rpc
            .get_multiple_accounts(chunk)
            .await
            .map_err(|e| ChainError::unreachable(rpc, e))?;
        for (mint, account) in chunk.iter().zip(accounts) {
            let Some(account) = account else { continue };
            let Ok(info) = read_key_mint(&account.data) else {
                continue;
            };
            if account.owner == TOKEN_2022 && pda::key_mint(&info.sealed_ghost) == *mint {
                keys.push(HeldKey {
                    mint: *mint,
                    name: info.name,
                });
            }
        }
    }
    Ok(keys)
}
