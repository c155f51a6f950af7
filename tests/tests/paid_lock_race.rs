//! Two requests for one escrow: the chain takes one lock, and only the request whose lock
//! landed mints. The race is staged on the real bank by a chain wrapper that lets a rival
//! lock of the same escrow, for the same number of keys, land just before the gateway's own
//! (as another gateway's, or a second connection's, would); that loses the confirmation of
//! the gateway's lock after it landed; or that reports the gateway's send as failed and
//! lets the lock land a moment later, as a node may after a lost connection.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use anoghost::state::{EscrowState, RoomEscrow};
use anoghost_gateway::paid::chain::{send_alone, ChainFuture};
use anoghost_gateway::paid::{AccountFilter, Chain, ChainError};
use anoghost_program_client::{instructions as ix, pda};
use anoghost_sdk::gateway::ClientError;
use anoghost_tests::bank::Bank;
use anoghost_tests::chain::BanksChain;
use anoghost_tests::paid::{
    funded_initiator, new_room, sealed_for, signed_in, spawn_paid_gateway_on, Invitee,
};
use solana_account::Account;
use solana_sdk::hash::Hash;
use solana_sdk::instruction::Instruction;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

/// The rival's lock id: any id but the gateway's random one.
const RIVAL_LOCK_ID: [u8; 16] = [0xAA; 16];

/// What happens to the first `room_lock` the gateway sends.
enum Stage {
    /// This lock lands first, then the gateway's is sent (and refused).
    RivalFirst(Instruction),
    /// The gateway's lock lands, and the gateway is told it failed.
    ConfirmationLost,
    /// The gateway is told its send failed (not refused), and the lock lands right after
    /// the gateway has read the escrow still open.
    LandsLate,
}

/// The bank, with one event staged around the gateway's escrow lock.
struct StagedLock {
    bank: BanksChain,
    /// The gateway's lock, held back until its next read (`Stage::LandsLate`).
    late: Mutex<Option<Transaction>>,
    authority: Keypair,
    stage: Stage,
    staged: AtomicBool,
}

fn is_room_lock(transaction: &Transaction) -> bool {
    transaction.message.instructions.first().is_some_and(|ix| {
        ix.data
            .starts_with(anoghost::instruction::RoomLock::DISCRIMINATOR)
    })
}

impl Chain for StagedLock {
    fn get_multiple_accounts<'a>(
        &'a self,
        addresses: &'a [Pubkey],
    ) -> ChainFuture<'a, Vec<Option<Account>>> {
        Box::pin(async move {
            let read = self.bank.get_multiple_accounts(addresses).await;
            let late = self.late.lock().unwrap().take();
            if let Some(lock) = late {
                self.bank
                    .send_and_confirm(lock)
                    .await
                    .expect("the late lock lands");
            }
            read
        })
    }

    fn get_program_accounts<'a>(
        &'a self,
        program: &'a Pubkey,
        filters: &'a [AccountFilter],
    ) -> ChainFuture<'a, Vec<(Pubkey, Account)>> {
        self.bank.get_program_accounts(program, filters)
    }

    fn latest_blockhash(&self) -> ChainFuture<'_, Hash> {
        self.bank.latest_blockhash()
    }

    fn blockhash_valid<'a>(&'a self, blockhash: &'a Hash) -> ChainFuture<'a, bool> {
        self.bank.blockhash_valid(blockhash)
    }

    fn send_and_confirm(&self, transaction: Transaction) -> ChainFuture<'_, Signature> {
        Box::pin(async move {
            if !is_room_lock(&transaction) || self.staged.swap(true, Ordering::SeqCst) {
                return self.bank.send_and_confirm(transaction).await;
            }
            match &self.stage {
                Stage::RivalFirst(rival) => {
                    send_alone(&self.bank, &self.authority, rival.clone())
                        .await
                        .expect("the rival's lock lands");
                    self.bank.send_and_confirm(transaction).await
                }
                Stage::ConfirmationLost => {
                    self.bank.send_and_confirm(transaction).await?;
                    Err(ChainError::new("the confirmation was lost"))
                }
                Stage::LandsLate => {
                    *self.late.lock().unwrap() = Some(transaction);
                    Err(ChainError::new("the connection to the node was lost"))
                }
            }
        })
    }
}

/// An escrow for one key, a gateway over the staged chain, and one invitee: the request
/// `room_create_paid` sends, its answer, and the escrow afterwards.
async fn create_with(stage: impl FnOnce(&Pubkey, &Pubkey, [u8; 32]) -> Stage) -> Outcome {
    let mut bank = Bank::start().await;
    let (initiator_keys, initiator_wallet) = funded_initiator(&mut bank).await;
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    let chain = Arc::new(StagedLock {
        bank: BanksChain::over(&bank),
        late: Mutex::new(None),
        authority: bank.gateway.insecure_clone(),
        stage: stage(&bank.gateway.pubkey(), &initiator_keys.pubkey(), nonce),
        staged: AtomicBool::new(false),
    });
    // Settlement waits long, so the escrow stays as the race left it.
    let (_gateway, url) = spawn_paid_gateway_on(&bank, chain.clone(), |config| {
        config.settle_delay_max_secs = 3_600;
    });
    let invitee = Invitee::new(0);
    let contact = invitee.contact(&url).await;
    let (invite, tag) = new_room("one escrow, two requests");
    let mut client = signed_in(&url, &initiator_wallet).await;
    let answer = client
        .create_paid_room(&nonce, &tag, &sealed_for(&[contact], &invite))
        .await;
    let escrow: RoomEscrow = bank
        .anchor_account(&pda::escrow(&initiator_keys.pubkey(), &nonce))
        .await;
    let key_minted = invitee.held_key(&mut bank).await.is_some();
    assert!(chain.staged.load(Ordering::SeqCst), "the stage was played");
    Outcome {
        answer,
        escrow,
        key_minted,
    }
}

struct Outcome {
    answer: Result<Vec<bool>, ClientError>,
    escrow: RoomEscrow,
    key_minted: bool,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rival_lock_of_the_same_count_mints_no_second_batch() {
    let outcome = create_with(|authority, initiator, nonce| {
        Stage::RivalFirst(ix::room_lock(authority, initiator, nonce, 1, RIVAL_LOCK_ID))
    })
    .await;
    match outcome.answer {
        Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), "escrow_used"),
        other => panic!("expected escrow_used, got {other:?}"),
    }
    assert!(
        !outcome.key_minted,
        "a key minted against another request's lock is a key nobody paid for"
    );
    assert_eq!(outcome.escrow.state, EscrowState::Locked);
    assert_eq!(outcome.escrow.lock_id, RIVAL_LOCK_ID);
}

/// The request's own lock landed despite the failed send: the payer is charged for the
/// locked key, so it is minted.
fn assert_own_lock_minted(outcome: Outcome, why: &str) {
    assert_eq!(outcome.answer.unwrap(), vec![true], "{why}");
    assert!(outcome.key_minted, "{why}");
    assert_eq!(outcome.escrow.state, EscrowState::Locked);
    assert_ne!(outcome.escrow.lock_id, [0; 16], "the gateway's own lock id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_whose_confirmation_was_lost_still_mints() {
    let outcome = create_with(|_, _, _| Stage::ConfirmationLost).await;
    assert_own_lock_minted(outcome, "only the confirmation was lost");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_that_lands_after_its_send_failed_still_mints() {
    let outcome = create_with(|_, _, _| Stage::LandsLate).await;
    assert_own_lock_minted(
        outcome,
        "the gateway waits for the lock's outcome instead of charging the payer for nothing",
    );
}
