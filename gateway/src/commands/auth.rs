//! `auth`: signs a wallet in with a SIWS message and its signature. Only initiators need it:
//! the escrow they spend must be their wallet's.

use anoghost_protocol::{ErrorCode, ServerMessage};
use time::OffsetDateTime;

use crate::auth::siws::{verify_signature, SiwsMessage};
use crate::session::Session;

pub(super) fn run(
    session: &mut Session,
    text: &str,
    signature: &str,
) -> Result<ServerMessage, ErrorCode> {
    if session.wallet().is_some() {
        return Err(ErrorCode::AlreadyAuthenticated);
    }
    let gateway = session.gateway().clone();
    let message = SiwsMessage::parse(text)?;
    message.check(&gateway.config.domain, OffsetDateTime::now_utc())?;
    verify_signature(&message.address, text, signature)?;
    // The nonce is spent last, so a message refused for any other reason cannot burn it.
    gateway
        .nonces
        .consume(&message.nonce, &message.address, crate::state::unix_now())?;
    session.sign_in(message.address);
    tracing::debug!("sign-in accepted");
    Ok(ServerMessage::Authenticated {})
}
