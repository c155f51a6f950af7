//! Scripted chat: send one message once another member is in the group, print N incoming
//! messages.

use std::time::Duration;

use anoghost_sdk::chat::{ChatEvent, ChatRoom};

use crate::interactive::describe;
use crate::ChatOptions;

/// Runs until the message is sent and `--listen` messages have arrived.
pub async fn run(mut room: ChatRoom, options: ChatOptions) -> Result<(), String> {
    let mut to_receive = options.listen.unwrap_or(0);
    if let Some(text) = &options.send {
        room.wait_for_company(Duration::from_secs(options.timeout))
            .await
            .map_err(|e| e.to_string())?;
        room.send_text(text).await.map_err(|e| e.to_string())?;
        // Only a message the gateway took counts as sent.
        room.confirm_sent().await.map_err(|e| e.to_string())?;
        println!("sent: {text}");
    }
    while to_receive > 0 {
        let event = room.next_event().await.map_err(|e| e.to_string())?;
        if let ChatEvent::Message { from, text, .. } = &event {
            println!("[{from}] {text}");
            to_receive -= 1;
        } else if let Some(line) = describe(&event, room.is_creator()) {
            println!("{line}");
        }
        if matches!(event, ChatEvent::Denied | ChatEvent::Removed) {
            return Err("left the room: not let in, or removed".into());
        }
    }
    room.leave().await;
    Ok(())
}
