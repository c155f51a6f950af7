//! `anoghost`: end-to-end encrypted group chat from the terminal.
//!
//! ```text
//! anoghost room create                 # prints an invite, then opens the chat
//! anoghost room join <INVITE>          # joins and opens the chat
//! anoghost room join <INVITE> --send "hi" --listen 1   # scripted: send, wait for one reply
//! ```

mod admin;
mod interactive;
mod paid;
mod purse;
mod scripted;
mod solana_pay;
mod wallet;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anoghost_sdk::chat::ChatRoom;
use anoghost_sdk::gateway::DEFAULT_GATEWAY;
use anoghost_sdk::invite::Invite;
use anoghost_sdk::mls::Admission;
use clap::{Args, Parser, Subcommand};

/// AnoGhost: anonymous, end-to-end encrypted group chat. No account, no history: a room
/// lives while someone is in it, and the gateway only ever relays ciphertext.
#[derive(Parser)]
#[command(name = "anoghost", version, about)]
struct Cli {
    /// The gateway's WebSocket URL.
    #[arg(long, global = true, env = "ANOGHOST_GATEWAY", default_value = DEFAULT_GATEWAY)]
    gateway: String,

    /// The Solana JSON-RPC endpoint (paid rooms and keys).
    #[arg(
        long,
        global = true,
        env = "ANOGHOST_RPC_URL",
        default_value = "http://127.0.0.1:8899"
    )]
    rpc_url: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Rooms: free ones need nothing; paid ones need a wallet and a key NFT.
    #[command(subcommand)]
    Room(RoomCommand),
    /// Sign in with a wallet and print its ghostId: share it to be invited to paid rooms.
    Ghost {
        /// Solana CLI keypair file of the wallet.
        #[arg(long)]
        keypair: PathBuf,
        /// Keep printing each new ghostId as the gateway rotates it, until Ctrl-C.
        #[arg(long)]
        follow: bool,
    },
    /// Key NFTs.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Wallet files for trying things locally.
    #[command(subcommand)]
    Wallet(WalletCommand),
    /// Program administration after a deploy.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Initialise the program config, once, signed by the program's upgrade authority.
    ConfigInit {
        /// Solana CLI keypair file of the program's upgrade authority (becomes the admin).
        #[arg(long)]
        keypair: PathBuf,
        /// The gateway's authority: mints keys and settles escrows (its --authority-keypair).
        #[arg(long)]
        gateway_authority: String,
        /// Receives what rooms pay for their keys.
        #[arg(long)]
        treasury: String,
        /// Price per key, in lamports, on top of the key's rent.
        #[arg(long, default_value_t = 10_000_000)]
        price_per_key: u64,
        /// Seconds after which a payer may refund an escrow the gateway never settled.
        #[arg(long, default_value_t = 3_600)]
        refund_timeout_secs: i64,
    },
    /// Print the program config.
    ConfigShow,
}

#[derive(Subcommand)]
enum WalletCommand {
    /// Write a new keypair file (Solana CLI format); never overwrites.
    New {
        /// Where to write it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Ask the chain's faucet for SOL (the localnet, or devnet).
    Airdrop {
        /// The wallet's keypair file.
        #[arg(long)]
        keypair: PathBuf,
        /// How many SOL.
        #[arg(long, default_value_t = 1.0)]
        sol: f64,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// List the AnoGhost keys a wallet holds (genuine ones only).
    List {
        /// Solana CLI keypair file of the holder.
        #[arg(long)]
        keypair: PathBuf,
    },
    /// Burn a key and close its accounts, returning their rent.
    Burn {
        /// Solana CLI keypair file of the holder.
        #[arg(long)]
        keypair: PathBuf,
        /// The key's mint address.
        #[arg(long)]
        mint: String,
    },
}

#[derive(Subcommand)]
enum RoomCommand {
    /// Create a room and print its invite (code plus secret), then chat.
    Create {
        /// Let each joiner in only after you approve it (/approve or /deny).
        #[arg(long)]
        knock: bool,
        #[command(flatten)]
        options: ChatOptions,
    },
    /// Join a room with an invite such as 042817-7Hc2b9QmVx1kR4tZpN3aLs, then chat.
    Join {
        /// The invite: six-digit code, a dash, and the room secret.
        invite: String,
        #[command(flatten)]
        options: ChatOptions,
    },
    /// Pay for a paid room: fund an escrow from the wallet and have the gateway mint one
    /// soulbound key per invitee. Prints each invitee's key (mint address).
    CreatePaid {
        /// Solana CLI keypair file of the paying wallet.
        #[arg(long)]
        keypair: PathBuf,
        /// An invitee's ghostId (repeat for each invitee).
        #[arg(long = "invite", required = true)]
        invitees: Vec<String>,
        /// The room's name, written into every key.
        #[arg(long, default_value = "AnoGhost room")]
        name: String,
        /// Pay the escrow from a phone wallet instead: print a Solana Pay link and QR code
        /// (the gateway builds the transaction) and wait until it lands. The wallet that
        /// scans must be the one in --keypair, which still signs in to the gateway.
        #[arg(long)]
        qr: bool,
        /// How long to wait for the QR payment, in seconds.
        #[arg(long, default_value_t = 600)]
        qr_timeout: u64,
    },
    /// Join a paid room with a key NFT held by the wallet, then chat.
    JoinPaid {
        /// Solana CLI keypair file of the key's holder.
        #[arg(long)]
        keypair: PathBuf,
        /// The key's mint address (as printed by create-paid). Without it, the wallet's
        /// keys are listed: one is used directly; among several you choose.
        #[arg(long)]
        mint: Option<String>,
        #[command(flatten)]
        options: ChatOptions,
    },
}

/// Scripted mode, for tests and scripts. Without these flags the chat is interactive:
/// type a line to send it; /who lists members, /safety shows safety numbers, /quit leaves.
#[derive(Args, Clone)]
pub struct ChatOptions {
    /// Send this text once another member can read it, then carry on as told by --listen.
    #[arg(long)]
    send: Option<String>,
    /// Print this many incoming messages, then leave.
    #[arg(long)]
    listen: Option<usize>,
    /// Give up after this many seconds in scripted mode.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Solana CLI keypair file that pays for /pay and fees (join-paid uses its --keypair).
    #[arg(long)]
    wallet: Option<PathBuf>,
    /// Seconds a /pay payment stays claimable before the sender may /reclaim it.
    #[arg(long, default_value_t = 86_400, value_parser = clap::value_parser!(i64).range(1..=2_592_000))]
    pay_expiry: i64,
}

impl ChatOptions {
    fn is_scripted(&self) -> bool {
        self.send.is_some() || self.listen.is_some()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = match cli.command {
        Command::Room(command) => command,
        Command::Ghost { keypair, follow } => {
            return finish(match paid::load_wallet(&keypair) {
                Ok(wallet) => paid::ghost(&cli.gateway, &cli.rpc_url, &wallet, follow).await,
                Err(error) => Err(error),
            })
        }
        Command::Wallet(WalletCommand::New { out }) => return finish(wallet::new_wallet(&out)),
        Command::Wallet(WalletCommand::Airdrop { keypair, sol }) => {
            return finish(wallet::airdrop(&cli.rpc_url, &keypair, sol).await)
        }
        Command::Admin(AdminCommand::ConfigShow) => {
            return finish(admin::config_show(&cli.rpc_url).await)
        }
        Command::Admin(AdminCommand::ConfigInit {
            keypair,
            gateway_authority,
            treasury,
            price_per_key,
            refund_timeout_secs,
        }) => {
            let values = admin::ConfigValues {
                gateway_authority,
                treasury,
                price_per_key,
                refund_timeout_secs,
            };
            return finish(match paid::load_wallet(&keypair) {
                Ok(wallet) => admin::config_init(&cli.rpc_url, &wallet, values).await,
                Err(error) => Err(error),
            });
        }
        Command::Key(KeyCommand::List { keypair }) => {
            return finish(match paid::load_wallet(&keypair) {
                Ok(wallet) => paid::list_keys(&cli.rpc_url, &wallet).await,
                Err(error) => Err(error),
            })
        }
        Command::Key(KeyCommand::Burn { keypair, mint }) => {
            return finish(match paid::load_wallet(&keypair) {
                Ok(wallet) => paid::burn_key(&cli.rpc_url, &wallet, &mint).await,
                Err(error) => Err(error),
            })
        }
    };
    let (room, options, wallet) = match command {
        RoomCommand::Create { knock, options } => match ChatRoom::create(
            &cli.gateway,
            if knock {
                Admission::Knock
            } else {
                Admission::Open
            },
        )
        .await
        {
            Ok(room) => {
                if let Some(invite) = room.invite() {
                    println!("invite: {invite}");
                }
                (room, options, None)
            }
            Err(error) => return fail(&error),
        },
        RoomCommand::Join { invite, options } => {
            let invite: Invite = match invite.parse() {
                Ok(invite) => invite,
                Err(error) => return fail(&error),
            };
            match ChatRoom::join(&cli.gateway, &invite).await {
                Ok(room) => (room, options, None),
                Err(error) => return fail(&error),
            }
        }
        RoomCommand::CreatePaid {
            keypair,
            invitees,
            name,
            qr,
            qr_timeout,
        } => {
            let funding = if qr {
                paid::Funding::SolanaPay {
                    timeout: Duration::from_secs(qr_timeout),
                }
            } else {
                paid::Funding::Keypair
            };
            return finish(match paid::load_wallet(&keypair) {
                Ok(wallet) => {
                    let room = paid::PaidRoom {
                        name: &name,
                        invitees: &invitees,
                        funding,
                    };
                    paid::create_paid(&cli.gateway, &cli.rpc_url, &wallet, room).await
                }
                Err(error) => Err(error),
            });
        }
        RoomCommand::JoinPaid {
            keypair,
            mint,
            options,
        } => {
            let wallet = match paid::load_wallet(&keypair) {
                Ok(wallet) => wallet,
                Err(error) => return fail(&error),
            };
            let mint = match mint {
                Some(mint) => mint,
                None => match paid::choose_key(&cli.rpc_url, &wallet).await {
                    Ok(mint) => mint,
                    Err(error) => return fail(&error),
                },
            };
            // INTERIM until paid keys carry their sealed invitation: one fixed secret.
            let secret = anoghost_sdk::mls::RoomSecret::new([0x50; 16]);
            match ChatRoom::join_paid(&cli.gateway, &wallet, &mint, &secret).await {
                Ok(room) => (room, options, Some(wallet)),
                Err(error) => return fail(&error),
            }
        }
    };
    let wallet = match (&options.wallet, wallet) {
        (Some(path), _) => match paid::load_wallet(path) {
            Ok(wallet) => Some(wallet),
            Err(error) => return fail(&error),
        },
        (None, wallet) => wallet,
    };
    println!("joined as #{}", room.me());
    let result = if options.is_scripted() {
        let limit = Duration::from_secs(options.timeout);
        match tokio::time::timeout(limit, scripted::run(room, options)).await {
            Ok(result) => result,
            Err(_) => Err("timed out (see --timeout)".to_owned()),
        }
    } else {
        let purse = purse::Purse::new(&cli.rpc_url, wallet, options.pay_expiry);
        interactive::run(room, purse).await
    };
    finish(result)
}

fn finish(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("anoghost: {error}");
    ExitCode::FAILURE
}
