//! Paid rooms in a cluster, with real parts: the localnet serving the program over
//! JSON-RPC, a `nats-server`, and gateways as processes that share the master key file. Key
//! holders joining one paid room through different gateways meet in one room, even when
//! they join at the same moment and the gateways race to order it; after NATS restarts the
//! room is joined again under the same tag, so the same routing subjects, and nothing sent
//! before the restart reaches it.
// Helpers panic on anything unexpected: in a test, a panic is the failure report.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::TcpListener;
use std::time::Duration;

use anoghost_gateway::paid::{binding, MasterKeys};
use anoghost_gateway::secret::SecretBytes32;
use anoghost_localnet::server::{start, LocalnetOptions, RunningLocalnet};
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
use support::process::GatewayProcess;

const MASTER_KEY: [u8; 32] = [0x24; 32];

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

/// Two clustered gateways over one localnet, and the keys of `alice` and `bob` for the room
/// with `tag`, plus `stranger`'s key for another room.
struct PaidCluster {
    // Dropped in this order: the gateways before NATS and the chain they use.
    a: GatewayProcess,
    b: GatewayProcess,
    nats: NatsServer,
    _secret: Secret,
    _master: Secret,
    _localnet: RunningLocalnet,
    tag: [u8; 32],
    alice: Keypair,
    bob: Keypair,
    stranger: Keypair,
}

impl PaidCluster {
    async fn start() -> Self {
        let localnet = start(
            TcpListener::bind("127.0.0.1:0").unwrap(),
            LocalnetOptions::default(),
        )
        .await
        .unwrap();
        let rpc = RpcClient::new(localnet.url());
        let tag: [u8; 32] = rand::random();
        let (alice, bob, stranger) = (Keypair::new(), Keypair::new(), Keypair::new());
        let authority = &localnet.keys.gateway_authority;
        for holder in [&alice, &bob] {
            mint_key(&rpc, authority, &holder.pubkey(), &tag).await;
        }
        mint_key(&rpc, authority, &stranger.pubkey(), &rand::random()).await;

        let nats = NatsServer::start();
        let secret = Secret::new();
        // The master key file every gateway is given: the key the test mints with.
        let master = Secret::holding(&MASTER_KEY);
        let (rpc_url, master_path) = (localnet.url(), master.path.display().to_string());
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
        Self {
            a,
            b,
            nats,
            _secret: secret,
            _master: master,
            _localnet: localnet,
            tag,
            alice,
            bob,
            stranger,
        }
    }

    /// Alice through gateway a and Bob through gateway b join the room at once; each
    /// client, what it joined, and the other's member number.
    async fn meet(&self) -> [(GatewayClient, Joined, u16); 2] {
        let (mut alice_client, mut bob_client) =
            (connect(self.a.addr).await, connect(self.b.addr).await);
        // Joined at once, both gateways may find the room new and claim it together: one
        // orders it, the other follows, and both members land in the same room.
        let (alice_in, bob_in) = tokio::join!(
            alice_client.join_paid_room(&self.alice, &self.tag),
            bob_client.join_paid_room(&self.bob, &self.tag)
        );
        let (alice_in, bob_in) = (alice_in.unwrap(), bob_in.unwrap());
        assert_eq!(alice_in.code, None, "paid rooms have no code");
        let alice_sees = roster_of_two(&mut alice_client, &alice_in).await;
        let bob_sees = roster_of_two(&mut bob_client, &bob_in).await;
        assert_eq!((alice_sees, bob_sees), (bob_in.member, alice_in.member));
        [
            (alice_client, alice_in, alice_sees),
            (bob_client, bob_in, bob_sees),
        ]
    }
}

/// Sends a directed frame from `client` (in `joined`) to member `to`.
async fn send_to(client: &mut GatewayClient, joined: &Joined, to: u16, payload: &[u8]) {
    client
        .send_frame(joined.room, FrameKind::Welcome, Some(to), payload)
        .await
        .unwrap();
}

/// Reads until the gateway closes the connection; returns the close code.
async fn close_code(client: &mut GatewayClient) -> u16 {
    loop {
        match client.next_event().await {
            Ok(_) => continue,
            Err(ClientError::Closed { code, reason }) => {
                assert!(reason.contains("cluster_unavailable"), "{reason}");
                return code;
            }
            Err(other) => panic!("expected a close, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_holders_on_two_gateways_joining_at_once_meet_in_one_paid_room() {
    let cluster = PaidCluster::start().await;
    let [(mut alice, alice_in, bob_member), (mut bob, bob_in, alice_member)] = cluster.meet().await;

    send_to(&mut alice, &alice_in, bob_member, b"across").await;
    assert_eq!(
        next_frame(&mut bob).await,
        (alice_member, b"across".to_vec())
    );
    send_to(&mut bob, &bob_in, alice_member, b"back").await;
    assert_eq!(next_frame(&mut alice).await, (bob_member, b"back".to_vec()));

    for addr in [cluster.a.addr, cluster.b.addr] {
        match connect(addr)
            .await
            .join_paid_room(&cluster.stranger, &cluster.tag)
            .await
        {
            Err(ClientError::Refused { code, .. }) => assert_eq!(code.wire_name(), "key_refused"),
            other => panic!("expected key_refused, got {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_nats_restart_the_paid_room_resumes_and_nothing_from_before_reaches_it() {
    let mut cluster = PaidCluster::start().await;
    let [(mut alice, alice_in, bob_member), (mut bob, _, _)] = cluster.meet().await;

    // A burst still on its way between the gateways when NATS goes down.
    for i in 0..50u8 {
        send_to(&mut alice, &alice_in, bob_member, &[b'b', i]).await;
    }
    cluster.nats.stop();
    assert_eq!(close_code(&mut alice).await, 1012);
    assert_eq!(close_code(&mut bob).await, 1012);

    cluster.nats.restart();
    wait_for_peers(&[&cluster.a, &cluster.b]).await;
    // The same tag, so the same room subjects as before the restart.
    let [(mut alice, alice_in, bob_member), (mut bob, _, alice_member)] = cluster.meet().await;
    send_to(&mut alice, &alice_in, bob_member, b"after").await;
    assert_eq!(
        next_frame(&mut bob).await,
        (alice_member, b"after".to_vec()),
        "the first frame in the resumed room is the first sent to it"
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(500), next_frame(&mut bob))
            .await
            .is_err(),
        "nothing sent before the restart arrives, nor anything twice"
    );
}
