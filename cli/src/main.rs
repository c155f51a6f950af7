//! `anoghost`: end-to-end encrypted group chat from the terminal.
//!
//! ```text
//! anoghost room create                 # prints an invite, then opens the chat
//! anoghost room join <INVITE>          # joins and opens the chat
//! anoghost room join <INVITE> --send "hi" --listen 1   # scripted: send, wait for one reply
//! anoghost room join <INVITE> --send-file report.pdf    # scripted: send a file
//! anoghost room create --save-files in/ --files 1        # scripted: receive one file
//! anoghost ghost --keypair me.json     # a ghost contact to be invited to a paid room
//! ```
//!
//! # Layout
//! - `args`: every command and option, as clap parses them.
//! - `interactive` / `scripted`: the chat, typed or driven by options.
//! - `transfers` (`/send`, `/save`, `/decline`, `/cancel`), `files` (reading and saving
//!   without overwriting) and `progress` (the bar): files in the chat.
//! - `purse`: `/pay`, `/claim`, `/reclaim`, `/payments`.
//! - `paid` (ghost contacts, paid rooms, refunds), `keys` (held keys: list, join, burn) and
//!   `solana_pay` (the link and QR code for a phone wallet).
//! - `admin`: the program's config after a deploy. `wallet`: keypair files and airdrops.

mod admin;
mod args;
mod files;
mod interactive;
mod keys;
mod paid;
mod progress;
mod purse;
mod scripted;
mod solana_pay;
mod transfers;
mod wallet;

use std::process::ExitCode;
use std::time::Duration;

use anoghost_sdk::chat::ChatRoom;
use anoghost_sdk::invite::Invite;
use anoghost_sdk::mls::{Admission, RoomSettings};
use anoghost_sdk::wallet::Wallet;
use clap::Parser;

pub use args::ChatOptions;
use args::{AdminCommand, Cli, Command, KeyCommand, RoomCommand, WalletCommand};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Room(command) => room(&cli.gateway, &cli.rpc_url, command).await,
        Command::Ghost { keypair } => finish(
            with_wallet(&keypair, |wallet| async move {
                paid::ghost(&cli.gateway, &cli.rpc_url, &wallet).await
            })
            .await,
        ),
        Command::Wallet(WalletCommand::New { out }) => finish(wallet::new_wallet(&out)),
        Command::Wallet(WalletCommand::Airdrop { keypair, sol }) => {
            finish(wallet::airdrop(&cli.rpc_url, &keypair, sol).await)
        }
        Command::Admin(AdminCommand::ConfigShow) => finish(admin::config_show(&cli.rpc_url).await),
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
            finish(
                with_wallet(&keypair, |wallet| async move {
                    admin::config_init(&cli.rpc_url, &wallet, values).await
                })
                .await,
            )
        }
        Command::Key(KeyCommand::List { keypair }) => finish(
            with_wallet(&keypair, |wallet| async move {
                keys::list(&cli.rpc_url, &wallet).await
            })
            .await,
        ),
        Command::Key(KeyCommand::Burn { keypair, key }) => finish(
            with_wallet(&keypair, |wallet| async move {
                keys::burn(&cli.gateway, &cli.rpc_url, &wallet, key).await
            })
            .await,
        ),
    }
}

/// Loads the wallet in `path` and runs `action` with it.
async fn with_wallet<F, Fut>(path: &std::path::Path, action: F) -> Result<(), String>
where
    F: FnOnce(Wallet) -> Fut,
    Fut: std::future::Future<Output = Result<(), String>>,
{
    action(paid::load_wallet(path)?).await
}

/// `anoghost room …`: the paid-room commands that end at once, or a chat.
async fn room(gateway: &str, rpc_url: &str, command: RoomCommand) -> ExitCode {
    let (room, options, wallet) = match command {
        RoomCommand::Create {
            knock,
            max_file_mib,
            options,
        } => {
            let admission = if knock {
                Admission::Knock
            } else {
                Admission::Open
            };
            let settings = match max_file_mib {
                Some(mib) => match RoomSettings::with_max_file_bytes(mib * 1024 * 1024) {
                    Ok(settings) => settings,
                    Err(error) => return fail(&error),
                },
                None => RoomSettings::default(),
            };
            match ChatRoom::create_with(gateway, admission, settings).await {
                Ok(room) => {
                    if let Some(invite) = room.invite() {
                        println!("invite: {invite}");
                    }
                    (room, options, None)
                }
                Err(error) => return fail(&error),
            }
        }
        RoomCommand::Join { invite, options } => {
            let invite: Invite = match invite.parse() {
                Ok(invite) => invite,
                Err(error) => return fail(&error),
            };
            match ChatRoom::join(gateway, &invite).await {
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
            let room = paid::PaidRoom {
                name: &name,
                contacts: &invitees,
                funding,
            };
            return finish(
                with_wallet(&keypair, |wallet| async move {
                    paid::create_paid(gateway, rpc_url, &wallet, room).await
                })
                .await,
            );
        }
        RoomCommand::Refund { keypair, nonce } => {
            return finish(
                with_wallet(&keypair, |wallet| async move {
                    paid::refund(rpc_url, &wallet, &nonce).await
                })
                .await,
            )
        }
        RoomCommand::JoinPaid {
            keypair,
            key,
            options,
        } => {
            let wallet = match paid::load_wallet(&keypair) {
                Ok(wallet) => wallet,
                Err(error) => return fail(&error),
            };
            let held = match keys::choose(rpc_url, &wallet, key).await {
                Ok(held) => held,
                Err(error) => return fail(&error),
            };
            match ChatRoom::join_paid(gateway, &held).await {
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
        let purse = purse::Purse::new(rpc_url, wallet, options.pay_expiry);
        let transfers = transfers::Transfers::new(options.save_files.clone());
        interactive::run(room, purse, transfers).await
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
