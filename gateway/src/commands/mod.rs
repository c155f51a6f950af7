//! Control messages and relay frames: one file per message, one dispatch. A new control
//! message is a variant in `anoghost-protocol`, a file here and an arm in [`dispatch`]; the
//! match is exhaustive, so a message without a command does not compile.

mod auth;
mod ghost_issue;
mod hello;
mod presence;
mod relay;
mod room_create;
mod room_create_paid;
mod room_join;
mod room_join_paid;
mod room_leave;

use anoghost_protocol::{ClientMessage, ErrorCode, ServerMessage};

pub use relay::relay;

use crate::session::Session;

/// What a command answers.
#[derive(Debug)]
pub enum Reply {
    /// Send this now.
    Now(ServerMessage),
    /// The answer comes later through the connection's outbound queue (locking and minting
    /// take seconds, and the connection keeps serving meanwhile).
    Later,
}

/// A client's control message, as the gateway reads it.
pub fn decode(text: &str) -> Result<ClientMessage, ErrorCode> {
    ClientMessage::from_json(text)
}

/// The text frame the gateway sends for `message`.
pub fn encode(message: &ServerMessage) -> String {
    message.to_json()
}

/// Handles one control message's text.
pub async fn dispatch(session: &mut Session, text: &str) -> Reply {
    let message = match decode(text) {
        Ok(message) => message,
        Err(code) => return Reply::Now(ServerMessage::error(code)),
    };
    if !session.said_hello() && !matches!(message, ClientMessage::Hello { .. }) {
        return Reply::Now(ServerMessage::error(ErrorCode::HelloRequired));
    }
    let answer = match message {
        ClientMessage::Hello { v } => hello::run(session, v),
        ClientMessage::Auth { message, signature } => auth::run(session, &message, &signature),
        ClientMessage::GhostIssue { holder, signature } => {
            ghost_issue::run(session, &holder, &signature)
        }
        ClientMessage::Presence { ghost_ids } => presence::run(session, &ghost_ids),
        ClientMessage::RoomCreate { verifier } => room_create::run(session, &verifier).await,
        ClientMessage::RoomJoin { code, proof } => room_join::run(session, &code, &proof).await,
        ClientMessage::RoomCreatePaid {
            escrow_nonce,
            room_tag,
            invitees,
        } => match room_create_paid::run(session, &escrow_nonce, &room_tag, &invitees) {
            Ok(()) => return Reply::Later,
            Err(code) => Err(code),
        },
        ClientMessage::RoomJoinPaid {
            holder,
            room_tag,
            signature,
        } => room_join_paid::run(session, &holder, &room_tag, &signature).await,
        ClientMessage::RoomLeave { room } => room_leave::run(session, room),
        // Messages are handled in order, so reaching this one means every earlier one was
        // handled here; rooms ordered by another gateway answer through their order.
        ClientMessage::Sync {} => match session.sync() {
            Some(synced) => Ok(synced),
            None => return Reply::Later,
        },
        ClientMessage::Unknown => Err(ErrorCode::UnknownType),
    };
    Reply::Now(answer.unwrap_or_else(ServerMessage::error))
}
