//! Finding a room escrow by its nonce alone, whoever paid it. A Solana Pay link carries the
//! nonce; the escrow's address also depends on the wallet that scanned it, which may not be
//! the one the initiator expected.

use anoghost_program_client::accounts::{decode_escrow, escrow_len, RoomEscrow};
use anoghost_program_client::limits::ESCROW_NONCE_OFFSET;
use anoghost_program_client::PROGRAM_ID;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::{RpcAccountInfoConfig, RpcProgramAccountsConfig};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_sdk::pubkey::Pubkey;

use crate::chain::ChainError;

/// Every escrow with this nonce (one `getProgramAccounts` with a `memcmp` on the nonce).
pub async fn escrows_with_nonce(
    rpc: &RpcClient,
    nonce: &[u8; 32],
) -> Result<Vec<(Pubkey, RoomEscrow)>, ChainError> {
    let config = RpcProgramAccountsConfig {
        filters: Some(vec![
            RpcFilterType::DataSize(escrow_len() as u64),
            RpcFilterType::Memcmp(Memcmp::new_base58_encoded(ESCROW_NONCE_OFFSET, nonce)),
        ]),
        account_config: RpcAccountInfoConfig {
            encoding: Some(UiAccountEncoding::Base64),
            ..RpcAccountInfoConfig::default()
        },
        ..RpcProgramAccountsConfig::default()
    };
    let accounts = rpc
        .get_program_ui_accounts_with_config(&PROGRAM_ID, config)
        .await
        .map_err(|e| ChainError::unreachable(rpc, e))?;
    Ok(accounts
        .into_iter()
        .filter_map(|(address, account)| {
            let account = account.decode::<solana_sdk::account::Account>()?;
            let escrow = decode_escrow(&account.owner, &account.data).ok()?;
            Some((address, escrow))
        })
        .collect())
}
