//! The checks a key NFT passes before its holder may join the room it opens. They use one
//! `getMultipleAccounts` request, for the holder's key mint and the holder's token account.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost_program_client::key::{read_key_holding, read_key_mint};
use anoghost_program_client::{key_token_account, pda};

use super::binding;
use super::chain::{Chain, ChainError};
use super::master_keys::MasterKeys;
use super::RoomTag;
use crate::secret::HolderAddress;

/// Which check a key failed. Callers answer every one of these the same way, so a prober
/// learns nothing about which part of a forged key was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidKey {
    /// The mint or the holder's token account does not exist.
    Missing,
    /// An account is not owned by Token-2022, or does not parse.
    NotToken2022,
    /// NonTransferable is missing, or the close authority, metadata pointer or metadata
    /// authority is not the program's key authority.
    WrongExtensions,
    /// Supply is not 1, decimals not 0, or a mint authority remains.
    WrongSupply,
    /// The token account is not the holder's, or does not hold the key.
    NotHeldByHolder,
    /// The room binding is not for this room, this mint, or a master key this gateway holds.
    WrongRoom,
}

/// Why a key was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum KeyRefused {
    /// Raised if the key does not admit this holder to this room.
    #[error("key refused")]
    Invalid(InvalidKey),
    /// Raised if the chain could not be read.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

fn refuse(reason: InvalidKey) -> KeyRefused {
    KeyRefused::Invalid(reason)
}

/// Checks that `holder` holds a live AnoGhost key bound to the room with `tag`.
///
/// The mint is looked up at `[SEED_KEY, holder]`, a PDA of the program: only the program can
/// create an account there, and only in `key_mint`, so an account at that address owned by
/// Token-2022 is a key the program minted. The remaining checks hold it to the state
/// `key_mint` leaves.
pub async fn check_key(
    chain: &dyn Chain,
    keys: &MasterKeys,
    holder: &HolderAddress,
    tag: &RoomTag,
) -> Result<(), KeyRefused> {
    let holder = Pubkey::new_from_array(*holder.as_bytes());
    let mint = pda::key_mint(&holder);
    let holding_address = key_token_account(&holder, &mint);
    let accounts = chain
        .get_multiple_accounts(&[mint, holding_address])
        .await?;
    let (Some(Some(mint_account)), Some(Some(holding_account))) =
        (accounts.first(), accounts.get(1))
    else {
        return Err(refuse(InvalidKey::Missing));
    };
    if mint_account.owner != TOKEN_2022 || holding_account.owner != TOKEN_2022 {
        return Err(refuse(InvalidKey::NotToken2022));
    }
    let key = read_key_mint(&mint_account.data).map_err(|_| refuse(InvalidKey::NotToken2022))?;
    let authority = Some(pda::key_authority());
    let as_the_program_sets_them = key.non_transferable
        && key.close_authority == authority
        && key.metadata_pointer == Some((authority, Some(mint)))
        && key.metadata_update_authority == authority;
    if !as_the_program_sets_them {
        return Err(refuse(InvalidKey::WrongExtensions));
    }
    if key.supply != 1 || key.decimals != 0 || key.mint_authority.is_some() {
        return Err(refuse(InvalidKey::WrongSupply));
    }
    let holding =
        read_key_holding(&holding_account.data).map_err(|_| refuse(InvalidKey::NotToken2022))?;
    if holding.owner != holder || holding.mint != mint || holding.amount != 1 {
        return Err(refuse(InvalidKey::NotHeldByHolder));
    }
    if !binding::verifies(keys, tag, &mint, &key.room_binding) {
        return Err(refuse(InvalidKey::WrongRoom));
    }
    Ok(())
}
