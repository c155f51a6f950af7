//! Creating a paid room: check the initiator's escrow, mint one key per invitee, and queue
//! the escrow's settlement.
//!
//! Each key is minted in its own transaction and no mint references the escrow, so the
//! chain does not group a room's keys together (see `docs/program.md`). Settlement happens
//! afterwards, off the mint path, in a background task.

use std::collections::HashSet;
use std::sync::Mutex;

use anchor_lang::prelude::Pubkey;
use anoghost_program_client::accounts::{decode_config, decode_escrow, RoomEscrow};
use anoghost_program_client::limits::MAX_KEY_NAME_LEN;
use anoghost_program_client::{instructions as ix, pda};
use rand::RngCore;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use tokio::sync::mpsc;

use super::chain::{Chain, ChainError};
use super::seal::{SealKind, Sealer};
use crate::secret::WalletAddress;
use crate::sync::lock;

/// Why a paid room could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// Raised if no escrow of this wallet exists under that nonce.
    #[error("no escrow for this wallet and nonce")]
    EscrowNotFound,
    /// Raised if the escrow paid for fewer keys than there are invitees.
    #[error("the escrow paid for fewer keys than invitees")]
    EscrowTooSmall,
    /// Raised if the escrow was already used for a room.
    #[error("the escrow was already used")]
    EscrowUsed,
    /// Raised if the room name is empty or longer than 32 bytes.
    #[error("bad room name")]
    BadName,
    /// Raised if the chain could not be read or written.
    #[error(transparent)]
    Chain(#[from] ChainError),
}

/// An escrow waiting to be settled for the keys minted against it.
#[derive(Debug, Clone, Copy)]
pub struct Settlement {
    /// The escrow's payer.
    pub payer: Pubkey,
    /// The escrow's nonce.
    pub nonce: [u8; 32],
    /// Keys minted.
    pub minted: u16,
}

/// Mints keys and settles escrows as the gateway authority.
pub struct Minter {
    authority: Keypair,
    used_escrows: Mutex<HashSet<Pubkey>>,
    settlements: mpsc::UnboundedSender<Settlement>,
}

impl std::fmt::Debug for Minter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Minter").finish_non_exhaustive()
    }
}

impl Minter {
    /// A minter signing as `authority`; settlements go to the returned receiver, which
    /// [`run_settlements`] drains.
    pub fn new(authority: Keypair) -> (Self, mpsc::UnboundedReceiver<Settlement>) {
        let (settlements, receiver) = mpsc::unbounded_channel();
        (
            Self {
                authority,
                used_escrows: Mutex::new(HashSet::new()),
                settlements,
            },
            receiver,
        )
    }

    /// The authority's address.
    pub fn authority(&self) -> Pubkey {
        self.authority.pubkey()
    }

    /// Creates a paid room for `initiator` against its escrow `nonce`: one key per opened
    /// invitee (`None` where the ghostId did not open). Returns each invitee's mint, in order.
    pub async fn create_room(
        &self,
        chain: &dyn Chain,
        sealer: &Sealer,
        initiator: &WalletAddress,
        nonce: [u8; 32],
        name: &str,
        invitees: &[Option<WalletAddress>],
    ) -> Result<Vec<Option<Pubkey>>, CreateError> {
        if name.is_empty() || name.len() > MAX_KEY_NAME_LEN {
            return Err(CreateError::BadName);
        }
        let payer = Pubkey::new_from_array(*initiator.as_bytes());
        let escrow_address = pda::escrow(&payer, &nonce);
        let escrow = read_escrow(chain, escrow_address).await?;
        if escrow.payer != payer {
            return Err(CreateError::EscrowNotFound);
        }
        let wanted = invitees.iter().filter(|i| i.is_some()).count();
        if wanted > usize::from(escrow.keys) {
            return Err(CreateError::EscrowTooSmall);
        }
        if !lock(&self.used_escrows).insert(escrow_address) {
            return Err(CreateError::EscrowUsed);
        }
        let mut room_id = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut room_id);
        let mut mints = Vec::with_capacity(invitees.len());
        let mut minted: u16 = 0;
        for invitee in invitees {
            let mint = match invitee {
                Some(wallet) => self.mint_one(chain, sealer, &room_id, name, wallet).await,
                None => None,
            };
            minted += u16::from(mint.is_some());
            mints.push(mint);
        }
        zeroize::Zeroize::zeroize(&mut room_id);
        let _ = self.settlements.send(Settlement {
            payer,
            nonce,
            minted,
        });
        Ok(mints)
    }

    /// Mints one key; `None` if the transaction failed.
    async fn mint_one(
        &self,
        chain: &dyn Chain,
        sealer: &Sealer,
        room_id: &[u8; 32],
        name: &str,
        holder: &WalletAddress,
    ) -> Option<Pubkey> {
        let sealed_room = sealer.seal(SealKind::Room, room_id);
        let sealed_ghost = sealer.seal(SealKind::Ghost, holder.as_bytes());
        let holder = Pubkey::new_from_array(*holder.as_bytes());
        let (instruction, mint) = ix::key_mint(
            &self.authority.pubkey(),
            &holder,
            sealed_room,
            sealed_ghost,
            name.to_owned(),
        );
        match self.send(chain, instruction).await {
            Ok(()) => Some(mint),
            // The error text may carry addresses, so only the fact is logged.
            Err(_) => {
                tracing::warn!("key mint failed");
                None
            }
        }
    }

    async fn send(
        &self,
        chain: &dyn Chain,
        instruction: solana_sdk::instruction::Instruction,
    ) -> Result<(), ChainError> {
        let blockhash = chain.latest_blockhash().await?;
        let transaction = Transaction::new_signed_with_payer(
            &[instruction],
            Some(&self.authority.pubkey()),
            &[&self.authority],
            blockhash,
        );
        chain.send_and_confirm(transaction).await
    }

    /// Settles one escrow: pays the treasury for the minted keys and refunds the rest.
    pub async fn settle(
        &self,
        chain: &dyn Chain,
        settlement: Settlement,
    ) -> Result<(), ChainError> {
        let accounts = chain.get_multiple_accounts(&[pda::config()]).await?;
        let config = accounts
            .first()
            .and_then(Option::as_ref)
            .and_then(|account| decode_config(&account.owner, &account.data).ok())
            .ok_or_else(|| ChainError("program config not found".into()))?;
        let instruction = ix::room_settle(
            &self.authority.pubkey(),
            &settlement.payer,
            &config.treasury,
            settlement.nonce,
            settlement.minted,
        );
        self.send(chain, instruction).await
    }
}

async fn read_escrow(chain: &dyn Chain, address: Pubkey) -> Result<RoomEscrow, CreateError> {
    let accounts = chain.get_multiple_accounts(&[address]).await?;
    let account = accounts
        .into_iter()
        .next()
        .flatten()
        .ok_or(CreateError::EscrowNotFound)?;
    decode_escrow(&account.owner, &account.data).map_err(|_| CreateError::EscrowNotFound)
}

/// Settles queued escrows one transaction at a time until the queue closes. A failed
/// settlement is logged without identifiers; the payer can always refund after the timeout.
pub async fn run_settlements(
    minter: std::sync::Arc<Minter>,
    chain: std::sync::Arc<dyn Chain>,
    mut queue: mpsc::UnboundedReceiver<Settlement>,
) {
    while let Some(settlement) = queue.recv().await {
        match minter.settle(chain.as_ref(), settlement).await {
            // The escrow is closed now, so it can no longer be presented; forget it.
            Ok(()) => {
                let escrow = pda::escrow(&settlement.payer, &settlement.nonce);
                lock(&minter.used_escrows).remove(&escrow);
            }
            // Kept as used, so the same escrow cannot pay for a second batch of keys. The
            // error text may carry addresses, so only the fact is logged.
            Err(_) => tracing::warn!("escrow settlement failed"),
        }
    }
}
