//! `auth`: signs a wallet in with a SIWS message and its signature. Only initiators need it:
//! the escrow they spend must be their wallet's.

use anoghost_protocol::{ErrorCode, ServerMessage};
use time::OffsetDateTime;

use crate::auth::siws::{self, verify_signature};
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
    let (message, wallet) = siws::parse(text)?;
    siws::check(
        &message,
        &gateway.config.sign_in_domain(),
        OffsetDateTime::now_utc(),
    )?;
    verify_signature(&wallet, text, signature)?;
    // The nonce is spent last, so a message refused for any other reason cannot burn it.
    let spent = gateway
        .nonces
        .consume(&message.nonce, &wallet, crate::state::unix_now())?;
    if let Some(cluster) = &gateway.cluster {
        cluster.announce_spent(spent);
    }
    session.sign_in(wallet);
    tracing::debug!("sign-in accepted");
    Ok(ServerMessage::Authenticated {})
}
