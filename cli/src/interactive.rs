//! Interactive chat: stdin lines out, room events in.

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::crypto::announce::Verification;
use anoghost_sdk::crypto::body::Body;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::purse::Purse;

const HELP: &str =
    "type a message and press enter; /who lists members, /safety shows safety numbers, \
/pay <member> <SOL> sends a payment, /claim <n> [address] takes one, /reclaim <n> takes back an \
expired one, /payments lists them, /quit leaves";

/// Runs until /quit, end of input, Ctrl-C, or the gateway closing.
pub async fn run(mut room: ChatRoom, mut purse: Purse) -> Result<(), String> {
    println!("{HELP}");
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => {
                    if !on_line(&mut room, &mut purse, line.trim()).await? {
                        break;
                    }
                }
                Ok(None) | Err(_) => break,
            },
            event = room.next_event() => {
                let event = event.map_err(|e| e.to_string())?;
                match event {
                    ChatEvent::DirectMessage { from, body: Body::PaymentVoucher(voucher) }
                    | ChatEvent::Message { from, body: Body::PaymentVoucher(voucher), .. } => {
                        println!("{}", purse.on_voucher(from, voucher));
                    }
                    event => {
                        if let Some(line) = describe(&event) {
                            println!("{line}");
                        }
                    }
                }
            }
            _ = tokio::signal::ctrl_c() => break,
        }
    }
    room.leave().await;
    println!("left the room");
    Ok(())
}

/// Handles one typed line; `false` to leave. A failed command is reported and the chat
/// goes on; only a broken connection ends it.
async fn on_line(room: &mut ChatRoom, purse: &mut Purse, line: &str) -> Result<bool, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let outcome = match words.as_slice() {
        ["/pay", args @ ..] => Some(purse.pay(room, args).await),
        ["/claim", args @ ..] => Some(purse.claim(args).await),
        ["/reclaim", args @ ..] => Some(purse.reclaim(args).await),
        ["/payments"] => Some(Ok(purse.list())),
        _ => None,
    };
    if let Some(outcome) = outcome {
        match outcome {
            Ok(report) => println!("{report}"),
            Err(error) => println!("! {error}"),
        }
        return Ok(true);
    }
    match line {
        "" => {}
        "/quit" => return Ok(false),
        "/who" => println!("{}", who(room)),
        "/safety" => {
            for member in room.trusted_members() {
                if let Some(number) = room.safety_number(member) {
                    println!("#{member}: {number}");
                }
            }
        }
        command if command.starts_with('/') => println!("unknown command; {HELP}"),
        text => {
            if room.trusted_members().is_empty() {
                println!("(nobody can read this yet: no other member's keys are known)");
            }
            room.send_text(text).await.map_err(|e| e.to_string())?;
        }
    }
    Ok(true)
}

fn who(room: &ChatRoom) -> String {
    let trusted = room.trusted_members();
    let rejected = room.rejected_members();
    let mut lines = vec![format!("you: #{}", room.me())];
    for member in room.members() {
        let status = if rejected.contains(&member) {
            "REJECTED (keys failed the room-secret check)"
        } else if trusted.contains(&member) {
            "keys verified"
        } else {
            "waiting for keys"
        };
        lines.push(format!("#{member}: {status}"));
    }
    lines.join("\n")
}

/// A line describing `event`, if it is worth showing.
pub fn describe(event: &ChatEvent) -> Option<String> {
    Some(match event {
        ChatEvent::Message {
            from,
            body,
            ttl_secs,
        } => match body {
            Body::Text(text) if *ttl_secs > 0 => {
                format!("[{from}] {text}  (disappears in {ttl_secs}s)")
            }
            Body::Text(text) => format!("[{from}] {text}"),
            Body::PaymentVoucher(voucher) => {
                format!(
                    "[{from}] sent you a payment of {} lamports",
                    voucher.lamports
                )
            }
        },
        ChatEvent::DirectMessage { from, body } => match body {
            Body::Text(text) => format!("[{from} → you] {text}"),
            Body::PaymentVoucher(voucher) => format!(
                "[{from} → you] a payment of {} lamports on {}, claimable until unix time {}",
                voucher.lamports, voucher.cluster, voucher.expiry
            ),
        },
        ChatEvent::MemberJoined { member } => format!("* #{member} joined"),
        ChatEvent::MemberLeft { member } => format!("* #{member} left"),
        ChatEvent::MemberKeys {
            member,
            verification,
        } => match verification {
            Verification::RoomSecret => format!("* #{member}'s keys verified with the room secret"),
            Verification::Unverified => {
                format!("* #{member}'s keys accepted; compare /safety numbers to be sure")
            }
        },
        ChatEvent::MemberRejected { member, reason } => {
            format!("! #{member} REJECTED: {reason}. Their messages will not be shown.")
        }
        ChatEvent::MemberReadable { .. } => return None,
        ChatEvent::Refused { code } => format!("! the gateway refused a message: {code}"),
        ChatEvent::Undecryptable { from, reason } => {
            format!("! could not read a message from #{from}: {reason}")
        }
    })
}
