//! `anoghost-localnet`: a local chain with the `anoghost` program, behind the standard
//! Solana JSON-RPC on 127.0.0.1:8899. `--help` lists the options.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anoghost_localnet::server::{start, LocalnetOptions};
use clap::Parser;
use solana_sdk::signature::Signer;

/// A local Solana chain for AnoGhost: a solana-program-test bank running the anoghost
/// program natively (and Token-2022 and ATA as their real binaries), served over JSON-RPC.
/// Everything lives in memory and is gone at exit.
#[derive(Parser)]
#[command(name = "anoghost-localnet", version, about)]
struct Options {
    /// Address of the JSON-RPC endpoint.
    #[arg(
        long,
        env = "ANOGHOST_LOCALNET_LISTEN",
        default_value = "127.0.0.1:8899"
    )]
    listen: SocketAddr,
    /// Address of the PubSub WebSocket.
    #[arg(
        long,
        env = "ANOGHOST_LOCALNET_PUBSUB_LISTEN",
        default_value = "127.0.0.1:8900"
    )]
    pubsub_listen: SocketAddr,
    /// Where to write the gateway authority's keypair (Solana CLI format), for the gateway's
    /// --authority-keypair.
    #[arg(long, default_value_os_t = std::env::temp_dir().join("anoghost-localnet-authority.json"))]
    authority_out: PathBuf,
    /// Price per key in lamports written into the program config.
    #[arg(long, default_value_t = 10_000_000)]
    price_per_key: u64,
    /// Refund timeout in seconds written into the program config.
    #[arg(long, default_value_t = 3_600)]
    refund_timeout_secs: i64,
    /// Milliseconds per slot.
    #[arg(long, default_value_t = 400)]
    slot_ms: u64,
    /// Leave the program config uninitialised, as right after a deploy, and write the
    /// program's upgrade authority to --admin-out for `anoghost admin config-init`.
    #[arg(long)]
    no_config: bool,
    /// Where --no-config writes the upgrade authority's keypair.
    #[arg(long, default_value_os_t = std::env::temp_dir().join("anoghost-localnet-admin.json"))]
    admin_out: PathBuf,
}

fn main() -> ExitCode {
    let options = Options::parse();
    // The bank logs every instruction at debug level; keep the console readable unless the
    // user asks otherwise. Set before any thread exists.
    if std::env::var_os("RUST_LOG").is_none() {
        std::env::set_var("RUST_LOG", "warn,tarpc=error,solana_metrics=error");
    }
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(options)),
        Err(error) => {
            eprintln!("anoghost-localnet: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> ExitCode {
    let listener = match TcpListener::bind(options.listen) {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "anoghost-localnet: cannot listen on {}: {error} (choose another with --listen)",
                options.listen
            );
            return ExitCode::FAILURE;
        }
    };
    println!("starting the bank (program, Token-2022, ATA) …");
    let localnet = match start(
        listener,
        LocalnetOptions {
            price_per_key: options.price_per_key,
            refund_timeout_secs: options.refund_timeout_secs,
            slot_interval: Duration::from_millis(options.slot_ms.max(10)),
            pubsub_addr: Some(options.pubsub_listen),
            initialise_config: !options.no_config,
        },
    )
    .await
    {
        Ok(localnet) => localnet,
        Err(error) => {
            eprintln!("anoghost-localnet: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(error) = write_keypair(&localnet.keys.gateway_authority, &options.authority_out) {
        eprintln!("anoghost-localnet: {error}");
        return ExitCode::FAILURE;
    }
    if options.no_config {
        if let Err(error) = write_keypair(&localnet.keys.admin, &options.admin_out) {
            eprintln!("anoghost-localnet: {error}");
            return ExitCode::FAILURE;
        }
    }
    println!("JSON-RPC:          {}", localnet.url());
    println!("PubSub:            {}", localnet.ws_url());
    println!("program:           {}", anoghost_program_client::PROGRAM_ID);
    println!(
        "gateway authority: {}",
        localnet.keys.gateway_authority.pubkey()
    );
    println!("treasury:          {}", localnet.keys.treasury.pubkey());
    if options.no_config {
        println!(
            "config:            not initialised (upgrade authority written to {})",
            options.admin_out.display()
        );
    } else {
        println!("price per key:     {} lamports", options.price_per_key);
    }
    println!();
    println!("run the gateway against it with (the master key binds paid-room keys to rooms):");
    println!("  openssl rand -hex 32 > master.hex");
    println!(
        "  cargo run -p anoghost-gateway -- --rpc-url {} --authority-keypair {} \\\n      --master-key-file master.hex",
        localnet.url(),
        options.authority_out.display()
    );
    let _ = tokio::signal::ctrl_c().await;
    localnet.stop().await;
    ExitCode::SUCCESS
}

/// Writes `keypair` as a Solana CLI keypair file readable by its owner only. These keys
/// exist only on this throwaway chain.
fn write_keypair(
    keypair: &solana_sdk::signature::Keypair,
    path: &std::path::Path,
) -> Result<(), String> {
    use std::io::Write;
    let json = serde_json::to_string(&keypair.to_bytes().to_vec()).map_err(|e| e.to_string())?;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
        .open(path)
        .and_then(|mut file| file.write_all(json.as_bytes()))
        .map_err(|error| format!("cannot write {}: {error}", path.display()))
}
