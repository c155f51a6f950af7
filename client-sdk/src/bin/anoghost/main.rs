//! `anoghost`: end-to-end encrypted group chat from the terminal.
//!
//! ```text
//! anoghost room create                 # prints an invite, then opens the chat
//! anoghost room join <INVITE>          # joins and opens the chat
//! anoghost room join <INVITE> --send "hi" --listen 1   # scripted: send, wait for one reply
//! ```

mod interactive;
mod scripted;

use std::process::ExitCode;
use std::time::Duration;

use anoghost_sdk::chat::ChatRoom;
use anoghost_sdk::gateway::DEFAULT_GATEWAY;
use anoghost_sdk::invite::Invite;
use clap::{Args, Parser, Subcommand};

/// AnoGhost: anonymous, end-to-end encrypted group chat. No account, no history: a room
/// lives while someone is in it, and the gateway only ever relays ciphertext.
#[derive(Parser)]
#[command(name = "anoghost", version, about)]
struct Cli {
    /// The gateway's WebSocket URL.
    #[arg(long, global = true, env = "ANOGHOST_GATEWAY", default_value = DEFAULT_GATEWAY)]
    gateway: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Free rooms: no wallet needed.
    #[command(subcommand)]
    Room(RoomCommand),
}

#[derive(Subcommand)]
enum RoomCommand {
    /// Create a room and print its invite (code plus secret), then chat.
    Create(ChatOptions),
    /// Join a room with an invite such as 042817-7Hc2b9QmVx1kR4tZpN3aLs, then chat.
    Join {
        /// The invite: six-digit code, a dash, and the room secret.
        invite: String,
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
}

impl ChatOptions {
    fn is_scripted(&self) -> bool {
        self.send.is_some() || self.listen.is_some()
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let Command::Room(command) = cli.command;
    let (room, options) = match command {
        RoomCommand::Create(options) => match ChatRoom::create(&cli.gateway).await {
            Ok(room) => {
                if let Some(invite) = room.invite() {
                    println!("invite: {invite}");
                }
                (room, options)
            }
            Err(error) => return fail(&error),
        },
        RoomCommand::Join { invite, options } => {
            let invite: Invite = match invite.parse() {
                Ok(invite) => invite,
                Err(error) => return fail(&error),
            };
            match ChatRoom::join(&cli.gateway, &invite).await {
                Ok(room) => (room, options),
                Err(error) => return fail(&error),
            }
        }
    };
    println!("joined as #{}", room.me());
    let result = if options.is_scripted() {
        let limit = Duration::from_secs(options.timeout);
        match tokio::time::timeout(limit, scripted::run(room, options)).await {
            Ok(result) => result,
            Err(_) => Err("timed out (see --timeout)".to_owned()),
        }
    } else {
        interactive::run(room).await
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => fail(&message),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("anoghost: {error}");
    ExitCode::FAILURE
}
