//! A real gateway reading a real bank, for paid-room tests, and the invitees and keys they
//! work with.

use std::net::TcpListener;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use anoghost_gateway::paid::binding;
use anoghost_gateway::paid::{Chain, MasterKeys};
use anoghost_gateway::secret::SecretBytes32;
use anoghost_gateway::{start_with_chain, GatewayConfig, RunningGateway};
use anoghost_program_client::pda;
use anoghost_protocol::PaidInvitee;
use anoghost_sdk::gateway::{paid_invitee, GatewayClient};
use anoghost_sdk::paid::{open_held_key, GhostContact, HeldKey, HolderRoot, PaidInvite, RoomTag};
use anoghost_sdk::wallet::Wallet;
use solana_sdk::signature::{Keypair, Signer};

use crate::bank::{Bank, Failure, MintedKey};
use crate::chain::BanksChain;

/// The master key the test gateway binds with, id 1.
pub const MASTER_KEY_HEX: &str = "4242424242424242424242424242424242424242424242424242424242424242";

/// A gateway on 127.0.0.1:0 over `bank`, minting and settling at once, plus the chain
/// reader (to count requests).
pub fn spawn_paid_gateway(bank: &Bank) -> (RunningGateway, Arc<BanksChain>, String) {
    spawn_paid_gateway_with(bank, |_| {})
}

/// [`spawn_paid_gateway`] with the configuration adjusted by `adjust` before it starts.
pub fn spawn_paid_gateway_with(
    bank: &Bank,
    adjust: impl FnOnce(&mut GatewayConfig),
) -> (RunningGateway, Arc<BanksChain>, String) {
    let reader = Arc::new(BanksChain::over(bank));
    let (gateway, url) = spawn_paid_gateway_on(bank, reader.clone(), adjust);
    (gateway, reader, url)
}

/// [`spawn_paid_gateway_with`] over `chain`: the bank, or a wrapper of it that stages
/// what a test needs (a rival transaction landing first, say).
pub fn spawn_paid_gateway_on(
    bank: &Bank,
    chain: Arc<dyn Chain>,
    adjust: impl FnOnce(&mut GatewayConfig),
) -> (RunningGateway, String) {
    let mut config = GatewayConfig::local_defaults();
    config.listen = "127.0.0.1:0".parse().expect("loopback address");
    config.master_key = Some(MASTER_KEY_HEX.to_owned());
    config.joins_per_minute = 1_000;
    config.joins_per_minute_per_ip = 10_000;
    config.mint_delay_max_ms = 0;
    config.settle_delay_max_secs = 0;
    config.settle_sweep_secs = 1;
    config.workers = 2;
    let keypair_file = authority_keypair_file(bank);
    config.authority_keypair = Some(keypair_file.clone());
    adjust(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let gateway = start_with_chain(config, listener, Some(chain)).expect("gateway starts");
    // The gateway read the keypair at start; the file is no longer needed.
    let _ = std::fs::remove_file(keypair_file);
    let url = format!("ws://{}/v1/ws", gateway.addr);
    (gateway, url)
}

/// Writes the bank's gateway authority to a keypair file (Solana CLI format) for the
/// gateway to load, as an operator would provide it.
fn authority_keypair_file(bank: &Bank) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!(
        "anoghost-test-authority-{}-{}.json",
        std::process::id(),
        rand::random::<u64>()
    ));
    let bytes: Vec<u8> = bank.gateway.to_bytes().to_vec();
    std::fs::write(&path, serde_json::to_string(&bytes).expect("json")).expect("write keypair");
    path
}

/// The test gateway's master keys.
pub fn test_master_keys() -> MasterKeys {
    MasterKeys::new(1, SecretBytes32::new([0x42; 32]), Vec::new())
}

/// A connected, signed-in client for `wallet`.
pub async fn signed_in(url: &str, wallet: &Wallet) -> GatewayClient {
    let mut client = GatewayClient::connect(url).await.expect("connect");
    client.sign_in(wallet).await.expect("sign in");
    client
}

/// An invitee: a wallet and the holder index it gives out.
pub struct Invitee {
    /// The wallet (never seen by the gateway or the chain).
    pub wallet: Wallet,
    /// Its holder root.
    pub root: HolderRoot,
    /// The index of its contact.
    pub index: u32,
}

impl Invitee {
    /// A fresh wallet giving out holder `index`.
    pub fn new(index: u32) -> Self {
        let wallet = Wallet::from_secret(&rand::random());
        let root = HolderRoot::from_wallet(&wallet);
        Self {
            wallet,
            root,
            index,
        }
    }

    /// Its holder key pair.
    pub fn holder(&self) -> Keypair {
        self.root.holder(self.index)
    }

    /// A ghost contact, its ghostId issued by the gateway at `url`.
    pub async fn contact(&self, url: &str) -> GhostContact {
        let mut client = GatewayClient::connect(url).await.expect("connect");
        let ghost_id = client
            .issue_ghost(&self.holder())
            .await
            .expect("ghost_issue");
        GhostContact {
            ghost_id,
            invite_key: self.root.invite_key(self.index).public(),
        }
    }

    /// Its key, read from the bank and opened as its wallet would.
    pub async fn held_key(&self, bank: &mut Bank) -> Option<HeldKey> {
        let mint = pda::key_mint(&self.holder().pubkey());
        let account = bank.account(&mint).await?;
        open_held_key(&self.root, self.index, &account)
    }
}

/// Mints the key of `holder`, bound to the room with `tag` the way the test gateway binds,
/// carrying an invite sealed to nobody in particular.
pub async fn mint_room_key(
    bank: &mut Bank,
    holder: &Pubkey,
    tag: &RoomTag,
) -> Result<MintedKey, Failure> {
    let mint = pda::key_mint(holder);
    let room_binding = binding::bind(&test_master_keys(), tag, &mint);
    bank.mint_key_with(holder, room_binding, crate::bank::random_invite())
        .await
}

/// A funded initiator: its keypair (for the bank) and wallet (for the gateway).
pub async fn funded_initiator(bank: &mut Bank) -> (Keypair, Wallet) {
    let secret: [u8; 32] = rand::random();
    let keys = Keypair::new_from_array(secret);
    bank.fund(&keys.pubkey(), crate::bank::WALLET_LAMPORTS)
        .await;
    (keys, Wallet::from_secret(&secret))
}

/// The invite sealed to each of `contacts`, as a `room_create_paid` request carries it.
pub fn sealed_for(contacts: &[GhostContact], invite: &PaidInvite) -> Vec<PaidInvitee> {
    contacts
        .iter()
        .map(|contact| paid_invitee(contact, invite, &mut rand::rngs::OsRng).expect("seal"))
        .collect()
}

/// A fresh paid-room invite and its tag.
pub fn new_room(name: &str) -> (PaidInvite, RoomTag) {
    let invite = PaidInvite::generate(name, &mut rand::rngs::OsRng).expect("room name");
    let tag = invite.room_tag();
    (invite, tag)
}
