//! Scripted chat: once another member is in the group, send one message and one file; print
//! N incoming messages and save M incoming files; then leave.

use std::time::Duration;

use anoghost_sdk::chat::{ChatEvent, ChatRoom};

use crate::interactive::describe;
use crate::transfers::{Finished, Transfers};
use crate::ChatOptions;

/// Runs until the message and the file are sent, `--listen` messages have arrived and
/// `--files` files have been saved or refused. Fails if a file could not be sent or one
/// that arrived was not saved.
pub async fn run(mut room: ChatRoom, options: ChatOptions) -> Result<(), String> {
    let mut to_receive = options.listen.unwrap_or(0);
    let mut files_to_receive = options.files.unwrap_or(0);
    let mut files_lost = 0;
    let mut transfers = Transfers::new(
        options
            .save_files
            .clone()
            .or_else(|| options.files.map(|_| crate::files::downloads_dir().0)),
    );
    let mut limit_shown = false;
    if options.send.is_some() || options.send_file.is_some() {
        room.wait_for_company(Duration::from_secs(options.timeout))
            .await
            .map_err(|e| e.to_string())?;
        show_limit(&room, &mut limit_shown);
    }
    if let Some(text) = &options.send {
        room.send_text(text).await.map_err(|e| e.to_string())?;
        // Only a message the gateway took counts as sent.
        room.confirm_sent().await.map_err(|e| e.to_string())?;
        println!("sent: {text}");
    }
    let mut sending = false;
    if let Some(path) = &options.send_file {
        println!(
            "{}",
            transfers.send(&mut room, &path.to_string_lossy()).await?
        );
        sending = true;
    }
    while to_receive > 0 || files_to_receive > 0 || sending {
        let event = room.next_event().await.map_err(|e| e.to_string())?;
        match event {
            ChatEvent::Message { from, text, .. } => {
                println!("[{from}] {text}");
                to_receive = to_receive.saturating_sub(1);
            }
            ChatEvent::File(event) => {
                let (lines, finished) = transfers.on_event(room.me(), event);
                for line in lines {
                    println!("{line}");
                }
                match finished {
                    Some(Finished::Outgoing(true)) => {
                        room.confirm_sent().await.map_err(|e| e.to_string())?;
                        sending = false;
                    }
                    Some(Finished::Outgoing(false)) => return Err("the file was not sent".into()),
                    Some(Finished::Incoming(saved)) => {
                        files_to_receive = files_to_receive.saturating_sub(1);
                        files_lost += usize::from(!saved);
                    }
                    None => {}
                }
            }
            ChatEvent::InGroup => {
                println!(
                    "{}",
                    describe(&event, room.is_creator()).unwrap_or_default()
                );
                show_limit(&room, &mut limit_shown);
            }
            ChatEvent::Denied | ChatEvent::Removed => {
                return Err("left the room: not let in, or removed".into());
            }
            event => {
                if let Some(line) = describe(&event, room.is_creator()) {
                    println!("{line}");
                }
            }
        }
    }
    room.leave().await;
    match files_lost {
        0 => Ok(()),
        n => Err(format!("{n} incoming file(s) not saved")),
    }
}

/// Says once what the room's file limit is, as the group holds it.
fn show_limit(room: &ChatRoom, shown: &mut bool) {
    if !std::mem::replace(shown, true) {
        let limit = room.settings().max_file_bytes();
        println!("room file limit: {limit} bytes");
    }
}
