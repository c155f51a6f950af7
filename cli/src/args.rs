//! The command line: every command and option, as clap parses them.

use std::path::PathBuf;

use anoghost_sdk::gateway::DEFAULT_GATEWAY;
use clap::{Args, Parser, Subcommand};

/// AnoGhost: anonymous, end-to-end encrypted group chat. No account, no history: a room
/// lives while someone is in it, and the gateway only ever relays ciphertext.
#[derive(Parser)]
#[command(name = "anoghost", version, about)]
pub struct Cli {
    /// The gateway's WebSocket URL: ws:// or wss://. A wss:// gateway's certificate must
    /// chain to a Mozilla root (webpki-roots) or to a CA in the PEM file that the environment
    /// variable ANOGHOST_CA_FILE names (self-hosted gateways).
    #[arg(long, global = true, env = "ANOGHOST_GATEWAY", default_value = DEFAULT_GATEWAY)]
    pub gateway: String,

    /// The Solana JSON-RPC endpoint (paid rooms and keys).
    #[arg(
        long,
        global = true,
        env = "ANOGHOST_RPC_URL",
        default_value = "http://127.0.0.1:8899"
    )]
    pub rpc_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Rooms: free ones need nothing; paid ones need a wallet and a key NFT.
    #[command(subcommand)]
    Room(RoomCommand),
    /// Print a ghost contact for the wallet: share it to be invited to a paid room. Each call
    /// derives a fresh one-time holder address from the wallet; the gateway and the chain
    /// never see the wallet itself, and the wallet pays nothing.
    Ghost {
        /// Solana CLI keypair file of the wallet.
        #[arg(long)]
        keypair: PathBuf,
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
pub enum AdminCommand {
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
pub enum WalletCommand {
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
pub enum KeyCommand {
    /// List the AnoGhost keys the wallet's holder addresses hold, with their room names.
    List {
        /// Solana CLI keypair file of the wallet.
        #[arg(long)]
        keypair: PathBuf,
    },
    /// Burn a key through the gateway, which pays the fee and gets the rent it fronted back.
    Burn {
        /// Solana CLI keypair file of the wallet.
        #[arg(long)]
        keypair: PathBuf,
        /// Which key, by its number in `key list`; without it, the only one.
        #[arg(long)]
        key: Option<usize>,
    },
}

#[derive(Subcommand)]
pub enum RoomCommand {
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
    /// soulbound key per invitee. Prints the escrow's nonce and, per invitee, whether its
    /// key was minted.
    CreatePaid {
        /// Solana CLI keypair file of the paying wallet.
        #[arg(long)]
        keypair: PathBuf,
        /// An invitee's ghost contact, as `anoghost ghost` prints it (repeat for each).
        #[arg(long = "invite", required = true)]
        invitees: Vec<String>,
        /// The room's name (1 to 32 bytes). It travels sealed to each invitee only: never to
        /// the gateway, never on chain.
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
    /// Join a paid room with a key the wallet holds, then chat.
    JoinPaid {
        /// Solana CLI keypair file of the wallet.
        #[arg(long)]
        keypair: PathBuf,
        /// Which key, by its number in `key list`. Without it: the only one, or you choose.
        #[arg(long)]
        key: Option<usize>,
        #[command(flatten)]
        options: ChatOptions,
    },
    /// Take back an escrow the gateway did not lock (after the refund timeout) or did not
    /// settle (after the lock's timeout).
    Refund {
        /// Solana CLI keypair file of the wallet that paid the escrow.
        #[arg(long)]
        keypair: PathBuf,
        /// The escrow's nonce, as `create-paid` printed it.
        #[arg(long)]
        nonce: String,
    },
}

/// Scripted mode, for tests and scripts. Without these flags the chat is interactive:
/// type a line to send it; /who lists members, /safety shows safety numbers, /quit leaves.
#[derive(Args, Clone)]
pub struct ChatOptions {
    /// Send this text once another member can read it, then carry on as told by --listen.
    #[arg(long)]
    pub send: Option<String>,
    /// Print this many incoming messages, then leave.
    #[arg(long)]
    pub listen: Option<usize>,
    /// Give up after this many seconds in scripted mode.
    #[arg(long, default_value_t = 60)]
    pub timeout: u64,
    /// Solana CLI keypair file that pays for /pay and fees (join-paid uses its --keypair).
    #[arg(long)]
    pub wallet: Option<PathBuf>,
    /// Seconds a /pay payment stays claimable before the sender may /reclaim it.
    #[arg(long, default_value_t = 86_400, value_parser = clap::value_parser!(i64).range(1..=2_592_000))]
    pub pay_expiry: i64,
}

impl ChatOptions {
    pub fn is_scripted(&self) -> bool {
        self.send.is_some() || self.listen.is_some()
    }
}
