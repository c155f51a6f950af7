//! Join validation cost: JSON-RPC requests per paid join, counted at the localnet, and CPU
//! time per join in the gateway process.
//!
//! Starts the localnet and a gateway wired to it as child processes, mints one key per
//! invitee through the gateway, lets the escrow settle, then has every invitee join.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anoghost_program_client::instructions as ix;
use anoghost_sdk::gateway::{paid_invitee, GatewayClient};
use anoghost_sdk::paid::{GhostContact, HolderRoot, PaidInvite};
use anoghost_sdk::wallet::Wallet;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::Transaction;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::proc::cpu_secs;
use crate::servers;

/// What a join-cost run measured.
#[derive(Debug, Clone)]
pub struct JoinCost {
    /// Paid joins measured.
    pub joins: usize,
    /// JSON-RPC requests the localnet served during the joins, per join.
    pub requests_per_join: f64,
    /// Those requests by method.
    pub methods: serde_json::Value,
    /// Gateway CPU time per join, µs.
    pub cpu_us_per_join: f64,
}

fn io(error: impl std::fmt::Display) -> std::io::Error {
    std::io::Error::other(error.to_string())
}

async fn start_localnet(
    binary: &Path,
    authority_out: &Path,
) -> std::io::Result<(tokio::process::Child, String)> {
    let mut child = Command::new(binary)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--pubsub-listen",
            "127.0.0.1:0",
            "--authority-out",
        ])
        .arg(authority_out)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or_else(|| io("no stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let url = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(url) = line.strip_prefix("JSON-RPC:") {
                return Ok(url.trim().to_owned());
            }
        }
        Err(io("the localnet exited before listening"))
    })
    .await
    .map_err(|_| io("the localnet did not start within 120 s"))??;
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, url))
}

async fn total_requests(url: &str) -> std::io::Result<serde_json::Value> {
    reqwest::get(format!("{url}/stats"))
        .await
        .map_err(io)?
        .json()
        .await
        .map_err(io)
}

/// Measures `keys × rounds` paid joins: `keys` invitees each join and leave `rounds` times.
/// CPU time comes from `/proc` in 10 ms ticks, so it takes hundreds of joins to resolve
/// a cost of a few hundred µs.
pub async fn run(
    gateway_binary: &Path,
    localnet_binary: &Path,
    keys: usize,
    rounds: usize,
) -> std::io::Result<JoinCost> {
    let joins = keys * rounds;
    let authority = std::env::temp_dir().join(format!(
        "anoghost-bench-authority-{}.json",
        std::process::id()
    ));
    let (_localnet, rpc_url) = start_localnet(localnet_binary, &authority).await?;
    let master_key = "33".repeat(32);
    let gateway = servers::gateway(
        gateway_binary,
        &[
            "--rpc-url",
            &rpc_url,
            "--authority-keypair",
            authority.to_str().unwrap_or_default(),
            "--master-key",
            &master_key,
            "--mint-delay-max-ms",
            "0",
            "--settle-delay-max-secs",
            "0",
            "--settle-sweep-secs",
            "1",
        ],
    )
    .await?;
    let url = format!("ws://{}/v1/ws", gateway.target.addr);
    let rpc = RpcClient::new(rpc_url.clone());

    let room = PaidInvite::generate("bench", &mut rand::rngs::OsRng).map_err(io)?;
    let tag = room.room_tag();
    let mut invitees = Vec::with_capacity(keys);
    let mut holders = Vec::with_capacity(keys);
    let mut entries = Vec::with_capacity(keys);
    for _ in 0..keys {
        let root = HolderRoot::from_wallet(&Wallet::from_secret(&rand::random()));
        let holder = root.holder(0);
        let mut client = GatewayClient::connect(&url).await.map_err(io)?;
        let contact = GhostContact {
            ghost_id: client.issue_ghost(&holder).await.map_err(io)?,
            invite_key: root.invite_key(0).public(),
        };
        entries.push(paid_invitee(&contact, &room, &mut rand::rngs::OsRng).map_err(io)?);
        holders.push(holder);
        invitees.push(client);
    }
    let secret: [u8; 32] = rand::random();
    let payer = Keypair::new_from_array(secret);
    let airdrop = rpc
        .request_airdrop(&payer.pubkey(), 10_000_000_000)
        .await
        .map_err(io)?;
    rpc.confirm_transaction(&airdrop).await.map_err(io)?;
    let nonce: [u8; 32] = rand::random();
    let key_count = u16::try_from(keys).map_err(io)?;
    let blockhash = rpc.get_latest_blockhash().await.map_err(io)?;
    let deposit = Transaction::new_signed_with_payer(
        &[ix::room_deposit(&payer.pubkey(), nonce, key_count)],
        Some(&payer.pubkey()),
        &[&payer],
        blockhash,
    );
    rpc.send_and_confirm_transaction(&deposit)
        .await
        .map_err(io)?;
    let mut initiator = GatewayClient::connect(&url).await.map_err(io)?;
    initiator
        .sign_in(&Wallet::from_secret(&secret))
        .await
        .map_err(io)?;
    let minted = initiator
        .create_paid_room(&nonce, &tag, &entries)
        .await
        .map_err(io)?;
    if minted.iter().any(|minted| !minted) {
        return Err(io("a key was not minted"));
    }
    // Settlement runs in the background; wait until it is done so it is not counted.
    let escrow = anoghost_program_client::pda::escrow(&payer.pubkey(), &nonce);
    for _ in 0..200 {
        if rpc.get_account(&escrow).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    let before = total_requests(&rpc_url).await?;
    let mut cpu_secs_joining = 0.0;
    for _ in 0..rounds {
        let cpu_before = cpu_secs(gateway.pid())?;
        let mut rooms = Vec::with_capacity(invitees.len());
        for (client, holder) in invitees.iter_mut().zip(&holders) {
            let joined = client.join_paid_room(holder, &tag).await.map_err(io)?;
            if joined.code.is_some() {
                return Err(io("a paid join was refused"));
            }
            rooms.push(joined.room);
        }
        cpu_secs_joining += cpu_secs(gateway.pid())? - cpu_before;
        // Leaving, outside the timed window, lets the same keys join again next round.
        for (client, room) in invitees.iter_mut().zip(rooms) {
            client.leave_room(room).await.map_err(io)?;
        }
    }
    let after = total_requests(&rpc_url).await?;
    let _ = std::fs::remove_file(&authority);
    let delta = after["total"].as_u64().unwrap_or(0) - before["total"].as_u64().unwrap_or(0);
    let mut methods = serde_json::Map::new();
    if let (Some(after), Some(before)) =
        (after["methods"].as_object(), before["methods"].as_object())
    {
        for (method, count) in after {
            let change = count.as_u64().unwrap_or(0)
                - before.get(method).and_then(|c| c.as_u64()).unwrap_or(0);
            if change > 0 {
                methods.insert(method.clone(), change.into());
            }
        }
    }
    Ok(JoinCost {
        joins,
        requests_per_join: delta as f64 / joins as f64,
        methods: methods.into(),
        cpu_us_per_join: cpu_secs_joining * 1e6 / joins as f64,
    })
}
