//! Account reads: `getBalance`, `getAccountInfo`, `getMultipleAccounts` and
//! `getTokenAccountsByOwner`, encoded by `solana-account-decoder` exactly as a validator
//! encodes them (base58, base64, base64+zstd, jsonParsed).

use anoghost_program_client::key::read_key_holding;
use serde_json::{json, Value};
use solana_account_decoder::parse_account_data::AccountAdditionalDataV3;
use solana_account_decoder::parse_account_data::SplTokenAdditionalDataV2;
use solana_account_decoder::parse_token::is_known_spl_token_id;
use solana_account_decoder::{encode_ui_account, UiAccountEncoding};
use solana_sdk::account::Account;
use solana_sdk::pubkey::Pubkey;

use super::params::AccountEncoding;
use super::request::TokenFilter;
use super::{Localnet, RpcError};

/// Largest account data a validator encodes in base58.
const MAX_BASE58_BYTES: usize = 128;
/// Offset of `decimals` in an SPL Token (and Token-2022) mint.
const MINT_DECIMALS_OFFSET: usize = 44;

impl Localnet {
    pub(super) async fn fetch(&self, address: Pubkey) -> Result<Option<Account>, RpcError> {
        self.client
            .get_account(address)
            .await
            .map_err(RpcError::internal)
    }

    /// Encodes `account` as asked. jsonParsed token accounts need their mint's decimals,
    /// read from the bank as a validator does.
    pub(super) async fn encode(
        &self,
        address: &Pubkey,
        account: &Account,
        encoding: AccountEncoding,
    ) -> Result<Value, RpcError> {
        let binary = matches!(
            encoding.encoding,
            UiAccountEncoding::Binary | UiAccountEncoding::Base58
        );
        if binary && account.data.len() > MAX_BASE58_BYTES {
            return Err(RpcError::params(
                "Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.",
            ));
        }
        let mut additional = None;
        if matches!(encoding.encoding, UiAccountEncoding::JsonParsed)
            && is_known_spl_token_id(&account.owner)
        {
            if let Ok(holding) = read_key_holding(&account.data) {
                if let Some(mint) = self.fetch(holding.mint).await? {
                    if let Some(&decimals) = mint.data.get(MINT_DECIMALS_OFFSET) {
                        additional = Some(AccountAdditionalDataV3 {
                            spl_token_additional_data: Some(
                                SplTokenAdditionalDataV2::with_decimals(decimals),
                            ),
                        });
                    }
                }
            }
        }
        let ui = encode_ui_account(
            address,
            account,
            encoding.encoding,
            additional,
            encoding.slice,
        );
        serde_json::to_value(ui).map_err(RpcError::internal)
    }

    /// `{"context", "value"}` for an account notification: the account now, encoded as the
    /// subscription asked; a closed account reads as empty, with zero lamports.
    pub(crate) async fn account_value(
        &self,
        address: &Pubkey,
        config: &Value,
    ) -> Result<Value, RpcError> {
        let encoding = AccountEncoding::from_config(Some(config))?;
        let gate = self.bank_gate.clone();
        let _bank = gate.lock().await;
        let account = self.fetch(*address).await?.unwrap_or_default();
        let value = self.encode(address, &account, encoding).await?;
        self.with_context(value).await
    }

    pub(super) async fn balance(&self, address: Pubkey) -> Result<Value, RpcError> {
        let lamports = self
            .client
            .get_balance(address)
            .await
            .map_err(RpcError::internal)?;
        self.with_context(json!(lamports)).await
    }

    pub(super) async fn account_info(
        &self,
        address: Pubkey,
        encoding: AccountEncoding,
    ) -> Result<Value, RpcError> {
        let value = match self.fetch(address).await? {
            Some(account) => self.encode(&address, &account, encoding).await?,
            None => Value::Null,
        };
        self.with_context(value).await
    }

    pub(super) async fn multiple_accounts(
        &self,
        addresses: &[Pubkey],
        encoding: AccountEncoding,
    ) -> Result<Value, RpcError> {
        let mut values = Vec::with_capacity(addresses.len());
        for address in addresses {
            values.push(match self.fetch(*address).await? {
                Some(account) => self.encode(address, &account, encoding).await?,
                None => Value::Null,
            });
        }
        self.with_context(Value::Array(values)).await
    }

    /// `getTokenAccountsByOwner(owner, {"mint"} | {"programId"}, config)`: the owner's token
    /// accounts, from every account a processed transaction touched (see `ledger`).
    pub(super) async fn token_accounts_by_owner(
        &self,
        owner: Pubkey,
        filter: TokenFilter,
        encoding: AccountEncoding,
    ) -> Result<Value, RpcError> {
        let (mint, program) = match filter {
            TokenFilter::Mint(mint) => (Some(mint), None),
            TokenFilter::Program(program) if is_known_spl_token_id(&program) => {
                (None, Some(program))
            }
            TokenFilter::Program(_) => {
                return Err(RpcError::params(
                    "Invalid param: unrecognized Token program id",
                ))
            }
        };
        let candidates = self.ledger().touched_accounts();
        let mut values = Vec::new();
        for address in candidates {
            let Some(account) = self.fetch(address).await? else {
                continue;
            };
            if !is_known_spl_token_id(&account.owner)
                || program.is_some_and(|program| account.owner != program)
            {
                continue;
            }
            let Ok(holding) = read_key_holding(&account.data) else {
                continue;
            };
            if holding.owner != owner || mint.is_some_and(|mint| holding.mint != mint) {
                continue;
            }
            values.push(json!({
                "pubkey": address.to_string(),
                "account": self.encode(&address, &account, encoding).await?,
            }));
        }
        self.with_context(Value::Array(values)).await
    }
}
