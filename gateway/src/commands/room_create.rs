//! `room_create`: a new free room under a fresh code, with this connection as its first
//! member. The gateway keeps only the verifier the client derived from the invite's secret.
//! It does not count as a join attempt: it reveals nothing about other rooms.

use anoghost_protocol::{ErrorCode, ServerMessage};
use ed25519_dalek::VerifyingKey;

use crate::rooms::{Admission, JoinTarget};
use crate::session::Session;

pub(super) async fn run(session: &mut Session, verifier: &str) -> Result<ServerMessage, ErrorCode> {
    let mut bytes = [0u8; 32];
    match bs58::decode(verifier).onto(&mut bytes) {
        Ok(32) => {}
        _ => return Err(ErrorCode::BadVerifier),
    }
    let verifier = VerifyingKey::from_bytes(&bytes).map_err(|_| ErrorCode::BadVerifier)?;
    let joined = session
        .join(JoinTarget::NewFree(verifier), Admission::Creator)
        .await?;
    tracing::debug!(rooms = session.gateway().rooms.room_count(), "room created");
    Ok(joined)
}
