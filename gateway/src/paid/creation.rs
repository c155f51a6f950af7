//! Creating a paid room: check the initiator's escrow, lock it on chain, then hand the keys
//! to the shared batch minter.
//!
//! The escrow is locked before any key is minted, so the payer cannot refund while keys are
//! being minted, and settlement needs nothing but the chain's state (`settlement`). No
//! mint references the escrow, and the initiator never learns a mint address.
//!
//! Every lock carries a random lock id, which the escrow records. Two requests for one
//! escrow (on one gateway or two) may both find it open and both send a lock; the chain
//! takes one. A request whose lock seems to fail mints only if the escrow names its own lock
//! id: its lock landed and only the confirmation was lost. A rival's lock of the same count
//! looks the same in every other field.

use std::collections::HashSet;

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::accounts::{decode_escrow, EscrowState};
use anoghost_program_client::limits::INVITE_LEN;
use anoghost_program_client::{instructions as ix, pda};
use rand::RngCore;
use solana_sdk::signature::Signer;
use tokio::sync::oneshot;

use super::binding;
use super::chain::{send_alone, ChainError};
use super::minter::KeyOrder;
use super::{PaidRooms, RoomTag};
use crate::secret::{HolderAddress, WalletAddress};

/// Why a paid room could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Raised if no escrow of this wallet exists under that nonce.
    #[error("no escrow for this wallet and nonce")]
    EscrowNotFound,
    /// Raised if the escrow paid for fewer keys than there are invitees to mint for.
    #[error("the escrow paid for fewer keys than invitees")]
    EscrowTooSmall,
    /// Raised if the escrow is no longer open: locked for a room already.
    #[error("the escrow was already locked")]
    EscrowUsed,
    /// Raised if the chain could not be read or written.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

/// One invitee of a request.
pub struct Invitee {
    /// The holder its ghostId sealed, if the ghostId opened.
    pub holder: Option<HolderAddress>,
    /// Its sealed invite, written into its key as is.
    pub invite: [u8; INVITE_LEN],
}

/// A checked `room_create_paid`.
pub struct CreateRequest {
    /// The signed-in wallet, which must have paid the escrow.
    pub initiator: WalletAddress,
    /// The escrow's nonce.
    pub nonce: [u8; 32],
    /// The room's tag.
    pub tag: RoomTag,
    /// The invitees, in the request's order.
    pub invitees: Vec<Invitee>,
}

/// Locks the escrow for the invitees that can get a key and queues their keys. The receiver
/// yields, per invitee, whether its key was minted.
pub async fn create_room(
    paid: &PaidRooms,
    request: CreateRequest,
) -> Result<oneshot::Receiver<Vec<bool>>, CreateError> {
    let payer = Pubkey::new_from_array(*request.initiator.as_bytes());
    let escrow_address = pda::escrow(&payer, &request.nonce);
    // An invitee gets a key if its ghostId opened, its holder is not named twice, and the
    // holder has no key yet (a key already there would make the mint fail, and the payer
    // is not charged for it).
    let mut seen = HashSet::new();
    let candidates: Vec<(usize, Pubkey)> = request
        .invitees
        .iter()
        .enumerate()
        .filter_map(|(slot, invitee)| {
            let holder = Pubkey::new_from_array(*invitee.holder.as_ref()?.as_bytes());
            seen.insert(holder)
                .then_some((slot, pda::key_mint(&holder)))
        })
        .collect();
    let mut addresses = vec![escrow_address];
    addresses.extend(candidates.iter().map(|(_, mint)| *mint));
    let accounts = paid.chain.get_multiple_accounts(&addresses).await?;
    let escrow = accounts
        .first()
        .and_then(Option::as_ref)
        .and_then(|account| decode_escrow(&account.owner, &account.data).ok())
        .filter(|escrow| escrow.payer == payer)
        .ok_or(CreateError::EscrowNotFound)?;
    if escrow.state != EscrowState::Open {
        return Err(CreateError::EscrowUsed);
    }
    let to_mint: Vec<(usize, Pubkey)> = candidates
        .into_iter()
        .zip(accounts.iter().skip(1))
        .filter(|(_, account)| account.is_none())
        .map(|(candidate, _)| candidate)
        .collect();
    let keys = u16::try_from(to_mint.len()).map_err(|_| CreateError::EscrowTooSmall)?;
    if keys > escrow.keys {
        return Err(CreateError::EscrowTooSmall);
    }

    let mut lock_id = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut lock_id);
    let lock = ix::room_lock(
        &paid.authority.pubkey(),
        &payer,
        request.nonce,
        keys,
        lock_id,
    );
    if let Err(error) = send_alone(paid.chain.as_ref(), &paid.authority, lock).await {
        after_failed_lock(paid, escrow_address, lock_id, error).await?;
    }
    tracing::debug!("escrow locked for a paid room");
    paid.settler.sweep_soon();

    let invitee_count = request.invitees.len();
    let mut invitees = request.invitees;
    let orders = to_mint
        .into_iter()
        .filter_map(|(slot, mint)| {
            let holder = invitees[slot].holder.take()?;
            Some(KeyOrder {
                holder,
                binding: binding::bind(&paid.keys, &request.tag, &mint),
                invite: invitees[slot].invite,
                slot,
            })
        })
        .collect();
    Ok(paid.minter.submit(invitee_count, orders))
}

/// What a failed lock means, read from the escrow. Locked under this request's `lock_id`:
/// the lock landed and only its confirmation was lost, so minting goes ahead (the payer would
/// otherwise be charged for keys nobody mints). Locked under another id: another request
/// locked it first, whatever its count. Still open: the chain failed. Gone: refunded
/// meanwhile.
async fn after_failed_lock(
    paid: &PaidRooms,
    escrow: Pubkey,
    lock_id: [u8; 16],
    error: ChainError,
) -> Result<(), CreateError> {
    let now = paid
        .chain
        .get_multiple_accounts(&[escrow])
        .await
        .ok()
        .and_then(|accounts| accounts.into_iter().next().flatten())
        .and_then(|account| decode_escrow(&account.owner, &account.data).ok());
    match now {
        Some(escrow) if escrow.state == EscrowState::Locked && escrow.lock_id == lock_id => Ok(()),
        Some(escrow) if escrow.state == EscrowState::Locked => Err(CreateError::EscrowUsed),
        Some(_) => Err(CreateError::Chain(error)),
        None => Err(CreateError::EscrowNotFound),
    }
}
