//! Zero retention across the paid flow: with the gateway logging at trace level, the logs of
//! sign-in, minting, joining, relaying and settlement contain no wallet, ghostId, mint or
//! member number.

use anoghost_protocol::frame::FrameKind;
use std::io::Write;
use std::sync::{Arc, Mutex};

use anoghost_sdk::gateway::GatewayClient;
use anoghost_sdk::wallet::Wallet;
use anoghost_tests::bank::{Bank, WALLET_LAMPORTS};
use anoghost_tests::paid::{signed_in, spawn_paid_gateway};
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
    let invitee = Wallet::from_secret(&rand::random());
    let mut invitee_client = GatewayClient::connect(&url).await.unwrap();
    let ghost = invitee_client.sign_in(&invitee).await.unwrap();
    let nonce = bank.deposit(&initiator_keys, 1).await.unwrap();
    let mut initiator_client = signed_in(&url, &initiator).await;
    let mints = initiator_client
        .create_paid_room("private", &nonce, std::slice::from_ref(&ghost))
        .await
        .unwrap();
    let mint = mints[0].clone().expect("a key");
    let joined = invitee_client.join_paid_room(&mint).await.unwrap();
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
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        log.contains("paid room minted") && log.contains("paid room joined"),
        "{log}"
    );
    for identifier in [initiator.address(), invitee.address(), ghost, mint] {
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
