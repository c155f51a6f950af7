//! `room_join`: a free room by its six-digit code and a proof of the invite's secret. The
//! code alone admits nobody: a wrong proof, a malformed code and a missing room all get the
//! same `room_not_found`, after the same work, so a guesser learns nothing about which rooms
//! exist. Every attempt is spent from the join budgets first.

use anoghost_protocol::limits::ROOM_CODE_DIGITS;
use anoghost_protocol::{proofs, ErrorCode, ServerMessage};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::rooms::{JoinTarget, Room, ROOM_CODES};
use crate::session::Session;

pub(super) fn run(
    session: &mut Session,
    code: &str,
    proof: &str,
) -> Result<ServerMessage, ErrorCode> {
    session.spend_join_attempt()?;
    let signature = parse_signature(proof);
    let message = proofs::room_join(session.challenge(), code);
    // A malformed code still costs a verification against a stand-in key below.
    let target = parse_room_code(code).unwrap_or(ROOM_CODES);
    session.join(JoinTarget::Free(target), |room| {
        proves_invite(room, signature.as_ref(), &message)
    })
}

/// Verifies the proof against the room's verifier, or against a stand-in key when there is
/// no such room, so the answer takes the same time either way.
fn proves_invite(room: Option<&Room>, signature: Option<&Signature>, message: &[u8]) -> bool {
    let (verifier, real) = match room.and_then(Room::verifier) {
        Some(verifier) => (verifier, true),
        None => (&*STAND_IN, false),
    };
    let verified = signature.is_some_and(|s| verifier.verify_strict(message, s).is_ok());
    verified && real
}

/// Any valid key will do: it only makes the work for a missing room match a real one.
static STAND_IN: std::sync::LazyLock<VerifyingKey> =
    std::sync::LazyLock::new(|| ed25519_dalek::SigningKey::from_bytes(&[1; 32]).verifying_key());

fn parse_signature(text: &str) -> Option<Signature> {
    let mut bytes = [0u8; 64];
    match bs58::decode(text).onto(&mut bytes) {
        Ok(64) => Some(Signature::from_bytes(&bytes)),
        _ => None,
    }
}

/// Parses exactly six ASCII digits.
fn parse_room_code(code: &str) -> Option<u32> {
    if code.len() != ROOM_CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u32 = code.parse().ok()?;
    (value < ROOM_CODES).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_codes_are_exactly_six_digits() {
        assert_eq!(parse_room_code("012345"), Some(12345));
        for bad in ["12345", "1234567", "12a456", "+12345", " 12345", "١٢٣٤٥٦"] {
            assert_eq!(parse_room_code(bad), None, "{bad}");
        }
    }
}
