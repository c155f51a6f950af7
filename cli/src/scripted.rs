//! Scripted chat: send one message once someone can read it, print N incoming messages.

use anoghost_sdk::chat::{ChatEvent, ChatRoom};
use anoghost_sdk::crypto::body::Body;

use crate::interactive::describe;
use crate::ChatOptions;

/// Runs until the message is sent and `--listen` messages have arrived.
pub async fn run(mut room: ChatRoom, options: ChatOptions) -> Result<(), String> {
    let mut to_send = options.send;
    let mut to_receive = options.listen.unwrap_or(0);
    loop {
        if to_send.is_some() && !room.trusted_members().is_empty() {
            if let Some(text) = to_send.take() {
                room.send_text(&text).await.map_err(|e| e.to_string())?;
                // Only a message the gateway took counts as sent.
                room.confirm_sent().await.map_err(|e| e.to_string())?;
                println!("sent: {text}");
            }
        }
        if to_send.is_none() && to_receive == 0 {
            room.leave().await;
            return Ok(());
        }
        let event = room.next_event().await.map_err(|e| e.to_string())?;
        if let ChatEvent::Message {
            from,
            body: Body::Text(text),
            ..
        } = &event
        {
            println!("[{from}] {text}");
            to_receive = to_receive.saturating_sub(1);
        } else if let Some(line) = describe(&event) {
            println!("{line}");
        }
    }
}
