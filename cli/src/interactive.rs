//! Interactive chat: stdin lines out, room events in.

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::mls::content::DirectContent;
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::purse::Purse;
use crate::transfers::Transfers;

const HELP: &str = "type a message and press enter; /who lists the group, /safety shows the \
safety code, /approve <member> or /deny <member> decides a knock, /pay <member> <SOL> sends a \
payment, /claim <n> [address] takes one, /reclaim <n> takes back an expired one, /payments \
lists them, /send <path> sends a file (/cancel stops it), /save [n] [path] keeps an incoming \
file, /decline [n] refuses one, /quit leaves";

/// Runs until /quit, end of input, Ctrl-C, or the gateway closing.
pub async fn run(
    mut room: ChatRoom,
    mut purse: Purse,
    mut transfers: Transfers,
) -> Result<(), String> {
    println!("{HELP}");
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => {
                    if !on_line(&mut room, &mut purse, &mut transfers, line.trim()).await? {
                        break;
                    }
                }
                Ok(None) | Err(_) => break,
            },
            event = room.next_event() => {
                let event = event.map_err(|e| e.to_string())?;
                let event = match event {
                    ChatEvent::Direct { from, content: DirectContent::Voucher(voucher) } => {
                        println!("{}", purse.on_voucher(from, voucher));
                        continue;
                    }
                    ChatEvent::File(event) => {
                        for line in transfers.on_event(room.me(), event).0 {
                            println!("{line}");
                        }
                        continue;
                    }
                    event => event,
                };
                let ends = matches!(event, ChatEvent::Denied | ChatEvent::Removed);
                if let Some(line) = describe(&event, room.is_creator()) {
                    println!("{line}");
                }
                if event == ChatEvent::InGroup {
                    let limit = room.settings().max_file_bytes();
                    println!("* files up to {} in this room", crate::files::human_size(limit));
                }
                if ends {
                    break;
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
async fn on_line(
    room: &mut ChatRoom,
    purse: &mut Purse,
    transfers: &mut Transfers,
    line: &str,
) -> Result<bool, String> {
    let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
    let file_outcome = match command {
        "/send" => Some(transfers.send(room, rest.trim()).await),
        "/save" => Some(transfers.save(rest)),
        "/decline" => Some(transfers.decline(room, rest).await),
        "/cancel" => Some(transfers.cancel(room, rest).await),
        _ => None,
    };
    let words: Vec<&str> = line.split_whitespace().collect();
    let outcome = match words.as_slice() {
        _ if file_outcome.is_some() => file_outcome,
        ["/pay", args @ ..] => Some(purse.pay(room, args).await),
        ["/claim", args @ ..] => Some(purse.claim(args).await),
        ["/reclaim", args @ ..] => Some(purse.reclaim(args).await),
        ["/payments"] => Some(Ok(purse.list())),
        ["/approve", member] => Some(decide(room, member, true).await),
        ["/deny", member] => Some(decide(room, member, false).await),
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
        "/safety" => println!("{}", safety(room)),
        command if command.starts_with('/') => println!("unknown command; {HELP}"),
        text => {
            if !room.in_group() {
                println!("(waiting to be added to the group; the message goes out then)");
            }
            room.send_text(text).await.map_err(|e| e.to_string())?;
        }
    }
    Ok(true)
}

/// Parses a member number, `#` optional.
pub fn member_number(text: &str) -> Result<u16, String> {
    text.trim_start_matches('#')
        .parse()
        .map_err(|_| format!("not a member number: {text}"))
}

async fn decide(room: &mut ChatRoom, member: &str, approve: bool) -> Result<String, String> {
    let member = member_number(member)?;
    if !room.is_creator() {
        return Err("only the room's creator decides who comes in".into());
    }
    if !room.knocking().contains(&member) {
        return Err(format!("#{member} is not knocking"));
    }
    if approve {
        room.approve(member).await.map_err(|e| e.to_string())?;
        Ok(format!("letting #{member} in"))
    } else {
        room.deny(member).await.map_err(|e| e.to_string())?;
        Ok(format!("#{member} refused"))
    }
}

fn who(room: &ChatRoom) -> String {
    let roster = room.roster();
    let mut lines = vec![format!("you: #{}", room.me())];
    for entry in roster.iter().filter(|e| e.member != room.me()) {
        lines.push(format!("#{}: in the group", entry.member));
    }
    let knocking = room.knocking();
    for member in room.present() {
        if roster.iter().any(|e| e.member == *member) {
            continue;
        }
        let status = if knocking.contains(member) {
            "knocking (the creator decides)"
        } else {
            "in the room, not yet added to the group"
        };
        lines.push(format!("#{member}: {status}"));
    }
    lines.join("\n")
}

fn safety(room: &ChatRoom) -> String {
    let Some(code) = room.safety_code() else {
        return "not in the group yet".into();
    };
    let mut lines = vec![format!(
        "room safety code: {code} (the same on every member's screen, or someone is in between)"
    )];
    for entry in room.roster() {
        lines.push(format!("#{} key {}", entry.member, entry.fingerprint));
    }
    lines.join("\n")
}

/// A line describing `event`, if it is worth showing.
pub fn describe(event: &ChatEvent, creator: bool) -> Option<String> {
    Some(match event {
        ChatEvent::InGroup => {
            "* you are in the group: messages are end-to-end encrypted".to_owned()
        }
        ChatEvent::Message {
            from,
            text,
            ttl_secs,
        } if *ttl_secs > 0 => format!("[{from}] {text}  (disappears in {ttl_secs}s)"),
        ChatEvent::Message { from, text, .. } => format!("[{from}] {text}"),
        ChatEvent::Direct { from, content } => match content {
            DirectContent::Text(text) => format!("[{from} → you] {text}"),
            DirectContent::Voucher(voucher) => format!(
                "[{from} → you] a payment of {} lamports on {}",
                voucher.lamports, voucher.cluster
            ),
        },
        ChatEvent::RosterChanged { added, removed } => {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("{} added to the group", numbers(added)));
            }
            if !removed.is_empty() {
                parts.push(format!("{} removed from the group", numbers(removed)));
            }
            format!("* {}", parts.join("; "))
        }
        ChatEvent::MemberJoined { member } => format!("* #{member} entered the room"),
        ChatEvent::MemberLeft { member } => format!("* #{member} left the room"),
        ChatEvent::Knock { member } if creator => {
            format!("* #{member} knocks: /approve {member} or /deny {member}")
        }
        ChatEvent::Knock { member } => format!("* #{member} knocks; the creator decides"),
        ChatEvent::Denied => "! the room's creator did not let you in".to_owned(),
        ChatEvent::Refused { code } => format!("! the gateway refused a message: {code}"),
        ChatEvent::Rejected { from, reason } => {
            format!("! refused something from #{from}: {reason}")
        }
        ChatEvent::Removed => "! you were removed from the group".to_owned(),
        // `Transfers` tells of files.
        ChatEvent::File(_) => return None,
    })
}

fn numbers(members: &[u16]) -> String {
    members
        .iter()
        .map(|m| format!("#{m}"))
        .collect::<Vec<_>>()
        .join(", ")
}
