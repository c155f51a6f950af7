//! Paid rooms in a cluster, with real parts: the localnet serving the program over
//! JSON-RPC, a `nats-server`, and gateways as processes that share the master key file. Key
//! holders joining one paid room through different gateways meet in one room, even when
//! they join at the same moment and the gateways race to order it.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::TcpListener;
use std::path::PathBuf;

use anoghost_gateway::paid::{binding, MasterKeys};
use anoghost_gateway::secret::SecretBytes32;
use anoghost_localnet::server::{start, LocalnetOptions};
use anoghost_program_client::instructions as ix;
use anoghost_program_client::limits::INVITE_LEN;
use anoghost_protocol::frame::FrameKind;
use anoghost_protocol::ServerMessage;
use anoghost_sdk::gateway::{ClientError, GatewayClient, GatewayEvent, Joined};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use support::cluster::{gateway, wait_for_peers, NatsServer, Secret};

const MASTER_KEY: [u8; 32] = [0x24; 32];

/// The master key file every gateway of the cluster is given, removed when dropped.
struct MasterKeyFile(PathBuf);

impl MasterKeyFile {
    fn new() -> Self {
        let path = std::env::temp_dir().join(format!(
            "anoghost-cluster-master-{}-{}.hex",
            std::process::id(),
            rand::random::<u32>()
        ));
        let hex: String = MASTER_KEY.iter().map(|b| format!("{b:02x}")).collect();
        std::fs::write(&path, hex).unwrap();
        Self(path)
    }
}

impl Drop for MasterKeyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Mints `holder`'s key for the room with `tag`, as the gateway authority does.
async fn mint_key(rpc: &RpcClient, authority: &Keypair, holder: &Pubkey, tag: &[u8; 32]) {
    let keys = MasterKeys::new(1, SecretBytes32::new(MASTER_KEY), Vec::new());
    let mint = anoghost_program_client::pda::key_mint(holder);
    let (instruction, _) = ix::key_mint(
        &authority.pubkey(),
        holder,
        binding::bind(&keys, tag, &mint),
        [7; INVITE_LEN],
    );
    let blockhash = rpc.get_latest_blockhash().await.unwrap();
    let transaction = Transaction::new_signed_with_payer(
        &[instruction],
        Some(&authority.pubkey()),
        &[authority],
        blockhash,
    );
    rpc.send_and_confirm_transaction(&transaction)
        .await
        .unwrap();
}

async fn connect(addr: std::net::SocketAddr) -> GatewayClient {
    GatewayClient::connect(&format!("ws://{addr}/v1/ws"))
        .await
        .unwrap()
}

/// The next frame's sender and payload, skipping control messages.
async fn next_frame(client: &mut GatewayClient) -> (u16, Vec<u8>) {
    loop {
        match client.next_event().await.unwrap() {
            GatewayEvent::Frame {
                sender, payload, ..
            } => return (sender, payload),
            GatewayEvent::Message(_) => continue,
        }
    }
}

/// Waits for the `member_joined` of the other member, unless it was there already.
async fn roster_of_two(client: &mut GatewayClient, joined: &Joined) -> u16 {
    if let [other] = joined.members[..] {
        return other;
    }
    assert!(joined.members.is_empty(), "{:?}", joined.members);
    loop {
        if let GatewayEvent::Message(ServerMessage::MemberJoined { room, member }) =
            client.next_event().await.unwrap()
        {
            assert_eq!(room, joined.room);
            return member;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_holders_on_two_gateways_joining_at_once_meet_in_one_paid_room() {
    let localnet = start(
        TcpListener::bind("127.0.0.1:0").unwrap(),
        LocalnetOptions::default(),
    )
    .await
    .unwrap();
    let rpc = RpcClient::new(localnet.url());
    let tag: [u8; 32] = rand::random();
    let (alice, bob, stranger) = (Keypair::new(), Keypair::new(), Keypair::new());
    for holder in [&alice, &bob] {
        mint_key(
            &rpc,
            &localnet.keys.gateway_authority,
            &holder.pubkey(),
            &tag,
        )
        .await;
    }
    // A key of another room: refused on any gateway.
    mint_key(
        &rpc,
        &localnet.keys.gateway_authority,
        &stranger.pubkey(),
        &rand::random(),
    )
    .await;

    let nats = NatsServer::start();
    let secret = Secret::new();
    let master = MasterKeyFile::new();
    let (rpc_url, master_path) = (localnet.url(), master.0.display().to_string());
    let paid = [
        "--rpc-url",
        &rpc_url,
        "--master-key-file",
        &master_path,
        "--master-key-id",
        "1",
    ];
    let a = gateway(&nats.url(), &secret, &[], &paid);
    let b = gateway(&nats.url(), &secret, &[], &paid);
    wait_for_peers(&[&a, &b]).await;

    let (mut alice_client, mut bob_client) = (connect(a.addr).await, connect(b.addr).await);
    // Joined at once, both gateways may find the room new and claim it together: one
    // orders it, the other follows, and both members land in the same room.
    let (alice_in, bob_in) = tokio::join!(
        alice_client.join_paid_room(&alice, &tag),
        bob_client.join_paid_room(&bob, &tag)
    );
    let (alice_in, bob_in) = (alice_in.unwrap(), bob_in.unwrap());
    assert_eq!(alice_in.code, None, "paid rooms have no code");
    assert_eq!(
        roster_of_two(&mut alice_client, &alice_in).await,
        bob_in.member
    );
    assert_eq!(
        roster_of_two(&mut bob_client, &bob_in).await,
        alice_in.member
    );

    alice_client
        .send_frame(
            alice_in.room,
            FrameKind::Welcome,
            Some(bob_in.member),
            b"across",
        )
        .await
        .unwrap();
    assert_eq!(
        next_frame(&mut bob_client).await,
        (alice_in.member, b"across".to_vec())
    );
    bob_client
        .send_frame(
            bob_in.room,
            FrameKind::Welcome,
            Some(alice_in.member),
            b"back",
        )
        .await
        .unwrap();
    assert_eq!(
        next_frame(&mut alice_client).await,
        (bob_in.member, b"back".to_vec())
    );

    for addr in [a.addr, b.addr] {
        match connect(addr).await.join_paid_room(&stranger, &tag).await {
            Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), "key_refused"),
            other => panic!("expected key_refused, got {other:?}"),
        }
    }
}
