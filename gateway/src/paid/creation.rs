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
//! looks the same in every other field. A failure the chain did not refuse is waited out
//! while the lock may still land (`after_failed_lock`).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::accounts::{decode_escrow, EscrowState};
use anoghost_program_client::limits::INVITE_LEN;
use anoghost_program_client::{instructions as ix, pda};
use rand::RngCore;
use solana_sdk::hash::Hash;
use solana_sdk::signature::Signer;
use tokio::sync::oneshot;

use super::binding;
use super::chain::{sign_alone, ChainError};
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
    let lock = sign_alone(paid.chain.as_ref(), &paid.authority, lock).await?;
    let blockhash = lock.message.recent_blockhash;
    if let Err(error) = paid.chain.send_and_confirm(lock).await {
        let lock = FailedLock {
            escrow: escrow_address,
            lock_id,
            blockhash,
        };
        after_failed_lock(paid, &lock, error).await?;
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

/// A lock whose sending failed.
struct FailedLock {
    escrow: Pubkey,
    lock_id: [u8; 16],
    blockhash: Hash,
}

/// Between reads of the escrow while a lock's outcome is unknown.
const OUTCOME_POLL: Duration = Duration::from_secs(1);
/// How long after the lock's blockhash expired a read may still miss it: reads at the RPC
/// client's default commitment (finalized) trail the newest slot by about 32 slots, 13 s.
const FINALITY_MARGIN: Duration = Duration::from_secs(20);
/// The longest wait for an outcome, whatever the chain says: a blockhash lives about 60 to
/// 90 s.
const OUTCOME_WAIT_MAX: Duration = Duration::from_secs(150);

/// What a failed lock means, read from the escrow. Locked under this request's lock id: the
/// lock landed and only its confirmation was lost, so minting goes ahead (the payer would
/// otherwise be charged for keys nobody mints). Locked under another id: another request
/// locked it first, whatever its count. Gone: refunded or settled meanwhile. Still open:
/// if the chain refused the lock, it failed; otherwise the lock may still land until its
/// blockhash expires, so the escrow is read again until it shows the lock, or the blockhash
/// has expired and a read has had time to catch up.
async fn after_failed_lock(
    paid: &PaidRooms,
    lock: &FailedLock,
    error: ChainError,
) -> Result<(), CreateError> {
    let started = Instant::now();
    let mut expired_at: Option<Instant> = None;
    loop {
        let read = paid
            .chain
            .get_multiple_accounts(&[lock.escrow])
            .await
            .map(|accounts| accounts.into_iter().next().flatten());
        match read {
            Ok(Some(account)) => match decode_escrow(&account.owner, &account.data) {
                Ok(escrow) if escrow.state == EscrowState::Locked => {
                    return if escrow.lock_id == lock.lock_id {
                        Ok(())
                    } else {
                        Err(CreateError::EscrowUsed)
                    };
                }
                Ok(_) => {}
                Err(_) => return Err(CreateError::EscrowNotFound),
            },
            Ok(None) => return Err(CreateError::EscrowNotFound),
            // Unreadable for now: as undecided as an open escrow.
            Err(_) => {}
        }
        if error.refused {
            return Err(CreateError::Chain(error));
        }
        if expired_at.is_none()
            && !paid
                .chain
                .blockhash_valid(&lock.blockhash)
                .await
                .unwrap_or(true)
        {
            expired_at = Some(Instant::now());
        }
        let cannot_land = expired_at.is_some_and(|at| at.elapsed() >= FINALITY_MARGIN);
        if cannot_land || started.elapsed() >= OUTCOME_WAIT_MAX {
            return Err(CreateError::Chain(error));
        }
        tokio::time::sleep(OUTCOME_POLL).await;
    }
}
