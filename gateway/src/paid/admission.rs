//! The checks a key NFT passes before its holder may join the room it opens. They use one
//! `getMultipleAccounts` request for the mint and the holder's token account.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost_program_client::key::{read_key_holding, read_key_mint};
use anoghost_program_client::{key_token_account, pda};

use super::chain::{Chain, ChainError};
use super::seal::{SealKind, Sealer};
use super::RoomId;
use crate::secret::WalletAddress;

/// Which check a key failed. Callers answer every one of these the same way, so a prober
/// learns nothing about which part of a forged key was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidKey {
    /// The mint or the holder's token account does not exist.
    Missing,
    /// An account is not owned by Token-2022, or does not parse.
    NotToken2022,
    /// The mint is not at the address the program derives from its ghost seal.
    NotMintedByProgram,
    /// NonTransferable is missing, or the close authority is not the program's.
    WrongExtensions,
    /// Supply is not 1, decimals not 0, or a mint authority remains.
    WrongSupply,
    /// The token account is not the signed-in wallet's, or does not hold the key.
    NotHeldByWallet,
    /// The ghost seal does not open to the signed-in wallet.
    GhostMismatch,
    /// The room seal does not open.
    RoomSealInvalid,
}

/// Why a key was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum KeyRefused {
    /// Raised if the key is not a valid key for this wallet.
    #[error("key refused")]
    Invalid(InvalidKey),
    /// Raised if the chain could not be read.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

fn refuse(reason: InvalidKey) -> KeyRefused {
    KeyRefused::Invalid(reason)
}

/// Checks that `mint` is a live AnoGhost key held by `wallet`, and returns its room id.
pub async fn check_key(
    chain: &dyn Chain,
    sealer: &Sealer,
    wallet: &WalletAddress,
    mint: Pubkey,
) -> Result<RoomId, KeyRefused> {
    let holder = Pubkey::new_from_array(*wallet.as_bytes());
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
    // Only the program can create an account at this address, and only in `key_mint`.
    if pda::key_mint(&key.sealed_ghost) != mint {
        return Err(refuse(InvalidKey::NotMintedByProgram));
    }
    if !key.non_transferable || key.close_authority != Some(pda::key_authority()) {
        return Err(refuse(InvalidKey::WrongExtensions));
    }
    if key.supply != 1 || key.decimals != 0 || key.mint_authority.is_some() {
        return Err(refuse(InvalidKey::WrongSupply));
    }
    let holding =
        read_key_holding(&holding_account.data).map_err(|_| refuse(InvalidKey::NotToken2022))?;
    if holding.owner != holder || holding.mint != mint || holding.amount != 1 {
        return Err(refuse(InvalidKey::NotHeldByWallet));
    }
    let ghost = sealer
        .open(SealKind::Ghost, &key.sealed_ghost)
        .ok_or(refuse(InvalidKey::GhostMismatch))?;
    if ghost.as_slice() != wallet.as_bytes() {
        return Err(refuse(InvalidKey::GhostMismatch));
    }
    let room = sealer
        .open(SealKind::Room, &key.sealed_room)
        .ok_or(refuse(InvalidKey::RoomSealInvalid))?;
    room.as_slice()
        .try_into()
        .map_err(|_| refuse(InvalidKey::RoomSealInvalid))
}
