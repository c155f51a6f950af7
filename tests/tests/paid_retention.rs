//! Zero retention across the paid flow: with the gateway logging at trace level, the logs of
//! sign-in, locking, minting, joining, relaying, settlement and burning contain no wallet,
//! holder, ghostId, mint, room tag, escrow, room name or member number.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

use anoghost_protocol::frame::FrameKind;
use std::io::Write;
use std::sync::{Arc, Mutex};

use anoghost_sdk::gateway::{paid_invitee, GatewayClient};
use anoghost_sdk::wallet::Wallet;
use anoghost_tests::bank::{Bank, WALLET_LAMPORTS};
use anoghost_tests::paid::{new_room, signed_in, spawn_paid_gateway, Invitee};
use solana_sdk::signature::{Keypair, Signer};

/// Log lines captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paid_flow_logs_no_identifiers() {
    let captured = Captured::default();
    let sink = captured.clone();
    anoghost_gateway::logging::init_with_writer(tracing::Level::TRACE, move || sink.clone());

    let mut bank = Bank::start().await;
    let (_gateway, _, url) = spawn_paid_gateway(&bank);
    let secret: [u8; 32] = rand::random();
    let (initiator_keys, initiator) = (
        Keypair::new_from_array(secret),
        Wallet::from_secret(&secret),
    );
    bank.fund(&initiator_keys.pubkey(), WALLET_LAMPORTS).await;
    let invitee = Invitee::new(0);
    let contact = invitee.contact(&url).await;
    let (invite, tag) = new_room("private");
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    let mut initiator_client = signed_in(&url, &initiator).await;
    let entry = paid_invitee(&contact, &invite, &mut rand::rngs::OsRng).unwrap();
    let minted = initiator_client
        .create_paid_room(&nonce, &tag, &[entry])
        .await
        .unwrap();
    assert_eq!(minted, vec![true]);
    let key = invitee.held_key(&mut bank).await.expect("a key");
    let mut invitee_client = GatewayClient::connect(&url).await.unwrap();
    let joined = invitee_client
        .join_paid_room(&key.holder, &tag)
        .await
        .unwrap();
    invitee_client
        // An MLS application message's cleartext header (one-byte group id, epoch 0),
        // then ciphertext: what the gateway orders and relays.
        .send_frame(
            joined.room,
            FrameKind::Group,
            None,
            &[0, 1, 0, 2, 1, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xAB],
        )
        .await
        .unwrap();
    invitee_client.leave_room(joined.room).await.unwrap();
    let escrow = anoghost_program_client::pda::escrow(&initiator_keys.pubkey(), &nonce);
    for _ in 0..200 {
        if bank.account(&escrow).await.is_none() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    let authority = bank.gateway.pubkey();
    let hash = bank.latest_blockhash().await;
    anoghost_sdk::gateway::burn_key(&url, &key.holder, &authority, hash)
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for event in [
        "escrow locked",
        "key minted",
        "paid room minted",
        "paid room joined",
        "escrow settled",
        "key burned",
    ] {
        assert!(log.contains(event), "no {event:?} in:\n{log}");
    }
    let identifiers = [
        initiator.address(),
        invitee.wallet.address(),
        key.holder.pubkey().to_string(),
        key.mint.to_string(),
        contact.ghost_id.clone(),
        contact.to_string(),
        bs58::encode(tag).into_string(),
        bs58::encode(nonce).into_string(),
        escrow.to_string(),
        invite.name.clone(),
    ];
    for identifier in identifiers {
        assert!(!log.contains(&identifier), "log leaks {identifier}:\n{log}");
    }
    let tokens: Vec<&str> = log
        .lines()
        .flat_map(|line| {
            line.split_once(' ')
                .map_or("", |(_, rest)| rest)
                .split(|c: char| !c.is_ascii_digit())
        })
        .collect();
    for number in [joined.member.to_string(), joined.room.to_string()] {
        assert!(
            !tokens.contains(&number.as_str()),
            "log leaks {number}:\n{log}"
        );
    }
}
