//! Finding a wallet's keys on chain, and choosing the index of a new ghost contact.
//!
//! Key *i* of a wallet, if it exists, is the mint at `[SEED_KEY, holder i]`. A scan reads
//! those addresses for `i` in batches of 100, one `getMultipleAccounts` each, until a whole
//! batch holds no key. A new contact takes an index chosen uniformly at random among the
//! first 100 unused ones, so two contacts given out before either key is minted collide
//! with probability 1/100; a collision only makes the second key's mint fail (its address
//! is taken), which its initiator sees as "not minted".
//!
//! Burning keys can leave a whole empty batch below live keys; a scan stops there and does
//! not see keys above it (`docs/protocol.md`, Paid rooms). New contacts refill the lowest
//! unused indices first, which closes such gaps.

use std::collections::BTreeMap;

use anchor_spl::token_2022::ID as TOKEN_2022;
use anoghost_program_client::key::read_key_mint;
use anoghost_program_client::pda;
use rand::Rng;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::account::Account;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};

use super::holder::HolderRoot;
use super::invite::PaidInvite;
use crate::chain::ChainError;

/// Indices read per `getMultipleAccounts` (the RPC's maximum), and the size of the window
/// a new contact's index is drawn from.
pub const BATCH: u32 = 100;

/// A key the wallet holds, with what it needs to use it.
pub struct HeldKey {
    /// The holder index.
    pub index: u32,
    /// The holder's key pair: it proves the key at join and signs its burn.
    pub holder: Keypair,
    /// The key's mint address.
    pub mint: Pubkey,
    /// The invite sealed into the key: the room's secret and name.
    pub invite: PaidInvite,
}

impl std::fmt::Debug for HeldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeldKey")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

/// Key `index` of `root`, read from its mint account: `None` unless the account is a
/// Token-2022 key whose invite opens with invite key `index`.
pub fn open_held_key(root: &HolderRoot, index: u32, account: &Account) -> Option<HeldKey> {
    if account.owner != TOKEN_2022 {
        return None;
    }
    let key = read_key_mint(&account.data).ok()?;
    let holder = root.holder(index);
    let mint = pda::key_mint(&holder.pubkey());
    let invite = PaidInvite::open(&key.invite, &root.invite_key(index)).ok()?;
    Some(HeldKey {
        index,
        holder,
        mint,
        invite,
    })
}

/// Every index that holds a key, with its mint account, scanning batch by batch until a
/// whole batch is empty.
async fn scan(rpc: &RpcClient, root: &HolderRoot) -> Result<BTreeMap<u32, Account>, ChainError> {
    let mut used = BTreeMap::new();
    for start in (0..).step_by(BATCH as usize) {
        let indices: Vec<u32> = (start..start + BATCH).collect();
        let mints: Vec<Pubkey> = indices
            .iter()
            .map(|i| pda::key_mint(&root.holder(*i).pubkey()))
            .collect();
        let accounts = rpc
            .get_multiple_accounts(&mints)
            .await
            .map_err(|e| ChainError::unreachable(rpc, e))?;
        let before = used.len();
        for (index, account) in indices.into_iter().zip(accounts) {
            if let Some(account) = account {
                used.insert(index, account);
            }
        }
        if used.len() == before {
            break;
        }
    }
    Ok(used)
}

/// The keys the wallet behind `root` holds, in index order.
pub async fn held_keys(rpc: &RpcClient, root: &HolderRoot) -> Result<Vec<HeldKey>, ChainError> {
    Ok(scan(rpc, root)
        .await?
        .iter()
        .filter_map(|(index, account)| open_held_key(root, *index, account))
        .collect())
}

/// The index for a new ghost contact: uniformly random among the first [`BATCH`] indices
/// that hold no key.
pub async fn next_contact_index(
    rpc: &RpcClient,
    root: &HolderRoot,
    rng: &mut impl Rng,
) -> Result<u32, ChainError> {
    let used = scan(rpc, root).await?;
    Ok(choose_index(|index| used.contains_key(&index), rng))
}

/// Uniformly random among the first [`BATCH`] indices for which `used` is false.
pub fn choose_index(used: impl Fn(u32) -> bool, rng: &mut impl Rng) -> u32 {
    let window: Vec<u32> = (0..)
        .filter(|index| !used(*index))
        .take(BATCH as usize)
        .collect();
    window[rng.gen_range(0..window.len())]
}

#[cfg(test)]
mod tests {
    use rand::rngs::OsRng;

    use super::*;

    #[test]
    fn a_new_index_is_drawn_from_the_first_hundred_unused() {
        let used = |index: u32| index.is_multiple_of(2) && index < 150;
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..5_000 {
            let index = choose_index(used, &mut OsRng);
            assert!(!used(index));
            seen.insert(index);
        }
        // Odd indices below 150 (75 of them), then 150..175: the first 100 unused.
        assert_eq!(seen.len(), 100, "every index of the window is drawn");
        assert_eq!(seen.first(), Some(&1));
        assert_eq!(seen.last(), Some(&174));
    }
}
