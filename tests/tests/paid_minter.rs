//! The batch minter shared by every room, against the real bank: keys of rooms that wait
//! together come out in random order across rooms, each in a transaction of its own.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use anoghost_gateway::paid::minter::{BatchMinter, KeyOrder};
use anoghost_gateway::secret::HolderAddress;
use anoghost_program_client::PROGRAM_ID;
use anoghost_tests::bank::{random_binding, random_invite, Bank};
use anoghost_tests::chain::BanksChain;
use solana_sdk::pubkey::Pubkey;

const KEYS_PER_ROOM: usize = 10;

fn orders() -> (Vec<KeyOrder>, Vec<Pubkey>) {
    let holders: Vec<Pubkey> = (0..KEYS_PER_ROOM).map(|_| Pubkey::new_unique()).collect();
    let orders = holders
        .iter()
        .enumerate()
        .map(|(slot, holder)| KeyOrder {
            holder: HolderAddress::from_bytes(holder.to_bytes()),
            binding: random_binding(),
            invite: random_invite(),
            slot,
        })
        .collect();
    (orders, holders)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_of_rooms_waiting_together_come_out_mixed_one_per_transaction() {
    let bank = Bank::start().await;
    let chain = Arc::new(BanksChain::over(&bank));
    let authority = Arc::new(bank.gateway.insecure_clone());
    let minter = Arc::new(BatchMinter::new(authority, Duration::ZERO));
    // Both rooms are in the pool before the minter starts, as at any moment two rooms'
    // keys wait together.
    let (first_orders, first) = orders();
    let (second_orders, second) = orders();
    let first_done = minter.submit(KEYS_PER_ROOM, first_orders);
    let second_done = minter.submit(KEYS_PER_ROOM, second_orders);
    let (_stop, shutdown) = tokio::sync::watch::channel(false);
    tokio::spawn(minter.clone().run(chain.clone(), shutdown));
    assert_eq!(first_done.await.unwrap(), vec![true; KEYS_PER_ROOM]);
    assert_eq!(second_done.await.unwrap(), vec![true; KEYS_PER_ROOM]);

    let mut rooms_in_order = Vec::new();
    for transaction in chain.sent() {
        let message = &transaction.message;
        assert_eq!(message.instructions.len(), 1, "one key per transaction");
        let instruction = &message.instructions[0];
        assert_eq!(*instruction.program_id(&message.account_keys), PROGRAM_ID);
        // Accounts of key_mint: 4 is the holder.
        let holder = message.account_keys[usize::from(instruction.accounts[4])];
        rooms_in_order.push(if first.contains(&holder) { 'A' } else { 'B' });
    }
    assert_eq!(rooms_in_order.len(), 2 * KEYS_PER_ROOM);
    // Grouped by room, the order would be one of 2 out of C(20, 10) = 184,756.
    let switches = rooms_in_order.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(
        switches > 1,
        "the rooms' keys came out grouped: {}",
        rooms_in_order.iter().collect::<String>()
    );
    assert!(second.iter().all(|holder| !first.contains(holder)));
}
