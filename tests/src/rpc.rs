//! Helpers for tests that drive the localnet over JSON-RPC with the real client.

use anchor_lang::solana_program::system_instruction;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account;
use anchor_spl::token_2022::spl_token_2022::instruction as token_ix;
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_2022::ID as TOKEN_2022;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::program_pack::Pack;
use solana_sdk::pubkey::Pubkey;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::Transaction;

/// Creates a plain Token-2022 mint (0 decimals) with `holder` as its authority, and mints
/// one token to the holder's associated account: the kind of holding a wallet lists.
/// Returns the mint and the (unconfirmed) signature. Panics on failure.
pub async fn token_2022_mint_with_holding(
    rpc: &RpcClient,
    holder: &Keypair,
) -> (Pubkey, Signature) {
    let mint = Keypair::new();
    let (m, h) = (mint.pubkey(), holder.pubkey());
    let rent = rpc
        .get_minimum_balance_for_rent_exemption(Mint::LEN)
        .await
        .expect("rent quote");
    let holding = anchor_spl::associated_token::get_associated_token_address_with_program_id(
        &h,
        &m,
        &TOKEN_2022,
    );
    let instructions = [
        system_instruction::create_account(&h, &m, rent, Mint::LEN as u64, &TOKEN_2022),
        token_ix::initialize_mint2(&TOKEN_2022, &m, &h, None, 0).expect("instruction"),
        create_associated_token_account(&h, &h, &m, &TOKEN_2022),
        token_ix::mint_to(&TOKEN_2022, &m, &holding, &h, &[], 1).expect("instruction"),
    ];
    let blockhash = rpc.get_latest_blockhash().await.expect("blockhash");
    let transaction =
        Transaction::new_signed_with_payer(&instructions, Some(&h), &[holder, &mint], blockhash);
    let signature = rpc
        .send_transaction(&transaction)
        .await
        .expect("mint and holding created");
    (m, signature)
}

/// A gateway configured as an operator would against the localnet: `--rpc-url`, an
/// authority keypair file, a master key. Returns it with its WebSocket URL.
pub fn spawn_rpc_gateway(
    net: &anoghost_localnet::server::RunningLocalnet,
) -> (anoghost_gateway::RunningGateway, String) {
    let keypair_file = std::env::temp_dir().join(format!(
        "anoghost-localnet-authority-{}-{}.json",
        std::process::id(),
        rand::random::<u64>()
    ));
    let bytes: Vec<u8> = net.keys.gateway_authority.to_bytes().to_vec();
    std::fs::write(
        &keypair_file,
        serde_json::to_string(&bytes).expect("keypair JSON"),
    )
    .expect("authority file written");
    let mut config = anoghost_gateway::GatewayConfig::local_defaults();
    config.rpc_url = Some(net.url());
    config.authority_keypair = Some(keypair_file.clone());
    config.master_key = Some("11".repeat(32));
    config.mint_delay_max_ms = 0;
    config.settle_delay_max_secs = 0;
    config.settle_sweep_secs = 1;
    config.workers = 2;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("loopback port");
    let gateway = anoghost_gateway::start(config, listener).expect("gateway starts");
    let _ = std::fs::remove_file(keypair_file);
    let url = format!("ws://{}/v1/ws", gateway.addr);
    (gateway, url)
}

/// The whole paid-room path over JSON-RPC: an initiator (airdropped here) funds an escrow
/// for one key, and the gateway at `url` locks it and mints the key for `invitee`'s contact.
/// Returns the initiator, the escrow nonce and the room's invite.
pub async fn mint_key_over_rpc(
    rpc: &RpcClient,
    url: &str,
    invitee: &crate::paid::Invitee,
) -> (Keypair, [u8; 32], anoghost_sdk::paid::PaidInvite) {
    let secret: [u8; 32] = rand::random();
    let initiator_keys = Keypair::new_from_array(secret);
    let initiator = anoghost_sdk::wallet::Wallet::from_secret(&secret);
    let airdrop = rpc
        .request_airdrop(&initiator_keys.pubkey(), 1_000_000_000)
        .await
        .expect("airdrop");
    rpc.confirm_transaction(&airdrop)
        .await
        .expect("airdrop lands");
    let contact = invitee.contact(url).await;
    let (invite, tag) = crate::paid::new_room("over rpc");
    let nonce: [u8; 32] = rand::random();
    let blockhash = rpc.get_latest_blockhash().await.expect("blockhash");
    let deposit = Transaction::new_signed_with_payer(
        &[anoghost_program_client::instructions::room_deposit(
            &initiator_keys.pubkey(),
            nonce,
            1,
        )],
        Some(&initiator_keys.pubkey()),
        &[&initiator_keys],
        blockhash,
    );
    rpc.send_and_confirm_transaction(&deposit)
        .await
        .expect("escrow funded");
    let mut initiator_client = crate::paid::signed_in(url, &initiator).await;
    let invitee_entry =
        anoghost_sdk::gateway::paid_invitee(&contact, &invite, &mut rand::rngs::OsRng)
            .expect("invite sealed");
    let minted = initiator_client
        .create_paid_room(&nonce, &tag, &[invitee_entry])
        .await
        .expect("room created");
    assert_eq!(minted, vec![true], "minted over RPC");
    (initiator_keys, nonce, invite)
}
